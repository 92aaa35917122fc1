"""bfloat16 on the compiled path (ml_dtypes.bfloat16 <-> ONNX BFLOAT16)."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest
from onnx import TensorProto, helper

import mlopt

BF16 = ml_dtypes.bfloat16


def _model(nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def _vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def test_cast_f32_to_bf16_rounds_to_nearest_even_bitwise():
    m = _model(
        [
            helper.make_node("Cast", ["x"], ["b"], to=TensorProto.BFLOAT16),
            helper.make_node("Cast", ["b"], ["back"], to=TensorProto.FLOAT),
        ],
        [_vi("x", TensorProto.FLOAT, [16])],
        [_vi("b", TensorProto.BFLOAT16, [16]), _vi("back", TensorProto.FLOAT, [16])],
    )
    # ties (even and odd), just above/below a tie, overflow to inf, inf, nan, -0, tiny
    bits = np.array(
        [
            0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF, 0x7F800000,
            0xFF800000, 0x7FC00000, 0x80000000, 0x00000001, 0x3F800000, 0xC0490FDB,
            0x477FE000, 0x00800000, 0x3EAAAAAB, 0xBF7FFFFF,
        ],
        dtype=np.uint32,
    )
    x = bits.view(np.float32)
    b, back = mlopt.compile(m)(x)
    assert b.dtype == np.dtype(BF16)
    expect = x.astype(BF16)
    finite = ~np.isnan(x)
    np.testing.assert_array_equal(b.view(np.uint16)[finite], expect.view(np.uint16)[finite])
    assert np.isnan(b.astype(np.float32)[~finite]).all()
    np.testing.assert_array_equal(back[finite], expect.astype(np.float32)[finite])


def test_add_matmul_relu_bf16_model():
    rng = np.random.RandomState(0)
    w = rng.randn(5, 3).astype(np.float32).astype(BF16)
    m = _model(
        [
            helper.make_node("Cast", ["x"], ["xb"], to=TensorProto.BFLOAT16),
            helper.make_node("Add", ["xb", "y"], ["s"]),
            helper.make_node("MatMul", ["s", "w"], ["mm"]),
            helper.make_node("Relu", ["mm"], ["r"]),
            helper.make_node("Cast", ["r"], ["out"], to=TensorProto.FLOAT),
        ],
        [_vi("x", TensorProto.FLOAT, [4, 5]), _vi("y", TensorProto.BFLOAT16, [4, 5])],
        [_vi("out", TensorProto.FLOAT, [4, 3]), _vi("s", TensorProto.BFLOAT16, [4, 5])],
        [helper.make_tensor("w", TensorProto.BFLOAT16, [5, 3], w.view(np.uint16).tobytes(), raw=True)],
    )
    x = rng.randn(4, 5).astype(np.float32)
    y = rng.randn(4, 5).astype(BF16)
    compiled = mlopt.compile(m)
    out, s = compiled(x, y)
    assert out.dtype == np.float32 and s.dtype == np.dtype(BF16)
    # Add: each element rounded once to bf16 -> exact
    s_ref = (x.astype(BF16).astype(np.float32) + y.astype(np.float32)).astype(BF16)
    np.testing.assert_array_equal(s.view(np.uint16), s_ref.view(np.uint16))
    ref = np.maximum(s_ref.astype(np.float32) @ w.astype(np.float32), 0)
    # bf16 has 8 mantissa bits; 5-term dot products with bf16 rounding
    scale = np.abs(s_ref.astype(np.float32)) @ np.abs(w.astype(np.float32))
    assert np.all(np.abs(out - ref) <= 2.0**-6 * scale + 1e-6)
    assert np.any(out > 0) and np.any(out == 0)


def test_bf16_input_dtype_is_checked():
    m = _model(
        [helper.make_node("Neg", ["y"], ["z"])],
        [_vi("y", TensorProto.BFLOAT16, [3])],
        [_vi("z", TensorProto.BFLOAT16, [3])],
    )
    compiled = mlopt.compile(m)
    (z,) = compiled(np.array([1.5, -2.0, 0.0], dtype=BF16))
    np.testing.assert_array_equal(z.astype(np.float32), [-1.5, 2.0, -0.0])
    with pytest.raises(ValueError, match="'y'"):
        compiled(np.array([1.0, 2.0, 3.0], dtype=np.float16))


def test_bf16_is_i16_at_the_llvm_level():
    from mlopt.backends.llvm import to_llvm_ir

    text = """
    func.func @f(%a: bf16, %b: bf16) -> bf16 {
      %c = arith.constant 1.5 : bf16
      %s = arith.addf %a, %b : bf16
      %t = arith.mulf %s, %c : bf16
      func.return %t : bf16
    }
    """
    module = mlopt.parse(text)
    mlopt.run_pipeline(module, "convert-arith-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts")
    ir = to_llvm_ir(module)
    assert "bfloat" not in ir
    assert "fadd float" in ir and "fmul float" in ir
    assert "i16 16320" in ir  # 1.5 as bf16 bits 0x3FC0

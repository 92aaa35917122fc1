"""`compile_model` on ONNX models and on modules at the onnx and tensor levels."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import mlopt
from mlopt.backends.runtime import compile_model

W = np.arange(12, dtype=np.float32).reshape(4, 3) / 10


def mlp_model(batch="N") -> onnx.ModelProto:
    w = helper.make_tensor("W", TensorProto.FLOAT, [4, 3], W.reshape(-1).tolist())
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["y"], name="mm"),
        helper.make_node("Relu", ["y"], ["z"], name="relu"),
        helper.make_node("Add", ["z", "z"], ["zz"], name="add"),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 4])],
        [
            helper.make_tensor_value_info("z", TensorProto.FLOAT, [batch, 3]),
            helper.make_tensor_value_info("zz", TensorProto.FLOAT, [batch, 3]),
        ],
        [w],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def reference(x):
    z = np.maximum(x @ W, 0)
    return z, z + z


def test_symbolic_batch_compiles_per_shape():
    model = compile_model(mlp_model())
    assert model.input_names == ["x"] and model.output_names == ["z", "zz"]
    assert model.compiled_signatures() == []  # symbolic: compiled on first call
    for n in (2, 5, 2):
        x = np.random.rand(n, 4).astype(np.float32)
        z, zz = model(x)
        for got, want in zip((z, zz), reference(x)):
            np.testing.assert_allclose(got, want, rtol=1e-5)
    assert sorted(model.compiled_signatures()) == [((2, 4),), ((5, 4),)]
    assert {"import", "onnx-opt", "bufferize", "affine-to-llvm", "codegen"} <= set(model.stage_times)
    with pytest.raises(ValueError, match=r"input 'x': expected shape \(\?, 4\), got \(2, 5\)"):
        model(np.zeros((2, 5), np.float32))


def test_static_model_from_bytes_via_mlopt_compile():
    model = mlopt.compile(mlp_model(batch=3).SerializeToString(), opt_level=1)
    assert model.compiled_signatures() == [((3, 4),)]  # static: compiled at once
    x = np.random.rand(3, 4).astype(np.float32)
    out = model.run({"x": x})
    np.testing.assert_allclose(out["zz"], reference(x)[1], rtol=1e-5)


def test_onnx_and_tensor_level_modules():
    from mlopt.frontends.onnx import import_model

    x = np.random.rand(2, 4).astype(np.float32)
    onnx_level = import_model(mlp_model(), input_shapes={"x": (2, 4)})
    model = compile_model(onnx_level)
    assert model.input_names == ["x"]
    np.testing.assert_allclose(model(x)[0], reference(x)[0], rtol=1e-5)

    tensor_level = import_model(mlp_model(), input_shapes={"x": (2, 4)})
    mlopt.run_pipeline(
        tensor_level,
        "onnx-shape-inference,onnx-constant-fold,onnx-canonicalize,convert-onnx-to-tensor",
    )
    model = compile_model(tensor_level)
    assert "onnx-opt" not in model.stage_times and "bufferize" in model.stage_times
    np.testing.assert_allclose(model(x)[1], reference(x)[1], rtol=1e-5)


def test_bad_opt_level():
    with pytest.raises(ValueError, match="opt_level"):
        compile_model(mlp_model(), opt_level=5)


def test_llvm_level_module_keeps_names():
    from mlopt.frontends.onnx import import_model

    module = import_model(mlp_model(), input_shapes={"x": (2, 4)})
    mlopt.run_pipeline(module, "onnx-to-llvm")
    model = compile_model(module)
    assert model.input_names == ["x"] and model.output_names == ["z", "zz"]
    x = np.random.rand(2, 4).astype(np.float32)
    np.testing.assert_allclose(model(x=x)[1], reference(x)[1], rtol=1e-5)


def test_input_shapes_and_pipeline_override():
    model = compile_model(mlp_model(), input_shapes={"x": (3, 4)})
    assert model.compiled_signatures() == [((3, 4),)]
    with pytest.raises(ValueError, match=r"expected shape \(3, 4\)"):
        model(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError, match="unknown input 'y'"):
        compile_model(mlp_model(), input_shapes={"y": (3, 4)})
    with pytest.raises(ValueError, match="model declares"):
        compile_model(mlp_model(), input_shapes={"x": (3, 5)})
    custom = compile_model(mlp_model(batch=2), pipeline="onnx-to-llvm-O2")
    assert "pipeline" in custom.stage_times
    x = np.random.rand(2, 4).astype(np.float32)
    np.testing.assert_allclose(custom(x)[1], reference(x)[1], rtol=1e-5)


def test_symbolic_onnx_level_module():
    from mlopt.frontends.onnx import import_model

    module = import_model(mlp_model())  # x: tensor<?x4xf32>
    model = compile_model(module)
    assert model.compiled_signatures() == []
    for n in (1, 3):
        x = np.random.rand(n, 4).astype(np.float32)
        np.testing.assert_allclose(model(x)[0], reference(x)[0], rtol=1e-5)
    assert len(model.compiled_signatures()) == 2


def test_tensor_opt_stage_only_at_O2_and_above():
    low = compile_model(mlp_model(batch=2), opt_level=1)
    high = compile_model(mlp_model(batch=2), opt_level=2)
    assert "tensor-opt" not in low.stage_times
    assert "tensor-opt" in high.stage_times
    x = np.random.rand(2, 4).astype(np.float32)
    np.testing.assert_allclose(low(x)[1], high(x)[1], rtol=1e-6)


TENSOR_LEVEL = """
func.func @scale_add(%x: tensor<3x4xf32>, %y: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %init = tensor.empty() : tensor<3x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<3x4xf32>, tensor<3x4xf32>) outs(%init : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %m = arith.mulf %a, %two : f32
    %s = arith.addf %m, %b : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32>
  func.return %r : tensor<3x4xf32>
}
"""


def test_hand_written_tensor_level_module():
    model = compile_model(mlopt.parse(TENSOR_LEVEL))
    assert model.input_names == ["input0", "input1"] and model.output_names == ["output0"]
    x = np.random.rand(3, 4).astype(np.float32)
    y = np.random.rand(3, 4).astype(np.float32)
    np.testing.assert_allclose(model(x, y)[0], 2 * x + y, rtol=1e-6)


def test_non_tensor_input_is_a_clear_error():
    # a sequence input used to end in "KeyError: 0" from onnx's dtype table
    seq = helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, None)
    out = helper.make_tensor_sequence_value_info("out", TensorProto.FLOAT, None)
    graph = helper.make_graph([helper.make_node("Identity", ["seq"], ["out"])], "g", [seq], [out])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
    onnx.checker.check_model(model)
    with pytest.raises(ValueError, match="input 'seq' is of ONNX type sequence_type"):
        mlopt.compile(model)

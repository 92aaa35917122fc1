"""onnxruntime's quantized ``com.microsoft`` operators (the QOperator format's
QLinearAdd, QLinearConcat, QGemm ...): each single-node model compiles and
matches onnxruntime within one quantization step of its output, i.e.
``|mlopt - ort| <= 1`` on the quantized integers (the float op in between is
computed in a different order and onnxruntime uses lookup tables for some).
The importer expands them into DequantizeLinear -> float op ->
QuantizeLinear (``mlopt/frontends/onnx_contrib.py``)."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import onnxruntime as ort  # noqa: E402  (the test extra installs it)
import mlopt  # noqa: E402
from mlopt.errors import ModelImportError  # noqa: E402

rng = np.random.default_rng(7)
_ONNX = {np.dtype(np.uint8): TensorProto.UINT8, np.dtype(np.int8): TensorProto.INT8,
         np.dtype(np.float32): TensorProto.FLOAT, np.dtype(np.int32): TensorProto.INT32,
         np.dtype(np.bool_): TensorProto.BOOL}  # fmt: skip


def q(shape, dtype=np.uint8, bits=8):
    info = np.iinfo(dtype)
    lo, hi = (info.min, info.max) if bits == 8 else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    return rng.integers(lo, hi + 1, size=shape).astype(dtype)


# QGemm weights: onnxruntime's u8s8 kernels on x86 without VNNI sum pairs of
# u8*s8 products in saturating int16 (vpmaddubsw), which is exact only for
# 7-bit weights; mlopt's integer arithmetic is exact for all
WEIGHT_BITS = 7


def s(v):
    return np.array(v, np.float32)


def z(v, dtype=np.uint8):
    return np.array(v, dtype)


def run_both(node, inputs: dict, inits: dict, out_dtype=None, value_info=(), reference=None):
    g = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info(n, _ONNX[a.dtype], a.shape) for n, a in inputs.items()],
        [helper.make_tensor_value_info(node.output[0], _ONNX[np.dtype(out_dtype or next(a for a in inputs.values() if a.dtype != np.bool_).dtype)], None)],
        initializer=[numpy_helper.from_array(a, n) for n, a in inits.items()],
        value_info=list(value_info),
    )  # fmt: skip
    m = helper.make_model(
        g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    m.ir_version = 8
    if reference is None:
        expected = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, inputs)[0]
    else:
        expected = reference()
    # (onnx's checker, which mlopt runs before upgrading the opset, wants the
    # output's shape too)
    m.graph.output[0].CopyFrom(helper.make_tensor_value_info(node.output[0], _ONNX[expected.dtype], expected.shape))
    got = mlopt.compile(m)(**inputs)
    got = np.asarray(got[0] if isinstance(got, (list, tuple)) else got)
    return got, expected


def within_one_step(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape, (got.dtype, got.shape, expected.dtype, expected.shape)
    diff = np.abs(got.astype(np.int32) - expected.astype(np.int32))
    assert diff.max() <= 1, f"{int(diff.max())} quantization steps apart ({int((diff > 0).sum())} of {diff.size} differ)"
    # and mostly identical: a wrong scale or zero point would move most values
    assert (diff == 0).mean() > 0.9, (diff == 0).mean()


MS = "com.microsoft"


@pytest.mark.parametrize("op", ["QLinearAdd", "QLinearMul"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_qlinear_binary_broadcast(op, dtype):
    a, b = q((2, 7, 17), dtype), q((7, 1), dtype)
    zero = 128 if dtype == np.uint8 else 0
    inits = {"as": s(0.05), "az": z(zero + 3, dtype), "bs": s(0.03), "bz": z(zero - 5, dtype),
             "cs": s(0.07 if op == "QLinearAdd" else 2.0), "cz": z(zero + 1, dtype)}  # fmt: skip
    node = helper.make_node(op, ["a", "as", "az", "b", "bs", "bz", "cs", "cz"], ["c"], domain=MS)
    within_one_step(*run_both(node, {"a": a, "b": b}, inits))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_qlinear_add_without_zero_points(dtype):
    # absent zero points are 0 of the input's type: an int8 output stays int8.
    # (onnxruntime's type inference rejects absent zero points: the schema's
    # definition is the reference)
    a, b = q((3, 17), dtype), q((3, 17), dtype)
    node = helper.make_node("QLinearAdd", ["a", "as", "", "b", "bs", "", "cs", ""], ["c"], domain=MS)
    info = np.iinfo(dtype)

    def reference():
        c = a.astype(np.float32) * np.float32(0.05) + b.astype(np.float32) * np.float32(0.02)
        return np.clip(np.rint(c / np.float32(0.06)), info.min, info.max).astype(dtype)

    got, expected = run_both(
        node, {"a": a, "b": b}, {"as": s(0.05), "bs": s(0.02), "cs": s(0.06)},
        reference=reference,
    )  # fmt: skip
    assert expected.dtype == dtype
    within_one_step(got, expected)


def test_qlinear_concat():
    xs = [q((1, c, 5, 5)) for c in (3, 1, 7)]
    inits = {"ys": s(0.1), "yz": z(120)}
    names = ["ys", "yz"]
    for k, (sc, zp) in enumerate([(0.05, 128), (0.2, 0), (0.1, 120)]):
        inits[f"s{k}"], inits[f"z{k}"] = s(sc), z(zp)
        names += [f"x{k}", f"s{k}", f"z{k}"]
    node = helper.make_node("QLinearConcat", names, ["y"], domain=MS, axis=1)
    within_one_step(*run_both(node, {f"x{k}": x for k, x in enumerate(xs)}, inits))


@pytest.mark.parametrize("op,attrs", [("QLinearLeakyRelu", {"alpha": 0.2}), ("QLinearSigmoid", {})])
def test_qlinear_activation(op, attrs):
    x = q((2, 3, 17))
    node = helper.make_node(op, ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS, **attrs)
    inits = {"xs": s(0.05), "xz": z(130), "ys": s(0.02 if op == "QLinearLeakyRelu" else 1 / 256), "yz": z(100 if op == "QLinearLeakyRelu" else 0)}
    within_one_step(*run_both(node, {"x": x}, inits))


@pytest.mark.parametrize("opset,axis", [(13, -1), (13, 1), (1, 1)])
def test_qlinear_softmax(opset, axis):
    x = q((2, 5, 7))
    node = helper.make_node("QLinearSoftmax", ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS, axis=axis, opset=opset)
    within_one_step(*run_both(node, {"x": x}, {"xs": s(0.08), "xz": z(128), "ys": s(1 / 256), "yz": z(0)}))


@pytest.mark.parametrize("channels_last", [0, 1])
def test_qlinear_global_average_pool(channels_last):
    shape = (2, 7, 5, 3) if channels_last else (2, 3, 7, 5)
    x = q(shape)
    node = helper.make_node(
        "QLinearGlobalAveragePool", ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS, channels_last=channels_last
    )
    vi = [helper.make_tensor_value_info("x", TensorProto.UINT8, shape)]
    within_one_step(*run_both(node, {"x": x}, {"xs": s(0.05), "xz": z(128), "ys": s(0.01), "yz": z(128)}, value_info=vi))


def test_qlinear_average_pool_strided_padded():
    x = q((1, 3, 17, 17), np.int8)
    node = helper.make_node(
        "QLinearAveragePool", ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS,
        kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0,
    )  # fmt: skip
    inits = {"xs": s(0.05), "xz": z(3, np.int8), "ys": s(0.03), "yz": z(-2, np.int8)}
    within_one_step(*run_both(node, {"x": x}, inits))


def test_qlinear_reduce_mean():
    # onnxruntime's CPU provider has no QLinearReduceMean kernel: the schema's
    # definition (dequantize, mean, quantize half to even) is the reference
    x = q((2, 7, 17))
    node = helper.make_node("QLinearReduceMean", ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS, axes=[1, 2], keepdims=1)

    def reference():
        mean = ((x.astype(np.float32) - 128) * np.float32(0.05)).mean(axis=(1, 2), keepdims=True)
        return np.clip(np.rint(mean / np.float32(0.01)) + 128, 0, 255).astype(np.uint8)

    within_one_step(*run_both(node, {"x": x}, {"xs": s(0.05), "xz": z(128), "ys": s(0.01), "yz": z(128)}, reference=reference))


def test_qlinear_where():
    cond = rng.random((7, 17)) > 0.5
    x, y = q((7, 17)), q((1, 17))
    node = helper.make_node(
        "QLinearWhere", ["c", "x", "xs", "xz", "y", "ys", "yz", "zs", "zz"], ["o"], domain=MS
    )
    inits = {"xs": s(0.05), "xz": z(128), "ys": s(0.08), "yz": z(100), "zs": s(0.07), "zz": z(110)}
    within_one_step(*run_both(node, {"c": cond, "x": x, "y": y}, inits))


@pytest.mark.parametrize("trans_b", [0, 1])
@pytest.mark.parametrize("per_channel", [False, True])
def test_qgemm_requantized(trans_b, per_channel):
    m_, k_, n_ = 7, 33, 17
    a = q((m_, k_))
    w = q((n_, k_) if trans_b else (k_, n_), np.int8, WEIGHT_BITS)
    bs = s(rng.uniform(0.01, 0.03, n_)) if per_channel else s(0.02)
    bz = np.zeros(n_ if per_channel else (), np.int8)
    c = rng.integers(-2000, 2000, n_).astype(np.int32)
    node = helper.make_node(
        "QGemm", ["a", "as", "az", "w", "bs", "bz", "c", "ys", "yz"], ["y"], domain=MS, transB=trans_b
    )
    inits = {"as": s(0.05), "az": z(120), "w": w, "bs": bs, "bz": bz, "c": c, "ys": s(0.5), "yz": z(128)}
    within_one_step(*run_both(node, {"a": a}, inits))


def test_qgemm_float_output():
    a, w = q((5, 16)), q((16, 9), np.int8, WEIGHT_BITS)
    node = helper.make_node("QGemm", ["a", "as", "az", "w", "bs", "bz"], ["y"], domain=MS, alpha=0.5)
    inits = {"as": s(0.05), "az": z(128), "w": w, "bs": s(0.02), "bz": z(0, np.int8)}
    got, expected = run_both(node, {"a": a}, inits, out_dtype=np.float32)
    assert expected.dtype == np.float32
    # exact integer products, one float scaling: float rounding only
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_channels_last_without_rank_is_a_clear_error():
    node = helper.make_node("QLinearGlobalAveragePool", ["x", "xs", "xz", "ys", "yz"], ["y"], domain=MS, channels_last=1)
    g = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.UINT8, None)],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, None)],
        initializer=[numpy_helper.from_array(v, n) for n, v in {"xs": s(0.1), "xz": z(1), "ys": s(0.1), "yz": z(1)}.items()],
    )  # fmt: skip
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)])
    with pytest.raises(ModelImportError, match=r"QLinearGlobalAveragePool.*channels_last needs the rank of input 'x'"):
        mlopt.import_onnx(m)


def test_untyped_input_is_a_clear_error():
    # the output's type is the input's: an input no node, initializer or
    # value_info types cannot be expanded
    nodes = [
        helper.make_node("Custom", ["x"], ["t"], domain="acme"),
        helper.make_node("QLinearSigmoid", ["t", "xs", "xz", "ys", "yz"], ["y"], name="sig", domain=MS),
    ]
    inits = {"xs": s(0.1), "xz": z(1), "ys": s(0.1), "yz": z(1)}
    g = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.UINT8, (2,))],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, (2,))],
        initializer=[numpy_helper.from_array(v, n) for n, v in inits.items()],
    )  # fmt: skip
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1), helper.make_opsetid("acme", 1)])
    with pytest.raises(ModelImportError, match=r"node 'sig' \(QLinearSigmoid\): the element type of input 't' is unknown"):
        mlopt.import_onnx(m)


def test_qlinear_concat_without_triples_is_a_clear_error():
    node = helper.make_node("QLinearConcat", ["ys", "yz", "x", "xs"], ["y"], name="cat", domain=MS, axis=0)
    inits = {"xs": s(0.1), "ys": s(0.1), "yz": z(1)}
    g = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.UINT8, (2,))],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, (2,))],
        initializer=[numpy_helper.from_array(v, n) for n, v in inits.items()],
    )  # fmt: skip
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)])
    with pytest.raises(ModelImportError, match=r"node 'cat' \(QLinearConcat\): needs \(X, X_scale, X_zero_point\) triples .* got 2 inputs"):
        mlopt.import_onnx(m)


def test_qgemm_in_an_opset_10_model():
    # older quantizers wrote opset-10 models: DequantizeLinear-10 has no axis
    a, w = q((5, 16)), q((16, 9), np.int8, WEIGHT_BITS)
    node = helper.make_node("QGemm", ["a", "as", "az", "w", "bs", "bz", "", "ys", "yz"], ["y"], domain=MS)
    inits = {"as": s(0.05), "az": z(128), "w": w, "bs": s(0.02), "bz": z(0, np.int8), "ys": s(0.4), "yz": z(128)}
    g = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("a", TensorProto.UINT8, a.shape)],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, (5, 9))],
        initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()],
    )  # fmt: skip
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 10), helper.make_opsetid(MS, 1)])
    m.ir_version = 6
    expected = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"a": a})[0]
    got = mlopt.compile(m)(a=a)
    within_one_step(np.asarray(got[0] if isinstance(got, (list, tuple)) else got), expected)

"""Differential tests of convert-onnx-to-tensor: small ONNX models (one per op
family, several nodes each) compiled by mlopt and compared with onnxruntime."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import onnxruntime as ort  # noqa: E402  (the test extra installs it)
import mlopt  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4
OPSET = 20

_NP_TO_ONNX = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.bool_): TensorProto.BOOL,
}


def build(nodes, inputs: dict[str, np.ndarray], outputs: list[str], inits: dict[str, np.ndarray] | None = None):
    g = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(n, _NP_TO_ONNX[a.dtype], a.shape) for n, a in inputs.items()],
        [helper.make_empty_tensor_value_info(o) for o in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in (inits or {}).items()],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)])
    m.ir_version = 9
    return m


def check(model, inputs: dict[str, np.ndarray]):
    model = onnx.shape_inference.infer_shapes(model)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    expected = sess.run(None, inputs)
    compiled = mlopt.compile(model)
    got = compiled.run(inputs)
    names = [o.name for o in model.graph.output]
    if isinstance(got, dict):
        got = [got[n] for n in names]
    assert len(got) == len(expected)
    for name, g, e in zip(names, got, expected, strict=True):
        g = np.asarray(g)
        assert g.shape == e.shape, f"{name}: shape {g.shape} != {e.shape}"
        if e.dtype.kind == "f":
            np.testing.assert_allclose(g, e, rtol=RTOL, atol=ATOL, err_msg=name)
        else:
            np.testing.assert_array_equal(g, e, err_msg=name)


rng = np.random.default_rng(0)


def randn(*shape, dtype=np.float32):
    return rng.standard_normal(shape).astype(dtype)


def test_elementwise_activations():
    x = randn(2, 3, 4)
    y = randn(3, 1)
    ops = [
        ("Relu", {}), ("Sigmoid", {}), ("Tanh", {}), ("Erf", {}), ("Exp", {}), ("Abs", {}),
        ("Neg", {}), ("Floor", {}), ("Ceil", {}), ("Sin", {}), ("Cos", {}), ("Softsign", {}),
        ("Softplus", {}), ("LeakyRelu", {"alpha": 0.3}), ("Elu", {"alpha": 0.7}), ("Selu", {}),
        ("HardSigmoid", {}), ("HardSwish", {}), ("Sign", {}), ("Gelu", {}), ("Celu", {}),
        ("ThresholdedRelu", {"alpha": 0.5}), ("Round", {}),
    ]
    nodes = [helper.make_node(op, ["x"], [f"o{i}"], **kw) for i, (op, kw) in enumerate(ops)]
    outs = [f"o{i}" for i in range(len(ops))]
    nodes += [
        helper.make_node("Abs", ["x"], ["ax"]),
        helper.make_node("Sqrt", ["ax"], ["sq"]),
        helper.make_node("Log", ["ax"], ["lg"]),
        helper.make_node("Reciprocal", ["x"], ["rc"]),
        helper.make_node("Add", ["x", "y"], ["add"]),
        helper.make_node("Sub", ["x", "y"], ["sub"]),
        helper.make_node("Mul", ["x", "y"], ["mul"]),
        helper.make_node("Div", ["x", "y"], ["div"]),
        helper.make_node("Pow", ["ax", "y"], ["pow"]),
        helper.make_node("PRelu", ["x", "y"], ["prelu"]),
        helper.make_node("Max", ["x", "y"], ["max"]),
        helper.make_node("Min", ["x", "y", "x"], ["min"]),
        helper.make_node("Sum", ["x", "y"], ["sum"]),
        helper.make_node("Mean", ["x", "y"], ["mean"]),
        helper.make_node("Clip", ["x", "lo", "hi"], ["clip"]),
        helper.make_node("Less", ["x", "y"], ["lt"]),
        helper.make_node("Where", ["lt", "x", "y"], ["where"]),
        helper.make_node("Equal", ["lt", "lt"], ["eq"]),
        helper.make_node("Not", ["lt"], ["not"]),
        helper.make_node("Xor", ["lt", "eq"], ["xor"]),
        helper.make_node("IsNaN", ["lg"], ["isnan"]),
        helper.make_node("Cast", ["x"], ["cast_i"], to=TensorProto.INT32),
        helper.make_node("Cast", ["lt"], ["cast_f"], to=TensorProto.FLOAT),
    ]
    outs += ["sq", "lg", "rc", "add", "sub", "mul", "div", "pow", "prelu", "max", "min", "sum",
             "mean", "clip", "lt", "where", "eq", "not", "xor", "isnan", "cast_i", "cast_f"]
    inits = {"lo": np.array(-0.5, np.float32), "hi": np.array(0.5, np.float32)}
    check(build(nodes, {"x": x, "y": y}, outs, inits), {"x": x, "y": y})


def test_integer_elementwise():
    a = rng.integers(-20, 20, (3, 4)).astype(np.int32)
    b = rng.integers(1, 7, (4,)).astype(np.int32) * np.array([1, -1, 1, -1], np.int32)
    ua = rng.integers(0, 255, (3, 4)).astype(np.uint8)
    ub = rng.integers(1, 255, (4,)).astype(np.uint8)
    nodes = [
        helper.make_node("Div", ["a", "b"], ["div"]),
        helper.make_node("Mod", ["a", "b"], ["mod"]),
        helper.make_node("Mod", ["a", "b"], ["fmod"], fmod=1),
        helper.make_node("Max", ["a", "b"], ["max"]),
        helper.make_node("Abs", ["a"], ["abs"]),
        helper.make_node("Neg", ["a"], ["neg"]),
        helper.make_node("Div", ["ua", "ub"], ["udiv"]),
        helper.make_node("Max", ["ua", "ub"], ["umax"]),
        helper.make_node("Greater", ["ua", "ub"], ["ugt"]),
        helper.make_node("Cast", ["ua"], ["u2f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["ua"], ["u2i"], to=TensorProto.INT64),
        helper.make_node("Mod", ["ua", "ub"], ["umod"]),
    ]
    inputs = {"a": a, "b": b, "ua": ua, "ub": ub}
    check(build(nodes, inputs, ["div", "mod", "fmod", "max", "abs", "neg", "udiv", "umax", "ugt", "u2f", "u2i", "umod"]), inputs)


def test_matmul_gemm():
    a = randn(2, 3, 5)
    b = randn(5, 4)
    v = randn(5)
    ga, gb, gc = randn(4, 3), randn(5, 4), randn(5)
    nodes = [
        helper.make_node("MatMul", ["a", "b"], ["mm"]),
        helper.make_node("MatMul", ["v", "b"], ["vm"]),
        helper.make_node("MatMul", ["a", "v"], ["mv"]),
        helper.make_node("Gemm", ["ga", "gb", "gc"], ["gemm"], transA=1, transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Gemm", ["b", "ga"], ["gemm2"]),
        helper.make_node("Einsum", ["a", "b"], ["es"], equation="bij,jk->bik"),
    ]
    inputs = {"a": a, "b": b, "v": v, "ga": ga, "gb": gb, "gc": gc}
    check(build(nodes, inputs, ["mm", "vm", "mv", "gemm", "gemm2", "es"]), inputs)


def test_conv():
    x = randn(1, 4, 7, 6)
    w = randn(6, 2, 3, 3)
    b = randn(6)
    w1 = randn(3, 4, 3, 2)
    wt = randn(4, 2, 3, 3)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["grouped"], group=2, pads=[1, 0, 1, 2], strides=[2, 1]),
        helper.make_node("Conv", ["x", "w1"], ["dilated"], dilations=[2, 1], pads=[2, 0, 1, 1]),
        helper.make_node("Conv", ["x", "w1"], ["same_lower"], auto_pad="SAME_LOWER", strides=[2, 2]),
        helper.make_node("ConvTranspose", ["x", "wt"], ["convt"], strides=[2, 2], pads=[1, 1, 0, 0], output_padding=[1, 0]),
    ]
    inputs = {"x": x}
    inits = {"w": w, "b": b, "w1": w1, "wt": wt}
    check(build(nodes, inputs, ["grouped", "dilated", "same_lower", "convt"], inits), inputs)


def test_pooling():
    x = randn(1, 2, 7, 6)
    nodes = [
        helper.make_node("MaxPool", ["x"], ["mp"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("MaxPool", ["x"], ["mp_ceil"], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("MaxPool", ["x"], ["mp_dil"], kernel_shape=[2, 2], dilations=[2, 2]),
        helper.make_node("AveragePool", ["x"], ["ap"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["x"], ["ap_inc"], kernel_shape=[3, 2], pads=[1, 1, 1, 1], count_include_pad=1, strides=[2, 1]),
        helper.make_node("AveragePool", ["x"], ["ap_ceil"], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("GlobalAveragePool", ["x"], ["gap"]),
        helper.make_node("GlobalMaxPool", ["x"], ["gmp"]),
        helper.make_node("LpPool", ["x"], ["lp"], kernel_shape=[2, 2], p=2),
    ]
    check(build(nodes, {"x": x}, ["mp", "mp_ceil", "mp_dil", "ap", "ap_inc", "ap_ceil", "gap", "gmp", "lp"]), {"x": x})


def test_normalization():
    x = randn(2, 4, 3, 3)
    s, b, m = randn(4), randn(4), randn(4)
    v = np.abs(randn(4)) + 0.5
    ln_s, ln_b = randn(3, 3), randn(3)
    nodes = [
        helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["bn"], epsilon=1e-3),
        helper.make_node("BatchNormalization", ["x", "xs", "b", "m", "v"], ["bn_rt"]),
        helper.make_node("LayerNormalization", ["x", "ln_s", "ln_b"], ["ln"], axis=-2),
        helper.make_node("InstanceNormalization", ["x", "s", "b"], ["in"]),
        helper.make_node("LRN", ["x"], ["lrn"], size=3, alpha=0.01),
        helper.make_node("LpNormalization", ["x"], ["lpn"], axis=1),
    ]
    inputs = {"x": x, "xs": s}
    inits = {"s": s, "b": b, "m": m, "v": v, "ln_s": ln_s, "ln_b": ln_b}
    check(build(nodes, inputs, ["bn", "bn_rt", "ln", "in", "lrn", "lpn"], inits), inputs)


def test_reductions_softmax():
    x = randn(2, 3, 4)
    ax = np.array([1], np.int64)
    ax2 = np.array([0, -1], np.int64)
    nodes = [
        helper.make_node("ReduceSum", ["x", "ax"], ["sum"]),
        helper.make_node("ReduceMean", ["x", "ax2"], ["mean"], keepdims=0),
        helper.make_node("ReduceMax", ["x"], ["max"]),
        helper.make_node("ReduceMin", ["x", "ax"], ["min"], keepdims=0),
        helper.make_node("ReduceProd", ["x", "ax"], ["prod"]),
        helper.make_node("ReduceL1", ["x", "ax2"], ["l1"]),
        helper.make_node("ReduceL2", ["x", "ax"], ["l2"]),
        helper.make_node("ReduceLogSumExp", ["x", "ax"], ["lse"]),
        helper.make_node("ReduceSumSquare", ["x", "ax"], ["ss"]),
        helper.make_node("Softmax", ["x"], ["sm"], axis=1),
        helper.make_node("LogSoftmax", ["x"], ["lsm"]),
        helper.make_node("ArgMax", ["x"], ["amax"], axis=2),
        helper.make_node("ArgMin", ["x"], ["amin"], axis=0, keepdims=0, select_last_index=1),
        helper.make_node("CumSum", ["x", "cax"], ["cs"], reverse=1),
        helper.make_node("Hardmax", ["x"], ["hm"]),
    ]
    inits = {"ax": ax, "ax2": ax2, "cax": np.array(1, np.int64)}
    outs = ["sum", "mean", "max", "min", "prod", "l1", "l2", "lse", "ss", "sm", "lsm", "amax", "amin", "cs", "hm"]
    check(build(nodes, {"x": x}, outs, inits), {"x": x})


def test_shape_ops():
    x = randn(2, 3, 4)
    y = randn(2, 1, 4)
    inits = {
        "shp": np.array([0, -1], np.int64),
        "sp": np.array([1, 2], np.int64),
        "st": np.array([0, -1], np.int64),
        "en": np.array([2, -4], np.int64),
        "sax": np.array([0, 2], np.int64),
        "sstep": np.array([1, -1], np.int64),
        "exp": np.array([2, 2, 1, 1], np.int64),
        "reps": np.array([1, 2, 1], np.int64),
        "pads": np.array([0, 1, 2, 1, 0, 0], np.int64),
        "uax": np.array([1], np.int64),
        "pval": np.array(0.5, np.float32),
    }
    nodes = [
        helper.make_node("Reshape", ["x", "shp"], ["reshape"]),
        helper.make_node("Flatten", ["x"], ["flatten"], axis=2),
        helper.make_node("Transpose", ["x"], ["transpose"], perm=[2, 0, 1]),
        helper.make_node("Concat", ["x", "y"], ["concat"], axis=1),
        helper.make_node("Split", ["x", "sp"], ["s0", "s1"], axis=1),
        helper.make_node("Slice", ["x", "st", "en", "sax", "sstep"], ["slice"]),
        helper.make_node("Expand", ["y", "exp"], ["expand"]),
        helper.make_node("Tile", ["x", "reps"], ["tile"]),
        helper.make_node("Pad", ["x", "pads", "pval"], ["pad_c"]),
        helper.make_node("Pad", ["x", "pads"], ["pad_r"], mode="reflect"),
        helper.make_node("Pad", ["x", "pads"], ["pad_e"], mode="edge"),
        helper.make_node("Squeeze", ["y", "uax"], ["squeeze"]),
        helper.make_node("Unsqueeze", ["x", "uax"], ["unsqueeze"]),
        helper.make_node("Identity", ["x"], ["ident"]),
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Dropout", ["x"], ["drop"]),
    ]
    outs = ["reshape", "flatten", "transpose", "concat", "s0", "s1", "slice", "expand", "tile",
            "pad_c", "pad_r", "pad_e", "squeeze", "unsqueeze", "ident", "shape", "drop"]
    inputs = {"x": x, "y": y}
    check(build(nodes, inputs, outs, inits), inputs)


def test_gather_scatter():
    data = randn(5, 4)
    idx = np.array([[0, -1, 2], [4, 1, 1]], np.int64)
    eidx = np.array([[0, 3], [1, 2], [-1, 0]], np.int64)
    nd_idx = np.array([[1, 2], [4, 0]], np.int64)
    upd = randn(3, 2)
    x = randn(1, 8, 2, 3)
    nodes = [
        helper.make_node("Gather", ["data", "idx"], ["g0"], axis=0),
        helper.make_node("Gather", ["data", "idx"], ["g1"], axis=1),
        helper.make_node("GatherElements", ["data3", "eidx"], ["ge"], axis=1),
        helper.make_node("GatherND", ["data", "nd_idx"], ["gnd"]),
        helper.make_node("ScatterElements", ["data3", "eidx", "upd"], ["se"], axis=1),
        helper.make_node("OneHot", ["idx", "depth", "vals"], ["oh"]),
        helper.make_node("Trilu", ["data"], ["tri"], upper=0),
        helper.make_node("DepthToSpace", ["x"], ["d2s"], blocksize=2),
        helper.make_node("SpaceToDepth", ["d2s"], ["s2d"], blocksize=2),
    ]
    data3 = randn(3, 4)
    inputs = {"data": data, "idx": np.array([[0, 1, 2], [3, 1, 1]], np.int64), "x": x}
    inits = {
        "eidx": eidx, "nd_idx": nd_idx, "upd": upd, "data3": data3,
        "depth": np.array(5, np.int64), "vals": np.array([0.0, 2.0], np.float32),
    }
    del idx
    check(build(nodes, inputs, ["g0", "g1", "ge", "gnd", "se", "oh", "tri", "d2s", "s2d"], inits), inputs)


def test_constants():
    inits = {"c": randn(2, 3)}
    nodes = [
        helper.make_node("ConstantOfShape", ["shp"], ["cos"], value=numpy_helper.from_array(np.array([3], np.int32))),
        helper.make_node("Constant", [], ["k"], value=numpy_helper.from_array(randn(2, 3))),
        helper.make_node("Add", ["c", "k"], ["ck"]),
        helper.make_node("Range", ["r0", "r1", "r2"], ["range"]),
        helper.make_node("Add", ["x", "ck"], ["out"]),
    ]
    inits.update({
        "shp": np.array([2, 2], np.int64),
        "r0": np.array(1, np.int64), "r1": np.array(10, np.int64), "r2": np.array(3, np.int64),
    })
    x = randn(2, 3)
    check(build(nodes, {"x": x}, ["cos", "range", "out"], inits), {"x": x})


def test_unsupported_op_error_names_node():
    x = randn(3, 3)
    m = build([helper.make_node("NonZero", ["x"], ["y"], name="my_nonzero")], {"x": x}, ["y"])
    with pytest.raises(Exception, match=r"my_nonzero.*NonZero"):
        mlopt.compile(onnx.shape_inference.infer_shapes(m))


def test_misc_resize_topk_quantize_loss():
    x = randn(1, 2, 3, 4)
    scores = randn(3, 5)
    labels = np.array([0, 4, 2], np.int64)
    inits = {
        "sc_lin": np.array([1, 1, 2.0, 1.5], np.float32),
        "sc_near": np.array([1, 1, 0.5, 2.0], np.float32),
        "sizes": np.array([1, 2, 5, 3], np.int64),
        "k": np.array([2], np.int64),
        "qs": np.array(0.05, np.float32),
        "qz": np.array(128, np.uint8),
        "rms_s": randn(4),
        "cax": np.array(1, np.int64),
    }
    nodes = [
        helper.make_node("Resize", ["x", "", "sc_lin"], ["rs_lin"], mode="linear"),
        helper.make_node("Resize", ["x", "", "sc_near"], ["rs_near"], mode="nearest", coordinate_transformation_mode="asymmetric"),
        helper.make_node("Resize", ["x", "", "", "sizes"], ["rs_cubic"], mode="cubic"),
        helper.make_node("TopK", ["x", "k"], ["tk_v", "tk_i"], axis=-1),
        helper.make_node("TopK", ["x", "k"], ["tk_v2", "tk_i2"], axis=2, largest=0),
        helper.make_node("QuantizeLinear", ["x", "qs", "qz"], ["q"]),
        helper.make_node("DequantizeLinear", ["q", "qs", "qz"], ["dq"]),
        helper.make_node("SoftmaxCrossEntropyLoss", ["scores", "labels"], ["sce"]),
        helper.make_node("NegativeLogLikelihoodLoss", ["scores", "labels"], ["nll"], reduction="sum", ignore_index=4),
        helper.make_node("CumSum", ["x", "cax"], ["cs"], exclusive=1),
        helper.make_node("MaxPool", ["x"], ["mp", "mp_i"], kernel_shape=[2, 2]),
    ]
    inputs = {"x": x, "scores": scores, "labels": labels}
    outs = ["rs_lin", "rs_near", "rs_cubic", "tk_v", "tk_i", "tk_v2", "tk_i2", "q", "dq", "sce", "nll", "cs", "mp", "mp_i"]
    check(build(nodes, inputs, outs, inits), inputs)


def test_recurrent():
    S, B, I, H = 2, 2, 3, 2
    x = randn(S, B, I)
    inits = {
        "w_rnn": randn(2, H, I), "r_rnn": randn(2, H, H), "b_rnn": randn(2, 2 * H),
        "w_gru": randn(1, 3 * H, I), "r_gru": randn(1, 3 * H, H), "b_gru": randn(1, 6 * H),
        "w_lstm": randn(1, 4 * H, I), "r_lstm": randn(1, 4 * H, H), "b_lstm": randn(1, 8 * H),
        "p_lstm": randn(1, 3 * H),
    }
    lens = np.array([2, 1], np.int32)
    nodes = [
        helper.make_node("RNN", ["x", "w_rnn", "r_rnn", "b_rnn"], ["rnn_y", "rnn_h"], hidden_size=H, direction="bidirectional"),
        helper.make_node("GRU", ["x", "w_gru", "r_gru", "b_gru"], ["gru_y", "gru_h"], hidden_size=H, linear_before_reset=1),
        helper.make_node(
            "LSTM", ["x", "w_lstm", "r_lstm", "b_lstm", "lens", "", "", "p_lstm"], ["lstm_y", "lstm_h", "lstm_c"], hidden_size=H
        ),
    ]
    inputs = {"x": x, "lens": lens}
    outs = ["rnn_y", "rnn_h", "gru_y", "gru_h", "lstm_y", "lstm_h", "lstm_c"]
    check(build(nodes, inputs, outs, inits), inputs)


def test_sampling_and_quantized_ops():
    x = randn(1, 2, 4, 4)
    grid = rng.uniform(-1.2, 1.2, (1, 3, 2, 2)).astype(np.float32)
    theta = randn(1, 2, 3)
    qa = rng.integers(0, 255, (2, 3)).astype(np.uint8)
    qb = rng.integers(0, 255, (3, 2)).astype(np.uint8)
    inits = {
        "size": np.array([1, 2, 3, 5], np.int64),
        "as": np.array(0.02, np.float32), "az": np.array(100, np.uint8),
        "bs": np.array(0.03, np.float32), "bz": np.array(120, np.uint8),
        "ys": np.array(0.5, np.float32), "yz": np.array(10, np.uint8),
    }
    nodes = [
        helper.make_node("GridSample", ["x", "grid"], ["gs_lin"], mode="linear", padding_mode="zeros"),
        helper.make_node("GridSample", ["x", "grid"], ["gs_near"], mode="nearest", padding_mode="reflection", align_corners=1),
        helper.make_node("GridSample", ["x", "grid"], ["gs_border"], mode="linear", padding_mode="border"),
        helper.make_node("AffineGrid", ["theta", "size"], ["ag"], align_corners=0),
        helper.make_node("MaxPool", ["x"], ["mp", "mp_i"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("MaxUnpool", ["mp", "mp_i"], ["unpool"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("QLinearMatMul", ["qa", "as", "az", "qb", "bs", "bz", "ys", "yz"], ["qmm"]),
    ]
    inputs = {"x": x, "grid": grid, "theta": theta, "qa": qa, "qb": qb}
    outs = ["gs_lin", "gs_near", "gs_border", "ag", "unpool", "qmm"]
    model = build(nodes, inputs, outs, inits)
    check(model, inputs)

"""``onnx-quantized-to-integer`` end to end: quantized Conv / MatMul / Gemm
models compile to the integer form (exact in f32 where the pass proves it, as
two exact f32 sums of split weights, or ConvInteger / MatMulInteger) and give exactly -- bit for bit --
onnxruntime's integer semantics: int32 sums, ``float(acc) * (x_scale *
w_scale / y_scale)``, rounding half to even, zero point, saturation. The
reference is that formula evaluated in numpy with int64 sums (and
onnxruntime itself where its x86 kernels are exact: 7-bit weights)."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import onnxruntime as ort  # noqa: E402  (the test extra installs it)
import mlopt  # noqa: E402
from mlopt.passes.pipelines import ONNX_OPT  # noqa: E402

rng = np.random.default_rng(11)


def conv_int64(x: np.ndarray, w: np.ndarray, stride: int, pad: int, group: int) -> np.ndarray:
    """Direct NCHW convolution in int64."""
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, m, oh, ow), np.int64)
    mg = m // group
    for g in range(group):
        xs = xp[:, g * cg : (g + 1) * cg]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i : i + stride * oh : stride, j : j + stride * ow : stride]
                out[:, g * mg : (g + 1) * mg] += np.einsum("nchw,mc->nmhw", patch, w[g * mg : (g + 1) * mg, :, i, j])
    return out


def requantize(acc: np.ndarray, mult: np.ndarray, zp: int, dtype) -> np.ndarray:
    info = np.iinfo(dtype)
    f = acc.astype(np.float32) * mult.astype(np.float32)
    return np.clip(np.rint(f) + zp, info.min, info.max).astype(dtype)


def qdq_conv_model(xq, xs, xz, wq, ws, wz, bq, ys, yz, stride, pad, group):
    inits = {"xs": np.float32(xs), "xz": xz, "wq": wq, "ws": ws, "wz": wz, "bq": bq,
             "bs": (np.float32(xs) * ws).astype(np.float32), "ys": np.float32(ys), "yz": yz}  # fmt: skip
    nodes = [
        helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["x"]),
        helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["w"], axis=0),
        helper.make_node("DequantizeLinear", ["bq", "bs"], ["b"], axis=0),
        helper.make_node("Conv", ["x", "w", "b"], ["y"], strides=[stride] * 2, pads=[pad] * 4, group=group),
        helper.make_node("QuantizeLinear", ["y", "ys", "yz"], ["yq"]),
    ]
    g = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("xq", TensorProto.UINT8, xq.shape)],
        [helper.make_tensor_value_info("yq", TensorProto.UINT8, None)],
        initializer=[numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()],
    )  # fmt: skip
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return onnx.shape_inference.infer_shapes(m)


def integer_ops(model) -> set[str]:
    module = mlopt.run_pipeline(mlopt.import_onnx(model), ONNX_OPT)
    module.verify()  # (a Conv built without its NoValue bias did not)
    return {op.name for op in module.walk()} & {"onnx.Conv", "onnx.ConvInteger", "onnx.MatMul", "onnx.MatMulInteger"}


@pytest.mark.parametrize(
    "c,m,k,stride,pad,group,w_bits,path",
    [
        (7, 17, 3, 1, 1, 1, 7, "f32"),  # small sums: exact in f32
        (16, 8, 3, 2, 0, 2, 7, "f32"),  # strided, grouped
        (17, 7, 1, 1, 0, 1, 7, "f32"),  # 1x1
        (256, 5, 3, 1, 1, 1, 8, "split"),  # 255 * 127 * 2304 >= 2^24: 16 * hi + lo
        (20000, 3, 1, 1, 0, 1, 8, "int32"),  # 131 * 8 * 20000 >= 2^24 even split
    ],
)
def test_qdq_conv_is_bit_exact(c, m, k, stride, pad, group, w_bits, path):
    h, w_ = (9, 13) if c < 1000 else (2, 3)
    xq = rng.integers(0, 256, (1, c, h, w_)).astype(np.uint8)
    lim = 2 ** (w_bits - 1) - 1
    wq = rng.integers(-lim, lim + 1, (m, c // group, k, k)).astype(np.int8)
    if path != "f32":
        wq[:] = np.where(wq >= 0, 127, -127)  # the largest sums
    ws = rng.uniform(0.001, 0.01, m).astype(np.float32)
    wz = np.zeros(m, np.int8)
    bq = rng.integers(-5000, 5000, m).astype(np.int32)
    xs, xz, ys, yz = 0.02, np.uint8(131), 0.05, np.uint8(120)
    if path == "int32":
        ys = 50.0  # (sums of up to 2.7e8)
    model = qdq_conv_model(xq, xs, xz, wq, ws, wz, bq, ys, yz, stride, pad, group)
    ops = integer_ops(model)
    assert ops == ({"onnx.ConvInteger"} if path == "int32" else {"onnx.Conv"}), ops
    acc = conv_int64(xq.astype(np.int64) - int(xz), wq.astype(np.int64), stride, pad, group) + bq.reshape(1, -1, 1, 1)
    mult = (np.float32(xs) * ws) / np.float32(ys)
    expected = requantize(acc, mult.reshape(1, -1, 1, 1), int(yz), np.uint8)
    assert len(np.unique(expected)) > 3, "a saturated reference"
    got = np.asarray(mlopt.compile(model)(xq=xq))
    got = got[0] if got.ndim == expected.ndim + 1 else got
    np.testing.assert_array_equal(got, expected)
    if w_bits == 7:  # onnxruntime's u8s8 kernels are exact on any x86 for 7-bit weights
        ref = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"xq": xq})[0]
        np.testing.assert_array_equal(got, ref)


def test_dynamic_matmul_integer_exact_in_f32():
    """The dynamic format's DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul,
    on odd sizes, negative inputs and a non-contiguous (transposed) input."""
    x = rng.standard_normal((17, 7)).astype(np.float32).T.copy()  # (7, 17)
    w = rng.integers(0, 256, (17, 1000)).astype(np.uint8)
    nodes = [
        helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xz"]),
        helper.make_node("MatMulInteger", ["xq", "w", "xz", "wz"], ["acc"]),
        helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["xs", "ws"], ["s"]),
        helper.make_node("Mul", ["accf", "s"], ["y"]),
    ]
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(np.uint8(77), "wz"),
             numpy_helper.from_array(np.float32(0.01), "ws")]  # fmt: skip
    g = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, (7, 1000))], initializer=inits,
    )  # fmt: skip
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    assert integer_ops(model) == {"onnx.MatMul"}
    ref = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    xt = np.asfortranarray(x)  # the same values, column-major
    got = np.asarray(mlopt.compile(model)(x=xt))
    got = got[0] if got.ndim == 3 else got
    # u8 x u8 products: onnxruntime's kernels are exact; one float rounding each
    np.testing.assert_allclose(got, ref, rtol=1e-6, atol=0)


def _byte_dot_pipeline(vnni: bool, target_cpu: str | None = None) -> str:
    """The runtime's pipeline with int8 convolutions as byte dot products
    (``integer-dot=true``), their kernels with or without ``vpdpbusd``."""
    from mlopt.backends.llvm.target import vector_shape
    from mlopt.passes.pipelines import QUANTIZED, kernels_for, sized_stages, stages_from

    sized = sized_stages(target_cpu)
    sized["onnx-opt"] = ONNX_OPT.replace(QUANTIZED, f"{QUANTIZED}{{integer-dot=true}}")
    lanes = vector_shape(target_cpu).lanes
    sized["kernels"] = kernels_for(target_cpu).replace(f"vnni={int(vector_shape(target_cpu).vnni_lanes(lanes))}", f"vnni={int(vnni)}")
    return ",".join(sized.get(name, text) for name, text in stages_from("onnx"))


def _host_vnni() -> bool:
    from mlopt.backends.llvm.target import vector_shape

    vs = vector_shape()
    return vs.vnni_lanes(vs.lanes)


BYTE_DOT_KERNELS = [
    pytest.param(False, None, id="widening"),  # mlopt.dot4 expanded (vpmaddwd): any x86-64
    pytest.param(False, "x86-64", id="widening-sse"),
    pytest.param(
        True, None, id="vnni",
        marks=pytest.mark.skipif(not _host_vnni(), reason="this CPU has no AVX512-VNNI / AVX-VNNI"),
    ),
]  # fmt: skip


@pytest.mark.parametrize("vnni,target", BYTE_DOT_KERNELS)
@pytest.mark.parametrize(
    "c,m,k,stride,pad,hw,act",
    [
        (3, 64, 3, 2, 0, (17, 23), "u8"),  # 3 channels (padded to 4), strided: a first layer
        (7, 17, 3, 1, 1, (9, 13), "s8"),  # int8 activations (shifted to uint8), odd sizes
        (17, 33, 1, 1, 0, (7, 7), "u8"),  # 1x1, a narrow map
        (64, 64, 3, 1, 1, (14, 14), "u8"),  # channel vectors (oc-vector layout)
        (16, 48, 3, 2, 1, (13, 13), "u8"),  # strided, padded
        (8, 5, 1, 2, 0, (11, 11), "s8"),  # strided 1x1 (subsampled), few output channels
        (64, 64, 3, 2, 1, (14, 14), "u8"),  # strided channel vectors
        (128, 64, 3, 2, 1, (14, 14), "u8"),  # weights repacked into panels (of i32 words)
        (32, 64, 3, 1, 1, (7, 7), "u8"),  # a 7x7 map: flattened padded rows
        (3, 64, 7, 2, 3, (32, 32), "u8"),  # resnet's first layer
    ],
)
def test_qdq_conv_byte_dots_are_bit_exact(c, m, k, stride, pad, hw, act, vnni, target):
    """``integer-dot=true``: ConvInteger on packed bytes (``mlopt.dot4``) gives
    the exact integer result, with ``vpdpbusd`` and with its widening
    expansion, for uint8 and int8 activations and per-channel weights with a
    nonzero zero point (``w - w_zp`` still int8)."""
    dtype = np.uint8 if act == "u8" else np.int8
    info = np.iinfo(dtype)
    xq = rng.integers(info.min, info.max + 1, (1, c, *hw)).astype(dtype)
    wq = rng.integers(-100, 101, (m, c, k, k)).astype(np.int8)
    wz = rng.integers(-20, 21, m).astype(np.int8)
    ws = rng.uniform(0.001, 0.01, m).astype(np.float32)
    bq = rng.integers(-5000, 5000, m).astype(np.int32)
    xs, ys = 0.02, 0.2
    xz = dtype(131 if act == "u8" else -7)
    yz = np.uint8(120)
    model = qdq_conv_model(xq, xs, xz, wq, ws, wz, bq, ys, yz, stride, pad, 1)
    model.graph.input[0].type.tensor_type.elem_type = TensorProto.UINT8 if act == "u8" else TensorProto.INT8
    shifted_w = wq.astype(np.int64) - wz.astype(np.int64).reshape(-1, 1, 1, 1)
    acc = conv_int64(xq.astype(np.int64) - int(xz), shifted_w, stride, pad, 1) + bq.reshape(1, -1, 1, 1)
    mult = (np.float32(xs) * ws) / np.float32(ys)
    expected = requantize(acc, mult.reshape(1, -1, 1, 1), int(yz), np.uint8)
    assert len(np.unique(expected)) > 10, "a saturated reference"
    pipeline = _byte_dot_pipeline(vnni, target)
    module = mlopt.run_pipeline(mlopt.import_onnx(model), pipeline.split(",convert-onnx-to-tensor")[0])
    assert "onnx.ConvInteger" in {op.name for op in module.walk()}
    compiled = mlopt.compile(model, pipeline=pipeline, target_cpu=target)
    got = np.asarray(compiled(xq=xq))
    got = got[0] if got.ndim == expected.ndim + 1 else got
    np.testing.assert_array_equal(got, expected)


def test_integer_dot_is_set_for_vnni_targets():
    """The runtime asks for byte dot products exactly where the target has VNNI."""
    from mlopt.passes.pipelines import sized_stages

    assert "integer-dot=true" in sized_stages("icelake-server")["onnx-opt"]
    assert "integer-dot=true" in sized_stages("alderlake")["onnx-opt"]
    assert "onnx-opt" not in sized_stages("skylake-avx512")
    assert "onnx-opt" not in sized_stages("haswell")

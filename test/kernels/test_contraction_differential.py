"""Differential tests of linalg-contraction-to-vector: compiled contractions
(MatMul, Gemm, batched MatMul, Conv forms, with fused bias/activation/residual
epilogues) against onnxruntime, at odd sizes, negative values and for several
vector widths (the generic x86-64 4-lane kernel, AVX2's 8 lanes and the host's)."""

from __future__ import annotations

import llvmlite.binding as llvm
import numpy as np
import onnxruntime as ort
import pytest
from onnx import helper
from onnx_models import float_model

import mlopt
from mlopt.backends.llvm.target import from_features, vector_shape

llvm.initialize_native_target()
_HOST = from_features(llvm.get_host_cpu_features().flatten())
# CPU names whose kernels differ in width; only those this machine can run.
TARGETS = [None, "x86-64"] + (["haswell"] if _HOST.lanes >= 8 else [])


def _ort(model, feeds):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def _check(model, feeds, target, rtol=1e-4, atol=1e-4):
    compiled = mlopt.compile(model, target_cpu=target)
    got = compiled(**feeds)
    want = _ort(model, feeds)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)
    return compiled


def _rand(rng, *shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("m,k,n", [(1, 64, 1000), (7, 17, 33), (17, 96, 7), (64, 64, 64), (5, 300, 97)])
def test_matmul(target, m, k, n):
    rng = np.random.default_rng(m * 1000 + n)
    x, w = _rand(rng, m, k), _rand(rng, k, n, scale=0.1)
    model = float_model([helper.make_node("MatMul", ["x", "w"], ["y"])], {"x": x}, ["y"], {"w": w})
    _check(model, {"x": x}, target)


@pytest.mark.parametrize("target", TARGETS)
def test_matmul_two_inputs_non_contiguous(target):
    """Both operands are inputs; the second is passed as a transposed view."""
    rng = np.random.default_rng(1)
    a = _rand(rng, 19, 40)
    b = _rand(rng, 23, 40).T  # (40, 23), not C-contiguous
    model = float_model([helper.make_node("MatMul", ["a", "b"], ["y"])], {"a": a, "b": b}, ["y"])
    _check(model, {"a": a, "b": b}, target)


@pytest.mark.parametrize("target", TARGETS)
def test_batched_matmul_broadcast(target):
    """Attention-style batched MatMul with a broadcast batch dimension."""
    rng = np.random.default_rng(2)
    q = _rand(rng, 2, 3, 9, 16)
    kt = _rand(rng, 1, 3, 16, 21)
    model = float_model([helper.make_node("MatMul", ["q", "k"], ["y"])], {"q": q, "k": kt}, ["y"])
    _check(model, {"q": q, "k": kt}, target)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("trans_a,trans_b", [(0, 0), (1, 0), (0, 1), (1, 1)])
def test_gemm_bias_relu(target, trans_a, trans_b):
    rng = np.random.default_rng(3 + 2 * trans_a + trans_b)
    m, k, n = 13, 70, 45
    a = _rand(rng, *((k, m) if trans_a else (m, k)))
    b = _rand(rng, *((n, k) if trans_b else (k, n)), scale=0.2)
    c = _rand(rng, n)
    nodes = [
        helper.make_node("Gemm", ["a", "b", "c"], ["t"], transA=trans_a, transB=trans_b, alpha=0.7, beta=1.3),
        helper.make_node("Relu", ["t"], ["y"]),
    ]
    model = float_model(nodes, {"a": a}, ["y"], {"b": b, "c": c})
    _check(model, {"a": a}, target)


_CONVS = {
    "3x3_pad": dict(c=5, f=19, hw=(17, 23), k=3, pads=[1, 1, 1, 1]),
    "3x3_valid": dict(c=8, f=16, hw=(9, 40), k=3),
    "1x1": dict(c=32, f=24, hw=(7, 7), k=1),
    "5x5_asym_pad": dict(c=3, f=7, hw=(20, 18), k=5, pads=[2, 0, 1, 3]),
    "dilated": dict(c=4, f=13, hw=(21, 21), k=3, dilations=[2, 2], pads=[2, 2, 2, 2]),
    "grouped": dict(c=8, f=12, hw=(15, 19), k=3, group=4, pads=[1, 1, 1, 1]),
    "depthwise": dict(c=16, f=16, hw=(14, 33), k=3, group=16, pads=[1, 1, 1, 1]),
    "strided": dict(c=6, f=10, hw=(19, 19), k=3, strides=[2, 2]),
    "strided_1x1": dict(c=8, f=20, hw=(14, 14), k=1, strides=[2, 2]),
    "strided_7x7_pad": dict(c=3, f=8, hw=(37, 45), k=7, strides=[2, 2], pads=[3, 3, 3, 3]),
    "stride3_asym": dict(c=4, f=6, hw=(16, 29), k=3, strides=[1, 3], pads=[0, 1, 1, 0]),
    "1d": dict(c=6, f=9, hw=(50,), k=5, pads=[2, 2]),
    # narrow maps: computed over the padded input's flattened rows
    "7x7_map": dict(c=24, f=20, hw=(7, 7), k=3, pads=[1, 1, 1, 1]),
    "5x6_map_dilated": dict(c=5, f=7, hw=(9, 10), k=3, dilations=[2, 2]),
    "4x4_map_asym_pad": dict(c=3, f=5, hw=(4, 5), k=2, pads=[1, 0, 0, 1]),
    # vectors along the output channels (a narrow or strided map, constant
    # weights, channels a multiple of 16): flattened output positions, the
    # input row and column by floordiv/mod
    "oc_7x7_map": dict(c=40, f=112, hw=(7, 7), k=3, pads=[1, 1, 1, 1]),
    "oc_strided": dict(c=24, f=64, hw=(15, 17), k=3, strides=[2, 2], pads=[1, 1, 1, 1]),
    "oc_dilated_asym": dict(c=16, f=64, hw=(13, 11), k=3, dilations=[2, 1], pads=[2, 1, 1, 0]),
    "oc_rect_kernel_stride3": dict(c=20, f=80, hw=(12, 29), k=(3, 5), strides=[3, 2]),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", sorted(_CONVS))
def test_conv_bias_relu(target, case):
    p = dict(_CONVS[case])
    c, f, hw, k = p.pop("c"), p.pop("f"), p.pop("hw"), p.pop("k")
    group = p.get("group", 1)
    rng = np.random.default_rng(sum(map(ord, case)))
    x = _rand(rng, 2, c, *hw)
    ks = k if isinstance(k, tuple) else (k,) * len(hw)
    w = _rand(rng, f, c // group, *ks, scale=0.3)
    b = _rand(rng, f)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["t"], **p),
        helper.make_node("Relu", ["t"], ["y"]),
    ]
    model = float_model(nodes, {"x": x}, ["y"], {"w": w, "b": b})
    _check(model, {"x": x}, target)


@pytest.mark.parametrize("target", TARGETS)
def test_conv_batchnorm_residual_clip(target):
    """Conv -> BatchNormalization -> Add(residual) -> Clip: BN folds into the
    weights and bias, the residual Add and the Clip are fused epilogues."""
    rng = np.random.default_rng(7)
    c, hw = 12, 11
    x = _rand(rng, 1, c, hw, hw)
    w = _rand(rng, c, c, 3, 3, scale=0.2)
    scale, bias = _rand(rng, c), _rand(rng, c)
    mean, var = _rand(rng, c), (rng.random(c) + 0.5).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["t"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["t", "s", "b", "m", "v"], ["u"]),
        helper.make_node("Add", ["u", "x"], ["r"]),
        helper.make_node("Clip", ["r", "lo", "hi"], ["y"]),
    ]
    inits = {"w": w, "s": scale, "b": bias, "m": mean, "v": var,
             "lo": np.array(-0.5, np.float32), "hi": np.array(2.0, np.float32)}  # fmt: skip
    model = float_model(nodes, {"x": x}, ["y"], inits)
    _check(model, {"x": x}, target)


@pytest.mark.parametrize("target", TARGETS)
def test_conv_oc_vectors_no_bias_residual(target):
    """A narrow-map convolution vectorised along its output channels, no bias
    (the accumulators start at zero), then BatchNormalization, a residual Add
    and Relu (fused with the transposing copy back to NCHW)."""
    rng = np.random.default_rng(11)
    c, hw = 64, 9
    x = _rand(rng, 1, c, hw, hw)
    w = _rand(rng, c, c, 3, 3, scale=0.1)
    scale, bias = _rand(rng, c), _rand(rng, c)
    mean, var = _rand(rng, c), (rng.random(c) + 0.5).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["t"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["t", "s", "b", "m", "v"], ["u"]),
        helper.make_node("Add", ["u", "x"], ["r"]),
        helper.make_node("Relu", ["r"], ["y"]),
    ]
    inits = {"w": w, "s": scale, "b": bias, "m": mean, "v": var}
    model = float_model(nodes, {"x": x}, ["y"], inits)
    _check(model, {"x": x}, target)


def test_kernels_stage_is_sized_for_the_target():
    """The runtime's kernels stage uses the target CPU's vector shape."""
    from mlopt.passes.pipelines import kernels_for

    assert kernels_for("x86-64") == (
        "kernel-select-tiles{vector-width=4 registers=16},kernel-pack-weights,"
        "linalg-contraction-to-vector{vector-width=4 registers=16 vnni=0}"
    )
    assert kernels_for("haswell").endswith("linalg-contraction-to-vector{vector-width=8 registers=16 vnni=0}")
    assert kernels_for("skylake-avx512").endswith("{vector-width=16 registers=32 vnni=0}")
    assert kernels_for("skylake-avx512", 2).endswith("{vector-width=16 registers=32 vnni=0 threads=2}")
    assert kernels_for("icelake-server").endswith("{vector-width=16 registers=32 vnni=1}")
    assert kernels_for("alderlake").endswith("{vector-width=8 registers=16 vnni=1}")
    assert vector_shape(None) == _HOST


_POOLS = {
    "max_3x3_s2": ("MaxPool", dict(kernel_shape=[3, 3], strides=[2, 2]), (2, 8, 33, 35)),
    "max_2x2_s2_pad": ("MaxPool", dict(kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1]), (1, 5, 17, 17)),
    "max_3x3_s1_pad": ("MaxPool", dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1]), (1, 6, 19, 40)),
    "avg_3x3_s1": ("AveragePool", dict(kernel_shape=[3, 3], strides=[1, 1]), (1, 7, 30, 31)),
    "avg_2x2_s2_pad": ("AveragePool", dict(kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1]), (1, 9, 24, 24)),
    "max_1d_s3": ("MaxPool", dict(kernel_shape=[4], strides=[3]), (3, 4, 101)),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", sorted(_POOLS))
def test_pooling(target, case):
    """Window reductions (max, average) run as vector kernels too."""
    op, attrs, shape = _POOLS[case]
    rng = np.random.default_rng(sum(map(ord, case)))
    x = _rand(rng, *shape)
    model = float_model([helper.make_node(op, ["x"], ["y"], **attrs)], {"x": x}, ["y"], opset=22)
    _check(model, {"x": x}, target, rtol=1e-5, atol=1e-6)

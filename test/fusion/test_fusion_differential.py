"""Differential tests of linalg-fuse-elementwise (and the tensor-opt stage).

Each small ONNX model is lowered to the affine level twice, with and without
the pass, JIT-compiled, run on the same inputs and compared with each other
and with onnxruntime (rtol 1e-3, atol 1e-4). The IR is checked too, so a
pass that silently stops fusing fails here.
"""

from __future__ import annotations

import numpy as np
from onnx import helper, numpy_helper

import onnxruntime as ort  # noqa: E402  (the test extra installs it)

from mlopt import make_context, run_pipeline  # noqa: E402
from mlopt.backends.runtime import compile_model  # noqa: E402
from mlopt.frontends.onnx import import_model  # noqa: E402
from onnx_models import float_model as _model  # noqa: E402

FRONT = "onnx-shape-inference,onnx-constant-fold,onnx-canonicalize,convert-onnx-to-tensor"
BACK = "bufferize,convert-linalg-to-affine"


def _lower(model, passes: str):
    module = import_model(model)
    ctx = make_context()
    run_pipeline(module, FRONT + ("," + passes if passes else ""), ctx)
    n_generic = sum(1 for op in module.walk() if op.name == "linalg.generic")
    run_pipeline(module, BACK, ctx)
    return module, n_generic


def _run(module, inputs):
    return compile_model(module)(*inputs.values())


def check(model, inputs, passes="linalg-fuse-elementwise"):
    """Outputs with and without ``passes`` agree with onnxruntime; generic counts."""
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    ref = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, inputs)
    base, n_base = _lower(model, "")
    opt, n_opt = _lower(model, passes)
    got_base = _run(base, inputs)
    got_opt = _run(opt, inputs)
    for r, b, o in zip(ref, got_base, got_opt, strict=True):
        np.testing.assert_allclose(b, r, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(o, r, rtol=1e-3, atol=1e-4)
    return n_base, n_opt


def rnd(*shape, seed=0):
    return np.random.default_rng(seed + len(shape)).standard_normal(shape).astype(np.float32)


def test_elementwise_chain_with_broadcast_and_reuse():
    x, z, b = rnd(3, 5, 7), rnd(3, 5, 7, seed=1), rnd(7, seed=2)
    m = _model(
        [
            helper.make_node("Add", ["x", "z"], ["a"]),
            helper.make_node("Mul", ["a", "x"], ["m"]),
            helper.make_node("Add", ["m", "b"], ["c"]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node("Tanh", ["r"], ["y"]),
        ],
        {"x": x, "z": z}, ["y"], {"b": b},
    )
    n_base, n_opt = check(m, {"x": x, "z": z})
    assert n_base == 5 and n_opt == 1


def test_multiple_uses_keep_producer():
    x = rnd(4, 6)
    m = _model(
        [
            helper.make_node("Exp", ["x"], ["e"]),
            helper.make_node("Neg", ["e"], ["y1"]),
            helper.make_node("Sqrt", ["e"], ["s"]),
            helper.make_node("Sigmoid", ["s"], ["y2"]),
        ],
        {"x": x}, ["y1", "y2"],
    )
    n_base, n_opt = check(m, {"x": x})
    # Exp stays (two uses); Sqrt fuses into Sigmoid.
    assert n_base - n_opt == 1


def test_matmul_add_relu_and_transpose():
    x, w, b = rnd(6, 8), rnd(8, 5, seed=3), rnd(5, seed=4)
    m = _model(
        [
            helper.make_node("MatMul", ["x", "w"], ["t"]),
            helper.make_node("Add", ["t", "b"], ["u"]),
            helper.make_node("Relu", ["u"], ["r"]),
            helper.make_node("Transpose", ["r"], ["p"], perm=[1, 0]),
            helper.make_node("Sigmoid", ["p"], ["y"]),
        ],
        {"x": x}, ["y"], {"w": w, "b": b},
    )
    n_base, n_opt = check(m, {"x": x}, "linalg-fuse-elementwise,linalg-interchange")
    assert n_opt < n_base


def test_reduction_consumer_and_softmax():
    x = rnd(4, 9)
    m = _model(
        [
            helper.make_node("Mul", ["x", "x"], ["sq"]),
            helper.make_node("ReduceSum", ["sq", "axes"], ["s"], keepdims=1),
            helper.make_node("Softmax", ["x"], ["sm"], axis=1),
            helper.make_node("Add", ["sm", "s"], ["y"]),
        ],
        {"x": x}, ["y"], {"axes": np.array([1])},
    )
    # axes is int64: rebuild that initializer with its real type
    m.graph.initializer[0].CopyFrom(numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"))
    n_base, n_opt = check(m, {"x": x})
    assert n_opt < n_base


def test_conv_bias_relu_pipeline():
    x, w, b = rnd(1, 3, 9, 9), rnd(4, 3, 3, 3, seed=5), rnd(4, seed=6)
    m = _model(
        [
            helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2]),
            helper.make_node("Relu", ["c"], ["r"]),
            helper.make_node("Mul", ["r", "r"], ["y"]),
        ],
        {"x": x}, ["y"], {"w": w, "b": b},
    )
    n_base, n_opt = check(m, {"x": x}, "linalg-fuse-elementwise,linalg-interchange")
    assert n_opt == n_base - 1


def test_compiled_model_default_pipeline_matches_onnxruntime():
    """mlopt.compile (which runs the tensor-opt stage) on a small MLP."""
    import mlopt

    x, w1, w2 = rnd(5, 16), rnd(16, 12, seed=7), rnd(10, 12, seed=8)
    m = _model(
        [
            helper.make_node("MatMul", ["x", "w1"], ["h"]),
            helper.make_node("Relu", ["h"], ["r"]),
            helper.make_node("Gemm", ["r", "w2"], ["g"], transB=1),
            helper.make_node("Softmax", ["g"], ["y"], axis=1),
        ],
        {"x": x}, ["y"], {"w1": w1, "w2": w2},
    )
    ref = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})
    got = mlopt.compile(m)(x)
    np.testing.assert_allclose(got[0], ref[0], rtol=1e-3, atol=1e-4)

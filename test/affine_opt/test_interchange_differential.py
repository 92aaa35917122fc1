"""Differential tests of linalg-collapse-dims, linalg-interchange and fp-contract.

Small ONNX models are lowered with and without the passes, JIT-compiled and
run on the same inputs; both must match onnxruntime (rtol 1e-3, atol 1e-4).
Without fp-contract, collapse + interchange must give bit-identical results
(the same elements, the reduction order per output element unchanged).
"""

from __future__ import annotations

import numpy as np
import pytest
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
    iters = [
        [it.data.value for it in op.iterator_types.data]
        for op in module.walk()
        if op.name == "linalg.generic"
    ]
    run_pipeline(module, BACK, ctx)
    return module, iters


def check(model, inputs):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    ref = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, inputs)
    results = {}
    iters = {}
    for key, passes in (
        ("base", ""),
        ("ic", "linalg-collapse-dims,linalg-interchange"),
        ("all", "linalg-fuse-elementwise,linalg-collapse-dims,linalg-interchange,fp-contract"),
    ):
        module, iters[key] = _lower(model, passes)
        results[key] = compile_model(module)(*inputs.values())
    for i, r in enumerate(ref):
        np.testing.assert_allclose(results["all"][i], r, rtol=1e-3, atol=1e-4)
        np.testing.assert_allclose(results["base"][i], r, rtol=1e-3, atol=1e-4)
        np.testing.assert_array_equal(results["ic"][i], results["base"][i])
    return iters["base"], iters["all"]


def rnd(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def test_matmul_and_batched_matmul():
    x, w, y = rnd(5, 40), rnd(40, 24, seed=1), rnd(3, 24, 20, seed=2)
    m = _model(
        [helper.make_node("MatMul", ["x", "w"], ["t"]), helper.make_node("MatMul", ["t3", "y"], ["z"]),
         helper.make_node("Reshape", ["t", "shape"], ["t3"])],
        {"x": x, "y": y}, ["z"], {"w": w},
    )
    m.graph.node.insert(1, m.graph.node.pop(2))
    m.graph.initializer.append(numpy_helper.from_array(np.array([1, 5, 24], dtype=np.int64), "shape"))
    base, opt = check(m, {"x": x, "y": y})
    assert ["parallel", "parallel", "reduction"] in base
    assert ["parallel", "reduction", "parallel"] in opt


def test_gemm_trans_b_constant_weights():
    x, w, b = rnd(6, 33), rnd(10, 33, seed=3), rnd(10, seed=4)
    m = _model([helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1, alpha=0.5)], {"x": x}, ["y"], {"w": w, "b": b})
    base, opt = check(m, {"x": x})
    assert opt[-1] == ["parallel", "reduction", "parallel"]


@pytest.mark.parametrize(
    "c,kernel,strides,pads,group",
    [(4, 3, 1, 1, 1), (4, 3, 2, 1, 1), (3, 7, 2, 3, 1), (20, 1, 1, 0, 1), (8, 3, 1, 1, 4)],
)
def test_conv(c, kernel, strides, pads, group):
    f = 8
    x, w, b = rnd(1, c, 15, 15), rnd(f, c // group, kernel, kernel, seed=5), rnd(f, seed=6)
    m = _model(
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[pads] * 4, strides=[strides] * 2, group=group)],
        {"x": x}, ["y"], {"w": w, "b": b},
    )
    base, opt = check(m, {"x": x})
    assert base != opt  # the conv nest was reordered


def test_reductions_left_alone():
    x = rnd(4, 6, 5)
    m = _model(
        [
            helper.make_node("ReduceSum", ["x", "a1"], ["s"], keepdims=0),
            helper.make_node("Softmax", ["x"], ["y"], axis=-1),
        ],
        {"x": x}, ["s", "y"], {},
    )
    m.graph.initializer.append(numpy_helper.from_array(np.array([2], dtype=np.int64), "a1"))
    base, opt = check(m, {"x": x})
    # reductions over the innermost axis stay innermost
    assert [it[-1] for it in opt if "reduction" in it] == [it[-1] for it in base if "reduction" in it]


def test_collapse_elementwise_and_index_users():
    x, b = rnd(1, 3, 5, 7), rnd(3, 1, 1, seed=7)
    m = _model(
        [
            helper.make_node("Add", ["x", "b"], ["a"]),
            helper.make_node("Relu", ["a"], ["r"]),
            helper.make_node("Trilu", ["r"], ["t"], upper=1),  # reads linalg.index of H, W
            helper.make_node("ReduceSum", ["r", "axes"], ["y"], keepdims=1),
        ],
        {"x": x}, ["t", "y"], {"b": b},
    )
    m.graph.initializer.append(numpy_helper.from_array(np.array([2, 3], dtype=np.int64), "axes"))
    base, opt = check(m, {"x": x})
    # the broadcast Add (+Relu) became a 2-d nest (C, H*W) without the unit N loop
    assert ["parallel", "parallel"] in opt and len(base[0]) == 4

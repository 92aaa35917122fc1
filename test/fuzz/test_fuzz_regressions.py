"""Bugs the differential fuzzer found, each reduced to a small graph and checked
against onnxruntime through ``mlopt.backend`` (inputs and outputs next to
guard pages, as in the fuzzer). Every case here failed before its fix."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import fuzz_guard
import graphgen
import mlopt.backend as backend

F = TensorProto.FLOAT


def _model(nodes, inputs, outputs, inits=(), opset=18):
    g = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, F, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, F, s) for n, s in outputs],
        initializer=[numpy_helper.from_array(np.asarray(v), n) for n, v in inits],
    )
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def _check(model, feeds):
    so = ort.SessionOptions()
    so.log_severity_level = 3
    want = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"]).run(None, feeds)
    rep = backend.prepare(model)
    with fuzz_guard.guard_outputs():
        got = rep.run({k: fuzz_guard.guarded(v) for k, v in feeds.items()})
    diff = graphgen.compare(got, want, [o.name for o in model.graph.output])
    assert diff is None, diff
    return got


@pytest.mark.parametrize("shape", [(2, 3, 4), (5,), (1,), (3, 1, 2, 2)])
def test_flatten_every_axis(shape):
    # axis == rank is valid ONNX (output [prod, 1]); it used to be rejected
    rank = len(shape)
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    for axis in range(-rank, rank + 1):
        a = axis % rank if axis < 0 else axis
        out = (int(np.prod(shape[:a])), int(np.prod(shape[a:])))
        model = _model([helper.make_node("Flatten", ["x"], ["y"], axis=axis)], [("x", shape)], [("y", out)])
        (y,) = _check(model, {"x": x})
        assert y.shape == out


def test_broadcast_then_reduce_is_not_fused_into_unknown_loop_ranges():
    # ReduceMean (keepdims) -> ReduceL2 over the kept size-1 axis: the fused
    # generic had maps (d0) -> () only ("Non-invertible maps need dynamic shapes")
    ax = ("ax", np.array([0], np.int64))
    model = _model(
        [helper.make_node("ReduceMean", ["x", "ax"], ["t"]),
         helper.make_node("ReduceL2", ["t", "ax"], ["y"], keepdims=0)],
        [("x", (2,))], [("y", ())], [ax],
    )
    _check(model, {"x": np.array([1.5, -4.0], np.float32)})


@pytest.mark.parametrize("op", ["ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSumExp", "ReduceSum"])
def test_reduce_noop_with_empty_axes_applies_the_element_step(op):
    # used to raise TypeError for ops with a per-element step
    model = _model([helper.make_node(op, ["x", "e"], ["y"], noop_with_empty_axes=1)],
                   [("x", (2, 3))], [("y", (2, 3))], [("e", np.zeros(0, np.int64))])
    _check(model, {"x": np.array([[-2, -0.5, 0], [1, 3, -7]], np.float32)})


def test_reduce_log_sum_noop():
    model = _model([helper.make_node("ReduceLogSum", ["x", "e"], ["y"], noop_with_empty_axes=1)],
                   [("x", (3,))], [("y", (3,))], [("e", np.zeros(0, np.int64))])
    _check(model, {"x": np.array([0.5, 1.0, 4.0], np.float32)})


@pytest.mark.parametrize(
    "starts,ends,axes,steps,shape",
    [
        ([-2, 0], [1, -3], [0, 1], [1, -1], (2, 1, 4)),  # wrote past a 16-byte output
        ([0, 5], [1, -100], [0, 2], [1, -2], (3, 2, 6)),
        ([3, 1], [0, -9], [2, 0], [-2, -1], (3, 2, 5)),
        ([4, 0], [-9, 5], [2, 1], [-3, 2], (2, 7, 6)),
    ],
)
def test_slice_negative_step_with_a_cropped_axis(starts, ends, axes, steps, shape):
    # the reversing generic read x itself, so a step-1 axis's loop ran over x's
    # (larger) extent: an out-of-bounds write of the output, caught by the guard page
    inits = [("s", np.array(starts, np.int64)), ("e", np.array(ends, np.int64)),
             ("a", np.array(axes, np.int64)), ("p", np.array(steps, np.int64))]
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    want = x[tuple(
        slice(starts[axes.index(i)], ends[axes.index(i)], steps[axes.index(i)]) if i in axes else slice(None)
        for i in range(len(shape))
    )]
    model = _model([helper.make_node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
                   [("x", shape)], [("y", want.shape)], inits)
    (y,) = _check(model, {"x": x})
    np.testing.assert_array_equal(y, want)


@pytest.mark.parametrize("op", ["MaxPool", "AveragePool"])
def test_pool_ceil_mode_last_window_outside_the_input(op):
    # onnx's shape inference (opset < 22) counts a last window that starts past
    # the input (3 elements); onnxruntime and the ONNX reference give 2, and
    # mlopt rejected the model ("result has type 1x1x3 but its inferred shape is 1x1x2")
    model = _model(
        [helper.make_node(op, ["x"], ["t"], ceil_mode=1, kernel_shape=[1], strides=[2]),
         helper.make_node("Neg", ["t"], ["y"])],
        [("x", (1, 1, 4))], [("y", (1, 1, 2))],
    )
    (y,) = _check(model, {"x": np.arange(4, dtype=np.float32).reshape(1, 1, 4)})
    np.testing.assert_array_equal(y, [[[-0.0, -2.0]]])


def test_guard_page_catches_an_out_of_bounds_write():
    """The fuzzer's guard pages work: a write one element past a guarded array faults."""
    import subprocess
    import sys
    import os

    here = os.path.dirname(os.path.abspath(__file__))
    code = (
        "import ctypes, sys; sys.path.insert(0, %r); import fuzz_guard as g; "
        "a = g.guarded_empty((4,), 'float32'); a[:] = 1; "
        "ctypes.c_float.from_address(a.ctypes.data + 16).value = 2.0" % here
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert res.returncode == -11, (res.returncode, res.stderr[-500:])



@pytest.mark.parametrize("shape,pads,stride", [((7, 1, 4), [0, 1], 2), ((2, 3, 5), [0, 2], 3), ((1, 2, 5, 4), [0, 0, 1, 1], 2)])
def test_strided_1x1_conv_with_end_padding(shape, pads, stride):
    # the subsampling copy of a strided 1x1 Conv read x at o * stride past its end
    # when the last window lay in the end padding (garbage values, or a fault at
    # the guard page) instead of the padding
    r = len(shape) - 2
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal((2, shape[1], *([1] * r))).astype(np.float32)
    out = [(shape[2 + i] + pads[i] + pads[r + i] - 1) // stride + 1 for i in range(r)]
    model = _model([helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=pads, strides=[stride] * r)],
                   [("x", shape)], [("y", (shape[0], 2, *out))],
                   [("w", w), ("b", np.array([0.5, -2.0], np.float32))])
    _check(model, {"x": x})

"""JIT value specialization in the runtime: graph inputs that feed operands the
compiler needs as constants (Reduce* axes, Pad pads, Reshape shape, ...) are
compiled per value (see mlopt/backends/runtime.py)."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx.defs import onnx_opset_version

import mlopt
from mlopt.backends import runtime
from mlopt.frontends.onnx import import_model


def _model(nodes, inputs, outputs, opset=None):
    opset = opset or onnx_opset_version()  # newest: the importer needs no opset upgrade
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _reduce_sum_model(axes_type=TensorProto.INT64, cast=False):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 4, 5])
    a = helper.make_tensor_value_info("axes", axes_type, [1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = []
    axes = "axes"
    if cast:
        nodes.append(helper.make_node("Cast", ["axes"], ["axes64"], to=TensorProto.INT64))
        axes = "axes64"
    nodes.append(helper.make_node("ReduceSum", ["x", axes], ["y"], keepdims=1))
    return _model(nodes, [x, a], [y])


@pytest.fixture(scope="module")
def x():
    return np.random.default_rng(0).standard_normal((3, 4, 5)).astype(np.float32)


@pytest.fixture(scope="module")
def reduce_sum():
    return mlopt.compile(_reduce_sum_model())


def test_axes_input_is_specialised_per_value(reduce_sum, x):
    c = reduce_sum
    assert c.value_input_indices == (1,)
    assert c.num_variants == 0  # needs the value: compiled at the first call
    (r1,) = c(x, np.array([1], dtype=np.int64))
    np.testing.assert_allclose(r1, x.sum(axis=1, keepdims=True), rtol=1e-5, atol=1e-5)
    assert c.num_variants == 1
    (r2,) = c(x, np.array([2], dtype=np.int64))
    np.testing.assert_allclose(r2, x.sum(axis=2, keepdims=True), rtol=1e-5, atol=1e-5)
    assert r2.shape == (3, 4, 1)
    assert c.num_variants == 2
    assert c.compiled_signatures() == [((3, 4, 5), (1,)), ((3, 4, 5), (1,))]


def test_same_value_reuses_the_variant(reduce_sum, x):
    c = reduce_sum
    c(x, np.array([0], dtype=np.int64))
    n = c.num_variants
    calls = []
    orig = c._compile
    c._compile = lambda *a: calls.append(a) or orig(*a)  # type: ignore[method-assign]
    try:
        x2 = x * 2  # a different data value is not part of the key
        (r,) = c(x2, np.array([0], dtype=np.int64))
        np.testing.assert_allclose(r, x2.sum(axis=0, keepdims=True), rtol=1e-5, atol=1e-5)
        (r,) = c(x2, axes=np.array([0], dtype=np.int64))
    finally:
        del c._compile
    assert calls == []
    assert c.num_variants == n


def test_through_cast_and_lru_cap(x):
    c = mlopt.compile(_reduce_sum_model(TensorProto.INT32, cast=True))
    assert c.value_input_indices == (1,)
    c.max_variants = 2
    for ax in (0, 1, 2, 0):
        (r,) = c(x, np.array([ax], dtype=np.int32))
        np.testing.assert_allclose(r, x.sum(axis=ax, keepdims=True), rtol=1e-5, atol=1e-5)
        assert c.num_variants <= 2
    assert c.num_variants == 2


def test_large_and_shape_only_inputs_are_not_specialised():
    # Reshape(x, Shape(z)): z's value is never needed, only its shape; x is data
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 6])
    z = helper.make_tensor_value_info("z", TensorProto.FLOAT, [3, 4])
    d = helper.make_tensor_value_info("d", TensorProto.FLOAT, [3, 4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    nodes = [
        helper.make_node("Shape", ["z"], ["s"]),
        helper.make_node("Reshape", ["x", "s"], ["r"]),
        helper.make_node("Add", ["r", "d"], ["y"]),
    ]
    model = _model(nodes, [x, z, d], [y])
    assert runtime.value_inputs(model) == ()
    c = mlopt.compile(model)
    assert c.num_variants == 1  # nothing to specialise: compiled at once, as before
    xv = np.arange(12, dtype=np.float32).reshape(2, 6)
    dv = np.ones((3, 4), np.float32)
    for k in range(2):
        (r,) = c(xv, np.full((3, 4), k, np.float32), dv)
        np.testing.assert_array_equal(r, xv.reshape(3, 4) + 1)
    assert c.num_variants == 1


def test_input_over_the_size_limit_is_not_specialised(reduce_sum, x):
    c = reduce_sum
    small = c._value_key([x, np.array([1], dtype=np.int64)])
    assert small == (np.array([1], dtype=np.int64).tobytes(),)
    big = np.zeros(runtime.MAX_SPECIALIZED_ELEMENTS + 1, dtype=np.int64)
    assert c._value_key([x, big]) == (None,)
    assert c._value_key([x, x]) == (None,) or x.size <= runtime.MAX_SPECIALIZED_ELEMENTS


def test_onnx_level_module_and_pad_inputs():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    p = helper.make_tensor_value_info("pads", TensorProto.INT64, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    model = _model([helper.make_node("Pad", ["x", "pads"], ["y"])], [x, p], [y])
    c = mlopt.compile(import_model(model))
    assert c.value_input_indices == (1,)
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    for pads in ([0, 1, 1, 0], [1, 0, 0, 2]):
        (r,) = c(xv, np.array(pads, dtype=np.int64))
        np.testing.assert_array_equal(r, np.pad(xv, [(pads[0], pads[2]), (pads[1], pads[3])]))
    assert c.num_variants == 2

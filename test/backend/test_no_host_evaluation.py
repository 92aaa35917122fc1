"""Value specialisation is honest: a call's input values decide compile-time
operands (a Reshape's shape, a Range's length, a window's size) but never have
the model's outputs computed by numpy or ``onnx.reference``.

``no_host_evaluation`` (test/conformance/poison.py) is the poison the node-test
harness applies around every ``rep.run()``; these tests show it catches the
host evaluation it is there to catch, and that the compiled path runs clean."""

from __future__ import annotations

import numpy as np
import onnx.reference
import pytest
from onnx import TensorProto, helper
from onnx.defs import onnx_opset_version

import mlopt
from conformance.poison import HostEvaluation, no_host_evaluation
from mlopt.backends import runtime
from mlopt.passes.onnx_opt import constant_fold


def _model(nodes, inputs, outputs):
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", onnx_opset_version())])


def _sin_and_reshape():
    """y = Sin(Cast(x)); z = Reshape(w, x): x decides z's shape and is y's data."""
    x = helper.make_tensor_value_info("x", TensorProto.INT64, [2])
    w = helper.make_tensor_value_info("w", TensorProto.FLOAT, [12])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    z = helper.make_tensor_value_info("z", TensorProto.FLOAT, None)
    nodes = [
        helper.make_node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT),
        helper.make_node("Sin", ["xf"], ["y"]),
        helper.make_node("Reshape", ["w", "x"], ["z"]),
    ]
    return _model(nodes, [x, w], [y, z])


def _range_model(dtype=TensorProto.FLOAT):
    ins = [helper.make_tensor_value_info(n, dtype, []) for n in ("start", "limit", "delta")]
    out = helper.make_tensor_value_info("r", dtype, None)
    return _model([helper.make_node("Range", ["start", "limit", "delta"], ["r"])], ins, [out])


def test_poison_raises_on_host_evaluation():
    with no_host_evaluation():
        with pytest.raises(HostEvaluation):
            np.sin(np.ones(3))
        with pytest.raises(HostEvaluation):
            onnx.reference.ReferenceEvaluator(_range_model()).run(None, {})
    np.sin(np.ones(3))  # restored afterwards


def test_data_use_of_a_specialised_input_is_computed_by_generated_code():
    m = mlopt.compile(_sin_and_reshape())
    assert m.value_input_indices == (0,)
    w = np.arange(12, dtype=np.float32) - 5
    for shape in ((3, 4), (2, 6), (12, 1)):
        x = np.array(shape, dtype=np.int64)
        with no_host_evaluation():
            y, z = m(x, w)
        np.testing.assert_allclose(y, np.sin(x.astype(np.float32)), rtol=1e-6)
        np.testing.assert_array_equal(z, w.reshape(shape))


@pytest.mark.parametrize("dtype", [TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64])
def test_range_of_inputs_runs_in_generated_code(dtype):
    m = mlopt.compile(_range_model(dtype))
    np_t = helper.tensor_dtype_to_np_dtype(dtype)
    for start, limit, delta in ((0, 7, 1), (-3, 17, 2), (10, -8, -3), (5, 5, 1), (1, 1000, 1)):
        args = [np.array(v, dtype=np_t) for v in (start, limit, delta)]
        with no_host_evaluation():
            (r,) = m(*args)
        np.testing.assert_allclose(r, np.arange(start, limit, delta).astype(np_t), rtol=1e-6)


def test_the_poison_catches_the_old_substitution(monkeypatch):
    """Replacing every use of the input by its value (what the runtime did before)
    lets onnx-constant-fold compute Sin(x) with numpy: the poison must see it."""

    def substitute_everywhere(self, fn, shapes, values):
        from mlopt.dialects.onnx import op_class
        from mlopt.dialects.onnx.helpers import dense_attr_from_numpy

        block = fn.body.block
        for idx, data in zip(self.value_input_indices, values):
            arg = block.args[idx]
            array = np.frombuffer(data, dtype=self.inputs[idx].dtype).reshape(shapes[idx])
            value = dense_attr_from_numpy(array, arg.type.get_element_type())
            const = op_class("Constant").create(result_types=[value.type], attributes={"value": value})
            block.insert_op_before(const, block.first_op)
            arg.replace_all_uses_with(const.results[0])

    monkeypatch.setattr(runtime.CompiledModel, "_substitute_values", substitute_everywhere)
    m = mlopt.compile(_sin_and_reshape())
    with pytest.raises(HostEvaluation):  # ReferenceEvaluator or a numpy ufunc in the folder
        with no_host_evaluation():
            m(np.array([3, 4], dtype=np.int64), np.zeros(12, np.float32))


def test_folder_never_folds_a_data_op_of_a_specialised_constant(monkeypatch):
    """The structural rule the poison watches: with the rule switched off, the
    watched evaluator in the poison raises."""
    monkeypatch.setattr(constant_fold, "SHAPE_CHAIN_ATTR", "no-such-attribute")
    monkeypatch.setattr(constant_fold, "is_specialized", lambda v: False)
    m = mlopt.compile(_range_model())
    with pytest.raises(HostEvaluation):
        with no_host_evaluation():
            m(*[np.array(v, np.float32) for v in (0, 5, 1)])


def _add_model():
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [3, 1])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [1, 7])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 7])
    return _model([helper.make_node("Add", ["a", "b"], ["y"])], [a, b], [y])


_A = -np.arange(3, dtype=np.float32).reshape(3, 1)
_B = np.linspace(-1, 1, 7, dtype=np.float32).reshape(1, 7)


@pytest.mark.parametrize(
    "cheat,message",
    [
        # an array operator after the entry ran: no numpy-module ufunc is called
        (lambda real, self, a, b: [o * 1 for o in real(self, a, b)], "not the buffer the compiled entry wrote"),
        # the inputs changed on the host before the entry ran
        (lambda real, self, a, b: real(self, a + 1, b), "reached the compiled entry with other values"),
        # the entry run twice and the results combined
        (lambda real, self, a, b: real(self, a, b) and real(self, a, b), "2 times, not once"),
    ],
)
def test_the_poison_catches_host_arithmetic_around_the_entry(monkeypatch, cheat, message):
    """Array operators are not numpy-module ufuncs; the poison checks the
    buffers the compiled entry read and wrote instead."""
    m = mlopt.compile(_add_model())
    with no_host_evaluation():  # the honest call passes
        (y,) = m(_A, _B)
    np.testing.assert_array_equal(y, _A + _B)
    real = runtime.CompiledModel.__call__
    monkeypatch.setattr(runtime.CompiledModel, "__call__", lambda self, a, b: cheat(real, self, a, b))
    with pytest.raises(HostEvaluation, match=message):
        with no_host_evaluation():
            m(_A, _B)

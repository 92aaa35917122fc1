"""mlopt.backend: the onnx.backend.base.Backend API on the compiled path."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

import mlopt.backend as backend


def _model() -> onnx.ModelProto:
    graph = helper.make_graph(
        [
            helper.make_node("Mul", ["x", "y"], ["t"], name="mul"),
            helper.make_node("Relu", ["t"], ["z"], name="relu"),
        ],
        "g",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
            helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3]),
        ],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [2, 3])],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_supports_only_cpu():
    assert backend.supports_device("CPU")
    assert not backend.supports_device("CUDA")
    assert not backend.supports_device("not a device")
    with pytest.raises(ValueError, match="only the CPU"):
        backend.prepare(_model(), "CUDA")


def test_backend_is_an_onnx_backend():
    from onnx.backend.base import Backend, BackendRep

    assert issubclass(backend.MloptBackend, Backend)
    assert issubclass(backend.MloptBackendRep, BackendRep)


def test_node_model_types_inputs_and_infers_outputs():
    node = helper.make_node("Add", ["a", "b"], ["c"])
    model = backend.node_model(node, [np.zeros((2, 3), np.float32), np.zeros((3,), np.float32)])
    onnx.checker.check_model(model)
    out = model.graph.output[0].type.tensor_type
    assert out.elem_type == TensorProto.FLOAT
    assert [d.dim_value for d in out.shape.dim] == [2, 3]




def test_prepare_and_run_positional_and_named():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    y = rng.standard_normal((2, 3)).astype(np.float32)
    rep = backend.prepare(_model())
    (z,) = rep.run([x, y])
    np.testing.assert_allclose(z, np.maximum(x * y, 0), rtol=1e-6)
    (z2,) = rep.run({"y": y, "x": x})
    np.testing.assert_array_equal(z, z2)
    (z3,) = backend.run_model(_model(), [x, y])
    np.testing.assert_array_equal(z, z3)
    with pytest.raises(ValueError, match="input"):
        rep.run([x])


def test_run_node():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1, 2, 3], dtype=np.float32)
    (c,) = backend.run_node(helper.make_node("Sub", ["a", "b"], ["c"]), [a, b])
    np.testing.assert_array_equal(c, a - b)
    assert c.dtype == np.float32


def test_never_falls_back_to_a_reference(monkeypatch):
    """Poison onnxruntime and the reference evaluator: the backend still works."""
    import sys

    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    monkeypatch.setattr("onnx.reference.ReferenceEvaluator.run", lambda *a, **k: pytest.fail("reference used"))
    x = np.ones((2, 3), np.float32)
    (z,) = backend.run_model(_model(), [x, 2 * x])
    np.testing.assert_array_equal(z, 2 * x)

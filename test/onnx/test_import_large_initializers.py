"""The importer's opset upgrade, checker and shape inference see large
initializers as typed graph inputs (never their data), and the imported
module has the weights all the same."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

import mlopt
from mlopt.frontends import onnx as frontend
from mlopt.frontends.onnx import ONNXImportError, import_model


def _model(opset: int, ir_version: int, initializers_as_inputs: bool) -> onnx.ModelProto:
    rng = np.random.default_rng(7)
    w = rng.standard_normal((17, 300)).astype(np.float32)  # 5100 elements: detached
    b = rng.standard_normal((300,)).astype(np.float32)  # small: stays
    shape = np.array([1, 3, 100], dtype=np.int64)  # a shape tensor: stays
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 17])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 3, 100])
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["xw"]),
        helper.make_node("Add", ["xw", "b"], ["s"]),
        helper.make_node("Reshape", ["s", "shape"], ["r"]),
        helper.make_node("Relu", ["r"], ["y"]),
    ]
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b"), numpy_helper.from_array(shape, "shape")]
    inputs = [x]
    if initializers_as_inputs:  # IR version 3: every initializer is also a graph input
        inputs += [helper.make_tensor_value_info(t.name, t.data_type, t.dims) for t in inits]
    graph = helper.make_graph(nodes, "g", inputs, [y], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = ir_version
    return model


@pytest.mark.parametrize(
    "opset, ir_version, as_inputs", [(7, 3, True), (9, 4, False), (17, 8, False)], ids=["opset7-ir3", "opset9", "opset17"]
)
def test_large_initializer_never_reaches_onnx_tools_and_results_match(monkeypatch, opset, ir_version, as_inputs):
    model = _model(opset, ir_version, as_inputs)
    seen: list[int] = []
    real = onnx.shape_inference.infer_shapes

    def spy(m, *args, **kwargs):
        seen.append(m.ByteSize())
        return real(m, *args, **kwargs)

    monkeypatch.setattr(onnx.shape_inference, "infer_shapes", spy)
    compiled = mlopt.compile(model, input_shapes={"x": [1, 17]})
    assert seen and max(seen) < 4 * 4096  # w's 20 kB of data never went in
    x = np.random.default_rng(1).standard_normal((1, 17)).astype(np.float32)
    ours = compiled.run({"x": x})["y"]
    ref = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-5)
    # the caller's model is untouched
    assert [t.name for t in model.graph.initializer] == ["w", "b", "shape"]
    assert len(model.graph.initializer[0].raw_data) == 17 * 300 * 4


def test_module_keeps_the_initializer_order_and_has_no_extra_arguments():
    module = import_model(_model(17, 8, False))
    fn = next(iter(module.body.block.ops))
    assert len(fn.body.block.args) == 1  # only x: w is a constant again, not an input
    text = str(module)
    assert text.index("onnx.Constant") < text.index("onnx.MatMul")


def test_input_shapes_cannot_name_a_detached_initializer():
    with pytest.raises(ONNXImportError, match="'w', which is not an input"):
        import_model(_model(17, 8, False), input_shapes={"w": [17, 300]})


def test_threshold_is_above_shape_tensors():
    assert frontend._DETACHED_ELEMENTS >= 1024

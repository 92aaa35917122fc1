"""PRelu broadcasts its slope unidirectionally (ONNX): a rank-0 X with a
slope of shape [1] gives a rank-0 result, as onnx's shape inference says (the
fuzzer's seed 41616 failed on it: shape inference said [1])."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper

import mlopt


def test_prelu_scalar_x_with_slope_of_one():
    node = helper.make_node("PRelu", ["x", "s"], ["y"])
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, []),
         helper.make_tensor_value_info("s", TensorProto.FLOAT, [1, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    inferred = onnx.shape_inference.infer_shapes(model).graph.output[0].type.tensor_type.shape
    assert len(inferred.dim) == 0
    m = mlopt.compile(model)
    for x in (-2.0, 3.0):
        (y,) = m(np.array(x, np.float32), np.array([[0.25]], np.float32))
        assert y.shape == () and y == (x * 0.25 if x < 0 else x)

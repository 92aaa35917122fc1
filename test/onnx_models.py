"""Small ONNX models built in tests."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def float_model(
    nodes: list[onnx.NodeProto],
    inputs: dict[str, np.ndarray],
    outputs: list[str],
    inits: dict[str, np.ndarray] | None = None,
    opset: int = 17,
) -> onnx.ModelProto:
    """A float32 model of ``nodes``: graph inputs shaped like the arrays in
    ``inputs``, outputs of unknown shape, ``inits`` as initializers."""
    g = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, list(a.shape)) for n, a in inputs.items()],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        [numpy_helper.from_array(a.astype(np.float32), n) for n, a in (inits or {}).items()],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 8
    return m


def save_add_model(directory, shape=("N", 3)):
    """Write ``add.onnx`` (z = x + y, float32 of ``shape``; strings are symbolic
    dimensions) into ``directory`` and return its path."""
    from pathlib import Path

    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "y"], ["z"], name="add0")],
        "add",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape)),
            helper.make_tensor_value_info("y", TensorProto.FLOAT, list(shape)),
        ],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, list(shape))],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = Path(directory) / "add.onnx"
    onnx.save(model, path)
    return path

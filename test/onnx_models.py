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


def conv_mlp_model(seed: int = 0) -> onnx.ModelProto:
    """Conv -> Relu -> MatMul -> Add -> Softmax with seeded weights, odd sizes."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((5, 3, 3, 3)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    m = rng.standard_normal((9, 11)).astype(np.float32)
    c = rng.standard_normal(11).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["conv"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
        helper.make_node("MatMul", ["relu", "m"], ["mm"], name="matmul"),
        helper.make_node("Add", ["mm", "c"], ["add"], name="add"),
        helper.make_node("Softmax", ["add"], ["y"], name="softmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 7, 9])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5, 7, 11])],
        [numpy_helper.from_array(a, n) for a, n in ((w, "w"), (b, "b"), (m, "m"), (c, "c"))],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    return model


CONV_MLP_NODES = {"conv": "Conv", "relu": "Relu", "matmul": "MatMul", "add": "Add", "softmax": "Softmax"}

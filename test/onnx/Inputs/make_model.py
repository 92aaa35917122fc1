"""Write small ONNX models for the lit tests: make_model.py KIND OUT.onnx"""

import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h


def vi(name, shape, elem=T.FLOAT):
    return h.make_tensor_value_info(name, elem, shape)


def model(nodes, inputs, outputs, inits=(), opset=21, name="tiny"):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    return h.make_model(g, opset_imports=[h.make_opsetid("", opset)])


KINDS = {
    "tiny": lambda: model(
        [
            h.make_node("Conv", ["x", "w", "b"], ["c"], name="conv0", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            h.make_node("Relu", ["c"], ["r"], name="relu0"),
            h.make_node("Flatten", ["r"], ["y"], name="flat0", axis=1),
        ],
        [vi("x", ["N", 3, 8, 8])],
        [vi("y", ["N", 256])],
        [
            onnx.numpy_helper.from_array(np.ones((4, 3, 3, 3), np.float32), "w"),
            onnx.numpy_helper.from_array(np.zeros(4, np.float32), "b"),
        ],
    ),
    "dangling": lambda: model(
        [h.make_node("Add", ["x", "missing"], ["y"], name="add_node")],
        [vi("x", [2])],
        [vi("y", [2])],
    ),
    "mismatch": lambda: model(
        [h.make_node("MatMul", ["x", "w"], ["y"], name="mm")],
        [vi("x", [2, 2])],
        [vi("y", [2, 2])],
        [onnx.numpy_helper.from_array(np.ones((2, 2), np.int64), "w")],
    ),
    "unknown": lambda: model(
        [h.make_node("NoSuchOp", ["x"], ["y"], name="weird")], [vi("x", [2])], [vi("y", [2])]
    ),
}

if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    if kind == "notproto":
        with open(out, "wb") as f:
            f.write(b"this is not an onnx model\n")
    elif kind == "truncated":
        data = KINDS["tiny"]().SerializeToString()
        with open(out, "wb") as f:
            f.write(data[: len(data) // 3])
    else:
        onnx.save(KINDS[kind](), out)

"""Write small ONNX models for the driver tests: make_onnx.py KIND PATH
(KIND: add = z = x + y on 2x3 f32; bad = a node of an unknown op type;
dyn = z = x + x with a dynamic first dimension)."""

import sys

import onnx
from onnx import TensorProto, helper

kind, path = sys.argv[1], sys.argv[2]
f32 = TensorProto.FLOAT
if kind == "add":
    nodes = [helper.make_node("Add", ["x", "y"], ["z"], name="add0")]
    inputs = [helper.make_tensor_value_info(n, f32, [2, 3]) for n in ("x", "y")]
    out_shape = [2, 3]
elif kind == "dyn":
    nodes = [helper.make_node("Add", ["x", "x"], ["z"], name="add0")]
    inputs = [helper.make_tensor_value_info("x", f32, ["N", 3])]
    out_shape = ["N", 3]
elif kind == "bad":
    nodes = [helper.make_node("NoSuchOp", ["x"], ["z"], name="weird")]
    inputs = [helper.make_tensor_value_info("x", f32, [2, 3])]
    out_shape = [2, 3]
else:
    raise SystemExit(f"unknown kind {kind}")
graph = helper.make_graph(nodes, "g_" + kind, inputs, [helper.make_tensor_value_info("z", f32, out_shape)])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)

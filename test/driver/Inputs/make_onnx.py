"""Write small ONNX models for the driver tests: make_onnx.py KIND PATH
(KIND: add = z = x + y on 2x3 f32; bad = a node of an unknown op type;
dyn = z = x + x with a dynamic first dimension; weights = z = Relu(x @ W + b) with
x [N, 8], a 32-element W and a 4-element b)."""

import sys

import onnx
from onnx import TensorProto, helper

kind, path = sys.argv[1], sys.argv[2]
f32 = TensorProto.FLOAT
initializers = []
if kind == "add":
    nodes = [helper.make_node("Add", ["x", "y"], ["z"], name="add0")]
    inputs = [helper.make_tensor_value_info(n, f32, [2, 3]) for n in ("x", "y")]
    out_shape = [2, 3]
elif kind == "dyn":
    nodes = [helper.make_node("Add", ["x", "x"], ["z"], name="add0")]
    inputs = [helper.make_tensor_value_info("x", f32, ["N", 3])]
    out_shape = ["N", 3]
elif kind == "weights":
    w = helper.make_tensor("W", f32, [8, 4], [0.25 * i for i in range(32)])
    b = helper.make_tensor("b", f32, [4], [1.0, 2.0, 3.0, 4.0])
    nodes = [helper.make_node("MatMul", ["x", "W"], ["xw"], name="mm"),
             helper.make_node("Add", ["xw", "b"], ["s"], name="bias"),
             helper.make_node("Relu", ["s"], ["z"], name="relu")]
    inputs = [helper.make_tensor_value_info("x", f32, ["N", 8])]
    out_shape = ["N", 4]
    initializers = [w, b]
elif kind == "bad":
    nodes = [helper.make_node("NoSuchOp", ["x"], ["z"], name="weird")]
    inputs = [helper.make_tensor_value_info("x", f32, [2, 3])]
    out_shape = [2, 3]
else:
    raise SystemExit(f"unknown kind {kind}")
graph = helper.make_graph(nodes, "g_" + kind, inputs, [helper.make_tensor_value_info("z", f32, out_shape)],
                          initializer=initializers)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)

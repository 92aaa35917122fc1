"""The ONNX exporter: onnx-level modules (imported or written by hand) back to
ModelProtos that onnx.checker accepts and onnxruntime runs."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper as h

import mlopt
from mlopt.frontends.onnx import import_model
from mlopt.frontends.onnx_export import ONNXExportError, export_model
from roundtrip_util import run_ort

HAND_WRITTEN = """
func.func @net(%x: tensor<2x3xf32> {onnx.name = "input"}, %c: tensor<i1> {onnx.name = "flag"}) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) attributes {onnx.output_names = ["out", "same", "passthrough"]} {
  %w = "onnx.Constant"() {value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>, onnx.name = "weights"} : () -> tensor<2x3xf32>
  %n = "onnx.NoValue"() {value} : () -> none
  %lo = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %m = "onnx.Mul"(%x, %w) {onnx_node_name = "mul0"} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %cl = "onnx.Clip"(%m, %lo, %n) : (tensor<2x3xf32>, tensor<f32>, none) -> tensor<2x3xf32>
  %r = "onnx.If"(%c) ({
    %t = "onnx.Neg"(%cl) : (tensor<2x3xf32>) -> tensor<2x3xf32>
    "onnx.Yield"(%t) : (tensor<2x3xf32>) -> ()
  }, {
    "onnx.Yield"(%cl) : (tensor<2x3xf32>) -> ()
  }) : (tensor<i1>) -> tensor<2x3xf32>
  func.return %r, %r, %x : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
"""


def _reference(x, flag):
    w = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    y = np.maximum(x * w, np.float32(0.5))
    return -y if flag else y


def test_hand_written_module_runs_on_onnxruntime():
    module = mlopt.parse(HAND_WRITTEN)
    model = export_model(module)
    onnx.checker.check_model(model, full_check=True)
    g = model.graph
    assert g.name == "net"
    assert [i.name for i in g.input] == ["input", "flag"]
    assert [o.name for o in g.output] == ["out", "same", "passthrough"]
    assert [t.name for t in g.initializer] == ["weights"]
    assert g.initializer[0].raw_data  # bytes, not float_data lists
    assert any(n.name == "mul0" and n.op_type == "Mul" for n in g.node)
    clip = next(n for n in g.node if n.op_type == "Clip")
    assert list(clip.input)[2:] == []  # trailing absent operand dropped
    x = np.array([[1, -2, 0.1], [0.2, 3, -1]], np.float32)
    for flag in (True, False):
        out, same, passthrough = run_ort(model, [x, np.array(flag)])
        np.testing.assert_allclose(out, _reference(x, flag))
        np.testing.assert_allclose(same, out)
        np.testing.assert_array_equal(passthrough, x)


def test_opset_is_the_lowest_that_keeps_the_schemas():
    module = mlopt.parse(HAND_WRITTEN)
    model = export_model(module)
    (opset,) = [o.version for o in model.opset_import if o.domain == ""]
    # If-25/Clip-13 mean what If-21 / Clip-13 meant for these types, so the
    # export does not need an opset newer than onnxruntime knows
    assert opset <= 21
    onnx.checker.check_model(model)


def test_imported_opset_is_kept_as_floor():
    m = h.make_model(
        h.make_graph([h.make_node("Relu", ["x"], ["y"])], "g",
                     [h.make_tensor_value_info("x", T.FLOAT, [2])],
                     [h.make_tensor_value_info("y", T.FLOAT, [2])]),
        opset_imports=[h.make_opsetid("", 19)],
    )
    model = export_model(import_model(m))
    assert [o.version for o in model.opset_import if o.domain == ""] == [19]


def test_loop_and_sequence_roundtrip():
    body = h.make_graph(
        [
            h.make_node("Identity", ["cond_in"], ["cond_out"]),
            h.make_node("Add", ["acc_in", "x"], ["acc_out"]),
            h.make_node("SequenceInsert", ["seq_in", "acc_out"], ["seq_out"]),
        ],
        "body",
        [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("cond_in", T.BOOL, []),
            h.make_tensor_value_info("acc_in", T.FLOAT, [2]),
            h.make_tensor_sequence_value_info("seq_in", T.FLOAT, None),
        ],
        [
            h.make_tensor_value_info("cond_out", T.BOOL, []),
            h.make_tensor_value_info("acc_out", T.FLOAT, [2]),
            h.make_tensor_sequence_value_info("seq_out", T.FLOAT, None),
        ],
    )
    m = h.make_model(
        h.make_graph(
            [
                h.make_node("SequenceEmpty", [], ["s0"], dtype=T.FLOAT),
                h.make_node("Loop", ["n", "", "x", "s0"], ["acc", "seq"], body=body),
                h.make_node("SequenceLength", ["seq"], ["len"]),
            ],
            "g",
            [h.make_tensor_value_info("x", T.FLOAT, [2]), h.make_tensor_value_info("n", T.INT64, [])],
            [h.make_tensor_value_info("acc", T.FLOAT, [2]), h.make_tensor_value_info("len", T.INT64, [])],
        ),
        opset_imports=[h.make_opsetid("", 17)],
    )
    exported = export_model(import_model(m))
    onnx.checker.check_model(exported)
    x = np.array([1.0, 2.0], np.float32)
    acc, n = run_ort(exported, [x, np.array(3, np.int64)])
    np.testing.assert_allclose(acc, 4 * x)
    assert int(n) == 3


def test_custom_domain_node_exported():
    m = h.make_model(
        h.make_graph([h.make_node("Frob", ["x"], ["y"], domain="com.example", alpha=2.0, tags=["a"])],
                     "g", [h.make_tensor_value_info("x", T.FLOAT, [2])],
                     [h.make_tensor_value_info("y", T.FLOAT, [2])]),
        opset_imports=[h.make_opsetid("", 21), h.make_opsetid("com.example", 1)],
    )
    out = export_model(import_model(m))
    node = out.graph.node[0]
    assert (node.op_type, node.domain) == ("Frob", "com.example")
    attrs = {a.name: h.get_attribute_value(a) for a in node.attribute}
    assert attrs == {"alpha": 2.0, "tags": [b"a"]}
    assert {o.domain for o in out.opset_import} == {"", "com.example"}


def test_non_onnx_ops_are_rejected():
    module = mlopt.parse(
        """
func.func @f(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  func.return %0 : i32
}
"""
    )
    with pytest.raises((ONNXExportError, ValueError)):
        export_model(module)
    module = mlopt.parse(
        """
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "arith.addf"(%a, %a) <{fastmath = #arith.fastmath<none>}> : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""
    )
    with pytest.raises(ONNXExportError, match="arith.addf"):
        export_model(module)


def test_special_values_and_dtypes_survive():
    arrays = [
        np.array([np.nan, np.inf, -np.inf, 1.5], np.float32),
        np.array([True, False]),
        np.array([1, 2], np.uint16),
        np.array(7, np.int64),
        np.array([0.5, -2], np.float16),
    ]
    inits = [onnx.numpy_helper.from_array(a, f"c{i}") for i, a in enumerate(arrays)]
    nodes = [h.make_node("Identity", [f"c{i}"], [f"o{i}"]) for i in range(len(arrays))]
    outs = [h.make_tensor_value_info(f"o{i}", t.data_type, None) for i, t in enumerate(inits)]
    m = h.make_model(h.make_graph(nodes, "g", [], outs, inits), opset_imports=[h.make_opsetid("", 21)])
    module = import_model(m)
    reparsed = mlopt.parse(mlopt.print_ir(module))
    got = run_ort(export_model(reparsed), [])
    for a, g in zip(arrays, got):
        assert g.dtype == a.dtype and g.shape == a.shape
        np.testing.assert_array_equal(g, a)

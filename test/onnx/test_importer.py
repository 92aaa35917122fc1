"""The ONNX importer: structure, names, constants, subgraphs, errors."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto as T
from onnx import helper as h
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, TensorType, UnrankedTensorType

import mlopt
from mlopt.dialects import onnx as O
from mlopt.frontends.onnx import ONNXImportError, import_model


def _model(nodes, inputs, outputs, inits=(), opset=21, name="g", **kw):
    g = h.make_graph(nodes, name, inputs, outputs, list(inits))
    return h.make_model(g, opset_imports=[h.make_opsetid("", opset)], **kw)


def _vi(name, elem=T.FLOAT, shape=(2,)):
    return h.make_tensor_value_info(name, elem, list(shape) if shape is not None else None)


def _ops(module, name=None):
    return [op for op in module.walk() if name is None or op.name == name]


def _func(module):
    return next(op for op in module.ops if op.name == "func.func")


def test_structure_and_names():
    m = _model(
        [
            h.make_node("Add", ["x", "w"], ["s"], name="add0"),
            h.make_node("Relu", ["s"], ["y"], name="relu0"),
        ],
        [_vi("x"), _vi("z")],
        [_vi("y"), _vi("s")],
        [h.make_tensor("w", T.FLOAT, [2], [1.0, 2.0])],
        name="my_graph",
    )
    mod = import_model(m)
    fn = _func(mod)
    assert fn.sym_name.data == "my_graph"
    assert [a.data["onnx.name"].data for a in fn.arg_attrs.data] == ["x", "z"]
    assert [s.data for s in fn.attributes["onnx.output_names"].data] == ["y", "s"]
    add = _ops(mod, "onnx.Add")[0]
    assert add.attributes["onnx_node_name"].data == "add0"
    const = _ops(mod, "onnx.Constant")[0]
    assert const.attributes["onnx.name"].data == "w"
    assert isinstance(const.attributes["value"], DenseIntOrFPElementsAttr)
    np.testing.assert_array_equal(O.constant_array(add.operands[1]), [1.0, 2.0])
    ret = fn.body.block.last_op
    assert ret.operands[0].owner.name == "onnx.Relu"
    assert ret.operands[1] is add.results[0]
    text = mlopt.print_ir(mod)
    assert "%x: tensor<2xf32> {onnx.name = \"x\"}" in text


def test_unnamed_graph_is_main_graph():
    m = _model([h.make_node("Relu", ["x"], ["y"])], [_vi("x")], [_vi("y")], name="")
    assert _func(import_model(m)).sym_name.data == "main_graph"


def test_path_bytes_and_proto(tmp_path: Path):
    m = _model([h.make_node("Relu", ["x"], ["y"])], [_vi("x")], [_vi("y")])
    p = tmp_path / "m.onnx"
    onnx.save(m, p)
    texts = {mlopt.print_ir(import_model(src)) for src in (m, m.SerializeToString(), p, str(p))}
    assert len(texts) == 1
    # the library entry point forwards to the importer
    assert mlopt.print_ir(mlopt.import_onnx(p)) in texts


def test_absent_optional_inputs_and_outputs_are_none():
    m = _model(
        [
            h.make_node("Clip", ["x", "", "hi"], ["c"]),
            h.make_node("Dropout", ["c"], ["y"]),
        ],
        [_vi("x")],
        [_vi("y")],
        [h.make_tensor("hi", T.FLOAT, [], [1.0])],
    )
    mod = import_model(m)
    clip = _ops(mod, "onnx.Clip")[0]
    assert len(clip.operands) == 3
    assert O.is_none(clip.operands[1]) and not O.is_none(clip.operands[2])
    assert clip.operands[1].owner.name == "onnx.NoValue"
    drop = _ops(mod, "onnx.Dropout")[0]
    assert len(drop.operands) == 3 and O.is_none(drop.operands[1])
    assert len(drop.results) == 2 and O.is_none(drop.results[1])
    assert len(_ops(mod, "onnx.NoValue")) == 1  # one per block, shared


def test_attributes_spelling():
    m = _model(
        [
            h.make_node(
                "Conv", ["x", "w"], ["y"], kernel_shape=[1, 1], pads=[0, 0, 0, 0], group=1,
                auto_pad="NOTSET",
            ),
            h.make_node("LeakyRelu", ["y"], ["z"], alpha=0.25),
        ],
        [_vi("x", shape=(1, 1, 2, 2))],
        [_vi("z", shape=(1, 1, 2, 2))],
        [h.make_tensor("w", T.FLOAT, [1, 1, 1, 1], [2.0])],
    )
    mod = import_model(m)
    text = mlopt.print_ir(mod)
    assert "group = 1 : si64" in text
    assert "kernel_shape = [1 : i64, 1 : i64]" in text
    assert 'auto_pad = "NOTSET"' in text
    assert "alpha = 2.500000e-01 : f32" in text
    conv = _ops(mod, "onnx.Conv")[0]
    assert O.attr(conv, "pads") == [0, 0, 0, 0]


def test_types_from_shape_inference_and_symbolic_dims():
    m = _model(
        [h.make_node("Transpose", ["x"], ["t"], perm=[1, 0]), h.make_node("Relu", ["t"], ["y"])],
        [_vi("x", shape=("N", 3))],
        [h.make_tensor_value_info("y", T.FLOAT, None)],
    )
    mod = import_model(m)
    tr = _ops(mod, "onnx.Transpose")[0]
    assert str(tr.results[0].type) == "tensor<3x?xf32>"
    mod2 = import_model(m, input_shapes={"x": (5, 3)})
    assert str(_func(mod2).function_type.inputs.data[0]) == "tensor<5x3xf32>"
    assert str(_ops(mod2, "onnx.Relu")[0].results[0].type) == "tensor<3x5xf32>"


def test_input_shapes_errors():
    m = _model([h.make_node("Relu", ["x"], ["y"])], [_vi("x", shape=("N", 3))], [_vi("y", shape=None)])
    with pytest.raises(ONNXImportError, match="not an input of the graph"):
        import_model(m, input_shapes={"nope": (1, 3)})
    with pytest.raises(ONNXImportError, match="rank 3"):
        import_model(m, input_shapes={"x": (1, 3, 4)})
    with pytest.raises(ONNXImportError, match="fixes it to"):
        import_model(m, input_shapes={"x": (2, 4)})


def test_element_types():
    for elem, mlir in [
        (T.UINT8, "ui8"),
        (T.INT8, "i8"),
        (T.INT64, "i64"),
        (T.BOOL, "i1"),
        (T.FLOAT16, "f16"),
        (T.BFLOAT16, "bf16"),
        (T.DOUBLE, "f64"),
    ]:
        m = _model([h.make_node("Identity", ["x"], ["y"])], [_vi("x", elem)], [_vi("y", elem)])
        mod = import_model(m)
        assert str(_ops(mod, "onnx.Identity")[0].results[0].type) == f"tensor<2x{mlir}>"
    m = _model(
        [h.make_node("Identity", ["x"], ["y"])],
        [_vi("x", T.STRING)],
        [_vi("y", T.STRING)],
    )
    assert "tensor<2x!onnx.String>" in mlopt.print_ir(import_model(m))


def test_initializer_data_kept_exactly():
    rng = np.random.default_rng(0)
    arrays = {
        "f": rng.standard_normal((3, 4)).astype(np.float32),
        "d": rng.standard_normal(5),
        "h": rng.standard_normal(4).astype(np.float16),
        "i": np.array([-5, 7, 1 << 40], dtype=np.int64),
        "u": np.array([0, 255, 7], dtype=np.uint8),
        "b": np.array([True, False, True]),
        "s": np.array([b"ab", b"c"], dtype=object),
    }
    inits = [onnx.numpy_helper.from_array(a, n) for n, a in arrays.items()]
    nodes = [h.make_node("Identity", [n], [n + "_out"]) for n in arrays]
    outs = [h.make_tensor_value_info(n + "_out", inits[i].data_type, None) for i, n in enumerate(arrays)]
    m = _model(nodes, [], outs, inits)
    mod = import_model(m)
    for op in _ops(mod, "onnx.Identity"):
        name = op.operands[0].owner.attributes["onnx.name"].data
        got = O.constant_array(op.operands[0])
        if name == "s":
            assert [str(x) for x in got] == ["ab", "c"]
        else:
            np.testing.assert_array_equal(got, arrays[name])
            assert got.dtype == arrays[name].dtype


def test_large_initializer_imports_fast():
    w = np.random.default_rng(0).standard_normal((5000, 5000)).astype(np.float32)  # 100 MB
    m = _model(
        [h.make_node("MatMul", ["x", "w"], ["y"])],
        [_vi("x", shape=(1, 5000))],
        [_vi("y", shape=(1, 5000))],
        [onnx.numpy_helper.from_array(w, "w")],
    )
    t0 = time.perf_counter()
    mod = import_model(m)
    elapsed = time.perf_counter() - t0
    assert elapsed < 5.0, f"100 MB initializer took {elapsed:.1f}s"
    const = _ops(mod, "onnx.Constant")[0]
    got = O.constant_array(const.results[0])
    assert got.shape == (5000, 5000)
    assert np.array_equal(got[123], w[123])


def test_external_data(tmp_path: Path):
    w = np.arange(4096, dtype=np.float32).reshape(64, 64)
    m = _model(
        [h.make_node("Add", ["x", "w"], ["y"])],
        [_vi("x", shape=(64, 64))],
        [_vi("y", shape=(64, 64))],
        [onnx.numpy_helper.from_array(w, "w")],
    )
    path = tmp_path / "ext.onnx"
    onnx.save_model(m, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="ext.data", size_threshold=0)
    assert (tmp_path / "ext.data").exists()
    mod = import_model(path)
    np.testing.assert_array_equal(O.constant_array(_ops(mod, "onnx.Add")[0].operands[1]), w)
    with pytest.raises(ONNXImportError, match="external data"):
        import_model(path.read_bytes())
    (tmp_path / "ext.data").unlink()
    with pytest.raises(ONNXImportError, match="external data"):
        import_model(path)


def test_subgraphs_are_regions_with_outer_scope_uses():
    then_g = h.make_graph(
        [h.make_node("Add", ["x", "x"], ["t"])], "then", [], [_vi("t")]
    )
    else_g = h.make_graph(
        [h.make_node("Neg", ["x"], ["e"])], "else", [], [_vi("e")]
    )
    body = h.make_graph(
        [
            h.make_node("Identity", ["cond_in"], ["cond_out"]),
            h.make_node("Add", ["acc_in", "x"], ["acc_out"]),
        ],
        "body",
        [
            h.make_tensor_value_info("i", T.INT64, []),
            h.make_tensor_value_info("cond_in", T.BOOL, []),
            _vi("acc_in"),
        ],
        [h.make_tensor_value_info("cond_out", T.BOOL, []), _vi("acc_out")],
    )
    m = _model(
        [
            h.make_node("If", ["c"], ["r"], then_branch=then_g, else_branch=else_g, name="if0"),
            h.make_node("Loop", ["n", "", "r"], ["l"], body=body, name="loop0"),
        ],
        [h.make_tensor_value_info("c", T.BOOL, []), _vi("x"), h.make_tensor_value_info("n", T.INT64, [])],
        [_vi("l")],
    )
    mod = import_model(m)
    if_op = _ops(mod, "onnx.If")[0]
    assert len(if_op.regions) == 2
    assert if_op.regions[0].block.first_op.name == "onnx.Add"  # then_branch first
    x = _func(mod).body.block.args[1]
    assert if_op.regions[1].block.first_op.operands[0] is x  # outer-scope use
    loop = _ops(mod, "onnx.Loop")[0]
    assert O.is_none(loop.operands[1])
    assert [str(a.type) for a in loop.regions[0].block.args] == ["tensor<i64>", "tensor<i1>", "tensor<2xf32>"]
    assert loop.regions[0].block.last_op.name == "onnx.Yield"
    text = mlopt.print_ir(mod)
    assert mlopt.print_ir(mlopt.parse(text)) == text


def test_custom_domain_node():
    m = _model(
        [h.make_node("Frob", ["x"], ["y"], domain="com.example", alpha=2.0, name="f0")],
        [_vi("x")],
        [_vi("y")],
    )
    m.opset_import.append(h.make_opsetid("com.example", 1))
    mod = import_model(m)
    op = _ops(mod, "onnx.Custom")[0]
    assert op.attributes["function_name"].data == "Frob"
    assert op.attributes["domain_name"].data == "com.example"
    assert O.attr(op, "alpha") == 2.0
    assert str(op.results[0].type) == "tensor<2xf32>"


def test_registered_plugin_op_is_used():
    from xdsl.ir import Dialect
    from xdsl.irdl import IRDLOperation, irdl_op_definition, result_def, var_operand_def

    @irdl_op_definition
    class FrobOp(IRDLOperation):
        name = "example.Frob"
        inputs = var_operand_def()
        out = result_def()

    ctx = mlopt.make_context()
    ctx.load_dialect(Dialect("example", [FrobOp]))
    m = _model(
        [h.make_node("Frob", ["x"], ["y"], domain="example")], [_vi("x")], [_vi("y")]
    )
    m.opset_import.append(h.make_opsetid("example", 1))
    mod = import_model(m, ctx=ctx)
    assert isinstance(_ops(mod, "example.Frob")[0], FrobOp)


def test_local_functions_are_inlined():
    fn = h.make_function(
        "local", "Twice", ["a"], ["b"], [h.make_node("Add", ["a", "a"], ["b"])],
        [h.make_opsetid("", 21)],
    )
    m = _model([h.make_node("Twice", ["x"], ["y"], domain="local")], [_vi("x")], [_vi("y")])
    m.opset_import.append(h.make_opsetid("local", 1))
    m.functions.append(fn)
    mod = import_model(m)
    assert len(_ops(mod, "onnx.Add")) == 1 and not _ops(mod, "onnx.Custom")


def test_old_opset_is_upgraded():
    # Reshape-1 kept the shape in an attribute; Reshape-5+ takes it as input
    m = _model(
        [h.make_node("Reshape", ["x"], ["y"], shape=[2, 1])],
        [_vi("x")],
        [_vi("y", shape=(2, 1))],
        opset=4,
    )
    mod = import_model(m)
    rs = _ops(mod, "onnx.Reshape")[0]
    np.testing.assert_array_equal(O.constant_array(rs.operands[1]), [2, 1])
    # an old opset whose ops did not change is imported as is
    m = _model([h.make_node("Relu", ["x"], ["y"])], [_vi("x")], [_vi("y")], opset=14)
    assert _ops(import_model(m), "onnx.Relu")


def test_deprecated_op_upgraded():
    m = _model(
        [h.make_node("Upsample", ["x", "s"], ["y"], mode="nearest")],
        [_vi("x", shape=(1, 1, 2, 2))],
        [_vi("y", shape=(1, 1, 4, 4))],
        [h.make_tensor("s", T.FLOAT, [4], [1, 1, 2, 2])],
        opset=9,
    )
    assert _ops(import_model(m), "onnx.Resize")


# -- errors -----------------------------------------------------------------


def _err(model, match):
    with pytest.raises(ONNXImportError, match=match) as info:
        import_model(model)
    assert "Traceback" not in str(info.value)
    assert "\n" not in str(info.value)
    return str(info.value)


def test_error_not_a_protobuf(tmp_path: Path):
    _err(b"hello, this is not an ONNX model at all", "not a valid ONNX model")
    _err(b"", "not an ONNX model")
    p = tmp_path / "bad.onnx"
    p.write_text("garbage \x00\x01 text")
    _err(p, "not a valid ONNX model|not an ONNX model")
    _err(tmp_path / "missing.onnx", "no such ONNX model file")
    _err(42, "cannot import an object of type int")


def test_error_truncated(tmp_path: Path):
    m = _model(
        [h.make_node("Add", ["x", "w"], ["y"], name="add0")],
        [_vi("x", shape=(256,))],
        [_vi("y", shape=(256,))],
        [onnx.numpy_helper.from_array(np.ones(256, np.float32), "w")],
    )
    data = m.SerializeToString()
    p = tmp_path / "t.onnx"
    p.write_bytes(data[: len(data) // 2])
    _err(p, "not a valid ONNX model|not an ONNX model|not produced|not defined")


def test_error_dangling_input():
    m = _model([h.make_node("Add", ["x", "zz"], ["y"], name="add1")], [_vi("x")], [_vi("y")])
    msg = _err(m, "input 'zz' is not defined")
    assert "node 'add1' (Add)" in msg


def test_error_type_mismatch():
    m = _model(
        [h.make_node("Add", ["x", "c"], ["y"], name="add1")],
        [_vi("x")],
        [_vi("y")],
        [h.make_tensor("c", T.INT64, [2], [1, 2])],
    )
    msg = _err(m, "type constraint 'T'")
    assert "node 'add1' (Add)" in msg


def test_error_unknown_default_domain_op():
    m = _model([h.make_node("Frobnicate", ["x"], ["y"], name="f1")], [_vi("x")], [_vi("y")])
    msg = _err(m, "unknown operator 'Frobnicate'")
    assert "node 'f1'" in msg


def test_error_unknown_attribute_and_missing_input():
    m = _model([h.make_node("Relu", ["x"], ["y"], name="r", bogus=1)], [_vi("x")], [_vi("y")])
    _err(m, r"node 'r' \(Relu\): .*no attribute 'bogus'")
    m = _model([h.make_node("Add", ["x"], ["y"], name="a")], [_vi("x")], [_vi("y")])
    _err(m, r"node 'a' \(Add\): missing required input 'B'")
    m = _model([h.make_node("Relu", ["x", "x"], ["y"], name="r")], [_vi("x")], [_vi("y")])
    _err(m, r"node 'r' \(Relu\): .*2 inputs")


def test_error_duplicate_output_and_missing_graph_output():
    m = _model(
        [h.make_node("Relu", ["x"], ["y"], name="a"), h.make_node("Neg", ["x"], ["y"], name="b")],
        [_vi("x")],
        [_vi("y")],
    )
    _err(m, "output 'y' is already defined")
    m = _model([h.make_node("Relu", ["x"], ["t"])], [_vi("x")], [_vi("y")])
    _err(m, "output 'y' is not produced")


def test_unsorted_nodes_are_sorted():
    m = _model(
        [h.make_node("Relu", ["t"], ["y"], name="second"), h.make_node("Neg", ["x"], ["t"], name="first")],
        [_vi("x")],
        [_vi("y")],
    )
    mod = import_model(m)
    names = [op.attributes["onnx_node_name"].data for op in _ops(mod) if "onnx_node_name" in op.attributes]
    assert names == ["first", "second"]
    m = _model(
        [h.make_node("Relu", ["t"], ["u"], name="a"), h.make_node("Neg", ["u"], ["t"], name="b")],
        [_vi("x")],
        [_vi("u")],
    )
    _err(m, "cycle")


def test_unranked_result_types_when_inference_is_silent():
    m = _model(
        [h.make_node("Frob", ["x"], ["t"], domain="com.x"), h.make_node("Relu", ["t"], ["y"])],
        [_vi("x")],
        [h.make_tensor_value_info("y", T.FLOAT, None)],
    )
    m.opset_import.append(h.make_opsetid("com.x", 1))
    mod = import_model(m)
    relu = _ops(mod, "onnx.Relu")[0]
    assert isinstance(relu.results[0].type, UnrankedTensorType | TensorType)


def test_context_allowing_unregistered_ops_still_gives_custom():
    ctx = mlopt.make_context(allow_unregistered=True)
    m = _model([h.make_node("Frob", ["x"], ["y"], domain="com.x")], [_vi("x")], [_vi("y")])
    m.opset_import.append(h.make_opsetid("com.x", 1))
    assert _ops(import_model(m, ctx=ctx), "onnx.Custom")


def test_old_ml_op_with_other_signature_is_a_clear_error():
    m = h.make_model(
        h.make_graph(
            [h.make_node("LabelEncoder", ["x"], ["y"], domain="ai.onnx.ml", name="le",
                         classes_strings=["a", "b"], default_int64=-1)],
            "g",
            [h.make_tensor_value_info("x", T.STRING, [2])],
            [h.make_tensor_value_info("y", T.INT64, [2])],
        ),
        opset_imports=[h.make_opsetid("", 21), h.make_opsetid("ai.onnx.ml", 1)],
    )
    msg = _err(m, "LabelEncoder-1 .*differs from LabelEncoder-4")
    assert "node 'le'" in msg


def test_sparse_initializer_and_constant():
    sp = h.make_sparse_tensor(
        h.make_tensor("v", T.FLOAT, [2], [5.0, 7.0]), h.make_tensor("i", T.INT64, [2], [1, 3]), [4]
    )
    g = h.make_graph(
        [
            h.make_node("Constant", [], ["c"], sparse_value=sp),
            h.make_node("Add", ["c", "x"], ["y"]),
        ],
        "g",
        [_vi("x", shape=(4,))],
        [_vi("y", shape=(4,))],
    )
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 21)])
    mod = import_model(m)
    add = _ops(mod, "onnx.Add")[0]
    np.testing.assert_array_equal(O.constant_array(add.operands[0]), [0, 5, 0, 7])
    from mlopt.frontends.onnx_export import export_model
    from roundtrip_util import run_ort

    out = run_ort(export_model(mod), [np.ones(4, np.float32)])[0]
    np.testing.assert_array_equal(out, [1, 6, 1, 8])


def test_wrong_attribute_type_is_an_error_not_a_crash():
    # onnx's shape inference crashes the process on this; the importer must
    # report it before running it
    node = h.make_node("EyeLike", ["x"], ["y"], name="eye")
    node.attribute.append(h.make_attribute("dtype", 1))
    node.attribute[0].type = onnx.AttributeProto.TYPE_PROTO
    m = _model([node], [_vi("x", shape=(2, 2))], [_vi("y", shape=(2, 2))], opset=22)
    _err(m, r"node 'eye' \(EyeLike\): attribute 'dtype' has type TYPE_PROTO, EyeLike needs INT")


def test_long_1d_tensor_does_not_blow_up_shape_inference():
    # data propagation would keep one dim per element (gigabytes here)
    m = _model(
        [h.make_node("Neg", ["x"], ["n"]), h.make_node("Add", ["n", "x"], ["y"])],
        [_vi("x", shape=(10**9,))],
        [_vi("y", shape=None)],
    )
    t0 = time.perf_counter()
    mod = import_model(m)
    assert time.perf_counter() - t0 < 10
    assert str(_ops(mod, "onnx.Add")[0].results[0].type) == "tensor<1000000000xf32>"


def test_invalid_model_is_not_upgraded():
    # the version converter crashes on invalid models: they are refused first
    node = h.make_node("Reshape", ["x"], ["y"], name="rs", shape=[2, 1])
    node.attribute[0].type = onnx.AttributeProto.INT  # ints data, INT type
    m = _model([node], [_vi("x")], [_vi("y", shape=(2, 1))], opset=4)
    _err(m, r"node 'rs' \(Reshape\): attribute 'shape' has type INT, Reshape needs INTS")


# -- Scan-8 (batch axis) -> Scan-9 ------------------------------------------


def _scan8_model(batch=2, seq_lens=None, directions=(1,)):
    body = h.make_graph(
        [
            h.make_node("Add", ["s_in", "x_t"], ["s_out"]),
            h.make_node("Mul", ["s_out", "x_t"], ["y_t"]),
        ],
        "body",
        [_vi("s_in", shape=(2,)), _vi("x_t", shape=(2,))],
        [_vi("s_out", shape=(2,)), _vi("y_t", shape=(2,))],
    )
    inits = []
    first = ""
    if seq_lens is not None:
        first = "lens"
        if seq_lens != "dynamic":
            inits.append(h.make_tensor("lens", T.INT64, [len(seq_lens)], list(seq_lens)))
    inputs = [_vi("s0", shape=(batch, 2)), _vi("x", shape=(batch, 3, 2))]
    if seq_lens == "dynamic":
        inputs.append(_vi("lens", T.INT64, shape=(2,)))
    scan = h.make_node(
        "Scan", [first, "s0", "x"], ["s", "y"], name="scan8", body=body,
        num_scan_inputs=1, directions=list(directions),
    )
    return _model(
        [scan], inputs,
        [_vi("s", shape=(batch, 2) if isinstance(batch, int) else None),
         _vi("y", shape=(batch, 3, 2) if isinstance(batch, int) else None)],
        inits, opset=8,
    )


def test_scan8_is_rewritten_to_scan9_per_batch_element():
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from roundtrip_util import run_ort

    from mlopt.frontends.onnx_export import export_model

    rng = np.random.default_rng(0)
    feeds = [rng.standard_normal((2, 2)).astype(np.float32),
             rng.standard_normal((2, 3, 2)).astype(np.float32)]
    for model in (_scan8_model(), _scan8_model(seq_lens=(3, 3), directions=(0,))):
        mod = import_model(model)
        assert len(_ops(mod, "onnx.Scan")) == 2 and len(_ops(mod, "onnx.Concat")) == 2
        exported = export_model(mod)
        onnx.checker.check_model(exported)
        # onnx.reference has no Scan-8: onnxruntime runs the original, checked
        # against a hand-written scan (outputs in iteration order)
        want = run_ort(model, feeds)
        got = run_ort(exported, feeds)
        s = feeds[0].copy()
        ys = []
        attrs = {a.name: a for a in model.graph.node[0].attribute}
        reverse = attrs["directions"].ints[0] == 1
        for t in range(2, -1, -1) if reverse else range(3):
            s = s + feeds[1][:, t]
            ys.append(s * feeds[1][:, t])
        np.testing.assert_allclose(want[0], s, rtol=1e-6)
        np.testing.assert_allclose(want[1], np.stack(ys, 1), rtol=1e-6)
        for w, g in zip(want, got):
            np.testing.assert_allclose(g, w, rtol=1e-6)


def test_scan8_errors():
    _err(_scan8_model(batch="N"), r"node 'scan8' \(Scan\): Scan-8 needs a static batch size")
    _err(_scan8_model(seq_lens="dynamic"), r"node 'scan8' \(Scan\): Scan-8 with a sequence_lens")
    _err(_scan8_model(seq_lens=(3, 2)), r"node 'scan8' \(Scan\): Scan-8 with a sequence_lens")

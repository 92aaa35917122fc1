"""onnx-mlir-style IR (test/onnx/Inputs/onnx_mlir_corpus.mlir) parses,
verifies, prints back to a fixpoint and survives onnx-upgrade; the corpus
covers every onnx-mlir-only op and syntax."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mlopt
from mlopt.dialects import onnx as O
from mlopt.dialects.onnx.onnx_mlir import ALIASED_DOMAINS, onnx_mlir_kind

CORPUS = Path(__file__).parent / "Inputs" / "onnx_mlir_corpus.mlir"
SECTIONS = CORPUS.read_text().split("// -----")
CTX = mlopt.make_context()


def _section(func_name: str) -> str:
    (text,) = [t for t in SECTIONS if f"@{func_name}(" in t]
    return text


def _ops(module):
    return [op for op in module.walk() if op is not module]


@pytest.mark.parametrize("index", range(len(SECTIONS)))
def test_section_round_trips(index):
    text = SECTIONS[index]
    module = mlopt.parse(text, CTX)
    module.verify()
    printed = mlopt.print_ir(module)
    again = mlopt.parse(printed, CTX)
    again.verify()
    assert mlopt.print_ir(again) == printed
    # the same ops, operand/result types and attributes as the original text
    a, b = _ops(module), _ops(again)
    assert [op.name for op in a] == [op.name for op in b]
    for x, y in zip(a, b):
        assert [v.type for v in x.operands] == [v.type for v in y.operands]
        assert [r.type for r in x.results] == [r.type for r in y.results]
        assert dict(x.attributes) == dict(y.attributes)
        assert dict(x.properties) == dict(y.properties)


def _onnx_mlir_only_ops() -> set[str]:
    names = set()
    for cls in O.ONNX.operations:
        info = getattr(cls, "SCHEMA", None)
        if onnx_mlir_kind(cls) is not None or (info is not None and info.domain in ALIASED_DOMAINS):
            names.add(cls.name)
    return names | {"onnx.Return", "onnx.EntryPoint", "onnx.NoValue", "onnx.Yield", "onnx.Custom"}


def test_corpus_covers_every_onnx_mlir_op():
    used = {op.name for text in SECTIONS for op in _ops(mlopt.parse(text, CTX))}
    expected = _onnx_mlir_only_ops()
    assert len(expected) > 60
    assert sorted(expected - used) == []


@pytest.mark.parametrize(
    "syntax",
    [
        r"onnx\.Yield %",  # custom form of Yield
        r"onnx\.Return %",
        r"onnx\.Constant dense<",
        r"onnx\.Constant \{value_int",
        r"onnx\.ConstantOfShape\(%",
        r"\) <\{",  # properties in the generic form
        r"to = f32\}",
        r"#onnx\.layout<\{dataLayout",
        r"tuple<i64, f32>",
        r"!onnx\.Seq<",
        r"!onnx\.Opt<",
        r"x!onnx\.String>",
        r"tensor<\*x",
        r"\"onnx\.EntryPoint\"\(\) \{func = @",
    ],
)
def test_corpus_covers_syntax(syntax):
    assert re.search(syntax, CORPUS.read_text())


@pytest.mark.parametrize("index", range(len(SECTIONS)))
def test_section_upgrades(index):
    module = mlopt.parse(SECTIONS[index], CTX)
    mlopt.run_pipeline(module, "onnx-upgrade,onnx-shape-inference", CTX)
    module.verify()
    left = {op.name for op in _ops(module) if onnx_mlir_kind(op) is not None}
    # only ops with no ONNX meaning here stay
    assert left <= {
        "onnx.LayoutTransform",
        "onnx.ShapeTransform",
        "onnx.Im2Col",
        "onnx.PrintSignature",
        "onnx.Fused",
        "onnx.RMSLayerNormalization",  # the one whose InvStdDev is returned
    }, left
    assert not any(op.name in ("onnx.Scaler", "onnx.Return") for op in _ops(module))


def test_yield_prints_custom_form():
    text = _section("control_flow")
    printed = mlopt.print_ir(mlopt.parse(text, CTX))
    assert "onnx.Yield %" in printed and '"onnx.Yield"' not in printed


def test_cast_type_attribute_reads_as_onnx_dtype():
    from mlopt.dialects.onnx import attr

    module = mlopt.parse(_section("cast_to_type"), CTX)
    casts = [op for op in _ops(module) if op.name == "onnx.Cast"]
    assert [attr(op, "to") for op in casts] == [1, 7, 10, 2, 9]


def test_onnx_mlir_op_export_is_refused():
    from mlopt.frontends.onnx_export import ONNXExportError, export_model

    module = mlopt.parse(_section("shape_ops"), CTX)
    with pytest.raises(ONNXExportError, match="onnx-mlir versioned op.*onnx-upgrade"):
        export_model(module)
    mlopt.run_pipeline(module, "onnx-upgrade", CTX)
    model = export_model(module)
    assert {n.op_type for n in model.graph.node} >= {"Squeeze", "Unsqueeze", "Split", "Softmax"}


def test_bad_layout_is_a_located_error():
    bad = 'func.func @f(%x: tensor<2xf32, #onnx.layout<{dataLayout = "NHWC"}>>) {\n  func.return\n}'
    with pytest.raises(Exception, match=r"<string>:1:\d+.*\n(.*\n)*.*dataLayout must be one of"):
        mlopt.parse(bad, CTX)

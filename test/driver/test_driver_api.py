"""In-process tests of the mlopt driver's pieces: the expected-diagnostics
matcher, diagnostic formatting, source locations and main() itself."""

from __future__ import annotations

import io
import sys

import pytest

from mlopt.tools import mlopt_opt
from mlopt.tools.diagnostics import (
    Diagnostic,
    DiagnosticEngine,
    OpDiagnosticError,
    SourceLoc,
    SourceManager,
    SourceText,
    active_engine,
    emit_warning,
    failing_op,
    parse_expected,
    verify_expected,
)

# --------------------------------------------------------------------------- parse_expected


def test_designators_resolve_to_lines():
    text = "\n".join(
        [
            "op1  // expected-error {{same line}}",  # 1
            "// expected-error@+2 {{two below}}",  # 2
            "// expected-warning@below {{next plain line}}",  # 3
            "op4",  # 4
            "// expected-note@above {{plain line above}}",  # 5
            "// expected-remark@-5 {{five above}}",  # 6
            "// expected-error@unknown {{nowhere}}",  # 7
        ]
    )
    exp = parse_expected(text, "f.mlir")
    got = [(e.severity, e.message, e.line) for e in exp]
    assert got == [
        ("error", "same line", 1),
        ("error", "two below", 4),
        ("warning", "next plain line", 4),
        ("note", "plain line above", 4),
        ("remark", "five above", 1),
        ("error", "nowhere", None),
    ]
    assert exp[1].loc == SourceLoc("f.mlir", 2, 4)


def test_designators_use_first_line_offset():
    exp = parse_expected("x\n// expected-error@-1 {{m}}", "f.mlir", first_line=10)
    assert exp[0].line == 10 and exp[0].loc.line == 11


def test_above_skips_designator_lines():
    text = "op\n// expected-error@above {{a}}\n// expected-error@above {{b}}"
    assert [e.line for e in parse_expected(text, "f")] == [1, 1]


def test_regex_designator():
    (e,) = parse_expected("// expected-error-re {{got {{[0-9]+}} values}}", "f")
    assert e.matches(Diagnostic("error", "we got 12 values here", SourceLoc("f", 1, 1)))
    assert not e.matches(Diagnostic("error", "we got many values", SourceLoc("f", 1, 1)))


def test_bad_regex_is_reported():
    with pytest.raises(ValueError, match="invalid regex"):
        parse_expected("// expected-error-re {{{{[}}}}", "f")


# --------------------------------------------------------------------------- verify_expected


def _diag(sev: str, msg: str, line: int | None, file: str = "f") -> Diagnostic:
    return Diagnostic(sev, msg, None if line is None else SourceLoc(file, line, 3))


def test_all_matched_gives_no_problems():
    exp = parse_expected("op // expected-error {{bad op}}\n// expected-note@-1 {{here}}", "f")
    d = _diag("error", "a bad op indeed", 1)
    d.notes.append(_diag("note", "see here", 1))
    assert verify_expected(exp, [d]) == []


def test_unexpected_and_missing_are_errors():
    exp = parse_expected("op // expected-error {{wanted}}", "f")
    problems = verify_expected(exp, [_diag("error", "something else", 1)])
    msgs = sorted(p.message for p in problems)
    assert msgs == ['expected error "wanted" was not produced', "unexpected error: something else"]
    assert all(p.severity == "error" for p in problems)


@pytest.mark.parametrize(
    "diag",
    [
        _diag("warning", "wanted", 1),  # wrong severity
        _diag("error", "wanted", 2),  # wrong line
        _diag("error", "wanted", 1, file="other"),  # wrong file
        _diag("error", "wanted", None),  # no location
    ],
)
def test_mismatches(diag):
    exp = parse_expected("op // expected-error {{wanted}}", "f")
    assert len(verify_expected(exp, [diag])) == 2


def test_each_expectation_matches_once():
    exp = parse_expected("op // expected-error {{x}}", "f")
    problems = verify_expected(exp, [_diag("error", "x", 1), _diag("error", "x", 1)])
    assert [p.message for p in problems] == ["unexpected error: x"]


def test_unknown_location_matches_only_unlocated():
    exp = parse_expected("// expected-remark@unknown {{done}}", "f")
    assert verify_expected(exp, [_diag("remark", "done", None)]) == []


# --------------------------------------------------------------------------- formatting


def test_format_has_source_line_and_caret():
    sm = SourceManager()
    sm.add("a.mlir", "line one\n\tfoo  bar\n")
    d = Diagnostic("error", "oops", SourceLoc("a.mlir", 2, 7))
    assert d.format(sm) == "a.mlir:2:7: error: oops\n\tfoo  bar\n\t     ^\n"


def test_format_without_location_or_source():
    assert Diagnostic("warning", "w").format() == "mlopt: warning: w\n"
    d = Diagnostic("error", "e", SourceLoc("gone.mlir", 3, 1))
    assert d.format(SourceManager()) == "gone.mlir:3:1: error: e\n"


def test_source_text_line_col():
    src = SourceText("s", "ab\ncde\n\nf")
    assert [src.line_col(i) for i in (0, 1, 3, 5, 7, 8)] == [(1, 1), (1, 2), (2, 1), (2, 3), (3, 1), (4, 1)]
    assert src.line_text(2) == "cde" and src.line_text(9) is None


def test_split_chunks_keep_line_numbers():
    text = "a\n// -----\nb\nc\n  // -----   \nd"
    assert mlopt_opt.split_chunks(text) == [(1, "a"), (3, "b\nc"), (6, "d")]


def test_parse_input_shapes():
    assert mlopt_opt.parse_input_shapes(["x=1x3x224x224", "y=4,5", "s="]) == {
        "x": (1, 3, 224, 224),
        "y": (4, 5),
        "s": (),
    }
    with pytest.raises(mlopt_opt.UsageError):
        mlopt_opt.parse_input_shapes(["x1x2"])


# --------------------------------------------------------------------------- locations


def _parse(text: str, name: str = "t.mlir"):
    from mlopt.registry import make_context
    from mlopt.tools._driver_parser import LocatingParser

    engine = DiagnosticEngine()
    src = engine.sources.add(name, text)
    module = LocatingParser(make_context(), src, engine.positions).parse_module()
    return module, engine


def test_parser_records_op_positions():
    module, engine = _parse("func.func @f(%a: i32) -> i32 {\n  %0 = arith.addi %a, %a : i32\n  func.return %0 : i32\n}\n")
    by_name = {op.name: engine.location_of(op) for op in module.walk()}
    assert by_name["func.func"] == SourceLoc("t.mlir", 1, 1)
    assert by_name["arith.addi"] == SourceLoc("t.mlir", 2, 3)
    assert by_name["func.return"] == SourceLoc("t.mlir", 3, 3)


def test_failing_op_from_verifier():
    module, engine = _parse("func.func @f() {\n  %0 = arith.constant 1 : i32\n  func.return %0 : i32\n}\n")
    with pytest.raises(Exception) as info:
        module.verify()
    op = failing_op(info.value, prefer_verify=True)
    assert op is not None and op.name == "func.return"
    assert engine.location_of(op) == SourceLoc("t.mlir", 3, 3)


def test_op_diagnostic_error_carries_op():
    module, _ = _parse("func.func @f() {\n  func.return\n}\n")
    ret = next(op for op in module.walk() if op.name == "func.return")
    assert failing_op(OpDiagnosticError(ret, "no")) is ret


def test_emit_without_engine_prints(capsys):
    emit_warning(None, "careful")
    assert capsys.readouterr().err == "mlopt: warning: careful\n"


def test_emit_with_engine_collects(capsys):
    engine = DiagnosticEngine()
    with active_engine(engine):
        emit_warning(None, "careful")
    assert [d.message for d in engine.diagnostics] == ["careful"]
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- main()


def _run_main(monkeypatch, capsys, argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    rc = mlopt_opt.main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_main_stdin_verifier_error(monkeypatch, capsys):
    text = "func.func @f() {\n  %0 = arith.constant 1 : i32\n  func.return %0 : i32\n}\n"
    rc, out, err = _run_main(monkeypatch, capsys, ["-"], text)
    assert rc == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("<stdin>:3:3: error: 'func.return' op ")
    assert lines[1:3] == ["  func.return %0 : i32", "  ^"]
    assert "Traceback" not in err


def test_main_runs_pipeline(monkeypatch, capsys):
    text = "func.func @f(%a: i32) -> i32 {\n  %c = arith.constant 0 : i32\n  %b = arith.addi %a, %c : i32\n  func.return %b : i32\n}\n"
    rc, out, err = _run_main(monkeypatch, capsys, ["-", "-p", "builtin.module(canonicalize)"], text)
    assert rc == 0 and err == ""
    assert "arith.addi" not in out and "func.return %a : i32" in out


def test_main_verify_diagnostics(monkeypatch, capsys):
    text = '// expected-error@+1 {{not registered}}\n%0 = "nope.op"() : () -> i32\n'
    rc, _, err = _run_main(monkeypatch, capsys, ["-", "--verify-diagnostics"], text)
    assert (rc, err) == (0, "")
    rc, _, err = _run_main(monkeypatch, capsys, ["-", "--verify-diagnostics"], text.replace("registered", "xyz"))
    assert rc == 1 and "was not produced" in err and "unexpected error" in err


def test_main_usage_errors(monkeypatch, capsys):
    rc, _, err = _run_main(monkeypatch, capsys, ["-", "-p", "no-such-pass"], "")
    assert rc == 1 and err == "mlopt: error: unknown pass 'no-such-pass' (see mlopt --list-passes)\n"
    with pytest.raises(SystemExit) as info:
        mlopt_opt.main(["--bogus-flag"])
    assert info.value.code == 1


def test_importing_the_driver_stays_light():
    import subprocess

    code = (
        "import sys, mlopt.tools.mlopt_opt, mlopt.tools.diagnostics; "
        "heavy = [m for m in ('onnx', 'llvmlite', 'numpy', 'mlopt.dialects.onnx') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

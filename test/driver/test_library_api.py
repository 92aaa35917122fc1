"""The library entry points of ``import mlopt`` (README's "As a library")."""

from __future__ import annotations

import pytest
from xdsl.utils.exceptions import ParseError, VerifyException

import mlopt

BAD_RETURN = """func.func @f() {
  %0 = arith.constant 1 : i32
  func.return %0 : i32
}
"""


def test_parse_run_print():
    ctx = mlopt.make_context()
    module = mlopt.parse(
        "func.func @f(%a: i32) -> i32 {\n"
        "  %c0 = arith.constant 0 : i32\n"
        "  %b = arith.addi %a, %c0 : i32\n"
        "  func.return %b : i32\n}",
        ctx,
    )
    mlopt.run_pipeline(module, "builtin.module(canonicalize,cse)", ctx)
    text = mlopt.print_ir(module)
    assert "arith.addi" not in text and "func.return %a : i32" in text


def test_verifier_error_names_file_line_col():
    with pytest.raises(VerifyException, match=r"^f\.mlir:3:3: error: .*function output types"):
        mlopt.parse(BAD_RETURN, name="f.mlir")


def test_parse_error_names_position():
    with pytest.raises(ParseError, match=r"f\.mlir:1:"):
        mlopt.parse("func.func @f( {", name="f.mlir")

"""An xDSL Parser that remembers where each operation starts.

Every parsed op without an explicit ``loc(...)`` gets a ``FileLineColLoc`` of
its first token (the first result name, or the op name), so that verifier and
pass errors can be reported at ``file:line:col``; the position is also kept in
a side table for ops whose explicit location names no file.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects.builtin import FileLineColLoc, IntAttr, ModuleOp, StringAttr, UnknownLoc
from xdsl.ir import Operation
from xdsl.parser import Parser
from xdsl.parser.core import UnresolvedOperand
from xdsl.utils.exceptions import ParseError
from xdsl.utils.mlir_lexer import MLIRTokenKind

from mlopt.tools.diagnostics import SourceLoc, SourceText


class LocatingParser(Parser):
    def __init__(self, ctx: Context, source: SourceText,
                 positions: dict[Operation, SourceLoc] | None = None):
        super().__init__(ctx, source.text, source.name)
        self.source = source
        self.positions: dict[Operation, SourceLoc] = {} if positions is None else positions
        self._file_attr = StringAttr(source.name)
        self._first_use: dict[str, UnresolvedOperand] = {}

    def current_loc(self) -> SourceLoc:
        return self.source.loc(self._current_token.span.start)

    def parse_operation(self) -> Operation:
        start = self._current_token.span.start
        try:
            op = super().parse_operation()
        except ParseError as e:
            raise self._relocate_unregistered(e, start) from None
        line, col = self.source.line_col(start)
        self.positions[op] = SourceLoc(self.source.name, line, col)
        if isinstance(op.location, UnknownLoc):
            op.location = FileLineColLoc(self._file_attr, IntAttr(line), IntAttr(col))
        return op

    def _relocate_unregistered(self, e: ParseError, start: int) -> ParseError:
        """xDSL reports an unknown op at the token after its name; point at the
        name itself, as MLIR does."""
        prefix, suffix = "Operation ", " is not registered"
        if not (e.msg.startswith(prefix) and e.msg.endswith(suffix)):
            return e
        name = e.msg[len(prefix) : -len(suffix)]
        text = self.source.text
        pos = text.find(name, start, e.span.start + 1)
        if pos == -1:
            return e
        if pos > 0 and text[pos - 1] == '"':
            pos -= 1
        span = type(e.span)(pos, pos + len(name), e.span.input)
        return ParseError(span, f"{e.msg}" + (
            "" if self.ctx.allow_unregistered else
            " (use --allow-unregistered-dialect to accept unknown operations)"))

    def resolve_operand(self, operand: UnresolvedOperand, type):  # type: ignore[override]
        name = operand.operand_name
        if name not in self.ssa_values and name not in self._first_use:
            self._first_use[name] = operand
        return super().resolve_operand(operand, type)

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        if allow_implicit_module and self._current_token.kind == MLIRTokenKind.EOF:
            return ModuleOp([])  # empty input (or only comments): an empty module, like MLIR
        try:
            module = super().parse_module(allow_implicit_module)
        except ParseError as e:
            undefined = [n for n in self.forward_ssa_references if n in self._first_use]
            if e.msg.startswith("values used but not defined") and undefined:
                # report at the first use, like MLIR, rather than at the end of input
                first = min((self._first_use[n] for n in undefined), key=lambda u: u.span.start)
                raise ParseError(first.span, f"use of undeclared SSA value %{first.operand_name}") from e
            raise
        if module not in self.positions:
            # an implicit module: place it at its first op
            first = module.body.block.first_op
            if first is not None and first in self.positions:
                self.positions[module] = self.positions[first]
        return module

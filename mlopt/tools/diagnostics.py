"""Diagnostics for mlopt's tools: source locations, MLIR-style error messages,
and the ``--verify-diagnostics`` checker.

A diagnostic prints like MLIR's::

    input.mlir:3:3: error: message
      func.return %0 : i32
      ^

Passes may report warnings and remarks (and non-fatal errors) through
:func:`emit_warning`, :func:`emit_remark`, :func:`emit_error`; inside the
``mlopt`` driver they are collected (and checked by ``--verify-diagnostics``),
elsewhere they are printed to stderr.  A pass that must fail at a known op can
raise :class:`OpDiagnosticError` (a ``DiagnosticException``), so the driver
reports the error at that op's source location.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from xdsl.utils.exceptions import DiagnosticException

if TYPE_CHECKING:
    from xdsl.ir import Operation

SEVERITIES = ("error", "warning", "note", "remark")


# --------------------------------------------------------------------------- #
# Locations and sources
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class SourceLoc:
    """A 1-based (line, column) position in a named source."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


class SourceText:
    """The text of one source with fast offset -> (line, col) lookup."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_col(self, offset: int) -> tuple[int, int]:
        idx = bisect_right(self._line_starts, offset) - 1
        return idx + 1, offset - self._line_starts[idx] + 1

    def loc(self, offset: int) -> SourceLoc:
        line, col = self.line_col(offset)
        return SourceLoc(self.name, line, col)

    def line_text(self, line: int) -> str | None:
        if not 1 <= line <= len(self._line_starts):
            return None
        start = self._line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end != -1 else len(self.text)].rstrip("\r")


class SourceManager:
    """Sources by name, used to print the source line under a diagnostic."""

    def __init__(self) -> None:
        self.sources: dict[str, SourceText] = {}

    def add(self, name: str, text: str) -> SourceText:
        src = SourceText(name, text)
        self.sources[name] = src
        return src

    def line_text(self, loc: SourceLoc) -> str | None:
        src = self.sources.get(loc.file)
        return None if src is None else src.line_text(loc.line)


# --------------------------------------------------------------------------- #
# Diagnostics
# --------------------------------------------------------------------------- #


@dataclass
class Diagnostic:
    severity: str
    message: str
    loc: SourceLoc | None = None
    notes: list[Diagnostic] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    """Extra explanatory lines, printed but never matched by --verify-diagnostics."""
    internal: bool = False
    """An unexpected exception (a bug in mlopt or a plugin), not a user error."""
    where: str | None = None
    """What to print instead of ``file:line:col`` when there is no location
    (e.g. the ONNX model's file name)."""

    def format(self, sources: SourceManager | None = None, prog: str = "mlopt") -> str:
        out: list[str] = []
        _format_one(self, sources, prog, out)
        for note in self.notes:
            _format_one(note, sources, prog, out)
        out.extend(self.context)
        return "\n".join(out) + "\n"


def _format_one(d: Diagnostic, sources: SourceManager | None, prog: str, out: list[str]) -> None:
    msg_lines = d.message.rstrip("\n").split("\n")
    prefix = str(d.loc) if d.loc is not None else (d.where or prog)
    out.append(f"{prefix}: {d.severity}: {msg_lines[0]}")
    out.extend(msg_lines[1:])
    if d.loc is None or sources is None:
        return
    line = sources.line_text(d.loc)
    if line is None:
        return
    out.append(line)
    # keep tabs so that the caret lines up under the source text
    pad = "".join(c if c == "\t" else " " for c in line[: max(d.loc.col - 1, 0)])
    out.append(pad + "^")


class OpDiagnosticError(DiagnosticException):
    """A user-facing error about a specific operation; reported at its location."""

    def __init__(self, op: Operation, message: str):
        super().__init__(message)
        self.op = op


# --------------------------------------------------------------------------- #
# Operation locations
# --------------------------------------------------------------------------- #


def _loc_from_attr(attr: object) -> SourceLoc | None:
    from xdsl.dialects.builtin import (
        CallSiteLoc,
        FileLineColLoc,
        FusedLoc,
        NameLoc,
    )

    if isinstance(attr, FileLineColLoc):
        return SourceLoc(attr.filename.data, attr.line.data, attr.column.data)
    if isinstance(attr, NameLoc):
        return _loc_from_attr(attr.location)
    if isinstance(attr, CallSiteLoc):
        return _loc_from_attr(attr.callee)
    if isinstance(attr, FusedLoc):
        for sub in attr.locations:
            if (loc := _loc_from_attr(sub)) is not None:
                return loc
    return None


def op_location(op: Operation, positions: dict[Operation, SourceLoc] | None = None) -> SourceLoc | None:
    """The source location of ``op``: its ``loc(...)``, its parse position, or the
    nearest enclosing op's."""
    cur: Operation | None = op
    while cur is not None:
        loc = _loc_from_attr(cur.location)
        if loc is None and positions is not None:
            loc = positions.get(cur)
        if loc is not None:
            return loc
        cur = cur.parent_op()
    return None


def onnx_node_of(op: Operation) -> tuple[str, str] | None:
    """(node name, op name) of the nearest op that came from a named ONNX node."""
    from xdsl.dialects.builtin import StringAttr

    cur: Operation | None = op
    while cur is not None:
        name = cur.attributes.get("onnx_node_name")
        if isinstance(name, StringAttr):
            return name.data, cur.name
        cur = cur.parent_op()
    return None


def candidate_ops(exc: BaseException, *, prefer_verify: bool = False) -> list[Operation]:
    """The operations an exception may be about, best guess first.

    The exception's ``op``/``operation`` attribute when present; then, from the
    innermost traceback frame outwards, the op of a verifier (``self`` of a
    ``verify*`` method, with ``prefer_verify``) and the ops held in locals
    named ``op``, ``self`` or ``operation`` (a rewrite pattern's matched op).
    """
    from xdsl.ir import Operation

    out: list[Operation] = []

    def add(cand: object) -> None:
        if isinstance(cand, Operation) and all(cand is not o for o in out):
            out.append(cand)

    for attr in ("op", "operation"):
        add(getattr(exc, attr, None))
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    if prefer_verify:
        for frame in reversed(frames):
            if "verify" in frame.f_code.co_name:
                add(frame.f_locals.get("self"))
    for frame in reversed(frames):
        for name in ("op", "self", "operation"):
            add(frame.f_locals.get(name))
    return out


def failing_op(exc: BaseException, *, prefer_verify: bool = False) -> Operation | None:
    """The best guess of the operation an exception is about (see candidate_ops)."""
    ops = candidate_ops(exc, prefer_verify=prefer_verify)
    return ops[0] if ops else None


# --------------------------------------------------------------------------- #
# The engine: collects diagnostics while the driver runs
# --------------------------------------------------------------------------- #


class DiagnosticEngine:
    def __init__(self, sources: SourceManager | None = None):
        self.sources = sources or SourceManager()
        self.positions: dict[Operation, SourceLoc] = {}
        self.diagnostics: list[Diagnostic] = []
        self.default_where: str | None = None
        """Printed for diagnostics without a source location (ONNX input)."""

    def location_of(self, op: Operation) -> SourceLoc | None:
        return op_location(op, self.positions)

    def locate_exception(self, exc: BaseException, *, prefer_verify: bool = False
                         ) -> tuple[Operation | None, SourceLoc | None]:
        """The op an exception is about and its location: the first candidate
        that has a location (ops a pass just created often have none)."""
        ops = candidate_ops(exc, prefer_verify=prefer_verify)
        for op in ops:
            if (loc := self.location_of(op)) is not None:
                return op, loc
        return (ops[0] if ops else None), None

    def emit(self, severity: str, message: str, op: Operation | None = None,
             loc: SourceLoc | None = None) -> Diagnostic:
        if loc is None and op is not None:
            loc = self.location_of(op)
            node = onnx_node_of(op) if loc is None else None
            if node is not None and f"'{node[0]}'" not in message:
                message = f"{message} [ONNX node '{node[0]}' ({node[1]})]"
        d = Diagnostic(severity, message, loc, where=self.default_where)
        self.diagnostics.append(d)
        return d

    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)


_ENGINES: list[DiagnosticEngine] = []


@contextmanager
def active_engine(engine: DiagnosticEngine) -> Iterator[DiagnosticEngine]:
    """Make ``engine`` receive what passes emit with emit_warning & co."""
    _ENGINES.append(engine)
    try:
        yield engine
    finally:
        _ENGINES.pop()


def _emit(severity: str, op: Operation | None, message: str) -> None:
    if _ENGINES:
        _ENGINES[-1].emit(severity, message, op)
        return
    loc = op_location(op) if op is not None else None
    sys.stderr.write(Diagnostic(severity, message, loc).format())


def emit_error(op: Operation | None, message: str) -> None:
    """Report a (non-fatal) error at ``op``; the driver fails after the pass."""
    _emit("error", op, message)


def emit_warning(op: Operation | None, message: str) -> None:
    _emit("warning", op, message)


def emit_remark(op: Operation | None, message: str) -> None:
    _emit("remark", op, message)


# --------------------------------------------------------------------------- #
# --verify-diagnostics
# --------------------------------------------------------------------------- #

_EXPECTED_RE = re.compile(
    r"expected-(error|warning|note|remark)(-re)?\s*"
    r"(?:@(above|below|unknown|[+-]\d+))?\s*\{\{(.*)\}\}"
)


@dataclass
class ExpectedDiagnostic:
    severity: str
    message: str
    loc: SourceLoc  # where the expectation is written
    line: int | None  # the line the diagnostic must be on; None for @unknown
    regex: re.Pattern[str] | None = None
    matched: bool = False

    def matches(self, d: Diagnostic) -> bool:
        if d.severity != self.severity:
            return False
        if self.line is None:
            if d.loc is not None:
                return False
        elif d.loc is None or d.loc.line != self.line or d.loc.file != self.loc.file:
            return False
        if self.regex is not None:
            return self.regex.search(d.message) is not None
        return self.message in d.message


def _compile_re_message(msg: str) -> re.Pattern[str]:
    """MLIR's ``-re`` form: literal text with ``{{regex}}`` pieces."""
    parts, pos = [], 0
    while (start := msg.find("{{", pos)) != -1:
        end = msg.find("}}", start + 2)
        if end == -1:
            break
        parts.append(re.escape(msg[pos:start]))
        parts.append("(?:" + msg[start + 2 : end] + ")")
        pos = end + 2
    parts.append(re.escape(msg[pos:]))
    return re.compile("".join(parts))


def parse_expected(text: str, file: str, first_line: int = 1) -> list[ExpectedDiagnostic]:
    """The ``expected-*`` designators in ``text`` (whose first line is ``first_line``).

    ``@+N``/``@-N`` are relative to the designator's line; ``@above`` and
    ``@below`` name the nearest line above/below that holds no designator;
    ``@unknown`` expects a diagnostic without a location.
    """
    out: list[ExpectedDiagnostic] = []
    pending_below: list[ExpectedDiagnostic] = []
    last_plain_line: int | None = None
    for i, line_text in enumerate(text.split("\n")):
        lineno = first_line + i
        matches = list(_EXPECTED_RE.finditer(line_text)) if "expected-" in line_text else []
        if not matches:
            for e in pending_below:
                e.line = lineno
            pending_below = []
            last_plain_line = lineno
            continue
        for m in matches:
            severity, is_re, where, message = m.groups()
            loc = SourceLoc(file, lineno, m.start() + 1)
            e = ExpectedDiagnostic(severity, message, loc, lineno)
            if is_re:
                try:
                    e.regex = _compile_re_message(message)
                except re.error as err:
                    raise ValueError(f"{loc}: invalid regex in expected-{severity}-re: {err}") from err
            if where is None:
                pass
            elif where == "unknown":
                e.line = None
            elif where == "above":
                e.line = last_plain_line if last_plain_line is not None else lineno - 1
            elif where == "below":
                pending_below.append(e)
            else:
                e.line = lineno + int(where)
            out.append(e)
    return out


def verify_expected(
    expected: list[ExpectedDiagnostic], produced: list[Diagnostic]
) -> list[Diagnostic]:
    """Match ``produced`` (notes included) against ``expected``; the result is the
    list of errors: unexpected diagnostics and expectations not produced."""
    problems: list[Diagnostic] = []
    flat: list[Diagnostic] = []
    for d in produced:
        flat.append(d)
        flat.extend(d.notes)
    for d in flat:
        for e in expected:
            if not e.matched and e.matches(d):
                e.matched = True
                break
        else:
            problems.append(Diagnostic("error", f"unexpected {d.severity}: {d.message}", d.loc))
    for e in expected:
        if not e.matched:
            kind = f"{e.severity}-re" if e.regex is not None else e.severity
            problems.append(
                Diagnostic("error", f'expected {kind} "{e.message}" was not produced', e.loc)
            )
    return problems


def write_diagnostics(diags: list[Diagnostic], sources: SourceManager, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for d in diags:
        stream.write(d.format(sources))

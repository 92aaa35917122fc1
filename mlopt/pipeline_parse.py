"""Parsing pass pipelines in MLIR syntax and in the short comma form.

Accepted forms::

    canonicalize,cse
    builtin.module(canonicalize,cse)
    builtin.module(func.func(canonicalize{max-iterations=3}),cse)

An op-anchored group ``OPNAME(...)`` runs its passes on the module (mlopt's
passes are module passes that walk nested ops themselves), so nesting is
flattened in order.  Options in ``{...}`` are handed to xDSL's pass-spec
parser, which maps them onto the pass's dataclass fields.
"""

from __future__ import annotations

from xdsl.passes import PassPipeline, PassPipelineCallbackType
from xdsl.utils.arg_spec import parse_pipeline as _xdsl_parse_pipeline
from xdsl.utils.exceptions import ArgSpecParseError

from mlopt.errors import UsageError
from mlopt.registry import Registry, default_registry


class PipelineError(UsageError):
    """A malformed pipeline, an unknown pass or a bad pass option."""


def _split_top_level(text: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
            if depth < 0:
                raise PipelineError(f"unbalanced ')' or '}}' in pipeline '{text}'")
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if depth != 0:
        raise PipelineError(f"unbalanced '(' or '{{' in pipeline '{text}'")
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def flatten_pipeline(text: str) -> list[str]:
    """The pass specs of ``text`` in order, with op-anchored groups removed."""
    out: list[str] = []
    for item in _split_top_level(text.strip()):
        paren = item.find("(")
        brace = item.find("{")
        if paren != -1 and (brace == -1 or paren < brace):
            anchor = item[:paren].strip()
            if not item.endswith(")"):
                raise PipelineError(f"expected ')' at the end of '{item}'")
            if not anchor or any(c.isspace() for c in anchor):
                raise PipelineError(f"bad op anchor '{anchor}' in pipeline")
            out.extend(flatten_pipeline(item[paren + 1 : -1]))
        else:
            out.append(item)
    return out


def _malformed_message(text: str, item: str, xdsl_message: str) -> str:
    """xDSL's whole diagnostic for a malformed pass spec, placed in the pipeline
    the user wrote: its reason, then that text with a caret under the column.

    xDSL reports ``pass-pipeline:LINE:COL``, the item, a caret line and the reason
    (e.g. "Expected a comma or pass arguments here"); the item is one top-level
    piece of ``text``, so the column is moved by where the item starts there."""
    lines = [ln for ln in xdsl_message.splitlines() if ln.strip()]
    reason = lines[-1].strip() if lines else "cannot parse this pass specification"
    col = 1
    for ln in lines:
        head, _, pos = ln.strip().rpartition(":")
        if head.startswith("pass-pipeline:") and pos.isdigit():
            col = int(pos)
            break
    shown = text.strip()
    start = max(shown.find(item), 0)
    col = min(start + col, len(shown) + 1)
    return (f"malformed pass pipeline (column {col}): {reason}\n"
            f"  {shown}\n"
            f"  {' ' * (col - 1)}^")


def parse_pipeline(
    text: str,
    registry: Registry | None = None,
    callback: PassPipelineCallbackType | None = None,
) -> PassPipeline:
    """Build a PassPipeline from ``text``; raises PipelineError on bad input."""
    reg = registry or default_registry()
    specs = []
    for item in flatten_pipeline(text):
        try:
            specs.extend(_xdsl_parse_pipeline(item))
        except ArgSpecParseError as e:
            raise PipelineError(_malformed_message(text, item, str(e))) from e
    passes = []
    for spec in specs:
        if spec.name not in reg.passes:
            raise PipelineError(f"unknown pass '{spec.name}' (see mlopt --list-passes)")
        cls = reg.passes[spec.name]()
        try:
            passes.append(cls.from_pass_spec(spec))
        except Exception as e:
            raise PipelineError(f"bad options for pass '{spec.name}': {e}") from e
    return PassPipeline(tuple(passes), callback)

"""What compiled code and its loaders agree on, without the compiler: the
weight pointer variables and blob layout, the index-check status record, and
the backend's error type. Light to import (no xDSL dialects), so loading a
saved artefact or a cache entry does not pay for the compiler's imports.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from xdsl.dialects.builtin import ArrayAttr
from xdsl.utils.exceptions import DiagnosticException

from mlopt.errors import CompileError

#: ``<global>__ptr``: the exported variable holding a weight's address
WEIGHT_PTR_SUFFIX = "__ptr"
#: every weight starts at a multiple of this in a ``weights.bin`` blob
WEIGHT_ALIGNMENT = 64
#: words of the status record: [code, check id, index, bound, axis, 0, 0, 0]
STATUS_WORDS = 8
#: ``status[0]`` (and the entry's return value) after an out-of-range index
STATUS_INDEX_OUT_OF_RANGE = 1
#: the entry's attribute holding the check table (see ``lower-index-checks``)
TABLE_ATTR = "mlopt.index_checks"


class LLVMTranslationError(CompileError, DiagnosticException):
    """The llvm-dialect module cannot be translated to LLVM IR."""


class CheckInfo(NamedTuple):
    """One row of the check table: the ONNX node, its op type, and whether
    negative indices wrap (False: the valid indices are ``0..bound-1``)."""

    node: str
    op_type: str
    wraps: bool = True


def weight_offsets(weights: dict[str, np.ndarray]) -> dict[str, int]:
    """Byte offset of each weight in the ``.weights.bin`` blob (64-byte aligned, in order)."""
    offsets: dict[str, int] = {}
    pos = 0
    for name, array in weights.items():
        offsets[name] = pos
        pos += -(-max(array.nbytes, 1) // WEIGHT_ALIGNMENT) * WEIGHT_ALIGNMENT
    return offsets


def read_check_table(attr: object) -> list[CheckInfo] | None:
    """The rows of an ``mlopt.index_checks`` attribute (None if ``attr`` is not one)."""
    if not isinstance(attr, ArrayAttr):
        return None
    rows: list[CheckInfo] = []
    for row in attr.data:
        cells = [c.data for c in row.data]  # type: ignore[attr-defined]
        rows.append(CheckInfo(cells[0], cells[1], len(cells) < 3 or cells[2] != "nowrap"))
    return rows


def write_weight_blob(f: Any, weights: dict[str, np.ndarray]) -> None:
    """The weights, each at its :func:`weight_offsets` offset (to a binary file object)."""
    offsets = weight_offsets(weights)
    pos = 0
    for name, array in weights.items():
        f.write(b"\0" * (offsets[name] - pos))
        data = np.ascontiguousarray(array).reshape(-1).view(np.uint8)  # any dtype, bfloat16 too
        f.write(data.data if data.nbytes else b"")
        pos = offsets[name] + data.nbytes
    end = max((offsets[n] + max(a.nbytes, 1) for n, a in weights.items()), default=0)
    f.write(b"\0" * (end - pos))

"""The error status of a compiled entry point (see ``lower-index-checks``).

An entry with index checks is ``int32_t f(in..., out..., int64_t status[8])``:
it returns ``status[0]``, 0 when every check passed. After a failure
``status[0]`` is :data:`STATUS_INDEX_OUT_OF_RANGE` and ``status[1..4]`` hold the
check id, the index value (as given, before negative indices wrap), the size of
the indexed axis and the axis. The check ids name ONNX nodes through the table
``mlopt.index_checks`` recorded on the entry (rows ``(node, op type[, wraps])``;
``wraps`` False: negative indices are out of range too).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mlopt.errors import IndexOutOfRangeError, RuntimeCheckError, index_range_message
from mlopt.backends.llvm.abi import STATUS_INDEX_OUT_OF_RANGE, STATUS_WORDS

__all__ = ["STATUS_WORDS", "STATUS_INDEX_OUT_OF_RANGE", "new_status", "status_error", "raise_for_status"]


def new_status() -> np.ndarray:
    """A zeroed status record to pass as the entry's last argument."""
    return np.zeros(STATUS_WORDS, dtype=np.int64)


def status_error(
    code: int, status: np.ndarray, checks: Sequence[tuple]
) -> RuntimeCheckError:
    """The exception for a nonzero return ``code`` with the record ``status``."""
    if code != STATUS_INDEX_OUT_OF_RANGE:
        return RuntimeCheckError(f"the compiled code reported error status {code}")
    check_id, index, bound, axis = (int(v) for v in status[1:5])
    row = tuple(checks[check_id]) if 0 <= check_id < len(checks) else ("", "?")
    node, op_type = row[0], row[1]
    wraps = row[2] if len(row) > 2 else True
    where = f"node '{node}'" if node else "unnamed node"
    return IndexOutOfRangeError(
        f"{where} ({op_type}): {index_range_message(index, bound, axis, wraps=wraps, op_type=op_type)}",
        node=node,
        index=index,
        bound=bound,
    )


def raise_for_status(code: int, status: np.ndarray, checks: Sequence[tuple]) -> None:
    """Raise :func:`status_error` unless ``code`` is 0."""
    if code:
        raise status_error(code, status, checks)

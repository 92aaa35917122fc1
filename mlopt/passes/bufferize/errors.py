"""The error raised by bufferize and convert-linalg-to-affine on IR they reject."""

from __future__ import annotations

from xdsl.ir import Operation
from xdsl.utils.exceptions import PassFailedException

from mlopt import errors as _mlopt_errors


class LoweringError(_mlopt_errors.LoweringError, PassFailedException):
    """A user-facing error about one operation.

    ``op`` is the offending operation, so a driver can print its source
    location; the message itself names the op.
    """

    def __init__(self, op: Operation, message: str):
        super().__init__(f"'{op.name}' op {message}")
        self.op = op

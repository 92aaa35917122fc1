"""mlopt's exception hierarchy: every error a public function raises on a user's
bad input, model or options is an :class:`MloptError`.

::

    MloptError
    ├── ModelImportError      the model cannot be read or imported (file, protobuf, ONNX node)
    ├── VerificationError     IR that does not verify
    ├── CompileError          a pass, lowering, translation or target problem
    │   ├── LoweringError     an op (or attribute value) has no lowering
    │   └── TargetError       unknown target triple / CPU / features
    ├── InputError            a call's inputs do not match the model (names, dtypes, shapes)
    ├── RuntimeCheckError     a check in generated code failed during a call
    │   └── IndexOutOfRangeError   an index operand is outside its axis
    ├── PluginError           a plugin failed to load or registered something invalid
    ├── UsageError            bad command-line or pipeline syntax
    └── ArtifactError         a saved package or pickled model cannot be loaded

Classes elsewhere in mlopt that a user may see derive from these (for example the
ONNX lowering's ``LoweringError`` is also an xDSL ``DiagnosticException``), so
``except mlopt.MloptError`` catches every one of them.
"""

from __future__ import annotations

from xdsl.utils import exceptions as _x

__all__ = [
    "MloptError",
    "ModelImportError",
    "VerificationError",
    "CompileError",
    "LoweringError",
    "TargetError",
    "InputError",
    "RuntimeCheckError",
    "IndexOutOfRangeError",
    "PluginError",
    "UsageError",
    "ArtifactError",
]


class MloptError(Exception):
    """The root of every error mlopt raises about a user's input."""


class ModelImportError(MloptError):
    """A model file cannot be read, decoded or imported."""


class VerificationError(MloptError):
    """IR that does not verify."""


class CompileError(MloptError):
    """Compilation failed: a pass, a lowering, LLVM translation or the target."""


class LoweringError(CompileError):
    """An op, or a value of one of its attributes, cannot be lowered."""


class TargetError(CompileError):
    """An unknown target triple, CPU name or feature string."""


class InputError(MloptError, ValueError):
    """A call's inputs do not match the model's (count, names, dtypes, shapes)."""


class RuntimeCheckError(MloptError):
    """A check in the generated code failed while the model ran."""


class IndexOutOfRangeError(RuntimeCheckError, IndexError):
    """An index operand (Gather, Scatter*, OneHot...) is outside the indexed axis.

    ``node`` names the ONNX node, ``index`` is the offending value and ``bound``
    the size of the axis (valid indices are ``-bound <= i < bound``)."""

    def __init__(self, message: str, *, node: str = "", index: int | None = None, bound: int | None = None):
        super().__init__(message)
        self.node = node
        self.index = index
        self.bound = bound


def unexpected_error_text(e: BaseException) -> str:
    """An unexpected exception (a bug in mlopt or a plugin) in words for a CLI
    message, without Python class names (``--debug``/``--traceback`` shows them)."""
    msg = str(e).strip()
    if isinstance(e, KeyError):
        return f"missing key {msg}" if msg else "a missing key"
    if isinstance(e, AssertionError):
        return f"an internal assertion failed: {msg}" if msg else "an internal assertion failed"
    return msg.splitlines()[0] if msg else "an unexpected failure with no message"


#: A check's bound at or above this means "no upper bound" (TensorScatter's
#: circular write index need only be non-negative).
UNBOUNDED = 1 << 62


def index_range_message(
    index: int, bound: int, axis: int, *, wraps: bool, op_type: str = "", at: str = ""
) -> str:
    """Why ``index`` is out of range, the same words at compile time (a constant
    index) and at run time (the entry's error status).

    ``axis`` < 0 means the index addresses the flattened tensor (MaxUnpool);
    TensorScatter's bound is the number of write positions at which the update
    still fits along ``axis``, not the axis' size. ``at`` (the index's position
    in its tensor) follows the index value."""
    index_at = f"{index} ({at})" if at else f"{index}"
    if bound >= UNBOUNDED:
        valid = "0 or more"
    elif bound <= 0:
        valid = "none"
    else:
        valid = f"{-bound if wraps else 0}..{bound - 1}"
    if op_type == "TensorScatter":
        fits = "" if bound >= UNBOUNDED else f": the update must fit in the cache along axis {axis}"
        return f"write index {index_at} is out of range (valid: {valid}){fits}"
    where = "the flattened output" if axis < 0 else f"axis {axis}"
    return f"index {index_at} is out of range for {where} of size {bound} (valid: {valid})"


class PluginError(MloptError):
    """A plugin failed to load, or registered a name twice."""


class UsageError(MloptError):
    """Bad command-line arguments or pipeline text."""


class ArtifactError(MloptError):
    """A saved package (or a pickled model) cannot be loaded: missing or corrupt
    files, an unknown format version, or code for a CPU this machine is not."""



# --------------------------------------------------------------------------- #
# xDSL's exceptions, as they leave mlopt's public functions
# --------------------------------------------------------------------------- #
#
# A public function (mlopt.parse, run_pipeline, import_onnx, compile,
# mlopt.backend.prepare) re-raises an xDSL ParseError / VerifyException /
# PassFailedException (or any other DiagnosticException) escaping it as one of
# the classes below, ``from`` the original. Each is both the MloptError subclass
# and the xDSL class it replaces, so ``except VerifyException`` keeps working;
# the message (with its ``file:line:col``) is the original's.


class IRParseError(VerificationError, _x.ParseError):
    """IR text that does not parse (also an xDSL ``ParseError``)."""

    def __init__(self, original: _x.ParseError):
        _x.ParseError.__init__(self, original.span, original.msg)
        self._text = str(original)

    def __str__(self) -> str:  # the original's, notes of a MultipleSpansParseError included
        return self._text


class IRVerifyError(VerificationError, _x.VerifyException):
    """IR that does not verify (also an xDSL ``VerifyException``)."""


class PassFailedError(CompileError, _x.PassFailedException):
    """A pass failed (also an xDSL ``PassFailedException``)."""


class DiagnosticError(CompileError, _x.DiagnosticException):
    """Any other xDSL diagnostic (LLVM translation, interpretation...)."""


class CompileArgumentError(CompileError, ValueError):
    """A ``ValueError`` from compiling (a bad option value, a model the compiled
    path cannot take); still a ``ValueError``."""


def as_mlopt_error(exc: BaseException) -> MloptError | None:
    """The MloptError a public function raises instead of ``exc`` (``None``:
    ``exc`` is one already, or is not about the user's input -- a bug, left as is)."""
    if isinstance(exc, MloptError):
        return None
    if isinstance(exc, _x.ParseError):
        return IRParseError(exc)
    if isinstance(exc, _x.VerifyException):
        return IRVerifyError(str(exc))
    if isinstance(exc, _x.PassFailedException):
        return PassFailedError(str(exc))
    if isinstance(exc, _x.DiagnosticException):
        return DiagnosticError(str(exc))
    if type(exc) is ValueError:
        return CompileArgumentError(str(exc))
    return None


class public_errors:
    """``with public_errors(): ...`` re-raises what :func:`as_mlopt_error`
    translates, ``from`` the original (kept as ``__cause__``)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: type | None, exc: BaseException | None, tb: object) -> bool:
        if exc is None:
            return False
        new = as_mlopt_error(exc)
        if new is None:
            return False
        raise new from exc

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
    └── UsageError            bad command-line or pipeline syntax

Classes elsewhere in mlopt that a user may see derive from these (for example the
ONNX lowering's ``LoweringError`` is also an xDSL ``DiagnosticException``), so
``except mlopt.MloptError`` catches every one of them.
"""

from __future__ import annotations

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


class PluginError(MloptError):
    """A plugin failed to load, or registered a name twice."""


class UsageError(MloptError):
    """Bad command-line arguments or pipeline text."""

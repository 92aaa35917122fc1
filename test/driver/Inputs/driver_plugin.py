"""A small plugin for the driver's lit tests: passes that annotate, fail,
warn, crash or break the IR on purpose."""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, func
from xdsl.utils.exceptions import DiagnosticException

from xdsl.passes import ModulePass

from mlopt.plugins import Plugin
from mlopt.tools.diagnostics import emit_remark, emit_warning


@dataclass(frozen=True)
class TagFuncsPass(ModulePass):
    """Tag every func.func with a `driver.tag` attribute (tests pass options)."""

    name = "test-driver-tag"

    label: str = "seen"
    count: int = 1

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for f in op.walk():
            if isinstance(f, func.FuncOp):
                f.attributes["driver.tag"] = builtin.StringAttr(f"{self.label}x{self.count}")


@dataclass(frozen=True)
class FailOnAddPass(ModulePass):
    """Fail with a diagnostic at the first arith.addi."""

    name = "test-driver-fail"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for inner in op.walk():
            if isinstance(inner, arith.AddiOp):
                self.reject(inner)

    @staticmethod
    def reject(op):
        raise DiagnosticException("addition is not allowed here")


@dataclass(frozen=True)
class WarnPass(ModulePass):
    """Warn about every arith.constant and remark on every function."""

    name = "test-driver-warn"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for inner in op.walk():
            if isinstance(inner, arith.ConstantOp):
                emit_warning(inner, "constant seen")
            elif isinstance(inner, func.FuncOp):
                emit_remark(inner, f"function @{inner.sym_name.data}")
        emit_remark(None, "warn pass done")


@dataclass(frozen=True)
class CrashPass(ModulePass):
    """Raise an unexpected exception (a bug)."""

    name = "test-driver-crash"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        raise KeyError("boom")


@dataclass(frozen=True)
class BreakPass(ModulePass):
    """Make the IR invalid: drop the operands of every func.return."""

    name = "test-driver-break"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for inner in list(op.walk()):
            if isinstance(inner, func.ReturnOp) and inner.operands:
                inner.operands = ()


plugin = Plugin(
    name="driver-test",
    passes=[TagFuncsPass, FailOnAddPass, WarnPass, CrashPass, BreakPass],
    pipelines={"test-driver-pipeline": "test-driver-tag{label=pipe},canonicalize"},
)

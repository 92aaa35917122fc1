"""A second plugin (loaded as a file or, with PYTHONPATH, as a module)."""

from dataclasses import dataclass

from xdsl.dialects import builtin, func
from xdsl.passes import ModulePass

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class SecondTag(ModulePass):
    """Put a unit attribute `second.tag` on every function."""

    name = "test-second-tag"

    def apply(self, ctx, op: builtin.ModuleOp) -> None:
        for f in op.walk():
            if isinstance(f, func.FuncOp):
                f.attributes["second.tag"] = builtin.UnitAttr()


def mlopt_plugin() -> Plugin:
    return Plugin(name="second", passes=[SecondTag])

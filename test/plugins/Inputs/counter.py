"""A tiny self-contained plugin loaded with --load-plugin: pass `count-ops`
prints the number of ops in the module and a pipeline using it."""
from dataclasses import dataclass

from xdsl.passes import ModulePass

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class CountOps(ModulePass):
    """Attach `count_ops.n = <number of ops>` to the module."""

    name = "count-ops"

    def apply(self, ctx, op):
        from xdsl.dialects.builtin import IntegerAttr, i64

        n = sum(1 for _ in op.walk()) - 1
        op.attributes["count_ops.n"] = IntegerAttr(n, i64)


def mlopt_plugin():
    return Plugin(
        name="counter",
        passes=[CountOps],
        pipelines={"cse-then-count": "cse,count-ops"},
    )

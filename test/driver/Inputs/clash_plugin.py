"""A plugin whose pass reuses the name of xDSL's `cse`: loading it must fail cleanly."""

from dataclasses import dataclass

from xdsl.passes import ModulePass

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class MyCse(ModulePass):
    """Clashes with cse."""

    name = "cse"

    def apply(self, ctx, op) -> None:
        pass


plugin = Plugin(name="clasher", passes=[MyCse])

"""A plugin whose pass reuses the name of xDSL's `cse` pass."""
from dataclasses import dataclass

from xdsl.passes import ModulePass

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class MyCse(ModulePass):
    name = "cse"

    def apply(self, ctx, op):
        pass


plugin = Plugin(name="clash-pass", passes=[MyCse])

"""A second plugin that also defines `toy-fold-scale` and an ONNX lowering for `toy.Scale`."""
from dataclasses import dataclass

from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import RewritePattern

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class OtherFold(ModulePass):
    name = "toy-fold-scale"

    def apply(self, ctx, op):
        pass


class Nothing(RewritePattern):
    def match_and_rewrite(self, op, rewriter):
        pass


plugin = Plugin(name="other-toy", passes=[OtherFold])
lowering_only = Plugin(name="other-lowering", onnx_lowerings={"toy.Scale": Nothing()})

from xdsl.pattern_rewriter import RewritePattern

from mlopt.plugins import Plugin


class Nothing(RewritePattern):
    def match_and_rewrite(self, op, rewriter):
        pass


plugin = Plugin(name="lowering-b", onnx_lowerings={"custom.Foo": Nothing()})

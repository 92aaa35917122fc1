"""``convert-toy-to-arith``: lower the ``toy`` dialect to ``arith`` (and ``math``).

Accepts any IR; produces IR without ``toy`` ops:

* ``toy.scale %x by c : T``   -> ``arith.constant c : T`` + ``arith.mulf``
* ``toy.axpy %a, %x, %y : T`` -> ``arith.mulf`` + ``arith.addf``, or a single
  ``math.fma`` with the option ``use-fma=true``.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlopt_example_plugin.dialect import AxpyOp, ScaleOp


class LowerScale(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ScaleOp, rewriter: PatternRewriter) -> None:
        factor = arith.ConstantOp(op.factor)
        rewriter.replace(op, [factor, arith.MulfOp(op.input, factor.result)])


@dataclass
class LowerAxpy(RewritePattern):
    use_fma: bool = False

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: AxpyOp, rewriter: PatternRewriter) -> None:
        if self.use_fma:
            from xdsl.dialects import math  # imported only when needed

            rewriter.replace(op, math.FmaOp(op.a, op.x, op.y))
            return
        mul = arith.MulfOp(op.a, op.x)
        rewriter.replace(op, [mul, arith.AddfOp(mul.result, op.y)])


@dataclass(frozen=True)
class ConvertToyToArithPass(ModulePass):
    """Lower toy.scale and toy.axpy to arith (math.fma with use-fma=true)."""

    name = "convert-toy-to-arith"

    use_fma: bool = False
    """Lower ``toy.axpy`` to one ``math.fma`` instead of ``mulf`` + ``addf``."""

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [LowerScale(), LowerAxpy(self.use_fma)], dce_enabled=False
            )
        ).rewrite_module(op)

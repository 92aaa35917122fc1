"""``toy-fold-scale``: simplify chains of ``toy.scale``.

Accepts any IR; rewrites only ``toy.scale`` ops:

* ``toy.scale %x by 1.0``                      -> ``%x``
* ``toy.scale (toy.scale %x by a) by b``       -> ``toy.scale %x by (a*b)``
  (reassociation, as under fast-math; skipped if ``a*b`` overflows)

The result is still in the ``toy`` dialect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlopt_example_plugin.dialect import ScaleOp


class RemoveUnitScale(RewritePattern):
    """``toy.scale %x by 1.0`` is ``%x``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ScaleOp, rewriter: PatternRewriter) -> None:
        if op.factor_value == 1.0:
            rewriter.replace(op, [], [op.input])


class CombineChainedScales(RewritePattern):
    """``scale(scale(x, a), b)`` is ``scale(x, a*b)``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ScaleOp, rewriter: PatternRewriter) -> None:
        inner = op.input.owner
        if not isinstance(inner, ScaleOp):
            return
        product = inner.factor_value * op.factor_value
        if not math.isfinite(product):
            return
        rewriter.replace(op, ScaleOp(inner.input, product))
        if not inner.result.uses:
            rewriter.erase(inner)


@dataclass(frozen=True)
class ToyFoldScalePass(ModulePass):
    """Fold unit scales and combine chained toy.scale ops."""

    name = "toy-fold-scale"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [RemoveUnitScale(), CombineChainedScales()], dce_enabled=False
            )
        ).rewrite_module(op)

"""``canonicalize`` with MLIR's ``max-iterations`` option.

Accepts and produces any IR. Applies every op's canonicalization patterns and
folders, with dead-code elimination of the regions after each sweep, as xDSL's
``canonicalize`` does. MLIR bounds the sweeps with ``max-iterations``; xDSL's
pass has no options, so ``canonicalize{max-iterations=3}`` (as written for
mlir-opt) failed. This pass replaces it under the same name:

* ``max-iterations=-1`` (the default): sweep until nothing changes, exactly
  xDSL's pass;
* ``max-iterations=N`` (N >= 1): at most N sweeps, stopping earlier when one
  changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriteWalker
from xdsl.transforms.canonicalize import CanonicalizationRewritePattern
from xdsl.transforms.canonicalize import CanonicalizePass as _XdslCanonicalize
from xdsl.transforms.dead_code_elimination import region_dce


@dataclass(frozen=True)
class CanonicalizePass(ModulePass):
    """Apply all canonicalization patterns and folders, then remove dead code; repeat until nothing changes or max-iterations sweeps (-1: no limit)."""

    name = "canonicalize"

    max_iterations: int = -1

    def __post_init__(self) -> None:
        if self.max_iterations == 0 or self.max_iterations < -1:
            raise ValueError(
                f"max-iterations must be a positive number of sweeps or -1 (no limit), "
                f"not {self.max_iterations}"
            )

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        if self.max_iterations < 0:
            _XdslCanonicalize().apply(ctx, op)
            return
        pattern = GreedyRewritePatternApplier(
            [CanonicalizationRewritePattern()], ctx=ctx, folding_enabled=True
        )
        walker = PatternRewriteWalker(pattern, post_walk_func=region_dce, apply_recursively=False)
        for _ in range(self.max_iterations):
            if not walker.rewrite_module(op):
                break

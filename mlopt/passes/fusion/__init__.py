"""Tensor-level fusion passes."""

from mlopt.passes.fusion.elementwise import LinalgFuseElementwisePass

__all__ = ["LinalgFuseElementwisePass"]

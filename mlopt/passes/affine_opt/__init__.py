"""Loop-nest optimisations for the affine lowering (loop order, constant layouts)."""

from mlopt.passes.affine_opt.interchange import LinalgInterchangePass

__all__ = ["LinalgInterchangePass"]

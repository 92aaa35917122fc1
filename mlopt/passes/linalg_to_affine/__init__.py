"""`convert-linalg-to-affine`: linalg on memrefs to affine loop nests."""

from mlopt.passes.linalg_to_affine.lowering import ConvertLinalgToAffinePass

__all__ = ["ConvertLinalgToAffinePass"]

"""Kernel generation: contractions as register-blocked vector micro-kernels."""

from mlopt.passes.kernels.contraction import LinalgContractionToVectorPass

__all__ = ["LinalgContractionToVectorPass"]

"""`lower-affine`: affine loops and accesses -> scf + memref + arith.

Accepts the affine level (contract C): ``affine.for`` (bounds given by maps,
``iter_args``), ``affine.parallel`` (without reductions, or with the standard
reduction kinds), ``affine.if``, ``affine.load``/``affine.store`` through any
affine map, ``affine.vector_load``/``store`` (-> ``vector.load``/``store``),
``affine.apply``, ``affine.min``, ``affine.yield``.

Produces ``scf.for``/``scf.if``/``scf.yield``, ``memref.load``/``memref.store``
and ``arith`` index arithmetic (``nsw`` on adds and multiplies, so LLVM can
reason about the address computations).

Unlike xDSL's ``lower-affine``, the index arithmetic honours map symbols,
``mod``/``floordiv``/``ceildiv`` semantics for negative values, and multi-result
bound maps (max of lower bounds, min of upper bounds).
"""

from mlopt.passes.lower_affine.lower import LowerAffinePass, expand_affine_map

__all__ = ["LowerAffinePass", "expand_affine_map"]

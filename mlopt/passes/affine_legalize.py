"""``legalize-affine-indices``: affine accesses whose indices MLIR's affine
dialect does not accept become ``affine.apply`` + plain ``memref``/``vector``
accesses.

MLIR (and so upstream tools such as ``mlir-opt`` and ``iree-opt``) verifies
that every map operand of an ``affine.load``, ``affine.store``,
``affine.vector_load`` and ``affine.vector_store`` is a valid *dimension* or
*symbol* of the enclosing affine scope (the function):

* a symbol: a value defined at the function's top level (or a function
  argument), a constant, or an ``affine.apply`` of symbols;
* a dimension: a symbol, a block argument of an ``affine.for`` or
  ``affine.parallel``, or an ``affine.apply`` of dimensions.

The contraction kernels clamp their last tile's origin with ``affine.min``
(the tile is moved back to end at the edge), and an ``affine.min`` result is
neither, so ``iree-opt`` rejected mlopt's affine level ("operand cannot be
used as a dimension id"). This pass (run at the end of the linalg-to-affine
stage) rewrites each such access into one single-result ``affine.apply`` per
index -- an ``affine.apply`` may take any index operand -- and a
``memref.load``/``memref.store``/``vector.load``/``vector.store`` of those
indices. ``lower-affine`` produces exactly that from the affine access later
on, so the generated code does not change; accesses whose operands are valid
are left alone.
"""

from __future__ import annotations

from xdsl.context import Context
from xdsl.dialects import affine, arith, builtin, func, memref, vector
from xdsl.ir import BlockArgument, Operation, OpResult, SSAValue
from xdsl.ir.affine import AffineMap
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

_ACCESSES = (affine.LoadOp, affine.StoreOp, affine.VectorLoadOp, affine.VectorStoreOp)


def _is_top_level(value: SSAValue) -> bool:
    if isinstance(value, BlockArgument):
        return isinstance(value.block.parent_op(), func.FuncOp)
    assert isinstance(value, OpResult)
    return isinstance(value.op.parent_op(), func.FuncOp)


def is_valid_symbol(value: SSAValue) -> bool:
    if _is_top_level(value):
        return True
    if isinstance(value, OpResult):
        if isinstance(value.op, arith.ConstantOp):
            return True
        if isinstance(value.op, affine.ApplyOp):
            return all(is_valid_symbol(o) for o in value.op.operands)
    return False


def is_valid_dim(value: SSAValue) -> bool:
    if is_valid_symbol(value):
        return True
    if isinstance(value, BlockArgument):
        return isinstance(value.block.parent_op(), affine.ForOp | affine.ParallelOp)
    assert isinstance(value, OpResult)
    if isinstance(value.op, affine.ApplyOp):
        return all(is_valid_dim(o) for o in value.op.operands)
    return False


def _index_ops(amap: AffineMap, operands: tuple[SSAValue, ...]) -> list[affine.ApplyOp]:
    """One single-result ``affine.apply`` per result of ``amap``."""
    return [
        affine.ApplyOp(operands, builtin.AffineMapAttr(AffineMap(amap.num_dims, amap.num_symbols, (expr,))))
        for expr in amap.results
    ]


def legalize(op: Operation) -> bool:
    """Rewrite ``op`` if it is an affine access with an invalid index operand."""
    if not isinstance(op, _ACCESSES) or all(is_valid_dim(v) for v in op.indices):
        return False
    applies = _index_ops(op.map.data, tuple(op.indices))
    idx = [a.result for a in applies]
    new: Operation
    match op:
        case affine.LoadOp():
            new = memref.LoadOp.get(op.memref, idx)
        case affine.StoreOp():
            new = memref.StoreOp.get(op.value, op.memref, idx)
        case affine.VectorLoadOp():
            new = vector.LoadOp(op.memref, idx, op.result.type)  # type: ignore[arg-type]
        case affine.VectorStoreOp():
            new = vector.StoreOp(op.value, op.memref, idx)
    new.attributes.update(op.attributes)
    Rewriter.replace_op(op, [*applies, new], [r for r in new.results] or None)
    return True


class LegalizeAffineIndicesPass(ModulePass):
    """Affine accesses indexed by non-affine values (affine.min) -> affine.apply + memref/vector ops."""

    name = "legalize-affine-indices"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:  # noqa: ARG002
        for access in [o for o in op.walk() if isinstance(o, _ACCESSES)]:
            legalize(access)

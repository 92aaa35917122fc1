"""`linalg-interchange`: choose the loop order of reduction nests for the affine lowering.

``convert-linalg-to-affine`` emits one ``affine.for`` per iterator of a
``linalg.generic``, in dimension order.  ONNX lowerings put the reduction
dimensions last (MatMul ``(i, j, k)``, Conv ``(n, f, oh, ow, c, kh, kw)``), so
the innermost loop is a reduction: a serial floating-point chain LLVM may not
vectorise (no reassociation without fast-math), reading weights with a large
stride.

This pass accepts ``linalg.generic`` ops on tensors or memrefs and, when

* ``p``, the dimension that the output's innermost (unit-stride) index is (the
  same plain ``d_p`` in every output map), is parallel with a trip count >= 2
  and followed by reduction dimensions,
* every input either does not use ``p`` or uses it only in its last index
  (unit or constant stride along ``p``), or is a dense ``arith.constant``
  indexed by plain dimensions — that constant is then transposed at compile
  time so that its ``p`` index becomes the last one,

moves ``p`` innermost, after every other dimension except a trailing group of
reduction dimensions whose trip counts multiply to at most
``MAX_UNROLLED_TAIL`` (by default only trip-count-1 loops) — maps,
``iterator_types`` and ``linalg.index`` renumbered.  The affine lowering then
produces e.g. an ``i, k, j`` matmul or an ``n, f, oh, c, kh, kw, ow``
convolution, whose innermost loop — unit stride over the output and the
weights — LLVM vectorises without reassociating the reduction.  The order of the
reduction for every output element is unchanged, so results are
bit-identical.  Other ops are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, IndexOp
from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    ModuleOp,
    ShapedType,
    TensorType,
)
from xdsl.ir import SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

_REDUCTION = IteratorType.REDUCTION


def _innermost_output_dim(op: GenericOp, maps: list[AffineMap]) -> int | None:
    """The dim that every output's last index is, if it is the same plain dim."""
    n_in = len(op.inputs)
    dims: set[int] = set()
    for m in maps[n_in:]:
        if not m.results or not isinstance(m.results[-1], AffineDimExpr):
            return None
        dims.add(m.results[-1].position)
    return dims.pop() if len(dims) == 1 else None


def _dense_constant(v: SSAValue) -> DenseIntOrFPElementsAttr | None:
    owner = v.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(v.type, TensorType):
        value = owner.value
        if isinstance(value, DenseIntOrFPElementsAttr):
            return value
    return None


def _transposable(m: AffineMap, p: int) -> int | None:
    """Position of plain ``d_p`` among ``m``'s results when all results are plain dims."""
    if not all(isinstance(e, AffineDimExpr) for e in m.results):
        return None
    for i, e in enumerate(m.results):
        if isinstance(e, AffineDimExpr) and e.position == p:
            return i
    return None


def _move_last(arr: np.ndarray, pos: int) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(arr, pos, -1))


def _transposed_constant(
    rewriter: PatternRewriter, op: GenericOp, value: SSAValue, attr: DenseIntOrFPElementsAttr, pos: int
) -> SSAValue | None:
    from mlopt.passes.onnx_to_tensor.common import dense_attr, dense_to_numpy

    try:
        arr = dense_to_numpy(attr)
    except Exception:  # noqa: BLE001 - unreadable payload: leave the op alone
        return None
    assert isinstance(value.type, ShapedType)
    elt = value.type.get_element_type()
    new_attr = dense_attr(_move_last(arr, pos), elt)
    cst = arith.ConstantOp(new_attr, new_attr.type)
    rewriter.insert_op(cst, _before(op))
    return cst.result


def _before(op):
    from xdsl.rewriter import InsertPoint

    return InsertPoint.before(op)


def _permute_map(m: AffineMap, new_pos: list[int]) -> AffineMap:
    """Rename dim ``o`` to ``new_pos[o]``."""
    n = len(new_pos)
    return m.replace_dims_and_symbols(
        [AffineExpr.dimension(new_pos[o]) for o in range(n)], [], n, 0
    )


# Trailing reduction loops whose trip counts multiply to at most this stay
# innermost (after ``p``), for LLVM to unroll completely, so the accumulator
# is loaded and stored once per that many multiply-adds (e.g. 16 keeps a 3x3
# convolution window).  Measured (bench/bench_kernels.py conv_relu,
# conv_small): no gain at 56x56 outputs and 1.8x slower at 13x13 (the
# vectorised loop over ``ow`` is then too short to amortise), so by default
# only trip-count-1 loops stay after ``p``.
MAX_UNROLLED_TAIL = 1


def _small_reduction_tail(iters: list, ranges: list[int], p: int, limit: int) -> list[int]:
    tail: list[int] = []
    product = 1
    for o in range(len(iters) - 1, p, -1):
        if iters[o] != _REDUCTION or product * ranges[o] > limit:
            break
        product *= ranges[o]
        tail.insert(0, o)
    return tail


class InterchangeReductionNest(RewritePattern):
    def __init__(self, max_unrolled_tail: int = MAX_UNROLLED_TAIL):
        self.max_unrolled_tail = max_unrolled_tail

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        maps = [m.data for m in op.indexing_maps.data]
        iters = [it.data for it in op.iterator_types.data]
        n = len(iters)
        if n < 2 or not op.outputs or any(m.num_symbols for m in maps):
            return
        p = _innermost_output_dim(op, maps)
        if p is None or p == n - 1 or iters[p] == _REDUCTION:
            return
        try:
            ranges = op.get_static_loop_ranges()
        except Exception:  # noqa: BLE001 - unknown ranges: not our business
            return
        if ranges[p] < 2:
            return
        tail = _small_reduction_tail(iters, ranges, p, self.max_unrolled_tail)
        order = [o for o in range(n) if o != p and o not in tail] + [p] + tail
        if order == list(range(n)):
            return

        n_in = len(op.inputs)
        to_transpose: list[tuple[int, DenseIntOrFPElementsAttr, int]] = []
        for i in range(n_in):
            m = maps[i]
            uses = [p in e.used_dims() for e in m.results]
            if not any(uses) or (uses[-1] and not any(uses[:-1])):
                continue
            attr = _dense_constant(op.inputs[i])
            pos = _transposable(m, p) if attr is not None else None
            if attr is None or pos is None or sum(uses) != 1:
                return
            to_transpose.append((i, attr, pos))

        new_maps = list(maps)
        for i, attr, pos in to_transpose:
            new_value = _transposed_constant(rewriter, op, op.inputs[i], attr, pos)
            if new_value is None:
                return
            old_owner = op.inputs[i].owner
            op.operands[i] = new_value
            if isinstance(old_owner, arith.ConstantOp) and not old_owner.result.uses:
                rewriter.erase_op(old_owner)
            res = list(maps[i].results)
            res.append(res.pop(pos))
            new_maps[i] = AffineMap(maps[i].num_dims, 0, tuple(res))

        # new dim q is old dim order[q]
        new_pos = [0] * n
        for q, o in enumerate(order):
            new_pos[o] = q
        op.indexing_maps = ArrayAttr([AffineMapAttr(_permute_map(m, new_pos)) for m in new_maps])
        op.iterator_types = ArrayAttr([op.iterator_types.data[o] for o in order])
        for inner in op.body.walk():
            if isinstance(inner, IndexOp):
                inner.dim = IntegerAttr(new_pos[inner.dim.value.data], inner.dim.type)
        rewriter.handle_operation_modification(op)


@dataclass(frozen=True)
class LinalgInterchangePass(ModulePass):
    """Move the output's unit-stride parallel dim innermost in reduction ``linalg.generic``s.

    Accepts linalg on tensors or memrefs; see the module docstring for the rule.
    ``max-unrolled-tail``: trailing reduction loops with at most this many
    iterations in all stay after the moved dim (default 1).
    """

    name = "linalg-interchange"

    max_unrolled_tail: int = MAX_UNROLLED_TAIL

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pattern = InterchangeReductionNest(self.max_unrolled_tail)
        PatternRewriteWalker(pattern, apply_recursively=False).rewrite_module(op)

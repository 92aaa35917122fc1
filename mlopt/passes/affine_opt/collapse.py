"""`linalg-collapse-dims`: drop unit loops and merge contiguous loops of ``linalg.generic``.

Accepts the tensor level.  For each ``linalg.generic`` on tensors with static
loop ranges:

* every loop of trip count 1 is dropped (its index becomes the constant 0 in
  the indexing maps and in ``linalg.index``);
* consecutive loops of the same iterator type are merged into one (up to
  ``MAX_MERGED_TRIP_COUNT`` iterations) when every
  operand either does not use them or indexes them as consecutive plain
  dimensions, in order, of matching sizes, and the body does not ask for
  their ``linalg.index``.  Such operands are reshaped with
  ``tensor.collapse_shape`` (a view after bufferization) and the results are
  ``tensor.expand_shape``d back.

Elementwise ops on ``1xCxHxW`` tensors become one loop over ``C*H*W``
elements, a 1x1 convolution a loop over ``H*W`` output pixels, so the
innermost loop that LLVM vectorises is long even where ``W`` is small (13, 7).
Results are unchanged: the same elements are computed in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    IndexType,
    IntegerAttr,
    ModuleOp,
    TensorType,
    i64,
)
from xdsl.dialects.linalg.ops import GenericOp, IndexOp
from xdsl.ir import Block, Region, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint


# Loops are merged only up to this many iterations: the point is a long
# enough vectorised loop where W is small; merging 55x55 loops (3025) made
# LLVM's code generation of SqueezeNet 13x slower (fully unrolled fills).
MAX_MERGED_TRIP_COUNT = 1024


def _run_position(m: AffineMap, a: int, b: int) -> int | None | bool:
    """Where plain ``d_a, d_b`` are consecutive results of ``m``.

    None: ``m`` uses neither; False: ``m`` uses them some other way.
    """
    used_a = [i for i, e in enumerate(m.results) if a in e.used_dims()]
    used_b = [i for i, e in enumerate(m.results) if b in e.used_dims()]
    if not used_a and not used_b:
        return None
    if len(used_a) != 1 or len(used_b) != 1 or used_b[0] != used_a[0] + 1:
        return False
    ea, eb = m.results[used_a[0]], m.results[used_b[0]]
    if not (isinstance(ea, AffineDimExpr) and isinstance(eb, AffineDimExpr)):
        return False
    return used_a[0]


def _shape_of(v: SSAValue) -> list[int] | None:
    t = v.type
    return list(t.get_shape()) if isinstance(t, TensorType) else None


def _groups(op: GenericOp, maps: list[AffineMap], ranges: list[int], kept: list[int]) -> list[list[int]]:
    iters = [it.data for it in op.iterator_types.data]
    indexed = {inner.dim.value.data for inner in op.body.walk() if isinstance(inner, IndexOp)}
    groups: list[list[int]] = []
    for d in kept:
        if groups:
            a = groups[-1][-1]
            size = _prod(ranges[k] for k in groups[-1]) * ranges[d]
            ok = (
                iters[a] == iters[d]
                and a not in indexed
                and d not in indexed
                and size <= MAX_MERGED_TRIP_COUNT
            )
            for i, m in enumerate(maps):
                if not ok:
                    break
                pos = _run_position(m, a, d)
                if pos is False:
                    ok = False
                elif pos is not None:
                    shape = _shape_of(op.operands[i])
                    ok = shape is not None and shape[pos] == ranges[a] and shape[pos + 1] == ranges[d]
            if ok:
                groups[-1].append(d)
                continue
        groups.append([d])
    return groups


class CollapseGenericDims(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        if not op.res or any(not isinstance(r.type, TensorType) for r in op.res):
            return
        maps = [m.data for m in op.indexing_maps.data]
        if any(m.num_symbols for m in maps):
            return
        try:
            ranges = list(op.get_static_loop_ranges())
        except Exception:  # noqa: BLE001 - unknown ranges: leave the op alone
            return
        n = len(ranges)
        kept = [d for d in range(n) if ranges[d] != 1]
        if not kept:
            return
        # Substitute 0 for unit loops first; the grouping looks at the result.
        zero = AffineExpr.constant(0)
        subst = [zero if ranges[d] == 1 else AffineExpr.dimension(d) for d in range(n)]
        maps = [m.replace_dims_and_symbols(subst, [], n, 0) for m in maps]
        groups = _groups(op, maps, ranges, kept)
        if len(groups) == n:
            return  # no unit loop, nothing to merge

        new_dim = {}
        for g_idx, g in enumerate(groups):
            for d in g:
                new_dim[d] = g_idx
        n_new = len(groups)
        # single (unmerged) dims map straight to their new position
        single = [
            AffineExpr.dimension(new_dim[d]) if ranges[d] != 1 else zero for d in range(n)
        ]

        new_operands: list[SSAValue] = []
        new_maps: list[AffineMap] = []
        out_reassoc: list[tuple[ArrayAttr, TensorType] | None] = []
        n_in = len(op.inputs)
        for i, (v, m) in enumerate(zip(op.operands, maps, strict=True)):
            results: list[AffineExpr] = []
            tensor_groups: list[list[int]] = []
            q = 0
            while q < len(m.results):
                e = m.results[q]
                g = (
                    groups[new_dim[e.position]]
                    if isinstance(e, AffineDimExpr) and e.position in new_dim
                    else None
                )
                if g is not None and len(g) > 1 and e.position == g[0]:
                    results.append(AffineExpr.dimension(new_dim[e.position]))
                    tensor_groups.append(list(range(q, q + len(g))))
                    q += len(g)
                    continue
                results.append(e.replace_dims_and_symbols(single, []))
                tensor_groups.append([q])
                q += 1
            new_maps.append(AffineMap(n_new, 0, tuple(results)))
            if len(tensor_groups) == len(m.results):
                new_operands.append(v)
                if i >= n_in:
                    out_reassoc.append(None)
                continue
            t = v.type
            assert isinstance(t, TensorType)
            shape = list(t.get_shape())
            new_shape = [_prod(shape[k] for k in grp) for grp in tensor_groups]
            reassoc = ArrayAttr([ArrayAttr([IntegerAttr(k, i64) for k in grp]) for grp in tensor_groups])
            new_type = TensorType(t.get_element_type(), new_shape)
            collapse = tensor.CollapseShapeOp(
                operands=[v], result_types=[new_type], properties={"reassociation": reassoc}
            )
            rewriter.insert_op(collapse, InsertPoint.before(op))
            new_operands.append(collapse.result)
            if i >= n_in:
                out_reassoc.append((reassoc, t))

        body = op.body.clone()
        block: Block = body.block
        for inner in list(block.walk()):
            if isinstance(inner, IndexOp):
                d = inner.dim.value.data
                if ranges[d] == 1:
                    cst = arith.ConstantOp(IntegerAttr(0, IndexType()))
                    rewriter.replace_op(inner, cst)
                else:
                    inner.dim = IntegerAttr(new_dim[d], i64)
        iterator_types = ArrayAttr([op.iterator_types.data[g[0]] for g in groups])
        new_op = GenericOp(
            new_operands[:n_in],
            new_operands[n_in:],
            body,
            [AffineMapAttr(m) for m in new_maps],
            iterator_types,
            [v.type for v in new_operands[n_in:]],
            op.doc,
            op.library_call,
        )
        for name, attr in op.attributes.items():
            new_op.attributes[name] = attr
        rewriter.insert_op(new_op, InsertPoint.before(op))
        replacements: list[SSAValue] = []
        for res, info in zip(new_op.res, out_reassoc, strict=True):
            if info is None:
                replacements.append(res)
                continue
            reassoc, t = info
            expand = tensor.ExpandShapeOp(res, [], reassoc, list(t.get_shape()), t)
            rewriter.insert_op(expand, InsertPoint.before(op))
            replacements.append(expand.result)
        rewriter.replace_op(op, [], replacements)


def _prod(values) -> int:
    out = 1
    for v in values:
        out *= v
    return out


@dataclass(frozen=True)
class LinalgCollapseDimsPass(ModulePass):
    """Drop unit loops and merge contiguous loops of ``linalg.generic`` on tensors."""

    name = "linalg-collapse-dims"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(CollapseGenericDims(), apply_recursively=False).rewrite_module(op)

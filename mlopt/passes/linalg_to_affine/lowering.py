"""`convert-linalg-to-affine`: linalg structured ops and copies on memrefs to affine loops.

Accepts the output of `bufferize`: ``linalg.generic``, ``linalg.fill`` (and
any other linalg structured op, through its indexing maps and body) whose
operands are static-shape memrefs, and ``memref.copy``.  Produces, in their
place, a perfect nest of ``affine.for`` loops (constant bounds, one loop per
iterator, outermost first) whose innermost body

* ``affine.load``s each input element through the operand's indexing map (a
  scalar operand is used as is), and the output element too when the body
  reads it (reductions accumulate in memory: load, combine, store);
* inlines the body, ``linalg.index`` becoming the loop induction variable;
* ``affine.store``s each ``linalg.yield`` operand through the output's map.

``memref.copy`` becomes one loop of ``affine.load``/``affine.store`` over
1-D ``memref.collapse_shape`` views of the two (contiguous) buffers.
With ``threads=T > 1``, the first loop of at least two iterations of an
all-parallel nest of 2^18 elements or more (each iteration at least 2^10) is
marked ``mlopt.parallel = T`` for `outline-parallel-loops`.
Linalg ops on tensors are rejected with an error naming the op.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import affine, memref
from xdsl.dialects.linalg.abstract_ops import LinalgStructuredOperation
from xdsl.dialects.linalg.ops import IndexOp, YieldOp
from xdsl.dialects.builtin import AffineMapAttr, ArrayAttr, IndexType, IntegerAttr, MemRefType, ModuleOp, NoneAttr
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlopt.passes.bufferize.buffers import flat_reassociation, make_collapse, make_expand, num_elements
from mlopt.passes.bufferize.errors import LoweringError
from mlopt.passes.linalg_to_affine.loops import build_loop_nest, emit_copy_loops
from mlopt.passes.node_names import read_nodes, tag_range


def _check_memref(op: Operation, v: SSAValue) -> None:
    t = v.type
    if not isinstance(t, MemRefType):
        raise LoweringError(
            op, f"has operand of type {t}; convert-linalg-to-affine needs memrefs "
            "(run bufferize first)"
        )
    if any(d < 0 for d in t.get_shape()):
        raise LoweringError(op, f"has a dynamic shape ({t}); static shapes are required")


def _inline_body(
    op: LinalgStructuredOperation,
    maps: list[AffineMap],
    ivs: list[SSAValue],
    block: Block,
    anchor: Operation,
    out_values: list[SSAValue] | None,
    operands: Sequence[SSAValue] | None = None,
) -> list[SSAValue]:
    """Load the operands, inline ``op``'s body before ``anchor``; return the yielded values.

    ``out_values`` stand for the output elements; when None the outputs are
    loaded (only if the body reads them).  ``operands`` replace ``op``'s
    (views of them, for the flattened form).
    """
    body = op.body.block
    mapping: dict[SSAValue, SSAValue] = {}
    n_in = len(op.inputs)
    for i, (operand, arg) in enumerate(zip(operands or op.operands, body.args, strict=True)):
        if i >= n_in and out_values is not None:
            mapping[arg] = out_values[i - n_in]
            continue
        if not isinstance(operand.type, MemRefType):
            mapping[arg] = operand
            continue
        if i >= n_in and not arg.uses:
            continue
        load = affine.LoadOp(operand, ivs, AffineMapAttr(maps[i]))
        block.insert_op_before(load, anchor)
        mapping[arg] = load.result

    results: list[SSAValue] = []
    for inner in body.ops:
        if isinstance(inner, YieldOp):
            results = [mapping.get(v, v) for v in inner.operands]
            continue
        if isinstance(inner, IndexOp):
            mapping[inner.result] = ivs[inner.dim.value.data]
            continue
        clone = inner.clone(value_mapper=mapping)
        for nested in list(clone.walk()):
            if isinstance(nested, IndexOp):
                nested.result.replace_all_uses_with(ivs[nested.dim.value.data])
                assert nested.parent is not None
                nested.parent.erase_op(nested)
        block.insert_op_before(clone, anchor)
    return results


def _lower_with_iter_args(
    op: LinalgStructuredOperation, maps: list[AffineMap], ranges: Sequence[int], n_outer: int
) -> None:
    """Loops ``0..n_outer`` as usual; the inner ones carry the outputs in iter_args.

    The output maps use only the outer loops, so each output element is loaded
    once before the inner nest and stored once after it.
    """
    n_in = len(op.inputs)
    outer_ivs, block, anchor = build_loop_nest(ranges[:n_outer], op)
    out_maps = [AffineMapAttr(AffineMap(n_outer, 0, m.results)) for m in maps[n_in:]]
    inits: list[SSAValue] = []
    for out, m in zip(op.outputs, out_maps, strict=True):
        load = affine.LoadOp(out, outer_ivs, m)
        block.insert_op_before(load, anchor)
        inits.append(load.result)
    types = [v.type for v in inits]

    loops: list[affine.ForOp] = []
    parent_block, parent_anchor = block, anchor
    carried = inits
    for r in ranges[n_outer:]:
        body = Block(arg_types=(IndexType(), *types))
        loop = affine.ForOp.from_region((), (), carried, types, 0, r, Region(body))
        parent_block.insert_op_before(loop, parent_anchor)
        if loops:
            parent_block.insert_op_before(affine.YieldOp.get(*loop.results), parent_anchor)
            parent_block.erase_op(parent_anchor)
        loops.append(loop)
        yield_op = affine.YieldOp.get()
        body.add_op(yield_op)
        parent_block, parent_anchor = body, yield_op
        carried = list(body.args[1:])
    ivs = [*outer_ivs, *(lp.body.block.args[0] for lp in loops)]
    results = _inline_body(op, maps, ivs, parent_block, parent_anchor, carried)
    parent_block.insert_op_before(affine.YieldOp.get(*results), parent_anchor)
    parent_block.erase_op(parent_anchor)
    for out, m, value in zip(op.outputs, out_maps, loops[0].results, strict=True):
        block.insert_op_before(affine.StoreOp(value, out, outer_ivs, m), anchor)


# An all-parallel nest of at least this many elements runs on the thread pool
# (its first loop of two or more iterations, when each iteration has at least
# _PARALLEL_CHUNK elements).
_PARALLEL_ELEMENTS = 1 << 18
_PARALLEL_CHUNK = 1 << 10


def _mark_parallel(ivs: Sequence[SSAValue], ranges: Sequence[int], threads: int) -> None:
    total = num_elements(ranges)
    if threads < 2 or total < _PARALLEL_ELEMENTS:
        return
    inner = total
    for iv, r in zip(ivs, ranges, strict=True):
        inner //= r
        if r >= 2:
            if inner >= _PARALLEL_CHUNK:
                loop = iv.owner.parent_op()  # type: ignore[union-attr]
                assert isinstance(loop, affine.ForOp)
                loop.attributes["mlopt.parallel"] = IntegerAttr(threads, 64)
            return


def _element_for_element(m: AffineMap, v: SSAValue, ranges: Sequence[int]) -> bool:
    """``m`` reads ``v`` (identity layout) in loop order: the loops in order,
    plus constant 0 at dimensions of size 1 (``linalg-collapse-dims`` leaves
    batch dimensions so)."""
    t = v.type
    assert isinstance(t, MemRefType)
    if not isinstance(t.layout, NoneAttr):
        return False
    dims: list[int] = []
    for e, size in zip(m.results, t.get_shape(), strict=True):
        if isinstance(e, AffineDimExpr):
            dims.append(e.position)
        elif not (isinstance(e, AffineConstantExpr) and e.value == 0 and size == 1):
            return False
    return dims == list(range(len(ranges))) and num_elements(t.get_shape()) == num_elements(ranges)


def _flattenable(op: LinalgStructuredOperation, maps: list[AffineMap], ranges: Sequence[int]) -> bool:
    """Every memref operand is read and written element for element (in loop
    order) and the op does not use ``linalg.index``: the nest is one loop over
    views.  (LLVM otherwise may fully unroll a short innermost loop and
    vectorise the one outside it with scatters: a 57x57 fill ran at 1.8 ns per
    element on Zen 4.)"""
    if len(ranges) < 2 or any(isinstance(o, IndexOp) for o in op.body.walk()):
        return False
    for v, m in zip(op.operands, maps, strict=True):
        if isinstance(v.type, MemRefType):
            if not _element_for_element(m, v, ranges):
                return False
        elif m.results:  # a scalar operand has a map with no results
            return False
    return True


def _lower_flat(op: LinalgStructuredOperation, maps: list[AffineMap], ranges: Sequence[int], threads: int) -> None:
    """The nest over views of two dimensions: the leading ones, and the
    trailing ones with at least _PARALLEL_CHUNK elements (one contiguous
    inner loop; the outer one is what the thread pool splits)."""
    n = len(ranges)
    k = max((q for q in range(1, n) if num_elements(ranges[q:]) >= _PARALLEL_CHUNK), default=0)
    total = num_elements(ranges)
    shape = [num_elements(ranges[:k]), num_elements(ranges[k:])] if k else [total]
    ident = AffineMap.identity(len(shape))
    views: list[SSAValue] = []
    assert op.parent is not None
    for v in op.operands:
        if not isinstance(v.type, MemRefType):
            views.append(v)
            continue
        rank = len(v.type.get_shape())
        flat = make_collapse(v, flat_reassociation(rank), MemRefType(v.type.element_type, [total])) if rank != 1 else None
        if flat is not None:
            op.parent.insert_op_before(flat, op)
        view = flat.results[0] if flat is not None else v
        if len(shape) == 2:
            two = make_expand(view, flat_reassociation(2), MemRefType(v.type.element_type, shape))
            op.parent.insert_op_before(two, op)
            view = two.results[0]
        views.append(view)
    flat_maps = [ident if isinstance(v.type, MemRefType) else m for v, m in zip(op.operands, maps, strict=True)]
    ivs, block, anchor = build_loop_nest(shape, op)
    _mark_parallel(ivs, shape, threads)
    results = _inline_body(op, flat_maps, ivs, block, anchor, None, views)
    n_in = len(op.inputs)
    for value, out in zip(results, views[n_in:], strict=True):
        block.insert_op_before(affine.StoreOp(value, out, ivs, AffineMapAttr(ident)), anchor)


# A transposing copy is blocked by this many elements of the input's
# contiguous dimension (one cache line of f32).
_BLOCK = 16


def _transpose_dims(
    op: LinalgStructuredOperation, maps: list[AffineMap], ranges: Sequence[int]
) -> tuple[int, int] | None:
    """(a, b) for an all-parallel op whose output is contiguous along loop ``b``
    while an input is contiguous along another loop ``a`` and strided along
    ``b`` (a transposition, e.g. NPC -> NCP): looping ``a`` innermost in blocks
    of 16 keeps the 16 output rows being written and the input lines being
    read in L1, where the plain nest reads each input element from a new
    line."""
    n_in = len(op.inputs)
    if len(op.outputs) != 1:
        return None
    out_last = maps[n_in].results[-1] if maps[n_in].results else None
    if not isinstance(out_last, AffineDimExpr):
        return None
    b = out_last.position
    for v, m in zip(op.inputs, maps[:n_in]):
        if not isinstance(v.type, MemRefType) or not m.results:
            continue
        last = m.results[-1]
        if not isinstance(last, AffineDimExpr) or last.position == b:
            continue
        a = last.position
        if not any(b in e.used_dims() for e in m.results[:-1]):
            continue
        if a in maps[n_in].results[-1].used_dims():
            continue
        if ranges[a] % _BLOCK or ranges[a] < 2 * _BLOCK or ranges[b] < 4:
            continue
        return a, b
    return None


def _blocked_nest(
    ranges: Sequence[int], a: int, b: int, before: Operation
) -> tuple[list[SSAValue], Block, Operation, list[tuple[SSAValue, int]]]:
    """The loops in the order (others with ``a_o`` at ``a``'s place), ``b``,
    ``a_i``: ``a_o`` steps by 16 and ``a_i`` runs over ``a_o .. a_o + 16``.
    Returns the IVs by original dimension, the innermost block and anchor, and
    (IV, trip count) of the loops from the outside in."""
    parent = before.parent
    assert parent is not None
    ivs: list[SSAValue | None] = [None] * len(ranges)
    nest: list[tuple[SSAValue, int]] = []
    block: Block | None = None
    outer: affine.ForOp | None = None
    a_outer: SSAValue | None = None
    order = [k for k in range(len(ranges)) if k != b] + [b, -1]
    for k in order:
        body = Block(arg_types=(IndexType(),))
        body.add_op(affine.YieldOp.get())
        if k == -1:  # a_i
            assert a_outer is not None
            lo = AffineMapAttr(AffineMap(1, 0, (AffineExpr.dimension(0),)))
            hi = AffineMapAttr(AffineMap(1, 0, (AffineExpr.dimension(0) + _BLOCK,)))
            loop = affine.ForOp.from_region([a_outer], [a_outer], (), (), lo, hi, Region(body))
            ivs[a] = body.args[0]
        elif k == a:
            loop = affine.ForOp.from_region((), (), (), (), 0, ranges[a], Region(body), _BLOCK)
            a_outer = body.args[0]
            nest.append((a_outer, ranges[a] // _BLOCK))
        else:
            loop = affine.ForOp.from_region((), (), (), (), 0, ranges[k], Region(body))
            ivs[k] = body.args[0]
            nest.append((body.args[0], ranges[k]))
        if block is None:
            outer = loop
        else:
            assert block.last_op is not None
            block.insert_op_before(loop, block.last_op)
        block = body
    assert outer is not None and block is not None and block.last_op is not None
    parent.insert_op_before(outer, before)
    nest.append((ivs[a], _BLOCK))  # type: ignore[arg-type]
    return ivs, block, block.last_op, nest  # type: ignore[return-value]


class LowerLinalgStructured(RewritePattern):
    def __init__(self, threads: int = 1) -> None:
        self.threads = threads

    @op_type_rewrite_pattern
    def match_and_rewrite(
        self, op: LinalgStructuredOperation, rewriter: PatternRewriter
    ) -> None:
        if op.res:
            raise LoweringError(
                op, "has tensor results; convert-linalg-to-affine needs memrefs "
                "(run bufferize first)"
            )
        for v in op.operands:
            if isinstance(v.type, MemRefType) or v in op.outputs:
                _check_memref(op, v)
        maps = [m.data for m in op.get_indexing_maps()]
        for m in maps:
            if m.num_symbols:
                raise LoweringError(op, f"has an indexing map with symbols ({m})")
        try:
            ranges = op.get_static_loop_ranges()
        except NotImplementedError as e:
            raise LoweringError(op, f"has indexing maps whose loop ranges are unknown: {e}")

        n = len(ranges)
        n_in = len(op.inputs)
        out_dims: set[int] = set()
        for m in maps[n_in:]:
            for expr in m.results:
                out_dims |= expr.used_dims()
        # Innermost loops that no output map depends on (reductions): the
        # accumulators are carried in registers through iter_args.
        carried = 0
        while carried < n and (n - 1 - carried) not in out_dims:
            carried += 1
        parallel = all(str(it.data) == "parallel" for it in op.get_iterator_types())
        if parallel and _flattenable(op, maps, ranges):
            _lower_flat(op, maps, ranges, self.threads)
            rewriter.erase(op)
            return
        blocked = _transpose_dims(op, maps, ranges) if parallel and not carried else None
        if carried and op.outputs:
            _lower_with_iter_args(op, maps, ranges, n - carried)
        else:
            if blocked is not None:
                ivs, block, anchor, nest = _blocked_nest(ranges, *blocked, op)
            else:
                ivs, block, anchor = build_loop_nest(ranges, op)
                nest = [(iv, r) for iv, r in zip(ivs, ranges, strict=True)]
            if parallel:
                _mark_parallel([iv for iv, _ in nest], [r for _, r in nest], self.threads)
            results = _inline_body(op, maps, ivs, block, anchor, None)
            for j, (value, out) in enumerate(zip(results, op.outputs, strict=True)):
                store = affine.StoreOp(value, out, ivs, AffineMapAttr(maps[n_in + j]))
                block.insert_op_before(store, anchor)
        rewriter.erase(op)


class LowerMemrefCopy(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: memref.CopyOp, rewriter: PatternRewriter) -> None:
        _check_memref(op, op.source)
        _check_memref(op, op.destination)
        src_t, dst_t = op.source.type, op.destination.type
        assert isinstance(src_t, MemRefType) and isinstance(dst_t, MemRefType)
        if src_t.get_shape() != dst_t.get_shape():
            raise LoweringError(op, f"copies between different shapes ({src_t} to {dst_t})")
        for t in (src_t, dst_t):
            if not isinstance(t.layout, NoneAttr):
                raise LoweringError(op, f"has a non-identity layout ({t})")
        shape = src_t.get_shape()
        src, dst = op.source, op.destination
        if len(shape) > 1:
            # Contiguous buffers: copy through 1-D views, one loop.
            flat = [num_elements(shape)]
            views = [
                make_collapse(v, flat_reassociation(len(shape)), MemRefType(t.element_type, flat))
                for v, t in ((src, src_t), (dst, dst_t))
            ]
            rewriter.insert(views, InsertPoint.before(op))
            src, dst = views[0].results[0], views[1].results[0]
            shape = tuple(flat)
        ident = AffineMap.identity(len(shape))
        emit_copy_loops(src, ident, dst, ident, shape, op)
        rewriter.erase(op)


@dataclass(frozen=True)
class ConvertLinalgToAffinePass(ModulePass):
    """Linalg structured ops and ``memref.copy`` on memrefs to ``affine.for`` nests."""

    name = "convert-linalg-to-affine"

    #: threads for the outer loop of large all-parallel nests (``mlopt.parallel``,
    #: run by outline-parallel-loops); 1: none are marked
    threads: int = 1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            _Patterns(self.threads), apply_recursively=False
        ).rewrite_module(op)


class _Patterns(RewritePattern):
    def __init__(self, threads: int = 1) -> None:
        self._linalg = LowerLinalgStructured(threads)
        self._copy = LowerMemrefCopy()

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        # the loops replacing op implement its ONNX nodes (mlopt.nodes, for profiling)
        nodes, block, prev, end = read_nodes(op), op.parent_block(), op.prev_op, op.next_op
        if isinstance(op, LinalgStructuredOperation):
            self._linalg.match_and_rewrite(op, rewriter)
        elif isinstance(op, memref.CopyOp):
            self._copy.match_and_rewrite(op, rewriter)
        else:
            return
        tag_range(block, prev, end, nodes)

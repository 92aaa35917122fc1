"""Fusing a contraction's neighbours into its tiles.

``find_init``: a ``linalg.fill`` or a broadcasting copy of the output right
before the contraction becomes the accumulators' initial value.
``find_epilogue``: an elementwise generic right after it that rewrites the
output in place is applied to the accumulators before the store.
``neighbour_map`` expresses a neighbour's maps over the contraction's loops,
also when the neighbour writes a differently shaped view of the same buffer.
"""

from __future__ import annotations


from xdsl.dialects import arith, math, memref
from xdsl.dialects.builtin import (
    FloatAttr,
    IntegerAttr,
    MemRefType,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr, AffineMap

from mlopt.passes.kernels.analysis import (
    F32,
    PURE,
    Plan,
    covers,
    num_elements,
    buffer_root,
    static_f32,
    touches,
    vectorisable,
)


# Elementwise ops an epilogue may contain (each has a vector form in the llvm lowering).
_EPILOGUE_OPS = (
    arith.AddfOp, arith.SubfOp, arith.MulfOp, arith.DivfOp, arith.MaximumfOp,
    arith.MinimumfOp, arith.MaxnumfOp, arith.MinnumfOp, arith.NegfOp,
)  # fmt: skip


def neighbour_map(plan: Plan, gen_out: AffineMap, view: SSAValue, m: AffineMap) -> AffineMap | None:
    """``m``, a map over the loops of a neighbouring generic that writes ``view``
    (a view of the contraction's output buffer) through ``gen_out``, as a map
    over the contraction's loops; None if it cannot be expressed.

    The leading positions of ``view`` are matched with groups of consecutive
    positions of the contraction's output of the same total size (equal shapes:
    one each; a merged dimension: the linearised group), up to the first
    dimension the two views split differently; ``m`` may use the neighbour's
    loops that index the matched positions."""
    out = plan.op.outputs[0]
    vt, ot = view.type, out.type
    assert isinstance(vt, MemRefType) and isinstance(ot, MemRefType)
    gshape, cshape = vt.get_shape(), ot.get_shape()
    cres = plan.maps[2].results
    repl: list[AffineExpr | None] = [None] * gen_out.num_dims
    q = 0
    for ge, size in zip(gen_out.results, gshape, strict=True):
        # the contraction's output positions q..k-1 make up this position
        k, prod = q, 1
        while k < len(cshape) and prod < size:
            prod *= cshape[k]
            k += 1
        if prod != size or k == q and size != 1:
            break  # the views split a dimension differently from here on
        expr: AffineExpr = AffineExpr.constant(0)
        for pos in range(q, k):
            stride = 1
            for later in cshape[pos + 1 : k]:
                stride *= later
            expr = expr + cres[pos] * stride
        q = k
        if isinstance(ge, AffineDimExpr):
            if repl[ge.position] is not None:
                return None
            repl[ge.position] = expr
        elif not isinstance(ge, AffineConstantExpr):
            return None
    if any(repl[k] is None for k in m.used_dims()):
        return None
    dims = [r if r is not None else AffineExpr.constant(0) for r in repl]
    return m.replace_dims_and_symbols(dims, [], len(plan.ranges), 0)


def _prev_op(op: Operation, root: SSAValue) -> Operation | None:
    """The op before ``op`` that may touch memory (views, constants and the
    allocation of another buffer, such as a pooling window's, skipped)."""
    prev = op.prev_op
    while prev is not None and (isinstance(prev, PURE) or (
        isinstance(prev, memref.AllocOp) and prev.results[0] != root
    )):  # fmt: skip
        prev = prev.prev_op
    return prev


def _next_op(op: Operation, root: SSAValue) -> Operation | None:
    nxt = op.next_op
    while nxt is not None and (isinstance(nxt, PURE) or (
        isinstance(nxt, memref.DeallocOp) and not touches(nxt, root)
    ) or (isinstance(nxt, memref.AllocOp) and nxt.results[0] != root)):  # fmt: skip
        nxt = nxt.next_op
    return nxt


def _whole(v: SSAValue, root: SSAValue) -> bool:
    """``v`` is a view of all of ``root`` (the same elements in the same order)."""
    return buffer_root(v) == root and num_elements(v) == num_elements(root)


def _same_buffer(a: SSAValue, b: SSAValue) -> bool:
    """``a`` and ``b`` are views of the same whole buffer with the same shape, so
    equal indices name the same element."""
    if a == b:
        return True
    ta, tb = a.type, b.type
    return (
        isinstance(ta, MemRefType) and isinstance(tb, MemRefType)
        and ta.get_shape() == tb.get_shape()
        and _whole(a, buffer_root(b)) and _whole(b, buffer_root(b))
    )  # fmt: skip


def find_init(plan: Plan) -> Operation | None:
    out = plan.op.outputs[0]
    root = buffer_root(out)
    prev = _prev_op(plan.op, root)
    if isinstance(prev, linalg.FillOp):
        whole = len(prev.outputs) == 1 and _whole(prev.outputs[0], root) and _whole(out, root)
        return prev if whole and prev.inputs[0].type == plan.elt else None
    if isinstance(prev, linalg.GenericOp) and (_is_broadcast_copy(prev, plan) or _is_constant_fill(prev, plan)):
        return prev
    return None


def _is_constant_fill(gen: linalg.GenericOp, plan: Plan) -> bool:
    """``gen`` writes every element of the contraction's output with one
    constant (a fill that linalg-collapse-dims made a generic)."""
    root = buffer_root(plan.op.outputs[0])
    if gen.inputs or len(gen.outputs) != 1 or not _whole(gen.outputs[0], root) or not _whole(plan.op.outputs[0], root):
        return False
    ops = list(gen.body.block.ops)
    if len(ops) != 2 or not isinstance(ops[0], arith.ConstantOp) or not isinstance(ops[1], linalg.YieldOp):
        return False
    if list(ops[1].operands) != [ops[0].result] or ops[0].result.type != plan.elt:
        return False
    maps = [m.data for m in gen.get_indexing_maps()]
    return covers(maps[0], gen.outputs[0]) and all(str(it.data) == "parallel" for it in gen.iterator_types.data)


def _is_broadcast_copy(gen: linalg.GenericOp, plan: Plan) -> bool:
    """``gen`` writes every element of the contraction's output buffer with a
    value of one input (a bias broadcast), reading nothing else."""
    root = buffer_root(plan.op.outputs[0])
    if len(gen.inputs) != 1 or len(gen.outputs) != 1 or not _whole(gen.outputs[0], root):
        return False
    if not (static_f32(gen.outputs[0], plan.elt) and _whole(plan.op.outputs[0], root)):
        return False
    block = gen.body.block
    yld = block.last_op
    if len(list(block.ops)) != 1 or not isinstance(yld, linalg.YieldOp):
        return False
    if list(yld.operands) != [block.args[0]] or not static_f32(gen.inputs[0], plan.elt):
        return False
    if buffer_root(gen.inputs[0]) == root:
        return False
    maps = [m.data for m in gen.get_indexing_maps()]
    if any(str(it.data) != "parallel" for it in gen.iterator_types.data):
        return False
    if not covers(maps[1], gen.outputs[0]):
        return False
    cm = neighbour_map(plan, maps[1], gen.outputs[0], maps[0])
    return cm is not None and vectorisable(plan, cm)


# ... and of a byte dot product's epilogue, which converts its i32 sums
_DOT_EPILOGUE_OPS = (
    *_EPILOGUE_OPS, arith.AddiOp, arith.SubiOp, arith.MulfOp, arith.SIToFPOp, arith.UIToFPOp,
    arith.FPToUIOp, arith.FPToSIOp, math.RoundEvenOp,
)  # fmt: skip
_CASTS = (arith.SIToFPOp, arith.UIToFPOp, arith.FPToUIOp, arith.FPToSIOp)


def _overwrites(op: Operation, root: SSAValue) -> bool:
    """``op`` writes all of ``root`` without reading it (a fill, or a generic
    whose body ignores the output: bufferize reuses a dead buffer so)."""
    if isinstance(op, linalg.FillOp):
        return len(op.outputs) == 1 and _whole(op.outputs[0], root)
    if not isinstance(op, linalg.GenericOp) or len(op.outputs) != 1 or not _whole(op.outputs[0], root):
        return False
    if any(isinstance(v.type, MemRefType) and buffer_root(v) == root for v in op.inputs):
        return False
    maps = [m.data for m in op.get_indexing_maps()]
    out_arg = op.body.block.args[len(op.inputs)]
    return not out_arg.uses and covers(maps[-1], op.outputs[0]) and all(
        str(it.data) == "parallel" for it in op.iterator_types.data
    )


def _dead_after(gen: Operation, root: SSAValue) -> bool:
    """Nothing after ``gen`` in its block reads ``root`` before it is
    deallocated or wholly overwritten."""
    nxt = gen.next_op
    while nxt is not None:
        if touches(nxt, root) and not isinstance(nxt, PURE):
            return isinstance(nxt, memref.DeallocOp) or _overwrites(nxt, root)
        nxt = nxt.next_op
    return True


def _converting_epilogue(plan: Plan, gen: linalg.GenericOp, maps: list[AffineMap]) -> bool:
    """For a byte dot product: ``gen`` reads the contraction's whole output at
    the element it writes to another buffer of the same shape (a
    requantization to uint8, or a dequantization to f32), and nothing reads
    the output after it.  Records the buffer and its map on ``plan``."""
    out = plan.op.outputs[0]
    root = buffer_root(out)
    nout = gen.outputs[0]
    reads = [(v, m) for v, m in zip(gen.inputs, maps, strict=False) if isinstance(v.type, MemRefType) and buffer_root(v) == root]
    if plan.dot is None or len(reads) != 1 or buffer_root(nout) == root:
        return False
    v, m = reads[0]
    if m != maps[-1] or not _whole(v, root) or not _whole(out, root) or not _dead_after(gen, root):
        return False
    vt, nt = v.type, nout.type
    assert isinstance(vt, MemRefType)
    if not isinstance(nt, MemRefType) or nt.get_shape() != vt.get_shape() or not static_f32(nout, nt.element_type):
        return False
    store = neighbour_map(plan, m, v, maps[-1])
    if store is None or not vectorisable(plan, store):
        return False
    plan.epilogue_out = (nout, store)
    return True


def find_epilogue(plan: Plan) -> linalg.GenericOp | None:
    """An elementwise generic right after the contraction that rewrites its whole
    output in place: it reads the output only at the element it writes (through
    any view of the buffer), and other buffers only through views of the
    output's shape (so their maps translate to the contraction's loops).  A
    byte dot product's may instead write another buffer (``_converting_epilogue``)."""
    out = plan.op.outputs[0]
    root = buffer_root(out)
    nxt = _next_op(plan.op, root)
    if not isinstance(nxt, linalg.GenericOp) or len(nxt.outputs) != 1 or nxt.res:
        return None
    nout = nxt.outputs[0]
    if any(str(it.data) != "parallel" for it in nxt.iterator_types.data):
        return None
    if plan.dot is not None:
        found = _dot_epilogue(plan, nxt)
        if found is None:
            plan.epilogue_out = None
        return found
    if not (static_f32(nout) and _whole(nout, root) and _whole(out, root)):
        return None
    if any(str(it.data) != "parallel" for it in nxt.iterator_types.data):
        return None
    maps = [m.data for m in nxt.get_indexing_maps()]
    if not covers(maps[-1], nout):
        return None
    block = nxt.body.block
    for v, m in zip(nxt.inputs, maps, strict=False):
        if not isinstance(v.type, MemRefType):
            if v.type != F32:
                return None
            continue
        if not static_f32(v):
            return None
        if buffer_root(v) == root:
            if not (_same_buffer(v, nout) and m == maps[-1]):
                return None
        else:
            cm = neighbour_map(plan, maps[-1], nout, m)
            if cm is None or not vectorisable(plan, cm):
                return None
    inside = {r for inner in block.ops for r in inner.results} | set(block.args)
    for inner in block.ops:
        if any(v not in inside and v.type != F32 for v in inner.operands):
            return None
        if isinstance(inner, linalg.YieldOp):
            if len(inner.operands) != 1:
                return None
            continue
        if isinstance(inner, arith.ConstantOp):
            if not isinstance(inner.value, FloatAttr) or inner.result.type != F32:
                return None
            continue
        if not isinstance(inner, _EPILOGUE_OPS) or any(r.type != F32 for r in inner.results):
            return None
    return nxt


def epilogue_anchor(plan: Plan, gen: linalg.GenericOp) -> SSAValue:
    """The view of the contraction's output through which the epilogue's maps
    translate (``neighbour_map``): what it writes, or for a converting
    epilogue what it reads of the output."""
    if plan.epilogue_out is None:
        return gen.outputs[0]
    root = buffer_root(plan.op.outputs[0])
    return next(v for v in gen.inputs if isinstance(v.type, MemRefType) and buffer_root(v) == root)


def _dot_epilogue(plan: Plan, gen: linalg.GenericOp) -> linalg.GenericOp | None:
    """``find_epilogue`` for a byte dot product (i32 sums): in place or into
    another buffer, the ops those of ``_DOT_EPILOGUE_OPS`` on i32/f32/int8
    scalars, other buffers read through views of the output's shape."""
    maps = [m.data for m in gen.get_indexing_maps()]
    if not covers(maps[-1], gen.outputs[0]):
        return None
    root = buffer_root(plan.op.outputs[0])
    nout = gen.outputs[0]
    in_place = _whole(nout, root) and _whole(plan.op.outputs[0], root)
    if not in_place and not _converting_epilogue(plan, gen, maps):
        return None
    anchor = epilogue_anchor(plan, gen)
    for v, m in zip(gen.inputs, maps, strict=False):
        if not isinstance(v.type, MemRefType):
            return None
        if buffer_root(v) == root:
            if m != maps[-1]:
                return None
            continue
        if not static_f32(v, v.type.element_type) or not isinstance(v.owner, memref.GetGlobalOp):
            return None  # constants only (a bias): activations are not verified here yet
        cm = neighbour_map(plan, maps[-1], anchor, m)
        if cm is None or not vectorisable(plan, cm):
            return None
    inside = {r for inner in gen.body.block.ops for r in inner.results} | set(gen.body.block.args)
    for inner in gen.body.block.ops:
        if any(v not in inside for v in inner.operands):
            return None
        if isinstance(inner, linalg.YieldOp):
            if len(inner.operands) != 1:
                return None
            continue
        if isinstance(inner, arith.ConstantOp):
            if not isinstance(inner.value, FloatAttr | IntegerAttr):
                return None
            continue
        if not isinstance(inner, _DOT_EPILOGUE_OPS):
            return None
    return gen

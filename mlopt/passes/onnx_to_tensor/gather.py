"""Indexing ops: Gather, GatherElements, GatherND, ScatterElements, ScatterND,
TensorScatter, OneHot, Trilu (gathers use ``tensor.extract`` inside a generic
body).

Every index read from data is bounds-checked before it is used (see
:func:`checked_indices`): a first ``linalg.generic`` over the indices tensor
turns each index into an in-range ``i64`` (negative indices wrapped as ONNX
specifies) with ``mlopt.check_index``, which also records an out-of-range index
for the entry point's error status; the gather/scatter then uses these indices
as they are, so no index value can make it read or write out of bounds. The
check runs once per index, not once per gathered element. Indices that are
compile-time constants are checked here, at compile time (an out-of-range one
raises :class:`ConstantIndexError` naming the node), and get no run-time check.
OneHot needs no check: ONNX defines an out-of-range index as an all-off row, and
its lowering only compares indices, it never addresses memory with them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir import SSAValue
from xdsl.ir.affine import AffineMap

from mlopt.dialects.mlopt import CheckIndexOp
from mlopt.errors import UNBOUNDED, IndexOutOfRangeError, index_range_message
from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    OpLoweringError,
    constant_array,
    d,
    describe,
    elt_of,
    generic,
    identity_map,
    kind_of,
    lowering,
    node_name,
    norm_axis,
    op_type,
    require_constant,
    signless,
)

I64 = IntegerType(64)


class ConstantIndexError(OpLoweringError, IndexOutOfRangeError):  # type: ignore[misc]
    """A compile-time constant index operand is out of range (raised while lowering)."""

    def __init__(self, message: str, op, *, node: str, index: int | None, bound: int):
        OpLoweringError.__init__(self, message, op)
        self.node, self.index, self.bound = node, index, bound


def _norm_index(b: Body, v, src_elt, n: int):
    """Index value ``v`` (ONNX int) -> index, negative values wrap by ``n``."""
    i = b.to_index(v, src_elt)
    if kind_of(src_elt) == "u":
        return i
    neg = b.add(arith.CmpiOp(i, b.const(0, IndexType()), "slt"))
    return b.select(neg, b.add(arith.AddiOp(i, b.const(n, IndexType()))), i)


def checked_indices(
    em: Emitter, ind: SSAValue, bounds: Sequence[int], axes: Sequence[int], *, wrap: bool = True
) -> SSAValue:
    """The indices tensor ``ind`` as an ``i64`` tensor of in-range indices.

    With one bound, every index is checked against ``bounds[0]`` (axis
    ``axes[0]``); with several (GatherND, ScatterND), position ``t`` of the last
    dimension is checked against ``bounds[t]`` (axis ``axes[t]``). Negative
    indices wrap (not for unsigned index types, nor with ``wrap=False``: then
    they are out of range like any other). A constant ``ind`` is checked
    now and replaced by a constant of the normalised indices; otherwise a
    ``linalg.generic`` applies ``mlopt.check_index`` to every index.
    """
    op = em.op
    shape = em.shape(ind)
    ie = elt_of(ind)
    unsigned = kind_of(ie) == "u"
    nowrap = unsigned or not wrap
    rank = len(shape)
    per_last = len(bounds) != 1
    count = int(np.prod(shape))
    if count == 0:  # nothing to check (and GatherND/ScatterND with k == 0 read none)
        return em.empty(shape, I64)
    for bound, axis in zip(bounds, axes):
        if bound == 0 and count > 0:
            raise ConstantIndexError(
                f"convert-onnx-to-tensor: {describe(op)}: axis {axis} has size 0, "
                "so no index is in range",
                op, node=node_name(op), index=None, bound=0,
            )
    arr = constant_array(ind)
    if arr is not None:
        vals = np.asarray(arr).astype(np.uint64 if unsigned else np.int64).reshape(shape)
        bnd = np.broadcast_to(np.asarray(bounds, dtype=np.int64), shape) if per_last else bounds[0]
        if unsigned:
            bad = vals >= np.asarray(bnd, dtype=np.uint64)
            norm = vals.astype(np.int64)
        elif nowrap:
            norm = vals
            bad = (vals < 0) | (vals >= bnd)
        else:
            norm = np.where(vals < 0, vals + bnd, vals)
            bad = (norm < 0) | (norm >= bnd)
        if bad.any():
            pos = tuple(int(p) for p in np.argwhere(bad)[0])
            t = pos[-1] if per_last else 0
            i, n = int(vals[pos]), int(bounds[t])
            why = index_range_message(i, n, axes[t], wraps=not nowrap, op_type=op_type(op), at=f"at {list(pos)}")
            raise ConstantIndexError(
                f"convert-onnx-to-tensor: {describe(op)}: constant {why}",
                op, node=node_name(op), index=i, bound=n,
            )
        return em.dense(norm.astype(np.int64), I64)
    node, kind = node_name(op), op_type(op)

    def body(b: Body, iv, _o):
        i = b.to_index(iv, ie)
        if per_last:
            last = b.index(rank - 1)
            bound = b.const(bounds[-1], IndexType())
            axis = b.const(axes[-1], IndexType())
            for t in range(len(bounds) - 2, -1, -1):
                at = b.add(arith.CmpiOp(last, b.const(t, IndexType()), "eq"))
                bound = b.select(at, b.const(bounds[t], IndexType()), bound)
                axis = b.select(at, b.const(axes[t], IndexType()), axis)
        else:
            bound = b.const(bounds[0], IndexType())
            axis = b.const(axes[0], IndexType())
        safe = b.add(CheckIndexOp(i, bound, axis, node, kind, unsigned=nowrap))
        return b.add(arith.IndexCastOp(safe, I64))

    return generic(em, [ind], [identity_map(rank)], shape, I64, body)


@lowering("Gather", honours=("axis",))
def lower_gather(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    r, q = len(ds), len(is_)
    axis = norm_axis(em, em.attr("axis", 0), r)
    out = (*ds[:axis], *is_, *ds[axis + 1 :])
    e = elt_of(data)
    safe = checked_indices(em, ind, [ds[axis]], [axis])
    nd = len(out)
    imap = AffineMap(nd, 0, tuple(d(axis + j) for j in range(q)))

    def body(b: Body, iv, o):
        idx = b.to_index(iv, I64)
        coords = [b.index(j) for j in range(axis)]
        coords.append(idx)
        coords += [b.index(axis + q + j) for j in range(r - axis - 1)]
        return b.add(tensor.ExtractOp(data, coords, signless(e)))

    res = generic(em, [safe], [imap], out, e, body)
    return em.reshape(res, em.out_shape())


@lowering("GatherElements", honours=("axis",))
def lower_gather_elements(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    r = len(ds)
    axis = norm_axis(em, em.attr("axis", 0), r)
    e = elt_of(data)
    safe = checked_indices(em, ind, [ds[axis]], [axis])

    def body(b: Body, iv, o):
        idx = b.to_index(iv, I64)
        coords = [idx if j == axis else b.index(j) for j in range(r)]
        return b.add(tensor.ExtractOp(data, coords, signless(e)))

    return generic(em, [safe], [AffineMap.identity(r)], is_, e, body)


@lowering("GatherND", honours=("batch_dims",))
def lower_gather_nd(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    bd = em.attr("batch_dims", 0)
    k = is_[-1]
    out = (*is_[:-1], *ds[bd + k :])
    e = elt_of(data)
    nq = len(is_) - 1
    safe = checked_indices(em, ind, ds[bd : bd + k], list(range(bd, bd + k)))

    def body(b: Body, o):
        coords = [b.index(j) for j in range(bd)]
        ipos = [b.index(j) for j in range(nq)]
        for t in range(k):
            iv = b.add(tensor.ExtractOp(safe, [*ipos, b.const(t, IndexType())], I64))
            coords.append(b.to_index(iv, I64))
        coords += [b.index(nq + j) for j in range(len(ds) - bd - k)]
        return b.add(tensor.ExtractOp(data, coords, signless(e)))

    res = generic(em, [], [], out, e, body)
    return em.reshape(res, em.out_shape())


def _combine(b: Body, old, new, red: str, k: str):
    if red == "none":
        return new
    if red == "add":
        return b.add_(old, new, k)
    if red == "mul":
        return b.mul(old, new, k)
    if red == "max":
        return b.max(old, new, k)
    if red == "min":
        return b.min(old, new, k)
    raise ValueError(red)


@lowering("ScatterElements", "Scatter", honours=("axis", "reduction"))
def lower_scatter_elements(em: Emitter, op):
    """out[i] folds every update whose target is i, in order: a generic over
    (data dims..., update dims...) reducing over the updates."""
    data, ind, upd = op.operands[0], op.operands[1], op.operands[2]
    ds = em.shape(data)
    r = len(ds)
    axis = norm_axis(em, em.attr("axis", 0), r)
    red = em.attr("reduction", "none")
    e = elt_of(data)
    k = kind_of(e)
    safe = checked_indices(em, ind, [ds[axis]], [axis])
    nd = 2 * r
    dmap = AffineMap(nd, 0, tuple(d(i) for i in range(r)))
    umap = AffineMap(nd, 0, tuple(d(r + i) for i in range(r)))

    def body(b: Body, iv, uv, acc):
        tgt = b.to_index(iv, I64)
        hit = None
        for j in range(r):
            oj = b.index(j)
            want = tgt if j == axis else b.index(r + j)
            eq = b.add(arith.CmpiOp(oj, want, "eq"))
            hit = eq if hit is None else b.add(arith.AndIOp(hit, eq))
        return b.select(hit, _combine(b, acc, uv, red, k), acc)

    return generic(
        em, [safe, upd], [umap, umap], ds, e, body,
        iterators=["parallel"] * r + ["reduction"] * r, init=data, out_map=dmap,
    )


@lowering("ScatterND", honours=("reduction",))
def lower_scatter_nd(em: Emitter, op):
    data, ind, upd = op.operands[0], op.operands[1], op.operands[2]
    ds, is_ = em.shape(data), em.shape(ind)
    red = em.attr("reduction", "none")
    r = len(ds)
    kk = is_[-1]
    nq = len(is_) - 1
    e = elt_of(data)
    k = kind_of(e)
    safe = checked_indices(em, ind, ds[:kk], list(range(kk)))
    # loops: data dims (r), update-index dims (nq)
    nd = r + nq
    dmap = AffineMap(nd, 0, tuple(d(i) for i in range(r)))
    umap = AffineMap(nd, 0, (*[d(r + j) for j in range(nq)], *[d(kk + j) for j in range(r - kk)]))
    win = em.empty(is_[:-1], e)
    wmap = AffineMap(nd, 0, tuple(d(r + j) for j in range(nq)))

    def body(b: Body, uv, _w, acc):
        hit = None
        qpos = [b.index(r + j) for j in range(nq)]
        for t in range(kk):
            iv = b.add(tensor.ExtractOp(safe, [*qpos, b.const(t, IndexType())], I64))
            tgt = b.to_index(iv, I64)
            eq = b.add(arith.CmpiOp(b.index(t), tgt, "eq"))
            hit = eq if hit is None else b.add(arith.AndIOp(hit, eq))
        return b.select(hit, _combine(b, acc, uv, red, k), acc)

    return generic(
        em, [upd, win], [umap, wmap], ds, e, body,
        iterators=["parallel"] * r + ["reduction"] * nq, init=data, out_map=dmap,
    )


@lowering("TensorScatter", honours=("axis", "mode"))
def lower_tensor_scatter(em: Emitter, op):
    """A KV-cache write: ``present`` is ``past_cache`` with ``update`` written
    along ``axis`` from ``write_indices[b]`` on in each batch row ``b``.

    As a gather over the output: ``present[b, ..., t, ...]`` reads
    ``update[b, ..., t - w[b], ...]`` when ``0 <= t - w[b] < sequence_length``
    (in ``circular`` mode ``t - w[b]`` is taken modulo the cache length), else
    ``past_cache[b, ..., t, ...]``. The write indices are checked as onnxruntime
    checks them: ``0 <= w[b] <= max_sequence_length - sequence_length`` in
    ``linear`` mode, ``w[b] >= 0`` in ``circular`` mode."""
    past, upd = op.operands[0], op.operands[1]
    w = em.operand(2)
    ps, us = em.shape(past), em.shape(upd)
    r = len(ps)
    if r < 2:
        raise em.fail(f"past_cache has rank {r}; TensorScatter needs a batch and a sequence axis")
    axis = norm_axis(em, em.attr("axis", -2), r)
    if axis == 0:
        raise em.fail("axis 0 is the batch axis; the sequence axis must be another one")
    circular = em.attr("mode", "linear") == "circular"
    if len(us) != r or any(us[i] != ps[i] for i in range(r) if i != axis) or us[axis] > ps[axis]:
        raise em.fail(
            f"update of shape {list(us)} does not fit past_cache of shape {list(ps)} "
            f"(equal sizes except along axis {axis}, where it may not be longer)"
        )
    cache, seq = ps[axis], us[axis]
    e = elt_of(past)
    if seq == 0 or int(np.prod(ps)) == 0:
        return past
    if w is None:  # every row writes at 0
        return em.insert_slice(upd, past, [0] * r, list(us))
    if em.shape(w) != (ps[0],):
        raise em.fail(f"write_indices has shape {list(em.shape(w))}, expected [{ps[0]}] (one per batch row)")
    # circular: any non-negative index; linear: the whole update must fit
    bound = UNBOUNDED if circular else cache - seq + 1
    safe = checked_indices(em, w, [bound], [axis], wrap=False)
    idx = IndexType()

    def body(b: Body, pv, wv, _o):
        t = b.index(axis)
        start = b.to_index(wv, I64)
        if circular:
            start = b.add(arith.RemUIOp(start, b.const(cache, idx)))
        src = b.add(arith.SubiOp(t, start))
        if circular:
            wrapped = b.add(arith.AddiOp(src, b.const(cache, idx)))
            src = b.select(b.add(arith.CmpiOp(src, b.const(0, idx), "slt")), wrapped, src)
        inside = b.add(arith.AndIOp(
            b.add(arith.CmpiOp(src, b.const(0, idx), "sge")),
            b.add(arith.CmpiOp(src, b.const(seq, idx), "slt")),
        ))
        at = b.select(inside, src, b.const(0, idx))  # in range whether or not it is used
        coords = [at if j == axis else b.index(j) for j in range(r)]
        uv = b.add(tensor.ExtractOp(upd, coords, signless(e)))
        return b.select(inside, uv, pv)

    return generic(
        em, [past, safe], [identity_map(r), AffineMap(r, 0, (d(0),))], ps, e, body,
    )


@lowering("OneHot", honours=("axis",))
def lower_onehot(em: Emitter, op):
    ind, depth_v, vals = op.operands[:3]
    out = em.out_shape()
    rank = len(out)
    axis = norm_axis(em, em.attr("axis", -1), rank)
    depth = int(require_constant(op, depth_v, "OneHot depth").reshape(-1)[0])
    vv = require_constant(op, vals, "OneHot values").reshape(-1)
    e = em.out_elt()
    ie = elt_of(ind)
    imap = AffineMap(rank, 0, tuple(d(i) for i in range(rank) if i != axis))

    def body(b: Body, iv, o):
        idx = _norm_index(b, iv, ie, depth)
        eq = b.add(arith.CmpiOp(b.index(axis), idx, "eq"))
        return b.select(eq, b.const(vv[1].item(), e), b.const(vv[0].item(), e))

    return generic(em, [ind], [imap], out, e, body)


@lowering("Trilu", honours=("upper",))
def lower_trilu(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    kv = em.operand(1)
    kk = int(require_constant(op, kv, "Trilu k").reshape(-1)[0]) if kv is not None else 0
    upper = em.attr("upper", 1)
    e = elt_of(x)
    i64 = IntegerType(64)

    def body(b: Body, v, o):
        i = b.cast(b.index(rank - 2), IndexType(), i64)
        j = b.cast(b.index(rank - 1), IndexType(), i64)
        diff = b.add(arith.SubiOp(j, i))
        keep = b.add(arith.CmpiOp(diff, b.const(kk, i64), "sge" if upper else "sle"))
        return b.select(keep, v, b.const(0, e))

    return generic(em, [x], [AffineMap.identity(rank)], shape, e, body)

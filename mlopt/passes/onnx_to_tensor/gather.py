"""Indexing ops: Gather, GatherElements, GatherND, ScatterElements, ScatterND,
OneHot, Trilu (gathers use ``tensor.extract`` inside a generic body)."""

from __future__ import annotations

from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    d,
    elt_of,
    generic,
    kind_of,
    lowering,
    norm_axis,
    require_constant,
    signless,
)


def _norm_index(b: Body, v, src_elt, n: int):
    """Index value ``v`` (ONNX int) -> index, negative values wrap by ``n``."""
    i = b.to_index(v, src_elt)
    if kind_of(src_elt) == "u":
        return i
    neg = b.add(arith.CmpiOp(i, b.const(0, IndexType()), "slt"))
    return b.select(neg, b.add(arith.AddiOp(i, b.const(n, IndexType()))), i)


@lowering("Gather")
def lower_gather(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    r, q = len(ds), len(is_)
    axis = norm_axis(em, em.attr("axis", 0), r)
    out = (*ds[:axis], *is_, *ds[axis + 1 :])
    e = elt_of(data)
    ie = elt_of(ind)
    nd = len(out)
    imap = AffineMap(nd, 0, tuple(d(axis + j) for j in range(q)))

    def body(b: Body, iv, o):
        idx = _norm_index(b, iv, ie, ds[axis])
        coords = [b.index(j) for j in range(axis)]
        coords.append(idx)
        coords += [b.index(axis + q + j) for j in range(r - axis - 1)]
        return b.add(tensor.ExtractOp(data, coords, signless(e)))

    res = generic(em, [ind], [imap], out, e, body)
    return em.reshape(res, em.out_shape())


@lowering("GatherElements")
def lower_gather_elements(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    r = len(ds)
    axis = norm_axis(em, em.attr("axis", 0), r)
    e = elt_of(data)
    ie = elt_of(ind)

    def body(b: Body, iv, o):
        idx = _norm_index(b, iv, ie, ds[axis])
        coords = [idx if j == axis else b.index(j) for j in range(r)]
        return b.add(tensor.ExtractOp(data, coords, signless(e)))

    return generic(em, [ind], [AffineMap.identity(r)], is_, e, body)


@lowering("GatherND")
def lower_gather_nd(em: Emitter, op):
    data, ind = op.operands[0], op.operands[1]
    ds, is_ = em.shape(data), em.shape(ind)
    bd = em.attr("batch_dims", 0)
    k = is_[-1]
    out = (*is_[:-1], *ds[bd + k :])
    e = elt_of(data)
    ie = elt_of(ind)
    nq = len(is_) - 1

    def body(b: Body, o):
        coords = [b.index(j) for j in range(bd)]
        ipos = [b.index(j) for j in range(nq)]
        for t in range(k):
            iv = b.add(tensor.ExtractOp(ind, [*ipos, b.const(t, IndexType())], signless(ie)))
            coords.append(_norm_index(b, iv, ie, ds[bd + t]))
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


@lowering("ScatterElements", "Scatter")
def lower_scatter_elements(em: Emitter, op):
    """out[i] folds every update whose target is i, in order: a generic over
    (data dims..., update dims...) reducing over the updates."""
    data, ind, upd = op.operands[0], op.operands[1], op.operands[2]
    ds, is_ = em.shape(data), em.shape(ind)
    r = len(ds)
    axis = norm_axis(em, em.attr("axis", 0), r)
    red = em.attr("reduction", "none")
    e = elt_of(data)
    k = kind_of(e)
    ie = elt_of(ind)
    nd = 2 * r
    dmap = AffineMap(nd, 0, tuple(d(i) for i in range(r)))
    umap = AffineMap(nd, 0, tuple(d(r + i) for i in range(r)))

    def body(b: Body, iv, uv, acc):
        tgt = _norm_index(b, iv, ie, ds[axis])
        hit = None
        for j in range(r):
            oj = b.index(j)
            want = tgt if j == axis else b.index(r + j)
            eq = b.add(arith.CmpiOp(oj, want, "eq"))
            hit = eq if hit is None else b.add(arith.AndIOp(hit, eq))
        return b.select(hit, _combine(b, acc, uv, red, k), acc)

    return generic(
        em, [ind, upd], [umap, umap], ds, e, body,
        iterators=["parallel"] * r + ["reduction"] * r, init=data, out_map=dmap,
    )


@lowering("ScatterND")
def lower_scatter_nd(em: Emitter, op):
    data, ind, upd = op.operands[0], op.operands[1], op.operands[2]
    ds, is_ = em.shape(data), em.shape(ind)
    red = em.attr("reduction", "none")
    r = len(ds)
    kk = is_[-1]
    nq = len(is_) - 1
    e = elt_of(data)
    k = kind_of(e)
    ie = elt_of(ind)
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
            iv = b.add(tensor.ExtractOp(ind, [*qpos, b.const(t, IndexType())], signless(ie)))
            tgt = _norm_index(b, iv, ie, ds[t])
            eq = b.add(arith.CmpiOp(b.index(t), tgt, "eq"))
            hit = eq if hit is None else b.add(arith.AndIOp(hit, eq))
        return b.select(hit, _combine(b, acc, uv, red, k), acc)

    return generic(
        em, [upd, win], [umap, wmap], ds, e, body,
        iterators=["parallel"] * r + ["reduction"] * nq, init=data, out_map=dmap,
    )


@lowering("OneHot")
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


@lowering("Trilu")
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

"""Shape and data movement: Reshape, Flatten, Squeeze, Unsqueeze, Transpose,
Concat, Split, Slice, Expand, Tile, Pad, DepthToSpace, SpaceToDepth."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import IndexType
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    broadcast_to,
    c,
    constant_array,
    d,
    elt_of,
    generic,
    index_const,
    lowering,
    norm_axis,
    require_constant,
    signless,
    ttype,
)


def _to_result_shape(em: Emitter, op):
    x = op.operands[0]
    return em.reshape(x, em.out_shape())


@lowering("Reshape", honours=("allowzero",))
def lower_reshape(em: Emitter, op):
    x = op.operands[0]
    in_shape = em.shape(x)
    out = em.out_shape()
    shp = constant_array(op.operands[1])
    if shp is not None:
        allowzero = em.attr("allowzero", 0)
        want = [int(s) for s in shp.reshape(-1)]
        for i, s in enumerate(want):
            if s == 0 and not allowzero:
                want[i] = in_shape[i]
        if -1 in want:
            known = int(np.prod([s for s in want if s != -1]))
            want[want.index(-1)] = int(np.prod(in_shape)) // max(known, 1)
        if tuple(want) != out:
            raise em.fail(f"shape operand gives {tuple(want)}, the result type says {out}")
    return em.reshape(x, out)


for _n in ("Flatten", "Squeeze", "Unsqueeze"):
    # Flatten's axis is in the result type (Squeeze/Unsqueeze have no attributes)
    lowering(_n, honours=("axis",))(_to_result_shape)


def transpose(em: Emitter, x, perm: Sequence[int]):
    shape = em.shape(x)
    rank = len(shape)
    if list(perm) == list(range(rank)):
        return x
    out_shape = tuple(shape[p] for p in perm)
    inv = [0] * rank
    for i, p in enumerate(perm):
        inv[p] = i
    imap = AffineMap(rank, 0, tuple(d(inv[j]) for j in range(rank)))
    return generic(em, [x], [imap], out_shape, elt_of(x), lambda b, v, o: v)


@lowering("Transpose", honours=("perm",))
def lower_transpose(em: Emitter, op):
    x = op.operands[0]
    rank = len(em.shape(x))
    perm = em.attr("perm") or list(reversed(range(rank)))
    return transpose(em, x, perm)


@lowering("Concat", honours=("axis",))
def lower_concat(em: Emitter, op):
    ins = list(op.operands)
    out = em.out_shape()
    rank = len(out)
    axis = norm_axis(em, em.attr("axis"), rank)
    ins = [v for v in ins if em.shape(v)[axis] != 0] if rank else ins
    if len(ins) == 1:
        return ins[0]
    dest = em.empty(out, em.out_elt())
    off = 0
    for v in ins:
        sh = em.shape(v)
        offs = [0] * rank
        offs[axis] = off
        dest = em.insert_slice(v, dest, offs, sh)
        off += sh[axis]
    return dest


@lowering("Split", honours=("axis", "num_outputs"))
def lower_split(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", 0), rank)
    res = []
    off = 0
    for r in op.results:
        rs = em.shape(r)
        offs = [0] * rank
        offs[axis] = off
        res.append(em.extract_slice(x, offs, rs))
        off += rs[axis]
    if off != shape[axis]:
        raise em.fail(f"split sizes add up to {off}, the axis has {shape[axis]}")
    return res


def slice_params(em: Emitter, op, shape):
    """Per-dim (start, count, step) from Slice's constant operands/attributes."""
    rank = len(shape)
    if len(op.operands) >= 3 and em.attr("starts") is None:
        starts = [int(v) for v in require_constant(op, op.operands[1], "Slice starts").reshape(-1)]
        ends = [int(v) for v in require_constant(op, op.operands[2], "Slice ends").reshape(-1)]
        av = em.operand(3)
        axes = [int(v) for v in require_constant(op, av, "Slice axes").reshape(-1)] if av is not None else None
        sv = em.operand(4)
        steps = [int(v) for v in require_constant(op, sv, "Slice steps").reshape(-1)] if sv is not None else None
    else:
        starts, ends, axes, steps = em.attr("starts"), em.attr("ends"), em.attr("axes"), None
    if axes is None:
        axes = list(range(len(starts)))
    if steps is None:
        steps = [1] * len(starts)
    params = [(0, s, 1) for s in shape]
    for st, en, ax, sp in zip(starts, ends, axes, steps, strict=True):
        ax = norm_axis(em, ax, rank)
        if sp == 0:
            raise em.fail("Slice step must not be 0")
        dim = shape[ax]
        s0, e0, _ = slice(st, en, sp).indices(dim)
        n = len(range(s0, e0, sp))
        params[ax] = (s0, n, sp)
    return params


@lowering("Slice", honours=())
def lower_slice(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    params = slice_params(em, op, shape)
    sizes = [n for _, n, _ in params]
    if tuple(sizes) != em.out_shape():
        raise em.fail(f"Slice gives shape {tuple(sizes)}, the result type says {em.out_shape()}")
    if all(sp > 0 for _, _, sp in params):
        if all(s == 0 and n == dm and sp == 1 for (s, n, sp), dm in zip(params, shape)):
            return x
        return em.extract_slice(x, [s for s, _, _ in params], sizes, [sp for _, _, sp in params])
    # Negative steps: take the elements with positive strides first (the box from
    # the lowest selected index), then reverse those axes with a generic whose
    # input has the result's shape. (A generic reading x itself through
    # s + d_i * step would take a step-1 axis's loop range from x's larger dim.)
    rank = len(shape)
    lows = [s if sp > 0 else s + (n - 1) * sp for s, n, sp in params]
    strides = [abs(sp) for _, _, sp in params]
    if any(lo != 0 or n != dm or st != 1 for lo, n, st, dm in zip(lows, sizes, strides, shape)):
        x = em.extract_slice(x, lows, sizes, strides)
    imap = AffineMap(rank, 0, tuple(d(i) if sp > 0 else c(n - 1) - d(i) for i, (_, n, sp) in enumerate(params)))
    return generic(em, [x], [imap], sizes, elt_of(x), lambda b, v, o: v)


@lowering("Expand", honours=())
def lower_expand(em: Emitter, op):
    return broadcast_to(em, op.operands[0], em.out_shape())


@lowering("Tile", honours=())
def lower_tile(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    reps = [int(v) for v in require_constant(op, op.operands[1], "Tile repeats").reshape(-1)]
    if len(reps) != rank:
        raise em.fail("repeats must have one entry per input dimension")
    big = []
    for r, s in zip(reps, shape):
        big += [r, s]
    imap = AffineMap(2 * rank, 0, tuple(d(2 * i + 1) for i in range(rank)))
    t = generic(em, [x], [imap], big, elt_of(x), lambda b, v, o: v)
    return em.reshape(t, em.out_shape())


@lowering("Pad", honours=("mode",))
def lower_pad(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    mode = em.attr("mode", "constant")
    if em.attr("pads") is not None:
        pads = list(em.attr("pads"))
    else:
        pads = [int(v) for v in require_constant(op, op.operands[1], "Pad pads").reshape(-1)]
    axes_v = em.operand(3)
    if axes_v is not None:
        axes = [norm_axis(em, int(a), rank) for a in require_constant(op, axes_v, "Pad axes").reshape(-1)]
        full = [0] * (2 * rank)
        for i, a in enumerate(axes):
            full[a] = pads[i]
            full[rank + a] = pads[len(axes) + i]
        pads = full
    pb, pe = pads[:rank], pads[rank:]
    e = elt_of(x)
    out = em.out_shape()
    # negative pads crop
    if any(p < 0 for p in pb + pe):
        offs = [max(0, -p) for p in pb]
        sizes = [shape[i] - offs[i] - max(0, -pe[i]) for i in range(rank)]
        x = em.extract_slice(x, offs, sizes)
        shape = tuple(sizes)
        pb = [max(0, p) for p in pb]
        pe = [max(0, p) for p in pe]
    if all(p == 0 for p in pb + pe):
        return x
    if mode == "constant":
        cv = em.operand(2) if len(op.operands) > 2 else None
        if cv is None and em.attr("value") is not None:
            val = em.attr("value")
        else:
            val = 0
        if cv is not None:
            arr = constant_array(cv)
            if arr is not None:
                val = arr.reshape(-1)[0].item()
                dest = em.filled(out, e, val)
            else:
                cs = em.shape(cv)
                scalar = em.add(tensor.ExtractOp(cv, [index_const(em, 0) for _ in cs], signless(elt_of(cv))))
                from xdsl.dialects.linalg import ops as linalg

                init = em.empty(out, e)
                dest = em.add(linalg.FillOp([scalar], [init], [ttype(out, e)]))
        else:
            dest = em.filled(out, e, val)
        return em.insert_slice(x, dest, pb, shape)
    if mode not in ("reflect", "edge", "wrap"):
        raise em.fail(f"Pad mode '{mode}' is not supported")

    def body(b: Body, o):
        idxs = []
        for i in range(rank):
            n = shape[i]
            j = b.index(i)
            j = b.add(arith.SubiOp(j, b.const(pb[i], IndexType())))
            zero = b.const(0, IndexType())
            last = b.const(n - 1, IndexType())
            if mode == "edge":
                j = b.add(arith.MaxSIOp(j, zero))
                j = b.add(arith.MinSIOp(j, last))
            elif mode == "reflect":
                # reflect (without repeating the edge), valid for pads < n
                neg = b.add(arith.CmpiOp(j, zero, "slt"))
                j = b.select(neg, b.add(arith.SubiOp(zero, j)), j)
                over = b.add(arith.CmpiOp(j, last, "sgt"))
                j = b.select(over, b.add(arith.SubiOp(b.const(2 * (n - 1), IndexType()), j)), j)
            else:
                nn = b.const(n, IndexType())
                j = b.add(arith.RemSIOp(b.add(arith.AddiOp(b.add(arith.RemSIOp(j, nn)), nn)), nn))
            idxs.append(j)
        return b.add(tensor.ExtractOp(x, idxs, signless(e)))

    if mode == "reflect" and any(pb[i] >= shape[i] or pe[i] >= shape[i] for i in range(rank) if pb[i] or pe[i]):
        raise em.fail("reflect padding larger than the input is not supported")
    return generic(em, [], [], out, e, body)


@lowering("DepthToSpace", honours=("blocksize", "mode"))
def lower_depth_to_space(em: Emitter, op):
    x = op.operands[0]
    N, C, H, W = em.shape(x)
    bs = em.attr("blocksize")
    mode = em.attr("mode", "DCR")
    if mode == "DCR":
        t = em.reshape(x, (N, bs, bs, C // (bs * bs), H, W))
        t = transpose(em, t, (0, 3, 4, 1, 5, 2))
    else:
        t = em.reshape(x, (N, C // (bs * bs), bs, bs, H, W))
        t = transpose(em, t, (0, 1, 4, 2, 5, 3))
    return em.reshape(t, (N, C // (bs * bs), H * bs, W * bs))


@lowering("SpaceToDepth", honours=("blocksize", "mode"))
def lower_space_to_depth(em: Emitter, op):
    x = op.operands[0]
    N, C, H, W = em.shape(x)
    bs = em.attr("blocksize")
    t = em.reshape(x, (N, C, H // bs, bs, W // bs, bs))
    if em.attr("mode", "DCR") == "CRD":
        t = transpose(em, t, (0, 1, 3, 5, 2, 4))
    else:
        t = transpose(em, t, (0, 3, 5, 1, 2, 4))
    return em.reshape(t, (N, C * bs * bs, H // bs, W // bs))

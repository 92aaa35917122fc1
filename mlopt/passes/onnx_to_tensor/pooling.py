"""MaxPool, AveragePool, LpPool (ceil_mode, pads, dilations, count_include_pad)
and GlobalAveragePool / GlobalMaxPool / GlobalLpPool."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith, math
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    d,
    elt_of,
    generic,
    is_none,
    kind_of,
    lowering,
    map_elementwise,
    reduce_generic,
)
from mlopt.passes.onnx_to_tensor.conv import pad_input, window_pads, window_params


def lowest(e, k):
    if k == "f":
        return float("-inf")
    from mlopt.passes.onnx_to_tensor.common import width_of

    w = width_of(e)
    return 0 if k in ("u", "b") else -(1 << (w - 1))


def highest(e, k):
    if k == "f":
        return float("inf")
    from mlopt.passes.onnx_to_tensor.common import width_of

    w = width_of(e)
    return (1 << w) - 1 if k == "u" else (1 if k == "b" else (1 << (w - 1)) - 1)


def _pool(em: Emitter, op, kind: str):
    x = op.operands[0]
    xs = em.shape(x)
    r = len(xs) - 2
    kernel = em.attr("kernel_shape")
    if not kernel or len(kernel) != r:
        raise em.fail("kernel_shape is required and must match the input rank")
    strides, dil, eff = window_params(em, op, r, kernel)
    pb, pe = window_pads(em, xs[2:], eff, strides, em.attr("auto_pad", "NOTSET"), em.attr("pads"))
    out_shape = em.out_shape()
    osp = out_shape[2:]
    want_indices = len(op.results) > 1 and not is_none(op.results[1]) and bool(op.results[1].uses)
    e = elt_of(x)
    k = kind_of(e)
    needed = [(osp[i] - 1) * strides[i] + eff[i] for i in range(r)]
    pad_val = lowest(e, k) if kind == "max" else 0
    xp = pad_input(em, x, pb, needed, pad_val)
    nd = 2 + 2 * r
    xmap = AffineMap(nd, 0, (d(0), d(1), *[d(2 + i) * strides[i] + d(2 + r + i) * dil[i] for i in range(r)]))
    # the kernel dims must appear in some operand: the input map has them
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    p = em.attr("p", 2)

    if kind == "max" and want_indices:
        return _maxpool_with_indices(em, op, xp, kernel, strides, dil, pb, out_shape, e, k)
    if kind == "max" and r >= 2 and kernel[-1] > 1 and int(np.prod(kernel[:-1])) > 1:
        return _separable_max(em, xp, kernel, strides, dil, needed, out_shape, e, k)
    if kind == "max":
        init = em.filled(out_shape, e, lowest(e, k))
        body = lambda bb, xv, acc: bb.max(acc, xv, k)  # noqa: E731
    elif kind == "lp":
        init = em.filled(out_shape, e, 0)

        def body(bb: Body, xv, acc):
            a = bb.add(math.AbsFOp(xv))
            t = bb.add(arith.MulfOp(a, a)) if p == 2 else bb.add(math.PowFOp(a, bb.const(float(p), e)))
            return bb.add(arith.AddfOp(acc, t))
    else:
        init = em.filled(out_shape, e, 0)
        body = lambda bb, xv, acc: bb.add_(acc, xv, k)  # noqa: E731
    # a kernel-shaped dummy operand makes the window loops' bounds derivable
    win = em.empty(kernel, e)
    wmap = AffineMap(nd, 0, tuple(d(2 + r + i) for i in range(r)))
    res = generic(
        em, [xp, win], [xmap, wmap], out_shape, e, lambda bb, xv, _w, acc: body(bb, xv, acc),
        iterators=["parallel"] * (2 + r) + ["reduction"] * r, init=init, out_map=omap,
    )
    if kind == "lp":
        return map_elementwise(
            em, [res], e,
            lambda bb, v: bb.add(math.SqrtOp(v)) if p == 2 else bb.add(math.PowFOp(v, bb.const(1.0 / p, e))),
        )
    if kind == "avg":
        include = em.attr("count_include_pad", 0)
        counts = np.ones((), dtype=np.int64)
        for i in range(r):
            lo, hi = (-pb[i], xs[2 + i] + pe[i]) if include else (0, xs[2 + i])
            pos = np.arange(osp[i])[:, None] * strides[i] - pb[i] + np.arange(kernel[i])[None, :] * dil[i]
            ci = ((pos >= lo) & (pos < hi)).sum(axis=1)
            counts = np.multiply.outer(counts, ci)
        counts = np.maximum(counts, 1)
        if np.all(counts == counts.reshape(-1)[0]):
            n = int(counts.reshape(-1)[0])
            return map_elementwise(em, [res], e, lambda bb, v: bb.div(v, bb.const(n, e), k))
        cst = em.dense(counts.astype(np.float64), e)
        return map_elementwise(em, [res, cst], e, lambda bb, v, cnt: bb.div(v, cnt, k))
    return res


def _separable_max(em: Emitter, xp, kernel, strides, dil, needed, out_shape, e, k):
    """A max window as two: over the leading window dims at every column of
    the (padded) input, then over the last dim.  Max is exact, so the result
    is the same; a 3x3 window is 3 + 3 taps instead of 9, and only the second
    pass reads with the column stride (a wide load and a shuffle per tap)."""
    r = len(kernel)
    lead = r - 1
    cols = needed[-1]
    mid_shape = (*out_shape[:-1], cols)
    # stage 1 loops: n, c, o_1..o_{r-1}, w, k_1..k_{r-1}
    nd = 2 + r + lead
    xmap = AffineMap(nd, 0, (
        d(0), d(1), *[d(2 + i) * strides[i] + d(2 + r + i) * dil[i] for i in range(lead)], d(1 + r),
    ))  # fmt: skip
    wmap = AffineMap(nd, 0, tuple(d(2 + r + i) for i in range(lead)))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    mid = generic(
        em, [xp, em.empty(kernel[:-1], e)], [xmap, wmap], mid_shape, e,
        lambda bb, xv, _w, acc: bb.max(acc, xv, k),
        iterators=["parallel"] * (2 + r) + ["reduction"] * lead,
        init=em.filled(mid_shape, e, lowest(e, k)), out_map=omap,
    )
    # stage 2 loops: n, c, o_1..o_r, k_r
    nd = 3 + r
    vmap = AffineMap(nd, 0, (*[d(i) for i in range(1 + r)], d(1 + r) * strides[-1] + d(2 + r) * dil[-1]))
    return generic(
        em, [mid, em.empty(kernel[-1:], e)], [vmap, AffineMap(nd, 0, (d(2 + r),))], out_shape, e,
        lambda bb, xv, _w, acc: bb.max(acc, xv, k),
        iterators=["parallel"] * (2 + r) + ["reduction"],
        init=em.filled(out_shape, e, lowest(e, k)), out_map=AffineMap(nd, 0, tuple(d(i) for i in range(2 + r))),
    )


@lowering(
    "MaxPool",
    honours=("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"),
)
def lower_maxpool(em: Emitter, op):
    if em.attr("storage_order", 0):
        pass  # only affects the Indices output
    return _pool(em, op, "max")


@lowering(
    "AveragePool",
    honours=("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"),
)
def lower_avgpool(em: Emitter, op):
    return _pool(em, op, "avg")


@lowering(
    "LpPool",
    honours=("auto_pad", "ceil_mode", "dilations", "kernel_shape", "p", "pads", "strides"),
)
def lower_lppool(em: Emitter, op):
    return _pool(em, op, "lp")


def _global(em: Emitter, op, kind: str):
    x = op.operands[0]
    xs = em.shape(x)
    e = elt_of(x)
    k = kind_of(e)
    axes = list(range(2, len(xs)))
    if kind == "max":
        r, _ = reduce_generic(em, x, axes, True, lowest(e, k), lambda bb, v, acc: bb.max(acc, v, k))
        return r
    if kind == "lp":
        p = em.attr("p", 2)

        def pre(bb: Body, v):
            a = bb.add(math.AbsFOp(v))
            return bb.add(arith.MulfOp(a, a)) if p == 2 else bb.add(math.PowFOp(a, bb.const(float(p), e)))

        r, _ = reduce_generic(em, x, axes, True, 0, lambda bb, v, acc: bb.add_(acc, v, k), pre=pre)
        return map_elementwise(
            em, [r], e,
            lambda bb, v: bb.add(math.SqrtOp(v)) if p == 2 else bb.add(math.PowFOp(v, bb.const(1.0 / p, e))),
        )
    r, _ = reduce_generic(em, x, axes, True, 0, lambda bb, v, acc: bb.add_(acc, v, k))
    n = int(np.prod(xs[2:]))
    return map_elementwise(em, [r], e, lambda bb, v: bb.div(v, bb.const(n, e), k))


@lowering("GlobalAveragePool", honours=())
def lower_gap(em: Emitter, op):
    return _global(em, op, "avg")


@lowering("GlobalMaxPool", honours=())
def lower_gmp(em: Emitter, op):
    return _global(em, op, "max")


@lowering("GlobalLpPool", honours=("p",))
def lower_glp(em: Emitter, op):
    return _global(em, op, "lp")


def _maxpool_with_indices(em: Emitter, op, xp, kernel, strides, dil, pb, out_shape, e, k):
    """MaxPool with its Indices output: one generic with (value, index)
    outputs; the index is the flat position in the unpadded input (row-major,
    or column-major over the spatial dims with storage_order = 1)."""
    from xdsl.dialects.builtin import IndexType, IntegerType

    x = op.operands[0]
    xs = em.shape(x)
    r = len(kernel)
    i64 = IntegerType(64)
    nd = 2 + 2 * r
    xmap = AffineMap(nd, 0, (d(0), d(1), *[d(2 + i) * strides[i] + d(2 + r + i) * dil[i] for i in range(r)]))
    win = em.empty(kernel, e)
    wmap = AffineMap(nd, 0, tuple(d(2 + r + i) for i in range(r)))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    vinit = em.filled(out_shape, e, lowest(e, k))
    iinit = em.filled(out_shape, i64, 0)
    col_major = bool(em.attr("storage_order", 0))
    sp = list(xs[2:])

    def body(b: Body, xv, _w, vacc, iacc):
        def idx(j):
            return b.cast(b.index(j), IndexType(), i64)

        pos = []
        for i in range(r):
            p = b.add(arith.AddiOp(
                b.add(arith.MuliOp(idx(2 + i), b.const(strides[i], i64))),
                b.add(arith.MuliOp(idx(2 + r + i), b.const(dil[i], i64))),
            ))
            pos.append(b.add(arith.SubiOp(p, b.const(pb[i], i64))))
        order = list(reversed(range(r))) if col_major else list(range(r))
        flat = b.add(arith.AddiOp(b.add(arith.MuliOp(idx(0), b.const(xs[1], i64))), idx(1)))
        for i in order:
            flat = b.add(arith.AddiOp(b.add(arith.MuliOp(flat, b.const(sp[i], i64))), pos[i]))
        better = b.cmp("gt", xv, vacc, k)
        return [b.select(better, xv, vacc), b.select(better, flat, iacc)]

    g = generic(
        em, [xp, win], [xmap, wmap], out_shape, e, body,
        iterators=["parallel"] * (2 + r) + ["reduction"] * r, init=vinit, out_map=omap,
        extra_outputs=[(iinit, omap)],
    )
    return [g.results[0], g.results[1]]

"""BatchNormalization (inference), LayerNormalization, InstanceNormalization,
GroupNormalization, LRN, LpNormalization, MeanVarianceNormalization."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith, math
from xdsl.dialects.builtin import BFloat16Type, Float16Type, Float32Type, Float64Type
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    broadcast_exprs,
    c,
    constant_array,
    d,
    elt_of,
    generic,
    is_none,
    kind_of,
    lowering,
    map_elementwise,
    norm_axis,
    numpy_dtype,
    reduce_generic,
)


@lowering("BatchNormalization", honours=("epsilon", "momentum", "training_mode"))
def lower_batchnorm(em: Emitter, op):
    x, scale, bias, mean, var = op.operands[:5]
    if em.attr("training_mode", 0):
        raise em.fail("BatchNormalization in training mode is not supported")
    for r in op.results[1:]:
        if not is_none(r) and r.uses:
            raise em.fail("BatchNormalization running mean/var outputs are not supported")
    eps = float(em.attr("epsilon", 1e-5))
    shape = em.shape(x)
    e = elt_of(x)
    rank = len(shape)
    cmap = AffineMap(rank, 0, (d(1),) if rank > 1 else (c(0),))
    consts = [constant_array(v) for v in (scale, bias, mean, var)]
    if all(a is not None for a in consts):
        s, b, m, v = (np.asarray(a, dtype=np.float64).reshape(-1) for a in consts)
        a = s / np.sqrt(v + eps)
        sh = b - m * a
        dt = numpy_dtype(e)
        ac = em.dense(a.astype(dt), e)
        bc = em.dense(sh.astype(dt), e)
        return generic(
            em, [x, ac, bc], [AffineMap.identity(rank), cmap, cmap], shape, e,
            lambda bb, xv, av, bv, o: bb.add(arith.AddfOp(bb.add(arith.MulfOp(xv, av)), bv)),
        )

    def body(bb: Body, xv, sv, bv, mv, vv, o):
        inv = bb.add(math.RsqrtOp(bb.add(arith.AddfOp(vv, bb.const(eps, e)))))
        t = bb.add(arith.MulfOp(bb.add(arith.SubfOp(xv, mv)), inv))
        return bb.add(arith.AddfOp(bb.add(arith.MulfOp(t, sv)), bv))

    return generic(
        em, [x, scale, bias, mean, var], [AffineMap.identity(rank)] + [cmap] * 4, shape, e, body
    )


def _normalize(em: Emitter, x, axes, eps, eps_after_sqrt: bool = False):
    """(x - mean) * rsqrt(var + eps) over ``axes`` (keepdims); also mean, invstd.
    With ``eps_after_sqrt`` the inverse is 1 / (sqrt(var) + eps), as in
    MeanVarianceNormalization's function body (the two differ by ~eps/(2 var)
    relatively, which shows when the variance is within a few hundred eps)."""
    shape = em.shape(x)
    e = elt_of(x)
    k = kind_of(e)
    n = int(np.prod([shape[a] for a in axes]))
    s, _ = reduce_generic(em, x, axes, True, 0, lambda b, v, acc: b.add_(acc, v, k))
    mean = map_elementwise(em, [s], e, lambda b, v: b.add(arith.DivfOp(v, b.const(n, e))))
    cen = map_elementwise(em, [x, mean], e, lambda b, v, m: b.add(arith.SubfOp(v, m)))
    sq, _ = reduce_generic(
        em, cen, axes, True, 0, lambda b, v, acc: b.add_(acc, v, k), pre=lambda b, v: b.add(arith.MulfOp(v, v))
    )
    def inverse(b: Body, v):
        var = b.add(arith.DivfOp(v, b.const(n, e)))
        if eps_after_sqrt:
            std = b.add(arith.AddfOp(b.add(math.SqrtOp(var)), b.const(eps, e)))
            return b.add(arith.DivfOp(b.const(1.0, e), std))
        return b.add(math.RsqrtOp(b.add(arith.AddfOp(var, b.const(eps, e)))))

    inv = map_elementwise(em, [sq], e, inverse)
    return cen, mean, inv


_STASH_TYPES = {1: Float32Type, 10: Float16Type, 11: Float64Type, 16: BFloat16Type}


def stash_elt(em: Emitter):
    """The element type of ``stash_type`` (default 1, float32): the precision
    of stage one (mean, variance, normalization) of LayerNormalization,
    GroupNormalization and RMSNormalization, as in their ONNX function bodies
    (the input is cast to it, the normalized value cast back before the scale
    and bias)."""
    st = em.attr("stash_type", 1)
    if st not in _STASH_TYPES:
        raise em.fail(f"stash_type {st} is not a floating-point type (1, 10, 11 or 16)")
    return _STASH_TYPES[st]()


def cast_to(em: Emitter, v, elt):
    """``v`` converted elementwise to ``elt`` (``v`` itself if it has that type)."""
    e = elt_of(v)
    if e == elt:
        return v
    return map_elementwise(em, [v], elt, lambda b, a: b.cast(a, e, elt))


@lowering("LayerNormalization", honours=("axis", "epsilon", "stash_type"))
def lower_layernorm(em: Emitter, op):
    x = op.operands[0]
    scale = em.operand(1)
    bias = em.operand(2)
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", -1), rank)
    eps = float(em.attr("epsilon", 1e-5))
    axes = list(range(axis, rank))
    e = elt_of(x)
    st = stash_elt(em)
    cen, mean, inv = _normalize(em, cast_to(em, x, st), axes, eps)
    ins = [cen, inv]
    if scale is not None:
        ins.append(scale)
    if bias is not None:
        ins.append(bias)
    maps = [AffineMap.identity(rank), AffineMap(rank, 0, tuple(broadcast_exprs(em.shape(inv), shape)))]
    for v in ins[2:]:
        maps.append(AffineMap(rank, 0, tuple(broadcast_exprs(em.shape(v), shape))))

    def body(bb: Body, cv, iv, *rest):
        rest = rest[:-1]
        y = bb.cast(bb.add(arith.MulfOp(cv, iv)), st, e)
        i = 0
        if scale is not None:
            y = bb.add(arith.MulfOp(y, rest[i]))
            i += 1
        if bias is not None:
            y = bb.add(arith.AddfOp(y, rest[i]))
        return y

    y = generic(em, ins, maps, shape, e, body)
    res = [y]
    if len(op.results) > 1:
        res.append(None if is_none(op.results[1]) else em.reshape(mean, em.out_shape(1)))
    if len(op.results) > 2:
        res.append(None if is_none(op.results[2]) else em.reshape(inv, em.out_shape(2)))
    return res


@lowering("InstanceNormalization", honours=("epsilon",))
def lower_instancenorm(em: Emitter, op):
    x, scale, bias = op.operands[:3]
    shape = em.shape(x)
    rank = len(shape)
    eps = float(em.attr("epsilon", 1e-5))
    e = elt_of(x)
    cen, _, inv = _normalize(em, x, list(range(2, rank)), eps)
    cmap = AffineMap(rank, 0, (d(1),))
    keepmap = AffineMap(rank, 0, (d(0), d(1), *[c(0)] * (rank - 2)))

    def body(bb: Body, cv, iv, sv, bv, o):
        return bb.add(arith.AddfOp(bb.add(arith.MulfOp(bb.add(arith.MulfOp(cv, iv)), sv)), bv))

    return generic(em, [cen, inv, scale, bias], [AffineMap.identity(rank), keepmap, cmap, cmap], shape, e, body)


@lowering("GroupNormalization", honours=("epsilon", "num_groups", "stash_type"))
def lower_groupnorm(em: Emitter, op):
    x, scale, bias = op.operands[:3]
    shape = em.shape(x)
    rank = len(shape)
    g = em.attr("num_groups")
    eps = float(em.attr("epsilon", 1e-5))
    e = elt_of(x)
    N, C = shape[0], shape[1]
    xg = cast_to(em, em.reshape(x, (N, g, C // g, *shape[2:])), st := stash_elt(em))
    cen, _, inv = _normalize(em, xg, list(range(2, rank + 1)), eps)
    y = map_elementwise(em, [cen, inv], e, lambda b, cv, iv: b.cast(b.add(arith.MulfOp(cv, iv)), st, e))
    y = em.reshape(y, shape)
    sshape = em.shape(scale)
    if sshape[0] != C:  # opset-18 per-group scale
        scale = em.reshape(
            generic(em, [scale], [AffineMap(2, 0, (d(0),))], (g, C // g), e, lambda b, s, o: s), (C,)
        )
        bias = em.reshape(
            generic(em, [bias], [AffineMap(2, 0, (d(0),))], (g, C // g), e, lambda b, s, o: s), (C,)
        )
    cmap = AffineMap(rank, 0, (d(1),))
    return generic(
        em, [y, scale, bias], [AffineMap.identity(rank), cmap, cmap], shape, e,
        lambda bb, yv, sv, bv, o: bb.add(arith.AddfOp(bb.add(arith.MulfOp(yv, sv)), bv)),
    )


@lowering("MeanVarianceNormalization", honours=("axes",))
def lower_mvn(em: Emitter, op):
    x = op.operands[0]
    rank = len(em.shape(x))
    axes = em.attr("axes") or [0, 2, 3]
    axes = sorted({norm_axis(em, a, rank) for a in axes})
    e = elt_of(x)
    cen, _, inv = _normalize(em, x, axes, 1e-9, eps_after_sqrt=True)
    return map_elementwise(em, [cen, inv], e, lambda b, cv, iv: b.add(arith.MulfOp(cv, iv)))


@lowering("LRN", honours=("alpha", "beta", "bias", "size"))
def lower_lrn(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    size = em.attr("size")
    alpha = float(em.attr("alpha", 1e-4))
    beta = float(em.attr("beta", 0.75))
    bias = float(em.attr("bias", 1.0))
    e = elt_of(x)
    lo = (size - 1) // 2
    C = shape[1]
    padded = em.filled((shape[0], C + size - 1, *shape[2:]), e, 0)
    padded = em.insert_slice(x, padded, [0, lo] + [0] * (rank - 2))
    nd = rank + 1
    xmap = AffineMap(nd, 0, (d(0), d(1) + d(rank), *[d(i) for i in range(2, rank)]))
    win = em.empty((size,), e)
    wmap = AffineMap(nd, 0, (d(rank),))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(rank)))
    init = em.filled(shape, e, 0)
    sq = generic(
        em, [padded, win], [xmap, wmap], shape, e,
        lambda b, v, _w, acc: b.add(arith.AddfOp(acc, b.add(arith.MulfOp(v, v)))),
        iterators=["parallel"] * rank + ["reduction"], init=init, out_map=omap,
    )

    def body(b: Body, xv, sv):
        t = b.add(arith.AddfOp(b.const(bias, e), b.add(arith.MulfOp(sv, b.const(alpha / size, e)))))
        return b.add(arith.DivfOp(xv, _pow_const(b, t, beta, e)))

    return map_elementwise(em, [x, sq], e, body)


def _pow_const(b: Body, t, beta: float, e):
    """``t ** beta``.  For LRN's usual beta = 0.75 (and 0.5, 1) by square roots,
    which vectorise (``powf`` is a scalar libm call per element: 2 ms of
    AlexNet's 30): sqrt(t) * sqrt(sqrt(t)), within 2 ulp of powf, with powf's
    special cases kept (-0 -> +0, -inf -> +inf, negative -> NaN)."""
    if beta == 1.0:
        return t
    if beta not in (0.5, 0.75):
        return b.add(math.PowFOp(t, b.const(beta, e)))
    root = b.add(math.SqrtOp(t))
    if beta == 0.75:
        r = b.add(arith.MulfOp(root, b.add(math.SqrtOp(root))))  # -0 * -0 = +0
    else:
        r = b.add(arith.AddfOp(root, b.const(0.0, e)))  # sqrt(-0) = -0, powf's +0
    ninf = b.cmp("eq", t, b.const(float("-inf"), e), "f")
    return b.select(ninf, b.const(float("inf"), e), r)


@lowering("LpNormalization", honours=("axis", "p"))
def lower_lpnorm(em: Emitter, op):
    x = op.operands[0]
    rank = len(em.shape(x))
    axis = norm_axis(em, em.attr("axis", -1), rank)
    p = em.attr("p", 2)
    if p not in (1, 2):
        raise em.fail(f"LpNormalization p={p} is not supported (ONNX defines p = 1 or 2)")
    e = elt_of(x)
    k = kind_of(e)
    if p == 1:
        s, _ = reduce_generic(em, x, [axis], True, 0, lambda b, v, acc: b.add_(acc, v, k), pre=lambda b, v: b.abs(v, k))
        n = s
    else:
        s, _ = reduce_generic(em, x, [axis], True, 0, lambda b, v, acc: b.add_(acc, v, k), pre=lambda b, v: b.mul(v, v, k))
        n = map_elementwise(em, [s], e, lambda b, v: b.add(math.SqrtOp(v)))
    # a zero norm gives 0 (not NaN)
    return map_elementwise(
        em, [x, n], e,
        lambda b, v, nv: b.select(
            b.add(arith.CmpfOp(nv, b.const(0.0, e), "oeq")), b.const(0.0, e), b.add(arith.DivfOp(v, nv))
        ),
    )

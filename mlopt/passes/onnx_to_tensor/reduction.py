"""Reductions: Reduce{Sum,Mean,Max,Min,Prod,L1,L2,LogSum,LogSumExp,SumSquare},
ArgMax/ArgMin, CumSum, Softmax/LogSoftmax/Hardmax (opset-13 axis semantics)."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith, math
from xdsl.dialects.builtin import IndexType, IntegerType
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    d,
    elt_of,
    generic,
    identity_map,
    kind_of,
    lowering,
    map_elementwise,
    norm_axis,
    reduce_generic,
)
from mlopt.passes.onnx_to_tensor.pooling import highest, lowest


def reduce_axes(em: Emitter, op, rank: int) -> list[int] | None:
    """The axes to reduce, or None for the identity (noop_with_empty_axes)."""
    axes = em.attr("axes")
    if axes is None and len(op.operands) > 1:
        v = em.operand(1)
        if v is not None and em.shape(v) == (0,):
            axes = []
        elif v is not None:
            from mlopt.passes.onnx_to_tensor.common import require_constant

            axes = [int(a) for a in require_constant(op, v, "the axes operand").reshape(-1)]
    if not axes:
        if em.attr("noop_with_empty_axes", 0):
            return None
        return list(range(rank))
    return sorted({norm_axis(em, a, rank) for a in axes})


def _reduce(em: Emitter, op, init, combine, pre=None, post=None):
    x = op.operands[0]
    shape = em.shape(x)
    axes = reduce_axes(em, op, len(shape))
    e = elt_of(x)
    k = kind_of(e)
    if axes is None:
        if pre is None and post is None:
            return x
        # noop_with_empty_axes: no reduction, but the per-element pre/post still apply
        # (ReduceSumSquare squares, ReduceL1 takes |x|, ReduceLogSum takes log, ...)
        def each(b: Body, v):
            v = pre(b, v, e, k) if pre else v
            return post(b, v, e, k, 1) if post else v

        return map_elementwise(em, [x], e, each)
    keep = bool(em.attr("keepdims", 1))
    initv = init(e, k) if callable(init) else init
    r, rshape = reduce_generic(
        em, x, axes, keep, initv, lambda b, v, acc: combine(b, v, acc, k),
        pre=(lambda b, v: pre(b, v, e, k)) if pre else None,
    )
    if post is not None:
        n = int(np.prod([shape[a] for a in axes])) if axes else 1
        r = map_elementwise(em, [r], e, lambda b, v: post(b, v, e, k, n))
    return em.reshape(r, em.out_shape())


def _add(b: Body, v, acc, k):
    return b.add_(acc, v, k)


@lowering("ReduceSum", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_sum(em: Emitter, op):
    return _reduce(em, op, 0, _add)


@lowering("ReduceMean", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_mean(em: Emitter, op):
    return _reduce(em, op, 0, _add, post=lambda b, v, e, k, n: b.div(v, b.const(n, e), k))


@lowering("ReduceMax", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_max(em: Emitter, op):
    return _reduce(em, op, lambda e, k: lowest(e, k), lambda b, v, acc, k: b.max(acc, v, k))


@lowering("ReduceMin", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_min(em: Emitter, op):
    return _reduce(em, op, lambda e, k: highest(e, k), lambda b, v, acc, k: b.min(acc, v, k))


@lowering("ReduceProd", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_prod(em: Emitter, op):
    return _reduce(em, op, 1, lambda b, v, acc, k: b.mul(acc, v, k))


@lowering("ReduceL1", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_l1(em: Emitter, op):
    return _reduce(em, op, 0, _add, pre=lambda b, v, e, k: b.abs(v, k))


@lowering("ReduceSumSquare", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_sum_square(em: Emitter, op):
    return _reduce(em, op, 0, _add, pre=lambda b, v, e, k: b.mul(v, v, k))


@lowering("ReduceL2", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_l2(em: Emitter, op):
    def post(b: Body, v, e, k, n):
        if k == "f":
            return b.add(math.SqrtOp(v))
        from xdsl.dialects.builtin import Float64Type

        f = b.add(math.SqrtOp(b.cast(v, e, Float64Type())))
        return b.cast(f, Float64Type(), e)

    return _reduce(em, op, 0, _add, pre=lambda b, v, e, k: b.mul(v, v, k), post=post)


@lowering("ReduceLogSum", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_log_sum(em: Emitter, op):
    return _reduce(em, op, 0, _add, post=lambda b, v, e, k, n: b.add(math.LogOp(v)))


@lowering("ReduceLogSumExp", honours=("keepdims", "noop_with_empty_axes"))
def lower_reduce_log_sum_exp(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    axes = reduce_axes(em, op, len(shape))
    e = elt_of(x)
    k = kind_of(e)
    if axes is None:
        return x
    m, mshape = reduce_generic(em, x, axes, True, lowest(e, k), lambda b, v, acc: b.max(acc, v, k))
    # guard -inf maxima (all -inf slice) by using 0 there
    m = map_elementwise(
        em, [m], e,
        lambda b, v: b.select(b.add(arith.CmpfOp(v, b.const(float("-inf"), e), "oeq")), b.const(0.0, e), v),
    )
    ex = map_elementwise(em, [x, m], e, lambda b, v, mv: b.add(math.ExpOp(b.add(arith.SubfOp(v, mv)))))
    s, _ = reduce_generic(em, ex, axes, True, 0, lambda b, v, acc: b.add_(acc, v, k))
    r = map_elementwise(em, [s, m], e, lambda b, v, mv: b.add(arith.AddfOp(b.add(math.LogOp(v)), mv)))
    return em.reshape(r, em.out_shape())


# ---------------------------------------------------------------------------


def _arg_reduce(em: Emitter, op, is_max: bool):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", 0), rank)
    keep = bool(em.attr("keepdims", 1))
    last = bool(em.attr("select_last_index", 0))
    e = elt_of(x)
    k = kind_of(e)
    i64 = IntegerType(64)
    red_shape = tuple(s for i, s in enumerate(shape) if i != axis)
    omap = AffineMap(rank, 0, tuple(d(i) for i in range(rank) if i != axis))
    vinit = em.filled(red_shape, e, lowest(e, k) if is_max else highest(e, k))
    iinit = em.filled(red_shape, em.out_elt(), 0)
    iters = ["reduction" if i == axis else "parallel" for i in range(rank)]

    def body(b: Body, xv, vacc, iacc):
        idx = b.cast(b.index(axis), IndexType(), i64)
        if is_max:
            better = b.cmp("ge" if last else "gt", xv, vacc, k)
        else:
            better = b.cmp("le" if last else "lt", xv, vacc, k)
        if k == "f":
            # NaN wins (numpy semantics): first NaN is selected
            isnan = b.add(arith.CmpfOp(xv, xv, "uno"))
            accnan = b.add(arith.CmpfOp(vacc, vacc, "uno"))
            better = b.add(arith.AndIOp(b.add(arith.OrIOp(better, isnan)), b.not_(accnan)))
        # the first element always wins over the init value
        first = b.add(arith.CmpiOp(idx, b.const(0, i64), "eq"))
        better = b.add(arith.OrIOp(better, first))
        return [b.select(better, xv, vacc), b.select(better, idx, iacc)]

    g = generic(
        em, [x], [identity_map(rank)], red_shape, e, body,
        iterators=iters, init=vinit, out_map=omap, extra_outputs=[(iinit, omap)],
    )
    idx = g.results[1]
    if keep:
        return em.reshape(idx, tuple(1 if i == axis else s for i, s in enumerate(shape)))
    return idx


@lowering("ArgMax", honours=("axis", "keepdims", "select_last_index"))
def lower_argmax(em: Emitter, op):
    return _arg_reduce(em, op, True)


@lowering("ArgMin", honours=("axis", "keepdims", "select_last_index"))
def lower_argmin(em: Emitter, op):
    return _arg_reduce(em, op, False)


def cumulative(em: Emitter, op, what: str, identity: int, combine) -> object:
    """CumSum/CumProd: out[i] = combine over x[j] for j <= i along the axis
    (j < i when exclusive, j >= i / j > i when reversed), starting at ``identity``.
    ``combine(b, acc, value, kind)`` builds the scalar step."""
    from mlopt.passes.onnx_to_tensor.common import require_constant

    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, int(require_constant(op, op.operands[1], f"{what} axis").reshape(-1)[0]), rank)
    excl = bool(em.attr("exclusive", 0))
    rev = bool(em.attr("reverse", 0))
    e = elt_of(x)
    k = kind_of(e)
    # loops: out dims..., j (reduction over the axis); include x[j] if j<=i (or variants)
    nd = rank + 1
    xmap = AffineMap(nd, 0, tuple(d(rank) if i == axis else d(i) for i in range(rank)))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(rank)))
    init = em.filled(shape, e, identity)
    pred = {(False, False): "le", (True, False): "lt", (False, True): "ge", (True, True): "gt"}[(excl, rev)]

    def body(b: Body, xv, acc):
        i = b.index(axis)
        j = b.index(rank)
        cond = b.cmp(pred, j, i, "x")
        return combine(b, acc, b.select(cond, xv, b.const(identity, e)), k)

    return generic(
        em, [x], [xmap], shape, e, body,
        iterators=["parallel"] * rank + ["reduction"], init=init, out_map=omap,
    )


@lowering("CumSum", honours=("exclusive", "reverse"))
def lower_cumsum(em: Emitter, op):
    return cumulative(em, op, "CumSum", 0, lambda b, acc, v, k: b.add_(acc, v, k))


# ---------------------------------------------------------------------------
# softmax family (opset >= 13: one axis)


def softmax_parts(em: Emitter, x, axis: int):
    """(x - max) shifted values and the keepdims sum of their exps."""
    e = elt_of(x)
    k = kind_of(e)
    m, _ = reduce_generic(em, x, [axis], True, lowest(e, k), lambda b, v, acc: b.max(acc, v, k))
    shifted = map_elementwise(em, [x, m], e, lambda b, v, mv: b.add(arith.SubfOp(v, mv)))
    s, _ = reduce_generic(
        em, shifted, [axis], True, 0, lambda b, v, acc: b.add(arith.AddfOp(acc, v)),
        pre=lambda b, v: b.add(math.ExpOp(v)),
    )
    return shifted, s


@lowering("Softmax", honours=("axis",))
def lower_softmax(em: Emitter, op):
    """exp(x - max) once, into a buffer; its sum; then each exponential times
    the row's reciprocal (one division per row, not per element)."""
    x = op.operands[0]
    axis = norm_axis(em, em.attr("axis", -1), len(em.shape(x)))
    e = elt_of(x)
    k = kind_of(e)
    m, _ = reduce_generic(em, x, [axis], True, lowest(e, k), lambda b, v, acc: b.max(acc, v, k))
    ex = map_elementwise(
        em, [x, m], e, lambda b, v, mv: b.add(math.ExpOp(b.add(arith.SubfOp(v, mv))))
    )
    s, _ = reduce_generic(em, ex, [axis], True, 0, lambda b, v, acc: b.add(arith.AddfOp(acc, v)))
    r = map_elementwise(em, [s], e, lambda b, sv: b.add(arith.DivfOp(b.const(1.0, e), sv)))
    return map_elementwise(em, [ex, r], e, lambda b, v, rv: b.add(arith.MulfOp(v, rv)))


@lowering("LogSoftmax", honours=("axis",))
def lower_log_softmax(em: Emitter, op):
    x = op.operands[0]
    axis = norm_axis(em, em.attr("axis", -1), len(em.shape(x)))
    shifted, s = softmax_parts(em, x, axis)
    e = elt_of(x)
    return map_elementwise(
        em, [shifted, s], e, lambda b, v, sv: b.add(arith.SubfOp(v, b.add(math.LogOp(sv))))
    )


@lowering("Hardmax", honours=("axis",))
def lower_hardmax(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", -1), rank)
    e = elt_of(x)
    k = kind_of(e)
    i64 = IntegerType(64)
    red_shape = tuple(s for i, s in enumerate(shape) if i != axis)
    omap = AffineMap(rank, 0, tuple(d(i) for i in range(rank) if i != axis))
    vinit = em.filled(red_shape, e, lowest(e, k))
    iinit = em.filled(red_shape, i64, 0)
    def body(b: Body, xv, vacc, iacc):
        idx = b.cast(b.index(axis), IndexType(), i64)
        better = b.add(arith.OrIOp(b.cmp("gt", xv, vacc, k), b.add(arith.CmpiOp(idx, b.const(0, i64), "eq"))))
        return [b.select(better, xv, vacc), b.select(better, idx, iacc)]

    g = generic(
        em, [x], [identity_map(rank)], red_shape, e, body,
        iterators=["reduction" if i == axis else "parallel" for i in range(rank)],
        init=vinit, out_map=omap, extra_outputs=[(iinit, omap)],
    )
    am = g.results[1]

    def body2(b: Body, iv, o):
        idx = b.cast(b.index(axis), IndexType(), i64)
        eq = b.add(arith.CmpiOp(idx, iv, "eq"))
        return b.select(eq, b.const(1, e), b.const(0, e))

    return generic(em, [am], [omap], shape, e, body2)

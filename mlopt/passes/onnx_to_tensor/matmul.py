"""MatMul (batched, broadcasting, 1-D operands), Gemm, MatMulInteger, Einsum."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import Float16Type, Float32Type
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    broadcast_exprs,
    broadcast_shape,
    c,
    d,
    elt_of,
    generic,
    kind_of,
    lowering,
    map_elementwise,
)


def batched_matmul(em: Emitter, a, b, out_elt, *, a_elt=None, b_elt=None, a_zero=None, b_zero=None):
    """numpy.matmul semantics; returns the result with numpy's result shape."""
    sa, sb = em.shape(a), em.shape(b)
    if len(sa) == 0 or len(sb) == 0:
        raise em.fail("MatMul operands must have rank >= 1")
    a_vec = len(sa) == 1
    b_vec = len(sb) == 1
    if a_vec:
        a = em.reshape(a, (1, sa[0]))
        sa = (1, sa[0])
    if b_vec:
        b = em.reshape(b, (sb[0], 1))
        sb = (sb[0], 1)
    m, k = sa[-2], sa[-1]
    k2, n = sb[-2], sb[-1]
    if k != k2:
        raise em.fail(f"MatMul inner dimensions differ: {sa} x {sb}")
    batch = broadcast_shape(em.op, sa[:-2], sb[:-2])
    nb = len(batch)
    out_shape = (*batch, m, n)
    # loops: batch..., m, n, k
    nd = nb + 3
    am = AffineMap(nd, 0, (*broadcast_exprs(sa[:-2], batch), d(nb), d(nb + 2)))
    bm = AffineMap(nd, 0, (*broadcast_exprs(sb[:-2], batch), d(nb + 2), d(nb + 1)))
    om = AffineMap(nd, 0, tuple(d(i) for i in range(nb + 2)))
    ea = a_elt or elt_of(a)
    eb = b_elt or elt_of(b)
    ko = kind_of(out_elt)
    init = em.filled(out_shape, out_elt, 0)

    def body(bb: Body, x, y, acc):
        x = bb.cast(x, ea, out_elt)
        y = bb.cast(y, eb, out_elt)
        if a_zero is not None:
            x = bb.sub(x, bb.const(a_zero, out_elt), ko)
        if b_zero is not None:
            y = bb.sub(y, bb.const(b_zero, out_elt), ko)
        return bb.add_(acc, bb.mul(x, y, ko), ko)

    r = generic(
        em, [a, b], [am, bm], out_shape, out_elt, body,
        iterators=["parallel"] * (nb + 2) + ["reduction"], init=init, out_map=om,
    )
    final = list(out_shape)
    if b_vec:
        final.pop(-1)
    if a_vec:
        final.pop(-2 if not b_vec else -1)
    return em.reshape(r, tuple(final))


@lowering("MatMul", honours=())
def lower_matmul(em: Emitter, op):
    out = em.out_elt()
    if isinstance(out, Float16Type):
        # accumulate f16 products in f32 (as onnxruntime does)
        f32 = Float32Type()
        r = batched_matmul(em, op.operands[0], op.operands[1], f32)
        r = map_elementwise(em, [r], out, lambda b, v: b.cast(v, f32, out))
    else:
        r = batched_matmul(em, op.operands[0], op.operands[1], out)
    return em.reshape(r, em.out_shape())


@lowering("MatMulInteger", honours=())
def lower_matmul_integer(em: Emitter, op):
    """(A - a_zp) @ (B - b_zp) in the output type; zero points are scalars,
    per-row of A (shape (M,) or (M, 1)) or per-column of B (shape (N,))."""
    a, b = op.operands[0], op.operands[1]
    azp, bzp = em.operand(2), em.operand(3)
    out = em.out_elt()
    ea, eb = elt_of(a), elt_of(b)
    sa, sb = em.shape(a), em.shape(b)
    if azp is not None:
        zs = em.shape(azp)
        if int(np.prod(zs)) != 1:
            # per-row: broadcast along the last axis of A
            azp = em.reshape(azp, (*zs[: len(zs)], 1) if len(zs) == 1 else zs)
        a = map_elementwise(
            em, [a, azp], out,
            lambda bb, x, z: bb.sub(bb.cast(x, ea, out), bb.cast(z, elt_of(op.operands[2]), out), kind_of(out)),
            sa,
        )
    if bzp is not None:
        b = map_elementwise(
            em, [b, bzp], out,
            lambda bb, x, z: bb.sub(bb.cast(x, eb, out), bb.cast(z, elt_of(op.operands[3]), out), kind_of(out)),
            sb,
        )
    r = batched_matmul(em, a, b, out)
    return em.reshape(r, em.out_shape())


@lowering("Gemm", honours=("alpha", "beta", "transA", "transB"))
def lower_gemm(em: Emitter, op):
    a, b = op.operands[0], op.operands[1]
    cv = em.operand(2)
    alpha = float(em.attr("alpha", 1.0))
    beta = float(em.attr("beta", 1.0))
    ta = em.attr("transA", 0)
    tb = em.attr("transB", 0)
    sa, sb = em.shape(a), em.shape(b)
    m, k = (sa[1], sa[0]) if ta else sa
    n = sb[0] if tb else sb[1]
    e = em.out_elt()
    kd = kind_of(e)
    out_shape = (m, n)
    if em.out_shape() != out_shape:
        raise em.fail(f"Gemm result type {em.out_shape()} does not match {out_shape}")
    # init = beta * C (broadcast) or 0
    if cv is not None and beta != 0.0:
        if beta == 1.0 and em.shape(cv) == out_shape:
            init = map_elementwise(em, [cv], e, lambda bb, x: x, out_shape)
        else:
            init = map_elementwise(
                em, [cv], e,
                lambda bb, x: x if beta == 1.0 else bb.mul(x, bb.const(beta, e), kd),
                out_shape,
            )
    else:
        init = em.filled(out_shape, e, 0)
    am = AffineMap(3, 0, (d(2), d(0)) if ta else (d(0), d(2)))
    bm = AffineMap(3, 0, (d(1), d(2)) if tb else (d(2), d(1)))
    om = AffineMap(3, 0, (d(0), d(1)))

    def body(bb: Body, x, y, acc):
        p = bb.mul(x, y, kd)
        if alpha != 1.0:
            p = bb.mul(p, bb.const(alpha, e), kd)
        return bb.add_(acc, p, kd)

    return generic(
        em, [a, b], [am, bm], out_shape, e, body,
        iterators=["parallel", "parallel", "reduction"], init=init, out_map=om,
    )


@lowering("Einsum", honours=("equation",))
def lower_einsum(em: Emitter, op):
    eq = em.attr("equation", "").replace(" ", "")
    ins = list(op.operands)
    lhs, rhs = eq.split("->") if "->" in eq else (eq, None)
    terms = lhs.split(",")
    if "..." in eq:
        # name the ellipsis dims with fresh upper-case labels, right-aligned
        used = set(eq)
        fresh = [ch for ch in "ZYXWVUTSRQPONMLKJIHGFEDCBA" if ch not in used]
        n_ell = 0
        for t, v in zip(terms, ins):
            if "..." in t:
                n_ell = max(n_ell, len(em.shape(v)) - (len(t) - 3))
        ell = "".join(fresh[:n_ell])
        new_terms = []
        for t, v in zip(terms, ins):
            if "..." in t:
                k = len(em.shape(v)) - (len(t) - 3)
                t = t.replace("...", ell[n_ell - k :])
            new_terms.append(t)
        terms = new_terms
        if rhs is not None:
            rhs = rhs.replace("...", ell)
        else:
            letters = [ch for ch in "".join(terms) if ch not in ell]
            rhs = ell + "".join(sorted(ch for ch in set(letters) if letters.count(ch) == 1))
    if rhs is None:
        letters = [ch for ch in "".join(terms)]
        rhs = "".join(sorted(ch for ch in set(letters) if letters.count(ch) == 1))
    if len(terms) != len(ins):
        raise em.fail(f"Einsum equation '{eq}' has {len(terms)} inputs, op has {len(ins)}")
    sizes: dict[str, int] = {}
    for t, v in zip(terms, ins):
        sh = em.shape(v)
        if len(sh) != len(t):
            raise em.fail(f"Einsum term '{t}' does not match operand shape {sh}")
        for ch, s in zip(t, sh):
            if sizes.get(ch, s) != s and s != 1:
                if sizes[ch] == 1:
                    sizes[ch] = s
                    continue
                raise em.fail(f"Einsum label '{ch}' has sizes {sizes[ch]} and {s}")
            sizes.setdefault(ch, s)
    out_labels = list(rhs)
    red_labels = [ch for ch in sizes if ch not in out_labels]
    order = out_labels + red_labels
    pos = {ch: i for i, ch in enumerate(order)}
    nd = len(order)
    maps = []
    for t, v in zip(terms, ins):
        sh = em.shape(v)
        exprs = []
        for ch, s in zip(t, sh):
            exprs.append(d(pos[ch]) if not (s == 1 and sizes[ch] != 1) else c(0))
        maps.append(AffineMap(nd, 0, tuple(exprs)))
    out_shape = tuple(sizes[ch] for ch in out_labels)
    e = em.out_elt()
    kd = kind_of(e)
    init = em.filled(out_shape, e, 0)

    def body(bb: Body, *args):
        xs, acc = args[:-1], args[-1]
        p = xs[0]
        for x in xs[1:]:
            p = bb.mul(p, x, kd)
        return bb.add_(acc, p, kd)

    r = generic(
        em, ins, maps, out_shape, e, body,
        iterators=["parallel"] * len(out_labels) + ["reduction"] * len(red_labels),
        init=init, out_map=AffineMap(nd, 0, tuple(d(i) for i in range(len(out_labels)))),
    )
    return r


"""Recurrent ops RNN, GRU, LSTM.

The input projection ``X W^T + Wb (+ Rb)`` of every time step is one matmul
over the whole sequence, outside the time loop.  The recurrence is one
``scf.for`` over the time steps (one per direction) whose ``iter_args`` are
the hidden state (and LSTM's cell state) and the ``Y`` output being filled:
the body, emitted once, reads step ``t``'s projection with an
``extract_slice`` at the dynamic offset ``t`` (``S - 1 - t`` for the reverse
direction, an ``affine.apply`` of the induction variable), does the ``h R^T``
matmul(s) and the gate generics (which read the gates of the (B, G*H) tensors
through (B, G, H) views, without slices), and writes ``Y[t, d]`` with an
``insert_slice`` at the same offset.  So the IR does not grow with the
sequence length.  ``sequence_lens``: a (S, B) ``i1`` mask ``t < lens[b]`` is
computed once; past a batch row's length the states keep their value and
``Y`` gets zeros (for the reverse direction, the steps past the length come
first and leave the initial state alone, as ONNX specifies)."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import affine, arith, math, scf, tensor
from xdsl.dialects.builtin import AffineMapAttr, IndexType, i1
from xdsl.ir import Block
from xdsl.ir.affine import AffineExpr, AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    constant_array,
    d as dim,
    elt_of,
    generic,
    index_const,
    is_none,
    lowering,
    ttype,
)
from mlopt.passes.onnx_to_tensor.elementwise import sigmoid
from mlopt.passes.onnx_to_tensor.matmul import batched_matmul
from mlopt.passes.onnx_to_tensor.shape import transpose

_DYN = -(2**63)  # tensor dialect's marker of a dynamic offset
def _activation(name: str, alpha, beta):
    """A scalar activation ``f(b, v, e)`` for the RNN ``activations`` names."""
    n = name.lower()

    def f(b: Body, v, e):
        def c(x):
            return b.const(x, e)

        if n == "sigmoid":
            return sigmoid(b, v, e)
        if n == "tanh":
            return b.add(math.TanhOp(v))
        if n == "relu":
            return b.add(arith.MaximumfOp(v, c(0.0)))
        if n == "affine":
            return b.add(arith.AddfOp(b.add(arith.MulfOp(v, c(alpha))), c(beta)))
        if n == "leakyrelu":
            return b.select(b.add(arith.CmpfOp(v, c(0.0), "olt")), b.add(arith.MulfOp(v, c(alpha))), v)
        if n == "thresholdedrelu":
            return b.select(b.add(arith.CmpfOp(v, c(alpha), "ogt")), v, c(0.0))
        if n == "scaledtanh":
            return b.add(arith.MulfOp(c(alpha), b.add(math.TanhOp(b.add(arith.MulfOp(v, c(beta)))))))
        if n == "hardsigmoid":
            t = b.add(arith.AddfOp(b.add(arith.MulfOp(v, c(alpha))), c(beta)))
            return b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(t, c(0.0))), c(1.0)))
        if n == "elu":
            em1 = b.add(arith.SubfOp(b.add(math.ExpOp(v)), c(1.0)))
            return b.select(b.add(arith.CmpfOp(v, c(0.0), "olt")), b.add(arith.MulfOp(c(alpha), em1)), v)
        if n == "softsign":
            return b.add(arith.DivfOp(v, b.add(arith.AddfOp(c(1.0), b.add(math.AbsFOp(v))))))
        if n == "softplus":
            return b.add(math.LogOp(b.add(arith.AddfOp(c(1.0), b.add(math.ExpOp(v))))))
        raise ValueError(name)

    return f


_DEFAULT_ALPHA = {"affine": 1.0, "leakyrelu": 0.01, "thresholdedrelu": 1.0, "scaledtanh": 1.0, "hardsigmoid": 0.2, "elu": 1.0}
_DEFAULT_BETA = {"affine": 0.0, "scaledtanh": 1.0, "hardsigmoid": 0.5}


class _Rnn:
    """Shared set-up: layout, directions, weights per direction, activations,
    and the time loop."""

    def __init__(self, em: Emitter, op, n_gates: int, default_acts: list[str]):
        self.em = em
        self.op = op
        x = op.operands[0]
        self.layout = em.attr("layout", 0)
        if self.layout:
            x = transpose(em, x, (1, 0, 2))
        self.x = x
        self.S, self.B, self.I = em.shape(x)
        self.e = elt_of(x)
        self.H = em.attr("hidden_size") or em.shape(op.operands[2])[2]
        self.dir = em.attr("direction", "forward")
        self.D = 2 if self.dir == "bidirectional" else 1
        self.clip = em.attr("clip")
        seq = em.operand(4)
        self.mask = None
        if seq is not None:
            lens = constant_array(seq)
            if lens is None or not np.all(lens.reshape(-1) == self.S):
                self.mask = self._mask(seq)
        names = em.attr("activations") or default_acts * self.D
        alphas = em.attr("activation_alpha") or []
        betas = em.attr("activation_beta") or []
        self.acts = []
        ai = bi = 0
        for nm in names:
            k = nm.lower()
            a = _DEFAULT_ALPHA.get(k, 0.0)
            bt = _DEFAULT_BETA.get(k, 0.0)
            if k in _DEFAULT_ALPHA:
                if ai < len(alphas):
                    a = alphas[ai]
                ai += 1
            if k in _DEFAULT_BETA:
                if bi < len(betas):
                    bt = betas[bi]
                bi += 1
            try:
                self.acts.append(_activation(nm, a, bt))
            except ValueError:
                raise em.fail(f"activation '{nm}' is not supported") from None
        self.n_gates = n_gates

    def _mask(self, seq):
        """(S, B) i1: whether step t is within batch row b's length."""
        le = elt_of(seq)

        def body(b: Body, lv, _o):
            return b.add(arith.CmpiOp(b.index(0), b.to_index(lv, le), "slt"))

        return generic(self.em, [seq], [AffineMap(2, 0, (dim(1),))], (self.S, self.B), i1, body)

    def slice2(self, v, d: int):
        """v[d] of a (D, A, B) tensor as (A, B)."""
        sh = self.em.shape(v)
        return self.em.reshape(self.em.extract_slice(v, [d, 0, 0], [1, *sh[1:]]), sh[1:])

    def weights(self, d: int, r_cols=None):
        """W^T (I, G*H), the column blocks ``r_cols`` ([(start, size)], default
        all) of R^T (H, G*H), and the biases Wb, Rb (G*H,) of direction d.
        Constant weights are transposed (and split) here, not at run time."""
        em, op = self.em, self.op
        GH = self.n_gates * self.H
        r_cols = r_cols or [(0, GH)]
        w_c, r_c = constant_array(op.operands[1]), constant_array(op.operands[2])
        if w_c is not None:
            W = em.dense(np.ascontiguousarray(w_c[d].T), self.e)
        else:
            W = transpose(em, self.slice2(op.operands[1], d), (1, 0))
        if r_c is not None:
            Rs = [em.dense(np.ascontiguousarray(r_c[d].T[:, a : a + n]), self.e) for a, n in r_cols]
        else:
            RT = transpose(em, self.slice2(op.operands[2], d), (1, 0))
            Rs = [RT if (a, n) == (0, GH) else em.extract_slice(RT, [0, a], [self.H, n]) for a, n in r_cols]
        bias = em.operand(3)
        if bias is not None:
            bd = em.reshape(em.extract_slice(bias, [d, 0], [1, 2 * GH]), (2 * GH,))
            wb = em.extract_slice(bd, [0], [GH])
            rb = em.extract_slice(bd, [GH], [GH])
        else:
            wb = rb = None
        return W, Rs, wb, rb

    def projection(self, W, biases):
        """X W^T + sum(biases) for every time step: (S, B, G*H), one matmul."""
        em = self.em
        S, B, I = self.S, self.B, self.I
        GH = em.shape(W)[1]
        xw = batched_matmul(em, em.reshape(self.x, (S * B, I)), W, self.e)
        bs = [v for v in biases if v is not None]
        if bs:
            xw = generic(
                em, [xw, *bs],
                [AffineMap.identity(2)] + [AffineMap(2, 0, (dim(1),))] * len(bs),
                (S * B, GH), self.e, lambda b, *vs: _sum(b, vs[: 1 + len(bs)]),
            )
        return em.reshape(xw, (S, B, GH))

    def initial(self, idx: int, d: int):
        v = self.em.operand(idx)
        if v is None:
            return self.em.filled((self.B, self.H), self.e, 0)
        if self.layout:
            v = transpose(self.em, v, (1, 0, 2))
        return self.slice2(v, d)

    def clipped(self, b: Body, v):
        if self.clip is None:
            return v
        c = float(self.clip)
        return b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(v, b.const(-c, self.e))), b.const(c, self.e)))

    def gates(self, em: Emitter, ins, fn):
        """A (B, H) elementwise generic over ``(value, gate)`` inputs: gate g of
        a (B, G*H) value or a (G*H,) bias is read through its (B, G, H) or
        (G, H) view at ``[.., g, j]`` (gate None: a (B, H) / (H,) value as
        is).  (A map ``d1 + g * H`` would do for g > 0, but upstream's linalg
        verifier wants a plain ``d1`` to span the whole dimension.)"""
        H = self.H
        maps, vals = [], []
        for v, g in ins:
            sh = em.shape(v)
            if g is not None:
                # one view per value and emitter (a loop body's views stay in it)
                views = em.__dict__.setdefault("_rnn_gate_views", {})
                if v not in views:
                    views[v] = em.reshape(v, (*sh[:-1], sh[-1] // H, H))
                v = views[v]
            lead = (dim(0),) if len(sh) == 2 else ()
            mid = (AffineExpr.constant(g),) if g is not None else ()
            maps.append(AffineMap(2, 0, (*lead, *mid, dim(1))))
            vals.append(v)
        n = len(ins)
        return generic(em, vals, maps, (self.B, H), self.e, lambda b, *a: fn(b, *a[:n]))

    def dyn_row(self, em: Emitter, v, t):
        """v[t] of a (S, ...) tensor at the dynamic index t."""
        sh = em.shape(v)
        n = len(sh)
        s = em.add(tensor.ExtractSliceOp(v, [t] + [0] * (n - 1), [1, *sh[1:]], [1] * n, ttype((1, *sh[1:]), elt_of(v))))
        return em.reshape(s, sh[1:])

    def masked(self, em: Emitter, new, old, m):
        """Per batch row: ``new`` where the mask row ``m`` (B,) is set, else ``old`` (None: 0)."""
        ins = [m, new] + ([] if old is None else [old])
        maps = [AffineMap(2, 0, (dim(0),))] + [AffineMap.identity(2)] * (len(ins) - 1)

        def body(b: Body, mv, nv, *rest):
            return b.select(mv, nv, rest[0] if old is not None else b.const(0.0, self.e))

        return generic(em, ins, maps, (self.B, self.H), self.e, body)

    def reversed_dir(self, d: int) -> bool:
        return self.dir == "reverse" or (self.dir == "bidirectional" and d == 1)

    def scan(self, d: int, xw, states, step, y):
        """The time loop of direction d.

        ``step(em, xw_t, *states) -> new states`` (the hidden state first)
        emits one step; returns ``(y, final states)``, ``y`` (S, D, B, H) with
        row d filled (None when ``y`` is None).
        """
        em = self.em
        S, B, H = self.S, self.B, self.H
        carry = ([y] if y is not None else []) + list(states)
        block = Block(arg_types=[IndexType(), *[v.type for v in carry]])
        sub = Emitter(em.op)
        t = block.args[0]
        if self.reversed_dir(d):
            rmap = AffineMap(1, 0, (AffineExpr.constant(S - 1) - AffineExpr.dimension(0),))
            t = sub.add(affine.ApplyOp([t], AffineMapAttr(rmap)))
        args = list(block.args[1:])
        yv = args.pop(0) if y is not None else None
        xt = self.dyn_row(sub, xw, t)
        new = list(step(sub, xt, *args))
        ys = new[0]
        if self.mask is not None:
            m = self.dyn_row(sub, self.mask, t)
            ys = self.masked(sub, new[0], None, m)
            new = [self.masked(sub, n, o, m) for n, o in zip(new, args, strict=True)]
        if yv is not None:
            row = sub.reshape(ys, (1, 1, B, H))
            yv = sub.add(tensor.InsertSliceOp.get(
                row, yv, [1, 1, B, H], static_offsets=[_DYN, d, 0, 0], offsets=[t]
            ))
            new = [yv, *new]
        for o in sub.ops:
            block.add_op(o)
        block.add_op(scf.YieldOp(*new))
        lb, ub, st = index_const(em, 0), index_const(em, S), index_const(em, 1)
        loop = scf.ForOp(lb, ub, st, carry, block)
        em.ops.append(loop)
        res = list(loop.results)
        return (res.pop(0) if y is not None else None), res

    def run(self, setup, step):
        """Both directions: ``setup(d) -> (xw, initial states, step args)``;
        returns the lowering's results."""
        em, op = self.em, self.op
        S, D, B, H = self.S, self.D, self.B, self.H
        want_y = not is_none(op.results[0])
        y = em.empty((S, D, B, H), self.e) if want_y else None
        finals = []
        for d in range(D):
            xw, states, extra = setup(d)
            y, fin = self.scan(d, xw, states, lambda sub, xt, *st: step(sub, d, extra, xt, *st), y)
            finals.append(fin)
        res = []
        if want_y:
            res.append(transpose(em, y, (2, 0, 1, 3)) if self.layout else y)
        else:
            res.append(None)
        for k in range(len(finals[0])):
            if len(op.results) <= 1 + k or is_none(op.results[1 + k]):
                res.append(None)
                continue
            if D == 1:
                f = em.reshape(finals[0][k], (1, B, H))
            else:
                f = em.empty((D, B, H), self.e)
                for dd in range(D):
                    f = em.insert_slice(em.reshape(finals[dd][k], (1, B, H)), f, [dd, 0, 0], [1, B, H])
            if self.layout:
                f = transpose(em, f, (1, 0, 2))
            res.append(f)
        return res


def _sum(b: Body, vs):
    acc = vs[0]
    for v in vs[1:]:
        acc = b.add(arith.AddfOp(acc, v))
    return acc


@lowering(
    "RNN",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"),
)
def lower_rnn(em: Emitter, op):
    r = _Rnn(em, op, 1, ["Tanh"])

    def setup(d):
        W, (R,), wb, rb = r.weights(d)
        return r.projection(W, (wb, rb)), [r.initial(5, d)], R

    def step(sub, d, R, xt, h):
        act = r.acts[d]
        hr = batched_matmul(sub, h, R, r.e)
        return [r.gates(sub, [(xt, 0), (hr, 0)], lambda b, x, y: act(b, r.clipped(b, b.add(arith.AddfOp(x, y))), r.e))]

    return r.run(setup, step)


@lowering(
    "GRU",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout", "linear_before_reset"),
)
def lower_gru(em: Emitter, op):
    r = _Rnn(em, op, 3, ["Sigmoid", "Tanh"])
    lbr = em.attr("linear_before_reset", 0)
    H = r.H

    def setup(d):
        # h R^T for all three gates, or for z, r and then (r * h) Rh^T
        W, Rs, wb, rb = r.weights(d, None if lbr else [(0, 2 * H), (2 * H, H)])
        return r.projection(W, (wb,)), [r.initial(5, d)], (Rs, rb)

    def step(sub, d, extra, xw, h):
        Rs, rb = extra
        f_act, g_act = r.acts[2 * d], r.acts[2 * d + 1]
        hr = batched_matmul(sub, h, Rs[0], r.e)  # gates z, r (and h): (B, 2H) or (B, 3H)

        def gate_act(act, g):
            ins = [(xw, g), (hr, g)] + ([(rb, g)] if rb is not None else [])
            return r.gates(sub, ins, lambda b, *vs: act(b, r.clipped(b, _sum(b, vs)), r.e))

        z = gate_act(f_act, 0)
        rr = gate_act(f_act, 1)
        if lbr:
            ins = [(xw, 2), (rr, None), (hr, 2)] + ([(rb, 2)] if rb is not None else [])

            def cand(b: Body, xg, rv, hv, *bh):
                inner = hv if not bh else b.add(arith.AddfOp(hv, bh[0]))
                return g_act(b, r.clipped(b, b.add(arith.AddfOp(xg, b.add(arith.MulfOp(rv, inner))))), r.e)

            n = r.gates(sub, ins, cand)
        else:
            rh = r.gates(sub, [(rr, None), (h, None)], lambda b, a, c: b.add(arith.MulfOp(a, c)))
            hh = batched_matmul(sub, rh, Rs[1], r.e)
            ins = [(xw, 2), (hh, None)] + ([(rb, 2)] if rb is not None else [])
            n = r.gates(sub, ins, lambda b, *vs: g_act(b, r.clipped(b, _sum(b, vs)), r.e))
        hn = r.gates(
            sub, [(z, None), (n, None), (h, None)],
            lambda b, zv, nv, hv: b.add(arith.AddfOp(
                b.add(arith.MulfOp(b.add(arith.SubfOp(b.const(1.0, r.e), zv)), nv)),
                b.add(arith.MulfOp(zv, hv)),
            )),
        )
        return [hn]

    return r.run(setup, step)


@lowering(
    "LSTM",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "input_forget", "layout"),
)
def lower_lstm(em: Emitter, op):
    r = _Rnn(em, op, 4, ["Sigmoid", "Tanh", "Tanh"])
    if em.attr("input_forget", 0):
        raise em.fail("LSTM input_forget is not supported")
    peep = em.operand(7)
    H = r.H

    def setup(d):
        W, (R,), wb, rb = r.weights(d)
        pd = em.reshape(em.extract_slice(peep, [d, 0], [1, 3 * H]), (3 * H,)) if peep is not None else None
        return r.projection(W, (wb, rb)), [r.initial(5, d), r.initial(6, d)], (R, pd)

    def step(sub, d, extra, xw, h, cst):
        R, pd = extra
        f_act, g_act, h_act = r.acts[3 * d], r.acts[3 * d + 1], r.acts[3 * d + 2]
        hr = batched_matmul(sub, h, R, r.e)  # (B, 4H), gate order i, o, f, c

        def peep_gate(act, g, pg, cv):
            # peepholes P = [p_i, p_o, p_f]
            if pd is None:
                return r.gates(sub, [(xw, g), (hr, g)], lambda b, x, y: act(b, r.clipped(b, b.add(arith.AddfOp(x, y))), r.e))
            return r.gates(
                sub, [(xw, g), (hr, g), (pd, pg), (cv, None)],
                lambda b, x, y, pv, c_: act(
                    b, r.clipped(b, b.add(arith.AddfOp(b.add(arith.AddfOp(x, y)), b.add(arith.MulfOp(pv, c_))))), r.e
                ),
            )

        i = peep_gate(f_act, 0, 0, cst)
        f = peep_gate(f_act, 2, 2, cst)
        c_new = r.gates(
            sub, [(f, None), (cst, None), (i, None), (xw, 3), (hr, 3)],
            lambda b, fv, cv, iv, x, y: b.add(arith.AddfOp(
                b.add(arith.MulfOp(fv, cv)),
                b.add(arith.MulfOp(iv, g_act(b, r.clipped(b, b.add(arith.AddfOp(x, y))), r.e))),
            )),
        )
        o = peep_gate(f_act, 1, 1, c_new)
        hn = r.gates(sub, [(o, None), (c_new, None)], lambda b, ov, cv: b.add(arith.MulfOp(ov, h_act(b, cv, r.e))))
        return [hn, c_new]

    return r.run(setup, step)

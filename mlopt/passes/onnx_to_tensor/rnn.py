"""Recurrent ops RNN, GRU, LSTM, unrolled over the (static) sequence length:
each time step is a few matmul / elementwise generics on (batch, hidden)
slices; the outputs are assembled with insert_slice."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith, math

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    constant_array,
    elt_of,
    is_none,
    lowering,
    map_elementwise,
)
from mlopt.passes.onnx_to_tensor.elementwise import sigmoid
from mlopt.passes.onnx_to_tensor.matmul import batched_matmul
from mlopt.passes.onnx_to_tensor.shape import transpose


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
    """Shared set-up: layout, directions, weights per direction, activations."""

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
        self.lens = None
        if seq is not None:
            lens = constant_array(seq)
            if lens is None or not np.all(lens.reshape(-1) == self.S):
                if self.dir != "forward":
                    raise em.fail(
                        "sequence_lens shorter than the sequence are only supported "
                        "for direction 'forward'"
                    )
                self.lens = seq
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

    def slice2(self, v, d: int):
        """v[d] of a (D, A, B) tensor as (A, B)."""
        sh = self.em.shape(v)
        return self.em.reshape(self.em.extract_slice(v, [d, 0, 0], [1, *sh[1:]]), sh[1:])

    def weights(self, d: int):
        em, op = self.em, self.op
        W = transpose(em, self.slice2(op.operands[1], d), (1, 0))  # (I, G*H)
        R = transpose(em, self.slice2(op.operands[2], d), (1, 0))  # (H, G*H)
        bias = em.operand(3)
        GH = self.n_gates * self.H
        if bias is not None:
            bd = em.reshape(em.extract_slice(bias, [d, 0], [1, 2 * GH]), (2 * GH,))
            wb = em.extract_slice(bd, [0], [GH])
            rb = em.extract_slice(bd, [GH], [GH])
        else:
            wb = rb = None
        return W, R, wb, rb

    def initial(self, idx: int, d: int):
        v = self.em.operand(idx)
        if v is None:
            return self.em.filled((self.B, self.H), self.e, 0)
        if self.layout:
            v = transpose(self.em, v, (1, 0, 2))
        return self.slice2(v, d)

    def x_at(self, t: int):
        em = self.em
        return em.reshape(em.extract_slice(self.x, [t, 0, 0], [1, self.B, self.I]), (self.B, self.I))

    def gate(self, v, g: int):
        return self.em.extract_slice(v, [0, g * self.H], [self.B, self.H])

    def clipped(self, b: Body, v):
        if self.clip is None:
            return v
        c = float(self.clip)
        return b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(v, b.const(-c, self.e))), b.const(c, self.e)))

    def outputs(self, ys_per_dir, finals_per_dir):
        """Assemble Y (S, D, B, H) and the (D, B, H) finals, honouring layout."""
        em = self.em
        op = self.op
        S, D, B, H = self.S, self.D, self.B, self.H
        res = []
        if not is_none(op.results[0]):
            y = em.empty((S, D, B, H), self.e)
            for d, ys in enumerate(ys_per_dir):
                for t, h in enumerate(ys):
                    y = em.insert_slice(em.reshape(h, (1, 1, B, H)), y, [t, d, 0, 0], [1, 1, B, H])
            if self.layout:
                y = transpose(em, y, (2, 0, 1, 3))
            res.append(y)
        else:
            res.append(None)
        for k in range(len(finals_per_dir[0])):
            if len(op.results) <= 1 + k or is_none(op.results[1 + k]):
                res.append(None)
                continue
            f = em.empty((D, B, H), self.e)
            for d in range(D):
                f = em.insert_slice(em.reshape(finals_per_dir[d][k], (1, B, H)), f, [d, 0, 0], [1, B, H])
            if self.layout:
                f = transpose(em, f, (1, 0, 2))
            res.append(f)
        return res

    def masked(self, new, old, t: int, fill_zero: bool = False):
        """Per batch row: ``new`` while t < sequence_lens[b], else ``old`` (or 0)."""
        if self.lens is None:
            return new
        from xdsl.ir.affine import AffineMap

        from mlopt.passes.onnx_to_tensor.common import d as dim
        from mlopt.passes.onnx_to_tensor.common import generic

        le = elt_of(self.lens)
        ins = [self.lens, new] + ([] if fill_zero else [old])
        maps = [AffineMap(2, 0, (dim(0),)), AffineMap.identity(2)] + ([] if fill_zero else [AffineMap.identity(2)])

        def body(b: Body, lv, nv, *rest):
            live = b.add(arith.CmpiOp(b.const(t, le), lv, "slt"))
            return b.select(live, nv, b.const(0.0, self.e) if fill_zero else rest[0])

        return generic(self.em, ins, maps, (self.B, self.H), self.e, body)

    def steps(self, d: int):
        rev = self.dir == "reverse" or (self.dir == "bidirectional" and d == 1)
        return list(reversed(range(self.S))) if rev else list(range(self.S))


def _linear(em: Emitter, r: _Rnn, xt, h, W, R, wb, rb):
    """x_t W^T + h R^T + Wb + Rb -> (B, G*H)."""
    a = batched_matmul(em, xt, W, r.e)
    b_ = batched_matmul(em, h, R, r.e)
    ins = [a, b_] + [v for v in (wb, rb) if v is not None]

    def f(b: Body, *vs):
        acc = vs[0]
        for v in vs[1:]:
            acc = b.add(arith.AddfOp(acc, v))
        return acc

    return map_elementwise(em, ins, r.e, f)


@lowering(
    "RNN",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout"),
)
def lower_rnn(em: Emitter, op):
    r = _Rnn(em, op, 1, ["Tanh"])
    ys_all, finals = [], []
    for d in range(r.D):
        W, R, wb, rb = r.weights(d)
        act = r.acts[d]
        h = r.initial(5, d)
        ys = [None] * r.S
        for t in r.steps(d):
            z = _linear(em, r, r.x_at(t), h, W, R, wb, rb)
            hn = map_elementwise(em, [z], r.e, lambda b, v: act(b, r.clipped(b, v), r.e))
            ys[t] = r.masked(hn, None, t, fill_zero=True)
            h = r.masked(hn, h, t)
        ys_all.append(ys)
        finals.append([h])
    return r.outputs(ys_all, finals)


@lowering(
    "GRU",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "layout", "linear_before_reset"),
)
def lower_gru(em: Emitter, op):
    r = _Rnn(em, op, 3, ["Sigmoid", "Tanh"])
    lbr = em.attr("linear_before_reset", 0)
    ys_all, finals = [], []
    H = r.H
    for d in range(r.D):
        W, R, wb, rb = r.weights(d)
        f_act, g_act = r.acts[2 * d], r.acts[2 * d + 1]
        h = r.initial(5, d)
        ys = [None] * r.S
        for t in r.steps(d):
            xw = batched_matmul(em, r.x_at(t), W, r.e)
            if wb is not None:
                xw = map_elementwise(em, [xw, wb], r.e, lambda b, a, c: b.add(arith.AddfOp(a, c)))
            # gates order: z, r, h
            Rz = em.extract_slice(R, [0, 0], [H, H])
            Rr = em.extract_slice(R, [0, H], [H, H])
            Rh = em.extract_slice(R, [0, 2 * H], [H, H])
            hz = batched_matmul(em, h, Rz, r.e)
            hr = batched_matmul(em, h, Rr, r.e)
            rbz = em.extract_slice(rb, [0], [H]) if rb is not None else None
            rbr = em.extract_slice(rb, [H], [H]) if rb is not None else None
            rbh = em.extract_slice(rb, [2 * H], [H]) if rb is not None else None

            def gate_act(act, xg, hg, bg):
                ins = [xg, hg] + ([bg] if bg is not None else [])
                return map_elementwise(
                    em, ins, r.e,
                    lambda b, *vs: act(b, r.clipped(b, _sum(b, vs)), r.e),
                )

            z = gate_act(f_act, r.gate(xw, 0), hz, rbz)
            rr = gate_act(f_act, r.gate(xw, 1), hr, rbr)
            if lbr:
                hh = batched_matmul(em, h, Rh, r.e)
                ins = [r.gate(xw, 2), rr, hh] + ([rbh] if rbh is not None else [])

                def cand(b: Body, xg, rv, hv, *bh):
                    inner = hv if not bh else b.add(arith.AddfOp(hv, bh[0]))
                    return g_act(b, r.clipped(b, b.add(arith.AddfOp(xg, b.add(arith.MulfOp(rv, inner))))), r.e)

                n = map_elementwise(em, ins, r.e, cand)
            else:
                rh = map_elementwise(em, [rr, h], r.e, lambda b, a, c: b.add(arith.MulfOp(a, c)))
                hh = batched_matmul(em, rh, Rh, r.e)
                n = gate_act(g_act, r.gate(xw, 2), hh, rbh)
            hn = map_elementwise(
                em, [z, n, h], r.e,
                lambda b, zv, nv, hv: b.add(arith.AddfOp(
                    b.add(arith.MulfOp(b.add(arith.SubfOp(b.const(1.0, r.e), zv)), nv)),
                    b.add(arith.MulfOp(zv, hv)),
                )),
            )
            ys[t] = r.masked(hn, None, t, fill_zero=True)
            h = r.masked(hn, h, t)
        ys_all.append(ys)
        finals.append([h])
    return r.outputs(ys_all, finals)


def _sum(b: Body, vs):
    acc = vs[0]
    for v in vs[1:]:
        acc = b.add(arith.AddfOp(acc, v))
    return acc


@lowering(
    "LSTM",
    honours=("activation_alpha", "activation_beta", "activations", "clip", "direction", "hidden_size", "input_forget", "layout"),
)
def lower_lstm(em: Emitter, op):
    r = _Rnn(em, op, 4, ["Sigmoid", "Tanh", "Tanh"])
    if em.attr("input_forget", 0):
        raise em.fail("LSTM input_forget is not supported")
    peep = em.operand(7)
    ys_all, finals = [], []
    H = r.H
    for d in range(r.D):
        W, R, wb, rb = r.weights(d)
        f_act, g_act, h_act = r.acts[3 * d], r.acts[3 * d + 1], r.acts[3 * d + 2]
        h = r.initial(5, d)
        cst = r.initial(6, d)
        if peep is not None:
            pd = em.reshape(em.extract_slice(peep, [d, 0], [1, 3 * H]), (3 * H,))
            p_i, p_o, p_f = (em.extract_slice(pd, [k * H], [H]) for k in range(3))
        ys = [None] * r.S
        for t in r.steps(d):
            z = _linear(em, r, r.x_at(t), h, W, R, wb, rb)
            # gate order: i, o, f, c
            gi, go, gf, gc = (r.gate(z, k) for k in range(4))

            def peep_gate(act, g, p, cv):
                if peep is None:
                    return map_elementwise(em, [g], r.e, lambda b, v: act(b, r.clipped(b, v), r.e))
                return map_elementwise(
                    em, [g, p, cv], r.e,
                    lambda b, v, pv, c_: act(b, r.clipped(b, b.add(arith.AddfOp(v, b.add(arith.MulfOp(pv, c_))))), r.e),
                )

            i = peep_gate(f_act, gi, p_i if peep is not None else None, cst)
            f = peep_gate(f_act, gf, p_f if peep is not None else None, cst)
            c_new = map_elementwise(
                em, [f, cst, i, gc], r.e,
                lambda b, fv, cv, iv, gv: b.add(arith.AddfOp(
                    b.add(arith.MulfOp(fv, cv)), b.add(arith.MulfOp(iv, g_act(b, r.clipped(b, gv), r.e)))
                )),
            )
            o = peep_gate(f_act, go, p_o if peep is not None else None, c_new)
            hn = map_elementwise(em, [o, c_new], r.e, lambda b, ov, cv: b.add(arith.MulfOp(ov, h_act(b, cv, r.e))))
            ys[t] = r.masked(hn, None, t, fill_zero=True)
            h = r.masked(hn, h, t)
            cst = r.masked(c_new, cst, t)
        ys_all.append(ys)
        finals.append([h, cst])
    return r.outputs(ys_all, finals)

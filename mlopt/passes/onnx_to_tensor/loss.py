"""Loss functions: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss
(ignore_index, class weights, reduction none/sum/mean)."""

from __future__ import annotations

from xdsl.dialects import arith, math, tensor
from xdsl.dialects.builtin import IndexType
from xdsl.ir.affine import AffineMap

from mlopt.dialects.mlopt import CheckIndexOp
from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    elt_of,
    generic,
    is_none,
    lowering,
    map_elementwise,
    node_name,
    op_type,
    reduce_generic,
    signless,
)
from mlopt.passes.onnx_to_tensor.reduction import softmax_parts


def nll(em: Emitter, logp, target, weight, ignore_index, reduction: str):
    """-logp[n, t, d...] * w[t] per element, then the reduction."""
    xs = em.shape(logp)
    ts = em.shape(target)
    e = elt_of(logp)
    te = elt_of(target)
    C = xs[1]
    rank = len(ts)
    ins = [target]
    maps = [AffineMap.identity(rank)]
    w_init = em.empty(ts, e)

    def body(b: Body, tv, lo, wo):
        t = b.to_index(tv, te)
        if ignore_index is not None:
            ign = b.add(arith.CmpiOp(t, b.const(ignore_index, IndexType()), "eq"))
            t = b.select(ign, b.const(0, IndexType()), t)
        # a class index outside [0, C) (other than ignore_index) is an error: checked
        t = b.add(CheckIndexOp(
            t, b.const(C, IndexType()), b.const(1, IndexType()),
            node_name(em.op), op_type(em.op), unsigned=True,
        ))
        coords = [b.index(0), t, *[b.index(i) for i in range(1, rank)]]
        v = b.add(tensor.ExtractOp(logp, coords, signless(e)))
        w = b.add(tensor.ExtractOp(weight, [t], signless(e))) if weight is not None else b.const(1.0, e)
        if ignore_index is not None:
            w = b.select(ign, b.const(0.0, e), w)
        loss = b.add(arith.NegfOp(b.add(arith.MulfOp(v, w))))
        return [loss, w]

    g = generic(em, ins, maps, ts, e, body, extra_outputs=[(w_init, AffineMap.identity(rank))])
    loss, wts = g.results[0], g.results[1]
    if reduction == "none":
        return loss
    axes = list(range(rank))
    s, _ = reduce_generic(em, loss, axes, False, 0, lambda b, v, acc: b.add(arith.AddfOp(acc, v)))
    if reduction == "sum":
        return s
    ws, _ = reduce_generic(em, wts, axes, False, 0, lambda b, v, acc: b.add(arith.AddfOp(acc, v)))
    return map_elementwise(em, [s, ws], e, lambda b, a, c: b.add(arith.DivfOp(a, c)))


@lowering("NegativeLogLikelihoodLoss", honours=("ignore_index", "reduction"))
def lower_nll(em: Emitter, op):
    x, t = op.operands[0], op.operands[1]
    w = em.operand(2)
    r = nll(em, x, t, w, em.attr("ignore_index"), em.attr("reduction", "mean"))
    return em.reshape(r, em.out_shape())


@lowering("SoftmaxCrossEntropyLoss", honours=("ignore_index", "reduction"))
def lower_sce(em: Emitter, op):
    x, t = op.operands[0], op.operands[1]
    w = em.operand(2)
    e = elt_of(x)
    shifted, s = softmax_parts(em, x, 1)
    logp = map_elementwise(em, [shifted, s], e, lambda b, v, sv: b.add(arith.SubfOp(v, b.add(math.LogOp(sv)))))
    r = nll(em, logp, t, w, em.attr("ignore_index"), em.attr("reduction", "mean"))
    res = [em.reshape(r, em.out_shape())]
    if len(op.results) > 1 and not is_none(op.results[1]):
        res.append(logp)
    return res

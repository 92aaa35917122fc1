"""`affine-vectorize-reductions`: scalar f32 reductions along a contiguous loop as vector code.

Accepts the affine level (after ``convert-linalg-to-affine``).  A reduction
that linalg-to-affine lowers to

    %r = affine.for %i = 0 to N iter_args(%acc = %init) -> (f32) {
      %x = affine.load %m[..., %i]          // %i only in the last index
      ...                                   // f32 arith on such loads
      %s = arith.addf %acc, %v              // or maximumf / minimumf
      affine.yield %s
    }

runs strictly in order: one dependent add per element (its latency, not the
vector units, sets the speed), and LLVM may not reorder it (no fast-math
reassociation by default).  Global average pooling, ReduceSum/Mean/Max/Min
over the last axis, Softmax's maximum and LayerNormalization's sums are such
loops.  This pass gives the loop a summation order of its own, fixed by the
vector width (so results do not depend on the thread count or on LLVM):

* ``U`` vector accumulators (``U`` = 4, fewer for short loops) of
  ``vector-width`` lanes, starting at the combiner's identity (-0.0, -inf or
  +inf), take consecutive vector loads (``vector.load``; loop-invariant
  operands are broadcast), ``vector-width * U`` elements per iteration;
* then one more vector loop of ``vector-width`` elements into the first
  accumulator, the accumulators combined pairwise ((a0+a1)+(a2+a3)), one
  ``vector.reduction`` (in lane order), and the remaining ``N mod
  vector-width`` elements in the original scalar loop;
* last, the loop's init: ``init + reduced`` (for max/min the order does not
  change the result).

Only loops with a constant trip count of at least ``2 * vector-width``,
memrefs of identity layout and bodies of f32 loads, constants and lane-wise
ops on f32/i32 (arith's float and integer arithmetic, bitcasts,
``math.floor/ceil/roundeven/absf/sqrt``: what ``math-approximate-exp`` leaves of an exp) are
rewritten; anything else is left as it is (xDSL's ``arith.fptosi``/``sitofp``
and ``llvm.fcmp`` take no vectors).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import affine, arith, math, vector
from xdsl.dialects.builtin import (
    AffineMapAttr,
    Float32Type,
    FloatAttr,
    IndexType,
    IntegerType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    VectorType,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineBinaryOpExpr, AffineBinaryOpKind, AffineDimExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

F32 = Float32Type()

#: ops of a body that have a lane-wise vector form with the same semantics
_ELEMENTWISE = (
    arith.AddfOp, arith.SubfOp, arith.MulfOp, arith.DivfOp, arith.MaximumfOp, arith.MinimumfOp, arith.NegfOp,
    arith.AddiOp, arith.SubiOp, arith.MuliOp, arith.ShLIOp, arith.ShRSIOp, arith.AndIOp, arith.OrIOp,
    arith.BitcastOp, math.FloorOp, math.CeilOp, math.RoundEvenOp, math.AbsFOp, math.SqrtOp,
)  # fmt: skip
#: scalar types a body value may have (its vector form has the same element type)
_SCALARS = (Float32Type(), IntegerType(32))
#: combiner -> (identity, vector.reduction kind)
_COMBINERS: dict[type, tuple[float, vector.CombiningKindFlag]] = {
    arith.AddfOp: (-0.0, vector.CombiningKindFlag.ADD),
    arith.MaximumfOp: (float("-inf"), vector.CombiningKindFlag.MAXIMUMF),
    arith.MinimumfOp: (float("inf"), vector.CombiningKindFlag.MINIMUMF),
}


def _constant_bound(m: AffineMapAttr) -> int | None:
    exprs = m.data.results
    if m.data.num_dims or m.data.num_symbols or len(exprs) != 1:
        return None
    try:
        return int(m.data.eval([], [])[0])
    except Exception:  # noqa: BLE001 - not a constant map
        return None


def _dims_only(load: affine.LoadOp) -> AffineMap:
    """``load``'s map with its symbols as extra dimensions (operand k is d_k)."""
    n = len(load.indices)
    m = load.map.data if load.map is not None else AffineMap.identity(n)
    dims = [AffineExpr.dimension(k) for k in range(m.num_dims)]
    syms = [AffineExpr.dimension(m.num_dims + k) for k in range(m.num_symbols)]
    return AffineMap(n, 0, tuple(e.replace_dims_and_symbols(dims, syms) for e in m.results))


def _iv_position(load: affine.LoadOp, iv: SSAValue) -> str | None:
    """How ``load`` uses the loop's induction variable: "last" (exactly the
    last index, coefficient 1, nowhere else), "none", or None (any other way)."""
    positions = [k for k, v in enumerate(load.indices) if v == iv]
    if not positions:
        return "none"
    if len(positions) != 1:
        return None  # passed twice
    dim = positions[0]
    results = _dims_only(load).results
    if not any(dim in e.used_dims() for e in results):
        return "none"
    *front, last = results
    if any(dim in e.used_dims() for e in front):
        return None
    if dim not in last.used_dims():
        return "none"
    terms = _terms(last)  # last == d_iv + (terms without it)
    with_iv = [t for t in terms if dim in t.used_dims()]
    if with_iv != [AffineExpr.dimension(dim)]:
        return None
    return "last"


def _terms(e: AffineExpr) -> list[AffineExpr]:
    """The summands of ``e``."""
    if isinstance(e, AffineBinaryOpExpr) and e.kind == AffineBinaryOpKind.Add:
        return [*_terms(e.lhs), *_terms(e.rhs)]
    return [e]


@dataclass
class _Reduction:
    loop: affine.ForOp
    n: int
    combine: Operation
    identity: float
    kind: vector.CombiningKindFlag


def _match(loop: affine.ForOp) -> _Reduction | None:
    if len(loop.inits) != 1 or loop.inits[0].type != F32 or loop.step.value.data != 1:
        return None
    if _constant_bound(loop.lowerBoundMap) != 0:
        return None
    n = _constant_bound(loop.upperBoundMap)
    if n is None:
        return None
    block = loop.body.block
    iv, acc = block.args
    ops = list(block.ops)
    yld = ops[-1]
    if not isinstance(yld, affine.YieldOp) or len(ops) < 3 or len(list(acc.uses)) != 1:
        return None
    combine = next(iter(acc.uses)).operation
    if type(combine) not in _COMBINERS or list(yld.operands) != [combine.results[0]]:
        return None
    if combine is not ops[-2] or len(list(combine.results[0].uses)) != 1:
        return None
    loads = False
    for op in ops[:-1]:
        if isinstance(op, affine.LoadOp):
            t = op.memref.type
            if op.result.type != F32 or not isinstance(t, MemRefType) or not isinstance(t.layout, NoneAttr):
                return None
            where = _iv_position(op, iv)
            if where is None:
                return None
            loads = loads or where == "last"
        elif isinstance(op, arith.ConstantOp):
            if op.result.type not in _SCALARS:
                return None
        elif not isinstance(op, _ELEMENTWISE) or any(r.type not in _SCALARS for r in op.results):
            return None
    if not loads:
        return None
    identity, kind = _COMBINERS[type(combine)]
    return _Reduction(loop, n, combine, identity, kind)


class _Emitter:
    """Inserts ops before the loop being rewritten."""

    def __init__(self, before: Operation, lanes: int):
        self.before = before
        self.lanes = lanes
        self.vtype = VectorType(F32, [lanes])
        self._splats: dict[SSAValue, SSAValue] = {}

    def add(self, op: Operation) -> Operation:
        Rewriter.insert_op(op, InsertPoint.before(self.before))
        return op

    def splat(self, value: SSAValue, vtype: VectorType | None = None) -> SSAValue:
        if value not in self._splats:
            self._splats[value] = self.add(vector.BroadcastOp(value, vtype or self.vtype)).results[0]
        return self._splats[value]


def _vector_body(
    red: _Reduction, b: Block, index: SSAValue, accs: list[SSAValue], lanes: int, outer: _Emitter
) -> list[SSAValue]:
    """Clone the loop body into block ``b`` for ``len(accs)`` consecutive vectors
    starting at ``index``; returns the new accumulators."""
    vtype = VectorType(F32, [lanes])
    loop_block = red.loop.body.block
    iv = loop_block.args[0]
    out: list[SSAValue] = []

    def put(op: Operation) -> Operation:
        b.add_op(op)
        return op

    for u, acc in enumerate(accs):
        if u:
            at = put(affine.ApplyOp([index], AffineMapAttr(AffineMap(1, 0, (AffineDimExpr(0) + u * lanes,)))))
            start = at.results[0]
        else:
            start = index
        env: dict[SSAValue, SSAValue] = {}
        scalar: dict[SSAValue, SSAValue] = {}  # loop-invariant values inside the body

        def vec(v: SSAValue) -> SSAValue:
            if v in env:
                return env[v]
            vt = VectorType(v.type, [lanes])
            if v in scalar:
                env[v] = put(vector.BroadcastOp(scalar[v], vt)).results[0]
                return env[v]
            return outer.splat(v, vt)  # defined above the loop

        for op in list(loop_block.ops)[:-1]:
            if isinstance(op, arith.ConstantOp):  # invariant: broadcast where used
                scalar[op.result] = put(op.clone()).results[0]
            elif isinstance(op, affine.LoadOp):
                operands = [start if v == iv else v for v in op.indices]
                if _iv_position(op, iv) == "none":
                    new = put(affine.LoadOp(op.memref, operands, op.map, F32))
                    scalar[op.result] = new.results[0]
                    continue
                m = _dims_only(op)
                idx = [
                    put(affine.ApplyOp(operands, AffineMapAttr(AffineMap(m.num_dims, m.num_symbols, (e,))))).results[0]
                    for e in m.results
                ]
                env[op.result] = put(vector.LoadOp(op.memref, idx, vtype)).results[0]
            elif op is red.combine:
                other = op.operands[1] if op.operands[0] == loop_block.args[1] else op.operands[0]
                new = put(type(op).build(operands=[acc, vec(other)], result_types=[vtype],
                                         properties=dict(op.properties)))
                out.append(new.results[0])
            else:
                types = [VectorType(r.type, [lanes]) for r in op.results]
                new = put(type(op).build(operands=[vec(v) for v in op.operands], result_types=types,
                                         properties=dict(op.properties), attributes=dict(op.attributes)))
                env[op.results[0]] = new.results[0]
    return out


def _vector_loop(red: _Reduction, em: _Emitter, lo: int, hi: int, accs: list[SSAValue]) -> list[SSAValue]:
    """``affine.for lo to hi step lanes * len(accs)`` carrying the vector accumulators."""
    vtype = em.vtype
    body = Block(arg_types=(IndexType(), *[vtype] * len(accs)))
    new = _vector_body(red, body, body.args[0], list(body.args[1:]), em.lanes, em)
    body.add_op(affine.YieldOp.get(*new))
    loop = em.add(affine.ForOp.from_region((), (), accs, [vtype] * len(accs), lo, hi, Region(body),
                                           step=em.lanes * len(accs)))
    return list(loop.results)


def _rewrite(red: _Reduction, lanes: int) -> None:
    loop = red.loop
    em = _Emitter(loop, lanes)
    n = red.n
    unroll = 4 if n >= 4 * lanes else 2 if n >= 2 * lanes else 1
    main = n // (lanes * unroll) * (lanes * unroll)
    whole = n // lanes * lanes
    ident = em.add(arith.ConstantOp(FloatAttr(red.identity, F32))).results[0]
    accs = [em.splat(ident)] * unroll
    accs = _vector_loop(red, em, 0, main, accs)
    if whole > main:
        accs[:1] = _vector_loop(red, em, main, whole, accs[:1])
    combine = type(red.combine)
    props = dict(red.combine.properties)
    while len(accs) > 1:  # pairwise: (a0 + a1) + (a2 + a3)
        accs = [
            em.add(combine.build(operands=[accs[k], accs[k + 1]], result_types=[em.vtype], properties=props)).results[0]
            for k in range(0, len(accs), 2)
        ]
    # built by hand: xDSL's ReductionOp.__init__ gives the result the vector's
    # type, not its element type (docs/upstream.md)
    total = em.add(vector.ReductionOp.build(
        operands=[accs[0], []], result_types=[F32], properties={"kind": vector.CombiningKindAttr(red.kind)},
    )).results[0]
    init = loop.inits[0]
    if whole < n:  # the scalar tail, in the original loop, starting from the vector total
        loop.operands[len(loop.lowerBoundOperands) + len(loop.upperBoundOperands)] = total
        loop.lowerBoundMap = AffineMapAttr(AffineMap(0, 0, (AffineExpr.constant(whole),)))
        uses = list(loop.results[0].uses)
        final = combine.build(operands=[init, loop.results[0]], result_types=[F32], properties=props)
        Rewriter.insert_op(final, InsertPoint.after(loop))
        for use in uses:
            use.operation.operands[use.index] = final.results[0]
    else:
        final = em.add(combine.build(operands=[init, total], result_types=[F32], properties=props))
        loop.results[0].replace_all_uses_with(final.results[0])
        loop.detach()
        loop.erase()


@dataclass(frozen=True)
class AffineVectorizeReductionsPass(ModulePass):
    """Vectorise scalar f32 add/max/min reductions along a contiguous loop (see module doc)."""

    name = "affine-vectorize-reductions"

    vector_width: int = 8

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.vector_width < 2:
            return
        found = [red for loop in op.walk() if isinstance(loop, affine.ForOp)
                 for red in [_match(loop)] if red is not None and red.n >= 2 * self.vector_width]
        for red in found:
            _rewrite(red, self.vector_width)

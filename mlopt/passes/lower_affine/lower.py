"""Rewrite patterns of `lower-affine` (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import affine, arith, builtin, memref, scf
from xdsl.dialects.builtin import IndexType, IntegerAttr
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineConstantExpr,
    AffineDimExpr,
    AffineExpr,
    AffineMap,
    AffineSymExpr,
)
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import PassFailedException

_NSW = arith.IntegerOverflowAttr((arith.IntegerOverflowFlag.NSW,))


class ConstantPool:
    """Index constants shared by a whole function, defined at its entry."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, int], SSAValue] = {}

    def get(self, anchor: Operation | None, value: int) -> SSAValue | None:
        entry = _function_entry(anchor)
        if entry is None:
            return None
        key = (id(entry), value)
        found = self._values.get(key)
        if found is None or found.owner.parent_block() is not entry:  # type: ignore[union-attr]
            op = arith.ConstantOp(IntegerAttr(value, IndexType()))
            if entry.first_op is None:
                entry.add_op(op)
            else:
                entry.insert_op_before(op, entry.first_op)
            found = op.result
            self._values[key] = found
        return found


def _function_entry(op: Operation | None) -> Block | None:
    from xdsl.dialects import func

    while op is not None and not isinstance(op, func.FuncOp):
        op = op.parent_op()
    if op is None or not op.body.blocks:
        return None
    return op.body.blocks.first


class _IndexBuilder:
    """Emits index arithmetic into ``ops``, folding constants on the way."""

    def __init__(self, pool: ConstantPool | None = None, anchor: Operation | None = None) -> None:
        self.ops: list[Operation] = []
        self._consts: dict[int, SSAValue] = {}
        self._known: dict[SSAValue, int] = {}
        self._pool = pool
        self._anchor = anchor

    def const(self, value: int) -> SSAValue:
        if value not in self._consts:
            pooled = self._pool.get(self._anchor, value) if self._pool is not None else None
            if pooled is None:
                op = arith.ConstantOp(IntegerAttr(value, IndexType()))
                self.ops.append(op)
                pooled = op.result
            self._consts[value] = pooled
            self._known[pooled] = value
        return self._consts[value]

    def known(self, value: SSAValue) -> int | None:
        if value in self._known:
            return self._known[value]
        owner = value.owner
        if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, IntegerAttr):
            return owner.value.value.data
        return None

    def _emit(self, op: Operation) -> SSAValue:
        self.ops.append(op)
        return op.results[0]

    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None:
            return self.const(ka + kb)
        if ka == 0:
            return b
        if kb == 0:
            return a
        return self._emit(arith.AddiOp(a, b, overflow=_NSW))

    def mul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None:
            return self.const(ka * kb)
        if ka == 1:
            return b
        if kb == 1:
            return a
        if ka == 0 or kb == 0:
            return self.const(0)
        return self._emit(arith.MuliOp(a, b, overflow=_NSW))

    def sub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None:
            return self.const(ka - kb)
        if kb == 0:
            return a
        return self._emit(arith.SubiOp(a, b, overflow=_NSW))

    def select_lt0(self, cond_of: SSAValue, if_neg: SSAValue, if_pos: SSAValue) -> SSAValue:
        cmp = self._emit(arith.CmpiOp(cond_of, self.const(0), "slt"))
        return self._emit(arith.SelectOp(cmp, if_neg, if_pos))

    def mod(self, a: SSAValue, b: SSAValue) -> SSAValue:
        """Affine ``mod``: the remainder is always in [0, b) for b > 0."""
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None and kb > 0:
            return self.const(ka % kb)
        if kb == 1:
            return self.const(0)
        rem = self._emit(arith.RemSIOp(a, b))
        return self.select_lt0(rem, self.add(rem, b), rem)

    def floordiv(self, a: SSAValue, b: SSAValue) -> SSAValue:
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None and kb > 0:
            return self.const(ka // kb)
        if kb == 1:
            return a
        # a < 0 ? -1 - (-1 - a) / b : a / b
        minus_one = self.const(-1)
        neg_q = self._emit(arith.DivSIOp(self.sub(minus_one, a), b))
        pos_q = self._emit(arith.DivSIOp(a, b))
        return self.select_lt0(a, self.sub(minus_one, neg_q), pos_q)

    def ceildiv(self, a: SSAValue, b: SSAValue) -> SSAValue:
        ka, kb = self.known(a), self.known(b)
        if ka is not None and kb is not None and kb > 0:
            return self.const(-((-ka) // kb))
        if kb == 1:
            return a
        # ceildiv(a, b) = -floordiv(-a, b)
        zero = self.const(0)
        return self.sub(zero, self.floordiv(self.sub(zero, a), b))

    def minmax(self, values: Sequence[SSAValue], is_max: bool) -> SSAValue:
        result = values[0]
        for v in values[1:]:
            ka, kb = self.known(result), self.known(v)
            if ka is not None and kb is not None:
                result = self.const(max(ka, kb) if is_max else min(ka, kb))
            else:
                op = arith.MaxSIOp(result, v) if is_max else arith.MinSIOp(result, v)
                result = self._emit(op)
        return result

    def expr(
        self, e: AffineExpr, dims: Sequence[SSAValue], syms: Sequence[SSAValue]
    ) -> SSAValue:
        match e:
            case AffineConstantExpr():
                return self.const(e.value)
            case AffineDimExpr():
                return dims[e.position]
            case AffineSymExpr():
                return syms[e.position]
            case AffineBinaryOpExpr():
                lhs = self.expr(e.lhs, dims, syms)
                rhs = self.expr(e.rhs, dims, syms)
                match e.kind:
                    case AffineBinaryOpKind.Add:
                        return self.add(lhs, rhs)
                    case AffineBinaryOpKind.Mul:
                        return self.mul(lhs, rhs)
                    case AffineBinaryOpKind.Mod:
                        return self.mod(lhs, rhs)
                    case AffineBinaryOpKind.FloorDiv:
                        return self.floordiv(lhs, rhs)
                    case AffineBinaryOpKind.CeilDiv:
                        return self.ceildiv(lhs, rhs)
        raise PassFailedException(f"lower-affine: unsupported affine expression {e}")

    def apply_map(self, amap: AffineMap, operands: Sequence[SSAValue]) -> list[SSAValue]:
        dims = list(operands[: amap.num_dims])
        syms = list(operands[amap.num_dims :])
        return [self.expr(e, dims, syms) for e in amap.results]


def expand_affine_map(
    amap: AffineMap, operands: Sequence[SSAValue]
) -> tuple[list[Operation], list[SSAValue]]:
    """Ops computing every result of ``amap`` applied to ``operands``, and the results."""
    b = _IndexBuilder()
    values = b.apply_map(amap, operands)
    return b.ops, values


class _PooledPattern(RewritePattern):
    def __init__(self, pool: ConstantPool | None = None) -> None:
        self.pool = pool

    def builder(self, op: Operation) -> _IndexBuilder:
        return _IndexBuilder(self.pool, op)


class LowerApply(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.ApplyOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        (value,) = b.apply_map(op.map.data, op.mapOperands)
        rewriter.replace(op, b.ops, [value])


class LowerMin(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.MinOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        values = b.apply_map(op.map.data, op.arguments)
        rewriter.replace(op, b.ops, [b.minmax(values, is_max=False)])


class LowerLoad(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.LoadOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        indices = b.apply_map(op.map.data, op.indices)
        load = memref.LoadOp.get(op.memref, indices)
        rewriter.replace(op, [*b.ops, load], [load.res])


class LowerStore(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.StoreOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        indices = b.apply_map(op.map.data, op.indices)
        store = memref.StoreOp.get(op.value, op.memref, indices)
        rewriter.replace(op, [*b.ops, store], [])


class LowerVectorLoad(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.VectorLoadOp, rewriter: PatternRewriter, /):
        from xdsl.dialects import vector

        b = self.builder(op)
        indices = b.apply_map(op.map.data, op.indices)
        load = vector.LoadOp(op.memref, indices, op.result.type)  # type: ignore[arg-type]
        rewriter.replace(op, [*b.ops, load], [load.result])


class LowerVectorStore(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.VectorStoreOp, rewriter: PatternRewriter, /):
        from xdsl.dialects import vector

        b = self.builder(op)
        indices = b.apply_map(op.map.data, op.indices)
        rewriter.replace(op, [*b.ops, vector.StoreOp(op.value, op.memref, indices)], [])


def _replace_yield(block: Block, rewriter: PatternRewriter) -> None:
    term = block.last_op
    if isinstance(term, affine.YieldOp):
        rewriter.replace(term, scf.YieldOp(*term.arguments), [])
    elif term is None or not isinstance(term, scf.YieldOp):
        rewriter.insert(scf.YieldOp(), InsertPoint.at_end(block))


class LowerFor(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.ForOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        lbs = b.apply_map(op.lowerBoundMap.data, op.lowerBoundOperands)
        ubs = b.apply_map(op.upperBoundMap.data, op.upperBoundOperands)
        lb = b.minmax(lbs, is_max=True)
        ub = b.minmax(ubs, is_max=False)
        step = b.const(op.step.value.data)
        body = rewriter.move_region_contents_to_new_regions(op.body)
        _replace_yield(body.block, rewriter)
        new_for = scf.ForOp(lb, ub, step, list(op.inits), body)
        rewriter.replace(op, [*b.ops, new_for], new_for.results)


def _group_bounds(
    b: _IndexBuilder,
    amap: AffineMap,
    groups: builtin.DenseIntElementsAttr,
    operands: Sequence[SSAValue],
    is_max: bool,
) -> list[SSAValue]:
    values = b.apply_map(amap, operands)
    out: list[SSAValue] = []
    pos = 0
    for size in groups.get_values():
        out.append(b.minmax(values[pos : pos + size], is_max=is_max))
        pos += size
    return out


_REDUCTIONS: dict[str, tuple[type[Operation], object]] = {
    "addf": (arith.AddfOp, 0.0),
    "mulf": (arith.MulfOp, 1.0),
    "maximumf": (arith.MaximumfOp, float("-inf")),
    "minimumf": (arith.MinimumfOp, float("inf")),
    "maxnumf": (arith.MaxnumfOp, float("-inf")),
    "minnumf": (arith.MinnumfOp, float("inf")),
    "addi": (arith.AddiOp, 0),
    "muli": (arith.MuliOp, 1),
    "andi": (arith.AndIOp, -1),
    "ori": (arith.OrIOp, 0),
    "xori": (arith.XOrIOp, 0),
}


def _identity(kind: str, typ: Attribute) -> arith.ConstantOp:
    if kind not in _REDUCTIONS:
        raise PassFailedException(f"lower-affine: unsupported affine.parallel reduction '{kind}'")
    value = _REDUCTIONS[kind][1]
    if isinstance(typ, builtin.AnyFloat):
        return arith.ConstantOp(builtin.FloatAttr(float(value), typ))
    assert isinstance(typ, builtin.IntegerType | IndexType)
    return arith.ConstantOp(IntegerAttr(int(value), typ))


class LowerParallel(_PooledPattern):
    """``affine.parallel`` -> a nest of sequential ``scf.for`` loops."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.ParallelOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        n_dims = op.lowerBoundsMap.data.num_dims
        lb_operands = list(op.map_operands)
        # xDSL stores lower- and upper-bound operands in one list: lower first.
        lb_count = op.lowerBoundsMap.data.num_dims + op.lowerBoundsMap.data.num_symbols
        del n_dims
        lbs = _group_bounds(
            b, op.lowerBoundsMap.data, op.lowerBoundsGroups, lb_operands[:lb_count], True
        )
        ubs = _group_bounds(
            b, op.upperBoundsMap.data, op.upperBoundsGroups, lb_operands[lb_count:], False
        )
        steps = [b.const(s.value.data) for s in op.steps]
        kinds = [k.data for k in op.reductions]
        inits = [_identity(k, r.type) for k, r in zip(kinds, op.res)]
        b.ops.extend(inits)

        body = rewriter.move_region_contents_to_new_regions(op.body)
        inner = body.block
        term = inner.last_op
        yielded = list(term.operands) if isinstance(term, affine.YieldOp) else []
        if term is not None and isinstance(term, affine.YieldOp):
            rewriter.erase(term)

        # Build the nest from the outside in; the innermost loop gets the body.
        iter_types = [r.type for r in op.res]
        outer_ops: list[Operation] = []
        current_block: Block | None = None
        carried: list[SSAValue] = [i.result for i in inits]
        loops: list[scf.ForOp] = []
        for depth, (lb, ub, step) in enumerate(zip(lbs, ubs, steps)):
            innermost = depth == len(lbs) - 1
            blk = Block(arg_types=[IndexType(), *iter_types])
            loop = scf.ForOp(lb, ub, step, carried, Region(blk))
            loops.append(loop)
            if current_block is None:
                outer_ops.append(loop)
            else:
                current_block.add_op(loop)
            if innermost:
                iv_values = [lp.body.block.args[0] for lp in loops]
                accs = list(blk.args[1:])
                rewriter.inline_block(inner, InsertPoint.at_end(blk), iv_values)
                new_vals: list[SSAValue] = []
                for kind, acc, val in zip(kinds, accs, yielded):
                    red = _REDUCTIONS[kind][0](acc, val)
                    blk.add_op(red)
                    new_vals.append(red.results[0])
                blk.add_op(scf.YieldOp(*new_vals))
            current_block = blk
            carried = list(blk.args[1:])
        # Every outer loop yields the results of the loop it contains.
        for outer, inner_loop in zip(loops, loops[1:]):
            outer.body.block.add_op(scf.YieldOp(*inner_loop.results))
        if not loops:
            raise PassFailedException("lower-affine: affine.parallel without dimensions")
        rewriter.replace(op, [*b.ops, *outer_ops], loops[0].results)


class LowerIf(_PooledPattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: affine.IfOp, rewriter: PatternRewriter, /):
        b = self.builder(op)
        aset = op.condition.data
        dims = list(op.args[: aset.num_dims])
        syms = list(op.args[aset.num_dims :])
        cond: SSAValue | None = None
        for c in aset.constraints:
            lhs = b.expr(c.lhs, dims, syms)
            rhs = b.expr(c.rhs, dims, syms)
            pred = {"==": "eq", ">=": "sge", "<=": "sle"}.get(str(c.kind.value), None)
            if pred is None:
                raise PassFailedException(f"lower-affine: unsupported constraint {c}")
            cmp = arith.CmpiOp(lhs, rhs, pred)
            b.ops.append(cmp)
            if cond is None:
                cond = cmp.result
            else:
                conj = arith.AndIOp(cond, cmp.result)
                b.ops.append(conj)
                cond = conj.result
        if cond is None:
            true = arith.ConstantOp(IntegerAttr(1, 1))
            b.ops.append(true)
            cond = true.result
        then_r = rewriter.move_region_contents_to_new_regions(op.then_region)
        _replace_yield(then_r.block, rewriter)
        else_r = rewriter.move_region_contents_to_new_regions(op.else_region)
        if else_r.blocks:
            _replace_yield(else_r.block, rewriter)
        elif op.res:
            raise PassFailedException("lower-affine: affine.if with results needs an else")
        new_if = scf.IfOp(cond, [r.type for r in op.res], then_r, else_r)
        rewriter.replace(op, [*b.ops, new_if], new_if.results)


@dataclass(frozen=True)
class LowerAffinePass(ModulePass):
    """affine.* -> scf.for/scf.if + memref.load/store + arith index math."""

    name = "lower-affine"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        pool = ConstantPool()
        PatternRewriteWalker(
            GreedyRewritePatternApplier(
                [
                    LowerFor(pool),
                    LowerParallel(pool),
                    LowerIf(pool),
                    LowerLoad(pool),
                    LowerStore(pool),
                    LowerApply(pool),
                    LowerMin(pool),
                    LowerVectorLoad(pool),
                    LowerVectorStore(pool),
                ]
            ),
            apply_recursively=True,
        ).rewrite_module(op)
        for inner in op.walk():
            if inner.dialect_name() == "affine":
                raise PassFailedException(f"lower-affine: cannot lower '{inner.name}'")

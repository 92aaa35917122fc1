"""`convert-scf-to-cf`: ``scf.for``/``scf.if`` -> blocks and ``cf`` branches.

mlopt's version of xDSL's pass (which it replaces under the same name): each
block is split in a single sweep, so lowering a function with many loops is
linear in its size (xDSL's pass splits the enclosing block once per loop, which
is quadratic on the long straight-line functions bufferized models produce),
and the induction variable's increment carries ``nsw``. Loops become

    ^pre:    cf.br ^head(%lb, %init...)
    ^head(%iv, %acc...):  %c = arith.cmpi slt, %iv, %ub ; cf.cond_br %c, ^body, ^cont
    ^body:   ... ; %next = arith.addi %iv, %step overflow<nsw> ; cf.br ^head(%next, %yielded...)
    ^cont:   (uses of the loop results see %acc...)

and ``scf.if`` a ``cf.cond_br`` to the then/else blocks joined in a block whose
arguments are the results. Other scf ops are left to xDSL's pass, run after.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, cf, scf
from xdsl.ir import Block, Operation, Region
from xdsl.passes import ModulePass

_NSW = arith.IntegerOverflowAttr((arith.IntegerOverflowFlag.NSW,))


def _move_blocks(src: Region, dst: Region, before: Block) -> list[Block]:
    blocks = list(src.blocks)
    for b in blocks:
        src.detach_block(b)
        dst.insert_block_before(b, before)
    return blocks


def _replace_yields(blocks: list[Block], make_branch) -> None:  # type: ignore[no-untyped-def]
    for b in blocks:
        term = b.last_op
        if isinstance(term, scf.YieldOp):
            values = list(term.operands)
            new_ops = make_branch(values)
            b.insert_ops_before(new_ops, term)
            term.detach()
            term.erase()


def _lower_for(op: scf.ForOp, cur: Block, cont: Block, region: Region) -> None:
    body_blocks = list(op.body.blocks)
    first = body_blocks[0]
    head = Block(arg_types=[a.type for a in first.args])
    region.insert_block_before(head, cont)
    for old, new in zip(first.args, head.args):
        old.replace_all_uses_with(new)
    for arg in reversed(list(first.args)):
        first.erase_arg(arg)
    _move_blocks(op.body, region, cont)
    iv = head.args[0]
    step = op.step

    def back_edge(values):  # type: ignore[no-untyped-def]
        nxt = arith.AddiOp(iv, step, overflow=_NSW)
        return [nxt, cf.BranchOp(head, nxt.result, *values)]

    _replace_yields(body_blocks, back_edge)
    cur.add_op(cf.BranchOp(head, op.lb, *op.iter_args))
    cmp = arith.CmpiOp(iv, op.ub, "slt")
    head.add_ops([cmp, cf.ConditionalBranchOp(cmp.result, first, (), cont, ())])
    for res, acc in zip(op.results, head.args[1:]):
        res.replace_all_uses_with(acc)


def _lower_if(op: scf.IfOp, cur: Block, cont: Block, region: Region) -> None:
    for res in op.results:
        arg = cont.insert_arg(res.type, len(cont.args))
        res.replace_all_uses_with(arg)

    def to_cont(values):  # type: ignore[no-untyped-def]
        return [cf.BranchOp(cont, *values)]

    then_blocks = list(op.true_region.blocks)
    else_blocks = list(op.false_region.blocks)
    _move_blocks(op.true_region, region, cont)
    _move_blocks(op.false_region, region, cont)
    _replace_yields(then_blocks, to_cont)
    _replace_yields(else_blocks, to_cont)
    then_dest = then_blocks[0] if then_blocks else cont
    else_dest = else_blocks[0] if else_blocks else cont
    cur.add_op(cf.ConditionalBranchOp(op.cond, then_dest, (), else_dest, ()))


def lower_region(region: Region) -> None:
    """Lower every scf.for/scf.if in ``region`` (and nested regions) in place."""
    for block in list(region.blocks):
        _lower_block(block, region)


def _lower_block(block: Block, region: Region) -> None:
    cur = block
    ops: list[Operation] = list(block.ops)
    for op in ops:
        if isinstance(op, scf.ForOp | scf.IfOp):
            for inner in op.regions:
                lower_region(inner)
            cont = Block()
            region.insert_block_after(cont, cur)
            op.detach()
            if isinstance(op, scf.ForOp):
                _lower_for(op, cur, cont, region)
            else:
                _lower_if(op, cur, cont, region)
            op.erase()
            cur = cont
            continue
        for inner in op.regions:
            lower_region(inner)
        if cur is not block:
            op.detach()
            cur.add_op(op)


@dataclass(frozen=True)
class ConvertScfToCfPass(ModulePass):
    """scf.for/scf.if -> cf branches (linear time); other scf ops via xDSL's pass."""

    name = "convert-scf-to-cf"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        lower_region(op.body)
        if any(inner.dialect_name() == "scf" for inner in op.walk()):
            from xdsl.transforms.convert_scf_to_cf import ConvertScfToCf

            ConvertScfToCf().apply(ctx, op)

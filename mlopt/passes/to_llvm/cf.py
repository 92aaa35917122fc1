"""`convert-cf-to-llvm`: ``cf.br``/``cf.cond_br`` -> ``llvm.br``/``llvm.cond_br``.

Block arguments of the successors get llvm types (``index`` -> ``i64``,
memref -> ``!llvm.ptr``); uses not converted yet see a cast.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, cf, llvm
from xdsl.ir import SSAValue, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from mlopt.passes.to_llvm.common import (
    LLVMLoweringError,
    convert_block_args,
    describe,
    to_llvm_operands,
)


class CfToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        match op:
            case cf.BranchOp():
                convert_block_args(op.successor)
                args = to_llvm_operands(rewriter, op, op.arguments, self.cache)
                rewriter.replace(op, [llvm.BrOp(op.successor, *args)], [])
            case cf.ConditionalBranchOp():
                convert_block_args(op.then_block)
                convert_block_args(op.else_block)
                vals = to_llvm_operands(
                    rewriter, op, [op.cond, *op.then_arguments, *op.else_arguments], self.cache
                )
                n_then = len(op.then_arguments)
                new = llvm.CondBrOp(
                    vals[0], op.then_block, vals[1 : 1 + n_then], op.else_block, vals[1 + n_then :]
                )
                rewriter.replace(op, [new], [])
            case _ if op.dialect_name() == "cf":
                raise LLVMLoweringError(f"convert-cf-to-llvm: unsupported op {describe(op)}")
            case _:
                return


@dataclass(frozen=True)
class ConvertCfToLLVMPass(ModulePass):
    """cf.br/cond_br -> llvm.br/cond_br."""

    name = "convert-cf-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(CfToLLVMPattern(), apply_recursively=False).rewrite_module(op)

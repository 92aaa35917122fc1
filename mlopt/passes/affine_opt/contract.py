"""`fp-contract`: allow LLVM to fuse a multiply and an add into one FMA.

Accepts any level with scalar ``arith`` ops (linalg bodies at the tensor level,
affine loop bodies).  Every ``arith.addf``/``arith.subf`` with an operand
produced by an ``arith.mulf`` whose only use is that add gets the ``contract``
fast-math flag, and so does the ``mulf`` (other flags are kept).  LLVM then
emits fused multiply-adds for the inner products of MatMul/Gemm/Conv: one
instruction instead of two, with one rounding instead of two (the result is
at least as accurate; onnxruntime's kernels use FMA too).  Nothing else about
floating-point semantics changes (no reassociation, no NaN/Inf assumptions).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation
from xdsl.passes import ModulePass

_CONTRACT = arith.FastMathFlag.ALLOW_CONTRACT


def _add_contract(op: Operation) -> None:
    fm = op.properties.get("fastmath")
    flags = set(fm.data) if isinstance(fm, arith.FastMathFlagsAttr) else set()
    if _CONTRACT in flags:
        return
    flags.add(_CONTRACT)
    op.properties["fastmath"] = arith.FastMathFlagsAttr(sorted(flags))


@dataclass(frozen=True)
class FpContractPass(ModulePass):
    """Mark single-use ``mulf`` + ``addf``/``subf`` pairs ``contract`` (FMA allowed)."""

    name = "fp-contract"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in op.walk():
            if not isinstance(inner, arith.AddfOp | arith.SubfOp):
                continue
            for operand in inner.operands:
                mul = operand.owner
                if isinstance(mul, arith.MulfOp) and operand.uses.get_length() == 1:
                    _add_contract(mul)
                    _add_contract(inner)

"""``mlopt.dot4`` -> LLVM: the VNNI instruction or widening multiplies and adds.

Run by `convert-arith-to-llvm`.  A vector ``mlopt.dot4 {vnni}`` of 4, 8 or 16
lanes (the kernels set ``vnni`` only where the target has the instruction for
that width: AVX512-VNNI, or AVX-VNNI for 128/256 bits) becomes one
``llvm.x86.avx512.vpdpbusd.{128,256,512}`` call.  Every other one is
expanded: the operands are bitcast to bytes, widened (``a`` zero-extended,
``b`` sign-extended) to i32, multiplied, and each lane's four products summed
by two rounds of even/odd shuffles and adds (a scalar: one
``llvm.vector.reduce.add``); x86's backend turns the first round into
``vpmaddwd``.  Both wrap in i32 exactly as ``vpdpbusd`` does.
"""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.builtin import DenseArrayBase, IntegerType, VectorType, i8, i32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern

from mlopt.dialects.mlopt import Dot4Op
from mlopt.passes.to_llvm.arith import intrinsic
from mlopt.passes.to_llvm.common import replace_with_llvm, to_llvm_operands

_VNNI_WIDTHS = {4: "128", 8: "256", 16: "512"}


def _lanes(typ: Attribute) -> int:
    return typ.get_shape()[0] if isinstance(typ, VectorType) else 1


def _shuffle(v: SSAValue, picks: list[int], n: int, ops: list[Operation]) -> SSAValue:
    undef = llvm.UndefOp(v.type)
    shuf = llvm.ShuffleVectorOp(v, undef.res, DenseArrayBase.from_list(i32, picks), VectorType(i32, [n]))
    ops.extend([undef, shuf])
    return shuf.res


def expand_dot4(acc: SSAValue, a: SSAValue, b: SSAValue, typ: Attribute) -> tuple[list[Operation], SSAValue]:
    """The ops computing ``acc + dot4(a, b)`` without VNNI, and the result."""
    n = _lanes(typ)
    ops: list[Operation] = []
    wide = VectorType(i32, [4 * n])

    def widen(v: SSAValue, signed: bool) -> SSAValue:
        cast = llvm.BitcastOp(v, VectorType(i8, [4 * n]))
        ext = (llvm.SExtOp if signed else llvm.ZExtOp)(cast.results[0], wide)
        ops.extend([cast, ext])
        return ext.results[0]

    prod = llvm.MulOp(widen(a, False), widen(b, True))
    ops.append(prod)
    sums = prod.res
    if isinstance(typ, IntegerType):
        red = intrinsic("llvm.vector.reduce.add.v4i32", [sums], i32)
        ops.append(red)
        sums = red.results[0]
    else:
        for width in (2 * n, n):
            even = _shuffle(sums, [2 * k for k in range(width)], width, ops)
            odd = _shuffle(sums, [2 * k + 1 for k in range(width)], width, ops)
            add = llvm.AddOp(even, odd)
            ops.append(add)
            sums = add.res
    total = llvm.AddOp(acc, sums)
    ops.append(total)
    return ops, total.res


class Dot4ToLLVM(RewritePattern):
    def __init__(self, cache: dict[SSAValue, SSAValue] | None = None) -> None:
        self.cache = cache if cache is not None else {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, Dot4Op):
            return
        acc, a, b = to_llvm_operands(rewriter, op, list(op.operands), self.cache)
        typ = op.result.type
        n = _lanes(typ)
        if "vnni" in op.attributes and isinstance(typ, VectorType) and n in _VNNI_WIDTHS:
            call = intrinsic(f"llvm.x86.avx512.vpdpbusd.{_VNNI_WIDTHS[n]}", [acc, a, b], typ)
            replace_with_llvm(rewriter, op, [call], [call.results[0]])
            return
        ops, result = expand_dot4(acc, a, b, typ)
        replace_with_llvm(rewriter, op, ops, [result])

"""`convert-math-to-llvm`: ``math`` ops -> LLVM intrinsics or libm calls.

Intrinsics (``llvm.intr.exp``/``log``/``sqrt``/``pow``/``fabs``/``floor``/
``ceil``/``sin``/``cos``/``exp2``/``log2``/``copysign``/``fma`` ops, and
``llvm.call_intrinsic`` for ``log10``, ``round``, ``roundeven``, ``trunc``,
``abs``, ``ctlz``, ``cttz``, ``ctpop``, ``powi``); everything else (``tanh``,
``erf``, ``atan``, ...) calls libm: ``tanhf``/``erff`` for f32, ``tanh``/``erf``
for f64 (declared as external ``llvm.func``); f16 goes through f32.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, llvm, math
from xdsl.dialects.builtin import AnyFloat, FloatAttr, IntegerAttr, VectorType, f32, i1
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from mlopt.passes.to_llvm.arith import intrinsic, type_suffix
from mlopt.passes.to_llvm.common import (
    LLVMLoweringError,
    describe,
    ensure_func_decl,
    module_block_of,
    replace_with_llvm,
    to_llvm_operands,
)

_UNARY_INTR_OPS: dict[type[Operation], type[Operation]] = {
    math.ExpOp: llvm.FExpOp,
    math.LogOp: llvm.FLogOp,
    math.SqrtOp: llvm.FSqrtOp,
    math.AbsFOp: llvm.FAbsOp,
    math.FloorOp: llvm.FFloorOp,
    math.CeilOp: llvm.FCeilOp,
    math.SinOp: llvm.FSinOp,
    math.CosOp: llvm.FCosOp,
    math.Exp2Op: llvm.FExp2Op,
    math.Log2Op: llvm.FLog2Op,
}

_BINARY_INTR_OPS: dict[type[Operation], type[Operation]] = {
    math.PowFOp: llvm.FPowOp,
    math.CopySignOp: llvm.FCopySignOp,
}

_UNARY_INTRINSICS: dict[type[Operation], str] = {
    math.Log10Op: "llvm.log10",
    math.RoundOp: "llvm.round",
    math.RoundEvenOp: "llvm.roundeven",
    math.TruncOp: "llvm.trunc",
    math.CtPopOp: "llvm.ctpop",
}

_LIBM: dict[type[Operation], str] = {
    math.TanhOp: "tanh",
    math.ErfOp: "erf",
    math.AcosOp: "acos",
    math.AcoshOp: "acosh",
    math.AsinOp: "asin",
    math.AsinhOp: "asinh",
    math.AtanOp: "atan",
    math.AtanhOp: "atanh",
    math.Atan2Op: "atan2",
    math.CbrtOp: "cbrt",
    math.CoshOp: "cosh",
    math.SinhOp: "sinh",
    math.TanOp: "tan",
    math.ExpM1Op: "expm1",
    math.Log1pOp: "log1p",
}


def _fastmath(op: Operation) -> llvm.FastMathAttr:
    fm = op.properties.get("fastmath")
    if isinstance(fm, arith.FastMathFlagsAttr) and fm.data:
        return llvm.FastMathAttr(tuple(fm.data))
    return llvm.FastMathAttr(None)


def _libm_call(
    op: Operation, base: str, args: list[SSAValue], ops: list[Operation]
) -> SSAValue:
    typ = args[0].type
    if isinstance(typ, VectorType):
        raise LLVMLoweringError(f"convert-math-to-llvm: vector {describe(op)} is not supported")
    work = typ
    if isinstance(typ, builtin.Float16Type | builtin.BFloat16Type):
        ext = [llvm.FPExtOp(a, f32) for a in args]
        ops.extend(ext)
        args = [e.results[0] for e in ext]
        work = f32
    if isinstance(work, builtin.Float32Type):
        name = base + "f"
    elif isinstance(work, builtin.Float64Type):
        name = base
    else:
        raise LLVMLoweringError(f"convert-math-to-llvm: {describe(op)} on {typ} is not supported")
    ensure_func_decl(module_block_of(op), name, [work] * len(args), work)
    call = llvm.CallOp(name, *args, return_type=work)
    ops.append(call)
    result = call.returned
    assert result is not None
    if work != typ:
        trunc = llvm.FPTruncOp(result, typ)
        ops.append(trunc)
        result = trunc.results[0]
    return result


def _lower(op: Operation, args: list[SSAValue], ops: list[Operation]) -> SSAValue | None:
    t = type(op)
    typ: Attribute = args[0].type if args else op.results[0].type

    def add(new: Operation) -> SSAValue:
        ops.append(new)
        return new.results[0]

    if t is math.AbsFOp and isinstance(typ, VectorType):  # typed name: see below
        return add(intrinsic(f"llvm.fabs.{type_suffix(typ)}", args, typ))
    if t is math.AbsFOp:
        return add(llvm.FAbsOp(args[0], typ, _fastmath(op)))
    if t in _UNARY_INTR_OPS and isinstance(typ, VectorType):
        # by its typed name: xDSL's translation declares llvm.floor & co. without
        # the type suffix, so a scalar and a vector use clash (docs/upstream.md)
        name = _UNARY_INTR_OPS[t].name.replace("llvm.intr.", "llvm.")
        return add(intrinsic(f"{name}.{type_suffix(typ)}", args, typ))
    if t in _UNARY_INTR_OPS:
        return add(_UNARY_INTR_OPS[t](args[0], _fastmath(op)))
    if t in _BINARY_INTR_OPS:
        return add(_BINARY_INTR_OPS[t](args[0], args[1], _fastmath(op)))
    if t in _UNARY_INTRINSICS:
        return add(intrinsic(f"{_UNARY_INTRINSICS[t]}.{type_suffix(typ)}", args, typ))
    if t in _LIBM:
        return _libm_call(op, _LIBM[t], args, ops)
    match op:
        case math.FmaOp():
            return add(llvm.FMAOp(args[0], args[1], args[2]))
        case math.RsqrtOp():
            elem = typ.element_type if isinstance(typ, VectorType) else typ
            assert isinstance(elem, AnyFloat)
            if isinstance(typ, VectorType):
                raise LLVMLoweringError(f"convert-math-to-llvm: vector {describe(op)}")
            one = add(llvm.ConstantOp(FloatAttr(1.0, elem), typ))
            root = add(llvm.FSqrtOp(args[0], _fastmath(op)))
            return add(llvm.FDivOp(one, root, _fastmath(op)))
        case math.AbsIOp():
            false = add(llvm.ConstantOp(IntegerAttr(0, i1), i1))
            return add(intrinsic(f"llvm.abs.{type_suffix(typ)}", [args[0], false], typ))
        case math.CountLeadingZerosOp() | math.CountTrailingZerosOp():
            base = "llvm.ctlz" if isinstance(op, math.CountLeadingZerosOp) else "llvm.cttz"
            false = add(llvm.ConstantOp(IntegerAttr(0, i1), i1))
            return add(intrinsic(f"{base}.{type_suffix(typ)}", [args[0], false], typ))
        case math.FPowIOp():
            name = f"llvm.powi.{type_suffix(typ)}.{type_suffix(args[1].type)}"
            return add(intrinsic(name, args, typ))
        case _:
            return None


class MathToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if op.dialect_name() != "math":
            return
        args = to_llvm_operands(rewriter, op, op.operands, self.cache)
        ops: list[Operation] = []
        result = _lower(op, args, ops)
        if result is None:
            raise LLVMLoweringError(f"convert-math-to-llvm: unsupported op {describe(op)}")
        replace_with_llvm(rewriter, op, ops, [result])


@dataclass(frozen=True)
class ConvertMathToLLVMPass(ModulePass):
    """math.* -> llvm intrinsics and libm calls."""

    name = "convert-math-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(MathToLLVMPattern(), apply_recursively=False).rewrite_module(op)

"""`convert-vector-to-llvm`: 1-D ``vector`` ops -> ``llvm`` vector instructions.

For code an affine-level vectoriser produces: ``vector.load``/``store`` (a
contiguous slice of a static memref, element-aligned), ``vector.maskedload``/
``maskedstore`` (``llvm.masked.load``/``store``: masked-off lanes are not
accessed), ``vector.broadcast`` of
a scalar, ``vector.shuffle`` of 1-D vectors, ``vector.fma``, ``vector.reduction`` (LLVM's ``vector.reduce.*``
intrinsics; ``add``/``mul`` on floats are ordered unless fast-math allows
reassociation), ``vector.extract``/``vector.insert`` at constant positions.
Element-wise ``arith``/``math`` ops on vectors are handled by their own passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, llvm, vector
from xdsl.dialects.builtin import (
    AnyFloat,
    DenseArrayBase,
    IntegerAttr,
    VectorType,
    i32,
    i64,
)
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from mlopt.passes.to_llvm.arith import intrinsic, type_suffix
from mlopt.passes.to_llvm.common import (
    LLVMLoweringError,
    check_memref,
    convert_type,
    describe,
    element_size,
    replace_with_llvm,
    to_llvm_operands,
)
from mlopt.passes.to_llvm.memref import element_pointer

_INT_REDUCE = {
    "add": "add", "mul": "mul", "and": "and", "or": "or", "xor": "xor",
    "maxsi": "smax", "minsi": "smin", "maxui": "umax", "minui": "umin",
}  # fmt: skip
_FLOAT_REDUCE = {
    "maxnumf": "fmax", "minnumf": "fmin", "maximumf": "fmaximum", "minimumf": "fminimum",
}  # fmt: skip


def _vector_type(typ: object, op: Operation) -> VectorType:
    if not isinstance(typ, VectorType) or typ.get_num_dims() != 1 or typ.get_num_scalable_dims():
        raise LLVMLoweringError(f"convert-vector-to-llvm: only fixed 1-D vectors, at {describe(op)}")
    return typ


def _splat(value: SSAValue, vtype: VectorType, ops: list[Operation]) -> SSAValue:
    undef = llvm.UndefOp(vtype)
    zero = llvm.ConstantOp(IntegerAttr(0, i32), i32)
    ins = llvm.InsertElementOp(undef.res, value, zero.result)
    mask = DenseArrayBase.from_list(i32, [0] * vtype.element_count())
    shuf = llvm.ShuffleVectorOp(ins.res, undef.res, mask, vtype)
    ops.extend([undef, zero, ins, shuf])
    return shuf.res


class VectorToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if op.dialect_name() != "vector":
            return
        ops: list[Operation] = []
        match op:
            case vector.LoadOp() | vector.StoreOp():
                mtype = op.base.type
                assert isinstance(mtype, builtin.MemRefType)
                check_memref(mtype, op)
                vtype = _vector_type(op.result.type if isinstance(op, vector.LoadOp) else op.vector.type, op)
                align = element_size(mtype.element_type)
                if isinstance(op, vector.LoadOp):
                    base, *idx = to_llvm_operands(rewriter, op, [op.base, *op.indices], self.cache)
                    ptr = element_pointer(base, mtype, idx, ops)
                    load = llvm.LoadOp(ptr, convert_type(vtype), alignment=align)
                    ops.append(load)
                    replace_with_llvm(rewriter, op, ops, [load.dereferenced_value])
                else:
                    val, base, *idx = to_llvm_operands(
                        rewriter, op, [op.vector, op.base, *op.indices], self.cache
                    )
                    ptr = element_pointer(base, mtype, idx, ops)
                    ops.append(llvm.StoreOp(val, ptr, alignment=align))
                    rewriter.replace(op, ops, [])
            case vector.MaskedLoadOp() | vector.MaskedStoreOp():
                # llvm.masked.load/store: masked-off lanes are not accessed
                mtype = op.base.type
                assert isinstance(mtype, builtin.MemRefType)
                check_memref(mtype, op)
                load = isinstance(op, vector.MaskedLoadOp)
                vtype = _vector_type(op.result.type if load else op.value_to_store.type, op)
                lvt = convert_type(vtype)
                align = llvm.ConstantOp(IntegerAttr(element_size(mtype.element_type), i32), i32)
                ops.append(align)
                suffix = f"{type_suffix(lvt)}.p0"
                if load:
                    base, *rest = to_llvm_operands(
                        rewriter, op, [op.base, *op.indices, op.mask, op.pass_thru], self.cache
                    )
                    *idx, mask, passthru = rest
                    ptr = element_pointer(base, mtype, idx, ops)
                    call = intrinsic(f"llvm.masked.load.{suffix}", [ptr, align.result, mask, passthru], lvt)
                    ops.append(call)
                    replace_with_llvm(rewriter, op, ops, [call.results[0]])
                else:
                    val, base, *rest = to_llvm_operands(
                        rewriter, op, [op.value_to_store, op.base, *op.indices, op.mask], self.cache
                    )
                    *idx, mask = rest
                    ptr = element_pointer(base, mtype, idx, ops)
                    ops.append(intrinsic(f"llvm.masked.store.{suffix}", [val, ptr, align.result, mask], None))
                    rewriter.replace(op, ops, [])
            case vector.BroadcastOp():
                vtype = _vector_type(op.vector.type, op)
                (src,) = to_llvm_operands(rewriter, op, [op.source], self.cache)
                if isinstance(src.type, VectorType):
                    raise LLVMLoweringError(f"only scalar broadcasts are supported, at {describe(op)}")
                result = _splat(src, convert_type(vtype), ops)  # type: ignore[arg-type]
                replace_with_llvm(rewriter, op, ops, [result])
            case vector.FMAOp():
                _vector_type(op.res.type, op)
                a, b, c = to_llvm_operands(rewriter, op, [op.lhs, op.rhs, op.acc], self.cache)
                fma = llvm.FMAOp(a, b, c)
                replace_with_llvm(rewriter, op, [fma], [fma.res])
            case vector.ReductionOp():
                vtype = _vector_type(op.vector.type, op)
                args = to_llvm_operands(rewriter, op, [op.vector], self.cache)
                acc = to_llvm_operands(rewriter, op, [op.acc], self.cache) if op.acc else []
                kind = op.kind.data.value
                elem = convert_type(vtype.element_type)
                suffix = type_suffix(convert_type(vtype))
                if isinstance(elem, AnyFloat) and kind in ("add", "mul"):
                    start = acc[0] if acc else self._const(0.0 if kind == "add" else 1.0, elem, ops)
                    name = f"llvm.vector.reduce.f{kind}.{suffix}"
                    red = intrinsic(name, [start, args[0]], elem)
                    ops.append(red)
                    result = red.results[0]
                else:
                    table = _FLOAT_REDUCE if isinstance(elem, AnyFloat) else _INT_REDUCE
                    if kind not in table:
                        raise LLVMLoweringError(
                            f"convert-vector-to-llvm: reduction '{kind}' on {vtype} at {describe(op)}"
                        )
                    red = intrinsic(f"llvm.vector.reduce.{table[kind]}.{suffix}", args, elem)
                    ops.append(red)
                    result = red.results[0]
                    if acc:
                        result = self._combine(kind, result, acc[0], elem, ops)
                replace_with_llvm(rewriter, op, ops, [result])
            case vector.ShuffleOp():
                vtype = _vector_type(op.result.type, op)
                _vector_type(op.v1.type, op)
                a, b = to_llvm_operands(rewriter, op, [op.v1, op.v2], self.cache)
                mask = DenseArrayBase.from_list(i32, list(op.mask.get_values()))
                shuf = llvm.ShuffleVectorOp(a, b, mask, convert_type(vtype))  # type: ignore[arg-type]
                replace_with_llvm(rewriter, op, [shuf], [shuf.res])
            case vector.ExtractOp():
                vtype = _vector_type(op.vector.type, op)
                if op.dynamic_position or len(op.static_position.get_values()) != 1:
                    raise LLVMLoweringError(f"only constant 1-D extracts are supported, at {describe(op)}")
                (vec,) = to_llvm_operands(rewriter, op, [op.vector], self.cache)
                pos = op.static_position.get_values()[0]
                one = llvm.ShuffleVectorOp(
                    vec, vec, DenseArrayBase.from_list(i32, [pos]), VectorType(convert_type(vtype.element_type), [1])
                )
                elem = convert_type(vtype.element_type)
                scalar = llvm.BitcastOp(one.res, elem)
                replace_with_llvm(rewriter, op, [one, scalar], [scalar.results[0]])
            case vector.InsertOp():
                _vector_type(op.dest.type, op)
                if op.dynamic_position or len(op.static_position.get_values()) != 1:
                    raise LLVMLoweringError(f"only constant 1-D inserts are supported, at {describe(op)}")
                src, dest = to_llvm_operands(rewriter, op, [op.source, op.dest], self.cache)
                pos = llvm.ConstantOp(IntegerAttr(op.static_position.get_values()[0], i64), i64)
                ins = llvm.InsertElementOp(dest, src, pos.result)
                replace_with_llvm(rewriter, op, [pos, ins], [ins.res])
            case _:
                raise LLVMLoweringError(f"convert-vector-to-llvm: unsupported op {describe(op)}")

    @staticmethod
    def _const(value: float, typ: object, ops: list[Operation]) -> SSAValue:
        c = llvm.ConstantOp(builtin.FloatAttr(value, typ), typ)  # type: ignore[arg-type]
        ops.append(c)
        return c.result

    @staticmethod
    def _combine(kind: str, a: SSAValue, b: SSAValue, typ: object, ops: list[Operation]) -> SSAValue:
        simple = {"add": llvm.AddOp, "mul": llvm.MulOp, "and": llvm.AndOp, "or": llvm.OrOp, "xor": llvm.XOrOp}
        if kind in simple:
            new: Operation = simple[kind](a, b)
        else:
            name = _INT_REDUCE.get(kind) or {
                "maxnumf": "maxnum", "minnumf": "minnum", "maximumf": "maximum", "minimumf": "minimum"
            }[kind]
            new = intrinsic(f"llvm.{name}.{type_suffix(typ)}", [a, b], typ)  # type: ignore[arg-type]
        ops.append(new)
        return new.results[0]


@dataclass(frozen=True)
class ConvertVectorToLLVMPass(ModulePass):
    """vector.* (1-D) -> llvm vector instructions and intrinsics."""

    name = "convert-vector-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(VectorToLLVMPattern(), apply_recursively=False).rewrite_module(op)

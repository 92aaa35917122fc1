"""`convert-arith-to-llvm`: scalar (and 1-D vector) ``arith`` ops -> ``llvm`` ops.

Accepts any ``arith`` op on signless integers, ``index`` (becomes ``i64``) and
f16/f32/f64. ``nsw``/``nuw`` and fast-math flags carry over. Ops without an LLVM
instruction of their own become intrinsics (``llvm.smax``, ``llvm.maximum``,
``llvm.fptosi.sat`` ...) or short expansions (``floordivsi``, ``ceildivsi``,
``uitofp`` from i64). Operands/results whose type changes (``index``) are
bridged with ``builtin.unrealized_conversion_cast``. ``mlopt.dot4`` is lowered
here too (:mod:`mlopt.passes.to_llvm.dot`).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, builtin, llvm
from xdsl.dialects.builtin import (
    AnyFloat,
    BFloat16Type,
    Float32Type,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    VectorType,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from mlopt.passes.to_llvm.common import (
    LLVMLoweringError,
    convert_type,
    describe,
    replace_with_llvm,
    to_llvm_operands,
)

_INT_BINOPS: dict[type[Operation], type[Operation]] = {
    arith.AddiOp: llvm.AddOp,
    arith.SubiOp: llvm.SubOp,
    arith.MuliOp: llvm.MulOp,
    arith.ShLIOp: llvm.ShlOp,
    arith.DivSIOp: llvm.SDivOp,
    arith.DivUIOp: llvm.UDivOp,
    arith.RemSIOp: llvm.SRemOp,
    arith.RemUIOp: llvm.URemOp,
    arith.AndIOp: llvm.AndOp,
    arith.OrIOp: llvm.OrOp,
    arith.XOrIOp: llvm.XOrOp,
    arith.ShRSIOp: llvm.AShrOp,
    arith.ShRUIOp: llvm.LShrOp,
}

_FLOAT_BINOPS: dict[type[Operation], type[Operation]] = {
    arith.AddfOp: llvm.FAddOp,
    arith.SubfOp: llvm.FSubOp,
    arith.MulfOp: llvm.FMulOp,
    arith.DivfOp: llvm.FDivOp,
}

# arith op -> LLVM intrinsic base name (suffixed with the type, e.g. .i32/.f32)
_INTRINSIC_BINOPS: dict[type[Operation], str] = {
    arith.MaxSIOp: "llvm.smax",
    arith.MinSIOp: "llvm.smin",
    arith.MaxUIOp: "llvm.umax",
    arith.MinUIOp: "llvm.umin",
    arith.MaximumfOp: "llvm.maximum",
    arith.MinimumfOp: "llvm.minimum",
    arith.MaxnumfOp: "llvm.maxnum",
    arith.MinnumfOp: "llvm.minnum",
}


def type_suffix(typ: Attribute) -> str:
    """LLVM's intrinsic name mangling for a scalar or 1-D vector type."""
    if isinstance(typ, VectorType):
        return f"v{typ.element_count()}{type_suffix(typ.element_type)}"
    if isinstance(typ, IntegerType):
        return f"i{typ.width.data}"
    if isinstance(typ, builtin.Float16Type):
        return "f16"
    if isinstance(typ, builtin.Float32Type):
        return "f32"
    if isinstance(typ, builtin.Float64Type):
        return "f64"
    if isinstance(typ, builtin.BFloat16Type):
        return "bf16"
    raise LLVMLoweringError(f"no LLVM intrinsic suffix for type {typ}")


def intrinsic(name: str, args: list[SSAValue], result: Attribute | None) -> llvm.CallIntrinsicOp:
    return llvm.CallIntrinsicOp(name, args, [result] if result is not None else [])


_OVERFLOW_CACHE: dict[tuple[str, ...], IntegerAttr] = {}


def _overflow(op: Operation) -> IntegerAttr | None:
    flags = op.properties.get("overflowFlags")
    if not isinstance(flags, arith.IntegerOverflowAttr) or not flags.data:
        return None
    names = {f.value for f in flags.data}
    out = []
    if "nsw" in names:
        out.append(llvm.OverflowFlag.NO_SIGNED_WRAP)
    if "nuw" in names:
        out.append(llvm.OverflowFlag.NO_UNSIGNED_WRAP)
    if not out:
        return None
    key = tuple(f.value for f in out)
    if key not in _OVERFLOW_CACHE:
        _OVERFLOW_CACHE[key] = IntegerAttr(llvm.OverflowAttr(tuple(out)).to_int(), 32)
    return _OVERFLOW_CACHE[key]


def _fastmath(op: Operation) -> llvm.FastMathAttr:
    fm = op.properties.get("fastmath")
    if isinstance(fm, arith.FastMathFlagsAttr) and fm.data:
        return llvm.FastMathAttr(tuple(fm.data))
    return llvm.FastMathAttr(None)


def _elem(typ: Attribute) -> Attribute:
    return typ.element_type if isinstance(typ, VectorType) else typ


def _width(typ: Attribute) -> int:
    elem = _elem(typ)
    if isinstance(elem, IntegerType):
        return elem.width.data
    if isinstance(elem, AnyFloat):
        return elem.bitwidth
    raise LLVMLoweringError(f"unexpected type {typ}")


def _const(value: int | float, typ: Attribute) -> llvm.ConstantOp:
    if isinstance(typ, AnyFloat):
        return llvm.ConstantOp(FloatAttr(float(value), typ), typ)
    assert isinstance(typ, IntegerType)
    return llvm.ConstantOp(IntegerAttr(int(value), typ, truncate_bits=True), typ)


_MAX_OPS = (arith.MaximumfOp, arith.MaxnumfOp)
_MIN_OPS = (arith.MinimumfOp, arith.MinnumfOp)


def _float_constant(v: SSAValue) -> float | None:
    owner = v.owner
    if isinstance(owner, arith.ConstantOp):
        val = owner.value
        if isinstance(val, FloatAttr):
            return val.value.data
        if isinstance(val, DenseIntOrFPElementsAttr) and val.is_splat():
            return float(val.get_values()[0])
    return None


def _bounds(v: SSAValue, kinds: tuple[type[Operation], ...]) -> tuple[float | None, SSAValue]:
    """(c, x) when ``v`` is ``kind(x, c)`` for a constant ``c`` (either order)."""
    op = v.owner
    if isinstance(op, kinds):
        for a, c in ((op.operands[0], op.operands[1]), (op.operands[1], op.operands[0])):
            k = _float_constant(c)
            if k is not None:
                return k, a
    return None, v


def _clamped_in_range(v: SSAValue, res: Attribute, signed: bool) -> bool:
    """``v`` is ``min(max(x, lo), hi)`` (either nesting; constants) with [lo, hi]
    inside the integer type ``res``: its conversion needs no saturation, and a
    plain ``fptosi``/``fptoui`` vectorises where LLVM scalarises the
    saturating intrinsics on x86 (a QuantizeLinear's clamp then conversion).
    A NaN (propagated by ``maximumf``) converts to whatever the instruction
    gives, as ONNX leaves it undefined."""
    elt = res.element_type if isinstance(res, VectorType) else res
    if not isinstance(elt, IntegerType):
        return False
    width = elt.width.data
    lo_int, hi_int = (-(1 << (width - 1)), (1 << (width - 1)) - 1) if signed else (0, (1 << width) - 1)
    hi, inner = _bounds(v, _MIN_OPS)
    lo, _ = _bounds(inner, _MAX_OPS)
    if hi is None or lo is None:
        lo, inner = _bounds(v, _MAX_OPS)
        hi, _ = _bounds(inner, _MIN_OPS)
    return lo is not None and hi is not None and lo_int <= lo <= hi <= hi_int


class _Builder:
    def __init__(self) -> None:
        self.ops: list[Operation] = []

    def add(self, op: Operation) -> SSAValue:
        self.ops.append(op)
        return op.results[0]

    def const(self, value: int | float, typ: Attribute) -> SSAValue:
        return self.add(_const(value, typ))


# ---------------------------------------------------------------------------
# bf16: stored as i16 bits at the LLVM level; arithmetic runs in f32


def _is_bf16(typ: Attribute) -> bool:
    return isinstance(typ, BFloat16Type)


_BF16_NATIVE = (arith.ConstantOp, arith.ExtFOp, arith.TruncFOp, arith.BitcastOp, arith.SelectOp)


def promote_bf16(module: Operation) -> None:
    """Rewrite every arith/math op computing on scalar bf16 into the same op on
    f32, with ``arith.extf`` of its bf16 operands and ``arith.truncf`` back."""
    todo = [
        o
        for o in module.walk()
        if o.dialect_name() in ("arith", "math")
        and not isinstance(o, _BF16_NATIVE)
        and any(_is_bf16(t) for t in (*o.operand_types, *o.result_types))
    ]
    f32 = Float32Type()
    for o in todo:
        block = o.parent_block()
        assert block is not None
        new_operands = []
        for v in o.operands:
            if _is_bf16(v.type):
                ext = arith.ExtFOp(v, f32)
                block.insert_op_before(ext, o)
                v = ext.result
            new_operands.append(v)
        new = type(o).create(
            operands=new_operands,
            result_types=[f32 if _is_bf16(t) else t for t in o.result_types],
            properties=dict(o.properties),
            attributes=dict(o.attributes),
        )
        block.insert_op_before(new, o)
        after = new
        for old_r, new_r in zip(o.results, new.results):
            if _is_bf16(old_r.type):
                tr = arith.TruncFOp(new_r, old_r.type)
                block.insert_op_after(tr, after)
                after = tr
                old_r.replace_all_uses_with(tr.result)
            else:
                old_r.replace_all_uses_with(new_r)
        o.detach()
        o.erase()


def _bf16_to_f32(bits: SSAValue, b: _Builder) -> SSAValue:
    i32 = IntegerType(32)
    w = b.add(llvm.ZExtOp(bits, i32))
    w = b.add(llvm.ShlOp(w, b.const(16, i32)))
    return b.add(llvm.BitcastOp(w, Float32Type()))


def _f32_to_bf16(x: SSAValue, b: _Builder) -> SSAValue:
    """Round-to-nearest-even f32 -> bf16 bits (NaN stays a quiet NaN)."""
    i32 = IntegerType(32)
    bits = b.add(llvm.BitcastOp(x, i32))
    lsb = b.add(llvm.AndOp(b.add(llvm.LShrOp(bits, b.const(16, i32))), b.const(1, i32)))
    rounded = b.add(llvm.AddOp(bits, b.add(llvm.AddOp(lsb, b.const(0x7FFF, i32)))))
    rounded = b.add(llvm.LShrOp(rounded, b.const(16, i32)))
    quiet = b.add(llvm.OrOp(b.add(llvm.LShrOp(bits, b.const(16, i32))), b.const(0x40, i32)))
    isnan = b.add(llvm.FCmpOp(x, x, IntegerAttr(14, i64)))  # uno
    res = b.add(llvm.SelectOp(isnan, quiet, rounded))
    return b.add(llvm.TruncOp(res, IntegerType(16)))


def _bf16_constant(value: FloatAttr) -> llvm.ConstantOp:
    import ml_dtypes
    import numpy as np

    bits = int(np.array(value.value.data, dtype=ml_dtypes.bfloat16).view(np.uint16))
    return llvm.ConstantOp(IntegerAttr(bits, IntegerType(16), truncate_bits=True), IntegerType(16))


def _lower_constant(op: arith.ConstantOp, b: _Builder) -> SSAValue:
    typ = convert_type(op.result.type, op)
    value = op.value
    if isinstance(value, IntegerAttr):
        if isinstance(typ, IntegerType) and typ.width.data == 1:
            return b.add(llvm.ConstantOp(IntegerAttr(value.value.data & 1, typ), typ))
        return b.add(llvm.ConstantOp(IntegerAttr(value.value.data, typ, truncate_bits=True), typ))
    if isinstance(value, FloatAttr):
        if _is_bf16(op.result.type):
            return b.add(_bf16_constant(value))
        return b.add(llvm.ConstantOp(value, typ))
    if isinstance(value, DenseIntOrFPElementsAttr) and isinstance(typ, VectorType):
        return b.add(llvm.ConstantOp(value, typ))
    raise LLVMLoweringError(
        f"convert-arith-to-llvm: unsupported constant {value} at {describe(op)}"
    )


def _floordivsi(a: SSAValue, d: SSAValue, b: _Builder) -> SSAValue:
    # q = a / d; if (q * d != a) and ((a < 0) != (d < 0)) then q - 1
    typ = a.type
    zero = b.const(0, typ)
    one = b.const(1, typ)
    q = b.add(llvm.SDivOp(a, d))
    prod = b.add(llvm.MulOp(q, d))
    inexact = b.add(llvm.ICmpOp(prod, a, IntegerAttr(1, i64)))  # ne
    a_neg = b.add(llvm.ICmpOp(a, zero, IntegerAttr(2, i64)))  # slt
    d_neg = b.add(llvm.ICmpOp(d, zero, IntegerAttr(2, i64)))
    diff_sign = b.add(llvm.XOrOp(a_neg, d_neg))
    adjust = b.add(llvm.AndOp(inexact, diff_sign))
    qm1 = b.add(llvm.SubOp(q, one))
    return b.add(llvm.SelectOp(adjust, qm1, q))


def _ceildivsi(a: SSAValue, d: SSAValue, b: _Builder) -> SSAValue:
    # q = a / d; if (q * d != a) and ((a < 0) == (d < 0)) then q + 1
    typ = a.type
    zero = b.const(0, typ)
    one = b.const(1, typ)
    q = b.add(llvm.SDivOp(a, d))
    prod = b.add(llvm.MulOp(q, d))
    inexact = b.add(llvm.ICmpOp(prod, a, IntegerAttr(1, i64)))
    a_neg = b.add(llvm.ICmpOp(a, zero, IntegerAttr(2, i64)))
    d_neg = b.add(llvm.ICmpOp(d, zero, IntegerAttr(2, i64)))
    same_sign = b.add(llvm.ICmpOp(a_neg, d_neg, IntegerAttr(0, i64)))  # eq
    adjust = b.add(llvm.AndOp(inexact, same_sign))
    qp1 = b.add(llvm.AddOp(q, one))
    return b.add(llvm.SelectOp(adjust, qp1, q))


def _ceildivui(a: SSAValue, d: SSAValue, b: _Builder) -> SSAValue:
    # a == 0 ? 0 : (a - 1) / d + 1
    typ = a.type
    zero = b.const(0, typ)
    one = b.const(1, typ)
    is_zero = b.add(llvm.ICmpOp(a, zero, IntegerAttr(0, i64)))
    am1 = b.add(llvm.SubOp(a, one))
    q = b.add(llvm.UDivOp(am1, d))
    qp1 = b.add(llvm.AddOp(q, one))
    return b.add(llvm.SelectOp(is_zero, zero, qp1))


def _int_resize(v: SSAValue, to: Attribute, signed: bool, b: _Builder) -> SSAValue:
    wf, wt = _width(v.type), _width(to)
    if wf == wt:
        return v
    if wf > wt:
        return b.add(llvm.TruncOp(v, to))
    return b.add(llvm.SExtOp(v, to) if signed else llvm.ZExtOp(v, to))


def _uitofp(v: SSAValue, to: Attribute, b: _Builder) -> SSAValue:
    width = _width(v.type)
    if isinstance(v.type, IntegerType) and width < 64:
        wide = b.add(llvm.ZExtOp(v, i64))
        return b.add(llvm.SIToFPOp(wide, to))
    if width != 64 or isinstance(v.type, VectorType):
        raise LLVMLoweringError(f"uitofp from {v.type} is not supported")
    # x >= 0 (signed) ? sitofp(x) : 2 * sitofp((x >> 1) | (x & 1))
    zero = b.const(0, i64)
    one = b.const(1, i64)
    is_neg = b.add(llvm.ICmpOp(v, zero, IntegerAttr(2, i64)))
    direct = b.add(llvm.SIToFPOp(v, to))
    half = b.add(llvm.LShrOp(v, one))
    low = b.add(llvm.AndOp(v, one))
    rounded = b.add(llvm.OrOp(half, low))
    as_fp = b.add(llvm.SIToFPOp(rounded, to))
    doubled = b.add(llvm.FAddOp(as_fp, as_fp))
    return b.add(llvm.SelectOp(is_neg, doubled, direct))


def _lower(op: Operation, args: list[SSAValue], b: _Builder, in_range: bool = False) -> list[SSAValue] | None:
    """The llvm values replacing ``op``'s results (``in_range``: a float to
    integer conversion whose operand is clamped to the type's range)."""
    t = type(op)
    if t in _INT_BINOPS:
        cls = _INT_BINOPS[t]
        if issubclass(cls, llvm.ArithmeticBinOpOverflow):
            ov = _overflow(op)
            new = cls(args[0], args[1], overflow=ov) if ov else cls(args[0], args[1])
        else:
            new = cls(args[0], args[1])
        return [b.add(new)]
    if t in _FLOAT_BINOPS:
        return [b.add(_FLOAT_BINOPS[t](args[0], args[1], _fastmath(op)))]
    if t in _INTRINSIC_BINOPS:
        typ = args[0].type
        return [b.add(intrinsic(f"{_INTRINSIC_BINOPS[t]}.{type_suffix(typ)}", args, typ))]
    match op:
        case arith.ConstantOp():
            return [_lower_constant(op, b)]
        case arith.NegfOp():
            return [b.add(llvm.FNegOp(args[0], _fastmath(op)))]
        case arith.CmpiOp():
            return [b.add(llvm.ICmpOp(args[0], args[1], IntegerAttr(op.predicate.value.data, i64)))]
        case arith.CmpfOp():
            pred = op.predicate.value.data
            if pred in (0, 15):  # "false" / "true": no comparison needed
                return [b.add(llvm.ConstantOp(IntegerAttr(1 if pred else 0, 1), IntegerType(1)))]
            return [b.add(llvm.FCmpOp(args[0], args[1], IntegerAttr(pred, i64)))]
        case arith.SelectOp():
            return [b.add(llvm.SelectOp(args[0], args[1], args[2]))]
        case arith.ExtSIOp():
            return [b.add(llvm.SExtOp(args[0], convert_type(op.result.type)))]
        case arith.ExtUIOp():
            return [b.add(llvm.ZExtOp(args[0], convert_type(op.result.type)))]
        case arith.TruncIOp():
            return [b.add(llvm.TruncOp(args[0], convert_type(op.result.type)))]
        case arith.ExtFOp() if _is_bf16(op.input.type):
            if isinstance(op.result.type, VectorType):
                raise LLVMLoweringError(f"convert-arith-to-llvm: bf16 vectors at {describe(op)}")
            x = _bf16_to_f32(args[0], b)
            if not isinstance(op.result.type, Float32Type):
                x = b.add(llvm.FPExtOp(x, convert_type(op.result.type)))
            return [x]
        case arith.TruncFOp() if _is_bf16(op.result.type):
            if isinstance(op.input.type, VectorType):
                raise LLVMLoweringError(f"convert-arith-to-llvm: bf16 vectors at {describe(op)}")
            x = args[0]
            if _is_bf16(op.input.type):
                return [x]
            if not isinstance(op.input.type, Float32Type):
                x = b.add(llvm.FPTruncOp(x, Float32Type()))
            return [_f32_to_bf16(x, b)]
        case arith.ExtFOp():
            return [b.add(llvm.FPExtOp(args[0], convert_type(op.result.type)))]
        case arith.TruncFOp():
            return [b.add(llvm.FPTruncOp(args[0], convert_type(op.result.type)))]
        case arith.SIToFPOp():
            return [b.add(llvm.SIToFPOp(args[0], convert_type(op.result.type)))]
        case arith.UIToFPOp():
            return [_uitofp(args[0], convert_type(op.result.type), b)]
        case arith.FPToSIOp() | arith.FPToUIOp():
            res = convert_type(op.result.type)
            kind = "fptosi" if isinstance(op, arith.FPToSIOp) else "fptoui"
            if in_range:
                from mlopt.dialects.llvm_casts import FPToSIOp, FPToUIOp

                conv = FPToSIOp if kind == "fptosi" else FPToUIOp
                return [b.add(conv(args[0], res))]
            name = f"llvm.{kind}.sat.{type_suffix(res)}.{type_suffix(args[0].type)}"
            return [b.add(intrinsic(name, args, res))]
        case arith.IndexCastOp():
            return [_int_resize(args[0], convert_type(op.result.type), True, b)]
        case arith.BitcastOp():
            res = convert_type(op.result.type)
            if res == args[0].type:
                return [args[0]]
            return [b.add(llvm.BitcastOp(args[0], res))]
        case arith.FloorDivSIOp():
            return [_floordivsi(args[0], args[1], b)]
        case arith.CeilDivSIOp():
            return [_ceildivsi(args[0], args[1], b)]
        case arith.CeilDivUIOp():
            return [_ceildivui(args[0], args[1], b)]
        case _:
            return None


class ArithToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}
        # float -> int conversions of clamped values (found before any rewrite)
        self.in_range: set[Operation] = set()

    def find_in_range(self, module: Operation) -> None:
        for o in module.walk():
            if isinstance(o, arith.FPToSIOp | arith.FPToUIOp):
                if _clamped_in_range(o.input, convert_type(o.result.type), isinstance(o, arith.FPToSIOp)):
                    self.in_range.add(o)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if op.dialect_name() != "arith":
            return
        if any(isinstance(r.type, VectorType) and r.type.get_num_dims() != 1 for r in op.results):
            raise LLVMLoweringError(f"convert-arith-to-llvm: only 1-D vectors, at {describe(op)}")
        args = to_llvm_operands(rewriter, op, op.operands, self.cache)
        b = _Builder()
        results = _lower(op, args, b, op in self.in_range)
        if results is None:
            raise LLVMLoweringError(
                f"convert-arith-to-llvm: unsupported op {describe(op)}"
            )
        replace_with_llvm(rewriter, op, b.ops, results)


@dataclass(frozen=True)
class ConvertArithToLLVMPass(ModulePass):
    """arith.* -> llvm.* (index becomes i64)."""

    name = "convert-arith-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        from xdsl.pattern_rewriter import GreedyRewritePatternApplier

        from mlopt.passes.to_llvm.dot import Dot4ToLLVM

        promote_bf16(op)
        arith_pattern = ArithToLLVMPattern()
        arith_pattern.find_in_range(op)
        PatternRewriteWalker(
            GreedyRewritePatternApplier([arith_pattern, Dot4ToLLVM(arith_pattern.cache)]), apply_recursively=False
        ).rewrite_module(op)

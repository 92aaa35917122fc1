"""Shared pieces of the ``convert-*-to-llvm`` passes.

Type conversion (``index`` -> ``i64``; a static, identity-layout ``memref`` ->
a bare ``!llvm.ptr``; signed/unsigned integers -> signless), and the glue that
lets each pass run on its own: operands whose type changes are passed through
``builtin.unrealized_conversion_cast`` and results are cast back for users not
converted yet. ``reconcile-unrealized-casts`` removes the pairs at the end.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    AnyFloat,
    BFloat16Type,
    IndexType,
    IntegerType,
    MemRefType,
    NoneAttr,
    Signedness,
    StridedLayoutAttr,
    UnrealizedConversionCastOp,
    VectorType,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException

from mlopt import errors as _mlopt_errors

INDEX = i64
PTR = llvm.LLVMPointerType()


class LLVMLoweringError(_mlopt_errors.LoweringError, PassFailedException):
    """IR the LLVM lowering cannot handle (dynamic shapes, odd layouts, ...)."""


def describe(op: Operation) -> str:
    """A short location-like description of ``op`` for error messages."""
    parent = op.parent_op()
    while parent is not None and getattr(parent, "sym_name", None) is None:
        parent = parent.parent_op()
    where = f" in @{parent.sym_name.data}" if parent is not None else ""  # type: ignore[attr-defined]
    return f"'{op.name}'{where}"


def check_memref(typ: MemRefType, op: Operation | None = None) -> None:
    def where() -> str:
        return f" (at {describe(op)})" if op is not None else ""

    if any(d < 0 for d in typ.get_shape()):
        raise LLVMLoweringError(
            f"LLVM lowering needs static shapes, got {typ}{where()}; "
            "compile with concrete input shapes"
        )
    layout = typ.layout
    if not isinstance(layout, NoneAttr):
        ok = False
        if isinstance(layout, StridedLayoutAttr):
            strides = layout.get_strides()
            expected = row_major_strides(typ.get_shape())
            offset = layout.get_offset()
            ok = list(strides) == expected and offset in (0, None)
        else:
            try:
                ok = layout.data.is_identity()  # type: ignore[attr-defined]
            except AttributeError:
                ok = False
        if not ok:
            raise LLVMLoweringError(
                f"LLVM lowering needs identity-layout memrefs, got {typ}{where()}"
            )


def row_major_strides(shape: Sequence[int]) -> list[int]:
    strides = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    return strides


def convert_type(typ: Attribute, op: Operation | None = None) -> Attribute:
    """The llvm-dialect type standing for ``typ``."""
    if isinstance(typ, IndexType):
        return INDEX
    if isinstance(typ, IntegerType):
        if typ.signedness.data != Signedness.SIGNLESS:
            return IntegerType(typ.width.data)
        return typ
    if isinstance(typ, BFloat16Type):
        # bf16 travels as its raw bits (llvmlite has no `bfloat` type); the arith
        # lowering widens it to f32 for any arithmetic
        return IntegerType(16)
    if isinstance(typ, MemRefType):
        check_memref(typ, op)
        return PTR
    if isinstance(typ, VectorType):
        elem = convert_type(typ.element_type, op)
        if elem != typ.element_type:
            return VectorType(elem, typ.get_shape())
    return typ


def element_size(typ: Attribute) -> int:
    """Bytes per element in memory (i1 is stored as one byte)."""
    if isinstance(typ, IndexType):
        return 8
    if isinstance(typ, IntegerType):
        return max(1, (typ.width.data + 7) // 8)
    if isinstance(typ, AnyFloat):
        return typ.bitwidth // 8
    if isinstance(typ, VectorType):
        return element_size(typ.element_type) * typ.element_count()
    raise LLVMLoweringError(f"unsupported memref element type {typ}")


def to_llvm_operands(
    rewriter: PatternRewriter,
    op: Operation,
    values: Sequence[SSAValue],
    cache: dict[SSAValue, SSAValue] | None = None,
) -> list[SSAValue]:
    """``values`` as llvm-typed values.

    With a ``cache`` (one per pass run) each value is cast once, right after
    its definition, and the cast is shared by all its users; without, the cast
    goes right before ``op``.
    """
    out: list[SSAValue] = []
    for v in values:
        target = convert_type(v.type, op)
        if target == v.type:
            out.append(v)
            continue
        owner = v.owner
        if (
            isinstance(owner, UnrealizedConversionCastOp)
            and len(owner.inputs) == 1
            and owner.inputs[0].type == target
        ):
            out.append(owner.inputs[0])
            continue
        if cache is not None and v in cache:
            out.append(cache[v])
            continue
        cast = UnrealizedConversionCastOp.get([v], [target])
        if cache is None:
            rewriter.insert(cast, InsertPoint.before(op))
        else:
            if isinstance(owner, Operation):
                rewriter.insert(cast, InsertPoint.after(owner))
            else:
                rewriter.insert(cast, InsertPoint.at_start(owner))
            cache[v] = cast.results[0]
        out.append(cast.results[0])
    return out


def replace_with_llvm(
    rewriter: PatternRewriter,
    op: Operation,
    new_ops: Sequence[Operation],
    new_results: Sequence[SSAValue],
) -> None:
    """Replace ``op``; results whose type changed are cast back to the old type."""
    casts: list[Operation] = []
    results: list[SSAValue] = []
    for old, new in zip(op.results, new_results, strict=True):
        if old.type == new.type:
            results.append(new)
        else:
            cast = UnrealizedConversionCastOp.get([new], [old.type])
            casts.append(cast)
            results.append(cast.results[0])
    rewriter.replace(op, [*new_ops, *casts], results)


def convert_block_args(block: Block) -> None:
    """Give ``block``'s arguments llvm types; old-typed uses see a cast."""
    for arg in list(block.args):
        target = convert_type(arg.type)
        if target == arg.type:
            continue
        old_type = arg.type
        new_arg = Rewriter.replace_value_with_new_type(arg, target)
        uses = list(new_arg.uses)
        if not uses:
            continue
        cast = UnrealizedConversionCastOp.get([new_arg], [old_type])
        if block.first_op is not None:
            block.insert_op_before(cast, block.first_op)
        else:
            block.add_op(cast)
        for use in uses:
            use.operation.operands[use.index] = cast.results[0]


def signless(typ: Attribute) -> Attribute:
    return convert_type(typ)


def llvm_func_type(inputs: Sequence[Attribute], outputs: Sequence[Attribute]) -> llvm.LLVMFunctionType:
    if len(outputs) > 1:
        raise LLVMLoweringError("functions with more than one result are not supported")
    out = outputs[0] if outputs else llvm.LLVMVoidType()
    return llvm.LLVMFunctionType(list(inputs), out)


def ensure_func_decl(
    module_block: Block, name: str, inputs: Sequence[Attribute], output: Attribute | None
) -> None:
    """Declare external ``llvm.func @name`` once per module.

    An entry function (``mlopt.entry``) already called ``name`` is renamed
    ``<name>_mlopt`` (its old name kept in ``mlopt.original_name``) so that it
    does not shadow the C function.
    """
    from xdsl.dialects import func
    from xdsl.dialects.builtin import StringAttr

    for op in module_block.ops:
        sym = getattr(op, "sym_name", None)
        if not isinstance(sym, StringAttr) or sym.data != name:
            continue
        if isinstance(op, llvm.FuncOp) and not op.body.blocks:
            return
        if isinstance(op, func.FuncOp | llvm.FuncOp) and "mlopt.entry" in op.attributes:
            op.attributes["mlopt.original_name"] = sym
            op.sym_name = StringAttr(name + "_mlopt")  # type: ignore[misc]
            break
        raise LLVMLoweringError(
            f"the symbol @{name} is needed for the C function '{name}' the lowered code calls"
        )
    ftype = llvm.LLVMFunctionType(list(inputs), output or llvm.LLVMVoidType())
    decl = llvm.FuncOp(name, ftype, linkage=llvm.LinkageAttr("external"))
    module_block.add_op(decl)


def module_block_of(op: Operation) -> Block:
    top = op
    while top.parent_op() is not None:
        top = top.parent_op()  # type: ignore[assignment]
    return top.regions[0].block

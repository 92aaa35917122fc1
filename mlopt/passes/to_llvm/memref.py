"""`convert-memref-to-llvm`: static, identity-layout memrefs -> bare ``!llvm.ptr``.

* ``memref.load``/``store`` -> ``llvm.getelementptr inbounds`` on the row-major
  linearised index (``nsw`` index math) + ``llvm.load``/``store``;
* ``memref.alloc``/``dealloc`` -> ``aligned_alloc(64, size)``/``free`` (so each
  call of the compiled function has its own temporaries: reentrant);
* ``memref.alloca`` -> ``llvm.alloca`` hoisted to the function entry block;
* ``memref.global`` constant with ``initial_value`` -> ``llvm.mlir.global
  external constant`` keeping the data as its ``value`` (mlopt's LLVM backend
  does not print it into LLVM IR: it binds the symbol to the data at load
  time); a mutable global -> a zero-initialised internal global;
* ``memref.get_global`` -> ``llvm.mlir.addressof``;
* ``memref.collapse_shape``/``expand_shape``/``cast`` -> the same pointer;
* ``memref.copy`` -> ``llvm.memcpy`` intrinsic; ``memref.dim`` -> constant.

Dynamic shapes and non-identity layouts are rejected with a clear error.
"""

from __future__ import annotations

import math as pymath
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, func, llvm, memref
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    MemRefType,
    UnitAttr,
    UnrealizedConversionCastOp,
    i1,
    i64,
)
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern
from xdsl.rewriter import InsertPoint

from mlopt.passes.to_llvm.arith import intrinsic
from mlopt.passes.to_llvm.common import (
    PTR,
    LLVMLoweringError,
    check_memref,
    convert_type,
    describe,
    element_size,
    ensure_func_decl,
    module_block_of,
    replace_with_llvm,
    row_major_strides,
    to_llvm_operands,
)

ALIGNMENT = 64
_NSW = IntegerAttr(llvm.OverflowAttr((llvm.OverflowFlag.NO_SIGNED_WRAP,)).to_int(), 32)


def _memref_type(value: SSAValue, op: Operation) -> MemRefType:
    typ = value.type
    if not isinstance(typ, MemRefType):
        raise LLVMLoweringError(f"expected a memref operand at {describe(op)}")
    check_memref(typ, op)
    return typ


def _const(value: int, ops: list[Operation]) -> SSAValue:
    c = llvm.ConstantOp(IntegerAttr(value, i64), i64)
    ops.append(c)
    return c.result


class _StridePool:
    """i64 constants shared by a function, defined at its entry block."""

    def __init__(self) -> None:
        self._values: dict[tuple[int, int], SSAValue] = {}

    def get(self, anchor: Operation, value: int, ops: list[Operation]) -> SSAValue:
        try:
            entry = _entry_block(anchor)
        except LLVMLoweringError:
            return _const(value, ops)
        key = (id(entry), value)
        found = self._values.get(key)
        if found is None or found.owner.parent_block() is not entry:  # type: ignore[union-attr]
            c = llvm.ConstantOp(IntegerAttr(value, i64), i64)
            if entry.first_op is None:
                entry.add_op(c)
            else:
                entry.insert_op_before(c, entry.first_op)
            found = c.result
            self._values[key] = found
        return found


def element_pointer(
    base: SSAValue,
    typ: MemRefType,
    indices: list[SSAValue],
    ops: list[Operation],
    pool: _StridePool | None = None,
    anchor: Operation | None = None,
) -> SSAValue:
    """Address of ``base[indices]`` in a row-major buffer of type ``typ``."""
    if not indices:
        return base
    strides = row_major_strides(typ.get_shape())
    linear: SSAValue | None = None
    for idx, stride in zip(indices, strides):
        term = idx
        if stride != 1:
            if pool is not None and anchor is not None:
                c = pool.get(anchor, stride, ops)
            else:
                c = _const(stride, ops)
            mul = llvm.MulOp(idx, c, overflow=_NSW)
            ops.append(mul)
            term = mul.res
        if linear is None:
            linear = term
        else:
            add = llvm.AddOp(linear, term, overflow=_NSW)
            ops.append(add)
            linear = add.res
    assert linear is not None
    gep = llvm.GEPOp.from_mixed_indices(
        base, [linear], pointee_type=convert_type(typ.element_type), inbounds=True
    )
    ops.append(gep)
    return gep.result


def _entry_block(op: Operation) -> Block:
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, func.FuncOp | llvm.FuncOp):
        parent = parent.parent_op()
    if parent is None:
        raise LLVMLoweringError(f"{describe(op)} outside a function")
    return parent.regions[0].blocks[0]


MAX_STACK_BYTES = 64 * 1024
"""A larger ``memref.alloca`` is heap-allocated at function entry and freed at
every return, so big scratch buffers cannot overflow a thread's stack."""


def _heap_buffer_for_function(
    op: Operation, typ: MemRefType, entry: Block, rewriter: PatternRewriter
) -> SSAValue:
    module_block = module_block_of(op)
    ensure_func_decl(module_block, "aligned_alloc", [i64, i64], PTR)
    ensure_func_decl(module_block, "free", [PTR], None)
    size = -(-_byte_size(typ) // ALIGNMENT) * ALIGNMENT
    ops: list[Operation] = []
    call = llvm.CallOp("aligned_alloc", _const(ALIGNMENT, ops), _const(size, ops), return_type=PTR)
    ops.append(call)
    if entry.first_op is None:
        entry.add_ops(ops)
    else:
        rewriter.insert(ops, InsertPoint.before(entry.first_op))
    buffer = call.returned
    assert buffer is not None
    region = entry.parent
    assert region is not None
    for block in region.blocks:
        term = block.last_op
        if isinstance(term, func.ReturnOp | llvm.ReturnOp):
            rewriter.insert(llvm.CallOp("free", buffer), InsertPoint.before(term))
    return buffer


def _byte_size(typ: MemRefType) -> int:
    return pymath.prod(typ.get_shape()) * element_size(typ.element_type)


class MemRefToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}
        self.pool = _StridePool()

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        if op.dialect_name() != "memref":
            return
        ops: list[Operation] = []
        match op:
            case memref.LoadOp():
                typ = _memref_type(op.memref, op)
                base, *idx = to_llvm_operands(rewriter, op, [op.memref, *op.indices], self.cache)
                ptr = element_pointer(base, typ, idx, ops, self.pool, op)
                load = llvm.LoadOp(ptr, convert_type(op.res.type))
                ops.append(load)
                replace_with_llvm(rewriter, op, ops, [load.dereferenced_value])
            case memref.StoreOp():
                typ = _memref_type(op.memref, op)
                value, base, *idx = to_llvm_operands(
                    rewriter, op, [op.value, op.memref, *op.indices], self.cache
                )
                ptr = element_pointer(base, typ, idx, ops, self.pool, op)
                ops.append(llvm.StoreOp(value, ptr))
                rewriter.replace(op, ops, [])
            case memref.AllocOp():
                typ = _memref_type(op.memref, op)
                if op.dynamic_sizes or op.symbol_operands:
                    raise LLVMLoweringError(f"dynamic allocation at {describe(op)}")
                size = max(ALIGNMENT, -(-_byte_size(typ) // ALIGNMENT) * ALIGNMENT)
                ensure_func_decl(module_block_of(op), "aligned_alloc", [i64, i64], PTR)
                call = llvm.CallOp(
                    "aligned_alloc", _const(ALIGNMENT, ops), _const(size, ops), return_type=PTR
                )
                ops.append(call)
                assert call.returned is not None
                replace_with_llvm(rewriter, op, ops, [call.returned])
            case memref.DeallocOp():
                (ptr,) = to_llvm_operands(rewriter, op, [op.memref], self.cache)
                ensure_func_decl(module_block_of(op), "free", [PTR], None)
                rewriter.replace(op, [llvm.CallOp("free", ptr)], [])
            case memref.AllocaOp():
                typ = _memref_type(op.memref, op)
                if op.dynamic_sizes or op.symbol_operands:
                    raise LLVMLoweringError(f"dynamic allocation at {describe(op)}")
                entry = _entry_block(op)
                if _byte_size(typ) > MAX_STACK_BYTES:
                    buffer = _heap_buffer_for_function(op, typ, entry, rewriter)
                    replace_with_llvm(rewriter, op, [], [buffer])
                    return
                n = llvm.ConstantOp(IntegerAttr(max(1, pymath.prod(typ.get_shape())), i64), i64)
                alloca = llvm.AllocaOp(n, convert_type(typ.element_type), alignment=ALIGNMENT)
                anchor = entry.first_op
                if anchor is None:
                    entry.add_ops([n, alloca])
                else:
                    rewriter.insert([n, alloca], InsertPoint.before(anchor))
                replace_with_llvm(rewriter, op, [], [alloca.res])
            case memref.GetGlobalOp():
                _memref_type(op.memref, op)
                addr = llvm.AddressOfOp(op.name_.root_reference, PTR)
                replace_with_llvm(rewriter, op, [addr], [addr.result])
            case memref.GlobalOp():
                typ = op.type
                assert isinstance(typ, MemRefType)
                check_memref(typ, op)
                n = max(1, pymath.prod(typ.get_shape()))
                arr = llvm.LLVMArrayType(builtin.IntAttr(n), convert_type(typ.element_type))
                init = op.initial_value
                if isinstance(init, DenseIntOrFPElementsAttr):
                    if op.constant is None:
                        raise LLVMLoweringError(
                            f"mutable initialised memref.global @{op.sym_name.data} "
                            "is not supported"
                        )
                    new = llvm.GlobalOp(
                        arr, op.sym_name, "external", constant=True, value=init,
                        alignment=ALIGNMENT,
                    )
                elif init is None or isinstance(init, UnitAttr):
                    new = llvm.GlobalOp(arr, op.sym_name, "internal", alignment=ALIGNMENT)
                else:
                    raise LLVMLoweringError(
                        f"memref.global @{op.sym_name.data}: unsupported initial value "
                        f"{type(init).__name__}"
                    )
                rewriter.replace(op, [new], [])
            case memref.CollapseShapeOp() | memref.ExpandShapeOp() | memref.CastOp():
                _memref_type(op.results[0], op)
                (src,) = to_llvm_operands(rewriter, op, [op.operands[0]], self.cache)
                cast = UnrealizedConversionCastOp.get([src], [op.results[0].type])
                rewriter.replace(op, [cast], cast.results)
            case memref.CopyOp():
                styp = _memref_type(op.source, op)
                dtyp = _memref_type(op.destination, op)
                if _byte_size(styp) != _byte_size(dtyp):
                    raise LLVMLoweringError(f"memref.copy between different sizes at {describe(op)}")
                src, dst = to_llvm_operands(rewriter, op, [op.source, op.destination], self.cache)
                size = _const(_byte_size(styp), ops)
                false = llvm.ConstantOp(IntegerAttr(0, i1), i1)
                ops.append(false)
                ops.append(intrinsic("llvm.memcpy.p0.p0.i64", [dst, src, size, false.result], None))
                rewriter.replace(op, ops, [])
            case memref.DimOp():
                typ = _memref_type(op.source, op)
                index_owner = op.index.owner
                from xdsl.dialects import arith

                if not (isinstance(index_owner, arith.ConstantOp) and isinstance(index_owner.value, IntegerAttr)):
                    raise LLVMLoweringError(f"memref.dim with a non-constant index at {describe(op)}")
                dim = typ.get_shape()[index_owner.value.value.data]
                c = llvm.ConstantOp(IntegerAttr(dim, i64), i64)
                replace_with_llvm(rewriter, op, [c], [c.result])
            case _:
                raise LLVMLoweringError(f"convert-memref-to-llvm: unsupported op {describe(op)}")


@dataclass(frozen=True)
class ConvertMemRefToLLVMPass(ModulePass):
    """memref.* -> llvm.* over bare pointers (static shapes, identity layout)."""

    name = "convert-memref-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(MemRefToLLVMPattern(), apply_recursively=False).rewrite_module(op)

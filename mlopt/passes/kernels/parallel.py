"""`outline-parallel-loops`: run marked ``affine.for`` loops on the thread pool.

Accepts the affine level.  An ``affine.for`` with constant bounds, no
``iter_args`` and the attribute ``mlopt.parallel = T : i64`` (set by
`linalg-contraction-to-vector{threads=T}` on a kernel's outermost loop, whose
iterations write disjoint outputs) becomes

* a private function ``@<func>_par<k>(%ctx: !llvm.ptr, %lo: i64, %hi: i64)``
  running iterations ``lo..hi`` of the loop; the values the body uses from
  outside (buffers, indices) are read from the context, constants are cloned;
  loops whose outlined bodies are structurally equal (the same nest on other
  buffers) share one function;
* at the loop's place: the captured values stored into a stack context
  (``llvm.alloca`` in the entry block) and
  ``llvm.call @mlopt_parallel_for(@<func>_par<k>, %ctx, n, T)``
  (``mlopt/backends/llvm/threads.py``: the runtime's worker pool).

Buffers and indices cross the boundary as ``i64`` context slots (pointers
through ``llvm.ptrtoint``/``inttoptr``) and ``builtin.unrealized_conversion_cast``,
which the llvm lowering reconciles.
A marked loop that captures anything else loses the mark and stays serial.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import affine, arith, func, llvm
from xdsl.dialects.builtin import (
    AffineMapAttr,
    FunctionType,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    UnrealizedConversionCastOp,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass

from mlopt.passes.to_llvm.common import ensure_func_decl

ATTR = "mlopt.parallel"
POOL_ENTRY = "mlopt_parallel_for"
_PTR = llvm.LLVMPointerType()


def _constant_bound(m: AffineMap) -> int | None:
    if m.num_dims or m.num_symbols or len(m.results) != 1:
        return None
    e = m.results[0]
    return e.value if isinstance(e, AffineConstantExpr) else None


def _captures(loop: affine.ForOp) -> tuple[list[SSAValue], list[Operation]] | None:
    """(values read from outside, constant ops to clone), or None if a value
    cannot cross (not a static memref, an index or a constant)."""
    values: list[SSAValue] = []
    consts: list[Operation] = []
    seen: set[SSAValue] = set()
    for inner in loop.body.walk():
        for v in inner.operands:
            if v in seen or loop.is_ancestor(v.owner):
                continue
            seen.add(v)
            owner = v.owner
            if isinstance(owner, arith.ConstantOp):
                consts.append(owner)
            elif isinstance(v.type, MemRefType) or isinstance(v.type, IndexType):
                values.append(v)
            else:
                return None
    return values, consts


def _cast(v: SSAValue, typ, ops: list[Operation]) -> SSAValue:
    cast = UnrealizedConversionCastOp.get([v], [typ])
    ops.append(cast)
    return cast.results[0]


def _same_body(seen: dict[int, list[func.FuncOp]], outlined: func.FuncOp) -> func.FuncOp | None:
    """An outlined function already made with the same body (nests of the same
    shape on different buffers: every ResNet block of one stage), or None."""
    size = sum(1 for _ in outlined.walk())
    for other in seen.get(size, ()):
        if other.body.is_structurally_equivalent(outlined.body):
            return other
    seen.setdefault(size, []).append(outlined)
    return None


def _outline(
    loop: affine.ForOp, fn: func.FuncOp, name: str, module: ModuleOp, seen: dict[int, list[func.FuncOp]]
) -> bool | str:
    """Outline ``loop``; False when it cannot be, else the name of the function
    it calls (``name``, or an identical function outlined before)."""
    lb = _constant_bound(loop.lowerBoundMap.data)
    ub = _constant_bound(loop.upperBoundMap.data)
    step = loop.step.value.data
    attr = loop.attributes.get(ATTR)
    if lb != 0 or ub is None or loop.inits or not isinstance(attr, IntegerAttr):
        return False
    threads = attr.value.data
    n_iters = -(-ub // step)
    cap = _captures(loop)
    if cap is None or n_iters < 2:
        return False
    values, consts = cap

    # the outlined function
    body = Block(arg_types=(_PTR, i64, i64))
    ctx, lo, hi = body.args
    mapping: dict[SSAValue, SSAValue] = {}
    ops: list[Operation] = []
    for k, v in enumerate(values):
        slot = llvm.GEPOp.from_mixed_indices(ctx, [k], pointee_type=i64)
        load = llvm.LoadOp(slot, i64)
        ops += [slot, load]
        x = load.dereferenced_value
        if isinstance(v.type, MemRefType):
            to_ptr = llvm.IntToPtrOp(x)
            ops.append(to_ptr)
            x = to_ptr.results[0]
        mapping[v] = _cast(x, v.type, ops)
    for c in consts:
        clone = c.clone()
        ops.append(clone)
        mapping[c.results[0]] = clone.results[0]
    lo_i, hi_i = _cast(lo, IndexType(), ops), _cast(hi, IndexType(), ops)
    ident = AffineMapAttr(AffineMap(1, 0, (AffineExpr.dimension(0),)))
    inner = Block(arg_types=(IndexType(),))
    new_loop = affine.ForOp.from_region([lo_i], [hi_i], (), (), ident, ident, Region(inner))
    iv = affine.ApplyOp([inner.args[0]], AffineMapAttr(AffineMap(1, 0, (AffineExpr.dimension(0) * step,))))
    inner.add_op(iv)
    mapping[loop.body.block.args[0]] = iv.results[0]
    for op in loop.body.block.ops:
        inner.add_op(op.clone(value_mapper=mapping))
    ops += [new_loop, func.ReturnOp()]
    body.add_ops(ops)
    outlined = func.FuncOp(name, FunctionType.from_lists([_PTR, i64, i64], []), Region(body), visibility="private")
    twin = _same_body(seen, outlined)
    if twin is None:
        module.body.block.insert_op_before(outlined, fn)
    else:
        outlined.erase()
        name = twin.sym_name.data

    # the call site
    entry = fn.body.blocks[0]
    count = llvm.ConstantOp(IntegerAttr(max(1, len(values)), i64), i64)
    alloca = llvm.AllocaOp(count, i64, alignment=8)
    entry.insert_ops_before([count, alloca], entry.first_op)  # type: ignore[arg-type]
    site: list[Operation] = []
    for k, v in enumerate(values):
        if isinstance(v.type, MemRefType):
            to_int = llvm.PtrToIntOp(_cast(v, _PTR, site), i64)
            site.append(to_int)
            x = to_int.results[0]
        else:
            x = _cast(v, i64, site)
        slot = llvm.GEPOp.from_mixed_indices(alloca.res, [k], pointee_type=i64)
        site += [slot, llvm.StoreOp(x, slot)]
    addr = llvm.AddressOfOp(name, _PTR)
    n = llvm.ConstantOp(IntegerAttr(n_iters, i64), i64)
    t = llvm.ConstantOp(IntegerAttr(threads, i64), i64)
    call = llvm.CallOp(POOL_ENTRY, addr, alloca.res, n, t)
    site += [addr, n, t, call]
    parent = loop.parent_block()
    assert parent is not None
    parent.insert_ops_before(site, loop)
    loop.detach()
    loop.erase()
    return name


@dataclass(frozen=True)
class OutlineParallelLoopsPass(ModulePass):
    """Loops marked ``mlopt.parallel`` -> outlined bodies run by ``mlopt_parallel_for``."""

    name = "outline-parallel-loops"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        used = False
        seen: dict[int, list[func.FuncOp]] = {}
        for fn in [f for f in op.body.block.ops if isinstance(f, func.FuncOp)]:
            k = 0
            for loop in [x for x in fn.walk() if isinstance(x, affine.ForOp) and ATTR in x.attributes]:
                name = f"{fn.sym_name.data}_par{k}"
                called = _outline(loop, fn, name, op, seen)
                if called is False:
                    del loop.attributes[ATTR]
                    continue
                used = True
                if called == name:
                    k += 1
        if used:
            ensure_func_decl(op.body.block, POOL_ENTRY, [_PTR, _PTR, i64, i64], None)

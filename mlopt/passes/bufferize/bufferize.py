"""`bufferize`: tensors to memrefs (contract level B to level C).

Accepts a module at the tensor level (contract B: static shapes, linalg on
tensors, ``tensor.*`` slices/reshapes/extract, dense ``arith.constant``s) and
produces the memref level (contract C):

* every function's tensor arguments become memrefs that are never written; its
  tensor results become trailing out-param memrefs, and the function returns
  nothing.  A returned buffer that was freshly allocated is replaced by the
  out-param itself (the producer writes there directly), else it is copied;
  public functions get ``mlopt.entry`` and ``mlopt.num_inputs``;
* dense tensor constants become private constant ``memref.global``s read by
  ``memref.get_global``;
* ``tensor.empty`` becomes ``memref.alloc``; linalg ops run on memrefs in
  destination-passing style, writing into their ``outs`` init buffer when that
  is legal (writable, no later use of it or of any alias, no conflicting
  read in the same op) and into a new buffer otherwise (copying the init only
  when the body reads it);
* ``tensor.extract_slice``/``insert_slice`` become explicit ``affine.for`` copy
  loops (a full-size extract_slice is just the source buffer; insert_slice
  writes into its destination's buffer when that is legal, else into a copy),
  ``collapse_shape``/``expand_shape`` become their memref views, and
  ``tensor.extract`` (also inside linalg bodies) becomes ``memref.load``;
  slice offsets may be dynamic (index values, e.g. a loop's induction
  variable or an ``affine.apply`` of it): they are extra dimensions of the
  copy loops' access maps (not bounds-checked: the producer guarantees them);
* ``scf.for`` with constant bounds and tensor ``iter_args`` becomes an
  ``affine.for`` without ``iter_args``: each iter_arg lives in one buffer for
  the whole loop, which is also the buffer of the loop's result (the init's
  own buffer when the loop may overwrite it, else a new one the init is
  copied into unless it is a ``tensor.empty``); the body is bufferized like a
  function body in which only values of the body and the iter_args' buffers
  may be written in place (values from above are read-only: the next
  iteration reads them again), a yielded value not already in its iter_arg's
  buffer is copied there before the yield (through a temporary when it is in
  another iter_arg's buffer), and the body's temporaries get
  their own allocation plan, then are allocated once before the loop;
* finally an allocation plan reuses dead buffers, places deallocations after
  the last use and records the peak bytes of temporaries as the module
  attribute ``mlopt.peak_temp_bytes`` (also printed to stderr with
  ``report=true``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import affine, arith, func, memref, scf, tensor
from xdsl.dialects.linalg.abstract_ops import LinalgStructuredOperation
from xdsl.dialects.linalg.ops import FillOp, GenericOp
from xdsl.dialects.builtin import (
    AffineMapAttr,
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    IndexType,
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    ShapedType,
    StringAttr,
    TensorType,
    UnitAttr,
    UnrankedMemRefType,
    UnrankedTensorType,
    i64,
)
from xdsl.dialects.tensor import DYNAMIC_INDEX
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue
from xdsl.ir.affine import AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from mlopt.passes.bufferize.alloc_plan import ancestor_in, plan_allocations, plan_block
from mlopt.passes.bufferize.buffers import (
    element_bytes,
    make_collapse,
    make_expand,
    memref_of,
)
from mlopt.passes.bufferize.errors import LoweringError
from mlopt.passes.linalg_to_affine.loops import build_loop_nest
from mlopt.passes.node_names import NODES_ATTR, copy_nodes, copy_nodes_between


def _is_tensor(v: SSAValue) -> bool:
    return isinstance(v.type, TensorType)


def _touches_tensors(op: Operation) -> bool:
    return any(_is_tensor(v) for v in (*op.operands, *op.results))


def _check_types(op: Operation) -> None:
    """Reject dynamic shapes and element types without a buffer layout."""
    for v in (*op.operands, *op.results):
        t = v.type
        if isinstance(t, UnrankedTensorType | UnrankedMemRefType):
            raise LoweringError(op, f"has an unranked type ({t}); bufferize needs static shapes")
        if isinstance(t, ShapedType) and not isinstance(t, TensorType | MemRefType):
            raise LoweringError(op, f"has unsupported shaped type {t}")
        if isinstance(t, TensorType | MemRefType):
            if any(d < 0 for d in t.get_shape()):
                raise LoweringError(
                    op, f"has a dynamic shape ({t}); bufferize needs static shapes"
                )
            if element_bytes(t.get_element_type()) is None:
                raise LoweringError(
                    op, f"has unsupported element type {t.get_element_type()}"
                )


class _Root:
    """One underlying buffer and the tensors whose value lives in it."""

    __slots__ = ("writable", "tensors")

    def __init__(self, writable: bool):
        self.writable = writable
        self.tensors: list[SSAValue] = []


class _Globals:
    """Creates (and shares) the ``memref.global`` for each dense constant."""

    def __init__(self, module: ModuleOp):
        self.module = module
        self.taken = {
            op.sym_name.data
            for op in module.body.block.ops
            if isinstance(getattr(op, "sym_name", None), StringAttr)
        }
        self.by_value: dict[DenseIntOrFPElementsAttr, str] = {}
        self.counter = 0

    def symbol_for(self, value: DenseIntOrFPElementsAttr, mtype: MemRefType) -> str:
        if value in self.by_value:
            return self.by_value[value]
        while f"__constant_{self.counter}" in self.taken:
            self.counter += 1
        name = f"__constant_{self.counter}"
        self.taken.add(name)
        glob = memref.GlobalOp.get(
            StringAttr(name), mtype, value, StringAttr("private"), UnitAttr()
        )
        block = self.module.body.block
        if block.first_op is None:
            block.add_op(glob)
        else:
            block.insert_op_before(glob, block.first_op)
        self.by_value[value] = name
        return name


class _FuncBufferizer:
    def __init__(self, fn: func.FuncOp, globals_: _Globals, entry: bool):
        self.fn = fn
        self.globals = globals_
        self.entry = entry
        self.block = fn.body.block
        self.buf: dict[SSAValue, SSAValue] = {}
        self.root: dict[SSAValue, _Root] = {}
        self.last_use: dict[SSAValue, int] = {}
        self.replaced: dict[SSAValue, SSAValue] = {}
        # inside a loop body: the roots that may be written (the body's own
        # buffers and the iter_args'); None at the function level (all)
        self.local_roots: set[int] | None = None

    # -- bookkeeping -------------------------------------------------------
    def _top(self, op: Operation) -> Operation:
        while op.parent_op() is not self.fn:
            parent = op.parent_op()
            assert parent is not None
            op = parent
        return op

    def _bind(self, t: SSAValue, m: SSAValue, root: _Root) -> None:
        self.buf[t] = m
        self.root.setdefault(m, root)
        root.tensors.append(t)

    def _mem(self, t: SSAValue) -> SSAValue:
        return self.buf[t]

    def _insert(self, new: Operation, before: Operation) -> Operation:
        block = before.parent_block()
        assert block is not None
        block.insert_op_before(new, before)
        if NODES_ATTR not in new.attributes:
            copy_nodes(before, new)  # the ONNX nodes it implements (profiling)
        return new

    def _new_root(self) -> _Root:
        """The root of a new writable buffer of the current scope."""
        root = _Root(writable=True)
        if self.local_roots is not None:
            self.local_roots.add(id(root))
        return root

    def _alloc(self, t: TensorType, before: Operation) -> SSAValue:
        alloc = self._insert(memref.AllocOp([], [], memref_of(t)), before)
        return alloc.results[0]

    def _in_place_ok(
        self,
        init: SSAValue,
        pos: int,
        reads: list[tuple[SSAValue, bool]],
        claimed: set[int],
    ) -> bool:
        """Whether the op at ``pos`` may overwrite the buffer of tensor ``init``.

        ``reads`` are the other tensors the op reads, each with whether reading
        it from the same buffer is harmless (same element read then written).
        """
        m = self.buf[init]
        root = self.root[m]
        if not root.writable or id(root) in claimed:
            return False
        if self.local_roots is not None and id(root) not in self.local_roots:
            return False
        if any(self.last_use.get(u, -1) > pos for u in root.tensors):
            return False
        for v, same_access in reads:
            vm = self.buf[v]
            if self.root[vm] is root and not (same_access and vm is m):
                return False
        return True

    # -- driver ------------------------------------------------------------
    def run(self) -> int:
        fn, block = self.fn, self.block
        # Tensor ops whose results are unused are dead (level B is pure).
        for op in reversed(list(block.ops)):
            if (
                op.results
                and _touches_tensors(op)
                and not any(r.uses for r in op.results)
                and not isinstance(op, func.CallOp)
            ):
                Rewriter.erase_op(op)
        ops = list(block.ops)
        for op in ops:
            for inner in op.walk():
                _check_types(inner)
        pos = {op: i for i, op in enumerate(ops)}
        values: list[SSAValue] = [*block.args]
        for op in ops:
            values.extend(op.results)
        for v in values:
            if _is_tensor(v):
                self.last_use[v] = max(
                    (pos[self._top(use.operation)] for use in v.uses), default=-1
                )

        ret = ops[-1] if ops else None
        if not isinstance(ret, func.ReturnOp):
            raise LoweringError(fn, "has no func.return terminator")
        for r in ret.arguments:
            if not _is_tensor(r):
                raise LoweringError(
                    ret, f"returns a non-tensor value of type {r.type}; only tensors "
                    "can be returned through out-params"
                )

        # Arguments: tensor args become read-only memref args.
        old_args = list(block.args)
        for arg in old_args:
            if _is_tensor(arg):
                new = block.insert_arg(memref_of(arg.type), arg.index + 1)
                self._bind(arg, new, _Root(writable=False))
        out_params = [
            block.insert_arg(memref_of(r.type), len(block.args)) for r in ret.arguments
        ]

        for i, op in enumerate(ops[:-1]):
            self._convert(op, i)

        self._write_results(ret, out_params)

        # Drop the tensor ops (users first) and the old tensor arguments.
        for op in reversed(ops[:-1]):
            if _touches_tensors(op):
                Rewriter.erase_op(op)
        for arg in old_args:
            if _is_tensor(arg):
                block.erase_arg(arg)
        num_inputs = len(block.args) - len(out_params)

        arg_attrs = fn.arg_attrs
        if arg_attrs is not None or fn.res_attrs is not None:
            ins = list(arg_attrs.data) if arg_attrs is not None else []
            ins += [DictionaryAttr({})] * (num_inputs - len(ins))
            outs = list(fn.res_attrs.data) if fn.res_attrs is not None else []
            outs += [DictionaryAttr({})] * (len(out_params) - len(outs))
            fn.arg_attrs = ArrayAttr(ins + outs)
            fn.res_attrs = None
        fn.update_function_type()
        if self.entry:
            fn.attributes["mlopt.entry"] = UnitAttr()
            fn.attributes["mlopt.num_inputs"] = IntegerAttr(num_inputs, i64)
        return plan_allocations(fn)

    # -- results -----------------------------------------------------------
    def _write_results(self, ret: func.ReturnOp, out_params: list[BlockArgument]) -> None:
        used_allocs: set[Operation] = set()
        for r, out in zip(ret.arguments, out_params, strict=True):
            m = self.buf[r]
            if self._redirect_to_out(m, out, used_allocs):
                continue
            self._insert(memref.CopyOp(self.replaced.get(m, m), out), ret)
        self._insert(func.ReturnOp(), ret)
        Rewriter.erase_op(ret)

    def _redirect_to_out(self, m: SSAValue, out: SSAValue, used: set[Operation]) -> bool:
        """Make the allocation behind ``m`` be the out-param ``out`` itself.

        ``m`` is an allocation or a chain of collapse/expand views of one; the
        allocation is replaced by the matching inverse view of ``out``.
        """
        chain: list[Operation] = []
        v = m
        while True:
            owner = v.owner
            if isinstance(owner, memref.AllocOp):
                break
            if isinstance(owner, memref.CollapseShapeOp | memref.ExpandShapeOp):
                chain.append(owner)
                v = owner.src
                continue
            return False
        alloc = owner
        if alloc in used:
            return False
        used.add(alloc)
        target: SSAValue = out
        anchor = self.block.first_op
        assert anchor is not None
        for view in chain:
            src_type = view.src.type
            assert isinstance(src_type, MemRefType)
            if isinstance(view, memref.CollapseShapeOp):
                inv = make_expand(target, view.reassociation, src_type)
            else:
                inv = make_collapse(target, view.reassociation, src_type)
            self._insert(inv, anchor)
            target = inv.results[0]
        self.replaced[alloc.results[0]] = target
        alloc.results[0].replace_all_uses_with(target)
        Rewriter.erase_op(alloc)
        return True

    # -- ops ---------------------------------------------------------------
    def _convert(self, op: Operation, pos: int) -> None:
        if isinstance(op, scf.ForOp) and not _touches_tensors(op):
            self._check_no_tensors_inside(op)
            return
        if isinstance(op, LinalgStructuredOperation):
            if _touches_tensors(op):
                self._linalg(op, pos)
            return
        if not _touches_tensors(op):
            return
        if isinstance(op, arith.ConstantOp):
            self._constant(op)
        elif isinstance(op, tensor.EmptyOp):
            self._bind(op.tensor, self._alloc(op.tensor.type, op), self._new_root())
        elif isinstance(op, tensor.ExtractOp):
            load = self._insert(
                memref.LoadOp.get(self._mem(op.tensor), list(op.indices)), op
            )
            op.result.replace_all_uses_with(load.results[0])
        elif isinstance(op, tensor.CollapseShapeOp | tensor.ExpandShapeOp):
            src = self._mem(op.src)
            res_type = memref_of(op.result.type)
            if isinstance(op, tensor.CollapseShapeOp):
                view = make_collapse(src, op.reassociation, res_type)
            else:
                view = make_expand(src, op.reassociation, res_type)
            self._insert(view, op)
            self._bind(op.result, view.results[0], self.root[src])
        elif isinstance(op, tensor.ExtractSliceOp):
            self._extract_slice(op)
        elif isinstance(op, tensor.InsertSliceOp):
            self._insert_slice(op, pos)
        elif isinstance(op, scf.ForOp):
            self._for(op, pos)
        else:
            raise LoweringError(op, "is not supported by bufferize on tensors")

    def _constant(self, op: arith.ConstantOp) -> None:
        value = op.value
        t = op.result.type
        assert isinstance(t, TensorType)
        if not isinstance(value, DenseIntOrFPElementsAttr):
            raise LoweringError(
                op, f"has a tensor value bufferize cannot place in a global ({value.name})"
            )
        mtype = memref_of(t)
        name = self.globals.symbol_for(value, mtype)
        get = self._insert(memref.GetGlobalOp(name, mtype), op)
        self._bind(op.result, get.results[0], _Root(writable=False))

    def _linalg(self, op: LinalgStructuredOperation, pos: int) -> None:
        for v in op.operands:
            if isinstance(v.type, MemRefType):
                raise LoweringError(op, "mixes tensor and memref operands")
        maps = [m.data for m in op.get_indexing_maps()]
        n_in = len(op.inputs)
        body = op.body.block
        extracted = [
            inner.tensor
            for inner in op.body.walk()
            if isinstance(inner, tensor.ExtractOp)
        ]
        claimed: set[int] = set()
        outs: list[SSAValue] = []
        for i, (init, res) in enumerate(zip(op.outputs, op.res, strict=True)):
            out_map = maps[n_in + i]
            reads = [
                (v, maps[j] == out_map)
                for j, v in enumerate(op.inputs)
                if _is_tensor(v)
            ] + [(t, False) for t in extracted]
            donor = None
            if not body.args[n_in + i].uses:
                # The init's content is not needed: prefer writing over an
                # input that dies here and is read element-for-element like
                # the output (the init, often a fresh tensor.empty, then needs
                # no buffer at all).
                donor = next(
                    (
                        v
                        for j, v in enumerate(op.inputs)
                        if _is_tensor(v)
                        and v.type == res.type
                        and maps[j] == out_map
                        and self._in_place_ok(v, pos, reads, claimed)
                    ),
                    None,
                )
            if donor is None and self._in_place_ok(init, pos, reads, claimed):
                donor = init
            if donor is not None:
                m = self.buf[donor]
                root = self.root[m]
            else:
                m = self._alloc(res.type, op)
                root = self._new_root()
                if body.args[n_in + i].uses:
                    self._insert(memref.CopyOp(self.buf[init], m), op)
            claimed.add(id(root))
            self._bind(res, m, root)
            outs.append(m)

        ins = [self.buf[v] if _is_tensor(v) else v for v in op.inputs]
        if isinstance(op, FillOp):
            new_op: Operation = FillOp(ins, outs, res=())
        else:
            region = op.body.clone()
            new_op = GenericOp(
                ins, outs, region, op.get_indexing_maps(), op.get_iterator_types()
            )
            for inner in list(region.walk()):
                if isinstance(inner, tensor.ExtractOp):
                    load = memref.LoadOp.get(self.buf[inner.tensor], list(inner.indices))
                    assert inner.parent is not None
                    inner.parent.insert_op_before(load, inner)
                    inner.result.replace_all_uses_with(load.results[0])
                    Rewriter.erase_op(inner)
        self._insert(new_op, op)

    @staticmethod
    def _slice_map(
        op: tensor.ExtractSliceOp | tensor.InsertSliceOp,
        full_type: TensorType,
        slice_type: TensorType,
    ) -> tuple[AffineMap, list[SSAValue]]:
        """Map from the loops over ``slice_type`` (then the dynamic offsets) to
        indices in the sliced tensor, and the dynamic offsets."""
        offsets = op.static_offsets.get_values()
        sizes = op.static_sizes.get_values()
        strides = op.static_strides.get_values()
        dyn = list(op.offsets)
        if (
            any(v < 0 for v in sizes)
            or op.sizes
            or op.strides
            or len(dyn) != sum(v == DYNAMIC_INDEX for v in offsets)
            or any(v < 0 and v != DYNAMIC_INDEX for v in offsets)
        ):
            raise LoweringError(op, "has dynamic sizes or strides")
        full = full_type.get_shape()
        if not (len(offsets) == len(sizes) == len(strides) == len(full)):
            raise LoweringError(op, f"has {len(offsets)} offsets for a rank-{len(full)} tensor")
        for d, (off, size, stride) in enumerate(zip(offsets, sizes, strides)):
            if off == DYNAMIC_INDEX:
                off = 0  # in bounds for some value at least
            if stride < 1 or (size > 0 and off + (size - 1) * stride >= full[d]):
                raise LoweringError(
                    op, f"slice [offset {off}, size {size}, stride {stride}] is out of "
                    f"bounds of dimension {d} (size {full[d]}) of {full_type}"
                )
        shape = slice_type.get_shape()
        exprs: list[AffineExpr] = []
        j = 0
        k = len(shape)  # the next dynamic offset's dimension
        for off, size, stride in zip(offsets, sizes, strides, strict=True):
            if off == DYNAMIC_INDEX:
                o: AffineExpr = AffineExpr.dimension(k)
                k += 1
            else:
                o = AffineExpr.constant(off)
            if j < len(shape) and size == shape[j]:
                exprs.append(AffineExpr.dimension(j) * stride + o)
                j += 1
            elif size == 1:
                exprs.append(o)
            else:
                raise LoweringError(op, f"has sizes {list(sizes)} that do not match {slice_type}")
        if j != len(shape) or len(exprs) != len(full_type.get_shape()):
            raise LoweringError(op, f"has sizes {list(sizes)} that do not match {slice_type}")
        return AffineMap(len(shape) + len(dyn), 0, tuple(exprs)), dyn

    def _extract_slice(self, op: tensor.ExtractSliceOp) -> None:
        src_t, res_t = op.source.type, op.result.type
        assert isinstance(src_t, TensorType) and isinstance(res_t, TensorType)
        src_map, dyn = self._slice_map(op, src_t, res_t)
        src = self._mem(op.source)
        if src_t == res_t and src_map == AffineMap.identity(len(res_t.get_shape())):
            self._bind(op.result, src, self.root[src])
            return
        dst = self._alloc(res_t, op)
        rank = len(res_t.get_shape())
        _copy_loops(src, src_map, dyn, dst, AffineMap.identity(rank), [], res_t.get_shape(), op)
        self._bind(op.result, dst, self._new_root())

    def _insert_slice(self, op: tensor.InsertSliceOp, pos: int) -> None:
        src_t, dest_t = op.source.type, op.dest.type
        assert isinstance(src_t, TensorType) and isinstance(dest_t, TensorType)
        dst_map, dyn = self._slice_map(op, dest_t, src_t)
        if self._in_place_ok(op.dest, pos, [(op.source, False)], set()):
            dst = self.buf[op.dest]
            root = self.root[dst]
        else:
            dst = self._alloc(dest_t, op)
            root = self._new_root()
            self._insert(memref.CopyOp(self.buf[op.dest], dst), op)
        rank = len(src_t.get_shape())
        _copy_loops(
            self.buf[op.source], AffineMap.identity(rank), [], dst, dst_map, dyn,
            src_t.get_shape(), op,
        )
        self._bind(op.result, dst, root)


    # -- loops -------------------------------------------------------------
    def _check_no_tensors_inside(self, op: Operation) -> None:
        for inner in op.walk():
            if inner is not op and _touches_tensors(inner):
                raise LoweringError(inner, "uses tensors inside a loop without tensor iter_args")

    def _for(self, op: scf.ForOp, pos: int) -> None:
        """An ``scf.for`` with tensor iter_args as an ``affine.for`` on buffers."""
        bounds = []
        for v in (op.lb, op.ub, op.step):
            owner = v.owner
            if not (
                isinstance(owner, arith.ConstantOp)
                and isinstance(owner.value, IntegerAttr)
            ):
                raise LoweringError(op, "has bounds that are not constants")
            bounds.append(owner.value.value.data)
        lb, ub, step = bounds
        if step < 1:
            raise LoweringError(op, f"has step {step}")
        body = op.body.block
        iv, *iargs = body.args
        inside = {id(o) for o in op.walk()}

        def defined_inside(v: SSAValue) -> bool:
            if isinstance(v, BlockArgument):
                return id(v.block.parent_op()) in inside
            return id(v.owner) in inside

        captured: list[SSAValue] = []
        for inner in op.walk():
            if inner is op:
                continue  # the inits: see ``others`` below
            for v in inner.operands:
                if _is_tensor(v) and not defined_inside(v) and v not in captured:
                    captured.append(v)
        reads = [(v, False) for v in captured]
        claimed: set[int] = set()
        bufs: list[SSAValue] = []
        for i, (init, arg, res) in enumerate(zip(op.iter_args, iargs, op.res, strict=True)):
            if not _is_tensor(init):
                raise LoweringError(op, f"has an iter_arg of type {init.type}; only tensors are supported")
            others = [(o, False) for j, o in enumerate(op.iter_args) if j != i]
            if self._in_place_ok(init, pos, reads + others, claimed):
                m = self.buf[init]
                root = self.root[m]
            else:
                m = self._alloc(init.type, op)
                root = self._new_root()
                if not isinstance(init.owner, tensor.EmptyOp):
                    self._insert(memref.CopyOp(self.buf[init], m), op)
            claimed.add(id(root))
            self._bind(arg, m, root)
            self._bind(res, m, root)
            bufs.append(m)

        # the body, as a scope of its own
        saved = (self.last_use, self.local_roots)
        self.last_use = {}
        self.local_roots = set(claimed)
        ops = list(body.ops)
        bpos = {o: k for k, o in enumerate(ops)}
        values: list[SSAValue] = [*iargs]
        for o in ops:
            values.extend(o.results)
        for v in values:
            if _is_tensor(v):
                self.last_use[v] = max(
                    (bpos[ancestor_in(use.operation, body)] for use in v.uses), default=-1
                )
        yld = ops[-1]
        assert isinstance(yld, scf.YieldOp)
        for k, o in enumerate(ops[:-1]):
            for inner in o.walk():
                _check_types(inner)
            self._convert(o, k)
        yielded = [self.buf[v] for v in yld.arguments]
        # a value in another iter_arg's buffer (which the copies below may
        # overwrite first) goes through a temporary
        for i, src in enumerate(yielded):
            if src is not bufs[i] and any(src is m for m in bufs):
                tmp = self._alloc(yld.arguments[i].type, yld)
                self._insert(memref.CopyOp(src, tmp), yld)
                yielded[i] = tmp
        for src, m in zip(yielded, bufs, strict=True):
            if src is not m:
                self._insert(memref.CopyOp(src, m), yld)
        self.last_use, self.local_roots = saved
        Rewriter.erase_op(yld, safe_erase=False)
        for o in reversed(ops[:-1]):
            if _touches_tensors(o):
                Rewriter.erase_op(o)

        new_body = Block(arg_types=(IndexType(),))
        new_body.add_op(affine.YieldOp.get())
        for o in list(body.ops):
            o.detach()
            new_body.insert_op_before(o, new_body.last_op)
        iv.replace_all_uses_with(new_body.args[0])
        loop = affine.ForOp.from_region((), (), (), (), lb, ub, Region(new_body), step)
        self._insert(loop, op)
        # the body's temporaries: planned per iteration, allocated once
        plan_block(new_body)
        for o in list(new_body.ops):
            if isinstance(o, memref.AllocOp):
                o.detach()
                self._insert(o, loop)
            elif isinstance(o, memref.DeallocOp):
                Rewriter.erase_op(o)


def _copy_loops(
    src: SSAValue,
    src_map: AffineMap,
    src_extra: list[SSAValue],
    dst: SSAValue,
    dst_map: AffineMap,
    dst_extra: list[SSAValue],
    ranges: tuple[int, ...] | list[int],
    before: Operation,
) -> None:
    """Loops over ``ranges`` doing ``dst[dst_map(i, dst_extra)] = src[src_map(i, src_extra)]``."""
    prev = before.prev_op
    ivs, block, anchor = build_loop_nest(ranges, before)
    load = affine.LoadOp(src, [*ivs, *src_extra], AffineMapAttr(src_map))
    block.insert_op_before(load, anchor)
    block.insert_op_before(
        affine.StoreOp(load.result, dst, [*ivs, *dst_extra], AffineMapAttr(dst_map)), anchor
    )
    copy_nodes_between(before, prev)


@dataclass(frozen=True)
class BufferizePass(ModulePass):
    """Tensors to memrefs with out-params and an allocation plan (level B -> C).

    ``report=true`` also prints the peak temporary bytes to stderr.
    """

    name = "bufferize"

    report: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        globals_ = _Globals(op)
        funcs = [
            f
            for f in op.walk()
            if isinstance(f, func.FuncOp) and not f.is_declaration
        ]
        peak = 0
        for fn in funcs:
            for inner in fn.walk():
                if isinstance(inner, func.CallOp) and any(
                    _is_tensor(v) for v in (*inner.operands, *inner.results)
                ):
                    raise LoweringError(inner, "with tensor operands is not supported by bufferize")
        for fn in funcs:
            types = [v.type for inner in fn.walk() for v in (*inner.operands, *inner.results)]
            types += [*fn.function_type.inputs, *fn.function_type.outputs]
            if not fn.function_type.outputs and not any(
                isinstance(t, TensorType | UnrankedTensorType) for t in types
            ):
                continue  # already at the memref level: leave it alone
            entry = fn.sym_visibility is None or fn.sym_visibility.data == "public"
            peak = max(peak, _FuncBufferizer(fn, globals_, entry).run())
        op.attributes["mlopt.peak_temp_bytes"] = IntegerAttr(peak, i64)
        if self.report:
            print(f"bufferize: peak temporary memory {peak} bytes", file=sys.stderr)

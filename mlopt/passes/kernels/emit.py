"""Code generation of the register-blocked kernels (see `contraction`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.builder import Builder
from xdsl.dialects import affine, arith, memref, vector
from xdsl.dialects.builtin import (
    AffineMapAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    UnitAttr,
    VectorType,
    i1,
    i64,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineExpr, AffineMap
from xdsl.rewriter import InsertPoint

from mlopt.dialects.mlopt import Dot4Op
from mlopt.passes.bufferize.buffers import flat_reassociation, make_collapse
from mlopt.passes.kernels.analysis import F32, PURE, Plan, buffer_root, coefficient, num_elements
from mlopt.passes.kernels.fusion import epilogue_anchor, neighbour_map
from mlopt.passes.kernels.panels import packed_global
from mlopt.passes.node_names import read_nodes, tag_range, union
from mlopt.passes.to_llvm.common import row_major_strides


# Below this many multiply-adds a kernel runs on one thread (the split costs
# a few microseconds).
_PARALLEL_MACS = 1 << 19


@dataclass
class _Emitter:
    """Emits a kernel's ops.  Buffers are addressed through 1-D views: one
    ``affine.apply`` computes an operand's linear index at the tile origin and
    every load or store of the tile adds a constant to it, so a tile costs one
    index computation per operand rather than one per element access."""

    plan: Plan
    builder: Builder
    top: Builder  # before the whole nest (for the 1-D views)
    zero: SSAValue
    # original loop number -> index value (loop IV or constant)
    env: dict[int, SSAValue] = field(default_factory=dict)
    views: dict[SSAValue, SSAValue] = field(default_factory=dict)
    bases: dict[tuple, SSAValue] = field(default_factory=dict)
    splats: dict[tuple, SSAValue] = field(default_factory=dict)
    threads: int = 1  # the outermost loops that split evenly get mlopt.parallel (see mark)
    depth: int = 0
    par_depth: int = 0  # the depth of the loops to mark
    # the vector input's panels: (1-D buffer, rest elements, panel width, rest strides)
    panel: tuple[SSAValue, int, int, list[int]] | None = None
    vnni: bool = False  # byte dot products as the target's vpdpbusd

    def mark(self, loop: affine.ForOp, iterations: int) -> None:
        """Mark the outermost loop that splits evenly over the threads: one of
        3 column tiles on 2 threads would leave a thread idle a third of the
        time, so the loop inside it is split instead."""
        if self.depth != self.par_depth or self.threads < 2 or iterations < 2:
            return
        if iterations % self.threads and iterations < 4 * self.threads:
            self.par_depth += 1
            return
        loop.attributes["mlopt.parallel"] = IntegerAttr(self.threads, 64)

    def insert(self, op: Operation) -> Operation:
        self.builder.insert(op)
        return op

    def index(self, value: int) -> SSAValue:
        return self.insert(arith.ConstantOp(IntegerAttr(value, IndexType()))).results[0]

    def operands(self) -> list[SSAValue]:
        return [self.env.get(k, self.zero) for k in range(len(self.plan.ranges))]

    def shifted(self, m: AffineMap, row: int, col: int) -> AffineMap:
        plan = self.plan
        n = len(plan.ranges)
        dims: list[AffineExpr] = []
        for k in range(n):
            e = AffineExpr.dimension(k)
            if k == plan.i and row:
                e = e + row
            elif k == plan.j and col:
                e = e + col
            elif k in plan.unit:
                e = AffineExpr.constant(0)
            dims.append(e)
        return m.replace_dims_and_symbols(dims, [], n, 0)

    def _view(self, buf: SSAValue) -> SSAValue:
        view = self.views.get(buf)
        if view is None:
            assert not self.env, "views are made before the loop nest"
            t = buf.type
            assert isinstance(t, MemRefType)
            flat = MemRefType(t.element_type, [num_elements(buf)])
            op = make_collapse(buf, flat_reassociation(len(t.get_shape())), flat)
            self.top.insert(op)
            view = self.views[buf] = op.results[0]
        return view

    def _address(self, buf: SSAValue, m: AffineMap, row: int, col: int) -> tuple[SSAValue, AffineMap, list[SSAValue]]:
        """(memref, map, operands) addressing ``buf`` through ``m`` at (i0 + row, j0 + col)."""
        if self.panel is not None and buf is self.plan.op.inputs[self.plan.s]:
            return self._panel_address(m, col)
        t = buf.type
        assert isinstance(t, MemRefType)
        shape = t.get_shape()
        linear: AffineExpr = AffineExpr.constant(0)
        origin = self.shifted(m, 0, 0).results
        for e, stride in zip(reversed(origin), reversed(row_major_strides(shape)), strict=True):
            linear = linear + e * stride
        ci = coefficient(linear, self.plan.i) if self.plan.i is not None else 0
        cj = coefficient(linear, self.plan.j)
        if len(shape) < 1 or ci is None or cj is None:
            return buf, self.shifted(m, row, col), self.operands()
        delta = ci * row + cj * col
        return self._view(buf), AffineMap(1, 0, (AffineExpr.dimension(0) + delta,)), [self._base(buf, linear)]

    def _base(self, buf: SSAValue, linear: AffineExpr) -> SSAValue:
        """``linear`` (over the loops) at the current tile origin: one
        ``affine.apply`` per buffer, expression and block."""
        operands = self.operands()
        key = (buf, linear, tuple(operands), id(self.builder.insertion_point.block))
        base = self.bases.get(key)
        if base is None:
            n = len(self.plan.ranges)
            apply = affine.ApplyOp(operands, AffineMapAttr(AffineMap(n, 0, (linear,))))
            base = self.bases[key] = self.insert(apply).results[0]
        return base

    def _panel_address(self, m: AffineMap, col: int) -> tuple[SSAValue, AffineMap, list[SSAValue]]:
        """Element (rest..., j0 + col) of the panels: j0 is a multiple of the
        panel width, so it starts panel j0 / jb, at j0 * rest; rest and the
        column follow contiguously."""
        assert self.panel is not None
        buf, nrest, jb, strides = self.panel
        res = self.shifted(m, 0, 0).results
        linear: AffineExpr = AffineExpr.dimension(self.plan.j) * nrest
        for e, stride in zip(res[:-1], strides, strict=True):
            linear = linear + e * (stride * jb)
        return buf, AffineMap(1, 0, (AffineExpr.dimension(0) + col,)), [self._base(buf, linear)]

    def load(
        self, src: SSAValue, m: AffineMap, row: int, col: int, width: int, lanes: int | None = None
    ) -> SSAValue:
        """Load ``src`` through ``m`` at (i0 + row, j0 + col) as a vector of ``width``
        (a contiguous load if it varies along j, else a broadcast scalar); only
        the first ``lanes`` lanes are read (the others are 0)."""
        buf, am, operands = self._address(src, m, row, col)
        elt = src.type.element_type  # type: ignore[attr-defined]  # an epilogue's f32 operand of an i32 kernel
        vt = VectorType(elt, [width])
        if self.plan.j in m.used_dims():
            stride = self.plan.stride if src is self.plan.op.inputs[self.plan.s] else 1
            if stride == 1 and lanes is not None and lanes < width:
                zero = self.constant(0, width, elt)
                load = vector.MaskedLoadOp(buf, [self._index(am, operands)], self.mask(lanes, width), zero, vt)
                return self.insert(load).results[0]
            if stride == 1:
                return self.insert(affine.VectorLoadOp(buf, operands, AffineMapAttr(am), vt)).results[0]
            # every stride-th element of a contiguous load; masked to the last
            # element used where a full load could run past the buffer's end
            wide = VectorType(elt, [width * stride])
            valid = lanes if lanes is not None else width
            if self.plan.wide_ok and valid == width:
                v = self.insert(affine.VectorLoadOp(buf, operands, AffineMapAttr(am), wide)).results[0]
            else:
                used = stride * (valid - 1) + 1
                mask = self.mask(used, width * stride)
                zero = self.constant(0, width * stride, elt)
                load = vector.MaskedLoadOp(buf, [self._index(am, operands)], mask, zero, wide)
                v = self.insert(load).results[0]
            picks = DenseArrayBase.from_list(i64, [k * stride for k in range(width)])
            return self.insert(vector.ShuffleOp(v, v, picks, result_type=vt)).results[0]
        return self.splat(self._scalar(buf, am, operands), width)

    def load_scalar(self, src: SSAValue, m: AffineMap, row: int) -> SSAValue:
        return self._scalar(*self._address(src, m, row, 0))

    def _scalar(self, buf: SSAValue, am: AffineMap, operands: list[SSAValue]) -> SSAValue:
        key = ("load", buf, am, tuple(operands), id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            op = affine.LoadOp(buf, operands, AffineMapAttr(am))
            found = self.splats[key] = self.insert(op).results[0]
        return found

    def store(
        self, value: SSAValue, dst: SSAValue, m: AffineMap, row: int, col: int, lanes: int | None = None
    ) -> None:
        buf, am, operands = self._address(dst, m, row, col)
        width = value.type.get_shape()[0]  # type: ignore[attr-defined]
        if lanes is not None and lanes < width:
            mask = self.mask(lanes, width)
            self.insert(vector.MaskedStoreOp(buf, [self._index(am, operands)], mask, value))
            return
        self.insert(affine.VectorStoreOp(value, buf, operands, AffineMapAttr(am)))

    def _index(self, am: AffineMap, operands: list[SSAValue]) -> SSAValue:
        return self.insert(affine.ApplyOp(operands, AffineMapAttr(am))).results[0]

    def mask(self, lanes: int, width: int) -> SSAValue:
        key = ("mask", lanes, width, id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            mt = VectorType(i1, [width])
            dense = DenseIntOrFPElementsAttr.from_list(mt, [1] * lanes + [0] * (width - lanes))
            found = self.splats[key] = self.insert(arith.ConstantOp(dense, mt)).results[0]
        return found

    def constant(self, value: float, width: int, elt: Attribute = F32) -> SSAValue:
        key = ("const", value, width, elt, id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            vt = VectorType(elt, [width])
            value = float(value) if elt == F32 else int(value)
            dense = DenseIntOrFPElementsAttr.from_list(vt, [value] * width)
            found = self.splats[key] = self.insert(arith.ConstantOp(dense, vt)).results[0]
        return found

    def splat(self, scalar: SSAValue, width: int) -> SSAValue:
        key = (scalar, width, id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            op = vector.BroadcastOp(scalar, VectorType(scalar.type, [width]))
            found = self.splats[key] = self.insert(op).results[0]
        return found


def _widths(plan: Plan, count: int) -> list[tuple[int, int, int]]:
    """(column offset, vector width, valid lanes) of the vectors of a tile
    ``count`` columns wide.  The leftover columns are one full-width vector
    whose extra lanes are masked off in loads and stores (a masked load does
    not touch them)."""
    v = plan.lanes
    out = [(k * v, v, v) for k in range(count // v)]
    rest = count % v
    if rest:
        out.append((count - rest, v, rest))
    return out


def _kernel(em: _Emitter, rows: int, cols: list[tuple[int, int, int]]) -> None:
    plan = em.plan
    op = plan.op
    a, b, o = op.inputs[plan.s], op.inputs[plan.t], op.outputs[0]
    s_map, t_map, o_map = plan.maps[plan.s], plan.maps[plan.t], plan.maps[2]
    s_rows = plan.i is not None and plan.i in s_map.used_dims()

    # initial accumulators
    accs: list[SSAValue] = []
    init = plan.init
    fill_value = None  # a constant-filling generic's constant
    if isinstance(init, linalg.GenericOp) and not init.inputs:
        const = init.body.block.first_op
        assert isinstance(const, arith.ConstantOp)
        fill_value = const.value.value.data  # type: ignore[attr-defined]
    elif isinstance(init, linalg.GenericOp):
        gm = [m.data for m in init.get_indexing_maps()]
        bm = neighbour_map(plan, gm[1], init.outputs[0], gm[0])
        assert bm is not None
    for r in range(rows):
        for col, w, lanes in cols:
            if isinstance(init, linalg.FillOp):
                accs.append(em.splat(init.inputs[0], w))
            elif fill_value is not None:
                accs.append(em.constant(fill_value, w, plan.elt))
            elif isinstance(init, linalg.GenericOp):
                accs.append(em.load(init.inputs[0], bm, r, col, w, lanes))
            else:
                accs.append(em.load(o, o_map, r, col, w, lanes))

    # the reduction loops, carrying the accumulators
    outer_builder = em.builder
    loops: list[affine.ForOp] = []
    carried = accs
    types = [v.type for v in accs]
    for k in plan.red:
        body = Block(arg_types=(IndexType(), *types))
        loop = affine.ForOp.from_region((), (), carried, types, 0, plan.ranges[k], Region(body))
        em.insert(loop)
        if loops:
            em.insert(affine.YieldOp.get(*loop.results))
        loops.append(loop)
        em.builder = Builder(InsertPoint.at_end(body))
        em.env[k] = body.args[0]
        carried = list(body.args[1:])

    svecs: dict[tuple[int, int], SSAValue] = {}
    new: list[SSAValue] = []
    for r in range(rows):
        if plan.combine is not None:  # a window reduction: acc = combine(acc, x)
            for q, (col, w, lanes) in enumerate(cols):
                x = em.load(a, s_map, r, col, w, lanes)
                comb = plan.combine.create(operands=[carried[r * len(cols) + q], x], result_types=[x.type])
                new.append(em.insert(comb).results[0])
            continue
        t_scalar = em.load_scalar(b, t_map, r)
        for q, (col, w, lanes) in enumerate(cols):
            key = (r if s_rows else 0, q)
            if key not in svecs:
                svecs[key] = em.load(a, s_map, key[0], col, w, lanes)
            t_vec, s_vec, acc = em.splat(t_scalar, w), svecs[key], carried[r * len(cols) + q]
            if plan.dot is None:
                step = vector.FMAOp(t_vec, s_vec, acc)
            else:  # the unsigned bytes first
                unsigned, signed = (s_vec, t_vec) if plan.dot == plan.s else (t_vec, s_vec)
                step = Dot4Op(acc, unsigned, signed)
                if em.vnni:
                    step.attributes["vnni"] = UnitAttr()
            new.append(em.insert(step).results[0])
    if loops:
        em.insert(affine.YieldOp.get(*new))
    em.builder = outer_builder
    for k in plan.red:
        em.env.pop(k)
    results = list(loops[0].results) if loops else new

    # epilogue and store (into the buffer a converting epilogue writes)
    if plan.epilogue is not None:
        results = _apply_epilogue(em, results, rows, cols)
    if plan.epilogue_out is not None:
        o, o_map = plan.epilogue_out
    for r in range(rows):
        for q, (col, w, lanes) in enumerate(cols):
            em.store(results[r * len(cols) + q], o, o_map, r, col, lanes)


def _apply_epilogue(em: _Emitter, accs: list[SSAValue], rows: int, cols: list[tuple[int, int, int]]) -> list[SSAValue]:
    plan = em.plan
    gen = plan.epilogue
    assert gen is not None
    maps = [m.data for m in gen.get_indexing_maps()]
    root = buffer_root(plan.op.outputs[0])
    block = gen.body.block
    anchor = epilogue_anchor(plan, gen)
    # the maps of the other buffers read, over the contraction's loops (not
    # the buffer a converting epilogue writes)
    other = {
        k: neighbour_map(plan, maps[-1], anchor, m)
        for k, (v, m) in enumerate(zip(gen.inputs, maps, strict=False))
        if isinstance(v.type, MemRefType) and buffer_root(v) != root
    }
    results: list[SSAValue] = []
    for r in range(rows):
        for q, (col, w, lanes) in enumerate(cols):
            acc = accs[r * len(cols) + q]
            vt = VectorType(F32, [w])
            mapping: dict[SSAValue, SSAValue] = {}
            for k, (v, arg) in enumerate(zip(gen.operands, block.args, strict=True)):
                if not arg.uses:
                    continue
                if k in other:
                    cm = other[k]
                    assert cm is not None
                    mapping[arg] = em.load(v, cm, r, col, w, lanes)
                elif isinstance(v.type, MemRefType):
                    mapping[arg] = acc  # the element being written (checked in find_epilogue)
                else:
                    mapping[arg] = em.splat(v, w)
            for inner in block.ops:
                if isinstance(inner, linalg.YieldOp):
                    results.append(mapping[inner.operands[0]])
                    continue
                if isinstance(inner, arith.ConstantOp):
                    assert isinstance(inner.value, FloatAttr | IntegerAttr)
                    mapping[inner.result] = em.constant(inner.value.value.data, w, inner.result.type)
                    continue
                for v in inner.operands:
                    if v not in mapping:  # a scalar defined outside the body
                        mapping[v] = em.splat(v, w)
                rt = VectorType(inner.results[0].type, [w]) if inner.results else vt
                if isinstance(inner, _CASTS):
                    clone = _vector_cast(inner, mapping[inner.operands[0]], rt)
                else:
                    clone = type(inner).create(
                        operands=[mapping[v] for v in inner.operands],
                        result_types=[rt] * len(inner.results),
                        properties=dict(inner.properties),
                        attributes=dict(inner.attributes),
                    )
                em.insert(clone)
                for old, res in zip(inner.results, clone.results, strict=True):
                    mapping[old] = res
    return results


_CASTS = (arith.SIToFPOp, arith.UIToFPOp, arith.FPToSIOp, arith.FPToUIOp)


def _vector_cast(op: Operation, x: SSAValue, rt: VectorType) -> Operation:
    """An epilogue's int/float conversion on vectors (xDSL's arith casts take
    scalars only): the llvm op; a float-to-int conversion of a value the body
    clamps to the type's range is the plain one, else LLVM's saturating one
    (what ``convert-arith-to-llvm`` gives the scalar op)."""
    from xdsl.dialects import llvm

    from mlopt.dialects.llvm_casts import FPToSIOp, FPToUIOp, UIToFPOp
    from mlopt.passes.to_llvm.arith import _clamped_in_range, intrinsic, type_suffix

    if isinstance(op, arith.SIToFPOp):
        return llvm.SIToFPOp(x, rt)
    if isinstance(op, arith.UIToFPOp):
        return UIToFPOp(x, rt)
    signed = isinstance(op, arith.FPToSIOp)
    if _clamped_in_range(op.operands[0], op.results[0].type, signed):
        return (FPToSIOp if signed else FPToUIOp)(x, rt)
    kind = "fptosi" if signed else "fptoui"
    return intrinsic(f"llvm.{kind}.sat.{type_suffix(rt)}.{type_suffix(x.type)}", [x], rt)


def _loop(
    em: _Emitter, dim: int, upper: int, step: int, body: Callable[[], None], last: int | None = None
) -> None:
    """``affine.for`` over ``0..upper`` by ``step`` binding loop ``dim`` (to
    ``min(iv, last)`` when ``last`` is given); calls ``body``."""
    blk = Block(arg_types=(IndexType(),))
    loop = affine.ForOp.from_region((), (), (), (), 0, upper, Region(blk), step)
    em.insert(loop)
    em.mark(loop, -(-upper // step))
    saved = em.builder
    em.builder = Builder(InsertPoint.at_end(blk))
    em.env[dim] = blk.args[0]
    if last is not None:
        clamp = AffineMap(1, 0, (AffineExpr.dimension(0), AffineExpr.constant(last)))
        em.env[dim] = em.insert(affine.MinOp([blk.args[0]], AffineMapAttr(clamp))).results[0]
    em.depth += 1
    body()
    em.depth -= 1
    em.insert(affine.YieldOp.get())
    em.builder = saved
    em.env.pop(dim)


def _at(em: _Emitter, dim: int, value: int, body: Callable[[], None]) -> None:
    em.env[dim] = em.index(value)
    body()
    em.env.pop(dim)


def _clamped(em: _Emitter, dim: int, total: int, block: int, body: Callable[[], None]) -> None:
    """Tiles of ``block`` covering ``0..total`` (``total >= block``), the last one
    moved back to end at ``total`` (it overlaps the one before): one kernel
    instance for every size, at the price of recomputing a few elements."""
    count = -(-total // block)
    if count == 1:
        _at(em, dim, 0, body)
    elif total % block == 0:
        _loop(em, dim, total, block, body)
    else:
        _loop(em, dim, count * block, block, body, last=total - block)


def _tiles(em: _Emitter) -> None:
    plan = em.plan
    J = plan.ranges[plan.j]
    jb = plan.n_vec * plan.lanes
    rows_total = plan.ranges[plan.i] if plan.i is not None else 1
    mr = plan.n_rows
    # With an initial value that does not read the output (a fill, a bias),
    # computing a tile twice gives the same result, so the remainders are
    # overlapping full tiles instead of kernels of their own.
    overlap = plan.init is not None
    if overlap and J >= jb and rows_total >= mr and plan.pack is None:
        full = _widths(plan, jb)
        if plan.i is None:
            _clamped(em, plan.j, J, jb, lambda: _kernel(em, 1, full))
            return
        rows = lambda body: _clamped(em, plan.i, rows_total, mr, body)  # noqa: E731
        cols = lambda body: _clamped(em, plan.j, J, jb, body)  # noqa: E731
        tile = lambda: _kernel(em, mr, full)  # noqa: E731
        if plan.combine is not None:
            # a window reduction reuses nothing across rows: row-major tiles
            # read the input as it lies in memory
            rows(lambda: cols(tile))
        else:
            cols(lambda: rows(tile))
        return
    j_main = J - J % jb
    i_main = rows_total - rows_total % mr

    def row_tiles(cols: list[tuple[int, int, int]]) -> None:
        if plan.i is None:
            _kernel(em, 1, cols)
            return
        if overlap and rows_total >= mr:
            _clamped(em, plan.i, rows_total, mr, lambda: _kernel(em, mr, cols))
            return
        if i_main:
            if i_main == mr:
                _at(em, plan.i, 0, lambda: _kernel(em, mr, cols))
            else:
                _loop(em, plan.i, i_main, mr, lambda: _kernel(em, mr, cols))
        if rows_total % mr:
            _at(em, plan.i, i_main, lambda: _kernel(em, rows_total % mr, cols))

    if j_main:
        full = _widths(plan, jb)
        if j_main == jb:
            _at(em, plan.j, 0, lambda: row_tiles(full))
        else:
            _loop(em, plan.j, j_main, jb, lambda: row_tiles(full))
    if J % jb:
        _at(em, plan.j, j_main, lambda: row_tiles(_widths(plan, J % jb)))


def _nest(em: _Emitter, dims: Sequence[int]) -> None:
    if not dims:
        _tiles(em)
        return
    k, rest = dims[0], dims[1:]
    _loop(em, k, em.plan.ranges[k], 1, lambda: _nest(em, rest))


def _hoist_above(v: SSAValue, anchor: Operation, alloc: bool = False) -> None:
    """Move the pure ops defining ``v`` that come after ``anchor`` in its block
    above it (their own operands first); with ``alloc``, its allocation too
    (the buffer a converting epilogue writes)."""
    owner = v.owner
    movable = PURE + (memref.AllocOp,) if alloc else PURE
    if not isinstance(owner, movable) or owner.parent is not anchor.parent:
        return
    if owner.is_before_in_block(anchor):
        return
    for operand in owner.operands:
        _hoist_above(operand, anchor, alloc)
    owner.detach()
    anchor.parent.insert_op_before(owner, anchor)  # type: ignore[union-attr]


def rewrite(plan: Plan, threads: int, panels: dict, vnni: bool = False) -> None:
    op = plan.op
    # the kernel implements the nodes of the contraction, its init and epilogue
    # (mlopt.nodes, for profiling)
    covered = [x for x in (plan.init, op, plan.epilogue) if x is not None]
    nodes = union(read_nodes(x) for x in covered)
    block, prev = op.parent_block(), op.prev_op
    while prev is not None and any(prev is x for x in covered):
        prev = prev.prev_op  # erased below: not an anchor
    b = Builder(InsertPoint.before(op))
    zero = arith.ConstantOp(IntegerAttr(0, IndexType()))
    b.insert(zero)
    em = _Emitter(plan, b, b, zero.results[0], vnni=vnni)
    if plan.pack is not None:
        jb = plan.n_vec * plan.lanes
        name, panel_type, nrest = packed_global(plan.pack, jb, panels)
        t = op.inputs[plan.s].type
        assert isinstance(t, MemRefType)
        get = memref.GetGlobalOp(name, panel_type)
        b.insert(get)
        em.panel = (get.results[0], nrest, jb, row_major_strides(t.get_shape()[:-1]))
    em.threads = threads if plan.macs >= _PARALLEL_MACS else 1
    # the 1-D views, made before the nest that uses them (an epilogue's operand
    # may be defined between the contraction and the epilogue: by pure ops,
    # which move up)
    buffers = list(op.operands)
    for other in (plan.init, plan.epilogue):
        if isinstance(other, linalg.GenericOp):
            buffers += other.inputs
    if plan.epilogue_out is not None:
        buffers.append(plan.epilogue_out[0])
    if plan.epilogue is not None:
        inside = set(plan.epilogue.body.block.args)
        for inner in plan.epilogue.body.walk():
            buffers += [v for v in inner.operands if v not in inside]
            inside.update(inner.results)
    for buf in buffers:
        _hoist_above(buf, zero, plan.epilogue_out is not None and buf is plan.epilogue_out[0])
    for buf in buffers:
        if plan.pack is not None and buf is op.inputs[plan.s]:
            continue  # read through its panels
        if isinstance(buf.type, MemRefType) and buf.type.get_shape():
            em._view(buf)
    _nest(em, [k for k in plan.outer if plan.ranges[k] > 1])
    tag_range(block, prev, op, nodes)
    for dead in (plan.init, op, plan.epilogue):
        if dead is not None:
            dead.detach()
            dead.erase()

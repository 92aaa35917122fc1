"""`linalg-contraction-to-vector`: register-blocked broadcast-FMA kernels for contractions.

Accepts the output of `bufferize`.  A ``linalg.generic`` on static f32 memrefs
whose body is ``acc + x * y`` (MatMul, Gemm, batched MatMul, Conv in its
stride-1 forms, Einsum contractions, ...) is replaced by an ``affine.for``
nest of ``vector`` ops; every other op is left to `convert-linalg-to-affine`.

The shape of the kernel.  Let ``j`` be the loop of the output's innermost
(contiguous) dimension, ``S`` the input that varies along ``j`` with unit
stride (MatMul's B, Conv's input) and ``T`` the other input, which must not
depend on ``j`` (MatMul's A, Conv's weights).  ``i`` is a parallel loop ``T``
depends on (MatMul's rows, Conv's output channels).  The output is computed
in register tiles of ``MR`` values of ``i`` by ``NV`` vectors along ``j``:

    for the other parallel loops, for j0 (step NV*V), for i0 (step MR):
      acc[r][v] = init                                  (MR*NV vector registers)
      for the reduction loops (k...):
        s[v] = vector.load S[.., j0 + v*V]               (NV loads)
        t[r] = vector.broadcast T[i0 + r, ..]            (MR broadcasts)
        acc[r][v] = vector.fma(t[r], s[v], acc[r][v])    (MR*NV FMAs)
      [epilogue on acc]; vector.store acc -> O[i0 + r, j0 + v*V]

``V`` is the target's f32 lane count and ``MR``/``NV`` are chosen so that the
accumulators, the ``S`` vectors and a broadcast fit the target's vector
registers (AVX-512: 6x4 zmm; AVX2: 6x2 ymm).  Remainders are full kernels of
their own: the last ``I mod MR`` rows, and along ``j`` the leftover full
vectors plus one narrower vector (``vector<7xf32>`` for 7 leftover columns),
so every size is handled without masks and without reading out of bounds.

Fusion into the tile, when the neighbouring ops allow it:

* **init**: a ``linalg.fill`` of the output just before (the zero of a
  MatMul) or a broadcasting copy into it (a Conv's or Gemm's bias) becomes the
  accumulators' initial value and is erased;
* **epilogue**: an elementwise ``linalg.generic`` right after that rewrites the
  output in place (Relu, Clip, a residual Add of another buffer, a folded
  BatchNorm's scale and shift) is applied to the accumulators before the store
  and erased.

Threads: with ``threads=T > 1`` the loops of a kernel's nest that no other
of its loops encloses (the batch/row loop of a Conv, the column-tile loop of a
MatMul) are marked ``mlopt.parallel = T`` when the kernel has at least 2^19
multiply-adds; `outline-parallel-loops` hands them to the worker pool.  Every
iteration writes its own output tiles and reduces in the same order, so the
result is the same for every thread count.

Options: ``vector-width`` (f32 lanes; 0 = the host's), ``registers`` (vector
registers; 0 = the host's), ``min-macs`` (smaller contractions are left alone),
``threads`` (1 = no marks).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from xdsl.builder import Builder
from xdsl.context import Context
from xdsl.dialects import affine, arith, memref, vector
from xdsl.dialects.linalg import ops as linalg
import numpy as np
from xdsl.dialects.builtin import (
    AffineMapAttr,
    BytesAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    Float32Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    VectorType,
    i1,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineConstantExpr, AffineDimExpr, AffineExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint

from mlopt.passes.bufferize.buffers import flat_reassociation, make_collapse

_F32 = Float32Type()
# Below this many multiply-adds a kernel runs on one thread (the split costs
# a few microseconds).
_PARALLEL_MACS = 1 << 19

# Elementwise ops an epilogue may contain (each has a vector form in the llvm lowering).
_EPILOGUE_OPS = (
    arith.AddfOp, arith.SubfOp, arith.MulfOp, arith.DivfOp, arith.MaximumfOp,
    arith.MinimumfOp, arith.MaxnumfOp, arith.MinnumfOp, arith.NegfOp,
)  # fmt: skip


# -- analysis -----------------------------------------------------------------


def _static_f32(v: SSAValue) -> bool:
    t = v.type
    return (
        isinstance(t, MemRefType)
        and t.element_type == _F32
        and isinstance(t.layout, NoneAttr)
        and all(s > 0 for s in t.get_shape())
    )


def _coefficient(expr: AffineExpr, dim: int) -> int | None:
    """The coefficient of ``d<dim>`` in a linear ``expr`` (None if not linear in it)."""
    size = max(expr.used_dims() | {dim}) + 1
    vals = []
    for x in (0, 1, 2):
        point = [AffineExpr.constant(x if k == dim else 0) for k in range(size)]
        e = expr.replace_dims_and_symbols(point, [])
        if not isinstance(e, AffineConstantExpr):
            return None
        vals.append(e.value)
    if vals[2] - vals[1] != vals[1] - vals[0]:
        return None
    return vals[1] - vals[0]


def _overread_ok(m: AffineMap, ranges: Sequence[int], buf: SSAValue, stride: int) -> bool:
    """A strided vector input is read as ``stride * w`` contiguous elements per
    ``w`` lanes: whether the last ``stride - 1`` of the furthest read are still
    in the buffer (else the kernel masks its wide loads)."""
    t = buf.type
    assert isinstance(t, MemRefType)
    shape = t.get_shape()
    top = [AffineExpr.constant(r - 1) for r in ranges]
    last = 0
    scale = 1
    for size, e in zip(reversed(shape), reversed(m.results), strict=True):
        for k in e.used_dims():
            c = _coefficient(e, k)
            if c is None or c < 0:
                return False
        v = e.replace_dims_and_symbols(top, [])
        if not isinstance(v, AffineConstantExpr):
            return False
        last += v.value * scale
        scale *= size
    return last + stride - 1 < scale


_COMBINERS = (arith.MaximumfOp, arith.MaxnumfOp, arith.MinimumfOp, arith.MinnumfOp, arith.AddfOp)


def _reduce_body(op: linalg.GenericOp) -> tuple[int, type[Operation]] | None:
    """For a body ``yield combine(acc, x)`` of one input (a pooling window; the
    other input, a window-shaped dummy, unused): (x's input number, combine)."""
    block = op.body.block
    ops = list(block.ops)
    if len(ops) != 2 or len(block.args) != 3:
        return None
    comb, yld = ops
    if not isinstance(comb, _COMBINERS) or not isinstance(yld, linalg.YieldOp):
        return None
    if list(yld.operands) != [comb.results[0]]:
        return None
    acc = block.args[2]
    inputs = [a for a in comb.operands if a is not acc]
    if acc not in comb.operands or len(inputs) != 1 or inputs[0] not in block.args[:2]:
        return None
    used = block.args.index(inputs[0])  # type: ignore[arg-type]
    if block.args[1 - used].uses:
        return None
    return used, type(comb)


def _mac_body(op: linalg.GenericOp) -> tuple[int, int] | None:
    """For a body ``yield acc + a * b`` (in any operand order): the block-argument
    numbers of the two factors, else None."""
    block = op.body.block
    ops = list(block.ops)
    if len(ops) != 3 or len(block.args) != 3:
        return None
    mul, add, yld = ops
    if not (isinstance(mul, arith.MulfOp) and isinstance(add, arith.AddfOp)):
        return None
    if not isinstance(yld, linalg.YieldOp) or list(yld.operands) != [add.result]:
        return None
    acc = block.args[2]
    if set(add.operands) != {acc, mul.result} or mul.result.uses.get_length() != 1:
        return None
    if acc in mul.operands:
        return None
    factors = [a.index for a in mul.operands if a in block.args]  # type: ignore[attr-defined]
    if sorted(factors) != [0, 1]:
        return None
    return 0, 1


@dataclass
class _Plan:
    op: linalg.GenericOp
    s: int  # operand number of the vector (streamed) input
    t: int  # operand number of the broadcast input
    maps: list[AffineMap]
    ranges: tuple[int, ...]
    j: int
    i: int | None
    outer: list[int]
    red: list[int]
    unit: list[int]  # reduction loops of trip count 1
    init: Operation | None = None
    epilogue: linalg.GenericOp | None = None
    n_rows: int = 1
    n_vec: int = 1
    lanes: int = 16
    stride: int = 1  # of the vector input along j (a strided Conv: 2)
    combine: type[Operation] | None = None  # a window reduction's combiner (None: FMA)
    wide_ok: bool = True  # a strided input's wide loads stay inside its buffer
    pack: memref.GlobalOp | None = None  # the constant vector input, to repack into panels


def _analyse(op: linalg.GenericOp, lanes: int, registers: int, min_macs: int) -> _Plan | None:
    if len(op.inputs) != 2 or len(op.outputs) != 1 or op.res:
        return None
    if not all(_static_f32(v) for v in op.operands):
        return None
    combine: type[Operation] | None = None
    if _mac_body(op) is None:
        reduce = _reduce_body(op)
        if reduce is None:
            return None
        used, combine = reduce
    maps = [m.data for m in op.get_indexing_maps()]
    if any(m.num_symbols for m in maps):
        return None
    try:
        ranges = op.get_static_loop_ranges()
    except (NotImplementedError, ValueError):
        return None
    n = len(ranges)
    out_map = maps[2]
    if not out_map.results:  # a scalar result: nothing to vectorise along
        return None
    out_dims: list[int] = []
    for e in out_map.results:
        if isinstance(e, AffineDimExpr):
            out_dims.append(e.position)
        elif not isinstance(e, AffineConstantExpr):
            return None
    if len(set(out_dims)) != len(out_dims) or not _covers(out_map, op.outputs[0]):
        return None
    if _root(op.outputs[0]) in (_root(op.inputs[0]), _root(op.inputs[1])):
        return None
    iters = [str(it.data) for it in op.iterator_types.data]
    if any((k in out_dims) != (iters[k] == "parallel") for k in range(n)):
        return None
    last = out_map.results[-1]
    if not isinstance(last, AffineDimExpr):
        return None
    j = last.position
    if combine is None:
        uses_j = [k for k in (0, 1) if j in maps[k].used_dims()]
        if len(uses_j) != 1:
            return None
        s = uses_j[0]
    elif j in maps[used].used_dims():
        s = used
    else:
        return None
    t = 1 - s
    sres = maps[s].results
    stride = _coefficient(sres[-1], j)
    if any(j in e.used_dims() for e in sres[:-1]) or stride not in (1, 2, 3, 4):
        return None

    red = [k for k in range(n) if k not in out_dims]
    macs = 1
    for r in ranges:
        macs *= r
    if macs < min_macs or ranges[j] < 4 or not red:
        return None
    s_dims = maps[s].used_dims()
    # rows: a loop the broadcast input depends on (a window reduction has none:
    # any loop of the input, each row loading its own vectors)
    t_dims = maps[t].used_dims() if combine is None else s_dims
    cands = [k for k in out_dims if k != j and k in t_dims and ranges[k] > 1]
    # Prefer a row loop the vector input does not depend on (its loads are shared).
    cands.sort(key=lambda k: (k in s_dims, -ranges[k]))
    i = cands[0] if cands else None
    plan = _Plan(
        op, s, t, maps, tuple(ranges), j, i,
        outer=[k for k in out_dims if k not in (i, j)],
        red=[k for k in red if ranges[k] > 1],
        unit=[k for k in red if ranges[k] == 1],
        lanes=lanes,
        stride=stride,
        combine=combine,
        wide_ok=stride == 1 or _overread_ok(maps[s], ranges, op.inputs[s], stride),
    )  # fmt: skip
    plan.n_vec = max(1, min(4 if registers >= 32 else 2, -(-ranges[j] // lanes)))
    rows_fit = max(1, (registers - plan.n_vec - 1) // plan.n_vec)
    plan.n_rows = 1 if i is None else max(1, min(ranges[i], rows_fit, 12))
    return plan


# -- fusion of the neighbours -----------------------------------------------------


def _covers(m: AffineMap, v: SSAValue) -> bool:
    """``m`` (dims or constants) reaches every element of ``v``: constants only
    index dimensions of size 1."""
    t = v.type
    assert isinstance(t, MemRefType)
    return all(
        isinstance(e, AffineDimExpr) or (isinstance(e, AffineConstantExpr) and s == 1)
        for e, s in zip(m.results, t.get_shape(), strict=True)
    )


def _root(v: SSAValue) -> SSAValue:
    while isinstance(v.owner, memref.CollapseShapeOp | memref.ExpandShapeOp):
        v = v.owner.src
    return v


_PURE = (arith.ConstantOp, memref.GetGlobalOp, memref.CollapseShapeOp, memref.ExpandShapeOp)


def _touches(op: Operation, root: SSAValue) -> bool:
    return any(isinstance(v.type, MemRefType) and _root(v) == root for v in op.operands)


def _neighbour_map(plan: _Plan, gen_out: AffineMap, view: SSAValue, m: AffineMap) -> AffineMap | None:
    """``m``, a map over the loops of a neighbouring generic that writes ``view``
    (a view of the contraction's output buffer) through ``gen_out``, as a map
    over the contraction's loops; None if it cannot be expressed.

    The leading positions of ``view`` are matched with groups of consecutive
    positions of the contraction's output of the same total size (equal shapes:
    one each; a merged dimension: the linearised group), up to the first
    dimension the two views split differently; ``m`` may use the neighbour's
    loops that index the matched positions."""
    out = plan.op.outputs[0]
    vt, ot = view.type, out.type
    assert isinstance(vt, MemRefType) and isinstance(ot, MemRefType)
    gshape, cshape = vt.get_shape(), ot.get_shape()
    cres = plan.maps[2].results
    repl: list[AffineExpr | None] = [None] * gen_out.num_dims
    q = 0
    for ge, size in zip(gen_out.results, gshape, strict=True):
        # the contraction's output positions q..k-1 make up this position
        k, prod = q, 1
        while k < len(cshape) and prod < size:
            prod *= cshape[k]
            k += 1
        if prod != size or k == q and size != 1:
            break  # the views split a dimension differently from here on
        expr: AffineExpr = AffineExpr.constant(0)
        for pos in range(q, k):
            stride = 1
            for later in cshape[pos + 1 : k]:
                stride *= later
            expr = expr + cres[pos] * stride
        q = k
        if isinstance(ge, AffineDimExpr):
            if repl[ge.position] is not None:
                return None
            repl[ge.position] = expr
        elif not isinstance(ge, AffineConstantExpr):
            return None
    if any(repl[k] is None for k in m.used_dims()):
        return None
    dims = [r if r is not None else AffineExpr.constant(0) for r in repl]
    return m.replace_dims_and_symbols(dims, [], len(plan.ranges), 0)


def _vectorisable(plan: _Plan, m: AffineMap) -> bool:
    """Whether loads through ``m`` (over the contraction's loops) can be made in
    the kernel: not varying with ``j``, or with unit stride along the last dim."""
    if plan.j not in m.used_dims():
        return True
    res = m.results
    return all(plan.j not in e.used_dims() for e in res[:-1]) and _coefficient(res[-1], plan.j) == 1


def _prev_op(op: Operation, root: SSAValue) -> Operation | None:
    """The op before ``op`` that may touch memory (views and constants skipped)."""
    prev = op.prev_op
    while prev is not None and isinstance(prev, _PURE):
        prev = prev.prev_op
    return prev


def _next_op(op: Operation, root: SSAValue) -> Operation | None:
    nxt = op.next_op
    while nxt is not None and (isinstance(nxt, _PURE) or (
        isinstance(nxt, memref.DeallocOp) and not _touches(nxt, root)
    )):  # fmt: skip
        nxt = nxt.next_op
    return nxt


def _whole(v: SSAValue, root: SSAValue) -> bool:
    """``v`` is a view of all of ``root`` (the same elements in the same order)."""
    return _root(v) == root and _num_elements(v) == _num_elements(root)


def _same_buffer(a: SSAValue, b: SSAValue) -> bool:
    """``a`` and ``b`` are views of the same whole buffer with the same shape, so
    equal indices name the same element."""
    if a == b:
        return True
    ta, tb = a.type, b.type
    return (
        isinstance(ta, MemRefType) and isinstance(tb, MemRefType)
        and ta.get_shape() == tb.get_shape()
        and _whole(a, _root(b)) and _whole(b, _root(b))
    )  # fmt: skip


def _find_init(plan: _Plan) -> Operation | None:
    out = plan.op.outputs[0]
    root = _root(out)
    prev = _prev_op(plan.op, root)
    if isinstance(prev, linalg.FillOp):
        value = prev.inputs[0]
        if (
            len(prev.outputs) == 1
            and _root(prev.outputs[0]) == root
            and _num_elements(prev.outputs[0]) == _num_elements(root)
            and _num_elements(out) == _num_elements(root)
            and value.type == _F32
            and not _defined_between(value, prev, plan.op)
        ):
            return prev
        return None
    if isinstance(prev, linalg.GenericOp) and _is_broadcast_copy(prev, plan):
        return prev
    return None


def _defined_between(v: SSAValue, first: Operation, last: Operation) -> bool:
    owner = v.owner
    if not isinstance(owner, Operation) or owner.parent is not first.parent:
        return False
    k = first.next_op
    while k is not None and k is not last:
        if k is owner:
            return True
        k = k.next_op
    return False


def _num_elements(v: SSAValue) -> int:
    t = v.type
    assert isinstance(t, MemRefType)
    n = 1
    for s in t.get_shape():
        n *= s
    return n


def _is_broadcast_copy(gen: linalg.GenericOp, plan: _Plan) -> bool:
    """``gen`` writes every element of the contraction's output buffer with a
    value of one input (a bias broadcast), reading nothing else."""
    root = _root(plan.op.outputs[0])
    if len(gen.inputs) != 1 or len(gen.outputs) != 1 or not _whole(gen.outputs[0], root):
        return False
    if not (_static_f32(gen.outputs[0]) and _whole(plan.op.outputs[0], root)):
        return False
    block = gen.body.block
    yld = block.last_op
    if len(list(block.ops)) != 1 or not isinstance(yld, linalg.YieldOp):
        return False
    if list(yld.operands) != [block.args[0]] or not _static_f32(gen.inputs[0]):
        return False
    if _root(gen.inputs[0]) == _root(plan.op.outputs[0]):
        return False
    maps = [m.data for m in gen.get_indexing_maps()]
    if any(str(it.data) != "parallel" for it in gen.iterator_types.data):
        return False
    if not _covers(maps[1], gen.outputs[0]):
        return False
    cm = _neighbour_map(plan, maps[1], gen.outputs[0], maps[0])
    return cm is not None and _vectorisable(plan, cm)


def _find_epilogue(plan: _Plan) -> linalg.GenericOp | None:
    """An elementwise generic right after the contraction that rewrites its whole
    output in place: it reads the output only at the element it writes (through
    any view of the buffer), and other buffers only through views of the
    output's shape (so their maps translate to the contraction's loops)."""
    out = plan.op.outputs[0]
    root = _root(out)
    nxt = _next_op(plan.op, root)
    if not isinstance(nxt, linalg.GenericOp) or len(nxt.outputs) != 1 or nxt.res:
        return None
    nout = nxt.outputs[0]
    if not (_static_f32(nout) and _whole(nout, root) and _whole(out, root)):
        return None
    if any(str(it.data) != "parallel" for it in nxt.iterator_types.data):
        return None
    maps = [m.data for m in nxt.get_indexing_maps()]
    if not _covers(maps[-1], nout):
        return None
    block = nxt.body.block
    for v, m in zip(nxt.inputs, maps, strict=False):
        if not isinstance(v.type, MemRefType):
            if v.type != _F32:
                return None
            continue
        if not _static_f32(v):
            return None
        if _root(v) == root:
            if not (_same_buffer(v, nout) and m == maps[-1]):
                return None
        else:
            cm = _neighbour_map(plan, maps[-1], nout, m)
            if cm is None or not _vectorisable(plan, cm):
                return None
    inside = {r for inner in block.ops for r in inner.results} | set(block.args)
    for inner in block.ops:
        if any(v not in inside and v.type != _F32 for v in inner.operands):
            return None
        if isinstance(inner, linalg.YieldOp):
            if len(inner.operands) != 1:
                return None
            continue
        if isinstance(inner, arith.ConstantOp):
            if not isinstance(inner.value, FloatAttr) or inner.result.type != _F32:
                return None
            continue
        if not isinstance(inner, _EPILOGUE_OPS) or any(r.type != _F32 for r in inner.results):
            return None
    return nxt


# -- code generation ------------------------------------------------------------


@dataclass
class _Emitter:
    """Emits a kernel's ops.  Buffers are addressed through 1-D views: one
    ``affine.apply`` computes an operand's linear index at the tile origin and
    every load or store of the tile adds a constant to it, so a tile costs one
    index computation per operand rather than one per element access."""

    plan: _Plan
    builder: Builder
    top: Builder  # before the whole nest (for the 1-D views)
    zero: SSAValue
    # original loop number -> index value (loop IV or constant)
    env: dict[int, SSAValue] = field(default_factory=dict)
    views: dict[SSAValue, SSAValue] = field(default_factory=dict)
    bases: dict[tuple, SSAValue] = field(default_factory=dict)
    splats: dict[tuple, SSAValue] = field(default_factory=dict)
    threads: int = 1  # loops outside every other loop of the nest get mlopt.parallel
    depth: int = 0
    # the vector input's panels: (1-D buffer, rest elements, panel width, rest strides)
    panel: tuple[SSAValue, int, int, list[int]] | None = None

    def mark(self, loop: affine.ForOp, iterations: int) -> None:
        if self.depth == 0 and self.threads > 1 and iterations > 1:
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
            flat = MemRefType(t.element_type, [_num_elements(buf)])
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
        origin = self.shifted(m, 0, 0)
        linear: AffineExpr = AffineExpr.constant(0)
        stride = 1
        for size, e in zip(reversed(shape), reversed(origin.results), strict=True):
            linear = linear + e * stride
            stride *= size
        ci = _coefficient(linear, self.plan.i) if self.plan.i is not None else 0
        cj = _coefficient(linear, self.plan.j)
        if len(shape) < 1 or ci is None or cj is None:
            return buf, self.shifted(m, row, col), self.operands()
        n = len(self.plan.ranges)
        operands = self.operands()
        key = (buf, linear, tuple(operands), id(self.builder.insertion_point.block))
        base = self.bases.get(key)
        if base is None:
            apply = affine.ApplyOp(operands, AffineMapAttr(AffineMap(n, 0, (linear,))))
            base = self.bases[key] = self.insert(apply).results[0]
        delta = ci * row + cj * col
        return self._view(buf), AffineMap(1, 0, (AffineExpr.dimension(0) + delta,)), [base]

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
        n = len(self.plan.ranges)
        operands = self.operands()
        key = ("panel", linear, tuple(operands), id(self.builder.insertion_point.block))
        base = self.bases.get(key)
        if base is None:
            apply = affine.ApplyOp(operands, AffineMapAttr(AffineMap(n, 0, (linear,))))
            base = self.bases[key] = self.insert(apply).results[0]
        return buf, AffineMap(1, 0, (AffineExpr.dimension(0) + col,)), [base]

    def load(
        self, src: SSAValue, m: AffineMap, row: int, col: int, width: int, lanes: int | None = None
    ) -> SSAValue:
        """Load ``src`` through ``m`` at (i0 + row, j0 + col) as a vector of ``width``
        (a contiguous load if it varies along j, else a broadcast scalar); only
        the first ``lanes`` lanes are read (the others are 0)."""
        buf, am, operands = self._address(src, m, row, col)
        vt = VectorType(_F32, [width])
        strided = self.plan.stride > 1 and src is self.plan.op.inputs[self.plan.s]
        if self.plan.j in m.used_dims() and lanes is not None and lanes < width and not strided:
            zero = self.constant(0.0, width)
            load = vector.MaskedLoadOp(buf, [self._index(am, operands)], self.mask(lanes, width), zero, vt)
            return self.insert(load).results[0]
        if self.plan.j in m.used_dims():
            stride = self.plan.stride if src is self.plan.op.inputs[self.plan.s] else 1
            if stride == 1:
                return self.insert(affine.VectorLoadOp(buf, operands, AffineMapAttr(am), vt)).results[0]
            # every stride-th element of a contiguous load; masked to the last
            # element used where a full load could run past the buffer's end
            wide = VectorType(_F32, [width * stride])
            valid = lanes if lanes is not None else width
            if self.plan.wide_ok and valid == width:
                v = self.insert(affine.VectorLoadOp(buf, operands, AffineMapAttr(am), wide)).results[0]
            else:
                used = stride * (valid - 1) + 1
                mask = self.mask(used, width * stride)
                load = vector.MaskedLoadOp(buf, [self._index(am, operands)], mask, self.constant(0.0, width * stride), wide)
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

    def constant(self, value: float, width: int) -> SSAValue:
        key = ("const", value, width, id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            vt = VectorType(_F32, [width])
            dense = DenseIntOrFPElementsAttr.from_list(vt, [value] * width)
            found = self.splats[key] = self.insert(arith.ConstantOp(dense, vt)).results[0]
        return found

    def splat(self, scalar: SSAValue, width: int) -> SSAValue:
        key = (scalar, width, id(self.builder.insertion_point.block))
        found = self.splats.get(key)
        if found is None:
            op = vector.BroadcastOp(scalar, VectorType(_F32, [width]))
            found = self.splats[key] = self.insert(op).results[0]
        return found


def _widths(plan: _Plan, count: int) -> list[tuple[int, int, int]]:
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
    for r in range(rows):
        for col, w, lanes in cols:
            if isinstance(init, linalg.FillOp):
                accs.append(em.splat(init.inputs[0], w))
            elif isinstance(init, linalg.GenericOp):
                gm = [m.data for m in init.get_indexing_maps()]
                bm = _neighbour_map(plan, gm[1], init.outputs[0], gm[0])
                assert bm is not None
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
            fma = em.insert(vector.FMAOp(em.splat(t_scalar, w), svecs[key], carried[r * len(cols) + q]))
            new.append(fma.results[0])
    if loops:
        em.insert(affine.YieldOp.get(*new))
    em.builder = outer_builder
    for k in plan.red:
        em.env.pop(k)
    results = list(loops[0].results) if loops else new

    # epilogue and store
    if plan.epilogue is not None:
        results = _apply_epilogue(em, results, rows, cols)
    for r in range(rows):
        for q, (col, w, lanes) in enumerate(cols):
            em.store(results[r * len(cols) + q], o, o_map, r, col, lanes)


def _apply_epilogue(em: _Emitter, accs: list[SSAValue], rows: int, cols: list[tuple[int, int, int]]) -> list[SSAValue]:
    plan = em.plan
    gen = plan.epilogue
    assert gen is not None
    maps = [m.data for m in gen.get_indexing_maps()]
    root = _root(plan.op.outputs[0])
    block = gen.body.block
    results: list[SSAValue] = []
    for r in range(rows):
        for q, (col, w, lanes) in enumerate(cols):
            acc = accs[r * len(cols) + q]
            vt = VectorType(_F32, [w])
            mapping: dict[SSAValue, SSAValue] = {}
            for v, m, arg in zip(gen.operands, maps, block.args, strict=True):
                if not arg.uses:
                    continue
                if isinstance(v.type, MemRefType) and _root(v) == root:
                    mapping[arg] = acc  # the element being written (checked in _find_epilogue)
                elif isinstance(v.type, MemRefType):
                    cm = _neighbour_map(plan, maps[-1], gen.outputs[0], m)
                    assert cm is not None
                    mapping[arg] = em.load(v, cm, r, col, w, lanes)
                else:
                    mapping[arg] = em.splat(v, w)
            for inner in block.ops:
                if isinstance(inner, linalg.YieldOp):
                    results.append(mapping[inner.operands[0]])
                    continue
                if isinstance(inner, arith.ConstantOp):
                    assert isinstance(inner.value, FloatAttr)
                    mapping[inner.result] = em.constant(inner.value.value.data, w)
                    continue
                for v in inner.operands:
                    if v not in mapping:  # a scalar defined outside the body
                        mapping[v] = em.splat(v, w)
                clone = type(inner).create(
                    operands=[mapping[v] for v in inner.operands],
                    result_types=[vt] * len(inner.results),
                    properties=dict(inner.properties),
                    attributes=dict(inner.attributes),
                )
                em.insert(clone)
                for old, res in zip(inner.results, clone.results, strict=True):
                    mapping[old] = res
    return results


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
        else:
            _clamped(em, plan.j, J, jb, lambda: _clamped(em, plan.i, rows_total, mr, lambda: _kernel(em, mr, full)))
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


_PACK_MIN_ELEMENTS = 1 << 14


def _packable(plan: _Plan) -> memref.GlobalOp | None:
    """The constant global the vector input reads, when it can be stored as
    panels: a plain permutation access (MatMul's B[k, j]) of a weight, read by
    every row tile (at least one full tile of rows: a matrix-vector product
    gains nothing)."""
    src = plan.op.inputs[plan.s]
    get = src.owner
    if plan.combine is not None or plan.stride != 1 or not isinstance(get, memref.GetGlobalOp):
        return None
    m = plan.maps[plan.s]
    if not all(isinstance(e, AffineDimExpr) for e in m.results):
        return None
    dims = [e.position for e in m.results]  # type: ignore[attr-defined]
    if len(set(dims)) != len(dims) or dims[-1] != plan.j or plan.i in dims:
        return None
    if any(k not in plan.red and k not in plan.unit for k in dims[:-1]):
        return None
    t = src.type
    assert isinstance(t, MemRefType)
    if t.get_shape()[-1] != plan.ranges[plan.j] or _num_elements(src) < _PACK_MIN_ELEMENTS:
        return None
    if plan.ranges[plan.j] <= plan.lanes:
        return None
    if plan.i is None or plan.ranges[plan.i] < plan.n_rows:
        return None  # a matrix-vector product streams the weight once anyway
    module = plan.op
    while module.parent_op() is not None:
        module = module.parent_op()  # type: ignore[assignment]
    name = get.name_.string_value()
    for op in module.regions[0].block.ops:
        if isinstance(op, memref.GlobalOp) and op.sym_name.data == name:
            if isinstance(op.initial_value, DenseIntOrFPElementsAttr) and op.constant is not None:
                return op
            return None
    return None


def _packed_global(glob: memref.GlobalOp, jb: int, cache: dict) -> tuple[str, int]:
    """A global holding ``glob``'s data as panels of ``jb`` columns:
    ``P[t, rest..., c] = W[rest..., t * jb + c]`` (zero past the last column),
    flattened; returns (its name, the number of rest elements)."""
    from mlopt.backends.llvm.translate import dense_to_numpy

    key = (glob.sym_name.data, jb)
    if key in cache:
        return cache[key]
    w = dense_to_numpy(glob.initial_value)  # type: ignore[arg-type]
    *rest, cols = w.shape
    tiles = -(-cols // jb)
    padded = np.zeros((*rest, tiles * jb), dtype=np.float32)
    padded[..., :cols] = w
    nrest = int(np.prod(rest)) if rest else 1
    panels = padded.reshape(nrest, tiles, jb).transpose(1, 0, 2).copy()
    block = glob.parent
    assert block is not None
    taken = {getattr(o, "sym_name", None) and o.sym_name.data for o in block.ops}
    name = f"{glob.sym_name.data}_panels{jb}"
    while name in taken:
        name += "_"
    flat = MemRefType(_F32, [panels.size])
    value = DenseIntOrFPElementsAttr(TensorType(_F32, [panels.size]), BytesAttr(panels.tobytes()))
    new = memref.GlobalOp.get(StringAttr(name), flat, value, StringAttr("private"), UnitAttr())
    block.insert_op_after(new, glob)
    cache[key] = (name, nrest)
    return cache[key]


def _drop_unused_globals(module: ModuleOp, originals: set[str]) -> None:
    """Erase the dead reads of weights that were repacked, and the weights no
    longer read (their panels replace them)."""
    used: set[str] = set()
    for op in list(module.walk()):
        if isinstance(op, memref.GetGlobalOp):
            name = op.name_.string_value()
            if name in originals and not op.results[0].uses:
                op.detach()
                op.erase()
            else:
                used.add(name)
    for op in list(module.body.block.ops):
        if isinstance(op, memref.GlobalOp) and op.sym_name.data in originals and op.sym_name.data not in used:
            op.detach()
            op.erase()


def _hoist_above(v: SSAValue, anchor: Operation) -> None:
    """Move the pure ops defining ``v`` that come after ``anchor`` in its block
    above it (their own operands first)."""
    owner = v.owner
    if not isinstance(owner, _PURE) or owner.parent is not anchor.parent:
        return
    if owner.is_before_in_block(anchor):
        return
    for operand in owner.operands:
        _hoist_above(operand, anchor)
    owner.detach()
    anchor.parent.insert_op_before(owner, anchor)  # type: ignore[union-attr]


def _rewrite(plan: _Plan, threads: int, panels: dict) -> None:
    op = plan.op
    b = Builder(InsertPoint.before(op))
    zero = arith.ConstantOp(IntegerAttr(0, IndexType()))
    b.insert(zero)
    em = _Emitter(plan, b, b, zero.results[0])
    if plan.pack is not None:
        jb = plan.n_vec * plan.lanes
        name, nrest = _packed_global(plan.pack, jb, panels)
        t = op.inputs[plan.s].type
        assert isinstance(t, MemRefType)
        shape = t.get_shape()
        get = memref.GetGlobalOp(name, MemRefType(_F32, [-(-shape[-1] // jb) * jb * nrest]))
        b.insert(get)
        strides, acc = [], 1
        for size in reversed(shape[:-1]):
            strides.insert(0, acc)
            acc *= size
        em.panel = (get.results[0], nrest, jb, strides)
    macs = 1
    for r in plan.ranges:
        macs *= r
    em.threads = threads if macs >= _PARALLEL_MACS else 1
    # the 1-D views, made before the nest that uses them (an epilogue's operand
    # may be defined between the contraction and the epilogue: by pure ops,
    # which move up)
    buffers = list(op.operands)
    for other in (plan.init, plan.epilogue):
        if isinstance(other, linalg.GenericOp):
            buffers += other.inputs
    if plan.epilogue is not None:
        inside = set(plan.epilogue.body.block.args)
        for inner in plan.epilogue.body.walk():
            buffers += [v for v in inner.operands if v not in inside]
            inside.update(inner.results)
    for buf in buffers:
        _hoist_above(buf, zero)
    for buf in buffers:
        if plan.pack is not None and buf is op.inputs[plan.s]:
            continue  # read through its panels
        if isinstance(buf.type, MemRefType) and buf.type.get_shape():
            em._view(buf)
    _nest(em, [k for k in plan.outer if plan.ranges[k] > 1])
    for dead in (plan.init, op, plan.epilogue):
        if dead is not None:
            dead.detach()
            dead.erase()


@dataclass(frozen=True)
class LinalgContractionToVectorPass(ModulePass):
    """f32 multiply-accumulate ``linalg.generic``s -> register-blocked vector kernels."""

    name = "linalg-contraction-to-vector"

    vector_width: int = 0
    registers: int = 0
    min_macs: int = 4096
    threads: int = 1
    pack: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lanes, registers = self.vector_width, self.registers
        if lanes <= 0 or registers <= 0:
            from mlopt.backends.llvm.target import vector_shape

            host = vector_shape()
            lanes = lanes if lanes > 0 else host.lanes
            registers = registers if registers > 0 else host.registers
        panels: dict = {}
        for inner in list(op.walk()):
            if not isinstance(inner, linalg.GenericOp) or inner.parent is None:
                continue
            plan = _analyse(inner, lanes, registers, self.min_macs)
            if plan is None:
                continue
            plan.init = _find_init(plan)
            plan.epilogue = _find_epilogue(plan)
            if self.pack:
                plan.pack = _packable(plan)
            _rewrite(plan, self.threads, panels)
        if panels:
            _drop_unused_globals(op, {name for name, _ in panels})

"""Recognising the generics `linalg-contraction-to-vector` rewrites, and their plan.

A ``linalg.generic`` on static f32 memrefs qualifies when its body is
``acc + x * y`` (a contraction) or ``combine(acc, x)`` (a pooling window), or
on static i32 memrefs with the body ``mlopt.dot4(acc, x, y)`` (bytes), and
one input varies along the output's innermost loop ``j`` with a stride of 1-4;
``analyse`` returns a ``Plan``: which input is loaded as vectors (``S``), which
is broadcast (``T``), the row loop ``i``, the register tile and the loop
classification.  Shared helpers about buffers (views, roots, coverage) live
here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import (
    Float32Type,
    MemRefType,
    NoneAttr,
    i32,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.ir.affine import (
    AffineBinaryOpExpr,
    AffineBinaryOpKind,
    AffineConstantExpr,
    AffineDimExpr,
    AffineExpr,
    AffineMap,
)

from mlopt.passes.bufferize.buffers import num_elements as shape_elements


F32 = Float32Type()


def static_f32(v: SSAValue, elt: Attribute = F32) -> bool:
    """``v`` is a static identity-layout memref of ``elt`` (default f32)."""
    t = v.type
    return (
        isinstance(t, MemRefType)
        and t.element_type == elt
        and isinstance(t.layout, NoneAttr)
        and all(s > 0 for s in t.get_shape())
    )


def _nonlinear_in(expr: AffineExpr, dim: int) -> bool:
    """``d<dim>`` occurs under a floordiv, ceildiv or mod in ``expr``."""
    if not isinstance(expr, AffineBinaryOpExpr):
        return False
    if expr.kind not in (AffineBinaryOpKind.Add, AffineBinaryOpKind.Mul) and dim in expr.used_dims():
        return True
    return _nonlinear_in(expr.lhs, dim) or _nonlinear_in(expr.rhs, dim)


def coefficient(expr: AffineExpr, dim: int) -> int | None:
    """The coefficient of ``d<dim>`` in a linear ``expr`` (None if not linear in
    it: ``(d floordiv 7)`` is constant on 0, 1, 2 but not linear)."""
    if _nonlinear_in(expr, dim):
        return None
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
            c = coefficient(e, k)
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


def _is_mac_body(op: linalg.GenericOp) -> bool:
    """Whether the body is ``yield acc + a * b`` of the two inputs (any operand order)."""
    block = op.body.block
    ops = list(block.ops)
    if len(ops) != 3 or len(block.args) != 3:
        return False
    mul, add, yld = ops
    if not (isinstance(mul, arith.MulfOp) and isinstance(add, arith.AddfOp)):
        return False
    if not isinstance(yld, linalg.YieldOp) or list(yld.operands) != [add.result]:
        return False
    acc = block.args[2]
    if set(add.operands) != {acc, mul.result} or mul.result.uses.get_length() != 1:
        return False
    if acc in mul.operands:
        return False
    factors = [a.index for a in mul.operands if a in block.args]  # type: ignore[attr-defined]
    return sorted(factors) == [0, 1]


def _dot4_body(op: linalg.GenericOp) -> int | None:
    """For a body ``yield mlopt.dot4(acc, a, b)`` of the two inputs: the input
    number of ``a`` (the unsigned bytes), else None."""
    from mlopt.dialects.mlopt import Dot4Op

    block = op.body.block
    ops = list(block.ops)
    if len(ops) != 2 or len(block.args) != 3:
        return None
    dot, yld = ops
    if not isinstance(dot, Dot4Op) or not isinstance(yld, linalg.YieldOp):
        return None
    if list(yld.operands) != [dot.result] or dot.acc is not block.args[2]:
        return None
    a, b = dot.lhs, dot.rhs
    if {a, b} != {block.args[0], block.args[1]} or a is b:
        return None
    return 0 if a is block.args[0] else 1


@dataclass
class Plan:
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
    dot: int | None = None  # a byte dot product (i32): the input holding the unsigned bytes
    elt: Attribute = F32  # the element type of every operand
    # an epilogue writing another buffer (a requantization to uint8): that
    # buffer and its map over the contraction's loops; the output is then dead
    epilogue_out: tuple[SSAValue, AffineMap] | None = None

    @property
    def macs(self) -> int:
        """Iterations of the loop nest (multiply-adds of a contraction)."""
        return shape_elements(self.ranges)


def analyse(
    op: linalg.GenericOp, lanes: int, registers: int, min_macs: int, tile: tuple[int, int] | None = None
) -> Plan | None:
    """The plan of a generic the kernels can rewrite (None otherwise); its
    register tile is ``tile`` (MR, NV) when given, else chosen for ``registers``."""
    if len(op.inputs) != 2 or len(op.outputs) != 1 or op.res:
        return None
    dot = _dot4_body(op)
    elt = F32 if dot is None else i32
    if not all(static_f32(v, elt) for v in op.operands):
        return None
    combine: type[Operation] | None = None
    if dot is None and not _is_mac_body(op):
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
    if len(set(out_dims)) != len(out_dims) or not covers(out_map, op.outputs[0]):
        return None
    if buffer_root(op.outputs[0]) in (buffer_root(op.inputs[0]), buffer_root(op.inputs[1])):
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
    stride = coefficient(sres[-1], j)
    if any(j in e.used_dims() for e in sres[:-1]) or stride not in (1, 2, 3, 4):
        return None

    red = [k for k in range(n) if k not in out_dims]
    if shape_elements(ranges) < min_macs or ranges[j] < 4 or not red:
        return None
    s_dims = maps[s].used_dims()
    # rows: a loop the broadcast input depends on (a window reduction has none:
    # any loop of the input, each row loading its own vectors)
    t_dims = maps[t].used_dims() if combine is None else s_dims
    cands = [k for k in out_dims if k != j and k in t_dims and ranges[k] > 1]
    # Prefer a row loop the vector input does not depend on (its loads are shared).
    cands.sort(key=lambda k: (k in s_dims, -ranges[k]))
    if combine is not None:
        # A window reduction shares no loads between rows: rows of the tile
        # along the output's next-inner dim (a pooling's output rows) keep its
        # loads within one plane, a few streams the prefetcher follows, where
        # rows along the channels read one line from each of MR planes.
        cands.sort(key=lambda k: -out_dims.index(k))
    i = cands[0] if cands else None
    plan = Plan(
        op, s, t, maps, tuple(ranges), j, i,
        outer=[k for k in out_dims if k not in (i, j)],
        red=[k for k in red if ranges[k] > 1],
        unit=[k for k in red if ranges[k] == 1],
        lanes=lanes,
        stride=stride,
        combine=combine,
        wide_ok=stride == 1 or _overread_ok(maps[s], ranges, op.inputs[s], stride),
        dot=dot,
        elt=elt,
    )  # fmt: skip
    plan.n_rows, plan.n_vec = tile or _register_tile(ranges[i] if i is not None else 1, ranges[j], lanes, registers)
    return plan


# Cost of one register tile's loads, relative to its FMAs: per reduction step
# a tile of MR rows by NV vectors does MR * NV FMAs, NV vector loads and MR
# broadcasts.
_LOAD_COST = 0.5


def _register_tile(rows: int, cols: int, lanes: int, registers: int) -> tuple[int, int]:
    """(MR, NV): the register tile, MR rows by NV vectors of ``lanes``.  Up to
    4 vectors (2 with 16 registers) and 12 rows, the accumulators, one vector
    per column and one broadcast fitting in the registers.  Among those with at
    least 12 accumulators (enough to cover the FMA latency), the one computing
    the fewest padded elements (the last row and column tiles are full tiles
    ending at the edge), its loads weighed in: 224 columns (14 vectors) by 64
    rows is 8 x 2, not 6 x 4 (which computes 18% more)."""
    vecs = -(-cols // lanes)
    max_nv = min(4 if registers >= 32 else 2, vecs)
    best: tuple[float, int, int] | None = None
    for nv in range(max_nv, 0, -1):
        fit = max(1, (registers - nv - 1) // nv)
        for mr in range(min(rows, fit, 12), 0, -1):
            if mr * nv < min(12, rows * vecs) and not (mr == min(rows, fit, 12) and nv == max_nv):
                continue
            waste = (-(-rows // mr) * mr / rows) * (-(-vecs // nv) * nv / vecs)
            cost = waste * (1 + _LOAD_COST * (mr + nv) / (mr * nv))
            if best is None or cost < best[0] - 1e-9:
                best = (cost, mr, nv)
    assert best is not None
    return best[1], best[2]


def covers(m: AffineMap, v: SSAValue) -> bool:
    """``m`` (dims or constants) reaches every element of ``v``: constants only
    index dimensions of size 1."""
    t = v.type
    assert isinstance(t, MemRefType)
    return all(
        isinstance(e, AffineDimExpr) or (isinstance(e, AffineConstantExpr) and s == 1)
        for e, s in zip(m.results, t.get_shape(), strict=True)
    )


def buffer_root(v: SSAValue) -> SSAValue:
    while isinstance(v.owner, memref.CollapseShapeOp | memref.ExpandShapeOp):
        v = v.owner.src
    return v


def num_elements(v: SSAValue) -> int:
    t = v.type
    assert isinstance(t, MemRefType)
    return shape_elements(t.get_shape())


PURE = (arith.ConstantOp, memref.GetGlobalOp, memref.CollapseShapeOp, memref.ExpandShapeOp)


def touches(op: Operation, root: SSAValue) -> bool:
    return any(isinstance(v.type, MemRefType) and buffer_root(v) == root for v in op.operands)


def vectorisable(plan: Plan, m: AffineMap) -> bool:
    """Whether loads through ``m`` (over the contraction's loops) can be made in
    the kernel: not varying with ``j``, or with unit stride along the last dim."""
    if plan.j not in m.used_dims():
        return True
    res = m.results
    return all(plan.j not in e.used_dims() for e in res[:-1]) and coefficient(res[-1], plan.j) == 1

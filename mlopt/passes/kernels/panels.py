"""Repacking a contraction's constant vector input into panels.

MatMul's weights ``B[k, j]`` are read by every row tile along a column tile
``j0 .. j0 + jb``; stored as ``P[t, k, c] = B[k, t * jb + c]`` (zero past the
last column) each reduction step of a tile reads ``jb`` consecutive floats and
the next step the next ``jb``.  The panel layout is the stored constant; the
original weight is dropped when nothing else reads it.
"""

from __future__ import annotations


import numpy as np
from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.ir.affine import AffineDimExpr

from mlopt.passes.kernels.analysis import Plan, num_elements


_PACK_MIN_ELEMENTS = 1 << 14


def packable(plan: Plan) -> memref.GlobalOp | None:
    """The constant global the vector input reads, when it can be stored as
    panels: a plain permutation access (MatMul's B[k, j]) of a weight of at
    least 2^14 elements and more than one vector of columns."""
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
    if t.get_shape()[-1] != plan.ranges[plan.j] or num_elements(src) < _PACK_MIN_ELEMENTS:
        return None
    if plan.ranges[plan.j] <= plan.lanes:
        return None
    # A matrix-vector product (no row loop, or fewer rows than a tile) reads
    # the weight once, but in the original layout each reduction step of a
    # column tile is a row apart (16 KB for 4096 columns: a new page per
    # step); in panels the whole pass is one contiguous stream.
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


def packed_global(glob: memref.GlobalOp, jb: int, cache: dict) -> tuple[str, MemRefType, int]:
    """A global holding ``glob``'s data as panels of ``jb`` columns:
    ``P[t, rest..., c] = W[rest..., t * jb + c]`` (zero past the last column),
    flattened; returns (its name, its type, the number of rest elements).  A
    constant global of that name and type already there (made by
    `kernel-pack-weights`) is the one returned."""
    from mlopt.backends.llvm.translate import dense_to_numpy

    key = (glob.sym_name.data, jb)
    if key in cache:
        return cache[key]
    *rest, cols = glob.type.get_shape()  # type: ignore[attr-defined]
    tiles = -(-cols // jb)
    nrest = int(np.prod(rest)) if rest else 1
    elt = glob.type.element_type  # type: ignore[attr-defined]
    flat = MemRefType(elt, [tiles * jb * nrest])
    block = glob.parent
    assert block is not None
    name = f"{glob.sym_name.data}_panels{jb}"
    symbols = {o.sym_name.data: o for o in block.ops if isinstance(getattr(o, "sym_name", None), StringAttr)}
    made = symbols.get(name)
    if isinstance(made, memref.GlobalOp) and made.type == flat and made.constant is not None:
        # kernel-pack-weights' panels of this width (a tile's recorded panels)
        cache[key] = (name, flat, nrest)
        return cache[key]
    while name in symbols:
        name += "_"
    w = dense_to_numpy(glob.initial_value)  # type: ignore[arg-type]
    padded = np.zeros((*rest, tiles * jb), dtype=w.dtype)  # f32, or i32 words of bytes
    padded[..., :cols] = w
    panels = padded.reshape(nrest, tiles, jb).transpose(1, 0, 2).copy()
    value = DenseIntOrFPElementsAttr(TensorType(elt, [panels.size]), BytesAttr(panels.tobytes()))
    new = memref.GlobalOp.get(StringAttr(name), flat, value, StringAttr("private"), UnitAttr())
    block.insert_op_after(new, glob)
    cache[key] = (name, flat, nrest)
    return cache[key]


def drop_unused_globals(module: ModuleOp, originals: set[str]) -> None:
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

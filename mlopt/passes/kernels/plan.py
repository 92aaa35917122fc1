"""The kernel plan as IR: `kernel-select-tiles` and `kernel-pack-weights`.

The contraction kernels are built in three passes, each visible in
``--print-ir-after-all``:

1. ``kernel-select-tiles{vector-width=V registers=R}`` chooses the register
   tile of every ``linalg.generic`` that `linalg-contraction-to-vector` can
   rewrite (see ``analysis._register_tile``) and records it on the op as
   ``mlopt.register_tile = array<i64: MR, NV, V>``: ``MR`` rows by ``NV``
   vectors of ``V`` f32 lanes.  Like IREE's lowering configurations, the
   choice is an attribute a later pass consumes; a test or a user may write
   one by hand to force a tile.
2. ``kernel-pack-weights`` stores the constant vector input of a planned
   contraction (MatMul/Gemm's ``B[k, j]``) as panels of one column tile
   (``P[t, k, c] = B[k, t * NV * V + c]``, zero past the last column: see
   ``panels``), a new ``memref.global`` beside the original, and names it on
   the op as ``mlopt.panels = @W_panelsN``.  The op still reads the original,
   so the IR means the same thing between the passes.
3. ``linalg-contraction-to-vector`` emits the kernel with the recorded tile,
   reading the recorded panels (the original weight and any panels left
   unread are then erased).  Without the attributes it chooses both itself,
   so it also runs alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import memref
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, SymbolRefAttr, i64
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from mlopt.errors import CompileError
from mlopt.passes.kernels.analysis import Plan, analyse
from mlopt.passes.kernels.panels import packable, packed_global

TILE_ATTR = "mlopt.register_tile"
PANELS_ATTR = "mlopt.panels"


def target_shape(vector_width: int, registers: int) -> tuple[int, int]:
    """(lanes, registers): the options, 0 meaning the host's."""
    if vector_width > 0 and registers > 0:
        return vector_width, registers
    from mlopt.backends.llvm.target import vector_shape

    host = vector_shape()
    return (vector_width if vector_width > 0 else host.lanes, registers if registers > 0 else host.registers)


def target_vnni(option: int, lanes: int) -> bool:
    """Whether the kernels may use ``vpdpbusd`` on vectors of ``lanes`` i32:
    ``option`` 1/0, or -1 for the host's answer."""
    if option >= 0:
        return bool(option)
    from mlopt.backends.llvm.target import vector_shape

    return vector_shape().vnni_lanes(lanes)


def recorded_tile(op: Operation) -> tuple[int, int, int] | None:
    """(MR, NV, V) from ``mlopt.register_tile``, or None."""
    attr = op.attributes.get(TILE_ATTR)
    if not isinstance(attr, DenseArrayBase):
        return None
    vals = attr.get_values()
    if len(vals) != 3 or min(vals) < 1:
        raise CompileError(f"{TILE_ATTR} must be array<i64: MR, NV, V> of positive sizes, got {tuple(vals)}")
    return int(vals[0]), int(vals[1]), int(vals[2])


def plan_for(op: linalg.GenericOp, lanes: int, registers: int, min_macs: int) -> Plan | None:
    """``analyse``'s plan, with the register tile recorded on ``op`` if any
    (its lane count replaces ``lanes``; ``registers`` is then unused)."""
    tile = recorded_tile(op)
    if tile is None:
        return analyse(op, lanes, registers, min_macs)
    return analyse(op, tile[2], registers, min_macs, tile=(tile[0], tile[1]))


@dataclass(frozen=True)
class KernelSelectTilesPass(ModulePass):
    """Record each kernel-able contraction's register tile as ``mlopt.register_tile``."""

    name = "kernel-select-tiles"

    vector_width: int = 0
    registers: int = 0
    min_macs: int = 4096

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lanes, registers = target_shape(self.vector_width, self.registers)
        for inner in op.walk():
            if not isinstance(inner, linalg.GenericOp) or TILE_ATTR in inner.attributes:
                continue
            plan = analyse(inner, lanes, registers, self.min_macs)
            if plan is not None:
                inner.attributes[TILE_ATTR] = DenseArrayBase.from_list(i64, [plan.n_rows, plan.n_vec, lanes])


@dataclass(frozen=True)
class KernelPackWeightsPass(ModulePass):
    """Store the constant vector input of each planned contraction as panels of
    its column tile, named on the op as ``mlopt.panels``."""

    name = "kernel-pack-weights"

    min_macs: int = 4096

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        cache: dict = {}
        for inner in list(op.walk()):
            if not isinstance(inner, linalg.GenericOp) or recorded_tile(inner) is None:
                continue
            plan = plan_for(inner, 0, 0, self.min_macs)  # the recorded tile
            glob = packable(plan) if plan is not None else None
            if glob is None:
                continue
            name, _, _ = packed_global(glob, plan.n_vec * plan.lanes, cache)
            inner.attributes[PANELS_ATTR] = SymbolRefAttr(name)


def recorded_panels(op: Operation, module: ModuleOp) -> memref.GlobalOp | None:
    """The panels global ``mlopt.panels`` names, or None."""
    attr = op.attributes.get(PANELS_ATTR)
    if not isinstance(attr, SymbolRefAttr):
        return None
    name = attr.root_reference.data
    for g in module.body.block.ops:
        if isinstance(g, memref.GlobalOp) and g.sym_name.data == name:
            return g
    return None

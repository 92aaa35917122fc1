"""`profile-nodes`: time each ONNX node (or fused kernel) of the entry in the generated code.

Accepts the affine level (after ``convert-linalg-to-affine``, before
``lower-index-checks`` and ``outline-parallel-loops``), ideally compiled with
``convert-onnx-to-tensor{node-names=true}`` so that ops carry ``mlopt.nodes``
(see :mod:`mlopt.passes.node_names`). It instruments the function marked
``mlopt.entry`` (an error when there is none):

* its top-level ops are grouped by the nodes they implement: an op's nodes are
  the ``mlopt.nodes`` of the op and of every op nested in it (a fused kernel
  names all the nodes it covers). Only ops that do work form groups: ops with
  regions (loop nests), ``memref.copy`` and calls; allocations, views and
  constants join the group around them (or stand between groups), except the
  ops of a node that has no such op (a Reshape's view), which are a group of
  their own. Consecutive working ops with the same nodes are one group; an
  untagged working op is a group named ``<op name>_<k>``;
* each group is bracketed by ``func.call @mlopt_profile_stamp(%slot)``, which
  reads ``clock_gettime(CLOCK_MONOTONIC)`` (libc, resolved by the JIT) and stores
  the nanoseconds at ``@mlopt_profile[slot]``: slot 0 when the entry starts,
  slot 1 before it returns, slots ``2 + 2g`` and ``3 + 2g`` around group ``g``.
  ``@mlopt_profile`` is a mutable ``memref.global`` of ``2 + 2 * groups`` i64s
  (one per module: calls running at once would overwrite each other's
  stamps, the runtime serialises them);
* ``func.func @mlopt_profile_read(%dst: memref<Nxi64>)`` (public) copies the
  buffer out, for the runtime to call after each call of the entry;
* the entry records the groups as ``mlopt.profile = [[["<node>", "<op type>"],
  ...], ...]`` (group ``g`` at position ``g``; ``convert-func-to-llvm`` keeps it
  on the ``llvm.func``; :func:`read_profile_table`), and every ``mlopt.nodes``
  attribute in the module is erased (so outlined loop bodies still compare
  equal).

Produces: valid affine-level IR with the calls, the global and the two
functions added. Only runs when asked (``compile_model(profile=True)``,
``mlopt-run --profile``): unprofiled compilations contain no clock call.
Parallel loops (outlined later) are timed as a whole on the calling thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    FunctionType,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    UnitAttr,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region
from xdsl.passes import ModulePass

from mlopt.errors import CompileError
from mlopt.passes.node_names import Node, nodes_attr, nodes_within, strip_nodes

BUFFER = "mlopt_profile"
STAMP_FN = "mlopt_profile_stamp"
READ_FN = "mlopt_profile_read"
CLOCK_FN = "clock_gettime"
TABLE_ATTR = "mlopt.profile"
#: the slots of the call's own start and end; group g uses 2 + 2g and 3 + 2g
CALL_START, CALL_END, FIRST_GROUP_SLOT = 0, 1, 2


class ProfileError(CompileError):
    """The module cannot be instrumented."""


def read_profile_table(attr: Attribute | None) -> list[list[Node]] | None:
    """The groups of an ``mlopt.profile`` attribute (None if ``attr`` is not one)."""
    if not isinstance(attr, ArrayAttr):
        return None
    table: list[list[Node]] = []
    for group in attr.data:
        nodes: list[Node] = []
        for pair in group.data:  # type: ignore[attr-defined]
            name, typ = pair.data
            nodes.append((name.data, typ.data))
        table.append(nodes)
    return table


def _works(op: Operation) -> bool:
    """Whether ``op`` does run-time work worth a group of its own."""
    return bool(op.regions) or isinstance(op, memref.CopyOp | func.CallOp)


def _groups(block: Block) -> list[tuple[Operation, Operation, list[Node]]]:
    """(first op, last op, nodes) of each group of ``block``'s top-level ops."""
    ops = [o for o in block.ops if not isinstance(o, func.ReturnOp)]
    nodes = {id(o): nodes_within(o) for o in ops}
    covered = {n for o in ops if _works(o) for n in nodes[id(o)]}
    # 1. the working ops (and the ops of nodes without any), consecutive ones
    #    with the same nodes together
    cores: list[tuple[int, int, list[Node]]] = []  # first, last position in ops
    unnamed = 0
    for i, o in enumerate(ops):
        own = nodes[id(o)]
        if _works(o):
            if not own:
                own = [(f"{o.name}_{unnamed}", o.name)]
                unnamed += 1
        elif not own or all(n in covered for n in own):
            continue  # free: may join the group of its nodes (2.), else between groups
        if cores and cores[-1][2] == own and _only_free(ops[cores[-1][1] + 1 : i]):
            cores[-1] = (cores[-1][0], i, own)
        else:
            cores.append((i, i, own))
    # 2. each group takes the free ops of its nodes around it (the views,
    #    allocations and vector loads/stores of a kernel), not crossing another
    groups: list[tuple[Operation, Operation, list[Node]]] = []
    low = 0  # the first position the next group may take
    for g, (first, last, own) in enumerate(cores):
        high = cores[g + 1][0] - 1 if g + 1 < len(cores) else len(ops) - 1
        first = _extend(ops, nodes, first, own, range(first - 1, low - 1, -1))
        last = _extend(ops, nodes, last, own, range(last + 1, high + 1))
        low = last + 1
        groups.append((ops[first], ops[last], own))
    return groups


def _only_free(ops: list[Operation]) -> bool:
    return not any(_works(o) for o in ops)


def _extend(ops: list[Operation], nodes: dict[int, list[Node]], edge: int, own: list[Node],
            positions: range) -> int:
    """The farthest position in ``positions`` (walked from ``edge`` outwards)
    of a free op of ``own``'s nodes before a working op or an op of other nodes."""
    mine = set(own)
    for i in positions:
        o = ops[i]
        if _works(o):
            break
        theirs = nodes[id(o)]
        if theirs:
            if not set(theirs) <= mine:
                break
            edge = i
    return edge


def _stamp(slot: int) -> list[Operation]:
    c = arith.ConstantOp(IntegerAttr(slot, IndexType()))
    return [c, func.CallOp(STAMP_FN, [c.result], [])]


def _helpers(size: int) -> list[Operation]:
    """The global, ``@mlopt_profile_stamp``, ``@mlopt_profile_read`` and the
    declaration of ``clock_gettime``."""
    buf_type = MemRefType(i64, [size])
    ts_type = MemRefType(i64, [2])  # struct timespec {time_t tv_sec; long tv_nsec;}
    glob = memref.GlobalOp.get(StringAttr(BUFFER), buf_type, UnitAttr(), StringAttr("private"))

    stamp_block = Block(arg_types=[IndexType()])
    ts = memref.AllocaOp.get(i64, shape=[2])
    clock_id = arith.ConstantOp(IntegerAttr(getattr(time, "CLOCK_MONOTONIC", 1), i32))
    call = func.CallOp(CLOCK_FN, [clock_id.result, ts.memref], [i32])
    c0 = arith.ConstantOp(IntegerAttr(0, IndexType()))
    c1 = arith.ConstantOp(IntegerAttr(1, IndexType()))
    sec = memref.LoadOp.get(ts.memref, [c0.result])
    nsec = memref.LoadOp.get(ts.memref, [c1.result])
    giga = arith.ConstantOp(IntegerAttr(1_000_000_000, i64))
    scaled = arith.MuliOp(sec.res, giga.result)
    total = arith.AddiOp(scaled.result, nsec.res)
    get = memref.GetGlobalOp(BUFFER, buf_type)
    store = memref.StoreOp.get(total.result, get.memref, [stamp_block.args[0]])
    stamp_block.add_ops(
        [ts, clock_id, call, c0, c1, sec, nsec, giga, scaled, total, get, store, func.ReturnOp()]
    )
    stamp = func.FuncOp(
        STAMP_FN,
        FunctionType.from_lists([IndexType()], []),
        Region(stamp_block),
        visibility="private",
    )

    read_block = Block(arg_types=[buf_type])
    get2 = memref.GetGlobalOp(BUFFER, buf_type)
    read_block.add_ops([get2, memref.CopyOp(get2.memref, read_block.args[0]), func.ReturnOp()])
    read = func.FuncOp(READ_FN, FunctionType.from_lists([buf_type], []), Region(read_block))

    clock = func.FuncOp.external(CLOCK_FN, [i32, ts_type], [i32])
    return [glob, stamp, read, clock]


@dataclass(frozen=True)
class ProfileNodesPass(ModulePass):
    """Bracket each node's (or fused kernel's) ops in the entry with clock stamps."""

    name = "profile-nodes"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        entries = [
            f for f in op.ops if isinstance(f, func.FuncOp) and "mlopt.entry" in f.attributes
        ]
        if not entries:
            raise ProfileError("profile-nodes: the module has no function marked mlopt.entry")
        if len(entries) > 1:
            raise ProfileError("profile-nodes: the module has more than one mlopt.entry function")
        names = {f.sym_name.data for f in op.ops if isinstance(f, func.FuncOp | memref.GlobalOp)}
        taken = names & {BUFFER, STAMP_FN, READ_FN}
        if taken:
            raise ProfileError(f"profile-nodes: the module already defines @{sorted(taken)[0]}")
        entry = entries[0]
        if len(entry.body.blocks) != 1:
            raise ProfileError(f"profile-nodes: @{entry.sym_name.data} has more than one block")
        block = entry.body.block
        groups = _groups(block)
        for g, (first, last, _) in enumerate(groups):
            block.insert_ops_before(_stamp(FIRST_GROUP_SLOT + 2 * g), first)
            block.insert_ops_after(_stamp(FIRST_GROUP_SLOT + 2 * g + 1), last)
        start = _stamp(CALL_START)
        if block.first_op is None:
            block.add_ops(start)
        else:
            block.insert_ops_before(start, block.first_op)
        for ret in [o for o in block.ops if isinstance(o, func.ReturnOp)]:
            block.insert_ops_before(_stamp(CALL_END), ret)
        entry.attributes[TABLE_ATTR] = ArrayAttr([nodes_attr(nodes) for _, _, nodes in groups])
        strip_nodes(op)
        helpers = _helpers(FIRST_GROUP_SLOT + 2 * len(groups))
        if CLOCK_FN in names:  # declared already: keep that declaration
            helpers = helpers[:-1]
        op.body.block.add_ops(helpers)

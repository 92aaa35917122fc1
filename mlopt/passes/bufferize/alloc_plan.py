"""The allocation plan of one bufferized function.

Works on the straight-line body of a function (or of a loop, see
:func:`plan_block`) whose temporaries are ``memref.alloc``s of static shape:

1. each allocation moves right before its first user (unused ones vanish),
   and the collapse/expand views of it that were above that user with it;
2. allocations are visited in program order; one whose buffer can take over a
   buffer that is already dead (last use passed) with the same element type and
   element count reuses it — through a collapse/expand view when the shapes
   differ — instead of allocating;
3. every remaining buffer gets a ``memref.dealloc`` right after the last use
   of it or of any view of it;
4. the peak of the bytes held by live temporaries is returned.
"""

from __future__ import annotations

from xdsl.dialects import func, memref
from xdsl.dialects.builtin import MemRefType
from xdsl.ir import Block, Operation, SSAValue
from xdsl.rewriter import Rewriter
from xdsl.traits import IsTerminator

from mlopt.passes.bufferize.buffers import (
    byte_size,
    flat_reassociation,
    make_collapse,
    make_expand,
    num_elements,
)

_VIEWS = (memref.CollapseShapeOp, memref.ExpandShapeOp)


class _Buffer:
    __slots__ = ("alloc", "value", "type", "start", "end", "end_op")

    def __init__(self, alloc: Operation, start: int, end_op: Operation, end: int):
        self.alloc = alloc
        self.value: SSAValue = alloc.results[0]
        self.type: MemRefType = alloc.results[0].type  # type: ignore[assignment]
        self.start = start
        self.end = end
        self.end_op = end_op


def ancestor_in(op: Operation, block: Block) -> Operation:
    """The op of ``block`` that is ``op`` or contains it."""
    while op.parent_block() is not block:
        parent = op.parent_op()
        assert parent is not None
        op = parent
    return op


def _users(value: SSAValue, fn: Block) -> list[Operation]:
    """Ops of block ``fn`` using ``value`` or a collapse/expand view of it."""
    found: list[Operation] = []
    work = [value]
    while work:
        v = work.pop()
        for use in v.uses:
            user = use.operation
            if isinstance(user, _VIEWS):
                work.append(user.results[0])
            found.append(ancestor_in(user, fn))
    return found


def _views(value: SSAValue, block: Block) -> list[Operation]:
    """The collapse/expand views of ``value`` (and of its views) in ``block``."""
    found: list[Operation] = []
    work = [value]
    while work:
        for use in work.pop().uses:
            user = use.operation
            if isinstance(user, _VIEWS) and user.parent_block() is block:
                found.append(user)
                work.append(user.results[0])
    return found


def plan_allocations(fn: func.FuncOp) -> int:
    """Apply the plan to ``fn`` in place and return its peak temporary bytes."""
    return plan_block(fn.body.block)


def plan_block(block: Block) -> int:
    """Apply the plan to the ops of ``block`` (the allocations in it, used in it
    and in the regions of its ops) and return its peak temporary bytes."""
    fn = block
    for op in reversed(list(block.ops)):
        if isinstance(op, _VIEWS) and not op.results[0].uses:
            Rewriter.erase_op(op)
    allocs = [op for op in block.ops if isinstance(op, memref.AllocOp)]

    # 1. allocate late (moving allocations keeps the order of the other ops)
    pos = {op: i for i, op in enumerate(block.ops)}
    for alloc in allocs:
        users = [u for u in _users(alloc.results[0], fn) if not isinstance(u, _VIEWS)]
        views_only = not users
        if views_only:
            # Only views (or nothing) use it: drop the views and the allocation.
            for use in list(alloc.results[0].uses):
                Rewriter.erase_op(use.operation, safe_erase=False)
            Rewriter.erase_op(alloc)
            continue
        first = min(users, key=pos.__getitem__)
        block.detach_op(alloc)
        block.insert_op_before(alloc, first)
        # its views above that user move down with it, in order (they have no
        # other operand), or they would use the buffer before it is defined
        for view in sorted(_views(alloc.results[0], block), key=pos.__getitem__):
            if pos[view] < pos[first]:
                block.detach_op(view)
                block.insert_op_before(view, first)

    # 2. live ranges (views of a buffer keep it alive)
    pos = {op: i for i, op in enumerate(block.ops)}
    buffers: list[_Buffer] = []
    for op in block.ops:
        if isinstance(op, memref.AllocOp):
            last = max(_users(op.results[0], fn), key=pos.__getitem__)
            buffers.append(_Buffer(op, pos[op], last, pos[last]))

    # 3. reuse dead buffers
    physical: list[_Buffer] = []
    for b in buffers:
        donor = None
        if b.type.get_shape() and num_elements(b.type.get_shape()):
            for p in physical:
                if (
                    p.end < b.start
                    and p.type.get_element_type() == b.type.get_element_type()
                    and num_elements(p.type.get_shape()) == num_elements(b.type.get_shape())
                    and p.type.get_shape()
                    and (donor is None or (p.type == b.type and donor.type != b.type))
                ):
                    donor = p
        if donor is None:
            physical.append(b)
            continue
        replacement = donor.value
        if donor.type != b.type:
            rank = len(donor.type.get_shape())
            flat_type = MemRefType(
                b.type.get_element_type(), [num_elements(b.type.get_shape())]
            )
            if rank != 1:
                flat = make_collapse(donor.value, flat_reassociation(rank), flat_type)
                block.insert_op_before(flat, b.alloc)
                replacement = flat.results[0]
            if len(b.type.get_shape()) != 1:
                view = make_expand(
                    replacement, flat_reassociation(len(b.type.get_shape())), b.type
                )
                block.insert_op_before(view, b.alloc)
                replacement = view.results[0]
        b.alloc.results[0].replace_all_uses_with(replacement)
        Rewriter.erase_op(b.alloc)
        if b.end > donor.end:
            donor.end, donor.end_op = b.end, b.end_op

    # 4. deallocate after the last use; 5. peak
    peak = 0
    events: list[tuple[int, int]] = []
    for p in physical:
        size = byte_size(p.type)
        events.append((p.start, size))
        events.append((p.end + 1, -size))
        dealloc = memref.DeallocOp.get(p.value)
        if p.end_op is block.last_op and p.end_op.has_trait(IsTerminator):
            block.insert_op_before(dealloc, p.end_op)
        else:
            block.insert_op_after(dealloc, p.end_op)
    live = 0
    for _, delta in sorted(events, key=lambda e: (e[0], e[1])):
        live += delta
        peak = max(peak, live)
    return peak

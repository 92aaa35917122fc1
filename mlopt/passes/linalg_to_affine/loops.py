"""Building blocks for affine loop nests, shared with `bufferize`."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import affine
from xdsl.dialects.builtin import AffineMapAttr, IndexType
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineMap


def build_loop_nest(
    ranges: Sequence[int], before: Operation
) -> tuple[list[SSAValue], Block, Operation]:
    """Insert a perfect ``affine.for`` nest over ``ranges`` before ``before``.

    Returns the induction variables (outermost first), the innermost block and
    the op in it before which the body goes (its ``affine.yield``).  With no
    loops the body goes right before ``before``.
    """
    parent = before.parent
    assert parent is not None
    ivs: list[SSAValue] = []
    outer: Operation | None = None
    block: Block | None = None
    for n in ranges:
        body = Block(arg_types=(IndexType(),))
        body.add_op(affine.YieldOp.get())
        loop = affine.ForOp.from_region((), (), (), (), 0, n, Region(body))
        if block is None:
            outer = loop
        else:
            assert block.last_op is not None
            block.insert_op_before(loop, block.last_op)
        block = body
        ivs.append(body.args[0])
    if outer is None or block is None:
        return ivs, parent, before
    parent.insert_op_before(outer, before)
    assert block.last_op is not None
    return ivs, block, block.last_op


def emit_copy_loops(
    src: SSAValue,
    src_map: AffineMap,
    dst: SSAValue,
    dst_map: AffineMap,
    ranges: Sequence[int],
    before: Operation,
) -> None:
    """Loops over ``ranges`` doing ``dst[dst_map(i)] = src[src_map(i)]``."""
    ivs, block, anchor = build_loop_nest(ranges, before)
    load = affine.LoadOp(src, ivs, AffineMapAttr(src_map))
    block.insert_op_before(load, anchor)
    block.insert_op_before(affine.StoreOp(load.result, dst, ivs, AffineMapAttr(dst_map)), anchor)

"""Which ONNX nodes an op implements: the ``mlopt.nodes`` attribute.

``convert-onnx-to-tensor{node-names=true}`` (what ``compile_model(profile=True)``
runs) gives every top-level op it emits for an ONNX node the discardable
attribute ``mlopt.nodes = [["<node name>", "<op type>"]]`` (an unnamed node is
called ``<op type>_<n>``, counting from 0 the unnamed nodes of that op type
that reach the lowering, in order: constant-folded ones are not counted). The
passes below the tensor level carry it from the op they replace to the op that
replaces it (:func:`copy_nodes`); a pass that merges ops merges their lists
(:func:`merge_nodes`: ``linalg-fuse-elementwise``'s fused generic names every
node it covers, in order). ``profile-nodes`` reads the lists at the affine
level and erases them. Without the option nothing is tagged and these helpers
do nothing, so an unprofiled compilation's IR is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xdsl.dialects.builtin import ArrayAttr, StringAttr
from xdsl.ir import Block, Operation

NODES_ATTR = "mlopt.nodes"

Node = tuple[str, str]  # (node name, op type)


def nodes_attr(nodes: Sequence[Node]) -> ArrayAttr:
    return ArrayAttr([ArrayAttr([StringAttr(n), StringAttr(t)]) for n, t in nodes])


def read_nodes(op: Operation) -> list[Node]:
    """The ``mlopt.nodes`` of ``op`` itself ([] when it has none)."""
    attr = op.attributes.get(NODES_ATTR)
    if not isinstance(attr, ArrayAttr):
        return []
    out: list[Node] = []
    for pair in attr.data:
        if isinstance(pair, ArrayAttr) and len(pair.data) == 2:
            name, typ = pair.data
            if isinstance(name, StringAttr) and isinstance(typ, StringAttr):
                out.append((name.data, typ.data))
    return out


def union(lists: Iterable[Sequence[Node]]) -> list[Node]:
    """The nodes of ``lists`` in order of first appearance, each once."""
    seen: dict[Node, None] = {}
    for nodes in lists:
        for n in nodes:
            seen.setdefault(n, None)
    return list(seen)


def set_nodes(op: Operation, nodes: Sequence[Node]) -> None:
    if nodes:
        op.attributes[NODES_ATTR] = nodes_attr(nodes)


def copy_nodes(src: Operation, *dsts: Operation) -> None:
    """Give each of ``dsts`` the nodes of ``src`` (nothing when ``src`` has none)."""
    nodes = read_nodes(src)
    if nodes:
        for d in dsts:
            d.attributes[NODES_ATTR] = nodes_attr(nodes)


def copy_nodes_between(before: Operation, prev: Operation | None) -> None:
    """Give the ops inserted just before ``before`` (after ``prev``; from the
    block's start when None) the nodes of ``before``."""
    tag_range(before.parent_block(), prev, before, read_nodes(before))


def tag_range(
    block: Block | None, prev: Operation | None, end: Operation | None, nodes: Sequence[Node]
) -> None:
    """Give ``nodes`` to the ops of ``block`` after ``prev`` (from its start
    when None) up to ``end`` (exclusive; to its end when None) that have none."""
    if not nodes or block is None:
        return
    cur = prev.next_op if prev is not None else block.first_op
    attr = nodes_attr(nodes)
    while cur is not None and cur is not end:
        if NODES_ATTR not in cur.attributes:
            cur.attributes[NODES_ATTR] = attr
        cur = cur.next_op


def merge_nodes(dst: Operation, srcs: Iterable[Operation]) -> None:
    """Give ``dst`` the union of the nodes of ``srcs`` (in order)."""
    set_nodes(dst, union(read_nodes(s) for s in srcs))


def nodes_within(op: Operation) -> list[Node]:
    """The nodes of ``op`` and of every op nested in it, in order, each once."""
    return union(read_nodes(o) for o in op.walk())


def onnx_nodes(op: Operation) -> list[Node]:
    """The nodes an onnx-level op stands for: its ``mlopt.nodes`` (an op
    ``onnx-canonicalize`` fused from several), else its own node when named."""
    nodes = read_nodes(op)
    if nodes:
        return nodes
    name = op.attributes.get("onnx_node_name")
    if isinstance(name, StringAttr) and name.data:
        return [(name.data, op.name.split(".", 1)[-1])]
    return []


def mark_fused(new: Operation, *srcs: Operation) -> None:
    """Record on ``new`` (an onnx op replacing ``srcs``) the named nodes it
    covers, when they are more than one (``convert-onnx-to-tensor{node-names}``
    then names them all)."""
    nodes = union(onnx_nodes(s) for s in srcs)
    if len(nodes) > 1:
        new.attributes[NODES_ATTR] = nodes_attr(nodes)


def strip_nodes(root: Operation) -> None:
    """Erase every ``mlopt.nodes`` attribute under ``root``."""
    for o in root.walk():
        if NODES_ATTR in o.attributes:
            del o.attributes[NODES_ATTR]

"""The ``mlopt`` dialect: mlopt's own ops that survive the lowering pipeline.

``mlopt.check_index %i, %bound, %axis`` (all ``index``; ``node`` and ``op``
string properties, optional unit ``unsigned``) is a bounds check of a
data-dependent index (Gather, Scatter*, ...): with ``n = i + bound`` if
``i < 0`` (ONNX's negative indices; not for ``unsigned``) and ``n = i``
otherwise, its result is ``n`` when ``0 <= n < bound`` and ``0`` when not, so
the access that uses it is always in bounds. An out-of-range index also records
a failure (node, op type, ``i``, ``bound``, ``axis``) that the entry point
returns to its caller as an error status: the op has a side effect and is never
removed, moved or merged by generic transformations.

It is created by ``convert-onnx-to-tensor`` inside ``linalg.generic`` bodies,
passes through bufferize and ``convert-linalg-to-affine`` unchanged, and is
lowered by ``lower-index-checks`` (:mod:`mlopt.passes.index_checks`).
"""

from __future__ import annotations

from xdsl.dialects.builtin import IndexType, StringAttr, UnitAttr
from xdsl.ir import Dialect, SSAValue, Operation
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
)


@irdl_op_definition
class CheckIndexOp(IRDLOperation):
    """``%safe = mlopt.check_index %i, %bound, %axis {node = "...", op = "..."}``."""

    name = "mlopt.check_index"

    index = operand_def(IndexType)
    bound = operand_def(IndexType)
    axis = operand_def(IndexType)
    result = result_def(IndexType)

    node = prop_def(StringAttr)
    op_type = prop_def(StringAttr, prop_name="op")
    unsigned = opt_prop_def(UnitAttr)

    assembly_format = "$index `,` $bound `,` $axis attr-dict"
    irdl_options = (ParsePropInAttrDict(),)

    def __init__(
        self,
        index: SSAValue | Operation,
        bound: SSAValue | Operation,
        axis: SSAValue | Operation,
        node: str,
        op_type: str,
        unsigned: bool = False,
    ):
        props: dict = {"node": StringAttr(node), "op": StringAttr(op_type)}
        if unsigned:
            props["unsigned"] = UnitAttr()
        super().__init__(
            operands=[index, bound, axis], result_types=[IndexType()], properties=props
        )


MLOPT = Dialect("mlopt", [CheckIndexOp], [])

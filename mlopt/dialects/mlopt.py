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

``%r = mlopt.dot4 %acc, %a, %b : T`` (``T`` is ``i32`` or ``vector<N x i32>``)
is the four-way byte dot product of x86's ``vpdpbusd``: each i32 lane of
``a`` holds four unsigned bytes and the same lane of ``b`` four signed ones
(little-endian), and ``r = acc + sum_q zext(a.byte[q]) * sext(b.byte[q])``,
wrapping in i32.  The int8 convolutions and matrix products of quantized
models are contractions with this body (``convert-onnx-to-tensor``); the
kernels of ``linalg-contraction-to-vector`` emit it as the VNNI instruction
where the target has one, and ``convert-arith-to-llvm`` expands every other
use (scalar or vector) into widening multiplies and adds.
"""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import IndexType, IntegerType, StringAttr, UnitAttr, VectorType, i32
from xdsl.ir import Dialect, SSAValue, Operation
from xdsl.irdl import (
    IRDLOperation,
    VarConstraint,
    base,
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


@irdl_op_definition
class Dot4Op(IRDLOperation):
    """``%r = mlopt.dot4 %acc, %a, %b : i32`` (or ``vector<N x i32>``): ``acc``
    plus the dot product of the unsigned bytes of ``a`` and the signed bytes of
    ``b``, lane by lane (see the module docstring)."""

    name = "mlopt.dot4"

    T: ClassVar = VarConstraint("T", base(IntegerType) | base(VectorType))
    acc = operand_def(T)
    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(T)

    assembly_format = "$acc `,` $lhs `,` $rhs attr-dict `:` type($result)"

    def __init__(self, acc: SSAValue | Operation, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        acc = SSAValue.get(acc)
        super().__init__(operands=[acc, lhs, rhs], result_types=[acc.type])

    def verify_(self) -> None:
        t = self.result.type
        elt = t.element_type if isinstance(t, VectorType) else t
        if elt != i32 or (isinstance(t, VectorType) and len(t.get_shape()) != 1):
            from xdsl.utils.exceptions import VerifyException

            raise VerifyException(f"mlopt.dot4 works on i32 or a 1-D vector of i32, not {t}")


MLOPT = Dialect("mlopt", [CheckIndexOp, Dot4Op], [])

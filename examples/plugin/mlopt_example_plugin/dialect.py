"""The ``toy`` dialect: two scalar floating-point ops, and one ONNX-level op.

``toy.scale %x by 2.5 : f32``         -> ``x * 2.5``
``toy.axpy %a, %x, %y : f32``         -> ``a * x + y``
``"toy.Scale"(%t) {factor = 2.5 : f32} : (tensor<..xf32>) -> tensor<..xf32>``
    the ONNX node ``Scale`` of the custom domain ``toy`` (attribute
    ``factor``), lowered by the plugin's ONNX lowering during
    ``convert-onnx-to-tensor``.
"""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import (
    AnyFloat,
    AnyFloatConstr,
    FloatAttr,
    TensorType,
    UnrankedTensorType,
)
from xdsl.ir import Attribute, Dialect, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    VarConstraint,
    attr_def,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException


@irdl_op_definition
class ScaleOp(IRDLOperation):
    """Multiply a float by a constant factor: ``%r = toy.scale %x by 2.5 : f32``.

    The factor is a property whose float type must be the operand's type, and
    it must be finite.
    """

    name = "toy.scale"

    T: ClassVar = VarConstraint("T", AnyFloatConstr)
    input = operand_def(T)
    factor = prop_def(FloatAttr)
    result = result_def(T)

    traits = traits_def(Pure())

    def __init__(self, input: SSAValue | Operation, factor: float | FloatAttr):
        typ = SSAValue.get(input).type
        if not isinstance(factor, FloatAttr):
            assert isinstance(typ, AnyFloat)
            factor = FloatAttr(factor, typ)
        super().__init__(operands=[input], result_types=[typ], properties={"factor": factor})

    @property
    def factor_value(self) -> float:
        return self.factor.value.data

    def verify_(self) -> None:
        if self.factor.type != self.input.type:
            raise VerifyException(
                f"factor type {self.factor.type} does not match operand type {self.input.type}"
            )
        if not math.isfinite(self.factor_value):
            raise VerifyException(f"factor must be finite, got {self.factor_value}")

    # Custom assembly: `toy.scale %x by 2.5 : f32` (the factor takes the type
    # after the colon, so it is not repeated).
    @classmethod
    def parse(cls, parser: Parser) -> ScaleOp:
        operand = parser.parse_unresolved_operand()
        parser.parse_keyword("by")
        factor = float(parser.parse_number(context_msg=" after 'by'"))
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        start = parser.pos
        typ = parser.parse_type()
        if not isinstance(typ, AnyFloat):
            parser.raise_error(f"toy.scale expects a float type, got {typ}", start, parser.pos)
        op = cls(parser.resolve_operand(operand, typ), FloatAttr(factor, typ))
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.input)
        printer.print_string(" by ")
        printer.print_float(self.factor_value, self.factor.type)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)


@irdl_op_definition
class AxpyOp(IRDLOperation):
    """``%r = toy.axpy %a, %x, %y : f32`` computes ``a * x + y``.

    All three operands and the result have one float type.
    """

    name = "toy.axpy"

    a = operand_def(AnyFloatConstr)
    x = operand_def(AnyFloatConstr)
    y = operand_def(AnyFloatConstr)
    result = result_def(AnyFloatConstr)

    traits = traits_def(Pure())

    def __init__(self, a: SSAValue | Operation, x: SSAValue | Operation, y: SSAValue | Operation):
        typ = SSAValue.get(y).type
        super().__init__(operands=[a, x, y], result_types=[typ])

    def verify_(self) -> None:
        types: list[Attribute] = [self.a.type, self.x.type, self.y.type, self.result.type]
        if any(t != types[0] for t in types):
            raise VerifyException(
                "operands and result must have the same type, got "
                + ", ".join(str(t) for t in types)
            )

    @classmethod
    def parse(cls, parser: Parser) -> AxpyOp:
        a = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        x = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        y = parser.parse_unresolved_operand()
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        a_v, x_v, y_v = (parser.resolve_operand(v, typ) for v in (a, x, y))
        op = cls(a_v, x_v, y_v)
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list([self.a, self.x, self.y], printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)


@irdl_op_definition
class OnnxScaleOp(IRDLOperation):
    """The custom ONNX op ``toy.Scale``: ``Y = X * factor`` elementwise.

    Spelled like the ops of mlopt's ``onnx`` dialect: ONNX attributes are op
    attributes (``factor = 2.5 : f32``). The importer creates it for a node
    ``Scale`` of domain ``toy``; ONNX's shape inference does not know the op,
    so ``Y`` may be unranked (``tensor<*xf32>``) unless the model gives a
    ``value_info`` for it.
    """

    name = "toy.Scale"

    X = operand_def(TensorType | UnrankedTensorType)
    factor = attr_def(FloatAttr)
    Y = result_def(TensorType | UnrankedTensorType)

    traits = traits_def(Pure())

    def verify_(self) -> None:
        x, y = self.X.type, self.Y.type
        assert isinstance(x, TensorType | UnrankedTensorType)
        assert isinstance(y, TensorType | UnrankedTensorType)
        if not isinstance(x.element_type, AnyFloat) or x.element_type != y.element_type:
            raise VerifyException(f"X and Y must have one float element type, got {x} and {y}")
        if isinstance(x, TensorType) and isinstance(y, TensorType):
            xs, ys = x.get_shape(), y.get_shape()
            if len(xs) != len(ys) or any(a != b and a >= 0 and b >= 0 for a, b in zip(xs, ys)):
                raise VerifyException(f"X and Y must have the same shape, got {x} and {y}")
        if not math.isfinite(self.factor.value.data):
            raise VerifyException(f"factor must be finite, got {self.factor.value.data}")


Toy = Dialect("toy", [ScaleOp, AxpyOp, OnnxScaleOp])

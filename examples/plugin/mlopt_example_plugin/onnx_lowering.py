"""Lowering of the custom ONNX op ``toy.Scale`` to the tensor level.

mlopt's ``convert-onnx-to-tensor`` runs the pattern registered for an op's
name (``Plugin.onnx_lowerings``); it must replace the op by tensor-level IR
(contract B): here one ``linalg.generic`` over a ``tensor.empty``
destination, with ``arith.mulf`` by the constant factor in its body.
"""

from __future__ import annotations

from xdsl.dialects import arith, tensor
from xdsl.dialects.linalg.attrs import IteratorTypeAttr
from xdsl.dialects.linalg.ops import GenericOp, YieldOp
from xdsl.dialects.builtin import AffineMapAttr, FloatAttr, StringAttr, TensorType
from xdsl.ir import Block, Region
from xdsl.ir.affine import AffineMap
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern
from xdsl.utils.exceptions import PassFailedException

from mlopt_example_plugin.dialect import OnnxScaleOp


class LowerOnnxScale(RewritePattern):
    """``toy.Scale(X) {factor}`` -> ``linalg.generic { x * factor }``."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: OnnxScaleOp, rewriter: PatternRewriter) -> None:
        typ = op.Y.type
        if (
            not isinstance(typ, TensorType)
            or any(d < 0 for d in typ.get_shape())
            or op.X.type != typ
        ):
            # the tensor level has static shapes only. A DiagnosticException is
            # reported by mlopt as a clean error at the op's location.
            node = op.attributes.get("onnx_node_name")
            where = f" (node '{node.data}')" if isinstance(node, StringAttr) else ""
            raise PassFailedException(
                f"'toy.Scale'{where}: needs a static result shape, got {typ} "
                "(ONNX cannot infer it: give the model a value_info for this output)"
            )
        elt = typ.get_element_type()
        shape = typ.get_shape()
        rank = len(shape)

        body = Block(arg_types=[elt, elt])
        factor = arith.ConstantOp(FloatAttr(op.factor.value.data, elt))
        product = arith.MulfOp(body.args[0], factor.result)
        body.add_ops([factor, product, YieldOp(product.result)])

        empty = tensor.EmptyOp([], typ)
        identity = AffineMapAttr(AffineMap.identity(rank))
        generic = GenericOp(
            inputs=[op.X],
            outputs=[empty.tensor],
            body=Region(body),
            indexing_maps=[identity, identity],
            iterator_types=[IteratorTypeAttr.parallel()] * rank,
            result_types=[typ],
        )
        rewriter.replace(op, [empty, generic])

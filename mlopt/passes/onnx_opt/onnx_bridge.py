"""Compile-time bridges to the ``onnx`` package: one-node models for onnx's own
shape inference and reference evaluator, and ONNX attributes <-> xDSL attributes.

These run only inside compiler passes (type inference, constant folding); the
compiled path never evaluates a graph with them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import onnx
from onnx import AttributeProto, TensorProto, helper, numpy_helper
from xdsl.dialects.builtin import (
    ArrayAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    f32,
)
from xdsl.ir import Attribute, Operation, SSAValue

from mlopt.passes.onnx_opt.common import (
    NON_ONNX_ATTRS,
    dense_attr,
    elem_type,
    get_attr,
    is_none,
    onnx_elem_type,
    op_domain,
    op_type,
    value_shape,
)

OPSET = onnx.defs.onnx_opset_version()
ML_OPSET = 5
SI64 = IntegerType(64, Signedness.SIGNED)
I64 = IntegerType(64)


@lru_cache(maxsize=None)
def get_schema(type_name: str, domain: str = "") -> onnx.defs.OpSchema | None:
    try:
        return onnx.defs.get_schema(type_name, OPSET if domain == "" else ML_OPSET, domain)
    except Exception:
        return None


# ------------------------------------------------------------ attributes


def attribute_protos(op: Operation) -> list[AttributeProto] | None:
    """The ONNX attributes of ``op`` as protos (None if one is not convertible)."""
    schema = get_schema(op_type(op), op_domain(op))
    out: list[AttributeProto] = []
    for name in op.attributes:
        if name in NON_ONNX_ATTRS or name.startswith("onnx."):
            continue
        if schema is None or name not in schema.attributes:
            continue
        atype = schema.attributes[name].type
        if atype in (AttributeProto.GRAPH, AttributeProto.GRAPHS):
            return None
        value = get_attr(op, name)
        if value is None:
            continue
        try:
            if atype == AttributeProto.TENSOR:
                arr = np.asarray(value)
                out.append(helper.make_attribute(name, numpy_helper.from_array(arr)))
            elif atype == AttributeProto.SPARSE_TENSOR:
                return None
            else:
                out.append(helper.make_attribute(name, value, attr_type=atype))
        except Exception:
            return None
    return out


def xdsl_attribute(proto: AttributeProto) -> Attribute | None:
    """An ONNX attribute proto spelled as contract A's xDSL attribute."""
    t = proto.type
    if t == AttributeProto.INT:
        return IntegerAttr(proto.i, SI64)
    if t == AttributeProto.FLOAT:
        return FloatAttr(proto.f, f32)
    if t == AttributeProto.STRING:
        return StringAttr(proto.s.decode("utf-8", errors="replace"))
    if t == AttributeProto.INTS:
        return ArrayAttr([IntegerAttr(v, I64) for v in proto.ints])
    if t == AttributeProto.FLOATS:
        return ArrayAttr([FloatAttr(v, f32) for v in proto.floats])
    if t == AttributeProto.STRINGS:
        return ArrayAttr([StringAttr(s.decode("utf-8", errors="replace")) for s in proto.strings])
    if t == AttributeProto.TENSOR:
        arr = numpy_helper.to_array(proto.t)
        return dense_attr(arr)
    return None


# ------------------------------------------------------------ value types


def value_type_proto(v: SSAValue) -> onnx.TypeProto | None:
    et = elem_type(v.type)
    if et is None:
        return None
    code = onnx_elem_type(et)
    if code == TensorProto.UNDEFINED:
        return None
    shape = value_shape(v)
    dims = None if shape is None else [d if d >= 0 else None for d in shape]
    return helper.make_tensor_type_proto(code, dims)


def node_model(
    op: Operation,
    known: dict[SSAValue, np.ndarray] | None = None,
) -> tuple[onnx.ModelProto, list[str], list[str]] | None:
    """A one-node model for ``op``: operands become graph inputs (or
    initializers when their value is known), results graph outputs.

    Returns (model, input names, output names) or None when ``op`` cannot be
    expressed (regions, unconvertible attributes or types)."""
    if op.regions:
        return None
    attrs = attribute_protos(op)
    if attrs is None:
        return None
    known = known or {}
    inputs, inits, in_names = [], [], []
    for i, v in enumerate(op.operands):
        if is_none(v):
            in_names.append("")
            continue
        name = f"in{i}"
        in_names.append(name)
        if v in known:
            inits.append(numpy_helper.from_array(np.asarray(known[v]), name))
            tp = value_type_proto(v)
            if tp is None:
                arr = np.asarray(known[v])
                tp = helper.make_tensor_type_proto(
                    helper.np_dtype_to_tensor_dtype(arr.dtype), list(arr.shape)
                )
            inputs.append(helper.make_value_info(name, tp))
            continue
        tp = value_type_proto(v)
        if tp is None:
            return None
        inputs.append(helper.make_value_info(name, tp))
    out_names = []
    outputs = []
    for i, r in enumerate(op.results):
        if is_none(r):
            out_names.append("")
            continue
        name = f"out{i}"
        out_names.append(name)
        outputs.append(helper.make_value_info(name, onnx.TypeProto()))
    node = helper.make_node(op_type(op), in_names, out_names, domain=op_domain(op))
    node.attribute.extend(attrs)
    graph = helper.make_graph([node], "g", inputs, outputs, initializer=inits)
    opsets = [helper.make_opsetid("", OPSET)]
    if op_domain(op):
        opsets.append(helper.make_opsetid(op_domain(op), ML_OPSET))
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 10
    return model, in_names, out_names


def infer_node_types(
    op: Operation, known: dict[SSAValue, np.ndarray] | None = None
) -> list[tuple[int, tuple[int, ...] | None] | None] | None:
    """onnx's shape inference on ``op`` alone: per result (elem type code,
    shape with -1 for unknown dims, or None when the rank is unknown)."""
    built = node_model(op, known)
    if built is None:
        return None
    model, _, out_names = built
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
    except Exception:
        return None
    by_name = {vi.name: vi for vi in inferred.graph.output}
    by_name.update({vi.name: vi for vi in inferred.graph.value_info})
    res: list[Any] = []
    for name in out_names:
        vi = by_name.get(name)
        if not name or vi is None or not vi.type.HasField("tensor_type"):
            res.append(None)
            continue
        tt = vi.type.tensor_type
        shape = None
        if tt.HasField("shape"):
            shape = tuple(d.dim_value if d.HasField("dim_value") else -1 for d in tt.shape.dim)
        res.append((tt.elem_type, shape))
    return res


def reference_eval(op: Operation, inputs: list[np.ndarray | None]) -> list[np.ndarray] | None:
    """Evaluate ``op`` on constant inputs with ``onnx.reference`` (compile time)."""
    known = {v: a for v, a in zip(op.operands, inputs) if a is not None}
    built = node_model(op, known)
    if built is None:
        return None
    model, _, out_names = built
    # Feed the constants as inputs rather than initializers: simpler for the evaluator.
    graph = model.graph
    feeds = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    del graph.initializer[:]
    try:
        from onnx.reference import ReferenceEvaluator

        sess = ReferenceEvaluator(model)
        outs = sess.run(None, feeds)
    except Exception:
        return None
    results: list[np.ndarray] = []
    it = iter(outs)
    for name in out_names:
        if not name:
            results.append(None)  # type: ignore[arg-type]
        else:
            results.append(np.asarray(next(it)))
    return results

"""The ONNX dialects ``onnx`` and ``onnx_ml``, generated from ``onnx.defs``.

Every non-deprecated operator of the default domain (newest version at
onnx's newest opset) is an op ``onnx.<OpType>``; every ``ai.onnx.ml``
operator is ``onnx_ml.<OpType>``. Hand-written additions, spelled as in
onnx-mlir: ``onnx.NoValue`` (absent optional value), ``onnx.Yield`` (graph
region terminator), ``onnx.Custom`` (a node of an unknown domain), and, so
that onnx-mlir's output parses, ``onnx.Return`` and ``onnx.EntryPoint``.

See :mod:`mlopt.dialects.onnx.schema_ops` for the generation and the
verifier, and :mod:`mlopt.dialects.onnx.helpers` for ``attr``, ``is_none``,
``constant_array`` and friends.
"""

from __future__ import annotations

from xdsl.ir import Dialect

import mlopt.dialects.onnx.xdsl_fixes  # noqa: F401  (xDSL parser fix)

from mlopt.dialects.onnx.helpers import (
    attr,
    constant_array,
    dense_attr_from_numpy,
    is_none,
    numpy_from_dense_attr,
)
from mlopt.dialects.onnx.schema_ops import (
    CustomOp,
    EntryPointOp,
    ReturnOp,
    NoValueOp,
    ONNXOp,
    SchemaInfo,
    YieldOp,
    make_op_class,
    newest_schemas,
    schema_info,
)
from mlopt.dialects.onnx.types import (
    ONNX_TYPES,
    DenseStringAttr,
    MapType,
    OptType,
    SeqType,
    StringType,
    element_to_onnx_dtype,
    from_numpy_dtype,
    onnx_dtype_to_element,
    to_numpy_dtype,
    type_to_onnx_str,
)

__all__ = [
    "ONNX",
    "ONNX_ML",
    "ONNXOp",
    "SchemaInfo",
    "NoValueOp",
    "YieldOp",
    "CustomOp",
    "ReturnOp",
    "EntryPointOp",
    "StringType",
    "SeqType",
    "OptType",
    "MapType",
    "DenseStringAttr",
    "attr",
    "is_none",
    "constant_array",
    "op_class",
    "all_op_classes",
    "dense_attr_from_numpy",
    "numpy_from_dense_attr",
    "to_numpy_dtype",
    "from_numpy_dtype",
    "onnx_dtype_to_element",
    "element_to_onnx_dtype",
    "type_to_onnx_str",
]

DOMAIN_TO_DIALECT = {"": "onnx", "ai.onnx.ml": "onnx_ml"}
DIALECT_TO_DOMAIN = {v: k for k, v in DOMAIN_TO_DIALECT.items()}


def _build() -> tuple[Dialect, Dialect, dict[str, type[ONNXOp]]]:
    schemas = newest_schemas()
    classes: dict[str, type[ONNXOp]] = {}
    per_dialect: dict[str, list[type]] = {"onnx": [], "onnx_ml": []}
    for domain, dialect_name in DOMAIN_TO_DIALECT.items():
        for s in schemas.get(domain, []):
            cls = make_op_class(dialect_name, schema_info(s))
            classes[cls.name] = cls
            per_dialect[dialect_name].append(cls)
    from mlopt.dialects.onnx import onnx_mlir

    extra = onnx_mlir.all_classes(schemas)
    for cls in extra:
        classes[cls.name] = cls
    onnx_dialect = Dialect(
        "onnx",
        [*per_dialect["onnx"], *extra, NoValueOp, YieldOp, CustomOp, ReturnOp, EntryPointOp],
        [*ONNX_TYPES, onnx_mlir.LayoutAttr],
    )
    ml_dialect = Dialect("onnx_ml", per_dialect["onnx_ml"], [])
    return onnx_dialect, ml_dialect, classes


ONNX, ONNX_ML, _CLASSES = _build()


def _parse_constant(cls, parser):  # type: ignore[no-untyped-def]
    """onnx-mlir's custom form of onnx.Constant: ``onnx.Constant dense<1.0> :
    tensor<f32>`` or ``onnx.Constant {value_int = 1 : si64} : tensor<i64>``
    (mlopt prints the generic form)."""
    from xdsl.dialects.builtin import DenseIntOrFPElementsAttr

    if parser.parse_optional_punctuation("{") is not None:
        attrs: dict = {}
        while True:
            key = parser.parse_identifier()
            parser.parse_punctuation("=")
            attrs[key] = parser.parse_attribute()
            if parser.parse_optional_punctuation(",") is None:
                break
        parser.parse_punctuation("}")
        parser.parse_punctuation(":")
        result_type = parser.parse_type()
        return cls.create(result_types=[result_type], attributes=attrs)
    value = parser.parse_attribute()
    if not isinstance(value, DenseIntOrFPElementsAttr | DenseStringAttr):
        parser.raise_error("expected a dense elements attribute")
    attrs = {"value": value}
    extra = parser.parse_optional_attr_dict()
    attrs.update(extra)
    return cls.create(result_types=[value.type], attributes=attrs)


_CLASSES["onnx.Constant"].parse = classmethod(_parse_constant)  # type: ignore[method-assign]


def _parse_constant_of_shape(cls, parser):  # type: ignore[no-untyped-def]
    """onnx-mlir's custom form of onnx.ConstantOfShape: ``onnx.ConstantOfShape(%s)
    {value = dense<0.0> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>``
    (the generic form without the quotes; mlopt prints the generic form)."""
    parser.parse_punctuation("(")
    operand = parser.parse_unresolved_operand()
    parser.parse_punctuation(")")
    attrs = parser.parse_optional_attr_dict()
    parser.parse_punctuation(":")
    pos = parser.pos
    ftype = parser.parse_function_type()
    if len(ftype.inputs.data) != 1 or len(ftype.outputs.data) != 1:
        parser.raise_error("expected a function type with one input and one result", pos, parser.pos)
    (value,) = parser.resolve_operands([operand], ftype.inputs.data, pos)
    return cls.create(operands=[value], result_types=list(ftype.outputs.data), attributes=attrs)


_CLASSES["onnx.ConstantOfShape"].parse = classmethod(_parse_constant_of_shape)  # type: ignore[method-assign]


def op_class(op_type: str, domain: str = "") -> type[ONNXOp]:
    """The op class of ONNX op type ``op_type`` of ``domain`` (``"Conv"``:
    the current schema's op), or of a full op name (``"onnx.Conv"``,
    ``"onnx_ml.LabelEncoder"``, ``"onnx.SqueezeV11"``). Raises KeyError."""
    if "." in op_type and op_type.split(".", 1)[0] in DIALECT_TO_DOMAIN:
        name = op_type
    else:
        dialect = DOMAIN_TO_DIALECT.get(domain)
        if dialect is None:
            raise KeyError(f"no ONNX dialect for domain '{domain}'")
        name = f"{dialect}.{op_type}"
        cls = _CLASSES[name]
        # an ONNX (op type, domain) names the current schema's op, never one
        # of onnx-mlir's extra ops (the deprecated onnx.Upsample, onnx.Scaler)
        if getattr(cls, "ONNX_MLIR_KIND", None) is not None or cls.SCHEMA.domain != domain:
            raise KeyError(name)
        return cls
    return _CLASSES[name]


def all_op_classes() -> dict[str, type[ONNXOp]]:
    """Full op name -> class, for every schema-generated op."""
    return dict(_CLASSES)

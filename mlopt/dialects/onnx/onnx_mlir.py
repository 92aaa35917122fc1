"""onnx-mlir's ops beyond the newest ONNX schemas, so that its IR parses here.

onnx-mlir's ONNX dialect has, besides one op per current ONNX operator:

* **versioned ops** (``onnx.SqueezeV11``, ``onnx.ReduceMeanV13``, ...): an
  older schema of an operator whose signature changed, named
  ``<OpType>V<since_version>``; generated here from that schema in
  ``onnx.defs`` (:data:`VERSIONED_OPS`). The deprecated ``onnx.Scatter``
  (Scatter-11) and ``onnx.Upsample`` (Upsample-10) likewise
  (:data:`DEPRECATED_OPS`);
* the ``ai.onnx.ml`` and ``ai.onnx.preview.training`` operators in the
  ``onnx`` dialect itself (``onnx.Scaler``: mlopt's own spelling is
  ``onnx_ml.Scaler``), generated from their newest schemas;
* **extension ops** that assist onnx-mlir (``onnx.Dim``, ``onnx.DimGroup``,
  ``onnx.MaxPoolSingleOut``, ``onnx.BatchNormalizationInferenceMode``,
  ``onnx.ConcatShapeTranspose``, ``onnx.RMSLayerNormalization``,
  ``onnx.UpsampleAndPad``, ``onnx.Im2Col``, ``onnx.ShapeTransform``,
  ``onnx.LayoutTransform``, ``onnx.PrintSignature``, ``onnx.Fused``): each is
  described by a small hand-written :class:`SchemaInfo` (inputs, outputs,
  attributes and defaults as onnx-mlir defines them) and built by the same
  generator and verifier as the schema ops;
* ``#onnx.layout<{dataLayout = "NCHW4C"}>``, the tensor encoding / layout
  attribute (:class:`LayoutAttr`).

The ops all verify like schema ops (types, attribute kinds, unknown
attributes). They have no ONNX node of their own (the exporter refuses them);
``onnx-upgrade`` (:mod:`mlopt.passes.onnx_opt.upgrade`) rewrites them into
current ONNX ops where they have a meaning, so they compile.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from xdsl.dialects.builtin import DictionaryAttr, StringAttr, TensorType
from xdsl.ir import Attribute, ParametrizedAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import IsolatedFromAbove
from xdsl.utils.exceptions import VerifyException

from mlopt.dialects.onnx.schema_ops import (
    A_FLOAT,
    A_GRAPH,
    A_INT,
    A_INTS,
    A_STRING,
    OPTIONAL,
    SINGLE,
    VARIADIC,
    AttrInfo,
    FormalInfo,
    ONNXOp,
    SchemaInfo,
    make_op_class,
    schema_info,
)

# op type -> the since_versions onnx-mlir keeps as ``<OpType>V<version>``
VERSIONED_OPS: dict[str, tuple[int, ...]] = {
    "Clip": (6, 11, 12),
    "DFT": (17,),
    "GridSample": (16,),
    "GroupNormalization": (18,),
    "Pad": (2, 11, 13, 18),
    "ReduceL1": (13,),
    "ReduceL2": (13,),
    "ReduceLogSum": (13,),
    "ReduceLogSumExp": (13,),
    "ReduceMax": (13, 18),
    "ReduceMean": (13,),
    "ReduceMin": (13, 18),
    "ReduceProd": (13,),
    "ReduceSum": (11,),
    "ReduceSumSquare": (13,),
    "Resize": (10, 11, 13, 18),
    "Softmax": (11,),
    "Split": (11, 13),
    "Squeeze": (11,),
    "Unsqueeze": (11,),
    "Upsample": (7,),
}

# deprecated operators onnx-mlir keeps under their plain name: op type -> version
DEPRECATED_OPS: dict[str, int] = {"Scatter": 11, "Upsample": 10}

# domains whose operators onnx-mlir puts in the ``onnx`` dialect
ALIASED_DOMAINS = ("ai.onnx.ml", "ai.onnx.preview.training")

# which kind of onnx-mlir op a class is (the exporter and onnx-upgrade read it)
VERSIONED, DEPRECATED, EXTENSION = "versioned", "deprecated", "extension"


def _schema(op_type: str, version: int, domain: str = "") -> Any:
    import onnx.defs

    s = onnx.defs.get_schema(op_type, version, domain)
    if s.since_version != version:
        raise RuntimeError(f"onnx.defs has no {op_type}-{version} (newest below: {s.since_version})")
    return s


def _mark(cls: type[ONNXOp], kind: str) -> type[ONNXOp]:
    cls.ONNX_MLIR_KIND = kind  # type: ignore[attr-defined]
    return cls


def versioned_op_classes() -> list[type[ONNXOp]]:
    """``onnx.<OpType>V<n>`` for :data:`VERSIONED_OPS`, plus the deprecated
    ``onnx.Scatter`` and ``onnx.Upsample``."""
    out = []
    for op_type, versions in VERSIONED_OPS.items():
        for v in versions:
            info = schema_info(_schema(op_type, v))
            cls = make_op_class(
                "onnx",
                info,
                op_name=f"{op_type}V{v}",
                doc=f"ai.onnx::{op_type}-{v} (onnx-mlir's versioned op)",
            )
            out.append(_mark(cls, VERSIONED))
    for op_type, v in DEPRECATED_OPS.items():
        info = schema_info(_schema(op_type, v))
        out.append(_mark(make_op_class("onnx", info), DEPRECATED))
    return out


def aliased_domain_classes(newest: dict[str, list[Any]]) -> list[type[ONNXOp]]:
    """``onnx.<OpType>`` for every newest schema of :data:`ALIASED_DOMAINS`
    (they keep their domain: they export as nodes of it)."""
    import onnx.defs

    out = []
    for domain in ALIASED_DOMAINS:
        for s in newest.get(domain, []):
            out.append(make_op_class("onnx", schema_info(s)))
        # operators deprecated at the newest opset (TreeEnsembleClassifier,
        # TreeEnsembleRegressor): their last non-deprecated schema
        current = {s.name for s in newest.get(domain, [])}
        last: dict[str, Any] = {}
        for s in onnx.defs.get_all_schemas_with_history():
            if s.domain != domain or s.name in current or s.deprecated:
                continue
            if s.name not in last or s.since_version > last[s.name].since_version:
                last[s.name] = s
        for name in sorted(last):
            out.append(make_op_class("onnx", schema_info(last[name])))
    return out


# ---------------------------------------------------------------------------
# extension ops
# ---------------------------------------------------------------------------

_ANY = 0  # attribute of any kind (an affine map, a layout)


def _type_strs(*names: str) -> frozenset[str]:
    return frozenset(f"tensor({n})" for n in names)


def _all_tensor_types() -> frozenset[str]:
    import onnx.defs

    (tc,) = [t for t in onnx.defs.get_schema("Identity").type_constraints if t.type_param_str == "V"]
    return frozenset(s for s in tc.allowed_type_strs if s.startswith("tensor("))


_FLOATS = _type_strs("float16", "float", "double", "bfloat16")
_NUMERIC = _type_strs(
    "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
    "bfloat16", "float16", "float", "double",
)  # fmt: skip
ANY_TYPE = frozenset({"*"})  # the verifier accepts any type


def _in(name: str, allowed: frozenset[str], tp: str | None = "T", option: int = SINGLE) -> FormalInfo:
    return FormalInfo(name, option, tp, allowed, True, 1 if option == VARIADIC else 0)


def _attr(name: str, kind: int, default: Any = None, required: bool = False) -> AttrInfo:
    proto = None
    if default is not None:
        from onnx import helper

        proto = helper.make_attribute(name, default)
    return AttrInfo(name, kind, required, proto)


def _info(name: str, inputs: Iterable[FormalInfo], outputs: Iterable[FormalInfo], *attrs: AttrInfo) -> SchemaInfo:
    table = {a.name: a for a in attrs}
    return SchemaInfo(
        op_type=name,
        domain="",
        since_version=1,
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        attrs=table,
        graph_attrs=tuple(a.name for a in attrs if a.kind == A_GRAPH),
    )


def _pool_attrs() -> tuple[AttrInfo, ...]:
    return (
        _attr("auto_pad", A_STRING, "NOTSET"),
        _attr("dilations", A_INTS),
        _attr("pads", A_INTS),
        _attr("strides", A_INTS),
    )


def _extension_infos() -> dict[str, SchemaInfo]:
    all_t = _all_tensor_types()
    return {
        "Dim": _info("Dim", [_in("data", all_t)], [_in("dim", _type_strs("int64"), None)], _attr("axis", A_INT, 0)),
        "DimGroup": _info(
            "DimGroup", [_in("data", all_t)], [], _attr("axis", A_INT, 0), _attr("group_id", A_INT, -1)
        ),
        "LayoutTransform": _info(
            "LayoutTransform",
            [_in("data", _type_strs("float16", "float"))],
            [_in("output", _type_strs("float16", "float"))],
            _attr("target_layout", _ANY),
        ),
        "PrintSignature": _info(
            "PrintSignature",
            [_in("input", all_t | {"none"}, None, VARIADIC)],
            [],
            _attr("op_name", A_STRING, required=True),
            _attr("print_data", A_INT, required=True),
        ),
        "Fused": _info(
            "Fused",
            [_in("inputs", ANY_TYPE, None, VARIADIC)],
            [_in("outputs", ANY_TYPE, None, VARIADIC)],
            _attr("kind", A_STRING, required=True),
            _attr("body", A_GRAPH, required=True),
        ),
        "BatchNormalizationInferenceMode": _info(
            "BatchNormalizationInferenceMode",
            [_in("X", _FLOATS), *(_in(n, _FLOATS, None) for n in ("scale", "B", "mean", "var"))],
            [_in("o_Y", _FLOATS)],
            _attr("epsilon", A_FLOAT, 1e-5),
            _attr("momentum", A_FLOAT, 0.9),
        ),
        "MaxPoolSingleOut": _info(
            "MaxPoolSingleOut",
            [_in("X", _FLOATS | _type_strs("int8", "uint8"))],
            [_in("o_Y", _FLOATS | _type_strs("int8", "uint8"))],
            *_pool_attrs(),
            _attr("ceil_mode", A_INT, 0),
            _attr("kernel_shape", A_INTS),
            _attr("storage_order", A_INT, 0),
        ),
        "ConcatShapeTranspose": _info(
            "ConcatShapeTranspose",
            [_in("inputs", all_t, "T", VARIADIC)],
            [_in("shape", _type_strs("int64"), None), _in("transposed", all_t)],
            _attr("axis", A_INT, required=True),
            _attr("end", A_INT),
            _attr("start", A_INT, 0),
            _attr("perm", A_INTS),
        ),
        "ShapeTransform": _info(
            "ShapeTransform",
            [_in("input", _type_strs("float"))],
            [_in("output", _type_strs("float"))],
            _attr("index_map", _ANY, required=True),
        ),
        "RMSLayerNormalization": _info(
            "RMSLayerNormalization",
            [_in("X", _FLOATS), _in("Scale", _FLOATS), _in("B", _FLOATS, "T", OPTIONAL)],
            [_in("Y", _FLOATS), _in("InvStdDev", _type_strs("float", "bfloat16"), "U", OPTIONAL)],
            _attr("axis", A_INT, -1),
            _attr("epsilon", A_FLOAT, 1e-5),
            _attr("stash_type", A_INT, 1),
        ),
        "UpsampleAndPad": _info(
            "UpsampleAndPad",
            [_in("X", _NUMERIC)],
            [_in("output", _NUMERIC)],
            _attr("strides", A_INTS),
            _attr("pads", A_INTS),
        ),
        "Im2Col": _info(
            "Im2Col",
            [_in("X", _type_strs("float16", "float", "double"))],
            [_in("output", _type_strs("float16", "float", "double"))],
            *_pool_attrs(),
            _attr("kernel_shape", A_INTS, required=True),
        ),
    }


def _ranked(t: Attribute) -> tuple[int, ...] | None:
    return tuple(t.get_shape()) if isinstance(t, TensorType) else None


def _verify_dim(op: ONNXOp) -> None:
    from mlopt.dialects.onnx.helpers import attr

    axis = attr(op, "axis")
    shape = _ranked(op.operands[0].type)
    if shape is not None and not 0 <= axis < len(shape):
        raise VerifyException(f"'{op.name}' op axis {axis} is out of range for rank {len(shape)}")
    out = _ranked(op.results[0].type)
    if out is not None and out != (1,):
        raise VerifyException(f"'{op.name}' op result must be tensor<1xi64>")


def _verify_upsample_and_pad(op: ONNXOp) -> None:
    from mlopt.dialects.onnx.helpers import attr

    strides = attr(op, "strides")
    pads = attr(op, "pads")
    shape = _ranked(op.operands[0].type)
    if strides is not None and any(s < 1 for s in strides):
        raise VerifyException(f"'{op.name}' op strides must be positive")
    if strides is not None and shape is not None and len(strides) > len(shape):
        raise VerifyException(f"'{op.name}' op has {len(strides)} strides for an input of rank {len(shape)}")
    if strides is not None and pads is not None and len(pads) != 2 * len(strides):
        raise VerifyException(f"'{op.name}' op needs 2 pads per stride ({2 * len(strides)}), has {len(pads)}")


_EXTRA_VERIFY = {"Dim": _verify_dim, "UpsampleAndPad": _verify_upsample_and_pad}


def extension_op_classes() -> list[type[ONNXOp]]:
    out = []
    for name, info in _extension_infos().items():
        traits = (IsolatedFromAbove(),) if name == "Fused" else ()
        cls = make_op_class(
            "onnx", info, doc=f"onnx-mlir's onnx.{name} (an extension op)", extra_traits=traits
        )
        check = _EXTRA_VERIFY.get(name)
        if check is not None:
            base_verify = cls.verify_

            def verify_(self: ONNXOp, _base: Any = base_verify, _check: Any = check) -> None:
                _base(self)
                _check(self)

            cls.verify_ = verify_  # type: ignore[method-assign]
        out.append(_mark(cls, EXTENSION))
    return out


def onnx_mlir_kind(op: Any) -> str | None:
    """VERSIONED / DEPRECATED / EXTENSION for an onnx-mlir-only op (or op
    class), else None."""
    return getattr(op if isinstance(op, type) else type(op), "ONNX_MLIR_KIND", None)


# ---------------------------------------------------------------------------
# #onnx.layout
# ---------------------------------------------------------------------------

_LAYOUTS = ("STANDARD", "NCHW4C", "KCMN4C4K")


@irdl_attr_definition
class LayoutAttr(ParametrizedAttribute):
    """``#onnx.layout<{dataLayout = "NCHW4C"}>``: onnx-mlir's tensor layout
    (a ``tensor<...>`` encoding, or the ``target_layout`` of
    ``onnx.LayoutTransform``); ``dataLayout`` is STANDARD, NCHW4C or KCMN4C4K."""

    name = "onnx.layout"
    data_layout: StringAttr

    def __init__(self, data_layout: str):
        super().__init__(StringAttr(data_layout))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> list[Attribute]:
        parser.parse_punctuation("<")
        pos = parser.pos
        d = parser.parse_attribute()
        if not isinstance(d, DictionaryAttr) or set(d.data) != {"dataLayout"}:
            parser.raise_error('expected {dataLayout = "..."}', pos, parser.pos)
        layout = d.data["dataLayout"]
        if not isinstance(layout, StringAttr) or layout.data not in _LAYOUTS:
            parser.raise_error(f"dataLayout must be one of {', '.join(_LAYOUTS)}", pos, parser.pos)
        parser.parse_punctuation(">")
        return [layout]

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string("<{dataLayout = ")
        printer.print_attribute(self.data_layout)
        printer.print_string("}>")


def all_classes(newest: dict[str, list[Any]]) -> list[type[ONNXOp]]:
    return [*versioned_op_classes(), *aliased_domain_classes(newest), *extension_op_classes()]


__all__ = [
    "VERSIONED_OPS",
    "DEPRECATED_OPS",
    "ALIASED_DOMAINS",
    "ANY_TYPE",
    "LayoutAttr",
    "all_classes",
    "onnx_mlir_kind",
]

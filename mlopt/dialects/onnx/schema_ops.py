"""Generation of the onnx / onnx_ml op classes from ``onnx.defs``.

One IRDL op class per ONNX operator (the newest, non-deprecated schema of each
op type at onnx's newest opset) is built at import time with ``type(...)`` and
``irdl_op_definition``:

* inputs become ``operand_def`` (single and optional: an absent optional
  operand is a ``none``-typed value from ``onnx.NoValue``) or ``var_operand_def``
  (the variadic one, always last in ONNX);
* outputs likewise become ``result_def`` / ``var_result_def``;
* GRAPH attributes become regions (``region_def``), other attributes op
  attributes (``attr_def`` for required ones, ``opt_attr_def`` otherwise).

A shared verifier (:meth:`ONNXOp.verify_`) checks what the schema says and
IRDL does not: required operands not ``none``, type constraints (``T`` bound
consistently across operands/results), variadic minimum arity, attribute
kinds, required attributes, unknown attributes, and graph-region shape.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import Any, ClassVar

from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    FloatAttr,
    IntegerAttr,
    NoneType,
    StringAttr,
    SymbolRefAttr,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    attr_def,
    irdl_op_definition,
    opt_attr_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_region_def,
    var_result_def,
)
from xdsl.irdl import (
    operand_def as _operand_def,
)
from xdsl.traits import IsTerminator, NoMemoryEffect, Pure, RecursiveMemoryEffect
from xdsl.utils.exceptions import VerifyException

from mlopt.dialects.onnx.types import DenseStringAttr, type_to_onnx_str

# ONNX AttrType values (onnx.defs.OpSchema.AttrType), kept as ints so this
# module does not need the enum at verification time.
A_FLOAT, A_INT, A_STRING, A_TENSOR, A_GRAPH = 1, 2, 3, 4, 5
A_FLOATS, A_INTS, A_STRINGS, A_TENSORS, A_GRAPHS = 6, 7, 8, 9, 10
A_SPARSE_TENSOR, A_SPARSE_TENSORS, A_TYPE_PROTO, A_TYPE_PROTOS = 11, 12, 13, 14

ATTR_KIND_NAMES = {
    A_FLOAT: "FLOAT",
    A_INT: "INT",
    A_STRING: "STRING",
    A_TENSOR: "TENSOR",
    A_GRAPH: "GRAPH",
    A_FLOATS: "FLOATS",
    A_INTS: "INTS",
    A_STRINGS: "STRINGS",
    A_TENSORS: "TENSORS",
    A_GRAPHS: "GRAPHS",
    A_SPARSE_TENSOR: "SPARSE_TENSOR",
    A_SPARSE_TENSORS: "SPARSE_TENSORS",
    A_TYPE_PROTO: "TYPE_PROTO",
    A_TYPE_PROTOS: "TYPE_PROTOS",
}

SINGLE, OPTIONAL, VARIADIC = 0, 1, 2


@dataclass(frozen=True)
class FormalInfo:
    """One input or output of a schema."""

    name: str
    option: int  # SINGLE / OPTIONAL / VARIADIC
    type_param: str | None  # "T" when constrained by a type parameter
    allowed: frozenset[str]  # allowed ONNX type strings
    homogeneous: bool
    min_arity: int


@dataclass(frozen=True)
class AttrInfo:
    name: str
    kind: int  # one of A_*
    required: bool
    default: Any  # onnx AttributeProto or None


@dataclass
class SchemaInfo:
    """What the verifier and the helpers need from an ``OpSchema``."""

    op_type: str
    domain: str
    since_version: int
    inputs: tuple[FormalInfo, ...]
    outputs: tuple[FormalInfo, ...]
    attrs: dict[str, AttrInfo]
    graph_attrs: tuple[str, ...]
    # INT attributes that may also be spelled as an element type, as
    # onnx-mlir spells them (Cast's ``to = f32``, a TypeAttr there)
    type_attrs: frozenset[str] = frozenset()
    operand_fields: tuple[str, ...] = ()
    result_fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] | None = field(default=None, repr=False)

    def default(self, name: str) -> Any:
        """The schema default of attribute ``name`` as a Python value, or None."""
        if self._defaults is None:
            self._defaults = {}
        if name not in self._defaults:
            info = self.attrs.get(name)
            value = None
            if info is not None and info.default is not None:
                from onnx import helper, numpy_helper

                proto = info.default
                if proto.type != 0:
                    value = helper.get_attribute_value(proto)
                    if isinstance(value, bytes):
                        value = value.decode()
                    elif isinstance(value, list) and value and isinstance(value[0], bytes):
                        value = [v.decode() for v in value]
                    elif proto.type == A_TENSOR:
                        value = numpy_helper.to_array(value)
            self._defaults[name] = value
        return self._defaults[name]


def _describe(t: Attribute) -> str:
    return str(t)


class ONNXOp(IRDLOperation):
    """Base class of every generated ONNX op (do not instantiate directly)."""

    SCHEMA: ClassVar[SchemaInfo]

    def verify_(self) -> None:  # called after the IRDL verification
        info = type(self).SCHEMA
        bindings: dict[str, tuple[str, str]] = {}
        _verify_formals(self, info, info.inputs, self.operands, "operand", bindings)
        _verify_formals(self, info, info.outputs, self.results, "result", bindings)
        _verify_attributes(self, info)
        for rname, region in zip(info.graph_attrs, self.regions):
            _verify_graph_region(self, rname, region)


def _verify_formals(
    op: Operation,
    info: SchemaInfo,
    formals: tuple[FormalInfo, ...],
    values: Any,
    kind: str,
    bindings: dict[str, tuple[str, str]],
) -> None:
    n_fixed = sum(1 for f in formals if f.option != VARIADIC)
    for idx, value in enumerate(values):
        formal = formals[min(idx, len(formals) - 1)] if idx >= n_fixed else formals[idx]
        t = value.type
        where = f"{kind} #{idx} ('{formal.name}')"
        if isinstance(t, NoneType):
            if formal.option == OPTIONAL or "none" in formal.allowed:
                continue
            raise VerifyException(f"'{op.name}' op {where} is required but is 'none'")
        if "*" in formal.allowed:  # any type (onnx-mlir's onnx.Fused)
            continue
        s = type_to_onnx_str(t)
        if s is None:
            raise VerifyException(
                f"'{op.name}' op {where} has type {_describe(t)}, which is not an ONNX type"
            )
        if s not in formal.allowed:
            allowed = ", ".join(sorted(formal.allowed))
            raise VerifyException(
                f"'{op.name}' op {where} has type {_describe(t)} ({s}), "
                f"expected one of: {allowed}"
            )
        if formal.type_param is not None and (formal.homogeneous or formal.option != VARIADIC):
            bound = bindings.get(formal.type_param)
            if bound is None:
                bindings[formal.type_param] = (s, where)
            elif bound[0] != s:
                raise VerifyException(
                    f"'{op.name}' op type constraint '{formal.type_param}' is {bound[0]} "
                    f"for {bound[1]} but {s} for {where}"
                )
    if formals and formals[-1].option == VARIADIC:
        count = len(values) - n_fixed
        if count < formals[-1].min_arity:
            raise VerifyException(
                f"'{op.name}' op expects at least {formals[-1].min_arity} value(s) for "
                f"variadic {kind} '{formals[-1].name}', got {count}"
            )


def _is_array_of(value: Attribute, cls: type | tuple[type, ...]) -> bool:
    return isinstance(value, ArrayAttr) and all(isinstance(v, cls) for v in value.data)


def attribute_kind_ok(kind: int, value: Attribute) -> bool:
    """Whether ``value`` is a valid spelling of an ONNX attribute of ``kind``."""
    if kind == A_INT:
        return isinstance(value, IntegerAttr)
    if kind == A_FLOAT:
        return isinstance(value, FloatAttr)
    if kind == A_STRING:
        return isinstance(value, StringAttr)
    if kind == A_INTS:
        return _is_array_of(value, IntegerAttr)
    if kind == A_FLOATS:
        return _is_array_of(value, FloatAttr)
    if kind == A_STRINGS:
        return _is_array_of(value, StringAttr)
    if kind in (A_TENSOR, A_SPARSE_TENSOR):
        return isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr | DenseStringAttr)
    if kind in (A_TENSORS, A_SPARSE_TENSORS):
        return _is_array_of(value, (DenseIntOrFPElementsAttr, DenseResourceAttr, DenseStringAttr))
    if kind == A_TYPE_PROTO:
        return isinstance(value, TypeAttribute)
    if kind == A_TYPE_PROTOS:
        return _is_array_of(value, TypeAttribute)
    return True


_EXPECTED_SPELLING = {
    A_INT: "an integer attribute (e.g. '1 : si64')",
    A_FLOAT: "a float attribute (e.g. '1.0 : f32')",
    A_STRING: "a string attribute",
    A_INTS: "an array of integers",
    A_FLOATS: "an array of floats",
    A_STRINGS: "an array of strings",
    A_TENSOR: "a dense elements attribute",
    A_SPARSE_TENSOR: "a dense elements attribute",
    A_TENSORS: "an array of dense elements attributes",
    A_SPARSE_TENSORS: "an array of dense elements attributes",
    A_TYPE_PROTO: "a type",
    A_TYPE_PROTOS: "an array of types",
}


def _discardable(name: str) -> bool:
    return "." in name or name == "onnx_node_name"


def _verify_attributes(op: Operation, info: SchemaInfo) -> None:
    for name, value in op.attributes.items():
        a = info.attrs.get(name)
        if a is None:
            if _discardable(name):
                continue
            known = ", ".join(sorted(n for n in info.attrs if n not in info.graph_attrs))
            raise VerifyException(
                f"'{op.name}' op has no attribute '{name}'"
                + (f" (known: {known})" if known else "")
            )
        if a.kind == A_GRAPH:
            raise VerifyException(
                f"'{op.name}' op graph attribute '{name}' must be a region, not an attribute"
            )
        if name in info.type_attrs and _is_onnx_element_type(value):
            continue
        if not attribute_kind_ok(a.kind, value):
            raise VerifyException(
                f"'{op.name}' op attribute '{name}' ({ATTR_KIND_NAMES[a.kind]}) must be "
                f"{_EXPECTED_SPELLING.get(a.kind, 'valid')}, got {value}"
            )
    for name, a in info.attrs.items():
        if a.required and a.kind != A_GRAPH and name not in op.attributes:
            raise VerifyException(f"'{op.name}' op requires attribute '{name}'")


def _is_onnx_element_type(value: Attribute) -> bool:
    from mlopt.dialects.onnx.types import element_to_onnx_dtype

    if not isinstance(value, TypeAttribute):
        return False
    try:
        element_to_onnx_dtype(value)
    except ValueError:
        return False
    return True


def _verify_graph_region(op: Operation, name: str, region: Any) -> None:
    if len(region.blocks) != 1:
        raise VerifyException(
            f"'{op.name}' op graph region '{name}' must have exactly one block, "
            f"has {len(region.blocks)}"
        )
    last = region.blocks[0].last_op
    if last is None or last.name != "onnx.Yield":
        raise VerifyException(f"'{op.name}' op graph region '{name}' must end with onnx.Yield")


def same_signature(old: SchemaInfo, new: SchemaInfo) -> bool:
    """Whether two versions of an op have the same inputs, outputs and
    attributes (names, optionality, kinds, defaults): they then differ at
    most in the element types they allow."""
    if [(f.name, f.option) for f in old.inputs] != [(f.name, f.option) for f in new.inputs]:
        return False
    if [(f.name, f.option) for f in old.outputs] != [(f.name, f.option) for f in new.outputs]:
        return False
    if old.attrs.keys() != new.attrs.keys():
        return False
    for name, a in new.attrs.items():
        b = old.attrs[name]
        if (a.kind, a.required) != (b.kind, b.required):
            return False
        da = b"" if a.default is None else a.default.SerializeToString()
        db = b"" if b.default is None else b.default.SerializeToString()
        if da != db:
            return False
    return True


# ---------------------------------------------------------------------------
# generation
# ---------------------------------------------------------------------------

_RESERVED = set(dir(IRDLOperation)) | {"SCHEMA", "irdl_options", "traits"}


def _py_name(name: str, taken: set[str]) -> str:
    n = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "arg"
    if n[0].isdigit():
        n = "_" + n
    while keyword.iskeyword(n) or n in _RESERVED or n in taken or n.startswith("__"):
        n = n + "_"
    taken.add(n)
    return n


def _formal_info(schema: Any, formal: Any) -> FormalInfo:
    constraints = {tc.type_param_str: tc for tc in schema.type_constraints}
    tc = constraints.get(formal.type_str)
    if tc is not None:
        allowed = frozenset(tc.allowed_type_strs)
        param = formal.type_str
    else:
        allowed = frozenset([formal.type_str])
        param = None
    opt = formal.option.value if hasattr(formal.option, "value") else int(formal.option)
    return FormalInfo(
        name=formal.name,
        option=opt,
        type_param=param,
        allowed=allowed,
        homogeneous=bool(formal.is_homogeneous),
        min_arity=int(getattr(formal, "min_arity", 1)),
    )


def schema_info(schema: Any) -> SchemaInfo:
    attrs = {}
    graphs = []
    for name, a in schema.attributes.items():
        kind = int(a.type.value) if hasattr(a.type, "value") else int(a.type)
        default = a.default_value if a.default_value.type != 0 else None
        attrs[name] = AttrInfo(name, kind, bool(a.required), default)
        if kind == A_GRAPH:
            graphs.append(name)
    # onnx-mlir's region order: If has (then_branch, else_branch)
    graphs.sort(key=lambda n: (n != "then_branch", n))
    return SchemaInfo(
        op_type=schema.name,
        domain=schema.domain,
        since_version=schema.since_version,
        inputs=tuple(_formal_info(schema, f) for f in schema.inputs),
        outputs=tuple(_formal_info(schema, f) for f in schema.outputs),
        attrs=attrs,
        graph_attrs=tuple(graphs),
        type_attrs=frozenset(_TYPE_ATTRS.get((schema.domain, schema.name), ())),
    )


# INT attributes holding an ONNX data type that onnx-mlir spells as a type
_TYPE_ATTRS = {("", "Cast"): ("to",)}


_NON_PURE = {
    "RandomNormal",
    "RandomNormalLike",
    "RandomUniform",
    "RandomUniformLike",
    "Multinomial",
    "Bernoulli",
}


def make_op_class(
    dialect_name: str,
    info: SchemaInfo,
    op_name: str | None = None,
    doc: str | None = None,
    extra_traits: tuple[Any, ...] = (),
) -> type[ONNXOp]:
    """Build the IRDL op class of one schema, named ``dialect.OpType`` (or
    ``dialect.op_name``: onnx-mlir's versioned ops, ``onnx.SqueezeV11``)."""
    taken: set[str] = set()
    mnemonic = op_name or info.op_type
    body: dict[str, Any] = {"name": f"{dialect_name}.{mnemonic}"}
    operand_fields = []
    for f in info.inputs:
        py = _py_name(f.name, taken)
        body[py] = var_operand_def() if f.option == VARIADIC else _operand_def()
        operand_fields.append(py)
    result_fields = []
    for f in info.outputs:
        py = _py_name(f.name, taken)
        body[py] = var_result_def() if f.option == VARIADIC else result_def()
        result_fields.append(py)
    for name in info.graph_attrs:
        py = _py_name(name, taken)
        body[py] = region_def() if info.attrs[name].required else var_region_def()
    for name, a in info.attrs.items():
        if a.kind == A_GRAPH:
            continue
        py = _py_name(name, taken)
        if a.required:
            body[py] = attr_def(Attribute, attr_name=name)
        else:
            body[py] = opt_attr_def(Attribute, attr_name=name)
    if info.graph_attrs:
        body["traits"] = traits_def(RecursiveMemoryEffect(), *extra_traits)
    elif info.op_type not in _NON_PURE:
        body["traits"] = traits_def(NoMemoryEffect(), *extra_traits)
    elif extra_traits:
        body["traits"] = traits_def(*extra_traits)
    prefix = "ONNXML" if dialect_name == "onnx_ml" else "ONNX"
    cls_name = f"{prefix}{_py_name(mnemonic, set())}Op"
    body["__doc__"] = doc or f"{info.domain or 'ai.onnx'}::{info.op_type}-{info.since_version}"
    body["__module__"] = __name__
    cls = type(cls_name, (ONNXOp,), body)
    cls = irdl_op_definition(cls)
    info.operand_fields = tuple(operand_fields)
    info.result_fields = tuple(result_fields)
    cls.SCHEMA = info
    return cls


def newest_schemas() -> dict[str, list[Any]]:
    """domain -> newest non-deprecated schema of every op type of it."""
    import onnx.defs

    newest: dict[tuple[str, str], Any] = {}
    for s in onnx.defs.get_all_schemas_with_history():
        key = (s.domain, s.name)
        cur = newest.get(key)
        if cur is None or s.since_version > cur.since_version:
            newest[key] = s
    out: dict[str, list[Any]] = {}
    for (domain, _), s in sorted(newest.items()):
        if s.deprecated:
            continue
        out.setdefault(domain, []).append(s)
    return out


# ---------------------------------------------------------------------------
# hand-written ops (not in onnx.defs), spelled as in onnx-mlir
# ---------------------------------------------------------------------------


@irdl_op_definition
class NoValueOp(IRDLOperation):
    """``%n = "onnx.NoValue"() {value} : () -> none``: an absent optional value."""

    name = "onnx.NoValue"
    value = attr_def(UnitAttr)
    none = result_def(NoneType)
    traits = traits_def(Pure())

    def __init__(self) -> None:
        super().__init__(result_types=[NoneType()], attributes={"value": UnitAttr()})


@irdl_op_definition
class YieldOp(IRDLOperation):
    """``onnx.Yield %a, %b : tensor<f32>, tensor<2xf32>``: terminator of the
    graph regions of If/Loop/Scan (onnx-mlir's custom form; the generic form
    parses too)."""

    name = "onnx.Yield"
    values = var_operand_def()
    traits = traits_def(IsTerminator(), Pure())
    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def __init__(self, values: Any = ()) -> None:
        super().__init__(operands=[list(values)])


@irdl_op_definition
class ReturnOp(IRDLOperation):
    """``onnx.Return``: onnx-mlir's function terminator (mlopt's importer
    writes ``func.return``; this op lets onnx-mlir output parse)."""

    name = "onnx.Return"
    values = var_operand_def()
    traits = traits_def(IsTerminator(), Pure())
    assembly_format = "attr-dict ($values^ `:` type($values))?"

    def verify_(self) -> None:
        parent = self.parent_op()
        ftype = getattr(parent, "function_type", None)
        if ftype is not None and tuple(ftype.outputs.data) != tuple(v.type for v in self.values):
            raise VerifyException(
                "'onnx.Return' op operand types do not match the function result types"
            )


@irdl_op_definition
class EntryPointOp(IRDLOperation):
    """``"onnx.EntryPoint"() {func = @main_graph} : () -> ()``, as onnx-mlir
    writes it next to the imported function."""

    name = "onnx.EntryPoint"
    func = attr_def(SymbolRefAttr)


@irdl_op_definition
class CustomOp(IRDLOperation):
    """``onnx.Custom``: a node of a domain mlopt does not know.

    ``function_name`` is the op type and ``domain_name`` its domain; the other
    attributes are the node's attributes; graph attributes become regions
    whose names are listed in ``onnx.region_names``.
    """

    name = "onnx.Custom"
    inputs = var_operand_def()
    outputs = var_result_def()
    function_name = attr_def(StringAttr)
    domain_name = opt_attr_def(StringAttr)
    graphs = var_region_def()

    def verify_(self) -> None:
        for region in self.graphs:
            if len(region.blocks) != 1:
                raise VerifyException("graph regions of onnx.Custom must have one block")

"""ONNX exporter: an onnx-level ``builtin.module`` -> ``onnx.ModelProto``.

``export_model(module)`` writes the module's entry ``func.func`` (the one
carrying ``onnx.output_names``, else the only/first public one) as the main
graph:

* block arguments become graph inputs (named by their ``onnx.name`` arg
  attribute), returned values graph outputs (named by ``onnx.output_names``);
* top-level ``onnx.Constant`` ops with an ``onnx.name`` (imported initializers)
  become initializers, written from the attribute's bytes (``raw_data``);
* ``onnx.<Op>`` / ``onnx_ml.<Op>`` become nodes of the default / ``ai.onnx.ml``
  domain, ``onnx.Custom`` a node of its ``domain_name``, an op ``dom.Op`` of a
  plugin dialect a node ``Op`` of domain ``dom``; ``onnx.NoValue`` operands
  and ``none`` results become empty names; regions become GRAPH attributes;
* the opset of each domain is the smallest one at which every op used has the
  schema version mlopt's dialect was generated from (and not below the
  opset the model was imported with), the IR version the smallest that opset
  needs.

Ops that have no ONNX form (anything outside the onnx dialects and plugin
dialects) raise :class:`ONNXExportError` naming the op.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import onnx
from onnx import AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, helper
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    NoneType,
    StringAttr,
    TensorType,
    UnitAttr,
    UnrankedTensorType,
)
from xdsl.ir import Attribute, Block, Operation, OpResult, Region, SSAValue, TypeAttribute

from mlopt.dialects.onnx import (
    DenseStringAttr,
    MapType,
    ONNXOp,
    OptType,
    SeqType,
    element_to_onnx_dtype,
    numpy_from_dense_attr,
)
from mlopt.dialects.onnx.helpers import attr_value
from mlopt.dialects.onnx.onnx_mlir import onnx_mlir_kind
from mlopt.dialects.onnx.schema_ops import (
    A_FLOAT,
    A_FLOATS,
    A_INT,
    A_INTS,
    A_SPARSE_TENSOR,
    A_STRING,
    A_STRINGS,
    A_TENSOR,
    A_TENSORS,
    A_TYPE_PROTO,
    A_TYPE_PROTOS,
)
from mlopt.errors import MloptError
from mlopt.frontends.onnx import RAW_DATA_TYPES

__all__ = ["ONNXExportError", "export_model", "type_to_proto", "tensor_proto"]


class ONNXExportError(MloptError):
    """The module cannot be written as an ONNX model."""


# ---------------------------------------------------------------------------
# types and tensors
# ---------------------------------------------------------------------------


def type_to_proto(t: Attribute) -> onnx.TypeProto:
    """The ``TypeProto`` of an onnx-level type."""
    tp = onnx.TypeProto()
    if isinstance(t, TensorType | UnrankedTensorType):
        tp.tensor_type.elem_type = element_to_onnx_dtype(t.element_type)
        if isinstance(t, TensorType):
            tp.tensor_type.shape.SetInParent()
            for d in t.get_shape():
                dim = tp.tensor_type.shape.dim.add()
                if d != DYNAMIC_INDEX and d >= 0:
                    dim.dim_value = d
        return tp
    if isinstance(t, SeqType):
        tp.sequence_type.elem_type.CopyFrom(type_to_proto(t.element_type))
        return tp
    if isinstance(t, OptType):
        tp.optional_type.elem_type.CopyFrom(type_to_proto(t.element_type))
        return tp
    if isinstance(t, MapType):
        tp.map_type.key_type = element_to_onnx_dtype(t.key_type)
        tp.map_type.value_type.CopyFrom(type_to_proto(t.value_type))
        return tp
    raise ONNXExportError(f"type {t} has no ONNX counterpart")


def tensor_proto(a: Attribute, name: str = "") -> TensorProto:
    """A ``TensorProto`` holding a ``dense<...>`` / ``#onnx.dense_string``
    attribute (numbers written straight from the attribute's bytes)."""
    if isinstance(a, DenseIntOrFPElementsAttr):
        et = a.get_element_type()
        dtype = element_to_onnx_dtype(et)
        shape = list(a.get_shape())
        n = int(np.prod(shape, dtype=np.int64))
        if dtype in RAW_DATA_TYPES and np.little_endian:
            raw = a.data.data
            if len(raw) == n * et.compile_time_size:  # not a splat
                t = TensorProto()
                t.name = name
                t.data_type = dtype
                t.dims.extend(shape)
                t.raw_data = raw
                return t
        array = np.array(numpy_from_dense_attr(a), copy=True, order="C")
        if isinstance(et, IntegerType) and et.width.data == 1:
            array = array.astype(np.bool_)
        t = onnx.numpy_helper.from_array(array, name)
        if t.data_type != dtype:
            t.data_type = dtype
        return t
    if isinstance(a, DenseStringAttr):
        array = a.to_numpy()
        t = onnx.numpy_helper.from_array(
            np.array([s.encode() for s in array.reshape(-1)], dtype=object).reshape(array.shape),
            name,
        )
        return t
    raise ONNXExportError(f"attribute {a} is not a tensor")


# ---------------------------------------------------------------------------
# the exporter
# ---------------------------------------------------------------------------


class _Names:
    """Unique value names across the whole model."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.of: dict[SSAValue, str] = {}
        self.counter = 0

    def fresh(self, base: str | None) -> str:
        base = base or "v"
        name = base
        while name in self.used or not name:
            self.counter += 1
            name = f"{base}_{self.counter}"
        self.used.add(name)
        return name

    def reserve(self, name: str) -> bool:
        if name in self.used or not name:
            return False
        self.used.add(name)
        return True

    def name(self, v: SSAValue) -> str:
        if isinstance(v.type, NoneType):
            return ""
        n = self.of.get(v)
        if n is None:
            n = self.fresh(v.name_hint)
            self.of[v] = n
        return n


def _attribute_proto(name: str, kind: int | None, a: Attribute, where: str) -> AttributeProto:
    """The ``AttributeProto`` of an MLIR attribute (``kind`` from the schema,
    or None to guess from the attribute)."""
    if kind is None:
        if isinstance(a, IntegerAttr):
            kind = A_INT
        elif isinstance(a, FloatAttr):
            kind = A_FLOAT
        elif isinstance(a, StringAttr):
            kind = A_STRING
        elif isinstance(a, DenseIntOrFPElementsAttr | DenseStringAttr):
            kind = A_TENSOR
        elif isinstance(a, TypeAttribute):
            kind = A_TYPE_PROTO
        elif isinstance(a, ArrayAttr):
            items = a.data
            if items and all(isinstance(x, FloatAttr) for x in items):
                kind = A_FLOATS
            elif items and all(isinstance(x, StringAttr) for x in items):
                kind = A_STRINGS
            elif items and all(isinstance(x, DenseIntOrFPElementsAttr | DenseStringAttr) for x in items):
                kind = A_TENSORS
            elif items and all(isinstance(x, TypeAttribute) for x in items):
                kind = A_TYPE_PROTOS
            else:
                kind = A_INTS
        else:
            raise ONNXExportError(f"{where}: attribute '{name}' ({a}) has no ONNX form")
    p = AttributeProto()
    p.name = name
    if kind == A_INT:
        p.type = AttributeProto.INT
        # an ONNX data type spelled as an element type (onnx-mlir's Cast ``to = f32``)
        p.i = element_to_onnx_dtype(a) if isinstance(a, TypeAttribute) else int(attr_value(a))
    elif kind == A_FLOAT:
        p.type = AttributeProto.FLOAT
        p.f = float(attr_value(a))
    elif kind == A_STRING:
        p.type = AttributeProto.STRING
        p.s = str(attr_value(a)).encode()
    elif kind == A_INTS:
        p.type = AttributeProto.INTS
        p.ints.extend(int(x) for x in attr_value(a))
    elif kind == A_FLOATS:
        p.type = AttributeProto.FLOATS
        p.floats.extend(float(x) for x in attr_value(a))
    elif kind == A_STRINGS:
        p.type = AttributeProto.STRINGS
        p.strings.extend(str(x).encode() for x in attr_value(a))
    elif kind in (A_TENSOR, A_SPARSE_TENSOR):
        # sparse tensors were densified on import: write a dense tensor
        p.type = AttributeProto.TENSOR
        p.t.CopyFrom(tensor_proto(a))
        if kind == A_SPARSE_TENSOR:
            p.name = "value" if name == "sparse_value" else name
    elif kind == A_TENSORS:
        p.type = AttributeProto.TENSORS
        assert isinstance(a, ArrayAttr)
        p.tensors.extend(tensor_proto(x) for x in a.data)
    elif kind == A_TYPE_PROTO:
        p.type = AttributeProto.TYPE_PROTO
        p.tp.CopyFrom(type_to_proto(a))
    elif kind == A_TYPE_PROTOS:
        p.type = AttributeProto.TYPE_PROTOS
        assert isinstance(a, ArrayAttr)
        p.type_protos.extend(type_to_proto(x) for x in a.data)
    else:
        raise ONNXExportError(f"{where}: attribute '{name}' of kind {kind} cannot be exported")
    return p


# ---------------------------------------------------------------------------
# choosing the opset
# ---------------------------------------------------------------------------

_HISTORY: dict[tuple[str, str], list[Any]] | None = None


def _history(domain: str, op_type: str) -> list[Any]:
    """SchemaInfos of every version of an op, oldest first."""
    global _HISTORY
    if _HISTORY is None:
        from mlopt.dialects.onnx.schema_ops import schema_info

        hist: dict[tuple[str, str], list[Any]] = {}
        for sch in onnx.defs.get_all_schemas_with_history():
            hist.setdefault((sch.domain, sch.name), []).append(sch)
        _HISTORY = {
            k: [schema_info(x) for x in sorted(v, key=lambda x: x.since_version)]
            for k, v in hist.items()
        }
    return _HISTORY.get((domain, op_type), [])


def _same_signature(old: Any, new: Any, op: Operation) -> bool:
    """Whether schema ``old`` means the same as ``new`` for ``op``: same
    inputs/outputs and attributes (kinds, defaults), and every type ``op``
    uses allowed by ``old``."""
    from mlopt.dialects.onnx.schema_ops import same_signature
    from mlopt.dialects.onnx.types import type_to_onnx_str

    if not same_signature(old, new):
        return False
    for values, formals in ((op.operands, old.inputs), (op.results, old.outputs)):
        n_fixed = sum(1 for f in formals if f.option != 2)
        for i, v in enumerate(values):
            if isinstance(v.type, NoneType) or not formals:
                continue
            f = formals[i] if i < n_fixed else formals[-1]
            if type_to_onnx_str(v.type) not in f.allowed:
                return False
    return True


def _lowest_equivalent_version(op: ONNXOp) -> int:
    """The lowest opset from which on ``op``'s schema means the same as the
    newest one (the dialect's), so the op can be written at that opset."""
    info = type(op).SCHEMA
    versions = _history(info.domain, info.op_type)
    lowest = info.since_version
    for old in reversed(versions[:-1]):
        if old.since_version >= info.since_version:
            continue
        if not _same_signature(old, info, op):
            break
        lowest = old.since_version
    return lowest


class _Exporter:
    def __init__(self) -> None:
        self.names = _Names()
        self.opsets: dict[str, int] = {}

    def use_domain(self, domain: str, version: int) -> None:
        self.opsets[domain] = max(self.opsets.get(domain, 1), version)

    def export_block(
        self,
        block: Block,
        graph: GraphProto,
        input_names: Sequence[str | None],
        output_values: Sequence[SSAValue],
        output_names: Sequence[str | None],
        top_level: bool,
    ) -> None:
        # inputs
        for arg, want in zip(block.args, input_names):
            name = want if want and self.names.reserve(want) else self.names.fresh(want or arg.name_hint or "input")
            self.names.of[arg] = name
            vi = graph.input.add()
            vi.name = name
            vi.type.CopyFrom(type_to_proto(arg.type))
        # pre-name produced values that are returned once, so no Identity is needed
        counts: dict[SSAValue, int] = {}
        for v in output_values:
            counts[v] = counts.get(v, 0) + 1
        produced_here = {r for op in block.ops for r in op.results}
        direct: dict[int, str] = {}
        for k, (v, want) in enumerate(zip(output_values, output_names)):
            if (
                counts[v] == 1
                and v in produced_here
                and v not in self.names.of
                and not self._is_initializer(v, top_level)
            ):
                if want is None:
                    direct[k] = self.names.name(v)
                elif self.names.reserve(want):
                    self.names.of[v] = want
                    direct[k] = want
        # body
        for op in block.ops:
            if op is block.last_op and op.name in ("func.return", "onnx.Return", "onnx.Yield"):
                continue
            self.export_op(op, graph, top_level)
        # outputs
        for k, (v, want) in enumerate(zip(output_values, output_names)):
            vi = graph.output.add()
            if k in direct:
                vi.name = direct[k]
            else:
                src = self.names.name(v)
                out = want if want and self.names.reserve(want) else self.names.fresh(want or "output")
                graph.node.append(helper.make_node("Identity", [src], [out]))
                self.use_domain("", 1)
                vi.name = out
            if isinstance(v.type, NoneType):
                raise ONNXExportError("a graph output has type 'none'")
            vi.type.CopyFrom(type_to_proto(v.type))

    @staticmethod
    def _is_initializer(v: SSAValue, top_level: bool) -> bool:
        return (
            top_level
            and isinstance(v, OpResult)
            and v.owner.name == "onnx.Constant"
            and "onnx.name" in v.owner.attributes
            and "value" in v.owner.attributes
        )

    def export_op(self, op: Operation, graph: GraphProto, top_level: bool) -> None:
        where = f"op '{op.name}'"
        if op.name == "onnx.NoValue":
            return
        if self._is_initializer(op.results[0], top_level) if op.results else False:
            want = op.attributes["onnx.name"]
            assert isinstance(want, StringAttr)
            name = want.data if self.names.reserve(want.data) else self.names.fresh(want.data)
            self.names.of[op.results[0]] = name
            graph.initializer.append(tensor_proto(op.attributes["value"], name))
            return
        node = NodeProto()
        node_name = op.attributes.get("onnx_node_name")
        if isinstance(node_name, StringAttr):
            node.name = node_name.data
        region_names: list[str] = []
        if isinstance(op, ONNXOp) and onnx_mlir_kind(op) is not None:
            raise ONNXExportError(
                f"{where} is an onnx-mlir {onnx_mlir_kind(op)} op with no ONNX node of its own "
                "(run the onnx-upgrade pass first)"
            )
        if isinstance(op, ONNXOp):
            info = type(op).SCHEMA
            node.op_type = info.op_type
            node.domain = info.domain
            self.use_domain(info.domain, _lowest_equivalent_version(op))
            for name, a in op.attributes.items():
                ai = info.attrs.get(name)
                if ai is None:
                    continue
                node.attribute.append(_attribute_proto(name, ai.kind, a, where))
            region_names = list(info.graph_attrs)
        elif op.name == "onnx.EntryPoint":
            return
        elif op.name == "onnx.Custom":
            fn = op.attributes["function_name"]
            dom = op.attributes.get("domain_name")
            assert isinstance(fn, StringAttr)
            node.op_type = fn.data
            node.domain = dom.data if isinstance(dom, StringAttr) else ""
            self.use_domain(node.domain, 1)
            rn = op.attributes.get("onnx.region_names")
            if isinstance(rn, ArrayAttr):
                region_names = [x.data for x in rn.data]  # type: ignore[union-attr]
            for name, a in op.attributes.items():
                if name in ("function_name", "domain_name") or "." in name or name == "onnx_node_name":
                    continue
                node.attribute.append(_attribute_proto(name, None, a, where))
        elif op.name.split(".", 1)[0] not in ("builtin", "func", "arith", "tensor", "linalg", "memref", "affine", "scf", "cf", "llvm", "math"):
            domain, _, op_type = op.name.rpartition(".")
            node.op_type = op_type
            node.domain = domain
            self.use_domain(domain, 1)
            region_names = [f"graph_{i}" for i in range(len(op.regions))]
            for name, a in op.attributes.items():
                if "." in name or name == "onnx_node_name" or isinstance(a, UnitAttr):
                    continue
                node.attribute.append(_attribute_proto(name, None, a, where))
        else:
            raise ONNXExportError(f"{where} has no ONNX form (only onnx-level modules can be exported)")
        # inputs (trailing absent ones dropped)
        inputs = [self.names.name(v) for v in op.operands]
        while inputs and inputs[-1] == "":
            inputs.pop()
        node.input.extend(inputs)
        outputs = [self.names.name(r) for r in op.results]
        while outputs and outputs[-1] == "":
            outputs.pop()
        node.output.extend(outputs)
        # regions -> GRAPH attributes
        for rname, region in zip(region_names, op.regions):
            node.attribute.append(helper.make_attribute(rname, self.export_region(region, rname)))
        node.attribute.sort(key=lambda a: a.name)
        graph.node.append(node)

    def export_region(self, region: Region, name: str) -> GraphProto:
        block = region.block
        term = block.last_op
        if term is None or term.name != "onnx.Yield":
            raise ONNXExportError(f"graph region '{name}' does not end with onnx.Yield")
        g = GraphProto()
        g.name = name
        self.export_block(
            block,
            g,
            [None] * len(block.args),
            list(term.operands),
            [None] * len(term.operands),
            top_level=False,
        )
        return g


def _entry_function(module: ModuleOp) -> func.FuncOp:
    funcs = [op for op in module.ops if isinstance(op, func.FuncOp)]
    if not funcs:
        raise ONNXExportError("the module has no func.func to export")
    for f in funcs:
        if "onnx.output_names" in f.attributes:
            return f
    for op in module.ops:  # onnx-mlir names its entry function so
        if op.name == "onnx.EntryPoint":
            target = op.attributes["func"].root_reference.data  # type: ignore[attr-defined]
            for f in funcs:
                if f.sym_name.data == target:
                    return f
    public = [f for f in funcs if f.sym_visibility is None or f.sym_visibility.data == "public"]
    return (public or funcs)[0]


def export_model(module: ModuleOp, *, producer_name: str = "mlopt") -> ModelProto:
    """Write an onnx-level module as an ONNX ``ModelProto``."""
    fn = _entry_function(module)
    if fn.body.blocks == () or not fn.body.blocks:
        raise ONNXExportError(f"function @{fn.sym_name.data} has no body")
    block = fn.body.block
    ret = block.last_op
    if ret is None or ret.name not in ("func.return", "onnx.Return"):
        raise ONNXExportError(f"function @{fn.sym_name.data} does not end with func.return")
    input_names: list[str | None] = []
    arg_attrs = fn.arg_attrs.data if fn.arg_attrs is not None else ()
    for i in range(len(block.args)):
        name = None
        if i < len(arg_attrs) and isinstance(arg_attrs[i], DictionaryAttr):
            n = arg_attrs[i].data.get("onnx.name")
            if isinstance(n, StringAttr):
                name = n.data
        input_names.append(name)
    out_attr = fn.attributes.get("onnx.output_names") or fn.attributes.get("output_names")
    output_names: list[str | None] = [None] * len(ret.operands)
    if isinstance(out_attr, ArrayAttr):
        for i, n in enumerate(out_attr.data[: len(output_names)]):
            if isinstance(n, StringAttr):
                output_names[i] = n.data
    exp = _Exporter()
    graph = GraphProto()
    graph.name = fn.sym_name.data
    exp.export_block(block, graph, input_names, list(ret.operands), output_names, top_level=True)
    # opsets: at least what the model was imported with
    imported = module.attributes.get("onnx.opset_import")
    if isinstance(imported, DictionaryAttr):
        for dom, v in imported.data.items():
            d = "" if dom == "ai.onnx" else dom
            if d in exp.opsets and isinstance(v, IntegerAttr):
                exp.use_domain(d, int(v.value.data))
    exp.opsets.setdefault("", 1)
    opsets = [helper.make_opsetid(d, v) for d, v in sorted(exp.opsets.items())]
    model = helper.make_model(graph, opset_imports=opsets, producer_name=producer_name)
    try:
        model.ir_version = max(helper.find_min_ir_version_for(opsets, ignore_unknown=True), 7)
    except Exception:
        pass
    return model

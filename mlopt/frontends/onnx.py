"""ONNX importer: ``ModelProto`` -> ``builtin.module`` in the onnx dialect.

``import_model(model, *, input_shapes=None)`` accepts a path, the serialized
bytes or a ``ModelProto`` and returns a verified module holding one
``func.func @<graph name>`` (``@main_graph`` when the graph is unnamed):

* graph inputs (those without an initializer) become the function's
  arguments, in graph order, with ``{onnx.name = "<name>"}`` arg attributes;
  graph outputs are returned in graph order and named by the function's
  ``onnx.output_names`` attribute;
* initializers become ``onnx.Constant`` ops whose ``value`` is a byte-buffer
  ``dense<...>`` attribute (built from the raw bytes, never Python lists) and
  whose ``onnx.name`` keeps the initializer's name;
* every node becomes ``onnx.<OpType>`` / ``onnx_ml.<OpType>`` (operands in
  schema order, absent optional ones from ``onnx.NoValue``), an op
  ``<domain>.<OpType>`` where one is registered in the context (plugins), or
  ``onnx.Custom`` for other domains; ``onnx_node_name`` keeps the node name;
* GRAPH attributes (If/Loop/Scan bodies) become regions whose block arguments
  are the subgraph inputs and whose terminator is ``onnx.Yield``; subgraphs
  may use values of the enclosing graphs.

onnxruntime's quantized ``com.microsoft`` operators (QLinearAdd, QLinearConcat,
QGemm, ...) are first expanded into the standard DequantizeLinear -> float op
-> QuantizeLinear graphs that define them (``mlopt.frontends.onnx_contrib``).

Older default-domain opsets are upgraded with ``onnx.version_converter`` when
one of the model's ops changed since (Scan-8, which has no converter adapter,
is first rewritten into per-batch-element Scan-9 nodes); types come from
``onnx.shape_inference`` (with data propagation), after ``input_shapes`` has
replaced the declared (symbolic) input dimensions.

Every problem with the model raises :class:`ONNXImportError` with one message
naming the node and its op type.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto, TypeProto
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    NoneType,
    Signedness,
    StringAttr,
    TensorType,
    UnrankedTensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.dialects.builtin import UnregisteredOp
from xdsl.utils.exceptions import VerifyException

from mlopt.errors import ModelImportError
from mlopt.frontends.onnx_contrib import expand_quantized_contrib
from mlopt.dialects.onnx import (
    CustomOp,
    MapType,
    NoValueOp,
    OptType,
    SeqType,
    StringType,
    YieldOp,
    dense_attr_from_numpy,
    onnx_dtype_to_element,
    op_class,
)
from mlopt.dialects.onnx.schema_ops import OPTIONAL, VARIADIC, SchemaInfo
from mlopt.dialects.onnx.types import ONNX_NAME_TO_ELEMENT, to_numpy_dtype

__all__ = ["ONNXImportError", "import_model", "load_model"]

si64 = IntegerType(64, Signedness.SIGNED)

DEFAULT_DOMAINS = ("", "ai.onnx")
ML_DOMAIN = "ai.onnx.ml"


class ONNXImportError(ModelImportError):
    """The ONNX model cannot be imported (the message names node and op)."""


# ---------------------------------------------------------------------------
# loading
# ---------------------------------------------------------------------------


def load_model(model: Any) -> ModelProto:
    """A ``ModelProto`` from a path, serialized bytes or a ``ModelProto``."""
    if isinstance(model, ModelProto):
        proto = model
    elif isinstance(model, bytes | bytearray | memoryview):
        proto = _parse_bytes(bytes(model))
        if _has_external_data(proto):
            raise ONNXImportError(
                "the model refers to external data files; import it from its path instead of bytes"
            )
    elif isinstance(model, str | os.PathLike):
        path = Path(model)
        if not path.is_file():
            raise ONNXImportError(f"{path}: no such ONNX model file")
        proto = _parse_bytes(path.read_bytes())
        if _has_external_data(proto):
            try:
                from onnx.external_data_helper import load_external_data_for_model

                load_external_data_for_model(proto, str(path.parent))
            except (OSError, ValueError, onnx.checker.ValidationError) as e:
                raise ONNXImportError(f"{path}: cannot load external data: {e}") from None
    else:
        raise ONNXImportError(
            f"cannot import an object of type {type(model).__name__}: "
            "pass a path, bytes or an onnx.ModelProto"
        )
    if not proto.HasField("graph") or proto.ir_version <= 0:
        raise ONNXImportError("not an ONNX model: the protobuf has no graph or no IR version")
    _check_names(proto)
    return proto


def _check_names(model: ModelProto) -> None:
    """Names that are not valid UTF-8 (protobuf then hands out bytes) mean a
    corrupt model."""

    def bad(where: str) -> ONNXImportError:
        return ONNXImportError(f"not a valid ONNX model: {where} is not valid UTF-8 text")

    for o in model.opset_import:
        if not isinstance(o.domain, str):
            raise bad("an opset domain")

    def graph(g: GraphProto) -> None:
        if not isinstance(g.name, str):
            raise bad("a graph name")
        for vi in list(g.input) + list(g.output) + list(g.value_info):
            if not isinstance(vi.name, str):
                raise bad("a value name")
        for t in g.initializer:
            if not isinstance(t.name, str):
                raise bad("an initializer name")
        for n in g.node:
            fields = [n.op_type, n.domain, n.name, *n.input, *n.output]
            if not all(isinstance(x, str) for x in fields):
                raise bad(f"a name in node #{list(g.node).index(n)}")
            for a in n.attribute:
                if not isinstance(a.name, str) or not isinstance(a.ref_attr_name, str):
                    raise bad(f"an attribute name of node '{n.name}'")
                if a.HasField("g"):
                    graph(a.g)
                for sg in a.graphs:
                    graph(sg)

    graph(model.graph)


def _parse_bytes(data: bytes) -> ModelProto:
    proto = ModelProto()
    try:
        proto.ParseFromString(data)
    except Exception as e:  # google.protobuf.message.DecodeError and friends
        raise ONNXImportError(f"not a valid ONNX model: protobuf decoding failed ({e})") from None
    return proto


def _has_external_data(model: ModelProto) -> bool:
    def tensors(g: GraphProto) -> Iterable[TensorProto]:
        yield from g.initializer
        for n in g.node:
            for a in n.attribute:
                if a.HasField("t"):
                    yield a.t
                yield from a.tensors
                if a.HasField("g"):
                    yield from tensors(a.g)
                for sg in a.graphs:
                    yield from tensors(sg)

    return any(
        t.data_location == TensorProto.EXTERNAL and not t.raw_data for t in tensors(model.graph)
    )


# ---------------------------------------------------------------------------
# opset upgrade and shape inference
# ---------------------------------------------------------------------------


def _opset(model: ModelProto, domains: Sequence[str]) -> int | None:
    for o in model.opset_import:
        if o.domain in domains:
            return o.version
    return None


def _walk_nodes(graph: GraphProto) -> Iterable[NodeProto]:
    for n in graph.node:
        yield n
        for a in n.attribute:
            if a.HasField("g"):
                yield from _walk_nodes(a.g)
            for g in a.graphs:
                yield from _walk_nodes(g)


def _newest_since(op_type: str, domain: str) -> int | None:
    try:
        return op_class(op_type, domain).SCHEMA.since_version
    except KeyError:
        return None


def _check_known_ops(model: ModelProto, *, any_version: bool) -> None:
    for n in _walk_nodes(model.graph):
        if n.domain in DEFAULT_DOMAINS or n.domain == ML_DOMAIN:
            dom = "" if n.domain in DEFAULT_DOMAINS else ML_DOMAIN
            if any_version:
                known = onnx.defs.has(n.op_type, dom)
            else:
                known = _newest_since(n.op_type, dom) is not None
            if not known:
                raise ONNXImportError(
                    f"{_node_desc(n)}: unknown operator '{n.op_type}' of domain "
                    f"'{n.domain or 'ai.onnx'}'"
                )


# op type -> first opset whose schema the version converter cannot reach
# from older versions without changing the meaning of the model
_NO_ADAPTER = {"Scan": 9}


def _same_signature_as_newest(schema: Any) -> bool:
    """An older schema that differs from the dialect's only in the types it
    allows needs no version conversion (the verifier checks the types)."""
    return _same_signature_cached(schema.domain, schema.name, schema.since_version)


@functools.lru_cache(maxsize=None)
def _same_signature_cached(domain: str, op_type: str, since_version: int) -> bool:
    from mlopt.dialects.onnx.schema_ops import same_signature, schema_info

    old = onnx.defs.get_schema(op_type, since_version, domain)
    return same_signature(schema_info(old), op_class(op_type, domain).SCHEMA)


def _check_ml_versions(model: ModelProto) -> None:
    """ai.onnx.ml has no version converter: an old ML op whose signature
    differs from the newest one (the dialect's) cannot be imported."""
    version = _opset(model, (ML_DOMAIN,))
    if version is None:
        return
    from mlopt.dialects.onnx.schema_ops import same_signature, schema_info

    for n in _walk_nodes(model.graph):
        if n.domain != ML_DOMAIN:
            continue
        try:
            old = onnx.defs.get_schema(n.op_type, version, ML_DOMAIN)
        except onnx.defs.SchemaError:
            raise ONNXImportError(
                f"{_node_desc(n)}: operator '{n.op_type}' does not exist in ai.onnx.ml "
                f"opset {version}"
            ) from None
        new = op_class(n.op_type, ML_DOMAIN).SCHEMA
        if old.since_version == new.since_version:
            continue
        if not same_signature(schema_info(old), new):
            raise ONNXImportError(
                f"{_node_desc(n)}: {n.op_type}-{old.since_version} (ai.onnx.ml opset "
                f"{version}) differs from {n.op_type}-{new.since_version}, the version "
                "mlopt supports, and ai.onnx.ml has no version converter"
            )


_ATTR_TYPE_NAMES = {v: k for k, v in AttributeProto.AttributeType.items()}


def _check_node_specs(model: ModelProto) -> None:
    """Attributes of known ops must exist in the op's schema (at the model's
    opset) with the right type, and input/output counts fit it: onnx's C++
    shape inference and version converter may crash on such mistakes."""
    versions = {
        "": _opset(model, DEFAULT_DOMAINS),
        ML_DOMAIN: _opset(model, (ML_DOMAIN,)),
    }
    for n in _walk_nodes(model.graph):
        if n.domain in DEFAULT_DOMAINS:
            dom = ""
        elif n.domain == ML_DOMAIN:
            dom = ML_DOMAIN
        else:
            continue
        version = versions[dom]
        if version is None:
            raise ONNXImportError(
                f"{_node_desc(n)}: the model imports no opset of domain '{dom or 'ai.onnx'}'"
            )
        try:
            schema = onnx.defs.get_schema(n.op_type, version, dom)
        except onnx.defs.SchemaError:
            raise ONNXImportError(
                f"{_node_desc(n)}: operator '{n.op_type}' does not exist in opset {version} "
                f"of domain '{dom or 'ai.onnx'}'"
            ) from None
        for a in n.attribute:
            spec = schema.attributes.get(a.name)
            if spec is None:
                raise ONNXImportError(
                    f"{_node_desc(n)}: {n.op_type}-{schema.since_version} has no attribute "
                    f"'{a.name}'"
                )
            want = int(spec.type.value) if hasattr(spec.type, "value") else int(spec.type)
            if a.type != want:
                raise ONNXImportError(
                    f"{_node_desc(n)}: attribute '{a.name}' has type "
                    f"{_ATTR_TYPE_NAMES.get(a.type, a.type)}, {n.op_type} needs "
                    f"{_ATTR_TYPE_NAMES.get(want, want)}"
                )
        for i, formal in enumerate(schema.inputs):
            single = formal.option == onnx.defs.OpSchema.FormalParameterOption.Single
            if single and (i >= len(n.input) or not n.input[i]):
                raise ONNXImportError(f"{_node_desc(n)}: missing required input '{formal.name}'")
        if len(n.input) > schema.max_input or len(n.output) > schema.max_output:
            raise ONNXImportError(
                f"{_node_desc(n)}: {len(n.input)} inputs / {len(n.output)} outputs, "
                f"{n.op_type}-{schema.since_version} takes at most {schema.max_input} / "
                f"{schema.max_output}"
            )


# Scan-8 nodes are rewritten (before the version converter, which has no Scan
# 8->9 adapter) into per-batch-element Scan-9 nodes held in this private
# domain, which the converter leaves alone; they return to ai.onnx after it.
_SCAN9_DOMAIN = "mlopt.scan9"


def _static_dim(shapes: Mapping[str, TypeProto], name: str, axis: int) -> int | None:
    tp = shapes.get(name)
    if tp is None or not tp.HasField("tensor_type") or not tp.tensor_type.HasField("shape"):
        return None
    dims = tp.tensor_type.shape.dim
    if axis >= len(dims) or not dims[axis].HasField("dim_value"):
        return None
    return dims[axis].dim_value


def _rewrite_scan8(model: ModelProto) -> ModelProto:
    """Every Scan-8 node (leading batch axis on states and scan inputs and
    outputs, optional sequence_lens) becomes, for each batch element b, Split
    + Squeeze of the batch axis, a Scan-9 node on the same body, and Unsqueeze
    + Concat of the results on axis 0 (all ops at their opset-8 versions)."""
    from onnx import helper, numpy_helper

    def is_scan(n: NodeProto) -> bool:
        return n.op_type == "Scan" and n.domain in DEFAULT_DOMAINS

    if not any(is_scan(n) for n in _walk_nodes(model.graph)):
        return model
    model = onnx.ModelProto.FromString(model.SerializeToString())
    try:
        inferred = onnx.shape_inference.infer_shapes(model)
    except Exception:
        inferred = model
    shapes: dict[str, TypeProto] = {}
    consts: dict[str, np.ndarray] = {}

    def collect(g: GraphProto) -> None:
        for vi in [*g.input, *g.output, *g.value_info]:
            shapes[vi.name] = vi.type
        for t in g.initializer:
            consts[t.name] = numpy_helper.to_array(t)
            shapes.setdefault(t.name, helper.make_tensor_type_proto(t.data_type, t.dims))
        for n in g.node:
            if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value":
                consts[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
            for a in n.attribute:
                for sub in [a.g] if a.HasField("g") else list(a.graphs):
                    collect(sub)

    collect(inferred.graph)
    used = {x for n in _walk_nodes(model.graph) for x in [*n.input, *n.output]}
    used |= set(shapes)

    def fresh(base: str) -> str:
        k = 0
        while f"{base}_{k}" in used:
            k += 1
        used.add(f"{base}_{k}")
        return f"{base}_{k}"

    def expand(n: NodeProto) -> list[NodeProto]:
        attrs = {a.name: a for a in n.attribute}
        k = attrs["num_scan_inputs"].i
        seq_lens, rest = (n.input[0] if n.input else ""), list(n.input[1:])
        scans = rest[len(rest) - k :]
        batch = next((b for b in (_static_dim(shapes, x, 0) for x in rest) if b), None)
        if batch is None:
            raise ONNXImportError(
                f"{_node_desc(n)}: Scan-8 needs a static batch size to be rewritten "
                "to Scan-9 (the ONNX version converter has no Scan 8->9 adapter)"
            )
        if seq_lens:
            full = _static_dim(shapes, scans[0], 1) if scans else None
            lens = consts.get(seq_lens)
            if lens is None or full is None or not np.all(lens == full):
                raise ONNXImportError(
                    f"{_node_desc(n)}: Scan-8 with a sequence_lens input that is not a "
                    "constant equal to the full sequence length cannot be rewritten to "
                    "Scan-9 (the ONNX version converter has no Scan 8->9 adapter)"
                )
        base = n.name or n.output[0] or "scan"
        out: list[NodeProto] = []
        per_b: list[list[str]] = [[] for _ in range(batch)]
        for x in rest:
            parts = [fresh(f"{base}_{x}_b{b}") for b in range(batch)]
            if batch > 1:
                out.append(helper.make_node("Split", [x], parts, axis=0))
            else:
                parts = [x]
            for b, part in enumerate(parts):
                sq = fresh(f"{base}_{x}_sq{b}")
                out.append(helper.make_node("Squeeze", [part], [sq], axes=[0]))
                per_b[b].append(sq)
        results: list[list[str]] = [[] for _ in n.output]
        for b in range(batch):
            outs = [fresh(f"{base}_out{j}_b{b}") for j in range(len(n.output))]
            scan = helper.make_node(
                "Scan", per_b[b], outs, domain=_SCAN9_DOMAIN, body=attrs["body"].g,
                num_scan_inputs=k,
            )
            if "directions" in attrs:
                scan.attribute.append(
                    helper.make_attribute("scan_input_directions", list(attrs["directions"].ints))
                )
            out.append(scan)
            for j, o in enumerate(outs):
                un = fresh(f"{base}_out{j}_un{b}")
                out.append(helper.make_node("Unsqueeze", [o], [un], axes=[0]))
                results[j].append(un)
        for j, name in enumerate(n.output):
            if name:
                out.append(helper.make_node("Concat", results[j], [name], axis=0))
        return out

    def rewrite(g: GraphProto) -> None:
        nodes = []
        for n in g.node:
            for a in n.attribute:
                for sub in [a.g] if a.HasField("g") else list(a.graphs):
                    rewrite(sub)
            nodes.extend(expand(n) if is_scan(n) else [n])
        del g.node[:]
        g.node.extend(nodes)

    rewrite(model.graph)
    model.opset_import.append(helper.make_opsetid(_SCAN9_DOMAIN, 1))
    return model


def _restore_scan9(model: ModelProto) -> ModelProto:
    if not any(o.domain == _SCAN9_DOMAIN for o in model.opset_import):
        return model
    for n in _walk_nodes(model.graph):
        if n.domain == _SCAN9_DOMAIN:
            n.domain = ""
    keep = [o for o in model.opset_import if o.domain != _SCAN9_DOMAIN]
    del model.opset_import[:]
    model.opset_import.extend(keep)
    return model


def _upgrade(model: ModelProto) -> ModelProto:
    _check_known_ops(model, any_version=True)
    _check_ml_versions(model)
    _check_node_specs(model)
    version = _opset(model, DEFAULT_DOMAINS)
    newest = onnx.defs.onnx_opset_version()
    if version is None or version >= newest:
        return model
    if version < 9:
        model = _rewrite_scan8(model)
    stale = set()
    for n in _walk_nodes(model.graph):
        if n.domain not in DEFAULT_DOMAINS:
            continue
        target = _newest_since(n.op_type, "")
        try:
            schema = onnx.defs.get_schema(n.op_type, version, "")
        except onnx.defs.SchemaError:
            stale.add(n.op_type)
            continue
        if target is None or (
            schema.since_version != target and not _same_signature_as_newest(schema)
        ):
            stale.add(n.op_type)
            first_ok = _NO_ADAPTER.get(n.op_type)
            if first_ok is not None and schema.since_version < first_ok:
                raise ONNXImportError(
                    f"{_node_desc(n)}: {n.op_type}-{schema.since_version} (opset {version}) "
                    f"cannot be upgraded to {n.op_type}-{target}: the ONNX version "
                    f"converter has no adapter below {n.op_type}-{first_ok}"
                )
    if not stale:
        return _restore_scan9(model)
    problem = _checker_problem(model)
    if problem is not None:
        # the converter assumes a valid model (it may crash the process otherwise)
        raise ONNXImportError(
            f"cannot upgrade the model from opset {version} (ops changed since: "
            f"{', '.join(sorted(stale))}): the model is invalid: {problem}"
        )
    try:
        from onnx import version_converter

        upgraded = version_converter.convert_version(model, newest)
    except Exception as e:
        msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ONNXImportError(
            f"cannot upgrade the model from opset {version} to opset {newest} "
            f"(ops changed since: {', '.join(sorted(stale))}): {msg}"
        ) from None
    upgraded = _restore_scan9(upgraded)
    _check_known_ops(upgraded, any_version=False)
    return upgraded


def _set_input_shapes(
    model: ModelProto, input_shapes: Mapping[str, Sequence[int]], not_inputs: set[str] = frozenset()
) -> None:
    inputs = {i.name: i for i in model.graph.input if i.name not in not_inputs}
    for name, shape in input_shapes.items():
        vi = inputs.get(name)
        if vi is None:
            raise ONNXImportError(
                f"input_shapes names '{name}', which is not an input of the graph "
                f"(inputs: {', '.join(inputs)})"
            )
        if not vi.type.HasField("tensor_type"):
            raise ONNXImportError(f"input_shapes: input '{name}' is not a tensor")
        tt = vi.type.tensor_type
        shape = [int(d) for d in shape]
        if tt.HasField("shape") and len(tt.shape.dim) != len(shape):
            raise ONNXImportError(
                f"input_shapes gives input '{name}' rank {len(shape)}, "
                f"but the model declares rank {len(tt.shape.dim)}"
            )
        for d_decl, d in zip(tt.shape.dim if tt.HasField("shape") else [], shape):
            if d_decl.HasField("dim_value") and d_decl.dim_value != d:
                raise ONNXImportError(
                    f"input_shapes gives input '{name}' shape {tuple(shape)}, "
                    f"but the model fixes it to {_proto_dims(tt)}"
                )
        tt.ClearField("shape")
        tt.shape.SetInParent()
        for d in shape:
            tt.shape.dim.add().dim_value = d


def _proto_dims(tt: Any) -> tuple[Any, ...]:
    return tuple(
        d.dim_value if d.HasField("dim_value") else (d.dim_param or "?") for d in tt.shape.dim
    )


# ONNX's data propagation keeps one shape dimension per element of every 1-D
# tensor it propagates through (~70 bytes each): a long 1-D tensor (a
# flattened image, a huge declared length) would take gigabytes. Shape
# tensors are short; above this length data propagation is skipped.
_MAX_PROPAGATED_LENGTH = 4096


def _has_long_1d(model: ModelProto) -> bool:
    def long(vi: Any) -> bool:
        tt = vi.type.tensor_type if vi.type.HasField("tensor_type") else None
        if tt is None or not tt.HasField("shape") or len(tt.shape.dim) != 1:
            return False
        d = tt.shape.dim[0]
        return d.HasField("dim_value") and d.dim_value > _MAX_PROPAGATED_LENGTH

    def graph_has(g: GraphProto) -> bool:
        if any(long(vi) for vi in list(g.input) + list(g.output) + list(g.value_info)):
            return True
        if any(len(t.dims) == 1 and t.dims[0] > _MAX_PROPAGATED_LENGTH for t in g.initializer):
            return True
        return any(
            graph_has(a.g) for n in g.node for a in n.attribute if a.HasField("g")
        )

    return graph_has(model.graph)


def _infer_shapes(model: ModelProto) -> ModelProto:
    """Types from onnx's shape inference: first without data propagation;
    then with it, unless a long 1-D tensor makes that too costly."""
    try:
        plain = onnx.shape_inference.infer_shapes(model, check_type=False)
    except Exception:
        return model
    if _has_long_1d(plain):
        return plain
    try:
        return onnx.shape_inference.infer_shapes(model, check_type=False, data_prop=True)
    except Exception:
        return plain


_POOLS = ("MaxPool", "AveragePool", "LpPool")


def _drop_unreliable_inferred(inferred: ModelProto, declared: set[str], opset: int) -> ModelProto:
    """Forget the types onnx's shape inference gave the results of pools with
    ``ceil_mode=1`` before opset 22: it counts a last window that starts past the
    input (the ONNX reference and onnxruntime drop it: [1,1,4] with kernel 1 and
    stride 2 gives 2 elements, inference says 3), and of everything computed from
    them; mlopt's own shape inference would otherwise reject a valid model.
    Types the model itself declares (``declared``, names from the model as
    given, before any opset upgrade) are kept; ``opset`` is the model's own."""
    if opset >= 22:
        return inferred
    wrong: set[str] = set()
    for n in inferred.graph.node:  # topological order: what is computed from them, too
        pool = n.op_type in _POOLS and n.domain in ("", "ai.onnx") and any(
            a.name == "ceil_mode" and a.i for a in n.attribute
        )
        if pool or wrong.intersection(n.input):
            wrong.update(n.output)
    if not wrong:
        return inferred
    keep = [vi for vi in inferred.graph.value_info if vi.name not in wrong or vi.name in declared]
    del inferred.graph.value_info[:]
    inferred.graph.value_info.extend(keep)
    return inferred


# ---------------------------------------------------------------------------
# types and attributes
# ---------------------------------------------------------------------------


def type_from_proto(tp: TypeProto) -> Attribute | None:
    """The onnx-level type of a ``TypeProto``, or None where it says too little."""
    kind = tp.WhichOneof("value")
    if kind in ("tensor_type", "sparse_tensor_type"):
        tt = getattr(tp, kind)
        if tt.elem_type == 0:
            return None
        try:
            et = onnx_dtype_to_element(tt.elem_type)
        except ValueError:
            return None
        if not tt.HasField("shape"):
            return UnrankedTensorType(et)
        dims = [
            d.dim_value if d.HasField("dim_value") and d.dim_value >= 0 else DYNAMIC_INDEX
            for d in tt.shape.dim
        ]
        return TensorType(et, dims)
    if kind == "sequence_type":
        inner = type_from_proto(tp.sequence_type.elem_type)
        return None if inner is None else SeqType(inner)
    if kind == "optional_type":
        inner = type_from_proto(tp.optional_type.elem_type)
        return None if inner is None else OptType(inner)
    if kind == "map_type":
        try:
            key = onnx_dtype_to_element(tp.map_type.key_type)
        except ValueError:
            return None
        val = type_from_proto(tp.map_type.value_type)
        return None if val is None else MapType(key, val)
    return None


def type_from_onnx_str(s: str) -> Attribute | None:
    """``tensor(float)`` -> ``tensor<*xf32>``, ``seq(tensor(int64))`` -> ..."""
    if s.startswith("tensor(") and s.endswith(")"):
        et = ONNX_NAME_TO_ELEMENT.get(s[7:-1])
        return None if et is None else UnrankedTensorType(et)
    if s.startswith("seq(") and s.endswith(")"):
        inner = type_from_onnx_str(s[4:-1])
        return None if inner is None else SeqType(inner)
    if s.startswith("optional(") and s.endswith(")"):
        inner = type_from_onnx_str(s[9:-1])
        return None if inner is None else OptType(inner)
    return None


#: element types whose tensors are stored as little-endian raw bytes
RAW_DATA_TYPES = {
    TensorProto.FLOAT,
    TensorProto.DOUBLE,
    TensorProto.FLOAT16,
    TensorProto.BFLOAT16,
    TensorProto.INT8,
    TensorProto.INT16,
    TensorProto.INT32,
    TensorProto.INT64,
    TensorProto.UINT8,
    TensorProto.UINT16,
    TensorProto.UINT32,
    TensorProto.UINT64,
    TensorProto.COMPLEX64,
    TensorProto.COMPLEX128,
    TensorProto.FLOAT8E4M3FN,
    TensorProto.FLOAT8E4M3FNUZ,
    TensorProto.FLOAT8E5M2,
    TensorProto.FLOAT8E5M2FNUZ,
    TensorProto.FLOAT8E8M0,
}


def tensor_attr(t: TensorProto, what: str) -> Attribute:
    """A ``dense<...>`` attribute (byte buffer) holding tensor ``t``."""
    try:
        et = onnx_dtype_to_element(t.data_type)
    except ValueError:
        raise ONNXImportError(f"{what}: unsupported tensor element type {t.data_type}") from None
    shape = [int(d) for d in t.dims]
    if t.data_type in RAW_DATA_TYPES and t.HasField("raw_data") and t.data_location != TensorProto.EXTERNAL:
        raw = t.raw_data
        itemsize = to_numpy_dtype(et).itemsize
        n = int(np.prod(shape, dtype=np.int64))
        if len(raw) != n * itemsize:
            raise ONNXImportError(
                f"{what}: tensor '{t.name}' holds {len(raw)} bytes, its shape "
                f"{tuple(shape)} needs {n * itemsize}"
            )
        if np.little_endian:
            return DenseIntOrFPElementsAttr(TensorType(et, shape), BytesAttr(raw))
    try:
        array = onnx.numpy_helper.to_array(t)
    except Exception as e:
        raise ONNXImportError(f"{what}: cannot read tensor '{t.name}': {e}") from None
    if tuple(array.shape) != tuple(shape):
        try:
            array = array.reshape(shape)
        except ValueError:
            raise ONNXImportError(
                f"{what}: tensor '{t.name}' holds {array.size} values, its shape "
                f"{tuple(shape)} needs {int(np.prod(shape))}"
            ) from None
    if isinstance(et, StringType):
        return dense_attr_from_numpy(array.astype(object), et)
    return dense_attr_from_numpy(array, et)


def sparse_tensor_attr(st: Any, what: str) -> Attribute:
    values = onnx.numpy_helper.to_array(st.values)
    idx = onnx.numpy_helper.to_array(st.indices).astype(np.int64)
    shape = tuple(int(d) for d in st.dims)
    dense = np.zeros(shape, dtype=values.dtype)
    if idx.ndim == 1:
        dense.reshape(-1)[idx] = values
    else:
        dense[tuple(idx.T)] = values
    return dense_attr_from_numpy(dense, onnx_dtype_to_element(st.values.data_type))


# ---------------------------------------------------------------------------
# the importer
# ---------------------------------------------------------------------------

_NAME_BAD = re.compile(r"[^\w$.-]")


def _hint(name: str) -> str | None:
    if not name:
        return None
    h = _NAME_BAD.sub("_", name)
    if not re.match(r"[A-Za-z_$.-]", h):
        h = "v" + h
    return h


class _Scope:
    def __init__(self, parent: _Scope | None = None):
        self.parent = parent
        self.values: dict[str, SSAValue] = {}

    def lookup(self, name: str) -> SSAValue | None:
        s: _Scope | None = self
        while s is not None:
            v = s.values.get(name)
            if v is not None:
                return v
            s = s.parent
        return None


def _node_desc(node: NodeProto) -> str:
    op = node.op_type if node.domain in DEFAULT_DOMAINS else f"{node.domain}.{node.op_type}"
    return f"node '{node.name}' ({op})" if node.name else f"node ({op}) producing {list(node.output)}"


class _Importer:
    def __init__(self, ctx: Context | None):
        self.ctx = ctx

    # -- graphs -------------------------------------------------------------

    def type_table(self, graph: GraphProto) -> dict[str, TypeProto]:
        """Value name -> TypeProto from shape inference (value_info), where
        a graph input/output declaration says more (a type where value_info
        has none, or a ranked tensor) it wins."""
        table: dict[str, TypeProto] = {vi.name: vi.type for vi in graph.value_info}
        for vi in list(graph.input) + list(graph.output):
            declared = type_from_proto(vi.type)
            if declared is None:
                table.setdefault(vi.name, vi.type)
                continue
            known = table.get(vi.name)
            if known is None or isinstance(declared, TensorType) or type_from_proto(known) is None:
                table[vi.name] = vi.type
        return table

    def import_graph_body(
        self,
        graph: GraphProto,
        block: Block,
        scope: _Scope,
        types: dict[str, TypeProto],
        initializers: Sequence[TensorProto] | None = None,
    ) -> list[SSAValue]:
        """Import initializers (``graph``'s own unless given) and nodes of
        ``graph`` into ``block``; return the values of the graph outputs."""
        for init in graph.initializer if initializers is None else initializers:
            self.add_initializer(init, block, scope, f"initializer '{init.name}'")
        for sparse in graph.sparse_initializer:
            name = sparse.values.name
            attr = sparse_tensor_attr(sparse, f"sparse initializer '{name}'")
            self.add_constant(name, attr, block, scope)
        none_cache: list[SSAValue] = []
        for node in self.ordered_nodes(graph, scope):
            self.import_node(node, block, scope, types, none_cache)
        outs = []
        for o in graph.output:
            v = scope.lookup(o.name)
            if v is None:
                raise ONNXImportError(
                    f"graph '{graph.name}': output '{o.name}' is not produced by any node, "
                    "input or initializer"
                )
            outs.append(v)
        return outs

    def ordered_nodes(self, graph: GraphProto, scope: _Scope) -> list[NodeProto]:
        nodes = list(graph.node)
        known = set()
        in_order = True
        produced = {o for n in nodes for o in n.output if o}
        for n in nodes:
            for i in n.input:
                if i and i in produced and i not in known:
                    in_order = False
            known.update(o for o in n.output if o)
        if in_order:
            return nodes
        # topological sort (Kahn), keeping the original order where possible
        producer = {o: idx for idx, n in enumerate(nodes) for o in n.output if o}
        deps = [
            {producer[i] for i in _node_inputs_all(n) if i in producer and producer[i] != idx}
            for idx, n in enumerate(nodes)
        ]
        users: dict[int, list[int]] = {}
        for idx, ds in enumerate(deps):
            for d in ds:
                users.setdefault(d, []).append(idx)
        import heapq

        remaining = [len(ds) for ds in deps]
        ready = [i for i, r in enumerate(remaining) if r == 0]
        heapq.heapify(ready)
        out = []
        while ready:
            i = heapq.heappop(ready)
            out.append(nodes[i])
            for u in users.get(i, []):
                remaining[u] -= 1
                if remaining[u] == 0:
                    heapq.heappush(ready, u)
        if len(out) != len(nodes):
            stuck = next(n for i, n in enumerate(nodes) if remaining[i] > 0)
            raise ONNXImportError(f"{_node_desc(stuck)}: the graph has a cycle through this node")
        return out

    def add_initializer(self, init: TensorProto, block: Block, scope: _Scope, what: str) -> None:
        if not init.name:
            raise ONNXImportError(f"{what}: initializer without a name")
        self.add_constant(init.name, tensor_attr(init, what), block, scope)

    def add_constant(self, name: str, value: Attribute, block: Block, scope: _Scope) -> None:
        op = op_class("Constant").create(
            result_types=[value.type],
            attributes={"value": value, "onnx.name": StringAttr(name)},
        )
        op.results[0].name_hint = _hint(name)
        block.add_op(op)
        scope.values[name] = op.results[0]

    # -- nodes ----------------------------------------------------------------

    def import_node(
        self,
        node: NodeProto,
        block: Block,
        scope: _Scope,
        types: dict[str, TypeProto],
        none_cache: list[SSAValue],
    ) -> None:
        desc = _node_desc(node)

        def get_none() -> SSAValue:
            if not none_cache:
                nv = NoValueOp()
                block.add_op(nv)
                none_cache.append(nv.results[0])
            return none_cache[0]

        def lookup(name: str) -> SSAValue:
            v = scope.lookup(name)
            if v is None:
                raise ONNXImportError(
                    f"{desc}: input '{name}' is not defined (no node, graph input or "
                    "initializer produces it)"
                )
            return v

        domain = node.domain
        cls: type[Operation] | None = None
        info: SchemaInfo | None = None
        if domain in DEFAULT_DOMAINS or domain == ML_DOMAIN:
            dom = "" if domain in DEFAULT_DOMAINS else ML_DOMAIN
            try:
                cls = op_class(node.op_type, dom)
            except KeyError:
                raise ONNXImportError(
                    f"{desc}: unknown operator '{node.op_type}' of domain "
                    f"'{domain or 'ai.onnx'}'"
                ) from None
            info = cls.SCHEMA  # type: ignore[attr-defined]
        elif self.ctx is not None and domain:
            cls = self.ctx.get_optional_op(f"{domain}.{node.op_type}")
            if cls is not None and issubclass(cls, UnregisteredOp):
                cls = None  # a context allowing unregistered ops registers nothing

        # operands
        operands: list[SSAValue] = []
        if info is not None:
            formals = info.inputs
            n_fixed = sum(1 for f in formals if f.option != VARIADIC)
            has_var = bool(formals) and formals[-1].option == VARIADIC
            names = list(node.input)
            if not has_var and len(names) > len(formals):
                raise ONNXImportError(
                    f"{desc}: has {len(names)} inputs, the operator takes at most {len(formals)}"
                )
            for i, f in enumerate(formals[:n_fixed]):
                nm = names[i] if i < len(names) else ""
                if nm:
                    operands.append(lookup(nm))
                elif f.option == OPTIONAL:
                    operands.append(get_none())
                else:
                    raise ONNXImportError(f"{desc}: missing required input '{f.name}'")
            if has_var:
                rest = names[n_fixed:]
                operands.extend(lookup(n) if n else get_none() for n in rest)
        else:
            operands = [lookup(n) if n else get_none() for n in node.input]

        # attributes and regions
        attributes: dict[str, Attribute] = {}
        regions: list[Region] = []
        graph_attrs: dict[str, AttributeProto] = {}
        for a in sorted(node.attribute, key=lambda a: a.name):
            if a.ref_attr_name:
                raise ONNXImportError(
                    f"{desc}: attribute '{a.name}' refers to a function attribute "
                    f"('{a.ref_attr_name}') outside a function"
                )
            if a.type == AttributeProto.GRAPH:
                graph_attrs[a.name] = a
                continue
            if a.type == AttributeProto.GRAPHS:
                raise ONNXImportError(f"{desc}: GRAPHS attribute '{a.name}' is not supported")
            attributes[a.name] = self.convert_attribute(a, f"{desc}: attribute '{a.name}'")
        if node.name:
            attributes["onnx_node_name"] = StringAttr(node.name)

        # result types
        out_names = list(node.output)
        result_types: list[Attribute] = []
        if info is not None:
            formals = info.outputs
            n_fixed = sum(1 for f in formals if f.option != VARIADIC)
            has_var = bool(formals) and formals[-1].option == VARIADIC
            if not has_var and len(out_names) > len(formals):
                raise ONNXImportError(
                    f"{desc}: has {len(out_names)} outputs, the operator has at most {len(formals)}"
                )
            bindings = _bind_type_params(info, operands)
            for i, f in enumerate(formals[:n_fixed]):
                nm = out_names[i] if i < len(out_names) else ""
                if not nm:
                    if f.option != OPTIONAL:
                        raise ONNXImportError(f"{desc}: missing required output '{f.name}'")
                    result_types.append(NoneType())
                    continue
                result_types.append(self.output_type(nm, f, bindings, types, desc, node))
            if has_var:
                f = formals[-1]
                for nm in out_names[n_fixed:]:
                    if not nm:
                        result_types.append(NoneType())
                    else:
                        result_types.append(self.output_type(nm, f, bindings, types, desc, node))
            out_names = out_names + [""] * (len(result_types) - len(out_names))
        else:
            for nm in out_names:
                if not nm:
                    result_types.append(NoneType())
                    continue
                t = type_from_proto(types[nm]) if nm in types else None
                if t is None:
                    et = f32
                    for v in operands:
                        if isinstance(v.type, TensorType | UnrankedTensorType):
                            et = v.type.element_type
                            break
                    t = UnrankedTensorType(et)
                result_types.append(t)

        # build
        if info is not None:
            order = info.graph_attrs
            unknown = [n for n in graph_attrs if n not in order]
            if unknown:
                raise ONNXImportError(
                    f"{desc}: '{unknown[0]}' is not a graph attribute of {node.op_type}"
                )
            for gname in order:
                if gname in graph_attrs:
                    regions.append(
                        self.import_subgraph(graph_attrs[gname].g, node, gname, operands, scope)
                    )
                elif info.attrs[gname].required:
                    raise ONNXImportError(f"{desc}: missing required graph attribute '{gname}'")
            op = cls.create(  # type: ignore[union-attr]
                operands=operands,
                result_types=result_types,
                attributes=attributes,
                regions=regions,
            )
        elif cls is not None:
            regions = [
                self.import_subgraph(a.g, node, n, operands, scope) for n, a in graph_attrs.items()
            ]
            op = cls.create(
                operands=operands, result_types=result_types, attributes=attributes, regions=regions
            )
        else:
            attributes["function_name"] = StringAttr(node.op_type)
            attributes["domain_name"] = StringAttr(domain)
            if graph_attrs:
                attributes["onnx.region_names"] = ArrayAttr(
                    [StringAttr(n) for n in graph_attrs]
                )
            regions = [
                self.import_subgraph(a.g, node, n, operands, scope) for n, a in graph_attrs.items()
            ]
            op = CustomOp.create(
                operands=operands, result_types=result_types, attributes=attributes, regions=regions
            )
        block.add_op(op)
        for nm, res in zip(out_names, op.results):
            if not nm:
                continue
            if nm in scope.values:
                raise ONNXImportError(f"{desc}: output '{nm}' is already defined in this graph")
            scope.values[nm] = res
            res.name_hint = _hint(nm)
        try:
            op.verify()
        except VerifyException as e:
            raise ONNXImportError(f"{desc}: {_first_line(e)}") from None

    def output_type(
        self,
        name: str,
        formal: Any,
        bindings: dict[str, Attribute],
        types: dict[str, TypeProto],
        desc: str,
        node: NodeProto,
    ) -> Attribute:
        t = type_from_proto(types[name]) if name in types else None
        if t is not None:
            return t
        if formal.type_param is not None and formal.type_param in bindings:
            return bindings[formal.type_param]
        if len(formal.allowed) == 1:
            t = type_from_onnx_str(next(iter(formal.allowed)))
            if t is not None:
                return t
        if node.op_type in ("Cast", "CastLike", "RandomNormal", "RandomUniform", "EyeLike"):
            for a in node.attribute:
                if a.name in ("to", "dtype") and a.type == AttributeProto.INT:
                    return UnrankedTensorType(onnx_dtype_to_element(a.i))
        raise ONNXImportError(
            f"{desc}: cannot determine the type of output '{name}' "
            "(ONNX shape inference gave none)"
        )

    def convert_attribute(self, a: AttributeProto, what: str) -> Attribute:
        t = a.type
        if t == AttributeProto.INT:
            return IntegerAttr(a.i, si64)
        if t == AttributeProto.FLOAT:
            return FloatAttr(a.f, f32)
        if t == AttributeProto.STRING:
            return StringAttr(a.s.decode("utf-8", "replace"))
        if t == AttributeProto.INTS:
            return ArrayAttr([IntegerAttr(v, i64) for v in a.ints])
        if t == AttributeProto.FLOATS:
            return ArrayAttr([FloatAttr(v, f32) for v in a.floats])
        if t == AttributeProto.STRINGS:
            return ArrayAttr([StringAttr(v.decode("utf-8", "replace")) for v in a.strings])
        if t == AttributeProto.TENSOR:
            return tensor_attr(a.t, what)
        if t == AttributeProto.TENSORS:
            return ArrayAttr([tensor_attr(x, what) for x in a.tensors])
        if t == AttributeProto.SPARSE_TENSOR:
            return sparse_tensor_attr(a.sparse_tensor, what)
        if t == AttributeProto.TYPE_PROTO:
            ty = type_from_proto(a.tp)
            if ty is None:
                raise ONNXImportError(f"{what}: unsupported type")
            return ty
        if t == AttributeProto.TYPE_PROTOS:
            tys = [type_from_proto(x) for x in a.type_protos]
            if any(x is None for x in tys):
                raise ONNXImportError(f"{what}: unsupported type")
            return ArrayAttr(tys)  # type: ignore[arg-type]
        raise ONNXImportError(f"{what}: unsupported attribute type {t}")

    # -- subgraphs -------------------------------------------------------------

    def import_subgraph(
        self,
        graph: GraphProto,
        node: NodeProto,
        attr_name: str,
        operands: Sequence[SSAValue],
        scope: _Scope,
    ) -> Region:
        desc = _node_desc(node)
        types = self.type_table(graph)
        arg_types = []
        for i, vi in enumerate(graph.input):
            t = type_from_proto(vi.type)
            if t is None:
                t = _subgraph_arg_fallback(node, i, operands)
            if t is None:
                raise ONNXImportError(
                    f"{desc}: cannot determine the type of input '{vi.name}' of "
                    f"subgraph '{attr_name}'"
                )
            arg_types.append(t)
        block = Block(arg_types=arg_types)
        inner = _Scope(scope)
        for vi, arg in zip(graph.input, block.args):
            inner.values[vi.name] = arg
            arg.name_hint = _hint(vi.name)
        outs = self.import_graph_body(graph, block, inner, types)
        block.add_op(YieldOp(outs))
        return Region(block)


def _subgraph_arg_fallback(node: NodeProto, i: int, operands: Sequence[SSAValue]) -> Attribute | None:
    """Types of subgraph inputs that shape inference left unknown."""
    if node.op_type == "Loop":
        if i == 0:
            return TensorType(i64, [])
        if i == 1:
            return TensorType(IntegerType(1), [])
        j = i  # body input i (i >= 2) <- loop operand i (after M, cond)
        if j < len(operands) and not isinstance(operands[j].type, NoneType):
            return operands[j].type
    if node.op_type == "Scan":
        if i < len(operands):
            t = operands[i].type
            if isinstance(t, TensorType | UnrankedTensorType):
                return UnrankedTensorType(t.element_type)
    return None


def _node_inputs_all(node: NodeProto) -> list[str]:
    """Inputs of a node, including outer-scope names used by its subgraphs."""
    names = [i for i in node.input if i]
    for a in node.attribute:
        graphs = [a.g] if a.HasField("g") else list(a.graphs)
        for g in graphs:
            local = {i.name for i in g.input} | {t.name for t in g.initializer}
            for n in _walk_nodes(g):
                local.update(n.output)
            for n in _walk_nodes(g):
                names.extend(i for i in n.input if i and i not in local)
            names.extend(o.name for o in g.output if o.name not in local)
    return names


def _bind_type_params(info: SchemaInfo, operands: Sequence[SSAValue]) -> dict[str, Attribute]:
    bindings: dict[str, Attribute] = {}
    formals = info.inputs
    for idx, v in enumerate(operands):
        if not formals:
            break
        f = formals[min(idx, len(formals) - 1)]
        if f.type_param is None or f.type_param in bindings:
            continue
        t = v.type
        if isinstance(t, NoneType):
            continue
        if isinstance(t, TensorType):
            t = UnrankedTensorType(t.element_type)
        bindings[f.type_param] = t
    return bindings


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def import_model(
    model: Any,
    *,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    ctx: Context | None = None,
) -> ModuleOp:
    """Import an ONNX model (path, bytes or ``ModelProto``) into a module.

    ``input_shapes`` maps input names to concrete shapes that replace the
    declared (symbolic) ones. ``ctx`` is the context whose registered ops
    (plugins) may stand for nodes of other domains; by default mlopt's.
    """
    proto = load_model(model)
    if ctx is None:
        from mlopt.registry import make_context

        ctx = make_context()
    if input_shapes or proto.functions:
        copy = ModelProto()
        copy.CopyFrom(proto)
        proto = copy
    if proto.functions:
        try:
            import onnx.inliner

            proto = onnx.inliner.inline_local_functions(proto)
        except Exception as e:
            raise ONNXImportError(f"cannot inline the model's local functions: {e}") from None
    original_opsets = {o.domain: o.version for o in proto.opset_import}
    declared = {vi.name for vi in proto.graph.value_info} | {o.name for o in proto.graph.output}
    pool_opset = original_opsets.get("", original_opsets.get("ai.onnx", 0))
    skeleton, detached = _without_large_initializers(proto)
    skeleton = expand_quantized_contrib(skeleton, copy=skeleton is proto)
    skeleton = _upgrade(skeleton)
    if input_shapes:
        _set_input_shapes(skeleton, input_shapes, not_inputs=detached[1])
    skeleton = _drop_unreliable_inferred(_infer_shapes(skeleton), declared, pool_opset)
    proto, initializers = _with_initializers(skeleton, detached, proto)
    return _build_module(proto, _Importer(ctx), original_opsets, initializers)


# Initializers with more elements than this are weights, not shapes: the
# opset upgrade, the checker and shape inference never read their values, but
# each of them serialises the whole model to C++ (resnet50: 1.6 of 1.9 s of
# its import). They see a typed graph input in the initializer's place.
_DETACHED_ELEMENTS = 4096


def _copy_fields(dst: Any, src: Any, skip: str) -> None:
    for fd, value in src.ListFields():
        if fd.name == skip:
            continue
        repeated = fd.is_repeated if hasattr(fd, "is_repeated") else fd.label == fd.LABEL_REPEATED
        if repeated:
            getattr(dst, fd.name).extend(value)
        elif fd.message_type is not None:
            getattr(dst, fd.name).CopyFrom(value)
        else:
            setattr(dst, fd.name, value)


def _without_large_initializers(
    proto: ModelProto,
) -> tuple[ModelProto, tuple[list[TensorProto], set[str]]]:
    """A copy of ``proto`` whose large main-graph initializers are graph inputs
    (same name, type and shape); with it, those initializers and the names of
    the inputs added for them. ``proto`` itself when it has none."""
    detached = [t for t in proto.graph.initializer if int(np.prod(t.dims)) > _DETACHED_ELEMENTS]
    if not detached:
        return proto, ([], set())
    names = {t.name for t in detached}
    skeleton = ModelProto()
    _copy_fields(skeleton, proto, skip="graph")
    _copy_fields(skeleton.graph, proto.graph, skip="initializer")
    skeleton.graph.initializer.extend(t for t in proto.graph.initializer if t.name not in names)
    declared = {i.name for i in proto.graph.input}  # before IR version 4 initializers are inputs too
    added = [t for t in detached if t.name not in declared]
    from onnx import helper

    skeleton.graph.input.extend(helper.make_tensor_value_info(t.name, t.data_type, t.dims) for t in added)
    return skeleton, (detached, {t.name for t in added})


def _with_initializers(
    skeleton: ModelProto, detached: tuple[list[TensorProto], set[str]], original: ModelProto
) -> tuple[ModelProto, list[TensorProto] | None]:
    """``skeleton`` without the graph inputs that stood for detached
    initializers, and the main graph's initializers to import in their place:
    the original's in their order, then any the upgrade added (None: the
    skeleton's own). Copying the weights back into the skeleton would cost as
    much as the serialisations saved (vgg19: 1.6 s)."""
    tensors, added = detached
    if not tensors:
        return skeleton, None
    inputs = [i for i in skeleton.graph.input if i.name not in added]
    del skeleton.graph.input[:]
    skeleton.graph.input.extend(inputs)
    big = {t.name: t for t in tensors}
    small = {t.name: t for t in skeleton.graph.initializer}
    ordered = [big.get(t.name) or small.pop(t.name) for t in original.graph.initializer if t.name in big or t.name in small]
    return skeleton, ordered + list(small.values())


_TWO_GB = 2**31 - 1


def _checker_problem(proto: ModelProto) -> str | None:
    """onnx.checker's complaint about the model (first line), or None."""
    if proto.ByteSize() > _TWO_GB:
        return None  # too large for the in-memory checker; the import checks
    try:
        onnx.checker.check_model(proto)
    except Exception as e:
        lines = [ln.strip() for ln in str(e).strip().splitlines() if ln.strip()]
        return " ".join(lines[:3]) if lines else type(e).__name__
    return None


def _build_module(
    proto: ModelProto,
    imp: _Importer,
    opsets: dict[str, int],
    initializers: Sequence[TensorProto] | None = None,
) -> ModuleOp:
    graph = proto.graph
    types = imp.type_table(graph)
    if initializers is None:
        initializers = graph.initializer
    init_names = {t.name for t in initializers}
    inputs = [vi for vi in graph.input if vi.name not in init_names]
    arg_types = []
    for vi in inputs:
        t = type_from_proto(vi.type)
        if t is None:
            raise ONNXImportError(f"graph input '{vi.name}' has no (supported) type")
        arg_types.append(t)
    block = Block(arg_types=arg_types)
    scope = _Scope()
    for vi, arg in zip(inputs, block.args):
        if vi.name in scope.values:
            raise ONNXImportError(f"graph input '{vi.name}' is declared twice")
        scope.values[vi.name] = arg
        arg.name_hint = _hint(vi.name)
    outs = imp.import_graph_body(graph, block, scope, types, initializers)
    # a graph output whose declared type is more precise than what the
    # producer got stays as the producer's type (our inference refines it)
    block.add_op(func.ReturnOp(*outs))
    name = graph.name or "main_graph"
    fn = func.FuncOp.from_region(
        name,
        arg_types,
        [v.type for v in outs],
        Region(block),
    )
    if inputs:  # (an empty arg_attrs would not survive printing)
        fn.arg_attrs = ArrayAttr(
            [DictionaryAttr({"onnx.name": StringAttr(vi.name)}) for vi in inputs]
        )
    fn.attributes["onnx.output_names"] = ArrayAttr([StringAttr(o.name) for o in graph.output])
    module = ModuleOp([fn])
    # the opsets the model was written for; the exporter writes the smallest
    # opsets at which every op has the schema the dialect uses, not below these
    module.attributes["onnx.opset_import"] = DictionaryAttr(
        {(d or "ai.onnx"): IntegerAttr(v, i64) for d, v in sorted(opsets.items())}
    )
    try:
        module.verify()
    except VerifyException as e:
        raise ONNXImportError(f"the imported module does not verify: {_first_line(e)}") from None
    return module

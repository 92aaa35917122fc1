"""``onnx-decompose``: expand function-defined ONNX ops into primitive ops.

Accepts onnx-level IR (contract A). An op whose schema defines it by a
function body (``schema.function_body``, or a context-dependent body built
from the node's attributes and input types) is replaced by the body's nodes as
onnx ops; attribute references (``ref_attr_name``) are resolved against the
op's attributes or the function's defaults. Nested function ops are expanded
in turn, and ``CastLike`` of a constant is folded on the spot. Types of the new
values come from onnx's inference on the instantiated body, refined by
``onnx-shape-inference``'s shape functions.

By default every function op is decomposed except

* the ops ``convert-onnx-to-tensor`` (or a plugin) lowers natively, looked up
  in its lowering registry when the pass runs (``native=false`` skips this), and
* ``DEFAULT_KEEP``: ops that are better lowered whole even where no lowering
  exists yet (simple elementwise activations, comparisons, CastLike, Clip,
  Range; Softmax, LogSoftmax, LayerNormalization, Gelu for speed and
  accuracy; Bernoulli, which must stay random).

Options: ``ops=A,B`` decomposes exactly those op types (the keep rules do not
apply; an op type without a function body is an error); ``keep=A,B`` replaces
``DEFAULT_KEEP``; ``native=false`` also decomposes natively lowered ops.
Function bodies that use graph attributes (Loop/If/Scan) or other domains are
left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import onnx
import onnx.version_converter
from onnx import AttributeProto, helper
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, UnrankedTensorType
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from mlopt.errors import CompileError
from mlopt.passes.onnx_opt.common import (
    constant_array,
    derived_name,
    elem_type,
    fail,
    from_onnx_elem_type,
    is_none,
    make_constant,
    make_none,
    make_tensor_type,
    onnx_dialect,
    op_type,
)
from mlopt.passes.onnx_opt.onnx_bridge import (
    OPSET,
    attribute_protos,
    get_schema,
    value_type_proto,
    xdsl_attribute,
)

DEFAULT_KEEP: frozenset[str] = frozenset(
    {
        # one elementwise linalg.generic each when lowered natively
        "Relu", "LeakyRelu", "Elu", "Selu", "Celu", "HardSigmoid", "HardSwish",
        "Softplus", "Softsign", "PRelu", "ThresholdedRelu", "Shrink", "Mish",
        "Swish", "GreaterOrEqual", "LessOrEqual", "CastLike", "Clip", "Range",
        # lowered as a whole (numerically stable / fused)
        "Softmax", "LogSoftmax", "LayerNormalization", "Gelu",
        # random: must stay random at run time, nothing to gain
        "Bernoulli",
    }
)


def natively_lowered() -> frozenset[str]:
    """ONNX op types (default domain) that ``convert-onnx-to-tensor`` or a
    plugin lowers as a whole."""
    names: set[str] = set()
    try:
        from mlopt.passes.onnx_to_tensor.common import LOWERINGS
        from mlopt.passes.onnx_to_tensor.convert import load_families

        load_families()
        names |= set(LOWERINGS)
    except Exception:  # pragma: no cover - lowering not importable
        pass
    try:
        from mlopt.registry import default_registry

        names |= set(default_registry().onnx_lowerings)
    except Exception:  # pragma: no cover
        pass
    return frozenset(n.split(".", 1)[1] for n in names if n.startswith("onnx."))


def _has_function(type_name: str) -> bool:
    s = get_schema(type_name)
    return s is not None and (s.has_function or s.has_context_dependent_function)


def function_ops() -> list[str]:
    """Every default-domain op type defined by a function body."""
    out = []
    for s in onnx.defs.get_all_schemas():
        if s.domain == "" and not s.deprecated and (s.has_function or s.has_context_dependent_function):
            out.append(s.name)
    return sorted(out)


def _function_proto(op: Operation) -> onnx.FunctionProto | None:
    schema = get_schema(op_type(op))
    if schema is None:
        return None
    attrs = attribute_protos(op)
    if attrs is None:
        return None
    if schema.has_context_dependent_function:
        in_names = [f"i{k}" if not is_none(v) else "" for k, v in enumerate(op.operands)]
        while in_names and not in_names[-1]:
            in_names.pop()
        out_names = [f"o{k}" if not is_none(r) else "" for k, r in enumerate(op.results)]
        node = helper.make_node(op_type(op), in_names, out_names)
        node.attribute.extend(attrs)
        types = []
        for v in op.operands[: len(in_names)]:
            if is_none(v):
                types.append(onnx.TypeProto().SerializeToString())
                continue
            tp = value_type_proto(v)
            if tp is None:
                return None
            types.append(tp.SerializeToString())
        try:
            data = schema.get_context_dependent_function(node.SerializeToString(), types)
        except Exception:
            return None
        if not data:
            return None
        fp = onnx.FunctionProto()
        fp.ParseFromString(data)
        return fp
    if schema.has_function:
        return schema.function_body
    return None


def _resolve_attributes(
    node: onnx.NodeProto, op_attrs: dict[str, AttributeProto], defaults: dict[str, AttributeProto]
) -> list[AttributeProto]:
    out = []
    for a in node.attribute:
        if a.ref_attr_name:
            src = op_attrs.get(a.ref_attr_name) or defaults.get(a.ref_attr_name)
            if src is None:
                continue
            b = AttributeProto()
            b.CopyFrom(src)
            b.name = a.name
            out.append(b)
        else:
            out.append(a)
    return out


def _to_xdsl_type(tp: onnx.TypeProto | None, fallback_et: Attribute | None) -> Attribute | None:
    if tp is not None and tp.HasField("tensor_type"):
        tt = tp.tensor_type
        et = from_onnx_elem_type(tt.elem_type) if tt.elem_type else fallback_et
        if et is None:
            return None
        if tt.HasField("shape"):
            return make_tensor_type(
                [d.dim_value if d.HasField("dim_value") else -1 for d in tt.shape.dim], et
            )
        return UnrankedTensorType(et)
    if fallback_et is not None:
        return UnrankedTensorType(fallback_et)
    return None


class DecomposeError(CompileError):
    pass


def _instantiate(op: Operation, fp: onnx.FunctionProto) -> tuple[list[onnx.NodeProto], dict[str, onnx.TypeProto]]:
    """Body nodes with resolved attributes, and inferred types by value name."""
    op_attrs = {a.name: a for a in attribute_protos(op) or []}
    defaults: dict[str, AttributeProto] = {}
    schema = get_schema(op_type(op))
    if schema is not None:
        for name, a in schema.attributes.items():
            dv = a.default_value
            if dv is not None and dv.type != 0:
                defaults[name] = dv
    defaults.update({a.name: a for a in fp.attribute_proto})
    nodes = []
    for n in fp.node:
        if n.domain not in ("", "ai.onnx"):
            raise DecomposeError(f"function body uses domain '{n.domain}'")
        m = onnx.NodeProto()
        m.CopyFrom(n)
        del m.attribute[:]
        m.attribute.extend(_resolve_attributes(n, op_attrs, defaults))
        nodes.append(m)
    # onnx's inference over the instantiated body gives every value a type
    produced = {o for n in nodes for o in n.output if o}
    inputs = []
    for name, v in zip(fp.input, op.operands):
        if is_none(v):
            continue
        tp = value_type_proto(v)
        if tp is None:
            raise DecomposeError("operand type has no ONNX equivalent")
        inputs.append(helper.make_value_info(name, tp))
    # constant operands as initializers let data-dependent shapes resolve
    inits = []
    for name, v in zip(fp.input, op.operands):
        arr = None if is_none(v) else constant_array(v)
        if arr is not None and arr.size <= 4096 and arr.dtype != object:
            inits.append(onnx.numpy_helper.from_array(np.asarray(arr), name))
    graph = helper.make_graph(
        nodes,
        "body",
        inputs,
        [helper.make_value_info(o, onnx.TypeProto()) for o in fp.output if o in produced],
        initializer=inits,
    )
    version = max([o.version for o in fp.opset_import if o.domain in ("", "ai.onnx")] or [OPSET])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", version)])
    model.ir_version = 10
    if version < OPSET and _needs_upgrade(nodes, version):
        # the body is written for an older opset (e.g. ReduceMean with an axes
        # attribute): bring it to the dialect's opset or give up
        try:
            model = onnx.version_converter.convert_version(model, OPSET)
        except Exception as e:
            raise DecomposeError(f"cannot upgrade the body to opset {OPSET}: {e}") from None
        nodes = list(model.graph.node)
    types: dict[str, onnx.TypeProto] = {}
    try:
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=False, data_prop=True)
        for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
            types[vi.name] = vi.type
    except Exception:
        pass
    return nodes, types


def _needs_upgrade(nodes: list[onnx.NodeProto], version: int) -> bool:
    """Whether some node's schema at ``version`` differs from the newest one."""
    for n in nodes:
        try:
            old = onnx.defs.get_schema(n.op_type, version).since_version
            new = onnx.defs.get_schema(n.op_type, OPSET).since_version
        except Exception:
            return True
        if old != new:
            return True
    return False


def decompose_op(op: Operation, rewriter: Rewriter) -> list[Operation] | None:
    """Replace ``op`` by its function body; returns the new ops or None."""
    fp = _function_proto(op)
    if fp is None:
        return None
    try:
        nodes, types = _instantiate(op, fp)
    except DecomposeError:
        return None
    env: dict[str, SSAValue] = {}
    for name, v in zip(fp.input, op.operands):
        if not is_none(v):
            env[name] = v
    fallback_et = elem_type(op.operands[0].type) if op.operands and not is_none(op.operands[0]) else None
    d = onnx_dialect()
    new_ops: list[Operation] = []
    none_val: SSAValue | None = None

    def get_none() -> SSAValue:
        nonlocal none_val
        if none_val is None:
            n = make_none()
            rewriter.insert_op(n, InsertPoint.before(op))
            new_ops.append(n)
            none_val = n.results[0]
        return none_val

    for node in nodes:
        try:
            cls = d.op_class(node.op_type)
        except KeyError:
            _rollback(new_ops, rewriter)
            return None
        info = getattr(cls, "SCHEMA", None)
        n_formal_in = len(getattr(info, "inputs", ())) if info is not None else len(node.input)
        operands: list[SSAValue] = []
        for name in node.input:
            if name == "" or name not in env:
                operands.append(get_none())
            else:
                operands.append(env[name])
        # optional trailing operands are always present in the dialect
        variadic = info is not None and any(f.option == 2 for f in info.inputs)
        if not variadic:
            while len(operands) < n_formal_in:
                operands.append(get_none())
        attrs: dict[str, Attribute] = {}
        if node.op_type == "Constant" and not node.attribute:
            _rollback(new_ops, rewriter)
            return None
        for a in node.attribute:
            if node.op_type == "Constant" and a.name != "value":
                arr = onnx.helper.get_attribute_value(a)
                dtype = {"value_float": np.float32, "value_floats": np.float32,
                         "value_int": np.int64, "value_ints": np.int64}.get(a.name)
                if dtype is None:
                    _rollback(new_ops, rewriter)
                    return None
                attrs["value"] = _dense(np.asarray(arr, dtype))
                continue
            xa = xdsl_attribute(a)
            if xa is None:
                _rollback(new_ops, rewriter)
                return None
            attrs[a.name] = xa
        result_types = []
        n_out = len(node.output)
        n_formal_out = len(getattr(info, "outputs", ())) if info is not None else n_out
        out_variadic = info is not None and any(f.option == 2 for f in info.outputs)
        outs = list(node.output)
        if not out_variadic:
            outs += [""] * max(0, n_formal_out - n_out)
        from xdsl.dialects.builtin import NoneType

        for name in outs:
            if not name:
                result_types.append(NoneType())
                continue
            if node.op_type == "Constant" and "value" in attrs:
                result_types.append(attrs["value"].type)  # type: ignore[attr-defined]
                continue
            t = _to_xdsl_type(types.get(name), fallback_et)
            if t is None:
                _rollback(new_ops, rewriter)
                return None
            result_types.append(t)
        new = cls.create(operands=operands, result_types=result_types, attributes=attrs)
        if "onnx_node_name" in op.attributes:
            new.attributes["onnx_node_name"] = derived_name(op, f"{node.op_type}_{len(new_ops)}")
        new.location = op.location
        rewriter.insert_op(new, InsertPoint.before(op))
        new_ops.append(new)
        for name, r in zip(outs, new.results):
            if name:
                env[name] = r
    # map the outputs
    for name, r in zip(fp.output, op.results):
        if is_none(r):
            continue
        v = env.get(name)
        if v is None:
            if r.uses:
                _rollback(new_ops, rewriter)
                return None
            continue
        if v.type != r.type and isinstance(r.type, TensorType):
            if isinstance(v, SSAValue) and v.owner in new_ops:
                v = Rewriter.replace_value_with_new_type(v, r.type)
                env[name] = v
            else:
                ident = d.op_class("Identity").create(operands=[v], result_types=[r.type])
                rewriter.insert_op(ident, InsertPoint.before(op))
                new_ops.append(ident)
                v = ident.results[0]
        r.replace_all_uses_with(v)
    rewriter.erase_op(op)
    return new_ops


def _dense(arr: np.ndarray) -> Attribute:
    from mlopt.passes.onnx_opt.common import dense_attr

    return dense_attr(arr)


def _rollback(new_ops: list[Operation], rewriter: Rewriter) -> None:
    for o in reversed(new_ops):
        rewriter.erase_op(o, safe_erase=False)
    new_ops.clear()


def _fold_castlike(op: Operation, rewriter: Rewriter) -> bool:
    """CastLike(constant, x) -> constant of x's element type."""
    arr = constant_array(op.operands[0])
    et = elem_type(op.operands[1].type)
    if arr is None or et is None or arr.dtype == object:
        return False
    c = make_constant(np.asarray(arr), et)
    if "onnx_node_name" in op.attributes:
        c.attributes["onnx_node_name"] = op.attributes["onnx_node_name"]
    c.location = op.location
    rewriter.insert_op(c, InsertPoint.before(op))
    src = op.operands[0].owner
    op.results[0].replace_all_uses_with(c.results[0])
    rewriter.erase_op(op)
    if isinstance(src, Operation) and not any(r.uses for r in src.results):
        rewriter.erase_op(src)
    return True


def decompose(
    module: ModuleOp,
    ops: tuple[str, ...] | None = None,
    keep: frozenset[str] | None = None,
    native: bool = True,
) -> ModuleOp:
    """Expand function ops in ``module`` in place (see the module docstring)."""
    from mlopt.passes.onnx_opt.shape_inference import infer_op

    keep = DEFAULT_KEEP if keep is None else keep
    if native and not ops:
        keep = keep | natively_lowered()
    wanted = set(ops) if ops else None
    if wanted:
        bad = sorted(t for t in wanted if not _has_function(t))
        if bad:
            from xdsl.utils.exceptions import PassFailedException

            raise PassFailedException(
                f"onnx-decompose: {', '.join(repr(t) for t in bad)} "
                f"{'is' if len(bad) == 1 else 'are'} not defined by an ONNX function "
                f"(function ops: {', '.join(function_ops())})"
            )

    def selected(o: Operation) -> bool:
        if not o.name.startswith("onnx."):
            return False
        t = op_type(o)
        if wanted is not None:
            return t in wanted and _has_function(t)
        return t not in keep and _has_function(t)

    rewriter = Rewriter()
    for f in list(module.walk()):
        if not isinstance(f, func.FuncOp) or f.is_declaration:
            continue
        worklist = [o for o in f.walk() if selected(o) or o.name == "onnx.CastLike"]
        known: dict[SSAValue, np.ndarray] = {}
        changed = False
        while worklist:
            o = worklist.pop(0)
            if o.parent is None:
                continue
            if o.name == "onnx.CastLike" and (wanted is None or "CastLike" not in wanted):
                if _fold_castlike(o, rewriter) or not selected(o):
                    continue
            new_ops = decompose_op(o, rewriter)
            if new_ops is None:
                if wanted is not None and op_type(o) in wanted:
                    raise fail(o, "cannot be decomposed: its function body is not available for these operand types")
                continue
            changed = True
            for n in new_ops:
                if n.parent is not None and n.name.startswith("onnx."):
                    infer_op(n, known, use_onnx=False)
            worklist[:0] = [n for n in new_ops if selected(n) or n.name == "onnx.CastLike"]
        if changed and f.get_return_op() is not None:
            f.update_function_type()
    return module


@dataclass(frozen=True)
class OnnxDecomposePass(ModulePass):
    """Expand function-defined onnx ops into their primitive bodies.

    Options: ``ops`` (op types to decompose; default: every function op that is
    neither lowered natively nor in the keep-list), ``keep`` (replaces the
    default keep-list), ``native`` (default true: keep natively lowered ops)."""

    name = "onnx-decompose"

    ops: tuple[str, ...] = field(default=())
    keep: tuple[str, ...] | None = None
    native: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        decompose(
            op,
            self.ops or None,
            frozenset(self.keep) if self.keep is not None else None,
            self.native,
        )

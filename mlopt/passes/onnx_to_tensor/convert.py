"""The ``convert-onnx-to-tensor`` pass."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FunctionType,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    TensorType,
)
from xdsl.ir import Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriterListener,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import Rewriter

from mlopt.passes.onnx_to_tensor.common import (
    HONOURED,
    LOWERINGS,
    Emitter,
    LoweringError,
    LoweringFn,
    check_element_type,
    check_honoured_attributes,
    fail,
    is_none,
    node_name,
    op_type,
)
from mlopt.passes.node_names import NODES_ATTR, read_nodes, set_nodes

# op-family modules; each registers its lowerings with @lowering on import.
FAMILIES = (
    "constants",
    "elementwise",
    "matmul",
    "conv",
    "pooling",
    "normalization",
    "reduction",
    "shape",
    "gather",
    "misc",
    "loss",
    "rnn",
)

ONNX_DIALECTS = ("onnx", "onnx_ml")


def load_families() -> None:
    for fam in FAMILIES:
        try:
            importlib.import_module(f"mlopt.passes.onnx_to_tensor.{fam}")
        except ModuleNotFoundError as e:
            if e.name != f"mlopt.passes.onnx_to_tensor.{fam}":
                raise


class OnnxOpLowering(RewritePattern):
    """Lowers one ONNX op type with a registered lowering function."""

    def __init__(self, op_name: str, fn: LoweringFn, honoured: frozenset[str] = frozenset()):
        self.op_name = op_name
        self.fn = fn
        self.honoured = honoured

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        if op.name != self.op_name:
            return
        check_honoured_attributes(op, self.honoured)
        for v in (*op.operands, *op.results):
            check_element_type(op, v.type)
        em = Emitter(op)
        res = self.fn(em, op)
        if res is None:
            res = []
        elif not isinstance(res, list | tuple):
            res = [res]
        res = list(res)
        if len(res) < len(op.results):
            res += [None] * (len(op.results) - len(res))
        for i, (old, new) in enumerate(zip(op.results, res, strict=True)):
            if new is None and old.uses and not is_none(old):
                raise fail(op, f"lowering produced no value for used result #{i}")
            if new is not None and new.type != old.type:
                raise fail(op, f"internal: result #{i} has type {new.type}, expected {old.type}")
        # absent results (type none) may still be used by a NoValue-consumer
        rewriter.replace(op, em.ops, list(res), safe_erase=False)


class _Dispatch(RewritePattern):
    """Looks the pattern for an op up by name (one pattern per op type).

    With ``node_names``, every op a pattern inserts gets the ``mlopt.nodes``
    of the ONNX node it lowers (see :mod:`mlopt.passes.node_names`)."""

    def __init__(self, patterns: dict[str, RewritePattern], node_names: bool = False):
        self.patterns = patterns
        self.node_names = node_names
        self.current: list[tuple[str, str]] = []
        self._unnamed: dict[str, int] = {}

    def label(self, op: Operation) -> tuple[str, str]:
        kind = op_type(op)
        name = node_name(op)
        if not name:
            n = self._unnamed.get(kind, 0)
            self._unnamed[kind] = n + 1
            name = f"{kind}_{n}"
        return name, kind

    def on_insert(self, new: Operation) -> None:
        if self.current and NODES_ATTR not in new.attributes:
            set_nodes(new, self.current)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        p = self.patterns.get(op.name)
        if p is not None:
            if self.node_names and op.name not in ("onnx.NoValue", "onnx.Constant"):
                # an op onnx-canonicalize fused from several nodes names them all
                self.current = read_nodes(op) or [self.label(op)]
            try:
                p.match_and_rewrite(op, rewriter)
            finally:
                self.current = []


def plugin_lowerings() -> dict[str, RewritePattern]:
    from mlopt.registry import default_registry

    out: dict[str, RewritePattern] = {}
    for name, p in default_registry().onnx_lowerings.items():
        if not isinstance(p, RewritePattern) and callable(p):
            p = p()
        if not isinstance(p, RewritePattern):
            raise LoweringError(
                f"convert-onnx-to-tensor: plugin lowering for '{name}' is not a RewritePattern"
            )
        out[name] = p
    return out


def supported_op_names() -> frozenset[str]:
    """Full names (``onnx.Conv``) of every op this pass lowers, plugin ones
    included; e.g. for ``onnx-decompose`` to expand only the other ops."""
    load_families()
    from mlopt.registry import default_registry

    return frozenset(LOWERINGS) | frozenset(default_registry().onnx_lowerings)


def all_patterns() -> dict[str, RewritePattern]:
    load_families()
    pats: dict[str, RewritePattern] = {
        n: OnnxOpLowering(n, f, HONOURED.get(n, frozenset())) for n, f in LOWERINGS.items()
    }
    pats.update(plugin_lowerings())
    return pats


# ---------------------------------------------------------------------------
# final sweep: unsigned -> signless


def _signless_type(t: Attribute) -> Attribute:
    if isinstance(t, IntegerType) and t.signedness.data != Signedness.SIGNLESS:
        return IntegerType(t.width.data)
    if isinstance(t, TensorType):
        e = _signless_type(t.get_element_type())
        if e != t.get_element_type():
            return TensorType(e, t.get_shape(), t.encoding)
        return t
    if isinstance(t, FunctionType):
        ins = [_signless_type(x) for x in t.inputs.data]
        outs = [_signless_type(x) for x in t.outputs.data]
        return FunctionType.from_lists(ins, outs)
    if isinstance(t, DenseIntOrFPElementsAttr):
        nt = _signless_type(t.type)
        return t if nt == t.type else DenseIntOrFPElementsAttr(nt, t.data)
    if isinstance(t, IntegerAttr) and isinstance(t.type, IntegerType):
        nt = _signless_type(t.type)
        return t if nt == t.type else IntegerAttr(t.value.data, nt)
    return t


def to_signless(module: ModuleOp) -> None:
    for op in module.walk():
        for r in list(op.results):
            nt = _signless_type(r.type)
            if nt != r.type:
                Rewriter.replace_value_with_new_type(r, nt)
        for region in op.regions:
            for block in region.blocks:
                for a in list(block.args):
                    nt = _signless_type(a.type)
                    if nt != a.type:
                        Rewriter.replace_value_with_new_type(a, nt)
        for store in (op.properties, op.attributes):
            for k, v in list(store.items()):
                if isinstance(v, DictionaryAttr | ArrayAttr):
                    continue
                nv = _signless_type(v)
                if nv is not v and nv != v:
                    store[k] = nv


_DEAD_IF_UNUSED = frozenset(
    {"arith.constant", "tensor.empty", "linalg.fill", "linalg.generic", "tensor.extract_slice",
     "tensor.insert_slice", "tensor.collapse_shape", "tensor.expand_shape"}
)


def remove_dead_values(module: ModuleOp) -> None:
    """Erase side-effect-free tensor-level ops whose results are unused (e.g.
    folded shape/axes constants), last first so that chains go too."""
    changed = True
    while changed:
        changed = False
        for o in reversed(list(module.walk())):
            if o.name in _DEAD_IF_UNUSED and o.results and all(not r.uses for r in o.results):
                if o.parent_op() is not None and o.parent_op().name == "linalg.generic":
                    continue
                o.detach()
                o.erase()
                changed = True


@dataclass(frozen=True)
class ConvertOnnxToTensor(ModulePass):
    """Lower the ``onnx`` dialect to the tensor level (contract B).

    Accepts: ``func.func``s of ``onnx.*`` ops on ranked tensors with static
    shapes (after onnx-shape-inference / onnx-constant-fold).
    Produces: ``linalg.generic`` (destination-passing style), ``linalg.fill``,
    ``tensor.empty/extract_slice/insert_slice/collapse_shape/expand_shape/extract``,
    ``arith``/``math`` scalar ops and ``arith.constant`` dense tensors; all
    element types signless (unsigned semantics are picked per op).
    Fails with an error naming the node and op type when an op has no
    lowering, carries an attribute its lowering does not honour with a
    non-default value (each lowering declares ``honours=``), a shape is
    dynamic, or a compile-time value is not constant.
    Plugins add lowerings through ``Registry.add_onnx_lowering``.
    ``node-names=true``: every top-level op emitted for a node carries
    ``mlopt.nodes = [["<node name>", "<op type>"]]`` (for ``profile-nodes``;
    see :mod:`mlopt.passes.node_names`).
    """

    name = "convert-onnx-to-tensor"

    node_names: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        pats = all_patterns()
        for o in op.walk():
            if o.dialect_name() in ONNX_DIALECTS and o.name not in pats and o.name != "onnx.NoValue":
                from mlopt.plugins import broken_plugins_note

                raise fail(o, "no lowering to the tensor level for this op type" + broken_plugins_note())
        dispatch = _Dispatch(pats, self.node_names)
        listener = PatternRewriterListener()
        if self.node_names:
            listener.operation_insertion_handler.append(dispatch.on_insert)
        PatternRewriteWalker(dispatch, apply_recursively=False, listener=listener).rewrite_module(op)
        # absent optional operands: onnx.NoValue, erased once unused
        for o in list(op.walk()):
            if o.name == "onnx.NoValue" and all(not r.uses for r in o.results):
                o.detach()
                o.erase()
        for o in op.walk():
            if o.dialect_name() in ONNX_DIALECTS:
                raise fail(o, "op was not lowered (its lowering declined it)")
        remove_dead_values(op)
        to_signless(op)


__all__ = ["ConvertOnnxToTensor", "supported_op_names"]

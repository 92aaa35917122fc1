"""Mechanical attribute coverage of convert-onnx-to-tensor (issue 16, part 3).

For every ONNX op type with a lowering and every attribute of its schema
(``onnx.defs.get_schema``, the newest version, which is the dialect's): the
attribute is declared honoured by the lowering (``@lowering(..., honours=...)``)
and a legal non-default value passes the pass's attribute gate, or it is not
declared and an op carrying a non-default value makes the pass fail with an
error naming the node, the op type, the attribute and the value. Nothing is
silently ignored. A sample of honoured attributes, set to non-default values, is
compiled and compared with onnxruntime.
"""

from __future__ import annotations

import numpy as np
import onnx
import onnx.defs
import pytest
from onnx import AttributeProto, TensorProto, helper, numpy_helper
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr, TensorType, f32
from xdsl.ir import Block, Region

import mlopt
from mlopt.dialects.onnx import op_class
from mlopt.passes.onnx_opt.onnx_bridge import xdsl_attribute
from mlopt.passes.onnx_to_tensor import ConvertOnnxToTensor
from mlopt.passes.onnx_to_tensor.common import (
    ENUM_VALUES,
    HONOURED,
    LOWERINGS,
    LoweringError,
    check_honoured_attributes,
)
from mlopt.passes.onnx_to_tensor.convert import load_families

load_families()


def _in_dialect(name: str) -> bool:
    try:
        op_class(name)
    except KeyError:
        return False
    return True


# (onnx.Scatter is registered but deprecated: the dialect has no such op, the
# importer upgrades it to ScatterElements)
LOWERED = sorted(n for n in LOWERINGS if n.startswith("onnx.") and _in_dialect(n))


def _schema(name: str):
    """The schema of ``onnx.<T>`` or of ``<T>``."""
    return onnx.defs.get_schema(name.split(".", 1)[-1])


CASES = [(n, a) for n in LOWERED for a in sorted(_schema(n).attributes)]

# legal non-default values where the generic choice below would not be one
LEGAL: dict[tuple[str, str], object] = {
    ("QuantizeLinear", "precision"): TensorProto.FLOAT16,
    ("Constant", "value_string"): "text",
    ("Constant", "value_strings"): ["a", "b"],
    ("Einsum", "equation"): "ij->ji",
    ("Cast", "to"): TensorProto.INT32,
    ("BitCast", "to"): TensorProto.INT32,
    ("EyeLike", "dtype"): TensorProto.INT32,
    ("DequantizeLinear", "output_dtype"): TensorProto.FLOAT16,
    ("QuantizeLinear", "output_dtype"): TensorProto.INT8,
    ("Cast", "round_mode"): "down",
    ("CastLike", "round_mode"): "down",
    ("LayerNormalization", "stash_type"): TensorProto.DOUBLE,
    ("GroupNormalization", "stash_type"): TensorProto.DOUBLE,
    ("RMSNormalization", "stash_type"): TensorProto.DOUBLE,
    ("Range", "stash_type"): TensorProto.DOUBLE,
    ("RNN", "activations"): ["Relu"],
    ("GRU", "activations"): ["Sigmoid", "Relu"],
    ("LSTM", "activations"): ["Sigmoid", "Relu", "Relu"],
    ("LpNormalization", "p"): 1,
    ("Resize", "coordinate_transformation_mode"): "asymmetric",
}


def _default(schema, attr: str):
    d = schema.attributes[attr].default_value
    if d.type == 0:
        return None
    return helper.get_attribute_value(d)


def legal_non_default(op_type: str, attr: str, schema) -> object:
    """A value of ``attr`` that ONNX allows and that differs from its default."""
    if (op_type, attr) in LEGAL:
        return LEGAL[op_type, attr]
    kind = schema.attributes[attr].type
    default = _default(schema, attr)
    if kind == AttributeProto.INT:
        return 1 - default if default in (0, 1) else (default or 0) + 1
    if kind == AttributeProto.FLOAT:
        return (default or 0.0) + 0.5
    if kind == AttributeProto.STRING:
        allowed = ENUM_VALUES.get((op_type, attr)) or ENUM_VALUES.get(("*", attr))
        current = default.decode() if isinstance(default, bytes) else default
        if allowed:
            return sorted(v for v in allowed if v and v != current)[0]
        return "x"
    if kind == AttributeProto.INTS:
        return [1, 1]
    if kind == AttributeProto.FLOATS:
        return [0.5, 0.25]
    if kind == AttributeProto.STRINGS:
        return ["a"]
    if kind in (AttributeProto.TENSOR, AttributeProto.SPARSE_TENSOR):
        return numpy_helper.from_array(np.array([1.5], np.float32))
    raise AssertionError(f"{op_type}.{attr}: no value for attribute kind {kind}")


def _op_with(name: str, attr: str):
    """An ``onnx.<T>`` op (bogus operands: only its attributes matter) carrying
    a legal non-default ``attr``, inside a module."""
    op_type = name.split(".", 1)[1]
    schema = _schema(op_type)
    value = legal_non_default(op_type, attr, schema)
    if schema.attributes[attr].type == AttributeProto.SPARSE_TENSOR:
        proto = helper.make_attribute(attr, value)  # the dense spelling will do
        proto.type = AttributeProto.TENSOR
    else:
        proto = helper.make_attribute(attr, value)
    xattr = xdsl_attribute(proto)
    assert xattr is not None, f"{name}.{attr}: cannot spell {value!r}"
    t = TensorType(f32, [2])
    block = Block(arg_types=[t])
    op = op_class(name).create(
        operands=[block.args[0]],
        result_types=[t],
        attributes={attr: xattr, "onnx_node_name": StringAttr("node0")},
    )
    block.add_ops([op, func.ReturnOp(op.results[0])])
    module = ModuleOp([func.FuncOp("f", ((t,), (t,)), Region(block))])
    return op, module, value


def test_every_lowered_op_declares_its_attributes():
    """The declarations name attributes of the schema (no typos), for every op
    lowered by the framework."""
    assert len(LOWERED) > 150
    for name in LOWERED:
        assert name in HONOURED, f"{name} has no honours= declaration"
        fn = LOWERINGS[name]
        sharing = [n for n in LOWERED if LOWERINGS[n] is fn]
        known = set().union(*(_schema(n).attributes for n in sharing))
        assert HONOURED[name] <= known, f"{name}: unknown attributes {sorted(HONOURED[name] - known)}"


@pytest.mark.parametrize("name, attr", CASES, ids=[f"{n[5:]}.{a}" for n, a in CASES])
def test_attribute_is_honoured_or_rejected(name, attr):
    op, module, value = _op_with(name, attr)
    if attr in HONOURED[name]:
        # a legal non-default value gets past the gate to the lowering
        check_honoured_attributes(op, HONOURED[name])
        return
    with pytest.raises(LoweringError) as info:
        ConvertOnnxToTensor().apply(Context(), module)
    msg = str(info.value)
    op_type = name.split(".", 1)[1]
    assert f"node 'node0' (op type {op_type}, '{name}')" in msg
    assert f"attribute '{attr}' = " in msg and "is not supported by this lowering" in msg


def test_unhonoured_attributes_are_the_known_ones():
    """The attributes no lowering honours today (so models using them fail
    to compile instead of being miscompiled); shrink this as lowerings grow."""
    unhonoured = sorted((n[5:], a) for n, a in CASES if a not in HONOURED[n])
    assert unhonoured == [
        ("Constant", "sparse_value"),
        ("Constant", "value_string"),
        ("Constant", "value_strings"),
        ("QuantizeLinear", "precision"),
    ]


def test_default_values_pass_the_gate():
    # an explicit default is the same as an absent attribute
    op, _, _ = _op_with("onnx.QuantizeLinear", "precision")
    op.attributes["precision"] = xdsl_attribute(helper.make_attribute("precision", 0))
    check_honoured_attributes(op, HONOURED["onnx.QuantizeLinear"])
    op, _, _ = _op_with("onnx.LeakyRelu", "alpha")
    op.attributes["alpha"] = xdsl_attribute(helper.make_attribute("alpha", 0.01))
    check_honoured_attributes(op, frozenset())


@pytest.mark.parametrize("key", sorted(ENUM_VALUES), ids=[f"{t}.{a}" for t, a in sorted(ENUM_VALUES)])
def test_unknown_enumerated_values_are_rejected(key):
    op_type, attr = key
    if op_type == "*":
        op_type = "Conv"
    op, _, _ = _op_with(f"onnx.{op_type}", attr)
    op.attributes[attr] = StringAttr("no-such-value")
    with pytest.raises(LoweringError, match=f"attribute '{attr}' has the unknown value 'no-such-value'"):
        check_honoured_attributes(op, HONOURED[f"onnx.{op_type}"])


# ---------------------------------------------------------------------------
# a sample of honoured attributes, with non-default values, against onnxruntime

rng = np.random.default_rng(7)


def _run_both(node, inputs: dict[str, np.ndarray], opset=20):
    g = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info(n, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape) for n, a in inputs.items()],
        [helper.make_empty_tensor_value_info(o) for o in node.output],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 9
    m = onnx.shape_inference.infer_shapes(m)
    import onnxruntime as ort

    want = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, inputs)
    got = mlopt.compile(m).run(inputs)
    if isinstance(got, dict):
        got = [got[o] for o in node.output]
    elif not isinstance(got, list | tuple):
        got = [got]
    for g_, w in zip(got, want, strict=True):
        g_ = np.asarray(g_)
        assert g_.shape == w.shape
        if w.dtype.kind == "f":
            np.testing.assert_allclose(g_, w, rtol=1e-4, atol=1e-5)
        else:
            np.testing.assert_array_equal(g_, w)


X = rng.standard_normal((3, 5, 7)).astype(np.float32)
SAMPLE = [
    ("Gemm", dict(alpha=0.5, beta=2.0, transA=1, transB=1),
     {"a": rng.standard_normal((5, 3)).astype(np.float32), "b": rng.standard_normal((4, 5)).astype(np.float32),
      "c": rng.standard_normal((4,)).astype(np.float32)}),
    ("LeakyRelu", dict(alpha=0.3), {"x": X}),
    ("HardSigmoid", dict(alpha=0.3, beta=0.4), {"x": X}),
    ("ArgMax", dict(axis=1, keepdims=0, select_last_index=1), {"x": np.round(X).astype(np.float32)}),
    ("CumSum", dict(exclusive=1, reverse=1), {"x": X, "axis": np.array(1, np.int64)}),
    ("ReduceSum", dict(keepdims=0), {"x": X, "axes": np.array([0, 2], np.int64)}),
    ("Softmax", dict(axis=0), {"x": X}),
    ("Gelu", dict(approximate="tanh"), {"x": X}),
    ("Mod", dict(fmod=1), {"a": X, "b": np.full((7,), 0.7, np.float32)}),
    ("DepthToSpace", dict(blocksize=2, mode="CRD"), {"x": rng.standard_normal((1, 8, 3, 5)).astype(np.float32)}),
    ("Shape", dict(start=1, end=-1), {"x": X}),
    ("TopK", dict(axis=1, largest=0, sorted=1), {"x": X, "k": np.array([3], np.int64)}),
    ("Transpose", dict(perm=[2, 0, 1]), {"x": X}),
    ("IsInf", dict(detect_negative=0), {"x": np.array([np.inf, -np.inf, 1.0, np.nan], np.float32)}),
]


@pytest.mark.parametrize("op_type, attrs, inputs", SAMPLE, ids=[s[0] for s in SAMPLE])
def test_honoured_sample_matches_onnxruntime(op_type, attrs, inputs):
    assert set(attrs) <= HONOURED[f"onnx.{op_type}"]
    outputs = ["y", "i"] if op_type == "TopK" else ["y"]
    node = helper.make_node(op_type, list(inputs), outputs, **attrs)
    _run_both(node, inputs)


def test_decomposed_op_attributes_match_onnxruntime():
    """An op without a lowering takes the onnx-decompose path: its attributes
    are resolved into ONNX's function body (Attention: is_causal, scale)."""
    assert "onnx.Attention" not in LOWERINGS
    q = rng.standard_normal((2, 3, 5, 4)).astype(np.float32)
    k = rng.standard_normal((2, 3, 7, 4)).astype(np.float32)
    v = rng.standard_normal((2, 3, 7, 6)).astype(np.float32)
    node = helper.make_node("Attention", ["q", "k", "v"], ["y"], is_causal=1, scale=0.3)
    _run_both(node, {"q": q, "k": k, "v": v}, opset=23)

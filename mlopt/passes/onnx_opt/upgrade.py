"""``onnx-upgrade``: onnx-mlir's versioned, aliased and extension ops to current ONNX ops.

Accepts onnx-level IR that may use the ops of
:mod:`mlopt.dialects.onnx.onnx_mlir` and produces onnx-level IR with the same
meaning in current ONNX ops, which the rest of the pipeline compiles:

* versioned ops (``onnx.<Op>V<n>``) and the deprecated ``onnx.Scatter`` /
  ``onnx.Upsample`` become the newest version of their operator, as ONNX's
  version adapters upgrade them: attributes that became inputs (Squeeze,
  Unsqueeze, Reduce*, Split ``axes``/``split``, Clip-6 ``min``/``max``, Pad-2
  ``pads``/``value``, DFT-17 ``axis``) become constant operands; renamed
  modes map (GridSample-16 ``bilinear``/``bicubic``); GroupNormalization-18's
  per-group scale and bias are repeated per channel; Softmax-11 (which
  flattens the input at ``axis``) becomes Softmax over the last axis, or
  Flatten + Softmax + Reshape for a static shape; Upsample and Resize-10
  become Resize with ``asymmetric`` coordinates (and ``floor`` rounding for
  ``nearest``); Scatter becomes ScatterElements;
* ``onnx.<Op>`` of the ``ai.onnx.ml`` domain becomes ``onnx_ml.<Op>``;
* ``onnx.Dim`` becomes ``onnx.Shape {start = axis, end = axis + 1}``;
  ``onnx.MaxPoolSingleOut`` a MaxPool without its Indices result;
  ``onnx.BatchNormalizationInferenceMode`` an inference-mode
  BatchNormalization; ``onnx.ConcatShapeTranspose`` Concat + Shape +
  Transpose; ``onnx.RMSLayerNormalization`` RMSNormalization (+ Add of its
  bias) when its InvStdDev result is unused; ``onnx.UpsampleAndPad`` (static
  innermost dims) Reshape + Pad + Reshape + Slice + Pad; ``onnx.DimGroup`` (an
  analysis annotation) is erased;
* ``onnx.Return`` becomes ``func.return``.

Rewritten ops keep their result types and node names. An op this pass cannot
rewrite (a case above that needs a static shape it lacks, Resize-11's
``tf_half_pixel_for_nn``, and onnx-mlir ops with no ONNX meaning here such as
``onnx.ShapeTransform``, ``onnx.Im2Col``, ``onnx.LayoutTransform``,
``onnx.Fused``, ``onnx.PrintSignature``, the training ops) is left as it is;
lowering then reports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import (
    ArrayAttr,
    IntegerAttr,
    ModuleOp,
    NoneType,
    StringAttr,
    TensorType,
    IntegerType,
    Signedness,
    UnrankedTensorType,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from mlopt.dialects.onnx.onnx_mlir import onnx_mlir_kind
from mlopt.passes.onnx_opt.common import (
    constant_array,
    elem_type,
    get_attr,
    is_none,
    make_constant,
    make_onnx_op,
    to_numpy_dtype,
    value_shape,
)


si64 = IntegerType(64, Signedness.SIGNED)


def _static(v: SSAValue) -> tuple[int, ...] | None:
    s = value_shape(v)
    return s if s is not None and all(d >= 0 for d in s) else None


def _int(v: int) -> IntegerAttr:
    return IntegerAttr(v, si64)


def _ints(vs: Sequence[int]) -> ArrayAttr:
    return ArrayAttr([IntegerAttr(int(v), i64) for v in vs])


class _Builder:
    """Inserts new ops before ``op`` with its location and node name."""

    def __init__(self, op: Operation, rewriter: PatternRewriter):
        self.op = op
        self.rewriter = rewriter
        self.count = 0

    def const(self, arr: Any, dtype: Any = np.int64, et: Attribute | None = None) -> SSAValue:
        c = make_constant(np.asarray(arr, dtype=dtype), et)
        if "onnx_node_name" in self.op.attributes:
            self.count += 1
            name = self.op.attributes["onnx_node_name"]
            assert isinstance(name, StringAttr)
            c.attributes["onnx_node_name"] = StringAttr(f"{name.data}/const{self.count}")
        c.location = self.op.location
        self.rewriter.insert(c)
        return c.results[0]

    def none(self) -> SSAValue:
        from mlopt.dialects.onnx import NoValueOp

        n = NoValueOp()
        self.rewriter.insert(n)
        return n.results[0]

    def scalar_like(self, value: float, x: SSAValue) -> SSAValue:
        et = elem_type(x.type)
        return self.const(np.array(value, dtype=to_numpy_dtype(et)), dtype=to_numpy_dtype(et), et=et)

    def new(
        self,
        type_name: str,
        operands: Sequence[SSAValue],
        result_types: Sequence[Attribute],
        attributes: dict[str, Attribute] | None = None,
        suffix: str | None = None,
    ) -> Operation:
        new = make_onnx_op(type_name, operands, result_types, attributes, like=self.op, name_suffix=suffix)
        self.rewriter.insert(new)
        return new

    def attrs(self, drop: Sequence[str] = (), **changes: Attribute | None) -> dict[str, Attribute]:
        out = {k: v for k, v in self.op.attributes.items() if k not in drop}
        for k, v in changes.items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = v
        return out

    def replace(self, type_name: str, operands: Sequence[SSAValue], attributes: dict[str, Attribute]) -> None:
        new = make_onnx_op(type_name, operands, [r.type for r in self.op.results], attributes)
        new.location = self.op.location
        self.rewriter.replace(self.op, new)

    def replace_values(self, values: Sequence[SSAValue | None]) -> None:
        self.rewriter.replace(self.op, [], list(values))


def _tensor_of(x: SSAValue, shape: Sequence[int] | None) -> Attribute:
    et = elem_type(x.type)
    return TensorType(et, list(shape)) if shape is not None else UnrankedTensorType(et)


# ---------------------------------------------------------------------------
# versioned and deprecated ops
# ---------------------------------------------------------------------------


def _axes_to_input(b: _Builder, new: str, extra_drop: Sequence[str] = ()) -> None:
    op = b.op
    axes = get_attr(op, "axes")
    ax = b.const(axes) if axes is not None else b.none()
    b.replace(new, [op.operands[0], ax], b.attrs(drop=("axes", *extra_drop)))


def _clip6(b: _Builder) -> None:
    x = b.op.operands[0]
    lo = b.scalar_like(get_attr(b.op, "min", -3.4028234663852886e38), x)
    hi = b.scalar_like(get_attr(b.op, "max", 3.4028234663852886e38), x)
    b.replace("Clip", [x, lo, hi], b.attrs(drop=("min", "max")))


def _dft17(b: _Builder) -> None:
    x, length = b.op.operands
    axis = b.const(get_attr(b.op, "axis", 1))
    b.replace("DFT", [x, length, axis], b.attrs(drop=("axis",)))


def _grid_sample16(b: _Builder) -> None:
    mode = get_attr(b.op, "mode", "bilinear")
    mapped = {"bilinear": "linear", "bicubic": "cubic"}.get(mode, mode)
    b.replace("GridSample", list(b.op.operands), b.attrs(mode=StringAttr(mapped)))


def _group_norm18(b: _Builder) -> bool:
    x, scale, bias = b.op.operands
    shape = value_shape(x)
    groups = get_attr(b.op, "num_groups")
    if shape is None or len(shape) < 2 or shape[1] < 0 or groups is None or groups <= 0:
        return False
    c = shape[1]
    if c % groups:
        return False
    per_channel = []
    for v in (scale, bias):
        et = elem_type(v.type)
        g1 = b.new("Reshape", [v, b.const([groups, 1])], [TensorType(et, [groups, 1])], suffix="group")
        ex = b.new("Expand", [g1.results[0], b.const([groups, c // groups])], [TensorType(et, [groups, c // groups])], suffix="expand")
        flat = b.new("Reshape", [ex.results[0], b.const([c])], [TensorType(et, [c])], suffix="channels")
        per_channel.append(flat.results[0])
    b.replace("GroupNormalization", [x, *per_channel], b.attrs(stash_type=_int(_stash_of(x))))
    return True


def _stash_of(x: SSAValue) -> int:
    """GroupNormalization-18 computes in the input's own type: the ONNX data
    type of ``x`` as the v21 ``stash_type``."""
    from mlopt.dialects.onnx import element_to_onnx_dtype

    return element_to_onnx_dtype(elem_type(x.type))


def _pad2(b: _Builder) -> None:
    x = b.op.operands[0]
    pads = b.const(get_attr(b.op, "pads", []))
    value = b.scalar_like(get_attr(b.op, "value", 0.0), x)
    b.replace("Pad", [x, pads, value, b.none()], b.attrs(drop=("pads", "value")))


def _pad11(b: _Builder) -> None:
    b.replace("Pad", [*b.op.operands, b.none()], b.attrs())


def _resize_asymmetric(b: _Builder, scales: SSAValue) -> None:
    mode = get_attr(b.op, "mode", "nearest")
    mode = {"bilinear": "linear"}.get(mode, mode)
    attrs = b.attrs(
        drop=("scales",),
        mode=StringAttr(mode),
        coordinate_transformation_mode=StringAttr("asymmetric"),
        nearest_mode=StringAttr("floor") if mode == "nearest" else None,
    )
    b.replace("Resize", [b.op.operands[0], b.none(), scales, b.none()], attrs)


def _resize11(b: _Builder) -> bool:
    if get_attr(b.op, "coordinate_transformation_mode") == "tf_half_pixel_for_nn":
        return False
    operands = list(b.op.operands)
    for i in (1, 2):  # Resize-11: empty roi / scales tensors stood for absent ones
        v = operands[i]
        if not is_none(v):
            arr = constant_array(v)
            if arr is not None and np.asarray(arr).size == 0:
                operands[i] = b.none()
    b.replace("Resize", operands, b.attrs())
    return True


def _softmax11(b: _Builder) -> bool:
    x = b.op.operands[0]
    shape = value_shape(x)
    if shape is None:
        return False
    rank = len(shape)
    axis = get_attr(b.op, "axis", 1)
    axis = axis + rank if axis < 0 else axis
    if axis == rank - 1 or rank == 0:
        b.replace("Softmax", [x], b.attrs(axis=_int(-1)))
        return True
    static = _static(x)
    if static is None:
        return False
    rows = int(np.prod(static[:axis], dtype=np.int64))
    cols = int(np.prod(static[axis:], dtype=np.int64))
    t2 = _tensor_of(x, [rows, cols])
    flat = b.new("Flatten", [x], [t2], {"axis": _int(axis)}, suffix="flatten")
    sm = b.new("Softmax", [flat.results[0]], [t2], {"axis": _int(-1)}, suffix="softmax")
    b.replace("Reshape", [sm.results[0], b.const(list(static))], {})
    return True


def _split11(b: _Builder) -> None:
    split = get_attr(b.op, "split")
    sv = b.const(split) if split is not None else b.none()
    n = None if split is not None else _int(len(b.op.results))
    b.replace("Split", [b.op.operands[0], sv], b.attrs(drop=("split",), num_outputs=n))


def _split13(b: _Builder) -> None:
    n = _int(len(b.op.results)) if is_none(b.op.operands[1]) else None
    b.replace("Split", list(b.op.operands), b.attrs(num_outputs=n))


def _upsample7(b: _Builder) -> None:
    scales = b.const(get_attr(b.op, "scales", []), dtype=np.float32)
    _resize_asymmetric(b, scales)


def _rename(new: str):  # type: ignore[no-untyped-def]
    def rewrite(b: _Builder) -> None:
        b.replace(new, list(b.op.operands), b.attrs())

    return rewrite


_REDUCE_ATTR_AXES = [
    "ReduceL1V13", "ReduceL2V13", "ReduceLogSumV13", "ReduceLogSumExpV13", "ReduceMaxV13",
    "ReduceMeanV13", "ReduceMinV13", "ReduceProdV13", "ReduceSumSquareV13", "ReduceSumV11",
]  # fmt: skip

_VERSIONED: dict[str, Any] = {
    "ClipV6": _clip6,
    "ClipV11": _rename("Clip"),
    "ClipV12": _rename("Clip"),
    "DFTV17": _dft17,
    "GridSampleV16": _grid_sample16,
    "GroupNormalizationV18": _group_norm18,
    "PadV2": _pad2,
    "PadV11": _pad11,
    "PadV13": _pad11,
    "PadV18": _rename("Pad"),
    "ReduceMaxV18": _rename("ReduceMax"),
    "ReduceMinV18": _rename("ReduceMin"),
    "ResizeV10": lambda b: _resize_asymmetric(b, b.op.operands[1]),
    "ResizeV11": _resize11,
    "ResizeV13": _rename("Resize"),
    "ResizeV18": _rename("Resize"),
    "SoftmaxV11": _softmax11,
    "SplitV11": _split11,
    "SplitV13": _split13,
    "SqueezeV11": lambda b: _axes_to_input(b, "Squeeze"),
    "UnsqueezeV11": lambda b: _axes_to_input(b, "Unsqueeze"),
    "UpsampleV7": _upsample7,
    "Upsample": lambda b: _resize_asymmetric(b, b.op.operands[1]),
    "Scatter": _rename("ScatterElements"),
    **{name: (lambda n: lambda b: _axes_to_input(b, n))(name.split("V")[0]) for name in _REDUCE_ATTR_AXES},
}

# ---------------------------------------------------------------------------
# extension ops
# ---------------------------------------------------------------------------


def _dim(b: _Builder) -> None:
    axis = get_attr(b.op, "axis", 0)
    b.replace("Shape", [b.op.operands[0]], b.attrs(drop=("axis",), start=_int(axis), end=_int(axis + 1)))


def _max_pool_single_out(b: _Builder) -> bool:
    if get_attr(b.op, "kernel_shape") in (None, []):
        return False
    new = b.new("MaxPool", [b.op.operands[0]], [b.op.results[0].type, NoneType()], b.attrs())
    b.replace_values([new.results[0]])
    return True


def _batch_norm_inference(b: _Builder) -> None:
    new = b.new("BatchNormalization", list(b.op.operands), [b.op.results[0].type, NoneType(), NoneType()], b.attrs())
    b.replace_values([new.results[0]])


def _concat_shape_transpose(b: _Builder) -> None:
    op = b.op
    inputs = list(op.operands)
    axis = get_attr(op, "axis")
    shapes = [_static(v) for v in inputs]
    cshape = None
    if all(s is not None for s in shapes) and shapes:
        rank = len(shapes[0])  # type: ignore[arg-type]
        ax = axis + rank if axis < 0 else axis
        cshape = list(shapes[0])  # type: ignore[arg-type]
        cshape[ax] = sum(s[ax] for s in shapes)  # type: ignore[index]
    concat = b.new("Concat", inputs, [_tensor_of(inputs[0], cshape)], {"axis": _int(axis)}, suffix="concat")
    cv = concat.results[0]
    shape_attrs: dict[str, Attribute] = {"start": _int(get_attr(op, "start", 0))}
    if get_attr(op, "end") is not None:
        shape_attrs["end"] = _int(get_attr(op, "end"))
    shape = b.new("Shape", [cv], [op.results[0].type], shape_attrs, suffix="shape")
    perm = get_attr(op, "perm")
    tattrs = {"perm": _ints(perm)} if perm is not None else {}
    transposed = b.new("Transpose", [cv], [op.results[1].type], tattrs, suffix="transpose")
    b.replace_values([shape.results[0], transposed.results[0]])


def _rms_layer_norm(b: _Builder) -> bool:
    op = b.op
    inv = op.results[1]
    if not is_none(inv) and inv.uses:
        return False
    x, scale, bias = op.operands
    attrs = b.attrs()
    y_type = op.results[0].type
    rms = b.new("RMSNormalization", [x, scale], [y_type], attrs, suffix=None if is_none(bias) else "rms")
    if is_none(bias):
        b.replace_values([rms.results[0], None])
        return True
    add = b.new("Add", [rms.results[0], bias], [y_type], {}, suffix="bias")
    b.replace_values([add.results[0], None])
    return True


def _upsample_and_pad(b: _Builder) -> bool:
    op = b.op
    x = op.operands[0]
    shape = value_shape(x)
    if shape is None:
        return False
    strides = get_attr(op, "strides")
    pads = get_attr(op, "pads")
    k = len(strides) if strides is not None else (len(pads) // 2 if pads is not None else 0)
    strides = list(strides) if strides is not None else [1] * k
    pads = list(pads) if pads is not None else [0] * (2 * k)
    n = len(shape)
    outer, inner = list(shape[: n - k]), list(shape[n - k :])
    if any(d < 0 for d in inner):
        return False
    copy = [0] * len(outer)  # Reshape: 0 copies the (possibly dynamic) outer dims
    v = x
    if any(s > 1 for s in strides):
        # (.., d, ..) -> (.., d, 1, ..) -> pad to (.., d, s, ..) -> (.., d*s, ..) -> first (d-1)*s+1
        paired = outer + [e for d in inner for e in (d, 1)]
        r1 = b.new("Reshape", [v, b.const(copy + paired[len(outer) :])], [_tensor_of(x, paired)], suffix="pair")
        zpads = [0] * len(paired) + [0] * len(outer) + [e for s in strides for e in (0, s - 1)]
        spread = outer + [e for d, s in zip(inner, strides) for e in (d, s)]
        p1 = b.new("Pad", [r1.results[0], b.const(zpads), b.none(), b.none()], [_tensor_of(x, spread)], suffix="spread")
        merged = outer + [d * s for d, s in zip(inner, strides)]
        r2 = b.new("Reshape", [p1.results[0], b.const(copy + merged[len(outer) :])], [_tensor_of(x, merged)], suffix="merge")
        ups = outer + [(d - 1) * s + 1 for d, s in zip(inner, strides)]
        sl = b.new(
            "Slice",
            [r2.results[0], b.const([0] * k), b.const(ups[n - k :]), b.const(list(range(n - k, n))), b.none()],
            [_tensor_of(x, ups)],
            suffix="upsampled",
        )
        v = sl.results[0]
    if any(pads):
        full = [0] * (n - k) + pads[:k] + [0] * (n - k) + pads[k:]
        b.replace("Pad", [v, b.const(full), b.none(), b.none()], {})
    elif v.type == op.results[0].type:
        b.replace_values([v])
    else:
        b.replace("Identity", [v], {})
    return True


_EXTENSIONS: dict[str, Any] = {
    "Dim": _dim,
    "MaxPoolSingleOut": _max_pool_single_out,
    "BatchNormalizationInferenceMode": _batch_norm_inference,
    "ConcatShapeTranspose": _concat_shape_transpose,
    "RMSLayerNormalization": _rms_layer_norm,
    "UpsampleAndPad": _upsample_and_pad,
    "DimGroup": lambda b: b.rewriter.erase(b.op),
}


class UpgradeOnnxMlirOps(RewritePattern):
    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not op.name.startswith("onnx."):
            return
        mnemonic = op.name[5:]
        info = getattr(type(op), "SCHEMA", None)
        if info is not None and info.domain == "ai.onnx.ml" and onnx_mlir_kind(op) is None:
            from mlopt.dialects.onnx import op_class

            try:
                cls = op_class(f"onnx_ml.{mnemonic}")
            except KeyError:  # deprecated in ai.onnx.ml (TreeEnsembleClassifier): no onnx_ml op
                return
            new = cls.create(
                operands=list(op.operands),
                result_types=[r.type for r in op.results],
                attributes=dict(op.attributes),
            )
            new.location = op.location
            rewriter.replace(op, new)
            return
        if mnemonic == "Return":  # onnx-mlir's function terminator
            from xdsl.dialects import func

            rewriter.replace(op, func.ReturnOp(*op.operands))
            return
        kind = onnx_mlir_kind(op)
        if kind is None:
            return
        fn = _EXTENSIONS.get(mnemonic) if kind == "extension" else _VERSIONED.get(mnemonic)
        if fn is not None:
            fn(_Builder(op, rewriter))


@dataclass(frozen=True)
class OnnxUpgradePass(ModulePass):
    """Rewrite onnx-mlir's versioned (``onnx.SqueezeV11``), ``ai.onnx.ml``
    (``onnx.Scaler``) and extension (``onnx.Dim``, ``onnx.MaxPoolSingleOut``,
    ...) ops into current ONNX ops; see the module docstring."""

    name = "onnx-upgrade"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(UpgradeOnnxMlirOps(), apply_recursively=False).rewrite_module(op)

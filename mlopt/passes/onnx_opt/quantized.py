"""``onnx-quantized-to-integer``: quantized contractions as exact integer arithmetic.

Accepts onnx-level IR (contract A), after shape inference and before
``onnx-constant-fold`` (which would fold the weights' DequantizeLinear into
float constants). Produces onnx-level IR.

The QDQ format writes a quantized Conv as ``QuantizeLinear(Conv(DQ(x), DQ(w),
DQ(b)))``; the QOperator format as ``QLinearConv``. Both become what
onnxruntime computes for them -- exact integer products summed in int32, the
int32 bias added, one float multiplication by ``M = x_scale * w_scale /
y_scale`` (per output channel for per-channel weights), rounding half to even,
the output zero point and saturation:

    acc = ConvInteger(xq, wq, x_zp, w_zp) [+ b]          (int32)
    y   = QuantizeLinear(Cast<f32>(acc) * M, 1.0, y_zp)

(``QuantizeLinear`` by a scale of 1.0 is the rounding, zero point and
saturation: ``v / 1.0 == v`` exactly). Likewise ``MatMul`` / ``QLinearMatMul``
(``MatMulInteger``) and ``Gemm`` (``transA = 0``, ``alpha = beta = 1``; a
transposed constant B is transposed at compile time).

**Exact in f32.** The int32 sum is computed by the f32 contraction kernels
when f32 arithmetic provably gives the same integers: every partial sum of
``(x - x_zp) * (w - w_zp)`` (and the bias) is bounded by ``max|x - x_zp| *
max_c sum_k |w[c, k] - w_zp[c]| + max|b|`` (per output channel ``c``, from the
constant weights; ``K * max|x - x_zp| * max|w - w_zp|`` for two activations),
and while that bound is below 2^24 every partial sum is an integer f32 holds
exactly, in any summation order. Then ``x - x_zp`` is computed in f32, the
weights become the f32 constant ``w - w_zp`` and the op a float ``Conv`` /
``MatMul`` (with the bias as its f32 bias). Where the bound is too large, the
constant weights split as ``16 * hi + lo`` (``|lo| <= 8``) may still give two
exact f32 sums, converted to int32 and combined there; otherwise the int32 op
stays. The
``ConvInteger`` / ``MatMulInteger`` of the dynamic format (constant weights)
get the same treatment.

**Activations in f32.** A requantized activation read only as ``q - zp`` by
the next integer-form contractions (directly or through a MaxPool, which
commutes with the shift) or by a DequantizeLinear with its zero point becomes
``Clip(Round(v / scale), lo - zp, hi - zp)`` in f32 -- exactly ``q - zp`` --
so the uint8 tensor is never materialised and the ops fuse into the
producing kernel's epilogue.

**Byte dot products.** With ``integer-dot=true`` (the runtime sets it for a
target with VNNI) a convolution whose constant weights lie within int8 of
their zero point stays ``ConvInteger``, which ``convert-onnx-to-tensor``
lowers to a contraction of packed bytes (``mlopt.dot4``, run as ``vpdpbusd``).

A pattern is rewritten only when its semantics allow it exactly: the scales
and zero points are constants, the activation's per tensor, the weight's per
tensor or per output channel (Conv: axis 0; MatMul/Gemm: per column of B);
the float op's result has no other use; a bias is an int32
``DequantizeLinear`` with zero point 0 and scale ``x_scale * w_scale`` (as
onnxruntime's quantizer writes it). Anything else stays as it is and is
computed in float (the model's own float semantics).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import IntegerAttr, IntegerType, ModuleOp, Signedness, TensorType, f32, i32
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import InsertPoint

from mlopt.passes.node_names import mark_fused
from mlopt.passes.onnx_opt.common import (
    constant_array,
    elem_type,
    get_attr,
    is_none,
    make_constant,
    make_none,
    make_onnx_op,
    to_numpy_dtype,
    value_shape,
)

__all__ = ["OnnxQuantizedToIntegerPass", "EXACT_F32"]

_CONV_ATTRS = ("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides")
#: integers up to this magnitude are exact in f32 (the 24-bit significand)
EXACT_F32 = 1 << 24
_SI64 = IntegerType(64, Signedness.SIGNED)
_FLOAT = IntegerAttr(1, _SI64)  # TensorProto.FLOAT, Cast's ``to``
_INT32 = IntegerAttr(6, _SI64)


def _dtype(v: SSAValue) -> np.dtype | None:
    """numpy dtype of a tensor value's elements, else None."""
    et = elem_type(v.type)
    try:
        return to_numpy_dtype(et) if et is not None else None
    except Exception:
        return None


def _qtype(v: SSAValue) -> np.dtype | None:
    """numpy dtype of an int8/uint8 tensor value, else None."""
    dt = _dtype(v)
    return dt if dt in (np.dtype(np.int8), np.dtype(np.uint8)) else None


@dataclass
class _Operand:
    """A quantized operand: its int8/uint8 value, zero point (value and
    constant; both None when absent, constant None when computed at run time)
    and the constant data of the value itself when it has some."""

    q: SSAValue
    zp_value: SSAValue | None
    zp: np.ndarray | None
    data: np.ndarray | None
    transposed: bool = False  # data is q's constant transposed (a Gemm's B)

    @property
    def dtype(self) -> np.dtype:
        dt = _qtype(self.q)
        assert dt is not None
        return dt

    def max_shifted(self) -> int:
        """max |v - zp| over the values v of the type."""
        info = np.iinfo(self.dtype)
        if self.zp_value is not None and self.zp is None:
            return int(info.max) - int(info.min)
        zp = self.zp if self.zp is not None else np.zeros(1, np.int64)
        zp = zp.astype(np.int64)
        return int(max(np.max(np.abs(info.min - zp)), np.max(np.abs(info.max - zp))))

    def shifted(self, shape: tuple[int, ...]) -> np.ndarray:
        """The constant ``data - zp`` (int64), the zero point broadcast to ``shape``."""
        assert self.data is not None
        zp = np.zeros((), np.int64) if self.zp is None else self.zp.astype(np.int64).reshape(shape)
        return self.data.astype(np.int64) - zp


@dataclass
class _Dq:
    """A ``DequantizeLinear`` with constant scale and zero point."""

    operand: _Operand
    scale: np.ndarray  # float32
    axis: int
    op: Operation

    @property
    def per_tensor(self) -> bool:
        zp = self.operand.zp
        return self.scale.size == 1 and (zp is None or zp.size == 1)


def _operand(q: SSAValue, zp_value: SSAValue | None) -> _Operand:
    zp = None if zp_value is None else constant_array(zp_value)
    return _Operand(q, zp_value, zp, constant_array(q))


def _dq(v: SSAValue) -> _Dq | None:
    op = v.owner
    if not isinstance(op, Operation) or op.name != "onnx.DequantizeLinear":
        return None
    if get_attr(op, "block_size", 0):
        return None
    scale = constant_array(op.operands[1])
    zp_v = None if len(op.operands) < 3 or is_none(op.operands[2]) else op.operands[2]
    shape = value_shape(op.operands[0])
    if scale is None or shape is None:
        return None
    operand = _operand(op.operands[0], zp_v)
    if zp_v is not None and operand.zp is None:
        return None
    axis = int(get_attr(op, "axis", 1))
    if shape and axis < 0:
        axis += len(shape)
    return _Dq(operand, scale.astype(np.float32), axis, op)


def _quantize_user(v: SSAValue) -> Operation | None:
    """The ``QuantizeLinear`` that is the only use of ``v``, per tensor, to int8/uint8."""
    if v.uses.get_length() != 1:
        return None
    q = next(iter(v.uses)).operation
    if q.name != "onnx.QuantizeLinear" or q.operands[0] is not v:
        return None
    if get_attr(q, "block_size", 0) or not get_attr(q, "saturate", 1):
        return None
    scale = constant_array(q.operands[1])
    if scale is None or scale.size != 1:
        return None
    if len(q.operands) > 2 and not is_none(q.operands[2]):
        zp = constant_array(q.operands[2])
        if zp is None or zp.size != 1:
            return None
    return q if _qtype(q.results[0]) is not None else None


def _bias(v: SSAValue, expect: np.ndarray) -> tuple[np.ndarray, _Dq] | None:
    """(int32 data, its DequantizeLinear) of a bias quantized with zero point 0
    and scale ``expect`` (per output channel); None when it is not of that form."""
    d = _dq(v)
    if d is None or _dtype(d.operand.q) != np.dtype(np.int32) or d.operand.data is None:
        return None
    if d.operand.zp is not None and np.any(d.operand.zp != 0):
        return None
    if not np.array_equal(np.broadcast_to(d.scale.reshape(-1), expect.shape), expect):
        return None
    return d.operand.data.astype(np.int32).reshape(-1), d


def _multiplier(xs: np.ndarray, ws: np.ndarray, ys: np.ndarray) -> np.ndarray:
    # float32, in onnxruntime's order: x_scale * w_scale / y_scale
    return (np.float32(xs.reshape(-1)[0]) * ws.reshape(-1).astype(np.float32)) / np.float32(ys.reshape(-1)[0])


class _Builder:
    """Inserts new ops before ``at``, with the location and node name of ``like``."""

    def __init__(self, rewriter: PatternRewriter, at: Operation, like: Operation) -> None:
        self.rewriter, self.at, self.like = rewriter, at, like
        self.n = 0

    def insert(self, op: Operation) -> SSAValue:
        self.rewriter.insert_op(op, InsertPoint.before(self.at))
        return op.results[0]

    def const(self, arr: np.ndarray, et: Attribute) -> SSAValue:
        return self.insert(make_constant(np.asarray(arr), et))

    def none(self) -> SSAValue:
        """An absent optional operand."""
        return self.insert(make_none())

    def op(self, name: str, operands: list[SSAValue], shape, et: Attribute, **attrs: Attribute) -> SSAValue:
        self.n += 1
        return self.insert(
            make_onnx_op(name, operands, [TensorType(et, shape)], attrs, like=self.like, name_suffix=f"int{self.n}")
        )

    def zero_point(self, d: _Operand) -> SSAValue:
        """``d``'s zero point as ConvInteger/MatMulInteger take it: a scalar or
        1-D (a zero of the operand's type when absent)."""
        et = elem_type(d.q.type)
        assert et is not None
        if d.zp is None and d.zp_value is None:
            return self.const(np.zeros((), d.dtype), et)
        if d.zp is not None and d.zp.size > 1 and d.zp.ndim != 1:
            return self.const(d.zp.reshape(-1), et)
        assert d.zp_value is not None
        return d.zp_value

    def shifted_f32(self, a: _Operand, shape) -> SSAValue:
        """``a - a_zp`` in f32 (exact: at most 255 in magnitude)."""
        v = self.op("Cast", [a.q], shape, f32, to=_FLOAT)
        if a.zp_value is None or (a.zp is not None and not np.any(a.zp)):
            return v
        zp = a.zp_value
        zshape = value_shape(zp)
        zf = (
            self.const(a.zp.astype(np.float32), f32)
            if a.zp is not None
            else self.op("Cast", [zp], zshape, f32, to=_FLOAT)
        )
        return self.op("Sub", [v, zf], shape, f32)


def _shifted_weights(conv: bool, w: _Operand, out: tuple[int, ...]) -> tuple[np.ndarray, tuple[int, ...]]:
    """The constant ``w - w_zp`` (int64, a per-channel zero point along the
    output channels) and the axes its per-output-channel sums run over."""
    assert w.data is not None
    n, rank = (out[1] if conv else out[-1]), w.data.ndim
    zp_shape: tuple[int, ...] = ()
    if w.zp is not None and w.zp.size > 1:
        zp_shape = (n, *([1] * (rank - 1))) if conv else (1,) * (rank - 1) + (n,)
    axes = tuple(range(1, rank)) if conv else tuple(range(rank - 1))
    return w.shifted(zp_shape), axes


def _bound(x: _Operand, wi: np.ndarray, axes: tuple[int, ...]) -> int:
    """max |partial sum of (x - x_zp) * wi| over the output channels."""
    return x.max_shifted() * int(np.max(np.sum(np.abs(wi), axis=axes), initial=0))


_SPLIT = 16


def _byte_dots(conv: bool, x: _Operand, w: _Operand, out: tuple[int, ...], attrs: dict[str, Attribute]) -> bool:
    """Whether the ConvInteger of ``x`` and ``w`` lowers to byte dot products
    (``conv._conv_dot4``): one group, constant weights within int8 of their
    zero point, a constant scalar zero point of ``x``."""
    from mlopt.passes.onnx_to_tensor.conv import dot4_weights

    group = attrs.get("group")
    if not conv or w.data is None or (isinstance(group, IntegerAttr) and group.value.data != 1):
        return False
    if (x.zp_value is not None and x.zp is None) or (x.zp is not None and x.zp.size != 1):
        return False
    return dot4_weights(w.data, w.zp, out[1]) is not None


def _form(
    conv: bool, x: _Operand, w: _Operand, out: tuple[int, ...], bias: np.ndarray | None,
    byte_dots: bool = False,
) -> tuple[str, Any]:
    """How the int32 sum ``(x - x_zp) * (w - w_zp) [+ bias]`` is computed (see
    the module docstring): ("int32", None) when ``byte_dots`` (the target's
    byte dot products: see ``_byte_dots``); ("f32", the constant ``w - w_zp``
    or None for two activations) when one f32 sum is exact; ("split", (hi,
    lo)) with ``w - w_zp = 16 * hi + lo``, ``|lo| <= 8``, when two are; else
    ("int32", None)."""
    x_shape = value_shape(x.q)
    assert x_shape is not None
    if byte_dots:
        return "int32", None
    if x.zp_value is not None and value_shape(x.zp_value) not in ((), (1,)):
        return "int32", None  # a per-row zero point of A
    bias_max = int(np.max(np.abs(bias.astype(np.int64)), initial=0)) if bias is not None else 0
    if w.data is None:
        exact = not conv and x_shape[-1] * x.max_shifted() * w.max_shifted() + bias_max < EXACT_F32
        return ("f32", None) if exact else ("int32", None)
    wi, axes = _shifted_weights(conv, w, out)
    if _bound(x, wi, axes) + bias_max < EXACT_F32:
        return "f32", wi
    hi = np.floor((wi + _SPLIT // 2) / _SPLIT).astype(np.int64)
    lo = wi - _SPLIT * hi
    if _bound(x, hi, axes) < EXACT_F32 and _bound(x, lo, axes) < EXACT_F32:
        return "split", (hi, lo)
    return "int32", None


def _contract(
    b: _Builder,
    conv: bool,
    x: _Operand,
    w: _Operand,
    out: tuple[int, ...],
    bias: np.ndarray | None,
    attrs: dict[str, Attribute],
    form: tuple[str, Any] | None = None,
    integer_dot: bool = False,
) -> SSAValue:
    """The int32 sum ``(x - x_zp) * (w - w_zp) [+ bias]`` of a Conv (``conv``)
    or MatMul, as an f32 value, in the ``form`` (by default ``_form``'s) that
    is exact: one f32 contraction; two, combined in int32; or
    ConvInteger/MatMulInteger and a Cast."""
    x_shape, w_shape = value_shape(x.q), value_shape(w.q)
    assert x_shape is not None and w_shape is not None
    n = out[1] if conv else out[-1]
    kind, data = form or _form(conv, x, w, out, bias, integer_dot and _byte_dots(conv, x, w, out, attrs))

    def contraction(xf: SSAValue, wf: SSAValue, bf: SSAValue | None) -> SSAValue:
        if conv:
            return b.op("Conv", [xf, wf, bf or b.none()], out, f32, **attrs)
        return b.op("MatMul", [xf, wf], out, f32)

    if kind == "f32":
        xf = b.shifted_f32(x, x_shape)
        wf = b.shifted_f32(w, w_shape) if data is None else b.const(data.astype(np.float32), f32)
        bf = b.const(bias.astype(np.float32), f32) if bias is not None and conv else None
        acc = contraction(xf, wf, bf)
        if bias is not None and not conv:
            acc = b.op("Add", [acc, b.const(bias.astype(np.float32), f32)], out, f32)
        return acc
    if kind == "split":
        xf = b.shifted_f32(x, x_shape)
        hi, lo = (
            b.op("Cast", [contraction(xf, b.const(part.astype(np.float32), f32), None)], out, i32, to=_INT32)
            for part in data
        )
        scaled_hi = b.op("Mul", [hi, b.const(np.array(_SPLIT, np.int32), i32)], out, i32)
        acc = b.op("Add", [scaled_hi, lo], out, i32)
    else:
        wv = b.const(w.data, elem_type(w.q.type)) if w.transposed else w.q
        acc = b.op("ConvInteger" if conv else "MatMulInteger", [x.q, wv, b.zero_point(x), b.zero_point(w)], out, i32, **attrs)
    if bias is not None:
        shape = (n, *([1] * (len(out) - 2))) if conv else (n,)
        acc = b.op("Add", [acc, b.const(bias.reshape(shape), i32)], out, i32)
    return b.op("Cast", [acc], out, f32, to=_FLOAT)


def _requantize(
    b: _Builder, acc: SSAValue, out, mult: np.ndarray, zp: SSAValue | None,
    replaced: Operation, rewriter: PatternRewriter, fused: list[Operation], suffix: str | None = None,
) -> None:
    """``QuantizeLinear(acc * mult, 1.0, zp)`` in place of ``replaced`` (its
    result type, location and node name, ``<name>/<suffix>`` when given)."""
    scaled = b.op("Mul", [acc, b.const(mult.astype(np.float32), f32)], out, f32)
    one = b.const(np.array(1.0, np.float32), f32)
    zp = zp if zp is not None and not is_none(zp) else b.none()
    new = make_onnx_op("QuantizeLinear", [scaled, one, zp], [replaced.results[0].type], like=replaced, name_suffix=suffix)
    mark_fused(new, *fused)
    rewriter.replace_op(replaced, new)


def _erase_dead(rewriter: PatternRewriter, *ops: Operation | None) -> None:
    for o in ops:
        if o is not None and o.parent is not None and not any(r.uses for r in o.results):
            rewriter.erase_op(o)


def _static(v: SSAValue) -> tuple[int, ...] | None:
    s = value_shape(v)
    return s if s is not None and s and all(d >= 0 for d in s) else None


def _multiplier_shape(mult: np.ndarray, per_channel: bool, conv: bool, rank: int) -> np.ndarray:
    if not per_channel:
        return mult[:1].reshape(())
    return mult.reshape(-1, *([1] * (rank - 2))) if conv else mult


class QdqToInteger(RewritePattern):
    """QuantizeLinear(Conv | MatMul | Gemm of DequantizeLinears) -> the integer form."""

    def __init__(self, integer_dot: bool = False) -> None:
        self.integer_dot = integer_dot

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name not in ("onnx.Conv", "onnx.MatMul", "onnx.Gemm"):
            return
        conv, gemm = op.name == "onnx.Conv", op.name == "onnx.Gemm"
        if gemm and (get_attr(op, "transA", 0) or get_attr(op, "alpha", 1.0) != 1.0 or get_attr(op, "beta", 1.0) != 1.0):
            return
        q, out = _quantize_user(op.results[0]), _static(op.results[0])
        x, w = _dq(op.operands[0]), _dq(op.operands[1])
        if q is None or out is None or x is None or w is None or not x.per_tensor:
            return
        if _qtype(x.operand.q) is None or _qtype(w.operand.q) is None:
            return
        w_shape = value_shape(w.operand.q)
        assert w_shape is not None
        trans_b = gemm and bool(get_attr(op, "transB", 0))
        n = out[1] if conv else out[-1]
        # per output channel: Conv's axis 0, B's columns (axis 0 of a transposed Gemm B)
        axis = 0 if conv or trans_b else len(w_shape) - 1
        if not (w.per_tensor or (w.axis == axis and w.scale.size == n and (conv or len(w_shape) == 2))):
            return
        if trans_b and w.operand.data is None:
            return
        ws = np.broadcast_to(w.scale.reshape(-1), (n,)).astype(np.float32)
        bias = bias_dq = None
        if len(op.operands) > 2 and not is_none(op.operands[2]):
            found = _bias(op.operands[2], np.float32(x.scale.reshape(-1)[0]) * ws)
            if found is None:
                return
            bias, bias_dq = found
        ys = constant_array(q.operands[1])
        assert ys is not None
        b = _Builder(rewriter, q, op)
        wq = w.operand
        if trans_b:  # B transposed at compile time (``_contract`` materialises it if needed)
            assert wq.data is not None
            wq = _Operand(wq.q, wq.zp_value, wq.zp, np.ascontiguousarray(wq.data.T), transposed=True)
        attrs = {k: op.attributes[k] for k in _CONV_ATTRS if k in op.attributes} if conv else {}
        acc = _contract(b, conv, x.operand, wq, out, bias, attrs, integer_dot=self.integer_dot)
        mult = _multiplier_shape(_multiplier(x.scale, ws, ys), not w.per_tensor, conv, len(out))
        zp = q.operands[2] if len(q.operands) > 2 else None
        _requantize(b, acc, out, mult, zp, q, rewriter, [op, q])
        _erase_dead(rewriter, op, x.op, w.op, bias_dq.op if bias_dq is not None else None)


class QLinearToInteger(RewritePattern):
    """QLinearConv / QLinearMatMul with constant scales -> the integer form."""

    def __init__(self, integer_dot: bool = False) -> None:
        self.integer_dot = integer_dot

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name not in ("onnx.QLinearConv", "onnx.QLinearMatMul"):
            return
        conv = op.name == "onnx.QLinearConv"
        xq, xs_v, xz_v, wq, ws_v, wz_v, ys_v, yz_v = op.operands[:8]
        out, w_shape = _static(op.results[0]), value_shape(wq)
        xs, ws, ys = (constant_array(v) for v in (xs_v, ws_v, ys_v))
        if out is None or w_shape is None or xs is None or ws is None or ys is None:
            return
        n = out[1] if conv else out[-1]
        if xs.size != 1 or ys.size != 1 or ws.size not in (1, n) or (not conv and ws.size > 1 and len(w_shape) != 2):
            return
        x = _operand(xq, None if is_none(xz_v) else xz_v)
        w = _operand(wq, None if is_none(wz_v) else wz_v)
        if (x.zp_value is not None and x.zp is None) or (w.zp_value is not None and w.zp is None):
            return
        if x.zp is not None and x.zp.size != 1:
            return
        bias = None
        if conv and len(op.operands) > 8 and not is_none(op.operands[8]):
            bias = constant_array(op.operands[8])
            if bias is None:
                return
            bias = bias.astype(np.int32).reshape(-1)
        b = _Builder(rewriter, op, op)
        attrs = {k: op.attributes[k] for k in _CONV_ATTRS if k in op.attributes} if conv else {}
        acc = _contract(b, conv, x, w, out, bias, attrs, integer_dot=self.integer_dot)
        wsv = np.broadcast_to(ws.reshape(-1).astype(np.float32), (n,))
        mult = _multiplier_shape(_multiplier(xs, wsv, ys), ws.size > 1, conv, len(out))
        _requantize(b, acc, out, mult, yz_v, op, rewriter, [op], suffix="requantize")


class IntegerToExactFloat(RewritePattern):
    """ConvInteger / MatMulInteger with constant weights (the dynamic format)
    -> the f32 op where that is exact (see the module docstring), unless
    ``integer_dot`` and it runs as byte dot products."""

    def __init__(self, integer_dot: bool = False) -> None:
        self.integer_dot = integer_dot

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name not in ("onnx.ConvInteger", "onnx.MatMulInteger"):
            return
        conv = op.name == "onnx.ConvInteger"
        out = _static(op.results[0])
        ops = list(op.operands) + [None, None]
        if out is None or _qtype(ops[0]) is None or _qtype(ops[1]) is None:
            return
        x = _operand(ops[0], None if ops[2] is None or is_none(ops[2]) else ops[2])
        w = _operand(ops[1], None if ops[3] is None or is_none(ops[3]) else ops[3])
        if w.data is None or (w.zp_value is not None and w.zp is None):
            return
        attrs = {k: op.attributes[k] for k in _CONV_ATTRS if k in op.attributes} if conv else {}
        form = _form(conv, x, w, out, None, self.integer_dot and _byte_dots(conv, x, w, out, attrs))
        if form[0] == "int32":
            return
        b = _Builder(rewriter, op, op)
        acc = _contract(b, conv, x, w, out, None, attrs, form)
        users = [u.operation for u in op.results[0].uses]
        cast = users[0] if len(users) == 1 and users[0].name == "onnx.Cast" and get_attr(users[0], "to") == 1 else None
        if cast is not None:
            rewriter.replace_op(cast, [], [acc])
            rewriter.erase_op(op)
            return
        back = b.op("Cast", [acc], out, i32, to=_INT32)  # exact integers back to int32
        rewriter.replace_op(op, [], [back])


def _shift_user(use_op: Operation, q: SSAValue, zp: np.ndarray) -> tuple[str, Operation] | None:
    """How ``use_op`` reads the quantized ``q`` (zero point ``zp``): as the
    f32 ``q - zp`` of an integer-form contraction (``Cast``, then ``Sub`` of
    the constant zp unless it is 0) -> ("shift", the op giving it); or as a
    ``DequantizeLinear`` with that zero point -> ("dq", the op). None otherwise."""
    if use_op.name == "onnx.Cast" and get_attr(use_op, "to") == 1 and use_op.operands[0] is q:
        if not np.any(zp):
            return "shift", use_op
        users = [u.operation for u in use_op.results[0].uses]
        if len(users) == 1 and users[0].name == "onnx.Sub" and users[0].operands[0] is use_op.results[0]:
            sub_zp = constant_array(users[0].operands[1])
            if sub_zp is not None and sub_zp.size == 1 and float(sub_zp.reshape(-1)[0]) == float(zp.reshape(-1)[0]):
                return "shift", users[0]
        return None
    if use_op.name == "onnx.MaxPool" and use_op.operands[0] is q and not (
        len(use_op.results) > 1 and not is_none(use_op.results[1]) and use_op.results[1].uses
    ):
        # max commutes with the shift: MaxPool(q) - zp == MaxPool(q - zp)
        pooled = use_op.results[0]
        if pooled.uses and all(_shift_user(u.operation, pooled, zp) is not None for u in pooled.uses):
            if all(_shift_user(u.operation, pooled, zp)[0] != "pool" for u in pooled.uses):  # type: ignore[index]
                return "pool", use_op
        return None
    if use_op.name == "onnx.DequantizeLinear" and use_op.operands[0] is q:
        absent = len(use_op.operands) < 3 or is_none(use_op.operands[2])
        dzp = np.zeros((), np.int64) if absent else constant_array(use_op.operands[2])
        scale = constant_array(use_op.operands[1])
        if dzp is not None and dzp.size == 1 and int(dzp.reshape(-1)[0]) == int(zp.reshape(-1)[0]) and scale is not None and scale.size == 1:
            return "dq", use_op
    return None


def _replace_readers(rewriter: PatternRewriter, readers, r: SSAValue, shape, zp: np.ndarray) -> None:
    """Make each reader of a quantized value read ``r`` (its f32 ``q - zp``) instead."""
    casts = [reader.operands[0].owner for _, reader in readers if reader.name == "onnx.Sub"]
    for kind, reader in readers:
        if kind == "shift":
            rewriter.replace_op(reader, [], [r])
        elif kind == "dq":
            b = _Builder(rewriter, reader, reader)
            rewriter.replace_op(reader, [], [b.op("Mul", [r, reader.operands[1]], shape, f32)])
        else:  # a MaxPool: the same pool of r, read as r by its own readers
            pooled = reader.results[0]
            out_shape = _static(pooled)
            assert out_shape is not None
            zp_readers = [_shift_user(u.operation, pooled, zp) for u in pooled.uses]
            b = _Builder(rewriter, reader, reader)
            attrs = {k: v for k, v in reader.attributes.items() if k != "onnx_node_name"}
            operands = [r] + list(reader.operands[1:])
            new = make_onnx_op("MaxPool", operands, [TensorType(f32, out_shape), *[res.type for res in reader.results[1:]]], attrs, like=reader)
            b.insert(new)
            _replace_readers(rewriter, zp_readers, new.results[0], out_shape, zp)
            rewriter.erase_op(reader)
    for cast in casts:
        _erase_dead(rewriter, cast)


class ShiftedQuantized(RewritePattern):
    """A per-tensor ``QuantizeLinear`` read only as ``q - zp`` in f32 (by the
    integer-form contractions) or by ``DequantizeLinear`` with its zero point
    -> ``r = Clip(Round(y / scale), lo - zp, hi - zp)`` in f32, which is exactly
    ``q - zp``; the readers use ``r`` (a ``DequantizeLinear`` becomes ``r *
    scale``, its own float arithmetic). The quantized tensor is never
    materialised, and the f32 ops fuse into the producing kernel's epilogue."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.QuantizeLinear" or get_attr(op, "block_size", 0) or not get_attr(op, "saturate", 1):
            return
        dtype = _qtype(op.results[0])
        scale = constant_array(op.operands[1])
        has_zp = len(op.operands) > 2 and not is_none(op.operands[2])
        zp = constant_array(op.operands[2]) if has_zp else np.zeros((), dtype or np.uint8)
        shape = _static(op.results[0])
        if dtype is None or scale is None or scale.size != 1 or zp is None or zp.size != 1 or shape is None:
            return
        q = op.results[0]
        readers = [_shift_user(u.operation, q, zp) for u in q.uses]
        if not readers or any(r is None for r in readers):
            return
        info = np.iinfo(dtype)
        z = int(zp.reshape(-1)[0])
        b = _Builder(rewriter, op, op)
        y = op.operands[0]
        if float(scale.reshape(-1)[0]) != 1.0:
            y = b.op("Div", [y, op.operands[1]], shape, f32)
        r = b.op("Round", [y], shape, f32)
        lo = b.const(np.array(info.min - z, np.float32), f32)
        hi = b.const(np.array(info.max - z, np.float32), f32)
        r = b.op("Clip", [r, lo, hi], shape, f32)
        _replace_readers(rewriter, readers, r, shape, zp)
        rewriter.erase_op(op)


def _same_quantization(d: _Dq, scale: np.ndarray, zp: np.ndarray | None, dtype: np.dtype) -> bool:
    """``d`` dequantizes with exactly ``scale`` and ``zp`` (absent: 0) from ``dtype``."""
    if d.operand.dtype != dtype or d.scale.size != 1 or float(d.scale.reshape(-1)[0]) != float(scale.reshape(-1)[0]):
        return False
    dz = 0 if d.operand.zp is None else int(d.operand.zp.reshape(-1)[0])
    return dz == (0 if zp is None else int(zp.reshape(-1)[0]))


class QuantizeThroughConcat(RewritePattern):
    """``QuantizeLinear(Concat(DequantizeLinear(q_i)...))`` -> ``Concat(QuantizeLinear(
    DequantizeLinear(q_i))...)``: a concatenation moves elements, so quantizing
    its result is quantizing each input (per-tensor, constant parameters);
    an input dequantized with the output's own scale and zero point is ``q_i``
    itself (``|q - zp| <= 255`` times the scale and back rounds to ``q - zp``).
    The concatenation then moves int8/uint8 values, and each input's
    requantization is elementwise work that fuses into its producer."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.QuantizeLinear" or get_attr(op, "block_size", 0) or not get_attr(op, "saturate", 1):
            return
        cat = op.operands[0].owner
        if not isinstance(cat, Operation) or cat.name != "onnx.Concat" or op.operands[0].uses.get_length() != 1:
            return
        scale = constant_array(op.operands[1])
        has_zp = len(op.operands) > 2 and not is_none(op.operands[2])
        zp = constant_array(op.operands[2]) if has_zp else None
        dtype = _qtype(op.results[0])
        if dtype is None or scale is None or scale.size != 1 or (has_zp and (zp is None or zp.size != 1)):
            return
        dqs = [_dq(v) for v in cat.operands]
        if not all(d is not None and d.per_tensor and _qtype(d.operand.q) is not None for d in dqs):
            return
        et = elem_type(op.results[0].type)
        b = _Builder(rewriter, op, op)
        inputs: list[SSAValue] = []
        for k, (v, d) in enumerate(zip(cat.operands, dqs, strict=True)):
            assert d is not None
            shape = _static(v)
            if shape is None:
                return
            if _same_quantization(d, scale, zp, dtype):
                inputs.append(d.operand.q)
                continue
            q = make_onnx_op(
                "QuantizeLinear", [v, op.operands[1], op.operands[2] if has_zp else b.none()],
                [TensorType(et, shape)], like=op, name_suffix=f"in{k}",
            )  # fmt: skip
            inputs.append(b.insert(q))
        attrs = {k: v for k, v in cat.attributes.items() if k != "onnx_node_name"}
        new = make_onnx_op("Concat", inputs, [op.results[0].type], attrs, like=cat)
        mark_fused(new, cat, op)
        rewriter.replace_op(op, new)
        rewriter.erase_op(cat)
        _erase_dead(rewriter, *(d.op for d in dqs if d is not None))


@dataclass(frozen=True)
class OnnxQuantizedToIntegerPass(ModulePass):
    """Quantized Conv/MatMul/Gemm (QDQ patterns, QLinearConv, QLinearMatMul,
    ConvInteger/MatMulInteger) -> exact integer arithmetic (see the module docstring)."""

    name = "onnx-quantized-to-integer"

    integer_dot: bool = False

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        dot = self.integer_dot
        if dot:  # int8 concatenations (the byte dot products read int8 tensors)
            PatternRewriteWalker(QuantizeThroughConcat(), apply_recursively=False).rewrite_module(op)
        PatternRewriteWalker(
            GreedyRewritePatternApplier([QdqToInteger(dot), QLinearToInteger(dot), IntegerToExactFloat(dot)]),
            apply_recursively=False,
        ).rewrite_module(op)
        # after them: their f32 shifts of the activations are what it removes
        PatternRewriteWalker(ShiftedQuantized(), apply_recursively=False).rewrite_module(op)

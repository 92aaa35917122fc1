"""``onnx-shape-inference``: static shapes and element types for onnx-level IR.

Accepts ``func.func``s of onnx ops (contract A) and refines every result type:
hand-written shape functions for the common ops, and, for any other op,
onnx's own inference on a one-node model (operand types, known operand values
as initializers, ``data_prop=True``). Small integer tensors computed from
shapes (Shape -> Gather -> Concat -> Reshape chains) are propagated as values
so that data-dependent shapes become static. Symbolic dims stay ``?``; func
result types are updated to the returned values' types.

``specialize_inputs(module, shapes)`` rewrites argument types to concrete
shapes and re-infers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, TensorType, i1
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from mlopt.errors import CompileError
from mlopt.passes.onnx_opt.common import (
    SHAPE_CHAIN_ATTR,
    constant_array,
    elem_type,
    fail,
    from_numpy_dtype,
    from_onnx_elem_type,
    get_attr,
    is_none,
    is_onnx_op,
    make_tensor_type,
    norm_shape,
    op_type,
    value_shape,
)
from mlopt.passes.onnx_opt.evaluate import evaluate, slice_len

Shape = tuple[int, ...]
# A result: (shape or None for unknown rank, element type or None to keep).
Result = tuple[Shape | None, Attribute | None]
I64 = IntegerType(64)
# Largest integer tensor propagated as a known value during inference.
MAX_PROPAGATED = 64


@dataclass(frozen=True)
class DimSym:
    """A dynamic dim ``dim`` of the value identified by ``key`` (carried in
    propagated shape tensors so that ``x.view(x.size(0), -1)`` resolves)."""

    key: tuple
    dim: int


def value_key(v: SSAValue) -> tuple:
    """A key for ``v`` that survives type refinement (which replaces values)."""
    from xdsl.ir import BlockArgument

    if isinstance(v, BlockArgument):
        return ("arg", id(v.block), v.index)
    return ("res", id(v.owner), v.index)  # type: ignore[attr-defined]


class ShapeError(CompileError):
    """The operand shapes are incompatible for this op."""


class _Ctx:
    """What a shape function sees: operand shapes/types/values and attributes."""

    def __init__(self, op: Operation, known: dict[SSAValue, np.ndarray]):
        self.op = op
        self.known = known
        self.operands = list(op.operands)

    def present(self, i: int) -> bool:
        return i < len(self.operands) and not is_none(self.operands[i])

    def shape(self, i: int) -> Shape | None:
        return value_shape(self.operands[i]) if self.present(i) else None

    def et(self, i: int) -> Attribute | None:
        return elem_type(self.operands[i].type) if self.present(i) else None

    def value(self, i: int) -> np.ndarray | None:
        if not self.present(i):
            return None
        v = self.operands[i]
        if v in self.known:
            a = self.known[v]
            return None if a.dtype == object else a
        return constant_array(v)

    def sym_value(self, i: int) -> np.ndarray | None:
        """Like :meth:`value`, but may hold :class:`DimSym` entries."""
        if not self.present(i):
            return None
        v = self.operands[i]
        return self.known[v] if v in self.known else constant_array(v)

    def attr(self, name: str, default: Any = None) -> Any:
        return get_attr(self.op, name, default)


ShapeFn = Callable[[_Ctx], list[Result]]
SHAPE_FNS: dict[str, ShapeFn] = {}


def shape_fn(*names: str) -> Callable[[ShapeFn], ShapeFn]:
    def deco(f: ShapeFn) -> ShapeFn:
        for n in names:
            SHAPE_FNS[n] = f
        return f

    return deco


# ------------------------------------------------------------ helpers


def broadcast(*shapes: Shape | None) -> Shape | None:
    """ONNX multidirectional broadcasting with -1 for unknown dims."""
    if any(s is None for s in shapes):
        return None
    rank = max(len(s) for s in shapes)  # type: ignore[arg-type]
    out = []
    for i in range(rank):
        dims = [s[len(s) - rank + i] for s in shapes if len(s) - rank + i >= 0]  # type: ignore[arg-type]
        known = {d for d in dims if d > 1}
        if len(known) > 1:
            raise ShapeError(f"operand shapes {' and '.join(_fmt(s) for s in shapes)} do not broadcast")
        if known:
            out.append(known.pop())
        elif any(d == -1 for d in dims):
            out.append(-1)
        elif any(d == 0 for d in dims):
            out.append(0)
        else:
            out.append(1)
    return tuple(out)


def _fmt(s: Shape | None) -> str:
    if s is None:
        return "*"
    return "x".join("?" if d < 0 else str(d) for d in s) or "scalar"


def _axis(axis: int, rank: int) -> int:
    """``axis`` normalized into [0, rank); ShapeError when out of range."""
    if not -rank <= axis < max(rank, 1):
        raise ShapeError(f"axis {axis} is out of range for rank {rank}")
    return axis + rank if axis < 0 else axis


def _same(c: _Ctx) -> list[Result]:
    return [(c.shape(0), c.et(0))]


shape_fn(
    "Relu", "Sigmoid", "Tanh", "Exp", "Log", "Abs", "Neg", "Sqrt", "Reciprocal", "Floor",
    "Ceil", "Round", "Erf", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
    "Asinh", "Acosh", "Atanh", "LeakyRelu", "Elu", "Selu", "HardSigmoid", "Softplus",
    "Softsign", "Clip", "Identity", "LRN", "Softmax", "LogSoftmax", "Hardmax", "Sign",
    "InstanceNormalization", "Gelu", "HardSwish", "Mish", "Celu", "ThresholdedRelu", "Not",
    "CumSum", "MeanVarianceNormalization", "Shrink", "BitwiseNot", "Swish",
)(_same)


@shape_fn("IsNaN", "IsInf")
def _bool_same(c: _Ctx) -> list[Result]:
    return [(c.shape(0), i1)]


@shape_fn("Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Mod",
          "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor")
def _elementwise(c: _Ctx) -> list[Result]:
    shapes = [c.shape(i) for i in range(len(c.operands))]
    return [(broadcast(*shapes), c.et(0))]


@shape_fn("PRelu")
def _prelu(c: _Ctx) -> list[Result]:
    """ONNX broadcasts the slope unidirectionally: the result has X's shape,
    also where the slope has more (size-1) dimensions ([] with slope [1] is
    [], as onnx's inference says). A slope that does not broadcast to X is
    taken multidirectionally, as onnxruntime does."""
    x, slope = c.shape(0), c.shape(1)
    both = broadcast(x, slope)
    if x is not None and both is not None:
        lead = len(both) - len(x)
        if all(d == 1 for d in both[:lead]) and list(both[lead:]) == list(x):
            return [(x, c.et(0))]
    return [(both, c.et(0))]


@shape_fn("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor")
def _compare(c: _Ctx) -> list[Result]:
    return [(broadcast(c.shape(0), c.shape(1)), i1)]


@shape_fn("Where")
def _where(c: _Ctx) -> list[Result]:
    return [(broadcast(c.shape(0), c.shape(1), c.shape(2)), c.et(1))]


@shape_fn("Dropout")
def _dropout(c: _Ctx) -> list[Result]:
    return [(c.shape(0), c.et(0)), (c.shape(0), i1)]


@shape_fn("BatchNormalization")
def _batchnorm(c: _Ctx) -> list[Result]:
    res: list[Result] = [(c.shape(0), c.et(0))]
    for i in (3, 4):
        res.append((c.shape(i), c.et(i)))
    return res


@shape_fn("Cast")
def _cast(c: _Ctx) -> list[Result]:
    return [(c.shape(0), from_onnx_elem_type(c.attr("to")))]


@shape_fn("CastLike")
def _castlike(c: _Ctx) -> list[Result]:
    return [(c.shape(0), c.et(1))]


@shape_fn("MatMul", "MatMulInteger", "QLinearMatMul")
def _matmul(c: _Ctx) -> list[Result]:
    if op_type(c.op) == "QLinearMatMul":
        a, b, et = c.shape(0), c.shape(3), c.et(7)
    else:
        a, b, et = c.shape(0), c.shape(1), c.et(0)
        if op_type(c.op) == "MatMulInteger":
            et = IntegerType(32)
    if a is None or b is None:
        return [(None, et)]
    if len(a) == 0 or len(b) == 0:
        raise ShapeError("MatMul operands must not be scalars")
    a2 = (1,) + a if len(a) == 1 else a
    b2 = b + (1,) if len(b) == 1 else b
    k1, k2 = a2[-1], b2[-2]
    if k1 >= 0 and k2 >= 0 and k1 != k2:
        raise ShapeError(f"inner dimensions differ: {_fmt(a)} and {_fmt(b)}")
    batch = broadcast(a2[:-2], b2[:-2]) or ()
    out = batch + (a2[-2], b2[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return [(out, et)]


@shape_fn("Gemm")
def _gemm(c: _Ctx) -> list[Result]:
    a, b = c.shape(0), c.shape(1)
    if a is None or b is None:
        return [(None, c.et(0))]
    if len(a) != 2 or len(b) != 2:
        raise ShapeError("Gemm operands must be 2-D")
    if c.attr("transA", 0):
        a = a[::-1]
    if c.attr("transB", 0):
        b = b[::-1]
    if a[1] >= 0 and b[0] >= 0 and a[1] != b[0]:
        raise ShapeError(f"inner dimensions differ: {_fmt(a)} and {_fmt(b)}")
    return [((a[0], b[1]), c.et(0))]


def _spatial_out(
    c: _Ctx, x: Shape, kernel: Sequence[int], *, ceil: bool = False
) -> list[int]:
    n = len(kernel)
    strides = c.attr("strides", None) or [1] * n
    dilations = c.attr("dilations", None) or [1] * n
    pads = c.attr("pads", None) or [0] * (2 * n)
    auto_pad = c.attr("auto_pad", "NOTSET") or "NOTSET"
    out = []
    for i in range(n):
        d = x[2 + i]
        if d < 0 or kernel[i] < 0:
            out.append(-1)
            continue
        if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
            out.append(-(-d // strides[i]))
            continue
        eff = dilations[i] * (kernel[i] - 1) + 1
        total = d + pads[i] + pads[i + n] - eff
        if auto_pad == "VALID":
            total = d - eff
        if ceil:
            o = -(-total // strides[i]) + 1
            # the last window must start inside the (left-padded) input
            if (o - 1) * strides[i] >= d + pads[i]:
                o -= 1
        else:
            o = total // strides[i] + 1
        if o <= 0:
            raise ShapeError(f"kernel {list(kernel)} is larger than the padded input {_fmt(x)}")
        out.append(o)
    return out


@shape_fn("Conv", "ConvInteger", "QLinearConv")
def _conv(c: _Ctx) -> list[Result]:
    q = op_type(c.op) == "QLinearConv"
    x, w = c.shape(0), c.shape(3 if q else 1)
    et = c.et(7) if q else (IntegerType(32) if op_type(c.op) == "ConvInteger" else c.et(0))
    if x is None or w is None:
        return [(None, et)]
    if len(x) < 3 or len(w) != len(x):
        raise ShapeError(f"input {_fmt(x)} and weight {_fmt(w)} ranks do not fit a convolution")
    group = c.attr("group", 1)
    if x[1] >= 0 and w[1] >= 0 and x[1] != w[1] * group:
        raise ShapeError(
            f"input channels {x[1]} != weight channels {w[1]} x group {group}"
        )
    kernel = c.attr("kernel_shape", None) or list(w[2:])
    return [((x[0], w[0], *_spatial_out(c, x, kernel)), et)]


@shape_fn("ConvTranspose")
def _conv_transpose(c: _Ctx) -> list[Result]:
    x, w = c.shape(0), c.shape(1)
    if x is None or w is None:
        return [(None, c.et(0))]
    n = len(x) - 2
    kernel = c.attr("kernel_shape", None) or list(w[2:])
    strides = c.attr("strides", None) or [1] * n
    dil = c.attr("dilations", None) or [1] * n
    pads = c.attr("pads", None) or [0] * (2 * n)
    outpad = c.attr("output_padding", None) or [0] * n
    out_shape = c.attr("output_shape", None)
    auto_pad = c.attr("auto_pad", "NOTSET") or "NOTSET"
    cout = w[1] * c.attr("group", 1) if w[1] >= 0 else -1
    sp = []
    for i in range(n):
        if out_shape:
            sp.append(out_shape[-n + i])
        elif x[2 + i] < 0 or kernel[i] < 0:
            sp.append(-1)
        elif auto_pad in ("SAME_UPPER", "SAME_LOWER"):
            # input * stride, but never beyond the full output (the total
            # padding is clamped at 0, as onnx's inference and onnxruntime do)
            full = strides[i] * (x[2 + i] - 1) + outpad[i] + ((kernel[i] - 1) * dil[i] + 1)
            sp.append(min(x[2 + i] * strides[i], full))
        else:
            sp.append(
                strides[i] * (x[2 + i] - 1) + outpad[i] + ((kernel[i] - 1) * dil[i] + 1)
                - pads[i] - pads[i + n]
            )
    return [((x[0], cout, *sp), c.et(0))]


@shape_fn("MaxPool", "AveragePool", "LpPool")
def _pool(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, c.et(0)), (None, I64)]
    kernel = c.attr("kernel_shape")
    out = (x[0], x[1], *_spatial_out(c, x, kernel, ceil=bool(c.attr("ceil_mode", 0))))
    return [(out, c.et(0)), (out, I64)]


@shape_fn("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool")
def _global_pool(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, c.et(0))]
    return [((x[0], x[1]) + (1,) * (len(x) - 2), c.et(0))]


@shape_fn("Flatten")
def _flatten(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, c.et(0))]
    # Flatten's axis may equal the rank (output [prod(shape), 1]): [-r, r]
    rank = len(x)
    axis = c.attr("axis", 1)
    if not -rank <= axis <= rank:
        raise ShapeError(f"axis {axis} is out of range [-{rank}, {rank}] for rank {rank}")
    axis = axis + rank if axis < 0 else axis

    def prod(ds: Sequence[int]) -> int:
        return -1 if any(d < 0 for d in ds) else int(np.prod(ds, dtype=np.int64))

    return [((prod(x[:axis]), prod(x[axis:])), c.et(0))]


@shape_fn("Reshape")
def _reshape(c: _Ctx) -> list[Result]:
    x, shape = c.shape(0), c.value(1)
    if shape is None:
        sym = c.sym_value(1)
        if sym is not None and x is not None:
            return [(_reshape_symbolic(c, x, list(sym.reshape(-1))), c.et(0))]
        s = c.shape(1)
        return [((-1,) * s[0] if s and s[0] >= 0 else None, c.et(0))]
    dims = [int(d) for d in shape.reshape(-1)]
    allowzero = c.attr("allowzero", 0)
    out = []
    for i, d in enumerate(dims):
        if d == 0 and not allowzero:
            out.append(x[i] if x is not None and i < len(x) else -1)
        else:
            out.append(d)
    if out.count(-1) > 1 or (-1 in out and (x is None or not all(d >= 0 for d in x))):
        # several unknowns: only the explicit -1 can be resolved, and only with a static input
        if -1 in dims and x is not None and all(d >= 0 for d in x) and out.count(-1) == 1:
            pass
        else:
            return [(tuple(out), c.et(0))]
    if -1 in out:
        total = int(np.prod(x, dtype=np.int64))  # type: ignore[arg-type]
        rest = int(np.prod([d for d in out if d != -1], dtype=np.int64))
        if rest == 0 or total % rest:
            raise ShapeError(f"cannot reshape {_fmt(x)} into {dims}")
        out[out.index(-1)] = total // rest
    elif x is not None and all(d >= 0 for d in x):
        if int(np.prod(x, dtype=np.int64)) != int(np.prod(out, dtype=np.int64)):
            raise ShapeError(f"cannot reshape {_fmt(x)} into {dims}")
    return [(tuple(out), c.et(0))]


def _reshape_symbolic(c: _Ctx, x: Shape, dims: list) -> Shape:
    """Reshape target holding dynamic dims of the data itself (``DimSym``):
    those stay dynamic, and a -1 is resolved when they cover every dynamic
    dim of the data exactly once."""
    key = value_key(c.operands[0])
    allowzero = c.attr("allowzero", 0)
    out: list[int] = []
    matched: list[int] = []
    unknown = False
    for i, d in enumerate(dims):
        if isinstance(d, DimSym):
            if d.key == key and 0 <= d.dim < len(x):
                matched.append(d.dim)
            else:
                unknown = True
            out.append(-2)  # a dynamic dim, not "infer me"
        elif int(d) == 0 and not allowzero and i < len(x):
            if x[i] < 0:
                matched.append(i)
                out.append(-2)
            else:
                out.append(x[i])
        else:
            out.append(int(d))
    dynamic = sorted(i for i, d in enumerate(x) if d < 0)
    if out.count(-1) == 1 and not unknown and sorted(matched) == dynamic:
        total = int(np.prod([d for d in x if d >= 0], dtype=np.int64))
        rest = int(np.prod([d for d in out if d >= 0], dtype=np.int64))
        if rest and total % rest == 0:
            out[out.index(-1)] = total // rest
    return tuple(-1 if d < 0 else d for d in out)


@shape_fn("Transpose")
def _transpose(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, c.et(0))]
    perm = c.attr("perm", None) or list(range(len(x)))[::-1]
    if sorted(perm) != list(range(len(x))):
        raise ShapeError(f"perm {perm} is not a permutation of the {len(x)} dims")
    return [(tuple(x[p] for p in perm), c.et(0))]


@shape_fn("Concat")
def _concat(c: _Ctx) -> list[Result]:
    shapes = [c.shape(i) for i in range(len(c.operands))]
    if any(s is None for s in shapes):
        return [(None, c.et(0))]
    rank = len(shapes[0])  # type: ignore[arg-type]
    axis = _axis(c.attr("axis"), rank)
    out = []
    for i in range(rank):
        dims = [s[i] for s in shapes]  # type: ignore[index]
        if i == axis:
            out.append(-1 if any(d < 0 for d in dims) else sum(dims))
        else:
            static = {d for d in dims if d >= 0}
            if len(static) > 1:
                raise ShapeError(f"operand shapes {', '.join(_fmt(s) for s in shapes)} differ off the concat axis")
            out.append(static.pop() if static else -1)
    return [(tuple(out), c.et(0))]


@shape_fn("Split")
def _split(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    n = len(c.op.results)
    if x is None:
        return [(None, c.et(0))] * n
    axis = _axis(c.attr("axis", 0), len(x))
    split = c.value(1)
    if split is not None:
        sizes = [int(s) for s in split.reshape(-1)]
    elif c.present(1) or x[axis] < 0:
        sizes = [-1] * n
    else:
        chunk = -(-x[axis] // n)
        sizes = [chunk] * (n - 1) + [x[axis] - chunk * (n - 1)]
    return [(x[:axis] + (s,) + x[axis + 1 :], c.et(0)) for s in sizes]


@shape_fn("Slice")
def _slice(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    starts, ends = c.value(1), c.value(2)
    axes = c.value(3) if c.present(3) else None
    steps = c.value(4) if c.present(4) else None
    if x is None:
        return [(None, c.et(0))]
    if starts is None or ends is None or (c.present(3) and axes is None) or (c.present(4) and steps is None):
        if axes is not None:
            out = list(x)
            for a in axes.reshape(-1):
                out[_axis(int(a), len(x))] = -1
            return [(tuple(out), c.et(0))]
        return [((-1,) * len(x), c.et(0))]
    starts, ends = starts.reshape(-1), ends.reshape(-1)
    axes_l = [int(a) for a in axes.reshape(-1)] if axes is not None else list(range(len(starts)))
    steps_l = [int(s) for s in steps.reshape(-1)] if steps is not None else [1] * len(starts)
    out = list(x)
    for s, e, a, st in zip(starts, ends, axes_l, steps_l):
        a = _axis(a, len(x))
        if st == 0:
            raise ShapeError("Slice step must not be 0")
        out[a] = -1 if x[a] < 0 else slice_len(x[a], int(s), int(e), st)
    return [(tuple(out), c.et(0))]


def _axes_operand_or_attr(c: _Ctx, idx: int) -> list[int] | None:
    if c.present(idx):
        v = c.value(idx)
        return None if v is None else [int(a) for a in v.reshape(-1)]
    axes = c.attr("axes", None)
    return list(axes) if axes is not None else []


@shape_fn("Unsqueeze")
def _unsqueeze(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    axes = _axes_operand_or_attr(c, 1)
    if x is None or axes is None:
        return [(None, c.et(0))]
    rank = len(x) + len(axes)
    axes = sorted(_axis(a, rank) for a in axes)
    out = list(x)
    for a in axes:
        out.insert(a, 1)
    return [(tuple(out), c.et(0))]


@shape_fn("Squeeze")
def _squeeze(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    axes = _axes_operand_or_attr(c, 1)
    if x is None or axes is None:
        return [(None, c.et(0))]
    if not axes:
        if any(d < 0 for d in x):
            return [(None, c.et(0))]
        return [(tuple(d for d in x if d != 1), c.et(0))]
    axes_set = {_axis(a, len(x)) for a in axes}
    for a in axes_set:
        if x[a] > 1:
            raise ShapeError(f"cannot squeeze dim {a} of size {x[a]}")
    return [(tuple(d for i, d in enumerate(x) if i not in axes_set), c.et(0))]


@shape_fn("Gather")
def _gather(c: _Ctx) -> list[Result]:
    x, idx = c.shape(0), c.shape(1)
    if x is None or idx is None:
        return [(None, c.et(0))]
    axis = _axis(c.attr("axis", 0), len(x))
    return [(x[:axis] + idx + x[axis + 1 :], c.et(0))]


def _reduced(c: _Ctx, axes: list[int] | None, keep: bool) -> Shape | None:
    x = c.shape(0)
    if x is None:
        return None
    if axes is None:  # axes unknown: with keepdims the rank is still known
        return tuple(1 if d == 1 else -1 for d in x) if keep else None
    if not axes:
        if c.attr("noop_with_empty_axes", 0):
            return x
        axes = list(range(len(x)))
    sel = {_axis(a, len(x)) for a in axes}
    if keep:
        return tuple(1 if i in sel else d for i, d in enumerate(x))
    return tuple(d for i, d in enumerate(x) if i not in sel)


@shape_fn("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
          "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare")
def _reduce(c: _Ctx) -> list[Result]:
    axes = _axes_operand_or_attr(c, 1)
    return [(_reduced(c, axes, bool(c.attr("keepdims", 1))), c.et(0))]


@shape_fn("ArgMax", "ArgMin")
def _arg_reduce(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, I64)]
    axis = _axis(c.attr("axis", 0), len(x))
    keep = bool(c.attr("keepdims", 1))
    out = tuple(1 if i == axis else d for i, d in enumerate(x)) if keep else x[:axis] + x[axis + 1 :]
    return [(out, I64)]


@shape_fn("Shape")
def _shape(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, I64)]
    r = len(x)
    start = c.attr("start", 0)
    end = c.attr("end", None)
    # start/end are clamped, never out of range
    start = min(max(start + r if start < 0 else start, 0), r)
    end = r if end is None else min(max(end + r if end < 0 else end, 0), r)
    return [((max(end - start, 0),), I64)]


@shape_fn("Size")
def _size(c: _Ctx) -> list[Result]:
    return [((), I64)]


@shape_fn("ConstantOfShape")
def _constant_of_shape(c: _Ctx) -> list[Result]:
    value = c.attr("value", None)
    et = from_numpy_dtype(np.asarray(value).dtype) if value is not None else None
    if et is None:
        from xdsl.dialects.builtin import f32

        et = f32
    shape = c.value(0)
    if shape is not None:
        return [(tuple(int(d) for d in shape.reshape(-1)), et)]
    s = c.shape(0)
    return [((-1,) * s[0] if s and s[0] >= 0 else None, et)]


@shape_fn("Expand")
def _expand(c: _Ctx) -> list[Result]:
    shape = c.value(1)
    if shape is None:
        return [(None, c.et(0))]
    return [(broadcast(c.shape(0), tuple(int(d) for d in shape.reshape(-1))), c.et(0))]


@shape_fn("Tile")
def _tile(c: _Ctx) -> list[Result]:
    x, reps = c.shape(0), c.value(1)
    if x is None:
        return [(None, c.et(0))]
    if reps is None:
        return [((-1,) * len(x), c.et(0))]
    return [(tuple(-1 if d < 0 else d * int(r) for d, r in zip(x, reps.reshape(-1))), c.et(0))]


@shape_fn("Pad")
def _pad(c: _Ctx) -> list[Result]:
    x, pads = c.shape(0), c.value(1)
    if x is None:
        return [(None, c.et(0))]
    if pads is None or (c.present(3) and c.value(3) is None):
        return [((-1,) * len(x), c.et(0))]
    pads = [int(p) for p in pads.reshape(-1)]
    axes = [int(a) for a in c.value(3).reshape(-1)] if c.present(3) else list(range(len(x)))
    axes = [_axis(a, len(x)) for a in axes]
    out = list(x)
    n = len(axes)
    for i, a in enumerate(axes):
        out[a] = -1 if x[a] < 0 else x[a] + pads[i] + pads[i + n]
    return [(tuple(out), c.et(0))]


@shape_fn("Constant")
def _constant(c: _Ctx) -> list[Result]:
    t = c.op.results[0].type
    return [(norm_shape(t), elem_type(t))]


@shape_fn("Range")
def _range(c: _Ctx) -> list[Result]:
    vals = [c.value(i) for i in range(3)]
    if any(v is None for v in vals):
        return [((-1,), c.et(0))]
    start, limit, delta = (v.reshape(-1)[0].item() for v in vals)  # type: ignore[union-attr]
    n = max(int(np.ceil((limit - start) / delta)), 0)
    return [((n,), c.et(0))]


@shape_fn("GroupNormalization", "RMSNormalization", "LpNormalization")
def _normalization(c: _Ctx) -> list[Result]:
    return [(c.shape(0), c.et(0))]


@shape_fn("If")
def _if(c: _Ctx) -> list[Result]:
    """Results typed like the branches' yields when both agree."""
    branches = []
    for region in c.op.regions:
        block = region.blocks.first
        last = block.last_op if block is not None else None
        if last is None or last.name != "onnx.Yield":
            return [(None, None)] * len(c.op.results)
        branches.append([v.type for v in last.operands])
    res: list[Result] = []
    for i in range(len(c.op.results)):
        types = [b[i] for b in branches if i < len(b)]
        if len(types) == len(branches) and all(t == types[0] for t in types):
            res.append((norm_shape(types[0]), elem_type(types[0])))
        else:
            shapes = [norm_shape(t) for t in types]
            if shapes and all(s is not None and len(s) == len(shapes[0]) for s in shapes):
                dims = tuple(
                    d if all(s[k] == d for s in shapes) else -1  # type: ignore[index]
                    for k, d in enumerate(shapes[0])  # type: ignore[arg-type]
                )
                res.append((dims, None))
            else:
                res.append((None, None))
    return res


@shape_fn("LayerNormalization")
def _layernorm(c: _Ctx) -> list[Result]:
    x = c.shape(0)
    if x is None:
        return [(None, c.et(0))] * len(c.op.results)
    axis = _axis(c.attr("axis", -1), len(x))
    stat = x[:axis] + (1,) * (len(x) - axis)
    stash = from_onnx_elem_type(c.attr("stash_type", 1))
    return [(x, c.et(0)), (stat, stash), (stat, stash)]


# ------------------------------------------------------------ driver


def _onnx_fallback(op: Operation, known: dict[SSAValue, np.ndarray]) -> list[Result] | None:
    from mlopt.passes.onnx_opt.onnx_bridge import infer_node_types

    operands = set(op.operands)
    usable = {v: a for v, a in known.items() if v in operands and a.dtype != object}
    for v in op.operands:
        if v not in usable and not is_none(v):
            arr = constant_array(v)
            if arr is not None and arr.size <= 4096:
                usable[v] = arr
    inferred = infer_node_types(op, usable)
    if inferred is None:
        return None
    res: list[Result] = []
    for item in inferred:
        if item is None:
            res.append((None, None))
        else:
            code, shape = item
            res.append((shape, from_onnx_elem_type(code) if code else None))
    return res


def _merge(old: Attribute, shape: Shape | None, et: Attribute | None, op: Operation, idx: int) -> Attribute | None:
    """The refined type for a result, or None to keep ``old``."""
    if not isinstance(old, TensorType) and type(old).__name__ not in ("UnrankedTensorType",):
        return None
    old_et = elem_type(old)
    new_et = et if et is not None else old_et
    if new_et is None:
        return None
    old_shape = norm_shape(old)
    if shape is None:
        if old_et != new_et and old_shape is not None:
            return make_tensor_type(old_shape, new_et)
        return None
    if old_shape is not None:
        if len(old_shape) != len(shape):
            raise fail(
                op,
                f"result #{idx} has type {old} but its inferred shape is {_fmt(shape)}",
            )
        merged = []
        for o, n in zip(old_shape, shape):
            if o >= 0 and n >= 0 and o != n:
                raise fail(
                    op,
                    f"result #{idx} has type {old} but its inferred shape is {_fmt(shape)}",
                )
            merged.append(n if n >= 0 else o)
        shape = tuple(merged)
    new = make_tensor_type(shape, new_et)
    return None if new == old else new


def _combine(mine: Result, theirs: Result) -> Result:
    """Per dim, the static one of two inferences of the same result."""
    (a, ea), (b, eb) = mine, theirs
    if a is None:
        return (b, ea or eb)
    if b is None or len(a) != len(b):
        return (a, ea or eb)
    return (tuple(x if x >= 0 else y for x, y in zip(a, b)), ea or eb)


def infer_op(op: Operation, known: dict[SSAValue, np.ndarray], *, use_onnx: bool = True) -> None:
    """Refine the result types of one onnx op in place."""
    t = op_type(op)
    fn = SHAPE_FNS.get(t) if op.name.startswith("onnx.") else None
    results: list[Result] | None = None
    if fn is not None:
        try:
            results = fn(_Ctx(op, known))
        except ShapeError as e:
            raise fail(op, str(e)) from None
        except (TypeError, IndexError, ValueError, KeyError):
            results = None
    if (results is None or any(r[0] is None or any(d < 0 for d in r[0]) for r in results)) and use_onnx:
        if not all(
            is_none(r) or (r2 is not None and r2[0] is not None and all(d >= 0 for d in r2[0]))
            for r, r2 in zip(op.results, results or [None] * len(op.results))
        ):
            fallback = _onnx_fallback(op, known)
            if fallback is not None:
                if results is None:
                    results = fallback
                else:
                    results = [_combine(r, fb) for r, fb in zip(results, fallback)]
    if results is None:
        return
    for i, (res, (shape, et)) in enumerate(zip(op.results, results)):
        if is_none(res):
            continue
        new = _merge(res.type, shape, et, op, i)
        if new is not None:
            Rewriter.replace_value_with_new_type(res, new)
    _propagate_value(op, known)


def _propagate_value(op: Operation, known: dict[SSAValue, np.ndarray]) -> None:
    """Record small integer results computable from known operand values."""
    t = op_type(op)
    if t == "Constant":
        return
    if t == "Shape":
        x = value_shape(op.operands[0])
        if x is not None and all(d >= 0 for d in x):
            out = evaluate(op, [np.empty(x, dtype=np.int8)], allow_reference=False)
            if out:
                known[op.results[0]] = out[0]
        elif x is not None:
            key = value_key(op.operands[0])
            full = np.array(
                [d if d >= 0 else DimSym(key, i) for i, d in enumerate(x)], dtype=object
            )
            r = len(x)
            start = get_attr(op, "start", 0)
            end = get_attr(op, "end", None)
            start = min(max(start + r if start < 0 else start, 0), r)
            end = r if end is None else min(max(end + r if end < 0 else end, 0), r)
            known[op.results[0]] = full[start:end]
        return
    if t == "Size":
        x = value_shape(op.operands[0])
        if x is not None and all(d >= 0 for d in x):
            known[op.results[0]] = np.array(int(np.prod(x, dtype=np.int64)), dtype=np.int64)
        return
    if len(op.results) != 1 or op.regions:
        return
    r = op.results[0]
    et = elem_type(r.type)
    shape = value_shape(r)
    # integer (shape-like) values; any small value on a value-specialisation chain
    # (a float window size or Range limit computed from a call's input)
    wanted = isinstance(et, IntegerType) or SHAPE_CHAIN_ATTR in op.attributes
    if not wanted or shape is None or any(d < 0 for d in shape):
        return
    if int(np.prod(shape, dtype=np.int64)) > MAX_PROPAGATED:
        return
    inputs: list[np.ndarray | None] = []
    for v in op.operands:
        if is_none(v):
            inputs.append(None)
            continue
        a = known.get(v)
        if a is None:
            a = constant_array(v)
        if a is None or a.size > 4096:
            return
        inputs.append(a)
    if any(a is not None and a.dtype == object for a in inputs):
        out = _evaluate_symbolic(op, inputs)
    else:
        out = evaluate(op, inputs, allow_reference=False)
    if out and out[0] is not None and tuple(out[0].shape) == shape:
        known[r] = out[0]


# ops that only move shape-tensor elements around (safe on DimSym entries)
_STRUCTURAL = frozenset({"Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Identity", "Reshape"})


def _evaluate_symbolic(op: Operation, inputs: list[np.ndarray | None]) -> list[np.ndarray] | None:
    from mlopt.passes.onnx_opt.evaluate import _IMPLS

    impl = _IMPLS.get(op_type(op))
    if op_type(op) not in _STRUCTURAL or impl is None:
        return None
    args = list(inputs)
    while args and args[-1] is None:
        args.pop()
    try:
        out = np.asarray(impl(op, args)[0])
    except Exception:
        return None
    if out.dtype == object and not any(isinstance(e, DimSym) for e in out.reshape(-1)):
        out = out.astype(np.int64)
    return [out]


def _infer_block(block: Block, known: dict[SSAValue, np.ndarray], use_onnx: bool) -> None:
    for op in list(block.ops):
        # graph regions first: an If's results follow its branches
        for region in op.regions:
            for b in region.blocks:
                _infer_block(b, known, use_onnx)
        if is_onnx_op(op):
            infer_op(op, known, use_onnx=use_onnx)


def infer_func(f: func.FuncOp, *, use_onnx: bool = True) -> None:
    known: dict[SSAValue, np.ndarray] = {}
    if f.is_declaration:
        return
    for block in f.body.blocks:
        _infer_block(block, known, use_onnx)
    ret = f.get_return_op()
    if ret is not None:
        f.update_function_type()


def infer_shapes(module: ModuleOp, *, use_onnx: bool = True) -> ModuleOp:
    """Refine every onnx result type in ``module`` in place and return it."""
    for op in module.walk():
        if isinstance(op, func.FuncOp):
            infer_func(op, use_onnx=use_onnx)
    return module


def _arg_name(f: func.FuncOp, i: int) -> str | None:
    if f.arg_attrs is None:
        return None
    d = f.arg_attrs.data[i].data
    n = d.get("onnx.name")
    return getattr(n, "data", None)


def specialize_inputs(
    module: ModuleOp,
    shapes: dict[str | int, Sequence[int]],
    *,
    func_name: str | None = None,
) -> ModuleOp:
    """Give the entry func's arguments (by ONNX name or index) the concrete
    ``shapes`` and re-infer every type. Raises ``ValueError`` on a rank or
    static-dim mismatch or an unknown input name."""
    funcs = [op for op in module.ops if isinstance(op, func.FuncOp) and not op.is_declaration]
    if func_name is not None:
        funcs = [f for f in funcs if f.sym_name.data == func_name]
    if not funcs:
        raise ValueError("specialize_inputs: the module has no function to specialize")
    f = funcs[0]
    args = list(f.body.block.args)
    names = {_arg_name(f, i): i for i in range(len(args))}
    rewriter = Rewriter()
    for key, shape in shapes.items():
        if isinstance(key, int):
            if not 0 <= key < len(args):
                raise ValueError(f"specialize_inputs: no input #{key} (the function has {len(args)})")
            idx = key
        else:
            if key not in names:
                raise ValueError(
                    f"specialize_inputs: no input named '{key}' "
                    f"(inputs: {', '.join(str(n) for n in names if n is not None)})"
                )
            idx = names[key]
        arg = args[idx]
        old = arg.type
        old_shape = norm_shape(old)
        shape = tuple(int(d) for d in shape)
        if old_shape is not None:
            if len(old_shape) != len(shape):
                raise ValueError(
                    f"specialize_inputs: input '{_arg_name(f, idx) or idx}' has rank {len(old_shape)}, "
                    f"got shape {shape}"
                )
            for o, n in zip(old_shape, shape):
                if o >= 0 and o != n:
                    raise ValueError(
                        f"specialize_inputs: input '{_arg_name(f, idx) or idx}' has shape "
                        f"{_fmt(old_shape)}, got {shape}"
                    )
        new_type = make_tensor_type(shape, elem_type(old))
        if new_type != old:
            f.replace_argument_type(idx, new_type, rewriter)
            args = list(f.body.block.args)
    infer_shapes(module)
    return module


@dataclass(frozen=True)
class OnnxShapeInferencePass(ModulePass):
    """Infer static shapes/element types for onnx ops once inputs are static.

    Accepts onnx-level IR (contract A); produces the same IR with refined
    result types and updated func signatures. ``use-onnx=false`` disables the
    fallback to onnx's own per-node inference."""

    name = "onnx-shape-inference"

    use_onnx: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        infer_shapes(op, use_onnx=self.use_onnx)

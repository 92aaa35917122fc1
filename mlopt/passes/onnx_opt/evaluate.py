"""Compile-time evaluation of ONNX ops on constant inputs.

numpy implementations of the common ops, with ``onnx.reference`` on a
one-node model as the general fallback. Used by ``onnx-constant-fold`` and by
shape inference to propagate small integer (shape) tensors.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.ir import Operation

from mlopt.passes.onnx_opt.common import elem_type, get_attr, is_none, op_type, to_numpy_dtype

# Ops that must never be evaluated at compile time.
NONDETERMINISTIC = frozenset(
    {
        "RandomNormal",
        "RandomNormalLike",
        "RandomUniform",
        "RandomUniformLike",
        "Multinomial",
        "Bernoulli",
        "Dropout",  # folded away by canonicalize in inference mode instead
    }
)

Impl = Callable[[Operation, list], list]
_IMPLS: dict[str, Impl] = {}


def _impl(*names: str) -> Callable[[Impl], Impl]:
    def deco(f: Impl) -> Impl:
        for n in names:
            _IMPLS[n] = f
        return f

    return deco


def _unary(fn: Callable[[np.ndarray], np.ndarray]) -> Impl:
    return lambda op, x: [fn(x[0])]


for _name, _fn in {
    "Identity": lambda a: a,
    "Neg": np.negative,
    "Abs": np.abs,
    "Exp": np.exp,
    "Log": np.log,
    "Sqrt": np.sqrt,
    "Reciprocal": lambda a: np.reciprocal(a),
    "Floor": np.floor,
    "Ceil": np.ceil,
    "Sign": np.sign,
    "Not": np.logical_not,
    "Relu": lambda a: np.maximum(a, np.zeros((), a.dtype)),
    "Sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "Tanh": np.tanh,
    "Sin": np.sin,
    "Cos": np.cos,
    "IsNaN": np.isnan,
}.items():
    _IMPLS[_name] = _unary(_fn)


def _int_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if np.issubdtype(a.dtype, np.integer):
        return np.trunc(np.divide(a, b)).astype(a.dtype)
    return np.divide(a, b)


for _name, _fn in {
    "Add": np.add,
    "Sub": np.subtract,
    "Mul": np.multiply,
    "Div": _int_div,
    "Pow": lambda a, b: np.power(a, b).astype(a.dtype),
    "Equal": np.equal,
    "Less": np.less,
    "Greater": np.greater,
    "LessOrEqual": np.less_equal,
    "GreaterOrEqual": np.greater_equal,
    "And": np.logical_and,
    "Or": np.logical_or,
    "Xor": np.logical_xor,
}.items():
    _IMPLS[_name] = (lambda fn: (lambda op, x: [fn(x[0], x[1])]))(_fn)


@_impl("Max", "Min", "Sum", "Mean")
def _variadic(op: Operation, x: list) -> list:
    t = op_type(op)
    acc = x[0]
    for y in x[1:]:
        acc = {"Max": np.maximum, "Min": np.minimum}.get(t, np.add)(acc, y)
    if t == "Mean":
        acc = acc / len(x)
    return [acc]


@_impl("Mod")
def _mod(op: Operation, x: list) -> list:
    return [np.fmod(x[0], x[1]) if get_attr(op, "fmod", 0) else np.mod(x[0], x[1])]


@_impl("Where")
def _where(op: Operation, x: list) -> list:
    return [np.where(x[0], x[1], x[2])]


@_impl("Cast")
def _cast(op: Operation, x: list) -> list:
    from onnx import helper

    return [x[0].astype(helper.tensor_dtype_to_np_dtype(get_attr(op, "to")))]


@_impl("CastLike")
def _castlike(op: Operation, x: list) -> list:
    return [x[0].astype(x[1].dtype)]


@_impl("Shape")
def _shape(op: Operation, x: list) -> list:
    shape = np.array(x[0].shape, dtype=np.int64)
    start = get_attr(op, "start", 0)
    end = get_attr(op, "end", None)
    return [shape[start:end] if end is not None else shape[start:]]


@_impl("Size")
def _size(op: Operation, x: list) -> list:
    return [np.array(x[0].size, dtype=np.int64)]


@_impl("ConstantOfShape")
def _constant_of_shape(op: Operation, x: list) -> list:
    value = get_attr(op, "value", None)
    fill = np.zeros(1, np.float32) if value is None else np.asarray(value).reshape(-1)
    return [np.full(tuple(int(d) for d in x[0]), fill[0], dtype=fill.dtype)]


@_impl("Reshape")
def _reshape(op: Operation, x: list) -> list:
    shape = [int(d) for d in x[1]]
    if not get_attr(op, "allowzero", 0):
        shape = [x[0].shape[i] if d == 0 else d for i, d in enumerate(shape)]
    return [x[0].reshape(shape)]


@_impl("Flatten")
def _flatten(op: Operation, x: list) -> list:
    axis = get_attr(op, "axis", 1)
    a = x[0]
    if axis < 0:
        axis += a.ndim
    return [a.reshape(int(np.prod(a.shape[:axis])), -1)]


@_impl("Transpose")
def _transpose(op: Operation, x: list) -> list:
    perm = get_attr(op, "perm", None)
    return [np.transpose(x[0], perm)]


@_impl("Concat")
def _concat(op: Operation, x: list) -> list:
    return [np.concatenate(x, axis=get_attr(op, "axis"))]


@_impl("Unsqueeze")
def _unsqueeze(op: Operation, x: list) -> list:
    a = x[0]
    axes = [int(v) for v in np.asarray(x[1]).reshape(-1)]
    rank = a.ndim + len(axes)
    axes = sorted(ax + rank if ax < 0 else ax for ax in axes)
    for ax in axes:
        a = np.expand_dims(a, ax)
    return [a]


@_impl("Squeeze")
def _squeeze(op: Operation, x: list) -> list:
    a = x[0]
    if len(x) < 2 or x[1] is None:
        return [np.squeeze(a)]
    axes = tuple(int(v) % a.ndim for v in np.asarray(x[1]).reshape(-1))
    return [np.squeeze(a, axis=axes)]


@_impl("Gather")
def _gather(op: Operation, x: list) -> list:
    axis = get_attr(op, "axis", 0)
    idx = x[1].astype(np.int64)
    idx = np.where(idx < 0, idx + x[0].shape[axis], idx)
    return [np.take(x[0], idx, axis=axis)]


@_impl("Slice")
def _slice(op: Operation, x: list) -> list:
    a = x[0]
    starts = np.asarray(x[1]).reshape(-1)
    ends = np.asarray(x[2]).reshape(-1)
    axes = np.asarray(x[3]).reshape(-1) if len(x) > 3 and x[3] is not None else np.arange(len(starts))
    steps = np.asarray(x[4]).reshape(-1) if len(x) > 4 and x[4] is not None else np.ones(len(starts), np.int64)
    sl = [slice(None)] * a.ndim
    for s, e, ax, st in zip(starts, ends, axes, steps):
        ax = int(ax) % a.ndim
        sl[ax] = slice(*slice_bounds(a.shape[ax], int(s), int(e), int(st)))
    return [a[tuple(sl)]]


def slice_bounds(dim: int, start: int, end: int, step: int) -> tuple[int, int | None, int]:
    """Python-slice bounds for ONNX Slice semantics on a dim of size ``dim``."""
    if start < 0:
        start += dim
    if end < 0:
        end += dim
    if step > 0:
        start = min(max(start, 0), dim)
        end = min(max(end, 0), dim)
        return start, end, step
    start = min(max(start, -1), dim - 1)
    end = min(max(end, -1), dim - 1)
    return start, (None if end < 0 else end), step


def slice_len(dim: int, start: int, end: int, step: int) -> int:
    s, e, st = slice_bounds(dim, start, end, step)
    return len(range(dim)[slice(s, e, st)])


@_impl("Range")
def _range(op: Operation, x: list) -> list:
    return [np.arange(x[0].item(), x[1].item(), x[2].item()).astype(x[0].dtype)]


@_impl("Expand")
def _expand(op: Operation, x: list) -> list:
    shape = tuple(int(d) for d in x[1])
    out = np.broadcast_shapes(x[0].shape, shape)
    return [np.broadcast_to(x[0], out).copy()]


@_impl("Tile")
def _tile(op: Operation, x: list) -> list:
    return [np.tile(x[0], tuple(int(d) for d in x[1]))]


@_impl("MatMul")
def _matmul(op: Operation, x: list) -> list:
    return [np.matmul(x[0], x[1])]


@_impl("Gemm")
def _gemm(op: Operation, x: list) -> list:
    a, b = x[0], x[1]
    if get_attr(op, "transA", 0):
        a = a.T
    if get_attr(op, "transB", 0):
        b = b.T
    y = get_attr(op, "alpha", 1.0) * (a @ b)
    if len(x) > 2 and x[2] is not None:
        y = y + get_attr(op, "beta", 1.0) * x[2]
    return [y]


def _reduce(fn: Callable) -> Impl:
    def run(op: Operation, x: list) -> list:
        a = x[0]
        keep = bool(get_attr(op, "keepdims", 1))
        axes = None
        if len(x) > 1 and x[1] is not None:
            axes = [int(v) for v in np.asarray(x[1]).reshape(-1)]
        else:
            axes = get_attr(op, "axes", None)
        if not axes:
            if get_attr(op, "noop_with_empty_axes", 0):
                return [a]
            axes = list(range(a.ndim))
        return [fn(a, axis=tuple(ax % max(a.ndim, 1) for ax in axes), keepdims=keep)]

    return run


for _name, _fn in {
    "ReduceSum": np.sum,
    "ReduceMean": np.mean,
    "ReduceMax": np.max,
    "ReduceMin": np.min,
    "ReduceProd": np.prod,
}.items():
    _IMPLS[_name] = _reduce(_fn)


def evaluate(
    op: Operation, inputs: list[np.ndarray | None], *, allow_reference: bool = True
) -> list[np.ndarray] | None:
    """Results of ``op`` on constant ``inputs`` (None for an absent optional
    operand), cast to the result element types; None if not evaluable."""
    t = op_type(op)
    if t in NONDETERMINISTIC or op.regions:
        return None
    impl = _IMPLS.get(t) if op.name.startswith("onnx.") else None
    outs = None
    if impl is not None:
        try:
            with np.errstate(all="ignore"):
                args = list(inputs)
                while args and args[-1] is None:
                    args.pop()
                outs = impl(op, args)
        except Exception:
            outs = None
    if outs is None and allow_reference:
        from mlopt.passes.onnx_opt.onnx_bridge import reference_eval

        outs = reference_eval(op, inputs)
    if outs is None:
        return None
    results = []
    for r, arr in zip(op.results, outs):
        if is_none(r):
            results.append(None)
            continue
        arr = np.asarray(arr)
        et = elem_type(r.type)
        if et is not None:
            try:
                arr = arr.astype(to_numpy_dtype(et), copy=False)
            except Exception:
                return None
        results.append(arr)
    if len(results) < len(op.results):
        return None
    return results

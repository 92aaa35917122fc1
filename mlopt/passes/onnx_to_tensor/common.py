"""Shared helpers of ``convert-onnx-to-tensor`` (stable API for every op family).

* :func:`lowering` registers a lowering function ``fn(em: Emitter, op) -> results``
  for one or more ONNX op types; the pass turns each into one RewritePattern.
* :class:`Emitter` collects the ops that replace one ONNX op, and knows how to
  report an error naming the node (``LoweringError``).
* :func:`generic` builds a ``linalg.generic`` in destination-passing style; the
  body is built by a callback receiving a :class:`Body` (scalar op builders that
  know float / signed / unsigned / bool semantics).
* :func:`broadcast_map` / :func:`broadcast_shape` give numpy broadcasting.

Tensor types keep their ONNX element types (``ui8`` ...) while the pass runs;
the pass converts every type to signless at the end. Scalar code in generic
bodies is signless from the start: the semantics (``divui`` vs ``divsi`` ...) are
picked from the ONNX element type, see :func:`kind_of`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.dialects import arith, math, tensor
from xdsl.dialects.linalg import ops as linalg
from xdsl.dialects.builtin import (
    AffineMapAttr,
    AnyFloat,
    ArrayAttr,
    BFloat16Type,
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
    NoneType,
    Signedness,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.dialects.linalg.attrs import IteratorType, IteratorTypeAttr
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.ir.affine import AffineExpr, AffineMap
from xdsl.utils.exceptions import DiagnosticException

# ---------------------------------------------------------------------------
# errors

from mlopt import errors as _mlopt_errors  # noqa: E402

try:  # the driver reports these at the op's source location
    from mlopt.tools.diagnostics import OpDiagnosticError as _OpError
except ImportError:  # pragma: no cover
    _OpError = None  # type: ignore[assignment]


class LoweringError(_mlopt_errors.LoweringError, DiagnosticException):
    """An ONNX op cannot be lowered (unsupported op/attribute, dynamic shape...).

    ``op`` (when known) is the ONNX op; it is an ``OpDiagnosticError`` so the
    driver prints the op's ``file:line:col``."""

    def __init__(self, message: str, op: Operation | None = None):
        super().__init__(message)
        self.op = op


if _OpError is not None:

    class OpLoweringError(LoweringError, _OpError):  # type: ignore[misc, valid-type]
        def __init__(self, message: str, op: Operation | None = None):
            _OpError.__init__(self, op, message)  # type: ignore[misc]

else:  # pragma: no cover
    OpLoweringError = LoweringError  # type: ignore[misc, assignment]


def node_name(op: Operation) -> str:
    a = op.attributes.get("onnx_node_name")
    return a.data if isinstance(a, StringAttr) else ""


def op_type(op: Operation) -> str:
    return op.name.split(".", 1)[1] if "." in op.name else op.name


def describe(op: Operation) -> str:
    name = node_name(op)
    where = f"node '{name}'" if name else "unnamed node"
    return f"{where} (op type {op_type(op)}, '{op.name}')"


def fail(op: Operation, msg: str) -> LoweringError:
    return OpLoweringError(f"convert-onnx-to-tensor: {describe(op)}: {msg}", op)


# ---------------------------------------------------------------------------
# attributes and constants (contract A)


def _py(a: Attribute) -> Any:
    if isinstance(a, IntegerAttr):
        return a.value.data
    if isinstance(a, FloatAttr):
        return float(a.value.data)
    if isinstance(a, StringAttr):
        return a.data
    if isinstance(a, ArrayAttr):
        return [_py(x) for x in a.data]
    if isinstance(a, DenseIntOrFPElementsAttr | DenseResourceAttr):
        return dense_to_numpy(a)
    if isinstance(a, DenseArrayBase):
        return list(a.get_values())
    return a


def get_attr(op: Operation, name: str, default: Any = None) -> Any:
    """The Python value of attribute ``name`` of ``op``, or ``default``."""
    a = op.attributes.get(name)
    if a is None:
        a = op.properties.get(name)
    if a is None:
        return default
    return _py(a)


def is_none(value: SSAValue) -> bool:
    return isinstance(value.type, NoneType)


_NP = {
    "f16": np.float16,
    "f32": np.float32,
    "f64": np.float64,
}


def numpy_dtype(elt: Attribute) -> np.dtype:
    if isinstance(elt, Float16Type):
        return np.dtype(np.float16)
    if isinstance(elt, Float32Type):
        return np.dtype(np.float32)
    if isinstance(elt, Float64Type):
        return np.dtype(np.float64)
    if isinstance(elt, BFloat16Type):
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    if isinstance(elt, IntegerType):
        w = elt.width.data
        if w == 1:
            return np.dtype(np.bool_)
        if elt.signedness.data == Signedness.UNSIGNED:
            return np.dtype(f"uint{w}")
        return np.dtype(f"int{w}")
    if isinstance(elt, IndexType):
        return np.dtype(np.int64)
    raise LoweringError(f"convert-onnx-to-tensor: unsupported element type {elt}")


def dense_to_numpy(a: Attribute) -> np.ndarray:
    if isinstance(a, DenseIntOrFPElementsAttr):
        shape = tuple(a.get_shape())
        dt = numpy_dtype(a.get_element_type())
        raw = a.data.data
        n = int(np.prod(shape)) if shape else 1
        arr = np.frombuffer(raw, dtype=dt if dt != np.bool_ else np.uint8)
        if arr.size == 1 and n != 1:
            arr = np.broadcast_to(arr, (n,))
        arr = arr.reshape(shape)
        if dt == np.bool_:
            arr = arr != 0
        return np.array(arr)
    try:
        from mlopt.dialects import onnx as onnx_dialect

        fn = getattr(onnx_dialect, "numpy_from_dense_attr", None)
        if fn is not None:
            return fn(a)
    except ImportError:
        pass
    raise LoweringError(f"convert-onnx-to-tensor: cannot read constant data of {a}")


def constant_array(value: SSAValue) -> np.ndarray | None:
    """The compile-time data of ``value`` (an onnx.Constant), else None."""
    try:
        from mlopt.dialects.onnx import constant_array as dialect_constant_array

        r = dialect_constant_array(value)
        if r is not None:
            return np.asarray(r)
    except ImportError:
        pass
    owner = value.owner
    if isinstance(owner, Operation) and owner.name == "onnx.Constant":
        for key in ("value", "sparse_value"):
            a = owner.attributes.get(key) or owner.properties.get(key)
            if a is not None:
                return dense_to_numpy(a)
        for key, dt in (
            ("value_float", np.float32),
            ("value_floats", np.float32),
            ("value_int", np.int64),
            ("value_ints", np.int64),
        ):
            v = get_attr(owner, key)
            if v is not None:
                return np.array(v, dtype=dt)
    if isinstance(owner, Operation) and owner.name == "arith.constant":
        a = owner.properties.get("value") or owner.attributes.get("value")
        if isinstance(a, DenseIntOrFPElementsAttr):
            return dense_to_numpy(a)
    return None


def require_constant(op: Operation, value: SSAValue, what: str) -> np.ndarray:
    arr = constant_array(value)
    if arr is None:
        raise fail(
            op,
            f"{what} must be a compile-time constant (run onnx-constant-fold / "
            "shape inference first)",
        )
    return arr


# ---------------------------------------------------------------------------
# types


SUPPORTED_WIDTHS = {1, 8, 16, 32, 64}


def check_element_type(op: Operation, t: Attribute) -> None:
    """Fail on element types the compiled path cannot handle (f8, i4...)."""
    e = t.get_element_type() if isinstance(t, TensorType) else t
    if isinstance(e, NoneType):
        return
    ok = isinstance(e, Float16Type | BFloat16Type | Float32Type | Float64Type | IndexType) or (
        isinstance(e, IntegerType) and e.width.data in SUPPORTED_WIDTHS
    )
    if not ok:
        raise fail(op, f"element type {e} is not supported by the compiled path")


def tensor_type(value: SSAValue, op: Operation | None = None) -> TensorType:
    t = value.type
    if not isinstance(t, TensorType):
        if op is not None:
            raise fail(op, f"expected a ranked tensor operand, got {t}")
        raise LoweringError(f"expected a ranked tensor, got {t}")
    return t


def shape_of(value: SSAValue, op: Operation) -> tuple[int, ...]:
    t = tensor_type(value, op)
    shape = tuple(t.get_shape())
    if any(d < 0 for d in shape):
        raise fail(
            op,
            f"dynamic shape {t} is not supported: the compiled path needs static "
            "shapes (give concrete input shapes and run onnx-shape-inference)",
        )
    return shape


def elt_of(value: SSAValue) -> Attribute:
    t = value.type
    if isinstance(t, TensorType):
        return t.get_element_type()
    return t


def result_shape(op: Operation, i: int = 0) -> tuple[int, ...]:
    return shape_of(op.results[i], op)


def kind_of(elt: Attribute) -> str:
    """'f' float, 's' signed int, 'u' unsigned int, 'b' bool, 'x' index."""
    if isinstance(elt, AnyFloat):
        return "f"
    if isinstance(elt, IntegerType):
        if elt.width.data == 1:
            return "b"
        if elt.signedness.data == Signedness.UNSIGNED:
            return "u"
        return "s"
    if isinstance(elt, IndexType):
        return "x"
    raise LoweringError(f"convert-onnx-to-tensor: unsupported element type {elt}")


def signless(elt: Attribute) -> Attribute:
    if isinstance(elt, IntegerType) and elt.signedness.data != Signedness.SIGNLESS:
        return IntegerType(elt.width.data)
    return elt


def width_of(elt: Attribute) -> int:
    if isinstance(elt, IntegerType):
        return elt.width.data
    if isinstance(elt, Float16Type | BFloat16Type):
        return 16
    if isinstance(elt, Float32Type):
        return 32
    if isinstance(elt, Float64Type):
        return 64
    if isinstance(elt, IndexType):
        return 64
    raise LoweringError(f"unsupported element type {elt}")


def ttype(shape: Sequence[int], elt: Attribute) -> TensorType:
    return TensorType(elt, list(shape))


# ---------------------------------------------------------------------------
# broadcasting and affine maps


def broadcast_shape(op: Operation, *shapes: Sequence[int]) -> tuple[int, ...]:
    try:
        return tuple(int(d) for d in np.broadcast_shapes(*[tuple(s) for s in shapes]))
    except ValueError:
        raise fail(op, f"shapes {', '.join(str(tuple(s)) for s in shapes)} do not broadcast")


def broadcast_map(in_shape: Sequence[int], out_shape: Sequence[int]) -> AffineMap:
    """numpy (right-aligned) broadcasting of ``in_shape`` into the loop space ``out_shape``."""
    rank = len(out_shape)
    off = rank - len(in_shape)
    exprs = []
    for i, d in enumerate(in_shape):
        if d == 1 and out_shape[i + off] != 1:
            exprs.append(AffineExpr.constant(0))
        else:
            exprs.append(AffineExpr.dimension(i + off))
    return AffineMap(rank, 0, tuple(exprs))


def broadcast_exprs(
    in_shape: Sequence[int], out_shape: Sequence[int], first_dim: int = 0
) -> list[AffineExpr]:
    """Broadcasting exprs of ``in_shape`` into loop dims ``first_dim..`` that
    iterate ``out_shape`` (right-aligned, size-1 dims read index 0)."""
    off = len(out_shape) - len(in_shape)
    out: list[AffineExpr] = []
    for i, dsz in enumerate(in_shape):
        if dsz == 1 and out_shape[i + off] != 1:
            out.append(AffineExpr.constant(0))
        else:
            out.append(AffineExpr.dimension(first_dim + i + off))
    return out


def identity_map(rank: int) -> AffineMap:
    return AffineMap.identity(rank)


def dims_map(num_dims: int, dims: Sequence[int | AffineExpr]) -> AffineMap:
    """A map ``(d0..dn) -> (d[dims[0]], ...)``; ints are dims, AffineExprs as-is."""
    exprs = tuple(AffineExpr.dimension(d) if isinstance(d, int) else d for d in dims)
    return AffineMap(num_dims, 0, exprs)


def d(i: int) -> AffineExpr:
    return AffineExpr.dimension(i)


def c(v: int) -> AffineExpr:
    return AffineExpr.constant(v)


# ---------------------------------------------------------------------------
# scalar builders (inside generic bodies, or at top level)


@dataclass
class Body:
    """Appends scalar ops to a block; element-type aware helpers."""

    block: Block

    def add(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0] if op.results else None  # type: ignore[return-value]

    # constants -------------------------------------------------------------
    def const(self, value: float | int | bool, elt: Attribute) -> SSAValue:
        elt = signless(elt)
        if isinstance(elt, AnyFloat):
            return self.add(arith.ConstantOp(FloatAttr(float(value), elt)))
        if isinstance(elt, IndexType):
            return self.add(arith.ConstantOp(IntegerAttr(int(value), IndexType())))
        if isinstance(elt, IntegerType):
            w = elt.width.data
            v = int(value)
            if w == 1:
                v = -1 if v else 0
            else:
                v &= (1 << w) - 1
                if v >= 1 << (w - 1):
                    v -= 1 << w
            return self.add(arith.ConstantOp(IntegerAttr(v, elt)))
        raise LoweringError(f"cannot build a constant of type {elt}")

    def index(self, dim: int) -> SSAValue:
        return self.add(linalg.IndexOp(dim))

    # arithmetic ------------------------------------------------------------
    def add_(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.AddfOp(a, b))
        if k == "b":
            return self.add(arith.OrIOp(a, b))
        return self.add(arith.AddiOp(a, b))

    def sub(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.SubfOp(a, b))
        if k == "b":
            return self.add(arith.XOrIOp(a, b))
        return self.add(arith.SubiOp(a, b))

    def mul(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.MulfOp(a, b))
        if k == "b":
            return self.add(arith.AndIOp(a, b))
        return self.add(arith.MuliOp(a, b))

    def div(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.DivfOp(a, b))
        if k == "u":
            return self.add(arith.DivUIOp(a, b))
        return self.add(arith.DivSIOp(a, b))

    def rem(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        """C-style remainder (sign of the dividend); floats: fmod."""
        if k == "f":
            # a - b * trunc(a / b), with the sign of a; a finite a mod +-inf is a
            q = self.add(math.TruncOp(self.add(arith.DivfOp(a, b))))
            r = self.add(arith.SubfOp(a, self.add(arith.MulfOp(b, q))))
            inf = self.const(float("inf"), a.type)
            binf = self.add(arith.CmpfOp(self.add(math.AbsFOp(b)), inf, "oeq"))
            afin = self.add(arith.CmpfOp(self.add(math.AbsFOp(a)), inf, "olt"))
            r = self.select(self.add(arith.AndIOp(binf, afin)), a, r)
            return self.add(math.CopySignOp(r, a))
        if k == "u":
            return self.add(arith.RemUIOp(a, b))
        return self.add(arith.RemSIOp(a, b))

    def max(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.MaximumfOp(a, b))
        if k in ("u", "b"):
            return self.add(arith.MaxUIOp(a, b))
        return self.add(arith.MaxSIOp(a, b))

    def min(self, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.MinimumfOp(a, b))
        if k in ("u", "b"):
            return self.add(arith.MinUIOp(a, b))
        return self.add(arith.MinSIOp(a, b))

    def neg(self, a: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(arith.NegfOp(a))
        return self.add(arith.SubiOp(self.const(0, a.type), a))

    def abs(self, a: SSAValue, k: str) -> SSAValue:
        if k == "f":
            return self.add(math.AbsFOp(a))
        if k in ("u", "b"):
            return a
        return self.add(math.AbsIOp(a))

    def cmp(self, pred: str, a: SSAValue, b: SSAValue, k: str) -> SSAValue:
        """pred in eq, ne, lt, le, gt, ge (ordered for floats)."""
        if k == "f":
            fp = {"eq": "oeq", "ne": "une", "lt": "olt", "le": "ole", "gt": "ogt", "ge": "oge"}
            return self.add(arith.CmpfOp(a, b, fp[pred]))
        if pred in ("eq", "ne"):
            return self.add(arith.CmpiOp(a, b, pred))
        prefix = "u" if k in ("u", "b", "x") else "s"
        return self.add(arith.CmpiOp(a, b, prefix + pred))

    def select(self, cond: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        return self.add(arith.SelectOp(cond, a, b))

    def not_(self, a: SSAValue) -> SSAValue:
        return self.add(arith.XOrIOp(a, self.const(1, IntegerType(1))))

    # conversions -------------------------------------------------------------
    def cast(self, v: SSAValue, src: Attribute, dst: Attribute) -> SSAValue:
        """Convert scalar ``v`` of ONNX element type ``src`` to ``dst`` (ONNX types)."""
        ks, kd = kind_of(src), kind_of(dst)
        ts, td = signless(src), signless(dst)
        if ts == td and ks == kd:
            return v
        ws, wd = width_of(src), width_of(dst)
        if kd == "b":
            if ks == "f":
                return self.add(arith.CmpfOp(v, self.const(0.0, ts), "une"))
            return self.add(arith.CmpiOp(v, self.const(0, ts), "ne"))
        if ks == "f" and kd == "f":
            if ws == 64 and wd == 16:
                # no direct f64 -> f16 truncation at run time (it needs a libcall)
                v = self.add(arith.TruncFOp(v, Float32Type()))
                return self.add(arith.TruncFOp(v, td))
            if ws < wd:
                return self.add(arith.ExtFOp(v, td))
            if ws > wd:
                return self.add(arith.TruncFOp(v, td))
            # f16 <-> bf16: through f32
            return v if ts == td else self.add(arith.TruncFOp(self.add(arith.ExtFOp(v, Float32Type())), td))
        if ks == "f":
            if kd == "x":
                i = self.add(arith.FPToSIOp(v, i64))
                return self.add(arith.IndexCastOp(i, IndexType()))
            if kd == "u":
                return self.add(arith.FPToUIOp(v, td))
            return self.add(arith.FPToSIOp(v, td))
        if kd == "f":
            if ks == "x":
                v = self.add(arith.IndexCastOp(v, i64))
                ks = "s"
            if ks in ("u", "b"):
                return self.add(arith.UIToFPOp(v, td))
            return self.add(arith.SIToFPOp(v, td))
        # int -> int (including bool and index)
        if kd == "x" or ks == "x":
            if ks == "x":
                v = self.add(arith.IndexCastOp(v, i64))
                return self.cast(v, i64, dst)
            if ws < 64:
                v = self.cast(v, src, IntegerType(64) if ks == "s" else IntegerType(64, Signedness.UNSIGNED))
            return self.add(arith.IndexCastOp(v, IndexType()))
        if ws < wd:
            if ks in ("u", "b"):
                return self.add(arith.ExtUIOp(v, td))
            return self.add(arith.ExtSIOp(v, td))
        if ws > wd:
            return self.add(arith.TruncIOp(v, td))
        return v

    def to_index(self, v: SSAValue, src: Attribute) -> SSAValue:
        return self.cast(v, src, IndexType())


def index_const(em: Emitter, v: int) -> SSAValue:
    return em.add(arith.ConstantOp(IntegerAttr(v, IndexType())))


# ---------------------------------------------------------------------------
# emitting the replacement of one ONNX op


@dataclass
class Emitter:
    """Collects the ops replacing ``op`` (inserted before it, in order)."""

    op: Operation
    ops: list[Operation] = field(default_factory=list)

    def add(self, new: Operation) -> Any:
        self.ops.append(new)
        if len(new.results) == 1:
            return new.results[0]
        return new

    def fail(self, msg: str) -> LoweringError:
        return fail(self.op, msg)

    # shape helpers bound to the op being lowered
    def shape(self, v: SSAValue) -> tuple[int, ...]:
        return shape_of(v, self.op)

    def out_shape(self, i: int = 0) -> tuple[int, ...]:
        return shape_of(self.op.results[i], self.op)

    def out_elt(self, i: int = 0) -> Attribute:
        return elt_of(self.op.results[i])

    def operand(self, i: int) -> SSAValue | None:
        if i >= len(self.op.operands):
            return None
        v = self.op.operands[i]
        return None if is_none(v) else v

    def attr(self, name: str, default: Any = None) -> Any:
        return get_attr(self.op, name, default)

    # top-level tensor builders ---------------------------------------------
    def empty(self, shape: Sequence[int], elt: Attribute) -> SSAValue:
        return self.add(tensor.EmptyOp([], ttype(shape, elt)))

    def scalar_const(self, value: float | int | bool, elt: Attribute) -> SSAValue:
        blk = Block()
        Body(blk).const(value, elt)
        (op,) = list(blk.ops)
        op.detach()
        return self.add(op)

    def filled(self, shape: Sequence[int], elt: Attribute, value: float | int | bool) -> SSAValue:
        """A tensor of ``shape`` filled with ``value`` (linalg.fill)."""
        init = self.empty(shape, elt)
        cst = self.scalar_const(value, elt)
        return self.add(linalg.FillOp([cst], [init], [ttype(shape, elt)]))

    def dense(self, arr: np.ndarray, elt: Attribute) -> SSAValue:
        """An ``arith.constant`` dense tensor with the data of ``arr``."""
        if np.asarray(arr).size == 0:
            return self.empty(np.asarray(arr).shape, elt)
        return self.add(arith.ConstantOp(dense_attr(arr, elt)))

    def extract_slice(
        self,
        src: SSAValue,
        offsets: Sequence[int],
        sizes: Sequence[int],
        strides: Sequence[int] | None = None,
    ) -> SSAValue:
        strides = list(strides) if strides is not None else [1] * len(sizes)
        rt = ttype(sizes, elt_of(src))
        return self.add(tensor.ExtractSliceOp(src, list(offsets), list(sizes), strides, rt))

    def insert_slice(
        self,
        src: SSAValue,
        dest: SSAValue,
        offsets: Sequence[int],
        sizes: Sequence[int] | None = None,
        strides: Sequence[int] | None = None,
    ) -> SSAValue:
        sizes = list(sizes) if sizes is not None else list(self.shape(src))
        return self.add(
            tensor.InsertSliceOp.from_static_parameters(src, dest, list(offsets), sizes, strides)
        )

    def reshape(self, src: SSAValue, new_shape: Sequence[int]) -> SSAValue:
        """Reshape a static tensor (collapse to 1-D then expand, or a single op)."""
        old = self.shape(src)
        new_shape = tuple(new_shape)
        elt = elt_of(src)
        if old == new_shape:
            return src
        if int(np.prod(old)) != int(np.prod(new_shape)):
            raise self.fail(f"cannot reshape {old} into {new_shape}")
        if int(np.prod(new_shape)) == 0:
            return self.empty(new_shape, elt)
        if len(old) == 0 or len(new_shape) == 0:
            # xDSL's collapse/expand_shape reject rank-0 sides: copy with a generic
            in_map = AffineMap(len(new_shape), 0, tuple(AffineExpr.constant(0) for _ in old))
            return generic(self, [src], [in_map], new_shape, elt, lambda b, v, o: v)
        groups = _reassociation(old, new_shape)
        if groups is not None:
            kind, assoc = groups
            attr = ArrayAttr([ArrayAttr([IntegerAttr(i, i64) for i in g]) for g in assoc])
            if kind == "collapse":
                return self.add(
                    tensor.CollapseShapeOp(
                        operands=[src], result_types=[ttype(new_shape, elt)],
                        properties={"reassociation": attr},
                    )
                )
            return self.add(
                tensor.ExpandShapeOp(src, [], attr, list(new_shape), ttype(new_shape, elt))
            )
        flat = self.reshape(src, (int(np.prod(old)),)) if len(old) != 1 else src
        if len(old) == 0:
            flat = self.reshape(src, (1,))
        return self.reshape(flat, new_shape)


def _reassociation(old: tuple[int, ...], new: tuple[int, ...]):
    """Reassociation groups if ``new`` is a pure collapse or expand of ``old``."""
    if len(new) < len(old):
        big, small, kind = old, new, "collapse"
    elif len(new) > len(old):
        big, small, kind = new, old, "expand"
    else:
        return None
    if 0 in big:
        return None
    if len(small) == 0:
        return (kind, []) if all(x == 1 for x in big) else None
    groups: list[list[int]] = []
    j = 0
    for s in small:
        g: list[int] = []
        p = 1
        while j < len(big):
            g.append(j)
            p *= big[j]
            j += 1
            if p == s or p > s:
                break
        if p != s:
            return None
        groups.append(g)
    while j < len(big):
        if big[j] != 1:
            return None
        groups[-1].append(j)
        j += 1
    return kind, groups


def dense_attr(arr: np.ndarray, elt: Attribute) -> DenseIntOrFPElementsAttr:
    arr = np.asarray(arr)
    dt = numpy_dtype(elt)
    try:
        from mlopt.dialects.onnx import dense_attr_from_numpy

        return dense_attr_from_numpy(np.asarray(arr, dtype=dt), elt)  # type: ignore[return-value]
    except ImportError:
        pass
    data = np.ascontiguousarray(arr.astype(dt if dt != np.bool_ else np.uint8))
    return DenseIntOrFPElementsAttr(ttype(arr.shape, elt), BytesAttr(data.tobytes()))


def generic(
    em: Emitter,
    inputs: Sequence[SSAValue],
    in_maps: Sequence[AffineMap],
    out_shape: Sequence[int],
    out_elt: Attribute,
    body: Callable[..., SSAValue | Sequence[SSAValue]],
    *,
    iterators: Sequence[str] | None = None,
    init: SSAValue | None = None,
    out_map: AffineMap | None = None,
    extra_outputs: Sequence[tuple[SSAValue, AffineMap]] = (),
) -> SSAValue:
    """Build a ``linalg.generic`` and return its (first) result.

    ``body(b: Body, *args)`` gets the scalar block arguments (inputs then
    outputs) and returns the value(s) to yield. The loop space has
    ``len(iterators)`` dims (default: all parallel over ``out_shape``).
    ``init`` is the destination (default ``tensor.empty``).
    """
    if out_map is None:
        out_map = identity_map(len(out_shape))
    num_dims = out_map.num_dims
    if iterators is None:
        iterators = ["parallel"] * num_dims
    if init is None:
        init = em.empty(out_shape, out_elt)
    outs = [init, *[o for o, _ in extra_outputs]]
    maps = [*in_maps, out_map, *[m for _, m in extra_outputs]]
    arg_types = [signless(elt_of(v)) for v in [*inputs, *outs]]
    block = Block(arg_types=arg_types)
    b = Body(block)
    res = body(b, *block.args)
    if isinstance(res, SSAValue):
        res = [res]
    block.add_op(linalg.YieldOp(*res))
    it_attrs = [
        IteratorTypeAttr(IteratorType.PARALLEL if it == "parallel" else IteratorType.REDUCTION)
        for it in iterators
    ]
    g = linalg.GenericOp(
        list(inputs),
        outs,
        Region(block),
        [AffineMapAttr(m) for m in maps],
        it_attrs,
        [v.type for v in outs],
    )
    em.ops.append(g)
    return g.results[0] if len(g.results) == 1 else g  # type: ignore[return-value]


def map_elementwise(
    em: Emitter,
    inputs: Sequence[SSAValue],
    out_elt: Attribute,
    fn: Callable[..., SSAValue],
    out_shape: Sequence[int] | None = None,
) -> SSAValue:
    """Elementwise op with multidirectional broadcasting; ``fn(b, *in_args)``."""
    shapes = [em.shape(v) for v in inputs]
    if out_shape is None:
        out_shape = broadcast_shape(em.op, *shapes)
    maps = [broadcast_map(s, out_shape) for s in shapes]
    return generic(em, inputs, maps, out_shape, out_elt, lambda b, *a: fn(b, *a[: len(inputs)]))


def broadcast_to(em: Emitter, v: SSAValue, out_shape: Sequence[int]) -> SSAValue:
    """Materialize ``v`` broadcast (unidirectionally) to ``out_shape``."""
    if em.shape(v) == tuple(out_shape):
        return v
    return map_elementwise(em, [v], elt_of(v), lambda b, x: x, out_shape)


def reduce_generic(
    em: Emitter,
    x: SSAValue,
    axes: Sequence[int],
    keepdims: bool,
    init_value: float | int,
    combine: Callable[[Body, SSAValue, SSAValue], SSAValue],
    *,
    pre: Callable[[Body, SSAValue], SSAValue] | None = None,
    acc_elt: Attribute | None = None,
) -> tuple[SSAValue, tuple[int, ...]]:
    """Reduce ``x`` over ``axes``: ``acc = combine(b, pre(x), acc)``.

    Returns the result with the kept-dims shape if ``keepdims`` else the
    reduced shape, plus that shape.
    """
    shape = em.shape(x)
    rank = len(shape)
    axes = sorted({a % rank if rank else 0 for a in axes})
    elt = acc_elt or elt_of(x)
    red_shape = tuple(s for i, s in enumerate(shape) if i not in axes)
    out_exprs = [d(i) for i in range(rank) if i not in axes]
    init = em.filled(red_shape, elt, init_value)
    iterators = ["reduction" if i in axes else "parallel" for i in range(rank)]

    def body(b: Body, xv: SSAValue, acc: SSAValue) -> SSAValue:
        v = pre(b, xv) if pre else xv
        return combine(b, v, acc)

    r = generic(
        em,
        [x],
        [identity_map(rank)],
        red_shape,
        elt,
        body,
        iterators=iterators,
        init=init,
        out_map=AffineMap(rank, 0, tuple(out_exprs)),
    )
    if keepdims:
        kshape = tuple(1 if i in axes else s for i, s in enumerate(shape))
        return em.reshape(r, kshape), kshape
    return r, red_shape


# ---------------------------------------------------------------------------
# registry of lowerings

LoweringFn = Callable[[Emitter, Operation], Sequence[SSAValue | None] | SSAValue | None]

LOWERINGS: dict[str, LoweringFn] = {}

# full op name -> the attributes its lowering honours (see :func:`lowering`)
HONOURED: dict[str, frozenset[str]] = {}


def lowering(*op_types: str, honours: Sequence[str]) -> Callable[[LoweringFn], LoweringFn]:
    """Register ``fn`` as the lowering of ``onnx.<T>`` for each T in ``op_types``.

    ``honours`` names every attribute of the op's schema whose value the
    lowering implements (or rejects itself with a clear error when it cannot);
    it is required, so each lowering states it. ``convert-onnx-to-tensor``
    rejects an op carrying any other attribute with a value different from its
    schema default (:func:`check_honoured_attributes`): an attribute is never
    silently ignored. An attribute that only has an effect in a case the
    lowering rejects (``momentum`` of a training-mode BatchNormalization) or
    through the result types computed by shape inference (Cast's ``to``)
    counts as honoured."""
    if isinstance(honours, str):
        raise TypeError("lowering(..., honours=...) takes a sequence of attribute names")
    declared = frozenset(honours)

    def deco(fn: LoweringFn) -> LoweringFn:
        for t in op_types:
            name = t if "." in t else f"onnx.{t}"
            LOWERINGS[name] = fn
            HONOURED[name] = declared
        return fn

    return deco


def _same_value(value: Any, default: Any) -> bool:
    if isinstance(value, str) or isinstance(default, str):
        return value == default
    try:
        a, b = np.asarray(value), np.asarray(default)
    except (TypeError, ValueError):  # pragma: no cover - exotic attribute kinds
        return False
    if a.dtype == object or b.dtype == object or a.shape != b.shape:
        return False
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        # FLOAT attributes are f32: compare at that precision
        return bool(np.all(a.astype(np.float32) == b.astype(np.float32)))
    return bool(np.array_equal(a, b))


def _short(value: Any) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def unhonoured_attributes(op: Operation, honoured: frozenset[str]) -> list[tuple[str, Any, Any]]:
    """``(name, value, schema default)`` of every attribute of ``op`` outside
    ``honoured`` whose value differs from its schema default (an attribute
    without a default always differs). Discardable attributes (``onnx_node_name``,
    dotted names) are not the op's."""
    schema = getattr(type(op), "SCHEMA", None)
    out = []
    for name, a in op.attributes.items():
        if name in honoured or name == "onnx_node_name" or "." in name:
            continue
        value = _py(a)
        default = schema.default(name) if schema is not None and name in schema.attrs else None
        if default is not None and _same_value(value, default):
            continue
        out.append((name, value, default))
    return out


_PADDING = frozenset({"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID", ""})
_RNN_DIRECTIONS = frozenset({"forward", "reverse", "bidirectional"})

# (op type or "*", attribute) -> the string values ONNX defines for it. An
# honoured attribute with another value is rejected before the lowering runs
# (so that no lowering can take an unknown value for its last case). ""
# is onnxruntime's spelling of NOTSET.
ENUM_VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("*", "auto_pad"): _PADDING,
    ("Resize", "mode"): frozenset({"nearest", "linear", "cubic"}),
    ("Resize", "nearest_mode"): frozenset({"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}),
    ("Resize", "coordinate_transformation_mode"): frozenset(
        {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
         "asymmetric", "tf_crop_and_resize"}
    ),
    ("Resize", "keep_aspect_ratio_policy"): frozenset({"stretch", "not_larger", "not_smaller"}),
    ("Pad", "mode"): frozenset({"constant", "reflect", "edge", "wrap"}),
    ("DepthToSpace", "mode"): frozenset({"DCR", "CRD"}),
    ("SpaceToDepth", "mode"): frozenset({"DCR", "CRD"}),
    ("Gelu", "approximate"): frozenset({"none", "tanh"}),
    ("BitShift", "direction"): frozenset({"LEFT", "RIGHT"}),
    ("GridSample", "mode"): frozenset({"linear", "nearest", "cubic", "bilinear", "bicubic"}),
    ("GridSample", "padding_mode"): frozenset({"zeros", "border", "reflection"}),
    ("ScatterElements", "reduction"): frozenset({"none", "add", "mul", "max", "min"}),
    ("ScatterND", "reduction"): frozenset({"none", "add", "mul", "max", "min"}),
    ("TensorScatter", "mode"): frozenset({"linear", "circular"}),
    ("NegativeLogLikelihoodLoss", "reduction"): frozenset({"none", "sum", "mean"}),
    ("SoftmaxCrossEntropyLoss", "reduction"): frozenset({"none", "sum", "mean"}),
    ("RNN", "direction"): _RNN_DIRECTIONS,
    ("GRU", "direction"): _RNN_DIRECTIONS,
    ("LSTM", "direction"): _RNN_DIRECTIONS,
}


def check_enum_attributes(op: Operation) -> None:
    """Fail when a string attribute of ``op`` listed in :data:`ENUM_VALUES`
    has a value ONNX does not define."""
    t = op_type(op)
    for name, a in op.attributes.items():
        allowed = ENUM_VALUES.get((t, name)) or ENUM_VALUES.get(("*", name))
        if allowed is None or not isinstance(a, StringAttr) or a.data in allowed:
            continue
        legal = ", ".join(repr(v) for v in sorted(allowed) if v)
        raise fail(op, f"attribute '{name}' has the unknown value {a.data!r} (ONNX allows {legal})")


def check_honoured_attributes(op: Operation, honoured: frozenset[str]) -> None:
    """Fail (naming node, op, attribute and value) when ``op`` carries an
    attribute its lowering does not honour with a non-default value, or an
    enumerated attribute with a value ONNX does not define."""
    bad = unhonoured_attributes(op, honoured)
    if not bad:
        check_enum_attributes(op)
        return
    name, value, default = bad[0]
    what = f"attribute '{name}' = {_short(value)} is not supported by this lowering"
    if default is not None:
        what += f" (only its default {_short(default)} is)"
    raise fail(op, what)


def norm_axis(em: Emitter, axis: int, rank: int) -> int:
    if not -rank <= axis < max(rank, 1):
        raise em.fail(f"axis {axis} is out of range for rank {rank}")
    return axis % rank if rank else 0

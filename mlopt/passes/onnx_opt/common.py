"""Helpers shared by the ONNX-level passes: op/type/attribute access, constants.

Everything here works on generic :class:`xdsl.ir.Operation` objects named
``onnx.<OpType>`` (contract A), so the passes do not depend on the generated
op classes beyond :func:`mlopt.dialects.onnx.op_class`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    NoneType,
    TensorType,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.utils.exceptions import PassFailedException

ONNX_PREFIXES = ("onnx.", "onnx_ml.")
# Attributes that are not ONNX attributes (bookkeeping added by the importer).
# Value specialisation (mlopt.backends.runtime): the constant holding a call's
# value of an input, and the ops cloned onto it to compute compile-time operands.
SPECIALIZED_ATTR = "mlopt.specialized"
SHAPE_CHAIN_ATTR = "mlopt.shape_chain"
NON_ONNX_ATTRS = frozenset(
    {"onnx_node_name", "onnx.name", "onnx_domain", SPECIALIZED_ATTR, SHAPE_CHAIN_ATTR}
)


def is_specialized(value: SSAValue) -> bool:
    """Whether ``value`` is a constant made from a call's input (or folded from one)."""
    owner = value.owner
    return isinstance(owner, Operation) and SPECIALIZED_ATTR in owner.attributes


def onnx_dialect() -> Any:
    import mlopt.dialects.onnx as d

    return d


def is_onnx_op(op: Operation) -> bool:
    return op.name.startswith(ONNX_PREFIXES)


def op_type(op: Operation) -> str:
    """``Conv`` for ``onnx.Conv`` (``onnx_ml.X`` -> ``X``)."""
    return op.name.split(".", 1)[1]


def op_domain(op: Operation) -> str:
    return "ai.onnx.ml" if op.name.startswith("onnx_ml.") else ""


def describe(op: Operation) -> str:
    """A short human description naming the op (and its ONNX node)."""
    node = op.attributes.get("onnx_node_name")
    name = getattr(node, "data", None)
    return f"'{op.name}'" + (f" (node '{name}')" if name else "")


def fail(op: Operation, message: str) -> Exception:
    """A user-facing pass error reported at ``op``; raise the returned exception."""
    try:
        from mlopt.tools.diagnostics import OpDiagnosticError

        return OpDiagnosticError(op, f"{describe(op)}: {message}")
    except ImportError:  # pragma: no cover
        return PassFailedException(f"{describe(op)}: {message}")


def get_attr(op: Operation, name: str, default: Any = None) -> Any:
    """Python value of an ONNX attribute (schema default, else ``default``)."""
    return onnx_dialect().attr(op, name, default)


def is_none(value: SSAValue) -> bool:
    return isinstance(value.type, NoneType)


# ---------------------------------------------------------------- types


def norm_shape(t: Attribute) -> tuple[int, ...] | None:
    """Shape of a ranked tensor type with ``-1`` for dynamic dims; else None."""
    if isinstance(t, TensorType):
        return tuple(-1 if d == DYNAMIC_INDEX or d < 0 else d for d in t.get_shape())
    return None


def value_shape(v: SSAValue) -> tuple[int, ...] | None:
    return norm_shape(v.type)


def elem_type(t: Attribute) -> Attribute | None:
    if isinstance(t, TensorType):
        return t.element_type
    et = getattr(t, "element_type", None)
    return et


def is_static(shape: Sequence[int] | None) -> bool:
    return shape is not None and all(d >= 0 for d in shape)


def make_tensor_type(shape: Sequence[int], et: Attribute) -> TensorType:
    return TensorType(et, [DYNAMIC_INDEX if d < 0 else int(d) for d in shape])


def to_numpy_dtype(et: Attribute) -> np.dtype:
    return np.dtype(onnx_dialect().to_numpy_dtype(et))


def from_numpy_dtype(dtype: Any) -> Attribute:
    return onnx_dialect().from_numpy_dtype(np.dtype(dtype))


def onnx_elem_type(et: Attribute) -> int:
    """The ``TensorProto.DataType`` enum for an xDSL element type (0 if none)."""
    try:
        return int(onnx_dialect().element_to_onnx_dtype(et))
    except Exception:
        return 0


def from_onnx_elem_type(code: int) -> Attribute | None:
    try:
        return onnx_dialect().onnx_dtype_to_element(int(code))
    except Exception:
        return None


# ---------------------------------------------------------------- constants


def constant_array(value: SSAValue) -> np.ndarray | None:
    """Data of a value produced by ``onnx.Constant`` (None otherwise)."""
    owner = value.owner
    if not isinstance(owner, Operation) or owner.name != "onnx.Constant":
        return None
    try:
        arr = onnx_dialect().constant_array(value)
    except Exception:
        return None
    if arr is None:
        return None
    return np.asarray(arr)


def dense_attr(arr: np.ndarray, et: Attribute | None = None) -> Attribute:
    """A byte-buffer backed dense attribute holding ``arr``."""
    arr = np.asarray(arr)
    if et is not None:
        arr = arr.astype(to_numpy_dtype(et), copy=False)
    return onnx_dialect().dense_attr_from_numpy(arr, et)


def make_constant(arr: np.ndarray, et: Attribute | None = None, like: Operation | None = None) -> Operation:
    """A new ``onnx.Constant`` op holding ``arr`` (element type ``et``)."""
    attr = dense_attr(arr, et)
    cls = onnx_dialect().op_class("Constant")
    attrs: dict[str, Attribute] = {"value": attr}
    return cls.create(operands=[], result_types=[attr.type], attributes=attrs)


def make_onnx_op(
    type_name: str,
    operands: Sequence[SSAValue],
    result_types: Sequence[Attribute],
    attributes: dict[str, Attribute] | None = None,
    like: Operation | None = None,
    name_suffix: str | None = None,
) -> Operation:
    """A new ``onnx.<type_name>`` op with the location and node name of
    ``like`` (``<name>/<name_suffix>`` when given, to keep names unique)."""
    cls = onnx_dialect().op_class(type_name)
    attrs = dict(attributes or {})
    if like is not None and "onnx_node_name" in like.attributes and "onnx_node_name" not in attrs:
        attrs["onnx_node_name"] = derived_name(like, name_suffix)
    op = cls.create(operands=list(operands), result_types=list(result_types), attributes=attrs)
    if like is not None:
        op.location = like.location
    return op


def derived_name(like: Operation, suffix: str | None = None) -> Attribute:
    """The node name of ``like`` (with ``/suffix`` appended when given)."""
    from xdsl.dialects.builtin import StringAttr

    name = like.attributes["onnx_node_name"]
    if suffix is None:
        return name
    return StringAttr(f"{getattr(name, 'data', name)}/{suffix}")


def make_none(like: Operation | None = None) -> Operation:
    """``%n = "onnx.NoValue"() {value} : () -> none``."""
    return onnx_dialect().NoValueOp()

"""Helpers every consumer of the onnx dialect uses (contract A)."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    NoneType,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, OpResult, SSAValue, TypeAttribute

from mlopt.dialects.onnx.types import (
    DenseStringAttr,
    StringType,
    element_to_onnx_dtype,
    from_numpy_dtype,
    to_numpy_dtype,
)


def is_none(value: SSAValue) -> bool:
    """True for an absent optional operand/result (a value of type ``none``)."""
    return isinstance(value.type, NoneType)


def numpy_from_dense_attr(attr: Attribute) -> np.ndarray:
    """The numpy array held by a ``dense<...>`` (or ``#onnx.dense_string``)
    attribute. The array is a read-only view of the attribute's bytes."""
    if isinstance(attr, DenseStringAttr):
        return attr.to_numpy()
    if not isinstance(attr, DenseIntOrFPElementsAttr):
        raise TypeError(f"not a dense elements attribute: {attr}")
    et = attr.get_element_type()
    shape = tuple(attr.get_shape())
    raw = attr.data.data
    if isinstance(et, IntegerType) and et.width.data == 1:
        flat = np.frombuffer(raw, dtype=np.uint8) != 0
    else:
        flat = np.frombuffer(raw, dtype=to_numpy_dtype(et))
    n = int(np.prod(shape, dtype=np.int64))
    if flat.size == n:
        return flat.reshape(shape)
    if flat.size == 1:  # splat
        return np.broadcast_to(flat.reshape(()), shape)
    raise ValueError(f"dense attribute holds {flat.size} elements, its type needs {n}")


def dense_attr_from_numpy(
    array: np.ndarray, element_type: Attribute | None = None
) -> DenseIntOrFPElementsAttr | DenseStringAttr:
    """A byte-buffer backed ``dense<...>`` attribute holding ``array``
    (no Python list in between; ``bool`` becomes ``i1`` stored as 0x00/0xFF
    like xDSL's own parser does). String arrays give ``#onnx.dense_string``."""
    array = np.asarray(array)
    if element_type is None:
        element_type = from_numpy_dtype(array.dtype)
    if isinstance(element_type, StringType) or array.dtype.kind in "OUS":
        return DenseStringAttr.from_numpy(array)
    ttype = TensorType(element_type, list(array.shape))
    if array.dtype == np.bool_:
        data = (np.ascontiguousarray(array).view(np.uint8) * np.uint8(255)).tobytes()
    else:
        if array.dtype.byteorder == ">":
            array = array.astype(array.dtype.newbyteorder("<"))
        data = np.ascontiguousarray(array).tobytes()
    return DenseIntOrFPElementsAttr(ttype, BytesAttr(data))


def attr_value(a: Attribute) -> Any:
    """The Python value of an ONNX attribute spelled as an MLIR attribute."""
    if isinstance(a, IntegerAttr):
        return int(a.value.data)
    if isinstance(a, FloatAttr):
        return float(a.value.data)
    if isinstance(a, StringAttr):
        return a.data
    if isinstance(a, ArrayAttr):
        return [attr_value(x) for x in a.data]
    if isinstance(a, DenseIntOrFPElementsAttr | DenseStringAttr):
        return numpy_from_dense_attr(a)
    if isinstance(a, UnitAttr):
        return True
    if isinstance(a, TypeAttribute):
        return a
    return a


def attr(op: Operation, name: str, default: Any = None) -> Any:
    """The Python value of attribute ``name`` of ``op`` (int, float, str,
    list, numpy array for a tensor, Region for a graph), else the schema
    default, else ``default``."""
    a = op.attributes.get(name)
    info = getattr(type(op), "SCHEMA", None)
    if a is not None:
        if info is not None and name in info.type_attrs and isinstance(a, TypeAttribute):
            return element_to_onnx_dtype(a)  # onnx-mlir's ``to = f32``
        return attr_value(a)
    if info is not None:
        if name in info.graph_attrs:
            idx = info.graph_attrs.index(name)
            if idx < len(op.regions):
                return op.regions[idx]
            return default
        d = info.default(name)
        if d is not None:
            return d
    return default


_SCALAR_CONSTANT_ATTRS = {
    "value_float": np.float32,
    "value_floats": np.float32,
    "value_int": np.int64,
    "value_ints": np.int64,
}


def constant_array(value: SSAValue) -> np.ndarray | None:
    """The data of ``value`` when it is produced by ``onnx.Constant`` (any of
    its value attributes) or by an ``arith.constant`` with a dense value;
    else None."""
    if not isinstance(value, OpResult):
        return None
    op = value.owner
    if op.name == "onnx.Constant":
        attrs = op.attributes
        if "value" in attrs:
            return numpy_from_dense_attr(attrs["value"])
        if "sparse_value" in attrs:
            return numpy_from_dense_attr(attrs["sparse_value"])
        for key, dt in _SCALAR_CONSTANT_ATTRS.items():
            if key in attrs:
                return np.array(attr_value(attrs[key]), dtype=dt)
        if "value_string" in attrs:
            return np.array(attr_value(attrs["value_string"]), dtype=object)
        if "value_strings" in attrs:
            return np.array(attr_value(attrs["value_strings"]), dtype=object)
        return None
    if op.name == "arith.constant":
        v = op.properties.get("value") or op.attributes.get("value")
        if isinstance(v, DenseIntOrFPElementsAttr):
            return numpy_from_dense_attr(v)
    return None

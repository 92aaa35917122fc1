"""Types and attributes of the onnx dialect, and the dtype maps.

ONNX element types map onto builtin element types (signless ``iN`` for
``intN``, ``uiN`` for ``uintN``, ``i1`` for ``bool``, ``fN``/``bf16``/float8
types, ``complex<f32>``); a few ONNX types have no builtin counterpart and are
defined here with onnx-mlir's spelling:

* ``!onnx.String`` — the element type of ``tensor(string)``;
* ``!onnx.Seq<T>`` — ``seq(T)``;
* ``!onnx.Opt<T>`` — ``optional(T)``;
* ``!onnx.Map<K, V>`` — ``map(K, V)`` (ai.onnx.ml), ``K`` an element type and
  ``V`` a type;
* ``#onnx.dense_string<["a", "b"], tensor<2x!onnx.String>>`` — a string tensor
  constant (builtin ``dense`` only holds numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    BFloat16Type,
    ComplexType,
    Float16Type,
    Float32Type,
    Float64Type,
    IntegerType,
    NoneType,
    Signedness,
    StringAttr,
    TensorType,
    TupleType,
    UnrankedTensorType,
    bf16,
    f4E2M1FN,
    f6E2M3FN,
    f6E3M2FN,
    f8E4M3FN,
    f8E4M3FNUZ,
    f8E5M2,
    f8E5M2FNUZ,
    f8E8M0FNU,
    f16,
    f32,
    f64,
)
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.utils.exceptions import VerifyException

try:  # ml_dtypes ships with onnx; it gives numpy dtypes to bf16/float8/int4
    import ml_dtypes as _mld
except ImportError:  # pragma: no cover
    _mld = None


@irdl_attr_definition
class StringType(ParametrizedAttribute, TypeAttribute):
    """``!onnx.String``: the element type of ONNX string tensors."""

    name = "onnx.String"


@irdl_attr_definition
class SeqType(ParametrizedAttribute, TypeAttribute):
    """``!onnx.Seq<tensor<...>>``: an ONNX sequence."""

    name = "onnx.Seq"
    element_type: Attribute

    def __init__(self, element_type: Attribute):
        super().__init__(element_type)


@irdl_attr_definition
class OptType(ParametrizedAttribute, TypeAttribute):
    """``!onnx.Opt<T>``: an ONNX optional."""

    name = "onnx.Opt"
    element_type: Attribute

    def __init__(self, element_type: Attribute):
        super().__init__(element_type)


@irdl_attr_definition
class MapType(ParametrizedAttribute, TypeAttribute):
    """``!onnx.Map<K, V>``: an ONNX map (key element type, value type)."""

    name = "onnx.Map"
    key_type: Attribute
    value_type: Attribute

    def __init__(self, key_type: Attribute, value_type: Attribute):
        super().__init__(key_type, value_type)


@irdl_attr_definition
class DenseStringAttr(ParametrizedAttribute):
    """``#onnx.dense_string<["a", "b"], tensor<2x!onnx.String>>``."""

    name = "onnx.dense_string"
    values: ArrayAttr[StringAttr]
    type: TensorType

    def __init__(self, values: ArrayAttr[StringAttr], type: TensorType):
        super().__init__(values, type)

    def verify(self) -> None:
        n = int(np.prod(self.type.get_shape()))
        if len(self.values.data) != n:
            raise VerifyException(
                f"#onnx.dense_string holds {len(self.values.data)} strings, "
                f"its type {self.type} needs {n}"
            )

    @staticmethod
    def from_numpy(array: np.ndarray) -> DenseStringAttr:
        vals = [
            v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            for v in array.reshape(-1).tolist()
        ]
        return DenseStringAttr(
            ArrayAttr([StringAttr(v) for v in vals]),
            TensorType(StringType(), list(array.shape)),
        )

    def to_numpy(self) -> np.ndarray:
        flat = np.array([s.data for s in self.values.data] or [], dtype=object)
        return flat.reshape(self.type.get_shape())


ONNX_TYPES: Sequence[type[Attribute]] = (
    StringType,
    SeqType,
    OptType,
    MapType,
    DenseStringAttr,
)

# ---------------------------------------------------------------------------
# dtype maps
# ---------------------------------------------------------------------------

ui8 = IntegerType(8, Signedness.UNSIGNED)


def _it(width: int, unsigned: bool = False) -> IntegerType:
    return IntegerType(width, Signedness.UNSIGNED if unsigned else Signedness.SIGNLESS)


# ONNX TensorProto.DataType -> (ONNX type name, element type)
_ONNX_ELEMENTS: dict[int, tuple[str, Attribute]] = {
    1: ("float", f32),
    2: ("uint8", _it(8, True)),
    3: ("int8", _it(8)),
    4: ("uint16", _it(16, True)),
    5: ("int16", _it(16)),
    6: ("int32", _it(32)),
    7: ("int64", _it(64)),
    8: ("string", StringType()),
    9: ("bool", _it(1)),
    10: ("float16", f16),
    11: ("double", f64),
    12: ("uint32", _it(32, True)),
    13: ("uint64", _it(64, True)),
    14: ("complex64", ComplexType(f32)),
    15: ("complex128", ComplexType(f64)),
    16: ("bfloat16", bf16),
    17: ("float8e4m3fn", f8E4M3FN),
    18: ("float8e4m3fnuz", f8E4M3FNUZ),
    19: ("float8e5m2", f8E5M2),
    20: ("float8e5m2fnuz", f8E5M2FNUZ),
    21: ("uint4", _it(4, True)),
    22: ("int4", _it(4)),
    23: ("float4e2m1", f4E2M1FN),
    24: ("float8e8m0", f8E8M0FNU),
    25: ("uint2", _it(2, True)),
    26: ("int2", _it(2)),
    27: ("float6e2m3", f6E2M3FN),
    28: ("float6e3m2", f6E3M2FN),
}

ONNX_DTYPE_TO_ELEMENT: dict[int, Attribute] = {k: v[1] for k, v in _ONNX_ELEMENTS.items()}
ELEMENT_TO_ONNX_DTYPE: dict[Attribute, int] = {v[1]: k for k, v in _ONNX_ELEMENTS.items()}
ONNX_NAME_TO_ELEMENT: dict[str, Attribute] = {v[0]: v[1] for v in _ONNX_ELEMENTS.values()}
ELEMENT_TO_ONNX_NAME: dict[Attribute, str] = {v[1]: v[0] for v in _ONNX_ELEMENTS.values()}

_NUMPY: dict[Attribute, np.dtype] = {
    f32: np.dtype(np.float32),
    f64: np.dtype(np.float64),
    f16: np.dtype(np.float16),
    _it(1): np.dtype(np.bool_),
    _it(8): np.dtype(np.int8),
    _it(16): np.dtype(np.int16),
    _it(32): np.dtype(np.int32),
    _it(64): np.dtype(np.int64),
    _it(8, True): np.dtype(np.uint8),
    _it(16, True): np.dtype(np.uint16),
    _it(32, True): np.dtype(np.uint32),
    _it(64, True): np.dtype(np.uint64),
    ComplexType(f32): np.dtype(np.complex64),
    ComplexType(f64): np.dtype(np.complex128),
    StringType(): np.dtype(object),
}
if _mld is not None:
    for _et, _name in [
        (bf16, "bfloat16"),
        (f8E4M3FN, "float8_e4m3fn"),
        (f8E4M3FNUZ, "float8_e4m3fnuz"),
        (f8E5M2, "float8_e5m2"),
        (f8E5M2FNUZ, "float8_e5m2fnuz"),
        (f8E8M0FNU, "float8_e8m0fnu"),
        (f4E2M1FN, "float4_e2m1fn"),
        (f6E2M3FN, "float6_e2m3fn"),
        (f6E3M2FN, "float6_e3m2fn"),
        (_it(4), "int4"),
        (_it(4, True), "uint4"),
        (_it(2), "int2"),
        (_it(2, True), "uint2"),
    ]:
        if hasattr(_mld, _name):
            _NUMPY[_et] = np.dtype(getattr(_mld, _name))
# signed builtin integers (si8...) are accepted on input and read as signed
for _w, _dt in [(8, np.int8), (16, np.int16), (32, np.int32), (64, np.int64)]:
    _NUMPY[IntegerType(_w, Signedness.SIGNED)] = np.dtype(_dt)

_FROM_NUMPY: dict[np.dtype, Attribute] = {}
for _et, _dt in _NUMPY.items():
    if isinstance(_et, IntegerType) and _et.signedness.data == Signedness.SIGNED:
        continue
    _FROM_NUMPY.setdefault(_dt, _et)


def to_numpy_dtype(element_type: Attribute) -> np.dtype:
    """The numpy dtype of an onnx-level element type (``f32`` -> float32...)."""
    try:
        return _NUMPY[element_type]
    except KeyError:
        raise ValueError(f"no numpy dtype for element type {element_type}") from None


def from_numpy_dtype(dtype: np.dtype | type) -> Attribute:
    """The onnx-level element type of a numpy dtype (float32 -> ``f32``...)."""
    dt = np.dtype(dtype)
    if dt.kind in "US":
        return StringType()
    try:
        return _FROM_NUMPY[dt]
    except KeyError:
        raise ValueError(f"no element type for numpy dtype {dt}") from None


def onnx_dtype_to_element(onnx_dtype: int) -> Attribute:
    """TensorProto.DataType -> element type."""
    try:
        return ONNX_DTYPE_TO_ELEMENT[onnx_dtype]
    except KeyError:
        raise ValueError(f"unsupported ONNX element type {onnx_dtype}") from None


def element_to_onnx_dtype(element_type: Attribute) -> int:
    """element type -> TensorProto.DataType."""
    if isinstance(element_type, IntegerType) and element_type.signedness.data == Signedness.SIGNED:
        element_type = IntegerType(element_type.width.data)
    try:
        return ELEMENT_TO_ONNX_DTYPE[element_type]
    except KeyError:
        raise ValueError(f"element type {element_type} has no ONNX counterpart") from None


def type_to_onnx_str(t: Attribute) -> str | None:
    """The ONNX type string (``tensor(float)``, ``seq(tensor(int64))``...) of a
    type, or None where it has none (``none`` included)."""
    if isinstance(t, TensorType | UnrankedTensorType):
        et = t.element_type
        if isinstance(et, IntegerType) and et.signedness.data == Signedness.SIGNED:
            et = IntegerType(et.width.data)
        name = ELEMENT_TO_ONNX_NAME.get(et)
        return None if name is None else f"tensor({name})"
    if isinstance(t, SeqType):
        inner = type_to_onnx_str(t.element_type)
        return None if inner is None else f"seq({inner})"
    if isinstance(t, OptType):
        inner = type_to_onnx_str(t.element_type)
        return None if inner is None else f"optional({inner})"
    if isinstance(t, MapType):
        k = ELEMENT_TO_ONNX_NAME.get(t.key_type)
        v = t.value_type
        if isinstance(v, TensorType | UnrankedTensorType):
            vs = ELEMENT_TO_ONNX_NAME.get(v.element_type)
        else:
            vs = type_to_onnx_str(v)
        if k is None or vs is None:
            return None
        return f"map({k}, {vs})"
    if isinstance(t, TupleType) and len(t.types.data) == 2:
        # onnx-mlir spells map(K, V) of the ai.onnx.ml ops as tuple<K, V>
        k, v = t.types.data
        ks = ELEMENT_TO_ONNX_NAME.get(k)
        vs = ELEMENT_TO_ONNX_NAME.get(v)
        return None if ks is None or vs is None else f"map({ks}, {vs})"
    if isinstance(t, NoneType):
        return None
    return None


FLOAT_TYPES = (Float16Type, Float32Type, Float64Type, BFloat16Type)

"""Small helpers about buffers shared by bufferize and its allocation plan."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from xdsl.dialects import memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    BFloat16Type,
    DenseArrayBase,
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    IntegerAttr,
    IntegerType,
    MemRefType,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue

_FLOAT_BYTES: dict[type, int] = {
    Float16Type: 2,
    BFloat16Type: 2,
    Float32Type: 4,
    Float64Type: 8,
}


def element_bytes(t: Attribute) -> int | None:
    """Bytes one element of type ``t`` occupies in a buffer (i1 takes a byte)."""
    if isinstance(t, IntegerType):
        return max(1, (t.width.data + 7) // 8)
    if isinstance(t, IndexType):
        return 8
    return _FLOAT_BYTES.get(type(t))


def num_elements(shape: Sequence[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def byte_size(t: MemRefType | TensorType) -> int:
    eb = element_bytes(t.get_element_type())
    assert eb is not None
    return eb * num_elements(t.get_shape())


@lru_cache(maxsize=1024)
def memref_of(t: TensorType) -> MemRefType:
    """The identity-layout memref type with the shape and element type of ``t``."""
    return MemRefType(t.get_element_type(), t.get_shape())


def make_collapse(src: SSAValue, reassociation: ArrayAttr, result: MemRefType) -> Operation:
    return memref.CollapseShapeOp.build(
        operands=[src], result_types=[result], properties={"reassociation": reassociation}
    )


def make_expand(src: SSAValue, reassociation: ArrayAttr, result: MemRefType) -> Operation:
    return memref.ExpandShapeOp.build(
        operands=[src, []],
        result_types=[result],
        properties={
            "reassociation": reassociation,
            "static_output_shape": DenseArrayBase.from_list(i64, result.get_shape()),
        },
    )


def flat_reassociation(rank: int) -> ArrayAttr:
    """``[[0, 1, ..., rank-1]]``: collapse every dimension into one."""
    return ArrayAttr([ArrayAttr([IntegerAttr(i, 64) for i in range(rank)])])

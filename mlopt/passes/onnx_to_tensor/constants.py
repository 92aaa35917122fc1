"""Constants and generated sequences: Constant, ConstantOfShape, Range, EyeLike, Shape, Size."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, DenseResourceAttr

from xdsl.dialects.builtin import BFloat16Type, Float16Type, IndexType
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    constant_array,
    generic,
    kind_of,
    lowering,
    numpy_dtype,
)


@lowering("Constant", honours=("value", "value_float", "value_floats", "value_int", "value_ints"))
def lower_constant(em: Emitter, op):
    out_t = op.results[0].type
    em.out_shape()
    a = op.attributes.get("value") or op.properties.get("value")
    if 0 in em.out_shape():
        return em.empty(em.out_shape(), em.out_elt())
    if isinstance(a, DenseIntOrFPElementsAttr) and a.type == out_t:
        # keep the byte buffer as is
        return em.add(arith.ConstantOp(a, out_t))
    if isinstance(a, DenseResourceAttr) and a.type == out_t:
        arr = constant_array(op.results[0])
        if arr is None:
            raise em.fail("cannot read the data of this constant")
        return em.dense(arr.reshape(em.out_shape()), em.out_elt())
    arr = constant_array(op.results[0])
    if arr is None:
        raise em.fail("unsupported constant attribute (sparse or string data?)")
    return em.dense(np.asarray(arr).reshape(em.out_shape()), em.out_elt())


@lowering("ConstantOfShape", honours=("value",))
def lower_constant_of_shape(em: Emitter, op):
    shape = em.out_shape()
    elt = em.out_elt()
    v = em.attr("value")
    val = 0 if v is None else np.asarray(v).reshape(-1)[0].item()
    return em.filled(shape, elt, val)


@lowering("Range", honours=("stash_type",))
def lower_range(em: Emitter, op):
    """``out[i] = start + i * delta``, computed by the generated code.

    The length comes from the (static) result type; shape inference computes it
    from the compile-time values of start, limit and delta. start and delta are
    read as operands, so a Range fed by a call's inputs is computed at run time."""
    shape = em.out_shape()
    if len(shape) != 1 or shape[0] < 0:
        raise em.fail("Range needs a result length known at compile time (start, limit and delta constant)")
    elt = em.out_elt()
    scalar = AffineMap(1, 0, ())
    start, delta = op.operands[0], op.operands[2]
    for v, what in ((start, "start"), (delta, "delta")):
        if int(np.prod(em.shape(v), dtype=np.int64)) != 1:
            raise em.fail(f"Range {what} must be a scalar")
    start, delta = (em.reshape(v, ()) if em.shape(v) != () else v for v in (start, delta))
    k = kind_of(elt)
    # f16 / bf16 ranges are computed in the stash type (default float32)
    work = elt
    if isinstance(elt, Float16Type | BFloat16Type):
        from mlopt.passes.onnx_to_tensor.normalization import stash_elt

        work = stash_elt(em)

    def body(b: Body, s, d, _out):
        i = b.cast(b.index(0), IndexType(), work)
        s, d = b.cast(s, elt, work), b.cast(d, elt, work)
        return b.cast(b.add_(s, b.mul(i, d, k), k), work, elt)

    return generic(em, [start, delta], [scalar, scalar], shape, elt, body)


@lowering("EyeLike", honours=("dtype", "k"))
def lower_eye_like(em: Emitter, op):
    shape = em.out_shape()
    k = em.attr("k", 0)
    arr = np.eye(shape[0], shape[1], k=k).astype(numpy_dtype(em.out_elt()))
    return em.dense(arr, em.out_elt())


@lowering("Shape", honours=("end", "start"))
def lower_shape(em: Emitter, op):
    shape = em.shape(op.operands[0])
    rank = len(shape)
    start = em.attr("start", 0)
    end = em.attr("end", None)
    start = max(0, min(rank, start + rank if start < 0 else start))
    if end is None:
        end = rank
    end = max(0, min(rank, end + rank if end < 0 else end))
    arr = np.array(shape[start:end], dtype=np.int64)
    return em.dense(arr, em.out_elt())


@lowering("Size", honours=())
def lower_size(em: Emitter, op):
    n = int(np.prod(em.shape(op.operands[0])))
    return em.dense(np.array(n, dtype=np.int64), em.out_elt())


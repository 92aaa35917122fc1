"""``onnx-constant-fold``: evaluate onnx ops on constants at compile time.

Accepts onnx-level IR (contract A). An op whose present operands are all
produced by ``onnx.Constant`` is evaluated (numpy implementations of the common
ops, ``onnx.reference`` on a one-node model otherwise) and replaced by
``onnx.Constant`` ops whose payload is a byte-buffer dense attribute.
``Shape`` and ``Size`` of statically shaped values fold too, so the
Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains of PyTorch exports
collapse into a constant shape. Random ops are never folded, and nothing
is folded whose result would hold more than ``size-limit`` elements.
Constants left without uses are erased. A constant marked ``mlopt.specialized``
(a call's input value, see ``mlopt.backends.runtime``) folds into an op only
when that op is marked ``mlopt.shape_chain``, and the result stays marked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, UnitAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from mlopt.passes.onnx_opt.common import (
    SHAPE_CHAIN_ATTR,
    SPECIALIZED_ATTR,
    constant_array,
    derived_name,
    elem_type,
    get_attr,
    is_none,
    is_onnx_op,
    is_specialized,
    make_constant,
    op_type,
    to_numpy_dtype,
    value_shape,
)
from mlopt.passes.onnx_opt.evaluate import NONDETERMINISTIC, evaluate

DEFAULT_SIZE_LIMIT = 1 << 20
# Ops that never fold (besides the random ones): they are already constants,
# have side effects, or carry graphs.
NEVER_FOLD = NONDETERMINISTIC | {"Constant", "NoValue", "Yield", "Custom", "If", "Loop", "Scan"}


def _static_shape(v: SSAValue) -> tuple[int, ...] | None:
    s = value_shape(v)
    return s if s is not None and all(d >= 0 for d in s) else None


def _fold_partial_shape(op: Operation) -> list[np.ndarray] | None:
    """Gather/Slice of ``Shape(x)`` that only picks static dims of a partly
    dynamic ``x`` (e.g. ``x.size(1)`` of a dynamic-batch model)."""
    shape_op = op.operands[0].owner
    if not isinstance(shape_op, Operation) or shape_op.name != "onnx.Shape":
        return None
    dims = value_shape(shape_op.operands[0])
    if dims is None or all(d >= 0 for d in dims):
        return None  # unknown rank, or the Shape folds by itself
    r = len(dims)
    start = get_attr(shape_op, "start", 0)
    end = get_attr(shape_op, "end", None)
    start = min(max(start + r if start < 0 else start, 0), r)
    end = r if end is None else min(max(end + r if end < 0 else end, 0), r)
    vec = np.array(dims[start:end], np.int64)  # -1 marks a dynamic dim
    rest: list[np.ndarray | None] = []
    for v in op.operands[1:]:
        if is_none(v):
            rest.append(None)
            continue
        a = constant_array(v)
        if a is None:
            return None
        rest.append(a)
    if op.name == "onnx.Gather" and rest and rest[0] is not None:
        idx = np.asarray(rest[0])
        if np.any((idx < -vec.size) | (idx >= vec.size)):
            return None
    outs = evaluate(op, [vec, *rest], allow_reference=False)
    if not outs or outs[0] is None or np.any(outs[0] < 0):
        return None  # picked a dynamic dim
    return outs


def fold_op(
    op: Operation, size_limit: int = DEFAULT_SIZE_LIMIT, reference: bool = True
) -> list[np.ndarray] | None:
    """The constant results of ``op`` when it can be folded, else None.

    An op reading a value-specialised constant (a call's input, see
    ``mlopt.backends.runtime``) folds only when it is marked as part of the
    chain that computes a compile-time operand (``mlopt.shape_chain``): the data
    of a model's outputs is never computed here from a call's inputs."""
    t = op_type(op)
    if t in NEVER_FOLD or op.regions or not op.results:
        return None
    if SHAPE_CHAIN_ATTR not in op.attributes and any(is_specialized(v) for v in op.operands):
        return None
    if t in ("Shape", "Size") and op.operands:
        shape = _static_shape(op.operands[0])
        if shape is not None:
            dummy = np.broadcast_to(np.zeros((), np.int8), shape)
            return evaluate(op, [dummy], allow_reference=False)
    if t in ("Gather", "Slice") and op.operands:
        partial = _fold_partial_shape(op)
        if partial is not None:
            return partial
    if t == "CastLike" and len(op.operands) == 2:
        arr = constant_array(op.operands[0])
        et = elem_type(op.operands[1].type)
        if arr is None or et is None or arr.dtype == object or arr.size > size_limit:
            return None
        try:
            return [np.asarray(arr).astype(to_numpy_dtype(et))]
        except Exception:
            return None
    inputs: list[np.ndarray | None] = []
    for v in op.operands:
        if is_none(v):
            inputs.append(None)
            continue
        arr = constant_array(v)
        if arr is None or arr.dtype == object:
            return None
        inputs.append(arr)
    # Do not materialize results larger than the limit (checked on known types first).
    for r in op.results:
        s = _static_shape(r)
        if s is not None and int(np.prod(s, dtype=np.int64)) > size_limit:
            return None
    if t == "ConstantOfShape" and inputs and inputs[0] is not None:
        if int(np.prod(inputs[0], dtype=np.int64)) > size_limit:
            return None
    if t in ("Expand", "Tile") and inputs[1] is not None:
        est = int(np.prod(np.abs(inputs[1]), dtype=np.int64)) * (
            max(inputs[0].size, 1) if t == "Tile" else 1
        )
        if est > size_limit:
            return None
    outs = evaluate(op, inputs, allow_reference=reference)
    if outs is None:
        return None
    for r, a in zip(op.results, outs):
        if a is None:
            continue
        if a.size > size_limit:
            return None
        s = value_shape(r)
        if s is not None and (
            len(s) != a.ndim or any(d >= 0 and d != e for d, e in zip(s, a.shape))
        ):
            return None  # disagrees with the declared type: leave it to the verifier/lowering
    return outs


def _fold_block(block: Block, size_limit: int, rewriter: Rewriter, reference: bool) -> bool:
    changed = False
    for op in list(block.ops):
        for region in op.regions:
            for b in region.blocks:
                changed |= _fold_block(b, size_limit, rewriter, reference)
        if not is_onnx_op(op):
            continue
        outs = fold_op(op, size_limit, reference)
        if outs is None:
            continue
        if any(a is None and r.uses for r, a in zip(op.results, outs)):
            continue
        operands = [v for v in op.operands]
        new_values: list[SSAValue | None] = []
        for r, a in zip(op.results, outs):
            if a is None or is_none(r):
                new_values.append(None)
                continue
            const = make_constant(a, elem_type(r.type))
            if "onnx_node_name" in op.attributes:
                multi = len(op.results) > 1
                const.attributes["onnx_node_name"] = derived_name(op, str(r.index) if multi else None)
            const.location = op.location
            if any(is_specialized(v) for v in operands):
                const.attributes[SPECIALIZED_ATTR] = UnitAttr()
            rewriter.insert_op(const, InsertPoint.before(op))
            new_values.append(const.results[0])
        for r, v in zip(op.results, new_values):
            if v is not None:
                r.replace_all_uses_with(v)
        rewriter.erase_op(op, safe_erase=False)
        for v in operands:
            _erase_if_dead(v, rewriter)
        changed = True
    return changed


def _erase_if_dead(v: SSAValue, rewriter: Rewriter) -> None:
    owner = v.owner
    if (
        isinstance(owner, Operation)
        and owner.name in ("onnx.Constant", "onnx.NoValue")
        and owner.parent is not None
        and not any(r.uses for r in owner.results)
    ):
        rewriter.erase_op(owner)


def constant_fold(
    module: ModuleOp, size_limit: int = DEFAULT_SIZE_LIMIT, reference: bool = True
) -> ModuleOp:
    rewriter = Rewriter()
    for op in list(module.walk()):
        if isinstance(op, func.FuncOp) and not op.is_declaration:
            changed = False
            for block in op.body.blocks:
                changed |= _fold_block(block, size_limit, rewriter, reference)
            if changed and op.get_return_op() is not None:
                op.update_function_type()
    return module


@dataclass(frozen=True)
class OnnxConstantFoldPass(ModulePass):
    """Replace onnx ops computable at compile time by ``onnx.Constant``.

    Options: ``size-limit`` (default 1048576): the largest number of elements a
    folded result may have; ``reference`` (default true): evaluate ops that
    have no numpy implementation here with ``onnx.reference`` (the runtime
    turns it off when it compiles a variant at a call)."""

    name = "onnx-constant-fold"

    size_limit: int = DEFAULT_SIZE_LIMIT
    reference: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        constant_fold(op, self.size_limit, self.reference)

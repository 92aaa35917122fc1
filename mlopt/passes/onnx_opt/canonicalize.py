"""``onnx-canonicalize``: local simplifications of onnx-level IR.

Accepts onnx-level IR (contract A) and produces equivalent onnx-level IR:

* Identity, inference-mode Dropout (a used mask becomes all-true), Cast to
  the same type, identity Transpose, Reshape/Flatten/Expand to the input's
  own static shape, zero Pad, single-input Concat/Sum/Max/Min/Mean are removed;
* Reshape chains merge; Transpose chains merge (inverse pairs cancel);
  Squeeze(Unsqueeze(x)) / Unsqueeze(Squeeze(x)) over the same axes cancel;
* BatchNormalization (inference) with constant parameters folds into a
  preceding Conv or Gemm with constant weights whose only use it is, and
  otherwise becomes Mul + Add with constant scale and shift;
* MatMul of a 2-D input by a constant 2-D weight followed by Add of a
  constant bias becomes Gemm; Mul/Add by a constant per-channel vector fold
  into a preceding Conv's weights/bias; chains of Mul/Add by constants merge; a zero constant Pad of spatial dims folds into the
  following Conv's pads; nested Concats on the same axis flatten;
* x+0, x-0, x*1, x/1, x^1 (same type) and full forward Slices are removed;
* If with a constant condition is replaced by its taken branch;
* ops whose results are unused are erased (dead code).

Every rewrite keeps the result types of the values it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)

from mlopt.passes.node_names import mark_fused
from mlopt.passes.onnx_opt.common import (
    constant_array,
    dense_attr,
    elem_type,
    get_attr,
    is_none,
    is_onnx_op,
    make_constant,
    make_onnx_op,
    to_numpy_dtype,
    value_shape,
)


def _static(v: SSAValue) -> tuple[int, ...] | None:
    s = value_shape(v)
    return s if s is not None and all(d >= 0 for d in s) else None


def _producer(v: SSAValue, name: str) -> Operation | None:
    owner = v.owner
    if isinstance(owner, Operation) and owner.name == name:
        return owner
    return None


def _single_use(v: SSAValue) -> bool:
    return v.has_one_use()


def _results_unused(op: Operation, start: int = 1) -> bool:
    return all(is_none(r) or not r.uses for r in list(op.results)[start:])


def _replace_with_value(op: Operation, value: SSAValue, rewriter: PatternRewriter) -> None:
    """Forward ``value`` for result 0 of ``op`` when their types agree."""
    if value.type != op.results[0].type:
        return
    rewriter.replace(op, [], [value] + [None] * (len(op.results) - 1))


def _const(rewriter: PatternRewriter, arr: np.ndarray, et=None) -> SSAValue:
    c = make_constant(arr, et)
    rewriter.insert(c)
    return c.results[0]


class ForwardIdentityLike(RewritePattern):
    """Identity, Dropout in inference mode, Cast to the same type, identity
    Transpose, no-op Reshape/Flatten/Expand/Pad, single-operand variadics."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        name = op.name
        if not name.startswith("onnx.") or not op.operands or is_none(op.operands[0]):
            return
        t = name[5:]
        x = op.operands[0]
        if t == "Identity":
            _replace_with_value(op, x, rewriter)
        elif t == "Dropout":
            training = op.operands[2] if len(op.operands) > 2 else None
            if training is not None and not is_none(training):
                v = constant_array(training)
                if v is None or bool(np.asarray(v).reshape(-1)[0]):
                    return
            if _results_unused(op):
                _replace_with_value(op, x, rewriter)
            elif x.type == op.results[0].type and _static(op.results[1]) is not None:
                # inference mode: the mask is all true
                shape = _const(rewriter, np.array(_static(op.results[1]), np.int64))
                mask = make_onnx_op(
                    "ConstantOfShape", [shape], [op.results[1].type],
                    {"value": dense_attr(np.ones(1, np.bool_))}, like=op, name_suffix="mask",
                )
                rewriter.insert(mask)
                rewriter.replace(op, [], [x, mask.results[0]])
        elif t in ("Cast", "CastLike"):
            _replace_with_value(op, x, rewriter)
        elif t == "Transpose":
            perm = get_attr(op, "perm", None)
            s = value_shape(x)
            if perm is not None and list(perm) == list(range(len(perm))):
                _replace_with_value(op, x, rewriter)
            elif perm is None and s is not None and len(s) <= 1:
                _replace_with_value(op, x, rewriter)
        elif t in ("Reshape", "Flatten", "Expand", "Squeeze", "Unsqueeze", "Tile"):
            if _static(x) is not None and x.type == op.results[0].type:
                if t == "Expand" or t == "Tile":
                    return self._maybe_noop_broadcast(op, x, rewriter)
                _replace_with_value(op, x, rewriter)
        elif t == "Pad":
            pads = constant_array(op.operands[1])
            if pads is not None and not np.any(pads):
                _replace_with_value(op, x, rewriter)
        elif t in ("Concat", "Sum", "Max", "Min", "Mean"):
            if len(op.operands) == 1:
                _replace_with_value(op, x, rewriter)
        elif t == "Slice":
            # same static type and only forward steps: takes everything
            steps = op.operands[4] if len(op.operands) > 4 else None
            if _static(x) is None or x.type != op.results[0].type:
                return
            if steps is not None and not is_none(steps):
                st = constant_array(steps)
                if st is None or np.any(st <= 0):
                    return
            _replace_with_value(op, x, rewriter)
        elif t in ("Add", "Sub", "Mul", "Div", "Pow"):
            self._neutral_operand(op, rewriter)

    @staticmethod
    def _neutral_operand(op: Operation, rewriter: PatternRewriter) -> None:
        """x + 0, 0 + x, x - 0, x * 1, 1 * x, x / 1, x ^ 1 -> x (same type)."""
        t = op.name[5:]
        neutral = 0 if t in ("Add", "Sub") else 1
        sides = (0, 1) if t in ("Add", "Mul") else (0,)
        for keep in sides:
            other = constant_array(op.operands[1 - keep])
            if other is None or other.dtype == object or other.size == 0:
                continue
            if np.all(other == neutral) and op.operands[keep].type == op.results[0].type:
                _replace_with_value(op, op.operands[keep], rewriter)
                return

    @staticmethod
    def _maybe_noop_broadcast(op: Operation, x: SSAValue, rewriter: PatternRewriter) -> None:
        # Expand/Tile keep the shape: a no-op (Tile only with all repeats 1).
        if op.name == "onnx.Tile":
            reps = constant_array(op.operands[1])
            if reps is None or np.any(reps != 1):
                return
        _replace_with_value(op, x, rewriter)


class MergeReshapes(RewritePattern):
    """Reshape(Reshape(x, s1), s2) -> Reshape(x, s2) (also through Flatten)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Reshape":
            return
        inner = op.operands[0].owner
        if not isinstance(inner, Operation) or inner.name not in ("onnx.Reshape", "onnx.Flatten"):
            return
        shape = constant_array(op.operands[1])
        if shape is None:
            return
        if not get_attr(op, "allowzero", 0) and np.any(shape == 0):
            mid = _static(op.operands[0])
            if mid is None:
                return
            shape = np.array([mid[i] if d == 0 else d for i, d in enumerate(shape)], np.int64)
            if np.any(shape == 0):
                return
        src = inner.operands[0]
        new_shape = _const(rewriter, np.asarray(shape, np.int64))
        new = make_onnx_op("Reshape", [src, new_shape], [op.results[0].type], like=op)
        rewriter.replace(op, new)


class MergeTransposes(RewritePattern):
    """Transpose(Transpose(x, p1), p2) -> Transpose(x, p1[p2]) or x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Transpose":
            return
        inner = _producer(op.operands[0], "onnx.Transpose")
        if inner is None:
            return
        src = inner.operands[0]
        rank = len(value_shape(src) or ())
        p1 = get_attr(inner, "perm", None)
        p2 = get_attr(op, "perm", None)
        if p1 is None or p2 is None:
            if value_shape(src) is None:
                return
            p1 = p1 or list(range(rank))[::-1]
            p2 = p2 or list(range(rank))[::-1]
        perm = [p1[i] for i in p2]
        if perm == list(range(len(perm))):
            _replace_with_value(op, src, rewriter)
            return
        from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, i64

        new = make_onnx_op(
            "Transpose",
            [src],
            [op.results[0].type],
            {"perm": ArrayAttr([IntegerAttr(p, i64) for p in perm])},
            like=op,
        )
        rewriter.replace(op, new)


def _axes(op: Operation) -> list[int] | None:
    if len(op.operands) > 1 and not is_none(op.operands[1]):
        a = constant_array(op.operands[1])
        return None if a is None else [int(v) for v in a.reshape(-1)]
    a = get_attr(op, "axes", None)
    return list(a) if a is not None else None


class CancelSqueezeUnsqueeze(RewritePattern):
    """Squeeze(Unsqueeze(x, a), a) -> x and Unsqueeze(Squeeze(x, a), a) -> x."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        pairs = {"onnx.Squeeze": "onnx.Unsqueeze", "onnx.Unsqueeze": "onnx.Squeeze"}
        if op.name not in pairs:
            return
        inner = _producer(op.operands[0], pairs[op.name])
        if inner is None:
            return
        src = inner.operands[0]
        if src.type != op.results[0].type:
            return
        a_out, a_in = _axes(op), _axes(inner)
        if not a_out or not a_in:
            return
        # normalise against the rank that has the axes (the unsqueezed one)
        wide = op.operands[0] if op.name == "onnx.Squeeze" else op.results[0]
        s = value_shape(wide)
        if s is None:
            return
        r = len(s)
        if sorted(a % r for a in a_out) == sorted(a % r for a in a_in):
            _replace_with_value(op, src, rewriter)


def _bn_params(bn: Operation) -> tuple[np.ndarray, np.ndarray] | None:
    """(factor, shift) with BN(x) = x * factor + shift per channel, or None."""
    if not _results_unused(bn):
        return None
    if get_attr(bn, "training_mode", 0):
        return None
    vals = [constant_array(v) for v in bn.operands[1:5]]
    if any(v is None for v in vals):
        return None
    scale, bias, mean, var = (np.asarray(v, np.float64).reshape(-1) for v in vals)  # type: ignore[union-attr]
    if not scale.size == bias.size == mean.size == var.size:
        return None
    eps = float(get_attr(bn, "epsilon", 1e-5))
    factor = scale / np.sqrt(var + eps)
    shift = bias - mean * factor
    return factor, shift


class FoldBatchNormIntoConvGemm(RewritePattern):
    """BatchNormalization(Conv(x, W, B)) -> Conv(x, W*f, (B-mean)*f+bias) and
    the same for Gemm (scaling the output-feature axis of B/C)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.BatchNormalization":
            return
        prod = op.operands[0].owner
        if not isinstance(prod, Operation) or prod.name not in ("onnx.Conv", "onnx.Gemm"):
            return
        if not _single_use(op.operands[0]):
            return
        params = _bn_params(op)
        if params is None:
            return
        factor, shift = params
        et = elem_type(op.results[0].type)
        w = constant_array(prod.operands[1])
        if w is None or et is None:
            return
        dtype = to_numpy_dtype(et)
        b_val = prod.operands[2]
        b = None if is_none(b_val) else constant_array(b_val)
        if not is_none(b_val) and b is None:
            return
        if prod.name == "onnx.Conv":
            cout = w.shape[0]
            if factor.size != cout:
                return
            new_w = w.astype(np.float64) * factor.reshape((cout,) + (1,) * (w.ndim - 1))
            b0 = np.zeros(cout) if b is None else np.asarray(b, np.float64).reshape(-1)
            new_b = b0 * factor + shift
            attrs = dict(prod.attributes)
        else:
            trans_b = bool(get_attr(prod, "transB", 0))
            cout = w.shape[0] if trans_b else w.shape[1]
            if w.ndim != 2 or factor.size != cout:
                return
            new_w = w.astype(np.float64) * (factor[:, None] if trans_b else factor[None, :])
            beta = float(get_attr(prod, "beta", 1.0))
            if b is None:
                b0 = np.zeros(cout)
            else:
                b = np.asarray(b, np.float64)
                if b.ndim == 2 and b.shape[0] != 1:
                    return  # per-row bias: not expressible per channel
                b0 = np.broadcast_to(b.reshape(-1), (cout,)) * beta
            new_b = b0 * factor + shift
            attrs = dict(prod.attributes)
            from xdsl.dialects.builtin import FloatAttr, f32

            attrs["beta"] = FloatAttr(1.0, f32)
        w_c = _const(rewriter, new_w.astype(dtype), elem_type(prod.operands[1].type))
        b_c = _const(rewriter, new_b.astype(dtype), et)
        new = make_onnx_op(
            prod.name[5:], [prod.operands[0], w_c, b_c], [op.results[0].type], attrs, like=prod
        )
        mark_fused(new, prod, op)
        rewriter.replace(op, new, [new.results[0]] + [None] * (len(op.results) - 1))
        if not prod.results[0].uses:
            rewriter.erase(prod)


class BatchNormToMulAdd(RewritePattern):
    """Inference BatchNormalization with constant parameters -> Mul + Add."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.BatchNormalization":
            return
        prod = op.operands[0].owner
        if (
            isinstance(prod, Operation)
            and prod.name in ("onnx.Conv", "onnx.Gemm")
            and _single_use(op.operands[0])
            and constant_array(prod.operands[1]) is not None
        ):
            return  # FoldBatchNormIntoConvGemm handles it
        x = op.operands[0]
        s = value_shape(x)
        et = elem_type(op.results[0].type)
        if s is None or len(s) < 2 or et is None:
            return
        params = _bn_params(op)
        if params is None:
            return
        factor, shift = params
        if s[1] != factor.size or shift.size != factor.size:
            return  # malformed: leave it to the lowering's diagnostics
        dtype = to_numpy_dtype(et)
        bshape = (factor.size,) + (1,) * (len(s) - 2)
        f_c = _const(rewriter, factor.reshape(bshape).astype(dtype), et)
        s_c = _const(rewriter, shift.reshape(bshape).astype(dtype), et)
        ty = op.results[0].type
        mul = make_onnx_op("Mul", [x, f_c], [ty], like=op, name_suffix="scale")
        add = make_onnx_op("Add", [mul.results[0], s_c], [ty], like=op)
        rewriter.replace(op, [mul, add], [add.results[0]] + [None] * (len(op.results) - 1))


class MatMulAddToGemm(RewritePattern):
    """Add(MatMul(x, W), b) with 2-D x, constant 2-D W and constant b -> Gemm."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Add":
            return
        from xdsl.dialects.builtin import AnyFloat

        if not isinstance(elem_type(op.results[0].type), AnyFloat):
            return  # Gemm is for floating point (and 32/64-bit ints only)
        for mm_idx in (0, 1):
            mm = _producer(op.operands[mm_idx], "onnx.MatMul")
            if mm is None or not _single_use(op.operands[mm_idx]):
                continue
            bias_v = op.operands[1 - mm_idx]
            bias = constant_array(bias_v)
            xs = value_shape(mm.operands[0])
            w = constant_array(mm.operands[1])
            out = _static(op.results[0])
            if bias is None or w is None or xs is None or len(xs) != 2 or w.ndim != 2:
                continue
            if bias.ndim > 2 or out is None or value_shape(mm.results[0]) != out:
                continue
            try:
                if np.broadcast_shapes(bias.shape, out) != out:
                    continue
            except ValueError:
                continue
            new = make_onnx_op(
                "Gemm", [mm.operands[0], mm.operands[1], bias_v], [op.results[0].type], like=mm
            )
            mark_fused(new, mm, op)
            rewriter.replace(op, new)
            if not mm.results[0].uses:
                rewriter.erase(mm)
            return


class FoldConstantIf(RewritePattern):
    """If with a constant condition -> the taken branch, inlined."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.If":
            return
        cond = constant_array(op.operands[0])
        if cond is None or cond.size != 1:
            return
        info = getattr(type(op), "SCHEMA", None)
        names = list(getattr(info, "graph_attrs", ("else_branch", "then_branch")))
        wanted = "then_branch" if bool(cond.reshape(-1)[0]) else "else_branch"
        if wanted not in names or len(op.regions) != len(names):
            return
        region = op.regions[names.index(wanted)]
        block = region.blocks.first
        if block is None or len(region.blocks) != 1 or block.args:
            return
        term = block.last_op
        if term is None or term.name != "onnx.Yield" or len(term.operands) != len(op.results):
            return
        values = list(term.operands)
        if any(v.type != r.type for v, r in zip(values, op.results)):
            return
        rewriter.erase(term)
        rewriter.inline_block(block, InsertPoint.before(op))
        rewriter.replace(op, [], values)


class FoldAddIntoConvBias(RewritePattern):
    """Add(Conv(x, W, B), c) with a constant per-output-channel c -> Conv(x, W, B + c)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Add":
            return
        for ci in (0, 1):
            conv = _producer(op.operands[ci], "onnx.Conv")
            if conv is None or not _single_use(op.operands[ci]):
                continue
            c = constant_array(op.operands[1 - ci])
            out = _static(conv.results[0])
            if c is None or out is None or op.results[0].type != conv.results[0].type:
                continue
            cout = out[1]
            add = _per_channel(c, out)
            if add is None:
                continue
            b_val = conv.operands[2]
            b = np.zeros(cout) if is_none(b_val) else constant_array(b_val)
            if b is None:
                continue
            et = elem_type(op.results[0].type)
            new_b = _const(rewriter, (np.asarray(b, np.float64).reshape(-1) + add).astype(to_numpy_dtype(et)), et)
            new = make_onnx_op(
                "Conv", [conv.operands[0], conv.operands[1], new_b], [op.results[0].type],
                dict(conv.attributes), like=conv,
            )
            mark_fused(new, conv, op)
            rewriter.replace(op, new)
            if not conv.results[0].uses:
                rewriter.erase(conv)
            return


def _per_channel(c: np.ndarray, out: tuple[int, ...]) -> np.ndarray | None:
    """``c`` as a [Cout] vector when it broadcasts per output channel of a
    Conv result ``out`` ([N, Cout, spatial...]); else None."""
    shape = tuple(c.shape)
    spatial = len(out) - 2
    while len(shape) > spatial + 1 and shape[0] == 1:
        shape = shape[1:]
    if len(shape) < spatial + 1:
        shape = (1,) * (spatial + 1 - len(shape)) + shape
    if len(shape) != spatial + 1 or any(d != 1 for d in shape[1:]) or shape[0] not in (1, out[1]):
        return None
    return np.broadcast_to(np.asarray(c, np.float64).reshape(-1), (out[1],))


class FoldMulIntoConv(RewritePattern):
    """Mul(Conv(x, W, B), c) with constant W (and B) and a constant
    per-output-channel c -> Conv(x, W * c, B * c)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Mul":
            return
        for ci in (0, 1):
            conv = _producer(op.operands[ci], "onnx.Conv")
            if conv is None or not _single_use(op.operands[ci]):
                continue
            c = constant_array(op.operands[1 - ci])
            w = constant_array(conv.operands[1])
            out = _static(conv.results[0])
            if c is None or w is None or out is None or op.results[0].type != conv.results[0].type:
                continue
            f = _per_channel(c, out)
            b_val = conv.operands[2]
            b = None if is_none(b_val) else constant_array(b_val)
            if f is None or (not is_none(b_val) and b is None) or w.shape[0] != out[1]:
                continue
            et = elem_type(op.results[0].type)
            dtype = to_numpy_dtype(et)
            new_w = w.astype(np.float64) * f.reshape((-1,) + (1,) * (w.ndim - 1))
            w_c = _const(rewriter, new_w.astype(w.dtype), elem_type(conv.operands[1].type))
            b_new = b_val
            if b is not None:
                b_new = _const(rewriter, (np.asarray(b, np.float64).reshape(-1) * f).astype(dtype), et)
            new = make_onnx_op(
                "Conv", [conv.operands[0], w_c, b_new], [op.results[0].type],
                dict(conv.attributes), like=conv,
            )
            mark_fused(new, conv, op)
            rewriter.replace(op, new)
            if not conv.results[0].uses:
                rewriter.erase(conv)
            return


class MergeAffineConstants(RewritePattern):
    """Chains of Mul/Add by constants: Mul(Mul(x,a),b) -> Mul(x,a*b),
    Add(Add(x,a),b) -> Add(x,a+b), Mul(Add(x,a),b) -> Add(Mul(x,b),a*b)
    (floating point; only when the result type is unchanged)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        from xdsl.dialects.builtin import AnyFloat

        if op.name not in ("onnx.Mul", "onnx.Add"):
            return
        et = elem_type(op.results[0].type)
        out = _static(op.results[0])
        if not isinstance(et, AnyFloat) or out is None:
            return
        for ii in (0, 1):
            inner = op.operands[ii].owner
            if not isinstance(inner, Operation) or inner.name not in ("onnx.Mul", "onnx.Add"):
                continue
            if not _single_use(op.operands[ii]):
                continue
            b = constant_array(op.operands[1 - ii])
            if b is None:
                continue
            for xi in (0, 1):
                a = constant_array(inner.operands[1 - xi])
                x = inner.operands[xi]
                if a is None or constant_array(x) is not None or x.type != op.results[0].type:
                    continue
                a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
                if inner.name == op.name:
                    merged = a64 * b64 if op.name == "onnx.Mul" else a64 + b64
                    if not self._fits(merged, out):
                        continue
                    c = _const(rewriter, merged.astype(to_numpy_dtype(et)), et)
                    new = make_onnx_op(op.name[5:], [x, c], [op.results[0].type], like=op)
                    rewriter.replace(op, new)
                    return
                if inner.name == "onnx.Add" and op.name == "onnx.Mul":
                    shifted = a64 * b64
                    if not self._fits(b64, out) or not self._fits(shifted, out):
                        continue
                    bc = _const(rewriter, b64.astype(to_numpy_dtype(et)), et)
                    sc = _const(rewriter, shifted.astype(to_numpy_dtype(et)), et)
                    ty = op.results[0].type
                    mul = make_onnx_op("Mul", [x, bc], [ty], like=op, name_suffix="scale")
                    add = make_onnx_op("Add", [mul.results[0], sc], [ty], like=op)
                    rewriter.replace(op, [mul, add], [add.results[0]])
                    return

    @staticmethod
    def _fits(c: np.ndarray, out: tuple[int, ...]) -> bool:
        try:
            return c.ndim <= len(out) and np.broadcast_shapes(c.shape, out) == out
        except ValueError:
            return False


class FoldPadIntoConv(RewritePattern):
    """Conv(Pad(x, p) [constant mode, zero value, spatial dims only]) -> Conv
    with the pads added (pooling is left alone: its padding is not zero)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Conv":
            return
        pad = _producer(op.operands[0], "onnx.Pad")
        if pad is None or get_attr(pad, "mode", "constant") != "constant":
            return
        if (get_attr(op, "auto_pad", "NOTSET") or "NOTSET") != "NOTSET":
            return
        pads = constant_array(pad.operands[1])
        x = pad.operands[0]
        xs = value_shape(x)
        if pads is None or xs is None:
            return
        value = pad.operands[2] if len(pad.operands) > 2 else None
        if value is not None and not is_none(value):
            v = constant_array(value)
            if v is None or np.any(v != 0):
                return
        rank = len(xs)
        axes_v = pad.operands[3] if len(pad.operands) > 3 else None
        if axes_v is not None and not is_none(axes_v):
            axes = constant_array(axes_v)
            if axes is None:
                return
            axes_l = [int(a) % rank for a in axes.reshape(-1)]
        else:
            axes_l = list(range(rank))
        pads = [int(p) for p in pads.reshape(-1)]
        n = len(axes_l)
        full = [0] * (2 * rank)
        for i, a in enumerate(axes_l):
            full[a], full[a + rank] = pads[i], pads[i + n]
        if any(p < 0 for p in full) or full[0] or full[1] or full[rank] or full[rank + 1]:
            return
        sp = rank - 2
        conv_pads = list(get_attr(op, "pads", None) or [0] * (2 * sp))
        new_pads = [conv_pads[i] + full[2 + i] for i in range(sp)] + [
            conv_pads[sp + i] + full[rank + 2 + i] for i in range(sp)
        ]
        from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, i64

        attrs = dict(op.attributes)
        attrs["pads"] = ArrayAttr([IntegerAttr(p, i64) for p in new_pads])
        new = make_onnx_op("Conv", [x, *op.operands[1:]], [op.results[0].type], attrs, like=op)
        rewriter.replace(op, new)


class FlattenConcat(RewritePattern):
    """Concat(a, Concat(b, c), d) on the same axis -> Concat(a, b, c, d)."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if op.name != "onnx.Concat":
            return
        axis = get_attr(op, "axis")
        rank = len(value_shape(op.results[0]) or ()) or None
        operands: list[SSAValue] = []
        changed = False
        for v in op.operands:
            inner = _producer(v, "onnx.Concat")
            if inner is not None and _single_use(v) and rank is not None:
                ia = get_attr(inner, "axis")
                if ia % rank == axis % rank:
                    operands.extend(inner.operands)
                    changed = True
                    continue
            operands.append(v)
        if not changed:
            return
        new = make_onnx_op("Concat", operands, [op.results[0].type], dict(op.attributes), like=op)
        rewriter.replace(op, new)


class EraseDead(RewritePattern):
    """Erase onnx ops whose results are all unused."""

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not (is_onnx_op(op)) or op.name == "onnx.Yield" or not op.results:
            return
        if any(r.uses for r in op.results):
            return
        rewriter.erase(op)


PATTERNS: tuple[type[RewritePattern], ...] = (
    ForwardIdentityLike,
    MergeReshapes,
    MergeTransposes,
    CancelSqueezeUnsqueeze,
    FoldBatchNormIntoConvGemm,
    BatchNormToMulAdd,
    MatMulAddToGemm,
    FoldAddIntoConvBias,
    FoldMulIntoConv,
    MergeAffineConstants,
    FoldPadIntoConv,
    FlattenConcat,
    FoldConstantIf,
    EraseDead,
)


def canonicalize(module: ModuleOp) -> ModuleOp:
    walker = PatternRewriteWalker(
        GreedyRewritePatternApplier([p() for p in PATTERNS]),
        apply_recursively=True,
        walk_reverse=True,
    )
    walker.rewrite_module(module)
    for op in module.walk():
        if isinstance(op, func.FuncOp) and not op.is_declaration and op.get_return_op():
            op.update_function_type()
    return module


@dataclass(frozen=True)
class OnnxCanonicalizePass(ModulePass):
    """Simplify onnx-level IR (see the module docstring for the rewrites)."""

    name = "onnx-canonicalize"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        canonicalize(op)

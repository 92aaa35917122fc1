"""onnxruntime's quantized contrib operators as standard ONNX QDQ graphs.

``quantize_static(..., quant_format=QOperator)`` writes, beside the standard
``QLinearConv``/``QLinearMatMul``, operators of the ``com.microsoft`` domain
(``QLinearAdd``, ``QLinearConcat``, ``QLinearGlobalAveragePool`` ...). Each is
defined as "dequantize the inputs, apply the float operator, quantize the
result", so the importer rewrites each node into exactly that:
``DequantizeLinear`` of every quantized input, the standard float op, and a
``QuantizeLinear`` to the output's scale and zero point. The onnx-level
quantization passes then treat them like the QDQ format's patterns (one
integer path for both formats).

An absent zero point is a zero of the input's element type (as the contrib
schemas say), made a scalar initializer so that ``QuantizeLinear`` produces
that type (its own default would be uint8).

    QLinearAdd / QLinearMul      (A, As, Azp, B, Bs, Bzp, Cs, Czp)  -> Add / Mul
    QLinearWhere                 (cond, X, xs, xzp, Y, ys, yzp, zs, zzp) -> Where
    QLinearConcat                (Ys, Yzp, [X, Xs, Xzp]...) {axis} -> Concat
    QLinearLeakyRelu             {alpha}                          -> LeakyRelu
    QLinearSigmoid                                                -> Sigmoid
    QLinearSoftmax               {axis, opset}                    -> Softmax
    QLinearGlobalAveragePool     {channels_last}                  -> GlobalAveragePool
    QLinearAveragePool           {channels_last, ...pool attrs}   -> AveragePool
    QLinearReduceMean            {axes, keepdims}                 -> ReduceMean
    QGemm                        (A, as, azp, B, bs, bzp, C?, ys?, yzp?) {alpha, transA, transB}
                                 -> Gemm (C: int32 at scale as*bs, as onnxruntime's
                                    kernel adds it to the accumulator), QuantizeLinear
                                    when ys is given (a float output otherwise)

``channels_last`` pools are transposed to NCHW and back (the rank comes from
the model's ``value_info``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from onnx import GraphProto, ModelProto, NodeProto, TensorProto, helper, numpy_helper

from mlopt.errors import ModelImportError

__all__ = ["expand_quantized_contrib"]

MS_DOMAIN = "com.microsoft"

# element type of a node's output from its inputs' (data-movement ops keep it)
_KEEPS_TYPE = {
    "MaxPool", "Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Gather",
    "Split", "Pad", "Resize", "Slice", "Concat", "Identity", "Expand", "Tile",
    "DepthToSpace", "SpaceToDepth", "GatherElements", "GatherND",
}  # fmt: skip


class _Rewriter:
    def __init__(self, model: ModelProto, graph: GraphProto) -> None:
        self.opset = next(
            (o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13
        )
        self.types: dict[str, int] = {}
        self.ranks: dict[str, int] = {}
        for vi in [*graph.input, *graph.value_info, *graph.output]:
            tt = vi.type.tensor_type
            if tt.elem_type:
                self.types[vi.name] = tt.elem_type
            if tt.HasField("shape"):
                self.ranks[vi.name] = len(tt.shape.dim)
        self.inits = {t.name: t for t in graph.initializer}
        for t in graph.initializer:
            self.types[t.name] = t.data_type
            self.ranks[t.name] = len(t.dims)
        self.used = {n for node in graph.node for n in [*node.input, *node.output]}
        self.used |= {t.name for t in graph.initializer} | {i.name for i in graph.input}
        self.new_inits: list[TensorProto] = []
        self.zeros: dict[int, str] = {}

    # -- names and constants -------------------------------------------
    def fresh(self, base: str) -> str:
        name, i = base, 0
        while name in self.used:
            i += 1
            name = f"{base}_{i}"
        self.used.add(name)
        return name

    def zero(self, elem: int) -> str:
        if elem not in self.zeros:
            name = self.fresh(f"contrib_zero_point_{TensorProto.DataType.Name(elem).lower()}")
            dtype = helper.tensor_dtype_to_np_dtype(elem)
            self.new_inits.append(numpy_helper.from_array(np.zeros((), dtype), name))
            self.types[name] = elem
            self.zeros[elem] = name
        return self.zeros[elem]

    def ints(self, values: Sequence[int], base: str) -> str:
        name = self.fresh(base)
        self.new_inits.append(numpy_helper.from_array(np.asarray(values, np.int64), name))
        return name

    def product(self, a: str, b: str, out: list[NodeProto], node: NodeProto) -> str:
        """``a * b`` (float32): a constant when both are initializers (so that a
        bias at that scale is recognised as the accumulator's), else a Mul."""
        if a in self.inits and b in self.inits:
            name = self.fresh(f"{node.name}_bias_scale")
            value = numpy_helper.to_array(self.inits[a]).astype(np.float32) * numpy_helper.to_array(self.inits[b]).astype(np.float32)
            self.new_inits.append(numpy_helper.from_array(value, name))
            self.inits[name] = self.new_inits[-1]
            return name
        return self.float_op("Mul", [a, b], out, node)

    # -- types ---------------------------------------------------------
    def elem(self, name: str, node: NodeProto) -> int:
        t = self.types.get(name)
        if t is None:
            raise ModelImportError(
                f"node '{node.name}' ({node.op_type}): the element type of input '{name}' "
                "is unknown (give the model a value_info for it)"
            )
        return t

    def note_types(self, node: NodeProto) -> None:
        """Element types of ``node``'s outputs, where they follow from its inputs."""
        op, ins = node.op_type, list(node.input)
        out: int | None = None
        if op in ("QuantizeLinear", "QLinearConv", "QLinearMatMul"):
            zp = ins[2] if op == "QuantizeLinear" else ins[-1] if op == "QLinearMatMul" else ins[7]
            if op == "QuantizeLinear" and (len(ins) < 3 or not ins[2]):
                attr = next((a.i for a in node.attribute if a.name == "output_dtype"), 0)
                out = attr or TensorProto.UINT8
            else:
                out = self.types.get(zp)
        elif op in ("DequantizeLinear", "DynamicQuantizeLinear"):
            out = TensorProto.FLOAT if op == "DequantizeLinear" else TensorProto.UINT8
        elif op in _KEEPS_TYPE and ins and ins[0] in self.types:
            out = self.types[ins[0]]
        elif op in ("ConvInteger", "MatMulInteger"):
            out = TensorProto.INT32
        if out is not None:
            for o in node.output[:1] if op != "Split" else node.output:
                if o:
                    self.types.setdefault(o, out)

    # -- expansion -----------------------------------------------------
    def dq(self, x: str, scale: str, zp: str, out: list[NodeProto], node: NodeProto, axis: int | None = None) -> str:
        y = self.fresh(f"{x}_dequantized")
        ins = [x, scale] + ([zp] if zp else [])
        per_tensor = scale in self.inits and int(np.prod(self.inits[scale].dims)) <= 1
        # (DequantizeLinear has no axis before opset 13)
        kw = {} if axis is None or per_tensor or self.opset < 13 else {"axis": axis}
        out.append(helper.make_node("DequantizeLinear", ins, [y], name=self.fresh(f"{node.name}_dq"), **kw))
        self.types[y] = TensorProto.FLOAT
        return y

    def q(self, x: str, scale: str, zp: str, y: str, elem: int, out: list[NodeProto], node: NodeProto) -> None:
        zp = zp or self.zero(elem)
        out.append(helper.make_node("QuantizeLinear", [x, scale, zp], [y], name=self.fresh(f"{node.name}_q")))
        self.types[y] = elem

    def float_op(self, op: str, ins: list[str], out: list[NodeProto], node: NodeProto, **attrs) -> str:
        y = self.fresh(f"{node.output[0]}_float")
        out.append(helper.make_node(op, ins, [y], name=self.fresh(f"{node.name}_{op.lower()}"), **attrs))
        self.types[y] = TensorProto.FLOAT
        return y

    def nchw(self, x: str, rank: int, out: list[NodeProto], node: NodeProto, back: bool) -> str:
        perm = [0, *range(2, rank), 1] if back else [0, rank - 1, *range(1, rank - 1)]
        return self.float_op("Transpose", [x], out, node, perm=perm)

    def expand(self, node: NodeProto) -> list[NodeProto] | None:
        fn = _EXPANSIONS.get(node.op_type) if node.domain == MS_DOMAIN else None
        if fn is None:
            self.note_types(node)
            return None
        out: list[NodeProto] = []
        fn(self, node, _padded(node), _attrs(node), out)
        return out

    def rank_of(self, name: str, node: NodeProto) -> int:
        r = self.ranks.get(name)
        if r is None:
            raise ModelImportError(
                f"node '{node.name}' ({node.op_type}): channels_last needs the rank of "
                f"input '{name}' (give the model a value_info for it)"
            )
        return r


def _padded(node: NodeProto) -> list[str]:
    return list(node.input) + [""] * 9


def _attrs(node: NodeProto) -> dict:
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _unary(float_op: str, keep: Sequence[str] = ()) -> Callable:
    def expand(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
        elem = r.elem(i[0], node)
        x = r.dq(i[0], i[1], i[2], out, node)
        y = r.float_op(float_op, [x], out, node, **{k: v for k, v in attrs.items() if k in keep})
        r.q(y, i[3], i[4], node.output[0], elem, out, node)

    return expand


def _binary(float_op: str) -> Callable:
    def expand(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
        elem = r.elem(i[0], node)
        a = r.dq(i[0], i[1], i[2], out, node)
        b = r.dq(i[3], i[4], i[5], out, node)
        y = r.float_op(float_op, [a, b], out, node)
        r.q(y, i[6], i[7], node.output[0], elem, out, node)

    return expand


def _where(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
    elem = r.elem(i[1], node)
    x = r.dq(i[1], i[2], i[3], out, node)
    y = r.dq(i[4], i[5], i[6], out, node)
    z = r.float_op("Where", [i[0], x, y], out, node)
    r.q(z, i[7], i[8], node.output[0], elem, out, node)


def _concat(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
    rest = list(node.input)[2:]
    if len(rest) % 3 or not rest:
        raise ModelImportError(
            f"node '{node.name}' (QLinearConcat): needs (X, X_scale, X_zero_point) triples "
            f"after Y_scale and Y_zero_point, got {len(rest)} inputs"
        )
    elem = r.elem(rest[0], node)
    xs = [r.dq(rest[k], rest[k + 1], rest[k + 2], out, node) for k in range(0, len(rest), 3)]
    y = r.float_op("Concat", xs, out, node, axis=attrs["axis"])
    r.q(y, i[0], i[1], node.output[0], elem, out, node)


def _softmax(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
    elem = r.elem(i[0], node)
    axis = attrs.get("axis", -1)
    x = r.dq(i[0], i[1], i[2], out, node)
    if (attrs["opset"] < 13) == (r.opset < 13):
        y = r.float_op("Softmax", [x], out, node, axis=axis)
    elif attrs["opset"] < 13:  # 2-D semantics in a model of opset >= 13
        flat = r.float_op("Flatten", [x], out, node, axis=axis)
        soft = r.float_op("Softmax", [flat], out, node, axis=-1)
        shape = r.fresh(f"{node.output[0]}_shape")
        out.append(helper.make_node("Shape", [x], [shape], name=r.fresh(f"{node.name}_shape")))
        y = r.float_op("Reshape", [soft, shape], out, node)
    else:  # one-axis semantics in a model of opset < 13: move the axis last
        rank = r.rank_of(i[0], node)
        axis %= rank
        perm = [d for d in range(rank) if d != axis] + [axis]
        inv = [perm.index(d) for d in range(rank)]
        t = r.float_op("Transpose", [x], out, node, perm=perm)
        soft = r.float_op("Softmax", [t], out, node, axis=rank - 1)
        y = r.float_op("Transpose", [soft], out, node, perm=inv)
    r.q(y, i[3], i[4], node.output[0], elem, out, node)


def _pool(float_op: str, keep: Sequence[str]) -> Callable:
    def expand(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
        elem = r.elem(i[0], node)
        x = r.dq(i[0], i[1], i[2], out, node)
        last = bool(attrs.get("channels_last", 0))
        rank = r.rank_of(i[0], node) if last else 0
        if last:
            x = r.nchw(x, rank, out, node, back=False)
        y = r.float_op(float_op, [x], out, node, **{k: v for k, v in attrs.items() if k in keep})
        if last:
            y = r.nchw(y, rank, out, node, back=True)
        r.q(y, i[3], i[4], node.output[0], elem, out, node)

    return expand


def _reduce_mean(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
    elem = r.elem(i[0], node)
    x = r.dq(i[0], i[1], i[2], out, node)
    keep = {"keepdims": attrs.get("keepdims", 1)}
    if r.opset >= 18:
        y = r.float_op("ReduceMean", [x, r.ints(attrs["axes"], f"{node.name}_axes")], out, node, **keep)
    else:
        y = r.float_op("ReduceMean", [x], out, node, axes=attrs["axes"], **keep)
    r.q(y, i[3], i[4], node.output[0], elem, out, node)


def _qgemm(r: _Rewriter, node: NodeProto, i: list[str], attrs: dict, out: list[NodeProto]) -> None:
    trans_b = attrs.get("transB", 0)
    alpha = float(attrs.get("alpha", 1.0))
    a = r.dq(i[0], i[1], i[2], out, node)
    # a per-channel b_scale runs along N: B's axis 0 when transposed
    b = r.dq(i[3], i[4], i[5], out, node, axis=0 if trans_b else 1)
    ins = [a, b]
    if i[6]:
        ins.append(r.dq(i[6], r.product(i[1], i[4], out, node), "", out, node, axis=-1))
    elif r.opset < 11:  # C is required before Gemm-11
        ins.append(r.zero(TensorProto.FLOAT))
    gemm = dict(alpha=alpha, beta=alpha, transA=attrs.get("transA", 0), transB=trans_b)
    if not i[7]:
        out.append(helper.make_node("Gemm", ins, [node.output[0]], name=r.fresh(f"{node.name}_gemm"), **gemm))
        r.types[node.output[0]] = TensorProto.FLOAT
        return
    elem = r.types.get(i[8], TensorProto.UINT8)  # (the quantizer's default without y_zero_point)
    y = r.float_op("Gemm", ins, out, node, **gemm)
    r.q(y, i[7], i[8], node.output[0], elem, out, node)


_POOL_ATTRS = ("auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides")

_EXPANSIONS: dict[str, Callable] = {
    "QLinearAdd": _binary("Add"),
    "QLinearMul": _binary("Mul"),
    "QLinearWhere": _where,
    "QLinearConcat": _concat,
    "QLinearLeakyRelu": _unary("LeakyRelu", keep=("alpha",)),
    "QLinearSigmoid": _unary("Sigmoid"),
    "QLinearSoftmax": _softmax,
    "QLinearGlobalAveragePool": _pool("GlobalAveragePool", ()),
    "QLinearAveragePool": _pool("AveragePool", _POOL_ATTRS),
    "QLinearReduceMean": _reduce_mean,
    "QGemm": _qgemm,
}


def expand_quantized_contrib(model: ModelProto, *, copy: bool) -> ModelProto:
    """``model`` with its main graph's quantized ``com.microsoft`` nodes
    expanded into standard ONNX (a copy when ``copy`` and something changes;
    ``model`` itself when nothing does)."""
    if not any(n.domain == MS_DOMAIN and n.op_type in _EXPANSIONS for n in model.graph.node):
        return model
    if copy:
        dup = ModelProto()
        dup.CopyFrom(model)
        model = dup
    r = _Rewriter(model, model.graph)
    nodes: list[NodeProto] = []
    for n in model.graph.node:
        expanded = r.expand(n)
        nodes.extend([n] if expanded is None else expanded)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(r.new_inits)
    if not any(n.domain == MS_DOMAIN for n in nodes):
        keep = [o for o in model.opset_import if o.domain != MS_DOMAIN]
        del model.opset_import[:]
        model.opset_import.extend(keep)
    if not any(o.domain in ("", "ai.onnx") for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("", r.opset))
    return model

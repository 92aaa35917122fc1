"""Less common ops: Swish, RMSNormalization, CumProd, QuantizeLinear,
DequantizeLinear, TopK, ReverseSequence, CenterCropPad, Resize (nearest/linear)."""

from __future__ import annotations

import numpy as np
from xdsl.dialects import arith, math, tensor
from xdsl.dialects.builtin import Float32Type, Float64Type, IndexType, IntegerType
from xdsl.ir.affine import AffineMap

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    Emitter,
    broadcast_exprs,
    c,
    constant_array,
    d,
    elt_of,
    generic,
    kind_of,
    lowering,
    map_elementwise,
    norm_axis,
    reduce_generic,
    require_constant,
    signless,
    width_of,
)
from mlopt.dialects.mlopt import CheckIndexOp
from mlopt.passes.onnx_to_tensor.common import node_name
from mlopt.passes.onnx_to_tensor.elementwise import sigmoid
from mlopt.passes.onnx_to_tensor.gather import checked_indices
from mlopt.passes.onnx_to_tensor.normalization import cast_to, stash_elt
from mlopt.passes.onnx_to_tensor.pooling import highest, lowest
from mlopt.passes.onnx_to_tensor.reduction import cumulative


@lowering("Swish", honours=("alpha",))
def lower_swish(em: Emitter, op):
    alpha = float(em.attr("alpha", 1.0))
    x = op.operands[0]
    e = elt_of(x)

    def f(b: Body, v):
        t = v if alpha == 1.0 else b.add(arith.MulfOp(v, b.const(alpha, e)))
        return b.add(arith.MulfOp(v, sigmoid(b, t, e)))

    return map_elementwise(em, [x], e, f)


@lowering("RMSNormalization", honours=("axis", "epsilon", "stash_type"))
def lower_rmsnorm(em: Emitter, op):
    x = op.operands[0]
    scale = op.operands[1]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", -1), rank)
    eps = float(em.attr("epsilon", 1e-5))
    axes = list(range(axis, rank))
    e = elt_of(x)
    # stage one (mean square, its rsqrt, x * it) in the stash type
    st = stash_elt(em)
    x = cast_to(em, x, st)
    k = kind_of(st)
    n = int(np.prod([shape[a] for a in axes]))
    sq, _ = reduce_generic(em, x, axes, True, 0, lambda b, v, acc: b.add_(acc, v, k), pre=lambda b, v: b.mul(v, v, k))
    inv = map_elementwise(
        em, [sq], st,
        lambda b, v: b.add(math.RsqrtOp(b.add(arith.AddfOp(b.add(arith.DivfOp(v, b.const(n, st))), b.const(eps, st))))),
    )
    maps = [
        AffineMap.identity(rank),
        AffineMap(rank, 0, tuple(broadcast_exprs(em.shape(inv), shape))),
        AffineMap(rank, 0, tuple(broadcast_exprs(em.shape(scale), shape))),
    ]
    return generic(
        em, [x, inv, scale], maps, shape, e,
        lambda b, v, iv, sv, o: b.add(arith.MulfOp(b.cast(b.add(arith.MulfOp(v, iv)), st, e), sv)),
    )


@lowering("CumProd", honours=("exclusive", "reverse"))
def lower_cumprod(em: Emitter, op):
    return cumulative(em, op, "CumProd", 1, lambda b, acc, v, k: b.mul(acc, v, k))


def _param_map(em: Emitter, v, shape, axis: int):
    """Per-tensor (scalar) or per-axis (1-D along ``axis``) parameter map."""
    rank = len(shape)
    ps = em.shape(v)
    if len(ps) == 0 or int(np.prod(ps)) == 1:
        return AffineMap(rank, 0, tuple(c(0) for _ in ps))
    if len(ps) == 1 and ps[0] == shape[axis]:
        return AffineMap(rank, 0, (d(axis),))
    raise em.fail("only per-tensor and per-axis quantization parameters are supported")


def _linear_quant_operands(em: Emitter, op):
    """(ins, maps, shape, zero point or None) shared by QuantizeLinear and
    DequantizeLinear: x, the scale and the optional zero point, the parameters
    broadcast per tensor or along ``axis``."""
    x, scale = op.operands[0], op.operands[1]
    zp = em.operand(2)
    if em.attr("block_size", 0):
        raise em.fail("blocked quantization is not supported")
    shape = em.shape(x)
    per_tensor = int(np.prod(em.shape(scale))) == 1
    axis = 0 if per_tensor or not shape else norm_axis(em, em.attr("axis", 1), len(shape))
    ins = [x, scale] + ([zp] if zp is not None else [])
    maps = [AffineMap.identity(len(shape))] + [_param_map(em, v, shape, axis) for v in ins[1:]]
    return ins, maps, shape, zp


@lowering("DequantizeLinear", honours=("axis", "block_size", "output_dtype"))
def lower_dequantize(em: Emitter, op):
    ins, maps, shape, zp = _linear_quant_operands(em, op)
    ex, es = elt_of(ins[0]), elt_of(ins[1])
    out = em.out_elt()
    f32 = Float32Type()

    def body(b: Body, xv, sv, *rest):
        xf = b.cast(xv, ex, f32)
        if zp is not None:
            xf = b.add(arith.SubfOp(xf, b.cast(rest[0], elt_of(zp), f32)))
        return b.cast(b.add(arith.MulfOp(xf, b.cast(sv, es, f32))), f32, out)

    return generic(em, ins, maps, shape, out, body)


@lowering("QuantizeLinear", honours=("axis", "block_size", "output_dtype", "saturate"))
def lower_quantize(em: Emitter, op):
    ins, maps, shape, zp = _linear_quant_operands(em, op)
    ex, es = elt_of(ins[0]), elt_of(ins[1])
    out = em.out_elt()
    ko = kind_of(out)
    if ko not in ("s", "u"):
        raise em.fail(f"quantizing to {out} is not supported")
    lo, hi = lowest(out, ko), highest(out, ko)
    f32 = Float32Type()

    def body(b: Body, xv, sv, *rest):
        q = b.add(arith.DivfOp(b.cast(xv, ex, f32), b.cast(sv, es, f32)))
        q = b.add(math.RoundEvenOp(q))
        if zp is not None:
            q = b.add(arith.AddfOp(q, b.cast(rest[0], elt_of(zp), f32)))
        q = b.add(arith.MaximumfOp(q, b.const(float(lo), f32)))
        q = b.add(arith.MinimumfOp(q, b.const(float(hi), f32)))
        return b.cast(q, f32, out)

    return generic(em, ins, maps, shape, out, body)


@lowering("DynamicQuantizeLinear", honours=())
def lower_dynamic_quantize(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    e = elt_of(x)
    f32 = Float32Type()
    q_elt = em.out_elt(0)
    # min and max are exact in any order: first per lane of 16 (or 8 ...)
    # columns, a reduction the vectoriser keeps in registers, then over the
    # lanes (one scalar chain over the whole tensor is fully unrolled and
    # SLP-vectorised by LLVM: 20 s of -O3 for a 4096-element input)
    n = int(np.prod(shape))
    lanes = next(k for k in (16, 8, 4, 2, 1) if n % k == 0)
    flat = em.reshape(x, (n // lanes, lanes))

    def extreme(init: float, cls):
        part, _ = reduce_generic(em, flat, [0], False, init, lambda b, v, acc: b.add(cls(acc, v)))
        whole, _ = reduce_generic(em, part, [0], False, init, lambda b, v, acc: b.add(cls(acc, v)))
        return whole

    mn = extreme(float("inf"), arith.MinimumfOp)
    mx = extreme(float("-inf"), arith.MaximumfOp)

    def scale_fn(b: Body, lo, hi):
        lo = b.add(arith.MinimumfOp(b.cast(lo, e, f32), b.const(0.0, f32)))
        hi = b.add(arith.MaximumfOp(b.cast(hi, e, f32), b.const(0.0, f32)))
        return b.add(arith.DivfOp(b.add(arith.SubfOp(hi, lo)), b.const(255.0, f32)))

    scale = map_elementwise(em, [mn, mx], f32, scale_fn)

    def zp_fn(b: Body, lo, sc):
        lo = b.add(arith.MinimumfOp(b.cast(lo, e, f32), b.const(0.0, f32)))
        z = b.add(math.RoundEvenOp(b.add(arith.NegfOp(b.add(arith.DivfOp(lo, sc))))))
        return b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(z, b.const(0.0, f32))), b.const(255.0, f32)))

    zpf = map_elementwise(em, [mn, scale], f32, zp_fn)

    def q_fn(b: Body, v, sc, z):
        q = b.add(math.RoundEvenOp(b.add(arith.DivfOp(b.cast(v, e, f32), sc))))
        q = b.add(arith.AddfOp(q, z))
        q = b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(q, b.const(0.0, f32))), b.const(255.0, f32)))
        return b.cast(q, f32, q_elt)

    y = map_elementwise(em, [x, scale, zpf], q_elt, q_fn, shape)
    zp = map_elementwise(em, [zpf], q_elt, lambda b, z: b.cast(z, f32, q_elt))
    return [y, em.reshape(scale, em.out_shape(1)), em.reshape(zp, em.out_shape(2))]


@lowering("TopK", honours=("axis", "largest", "sorted"))
def lower_topk(em: Emitter, op):
    """Rank-based TopK: rank[j] = #elements that come before j in the sorted
    order; out[r] = the element whose rank is r (two O(n^2) reductions)."""
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    axis = norm_axis(em, em.attr("axis", -1), rank)
    kk = int(require_constant(op, op.operands[1], "TopK K").reshape(-1)[0])
    largest = bool(em.attr("largest", 1))
    e = elt_of(x)
    k = kind_of(e)
    i64 = IntegerType(64)
    nd = rank + 1
    # rank: loops (dims..., j over the axis as reduction): compare x[i] with x[j]
    other = tuple(d(rank) if i == axis else d(i) for i in range(rank))
    ranks_init = em.filled(shape, i64, 0)

    def rank_body(b: Body, xi, xj, acc):
        i = b.index(axis)
        j = b.index(rank)
        better = b.cmp("gt" if largest else "lt", xj, xi, k)
        tie = b.add(arith.AndIOp(b.cmp("eq", xj, xi, k), b.cmp("lt", j, i, "x")))
        before = b.add(arith.OrIOp(better, tie))
        return b.select(before, b.add(arith.AddiOp(acc, b.const(1, i64))), acc)

    ranks = generic(
        em, [x, x], [AffineMap(nd, 0, tuple(d(i) for i in range(rank))), AffineMap(nd, 0, other)],
        shape, i64, rank_body, iterators=["parallel"] * rank + ["reduction"], init=ranks_init,
        out_map=AffineMap(nd, 0, tuple(d(i) for i in range(rank))),
    )
    out_shape = tuple(kk if i == axis else s for i, s in enumerate(shape))
    vinit = em.filled(out_shape, e, 0)
    iinit = em.filled(out_shape, i64, 0)
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(rank)))

    def pick(b: Body, xj, rj, vacc, iacc):
        r = b.cast(b.index(axis), IndexType(), i64)
        hit = b.add(arith.CmpiOp(rj, r, "eq"))
        j = b.cast(b.index(rank), IndexType(), i64)
        return [b.select(hit, xj, vacc), b.select(hit, j, iacc)]

    g = generic(
        em, [x, ranks], [AffineMap(nd, 0, other), AffineMap(nd, 0, other)], out_shape, e, pick,
        iterators=["parallel"] * rank + ["reduction"], init=vinit, out_map=omap,
        extra_outputs=[(iinit, omap)],
    )
    return [g.results[0], g.results[1]]


@lowering("ReverseSequence", honours=("batch_axis", "time_axis"))
def lower_reverse_sequence(em: Emitter, op):
    x, lens = op.operands[0], op.operands[1]
    shape = em.shape(x)
    rank = len(shape)
    baxis = em.attr("batch_axis", 1)
    taxis = em.attr("time_axis", 0)
    e = elt_of(x)
    le = elt_of(lens)
    lmap = AffineMap(rank, 0, (d(baxis),))

    def body(b: Body, lv, o):
        L = b.to_index(lv, le)
        t = b.index(taxis)
        inside = b.add(arith.CmpiOp(t, L, "slt"))
        rev = b.add(arith.SubiOp(b.add(arith.SubiOp(L, b.const(1, IndexType()))), t))
        src_t = b.select(inside, rev, t)
        # a sequence_lens value above the time axis would read past it: checked
        src_t = b.add(CheckIndexOp(
            src_t, b.const(shape[taxis], IndexType()), b.const(taxis, IndexType()),
            node_name(em.op), "ReverseSequence", unsigned=True,
        ))
        coords = [src_t if i == taxis else b.index(i) for i in range(rank)]
        return b.add(tensor.ExtractOp(x, coords, signless(e)))

    return generic(em, [lens], [lmap], shape, e, body)


@lowering("CenterCropPad", honours=("axes",))
def lower_center_crop_pad(em: Emitter, op):
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    sizes = [int(v) for v in require_constant(op, op.operands[1], "CenterCropPad shape").reshape(-1)]
    axes = em.attr("axes") or list(range(rank))
    axes = [norm_axis(em, a, rank) for a in axes]
    target = list(shape)
    for a, s in zip(axes, sizes, strict=True):
        target[a] = s
    # crop first
    offs = [0] * rank
    crop = list(shape)
    for i in range(rank):
        if target[i] < shape[i]:
            offs[i] = (shape[i] - target[i]) // 2
            crop[i] = target[i]
    y = em.extract_slice(x, offs, crop) if crop != list(shape) else x
    if crop == target:
        return y
    dest = em.filled(target, elt_of(x), 0)
    poffs = [(target[i] - crop[i]) // 2 for i in range(rank)]
    return em.insert_slice(y, dest, poffs, crop)


def _resize_src_coord(ctm: str, o: float, scale: float, n_in: int, n_out: int) -> float:
    """ONNX coordinate transformation (output index -> input coordinate)."""
    w_out = scale * n_in
    if ctm == "half_pixel":
        return (o + 0.5) / scale - 0.5
    if ctm == "half_pixel_symmetric":
        adj = n_out / w_out
        return n_in / 2 * (1 - adj) + (o + 0.5) / scale - 0.5
    if ctm == "pytorch_half_pixel":
        return (o + 0.5) / scale - 0.5 if w_out != 1 else -0.5
    if ctm == "align_corners":
        return o * (n_in - 1) / (w_out - 1) if w_out != 1 else 0.0
    if ctm == "asymmetric":
        return o / scale
    raise ValueError(ctm)


def _resize_taps(mode, ctm, scale, n_in, n_out, cubic_a, antialias, exclude_outside):
    """Per output position: source indexes (clamped) and weights."""
    idx_rows, w_rows = [], []
    for o in range(n_out):
        x = _resize_src_coord(ctm, float(o), scale, n_in, n_out)
        xi = int(np.floor(x))
        ratio = 1.0 if float(x).is_integer() else x - xi
        if mode == "linear":
            if antialias and scale < 1.0:
                start = int(np.floor(-1 / scale) + 1)
                args = (np.arange(start, 2 - start) - ratio) * scale
                co = np.clip(1 - np.abs(args), 0, 1)
                co = co / co.sum()
            else:
                co = np.array([1 - ratio, ratio])
        else:
            a = cubic_a

            def k(t):
                t = abs(t)
                if t <= 1:
                    return (a + 2) * t**3 - (a + 3) * t**2 + 1
                if t < 2:
                    return a * t**3 - 5 * a * t**2 + 8 * a * t - 4 * a
                return 0.0

            if antialias and scale < 1.0:
                i0 = int(np.floor(-2 / scale) + 1)
                co = np.array([k(scale * (i - ratio)) for i in range(i0, 2 - i0)])
                co = co / co.sum()
            else:
                co = np.array([k(ratio + 1), k(ratio), k(1 - ratio), k(2 - ratio)])
        n = len(co)
        pad = int(np.ceil(n / 2))
        cands = sorted(range(-pad, n_in + pad), key=lambda i: (abs(x - i), i))[:n]
        cands = np.array(sorted(cands))
        if exclude_outside:
            co = np.where((cands < 0) | (cands >= n_in), 0.0, co)
            co = co / co.sum()
        idx_rows.append(np.clip(cands, 0, n_in - 1))
        w_rows.append(co)
    t = max(len(r) for r in w_rows)
    idx = np.zeros((n_out, t), np.int64)
    w = np.zeros((n_out, t), np.float64)
    for o, (ir, wr) in enumerate(zip(idx_rows, w_rows)):
        idx[o, : len(ir)] = ir
        w[o, : len(wr)] = wr
    return idx, w


@lowering(
    "Resize",
    honours=("antialias", "axes", "coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "keep_aspect_ratio_policy", "mode", "nearest_mode"),
)
def lower_resize(em: Emitter, op):
    """Resize with constant scales/sizes: nearest (all nearest_modes), linear
    and cubic (separable taps computed at compile time, antialias,
    exclude_outside), axes and keep_aspect_ratio_policy. extrapolation_value
    only applies to coordinate_transformation_mode tf_crop_and_resize, which is
    rejected."""
    x = op.operands[0]
    shape = em.shape(x)
    rank = len(shape)
    out = em.out_shape()
    mode = em.attr("mode", "nearest")
    ctm = em.attr("coordinate_transformation_mode", "half_pixel")
    nmode = em.attr("nearest_mode", "round_prefer_floor")
    if mode not in ("nearest", "linear", "cubic"):
        raise em.fail(f"Resize mode '{mode}' is not supported")
    if nmode not in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil"):
        raise em.fail(f"Resize nearest_mode '{nmode}' is not supported")
    if ctm not in ("half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric"):
        raise em.fail(f"Resize coordinate_transformation_mode '{ctm}' is not supported")
    axes = em.attr("axes")
    axes = list(range(rank)) if axes is None else [norm_axis(em, a, rank) for a in axes]
    scales_full = [1.0] * rank
    sv = em.operand(2)
    zv = em.operand(3)
    sc = None
    if sv is not None and 0 not in em.shape(sv):  # an empty scales means "use sizes"
        sc = constant_array(sv)
        if sc is None:
            raise em.fail("Resize scales must be a compile-time constant")
        if sc.size == 0:
            sc = None
    if sc is not None:
        for a, s in zip(axes, sc.reshape(-1), strict=True):
            scales_full[a] = float(s)
    else:
        sizes = constant_array(zv) if zv is not None else None
        policy = em.attr("keep_aspect_ratio_policy", "stretch")
        if sizes is None and zv is not None and policy == "stretch":
            # with the default policy the sizes are the (static) result shape
            sizes = np.array([out[a] for a in axes])
        if sizes is None:
            raise em.fail("Resize needs constant scales or sizes")
        sizes = [int(v) for v in sizes.reshape(-1)]
        ratios = [sizes[i] / shape[a] for i, a in enumerate(axes)]
        if policy == "not_larger":
            ratios = [min(ratios)] * len(axes)
        elif policy == "not_smaller":
            ratios = [max(ratios)] * len(axes)
        for a, r in zip(axes, ratios):
            scales_full[a] = r
    e = elt_of(x)
    if mode == "nearest":
        tables = []
        for i in range(rank):
            idx = []
            for o in range(out[i]):
                xs = _resize_src_coord(ctm, float(o), scales_full[i], shape[i], out[i]) if out[i] != shape[i] or scales_full[i] != 1.0 else float(o)
                f = np.floor(xs)
                if nmode == "round_prefer_floor":
                    v = f if xs - f <= 0.5 else f + 1
                elif nmode == "round_prefer_ceil":
                    v = f if xs - f < 0.5 else f + 1
                elif nmode == "floor":
                    v = f
                else:  # ceil (checked above)
                    v = np.ceil(xs)
                idx.append(min(max(int(v), 0), shape[i] - 1))
            tables.append(np.array(idx, np.int64))
        consts = [em.dense(t, IntegerType(64)) for t in tables]
        maps = [AffineMap(rank, 0, (d(i),)) for i in range(rank)]

        def body(b: Body, *args):
            coords = [b.to_index(a, IntegerType(64)) for a in args[:rank]]
            return b.add(tensor.ExtractOp(x, coords, signless(e)))

        return generic(em, consts, maps, out, e, body)
    if kind_of(e) != "f":
        raise em.fail(f"Resize mode '{mode}' on {e} is not supported")
    antialias = bool(em.attr("antialias", 0))
    exclude = bool(em.attr("exclude_outside", 0))
    cubic_a = float(em.attr("cubic_coeff_a", -0.75))
    cur = x
    cur_shape = list(shape)
    for i in range(rank):
        if out[i] == shape[i] and scales_full[i] == 1.0:
            continue
        idx, w = _resize_taps(mode, ctm, scales_full[i], shape[i], out[i], cubic_a, antialias, exclude)
        new_shape = list(cur_shape)
        new_shape[i] = out[i]
        idx_c = em.dense(idx, IntegerType(64))
        w_c = em.dense(w.astype(np.float32), Float32Type())
        nd = rank + 1
        tmap = AffineMap(nd, 0, (d(i), d(rank)))
        omap = AffineMap(nd, 0, tuple(d(j) for j in range(rank)))
        init = em.filled(new_shape, e, 0)

        def body(b: Body, iv, wv, acc, src=cur, dim=i):
            coords = [b.index(j) for j in range(rank)]
            coords[dim] = b.to_index(iv, IntegerType(64))
            v = b.cast(b.add(tensor.ExtractOp(src, coords, signless(e))), e, Float32Type())
            return b.add(arith.AddfOp(acc, b.cast(b.add(arith.MulfOp(wv, v)), Float32Type(), e)))

        cur = generic(
            em, [idx_c, w_c], [tmap, tmap], new_shape, e, body,
            iterators=["parallel"] * rank + ["reduction"], init=init, out_map=omap,
        )
        cur_shape = new_shape
    return cur



@lowering("BitCast", honours=("to",))
def lower_bitcast(em: Emitter, op):
    x = op.operands[0]
    src, dst = elt_of(x), em.out_elt()
    if (kind_of(src) == "b" and width_of(dst) == 8) or (kind_of(dst) == "b" and width_of(src) == 8):
        # a bool is one byte holding 0 or 1
        return map_elementwise(em, [x], dst, lambda b, v: b.cast(v, src, dst))
    if width_of(src) != width_of(dst) or kind_of(src) == "b" or kind_of(dst) == "b":
        raise em.fail(f"BitCast from {src} to {dst} is not supported")
    if signless(src) == signless(dst):
        return map_elementwise(em, [x], dst, lambda b, v: v)
    return map_elementwise(em, [x], dst, lambda b, v: b.add(arith.BitcastOp(v, signless(dst))))


@lowering("RotaryEmbedding", honours=("interleaved", "num_heads", "rotary_embedding_dim"))
def lower_rotary_embedding(em: Emitter, op):
    """RoPE on (B, H, S, D) or (B, S, H*D) inputs: one generic over the
    output; the partner element and the cos/sin entries are extracted."""
    x, cos_c, sin_c = op.operands[0], op.operands[1], op.operands[2]
    pid = em.operand(3)
    shape = em.shape(x)
    rank = len(shape)
    e = elt_of(x)
    interleaved = bool(em.attr("interleaved", 0))
    num_heads = em.attr("num_heads", 0)
    if rank == 4:
        D = shape[3]
    elif rank == 3:
        if not num_heads:
            raise em.fail("num_heads is required for a 3-D input")
        D = shape[2] // num_heads
    else:
        raise em.fail("RotaryEmbedding needs a 3-D or 4-D input")
    rot = em.attr("rotary_embedding_dim", 0) or D
    half = rot // 2
    idx_t = IndexType()
    pe = elt_of(pid) if pid is not None else None
    if pid is not None:  # position ids index the cos/sin caches: checked (no wrapping)
        rows = min(em.shape(cos_c)[0], em.shape(sin_c)[0])
        pid = checked_indices(em, pid, [rows], [0], wrap=False)
        pe = IntegerType(64)

    def body(b: Body, o):
        def cst(v):
            return b.const(v, idx_t)

        bi = b.index(0)
        if rank == 4:
            si = b.index(2)
            dd = b.index(3)
            base = [bi, b.index(1), si]

            def at(dv):
                return [*base, dv]
        else:
            si = b.index(1)
            hd = b.index(2)
            dd = b.add(arith.RemUIOp(hd, cst(D)))
            head0 = b.add(arith.SubiOp(hd, dd))

            def at(dv):
                return [bi, si, b.add(arith.AddiOp(head0, dv))]

        xv = b.add(tensor.ExtractOp(x, at(dd), signless(e)))
        in_rot = b.add(arith.CmpiOp(dd, cst(rot), "ult"))
        if interleaved:
            i = b.add(arith.DivUIOp(dd, cst(2)))
            odd = b.add(arith.CmpiOp(b.add(arith.RemUIOp(dd, cst(2))), cst(1), "eq"))
            partner = b.select(odd, b.add(arith.SubiOp(dd, cst(1))), b.add(arith.AddiOp(dd, cst(1))))
            first = b.not_(odd)
        else:
            first = b.add(arith.CmpiOp(dd, cst(half), "ult"))
            i = b.select(first, dd, b.add(arith.SubiOp(dd, cst(half))))
            partner = b.select(first, b.add(arith.AddiOp(dd, cst(half))), b.add(arith.SubiOp(dd, cst(half))))
        # keep every index in range (the values are only used inside the rotation)
        partner = b.add(arith.MinUIOp(partner, cst(D - 1)))
        i = b.add(arith.MinUIOp(i, cst(max(half - 1, 0))))
        pv = b.add(tensor.ExtractOp(x, at(partner), signless(e)))
        if pid is not None:
            pos = b.to_index(b.add(tensor.ExtractOp(pid, [bi, si], signless(pe))), pe)
            cidx = [pos, i]
        else:
            cidx = [bi, si, i]
        cv = b.add(tensor.ExtractOp(cos_c, cidx, signless(e)))
        sv = b.add(tensor.ExtractOp(sin_c, cidx, signless(e)))
        # first half: x*cos - partner*sin ; second half: partner*sin + x*cos
        real = b.add(arith.SubfOp(b.add(arith.MulfOp(cv, xv)), b.add(arith.MulfOp(sv, pv))))
        imag = b.add(arith.AddfOp(b.add(arith.MulfOp(sv, pv)), b.add(arith.MulfOp(cv, xv))))
        r = b.select(first, real, imag)
        return b.select(in_rot, r, xv)

    return generic(em, [], [], shape, e, body)


@lowering("GridSample", honours=("align_corners", "mode", "padding_mode"))
def lower_grid_sample(em: Emitter, op):
    """GridSample (nearest / linear; zeros, border, reflection padding; any
    number of spatial dims) as one generic whose body reads the grid and the
    input with tensor.extract."""
    x, grid = op.operands[0], op.operands[1]
    xs = em.shape(x)
    r = len(xs) - 2
    mode = em.attr("mode", "linear")
    mode = {"bilinear": "linear", "bicubic": "cubic"}.get(mode, mode)
    pad = em.attr("padding_mode", "zeros")
    align = bool(em.attr("align_corners", 0))
    if mode not in ("linear", "nearest"):
        raise em.fail(f"GridSample mode '{mode}' is not supported")
    e = elt_of(x)
    ge = elt_of(grid)
    f32 = Float32Type()
    i64 = IntegerType(64)
    out = em.out_shape()
    dims = list(xs[2:])
    lo_b = [0.0 if align else -0.5 for _ in dims]
    hi_b = [dm - 1.0 if align else dm - 0.5 for dm in dims]

    def body(b: Body, o):
        def fc(v):
            return b.const(float(v), f32)

        def reflect(v, lo, hi):
            rng = fc(hi - lo)

            def fold(dx, near, far):
                n = b.add(math.TruncOp(b.add(arith.DivfOp(dx, rng))))
                rem = b.add(arith.SubfOp(dx, b.add(arith.MulfOp(n, rng))))
                half = b.add(arith.MulfOp(n, fc(0.5)))
                even = b.add(arith.CmpfOp(b.add(math.FloorOp(half)), half, "oeq"))
                return b.select(even, near(rem), far(rem))

            below = b.add(arith.CmpfOp(v, fc(lo), "olt"))
            above = b.add(arith.CmpfOp(v, fc(hi), "ogt"))
            vb = fold(
                b.add(arith.SubfOp(fc(lo), v)),
                lambda t: b.add(arith.AddfOp(fc(lo), t)),
                lambda t: b.add(arith.SubfOp(fc(hi), t)),
            )
            va = fold(
                b.add(arith.SubfOp(v, fc(hi))),
                lambda t: b.add(arith.SubfOp(fc(hi), t)),
                lambda t: b.add(arith.AddfOp(fc(lo), t)),
            )
            return b.select(below, vb, b.select(above, va, v))

        n_i, c_i = b.index(0), b.index(1)
        opos = [b.index(2 + i) for i in range(r)]
        coords = []
        for i in range(r):
            g = b.add(tensor.ExtractOp(grid, [n_i, *opos, b.const(r - 1 - i, IndexType())], signless(ge)))
            g = b.cast(g, ge, f32)
            dm = dims[i]
            if align:
                v = b.add(arith.MulfOp(b.add(arith.DivfOp(b.add(arith.AddfOp(g, fc(1))), fc(2))), fc(dm - 1)))
            else:
                v = b.add(arith.DivfOp(b.add(arith.SubfOp(b.add(arith.MulfOp(b.add(arith.AddfOp(g, fc(1))), fc(dm))), fc(1))), fc(2)))
            if mode == "nearest":
                v = b.add(math.RoundEvenOp(v))
            if pad == "border":
                v = b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(v, fc(0))), fc(dm - 1)))
            elif pad == "reflection":
                v = reflect(v, lo_b[i], hi_b[i])
            coords.append(v)

        def pixel_index(i, fidx):
            """(safe index, valid flag) for the integer coordinate ``fidx`` (f32)."""
            dm = dims[i]
            if pad == "reflection":
                fidx = reflect(fidx, lo_b[i], hi_b[i])
                # int() truncates toward zero
                fidx = b.add(math.TruncOp(fidx))
            # into [-1, dm] first (NaN -> dm): fptosi of NaN or of a value out of
            # i64 range is poison, which must not reach an address
            fidx = b.add(arith.MaxnumfOp(b.add(arith.MinnumfOp(fidx, fc(dm))), fc(-1)))
            ii = b.add(arith.FPToSIOp(fidx, i64))
            valid = b.add(arith.AndIOp(
                b.add(arith.CmpiOp(ii, b.const(0, i64), "sge")),
                b.add(arith.CmpiOp(ii, b.const(dm - 1, i64), "sle")),
            ))
            safe = b.add(arith.MinSIOp(b.add(arith.MaxSIOp(ii, b.const(0, i64))), b.const(dm - 1, i64)))
            return b.add(arith.IndexCastOp(safe, IndexType())), valid

        def sample(fidxs):
            idxs, valid = [], None
            for i, fi in enumerate(fidxs):
                ix, ok = pixel_index(i, fi)
                idxs.append(ix)
                valid = ok if valid is None else b.add(arith.AndIOp(valid, ok))
            v = b.cast(b.add(tensor.ExtractOp(x, [n_i, c_i, *idxs], signless(e))), e, f32)
            if pad == "zeros":
                v = b.select(valid, v, fc(0))
            return v

        if mode == "nearest":
            return b.cast(sample(coords), f32, e)
        floors = [b.add(math.FloorOp(v)) for v in coords]
        fracs = [b.add(arith.SubfOp(v, fl)) for v, fl in zip(coords, floors)]
        acc = fc(0)
        for corner in range(1 << r):
            fidx, w = [], None
            for i in range(r):
                up = (corner >> i) & 1
                fidx.append(b.add(arith.AddfOp(floors[i], fc(1))) if up else floors[i])
                wi = fracs[i] if up else b.add(arith.SubfOp(fc(1), fracs[i]))
                w = wi if w is None else b.add(arith.MulfOp(w, wi))
            acc = b.add(arith.AddfOp(acc, b.add(arith.MulfOp(w, sample(fidx)))))
        return b.cast(acc, f32, e)

    return generic(em, [], [], out, e, body)


@lowering("SwiGLU", honours=("alpha",))
def lower_swiglu(em: Emitter, op):
    a, bv = op.operands[0], op.operands[1]
    alpha = float(em.attr("alpha", 1.0))
    e = elt_of(a)

    def f(b: Body, av, vv):
        t = av if alpha == 1.0 else b.add(arith.MulfOp(av, b.const(alpha, e)))
        return b.add(arith.MulfOp(b.add(arith.MulfOp(av, sigmoid(b, t, e))), vv))

    return map_elementwise(em, [a, bv], e, f)


def _window(em: Emitter, op, kind: str):
    """Hann/Hamming/Blackman windows, computed by the generated code in f64.

    The size (operand 0) decides the result length, so it must be known at
    compile time; the cosines are evaluated at run time."""
    n = int(require_constant(op, op.operands[0], f"{kind} size").reshape(-1)[0])
    if em.out_shape() != (n,):
        raise em.fail(f"{kind} of size {n} has result type shape {em.out_shape()}")
    periodic = bool(em.attr("periodic", 1))
    big_n = n if periodic else n - 1
    e = em.out_elt()
    f64 = Float64Type()
    a0, a1, a2 = {"HannWindow": (0.5, 0.5, 0.0), "HammingWindow": (25 / 46, 21 / 46, 0.0)}.get(
        kind, (0.42, 0.5, 0.08)
    )

    def body(b: Body, _out):
        k = b.cast(b.index(0), IndexType(), f64)
        w = b.mul(k, b.const(2 * np.pi / max(big_n, 1), f64), "f")
        v = b.sub(b.const(a0, f64), b.mul(b.const(a1, f64), b.add(math.CosOp(w)), "f"), "f")
        if a2:
            w2 = b.add_(w, w, "f")
            v = b.add_(v, b.mul(b.const(a2, f64), b.add(math.CosOp(w2)), "f"), "f")
        return b.cast(v, f64, e)

    return generic(em, [], [], (n,), e, body)


for _w in ("HannWindow", "HammingWindow", "BlackmanWindow"):
    # output_datatype is the result type shape inference gives
    lowering(_w, honours=("output_datatype", "periodic"))(lambda em, op, _k=_w: _window(em, op, _k))


def _dequant_operand(em: Emitter, v, scale, zp, axis: int):
    """(v - zp) * scale in f32, per-tensor or per-axis parameters."""
    shape = em.shape(v)
    ev = elt_of(v)
    f32 = Float32Type()
    ins = [v, scale] + ([zp] if zp is not None else [])
    maps = [AffineMap.identity(len(shape))] + [_param_map(em, p, shape, axis) for p in ins[1:]]

    def body(b: Body, xv, sv, *rest):
        xf = b.cast(xv, ev, f32)
        if zp is not None:
            xf = b.add(arith.SubfOp(xf, b.cast(rest[0], elt_of(zp), f32)))
        return b.add(arith.MulfOp(xf, b.cast(sv, elt_of(scale), f32)))

    return generic(em, ins, maps, shape, f32, body)


def _requant(em: Emitter, y, scale, zp, out_elt):
    f32 = Float32Type()
    ko = kind_of(out_elt)
    lo, hi = lowest(out_elt, ko), highest(out_elt, ko)
    shape = em.shape(y)
    ins = [y, scale, zp]
    maps = [AffineMap.identity(len(shape))] + [_param_map(em, p, shape, 1 if len(shape) > 1 else 0) for p in ins[1:]]

    def body(b: Body, v, sv, zv, o):
        q = b.add(math.RoundEvenOp(b.add(arith.DivfOp(v, b.cast(sv, elt_of(scale), f32)))))
        q = b.add(arith.AddfOp(q, b.cast(zv, elt_of(zp), f32)))
        q = b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(q, b.const(float(lo), f32))), b.const(float(hi), f32)))
        return b.cast(q, f32, out_elt)

    return generic(em, ins, maps, shape, out_elt, body)


@lowering("QLinearMatMul", honours=())
def lower_qlinear_matmul(em: Emitter, op):
    from mlopt.passes.onnx_to_tensor.matmul import batched_matmul

    a, a_s, a_z, b, b_s, b_z, y_s, y_z = op.operands[:8]
    sa, sb = em.shape(a), em.shape(b)
    af = _dequant_operand(em, a, a_s, a_z, len(sa) - 2 if len(sa) > 1 else 0)
    bf = _dequant_operand(em, b, b_s, b_z, len(sb) - 1)
    y = batched_matmul(em, af, bf, Float32Type())
    y = em.reshape(y, em.out_shape())
    return _requant(em, y, y_s, y_z, em.out_elt())


@lowering(
    "QLinearConv",
    honours=("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"),
)
def lower_qlinear_conv(em: Emitter, op):
    from mlopt.passes.onnx_to_tensor.conv import _conv_core

    x, x_s, x_z, w, w_s, w_z, y_s, y_z = op.operands[:8]
    bias = em.operand(8)
    xf = _dequant_operand(em, x, x_s, x_z, 1)
    wf = _dequant_operand(em, w, w_s, w_z, 0)
    bf = None
    if bias is not None:
        # int32 bias is quantized with scale x_scale * w_scale, zero point 0
        f32 = Float32Type()
        ws = em.shape(w_s)
        wmap = AffineMap(1, 0, (d(0),)) if ws and int(np.prod(ws)) > 1 else AffineMap(1, 0, tuple(c(0) for _ in ws))
        xmap = AffineMap(1, 0, tuple(c(0) for _ in em.shape(x_s)))
        be = elt_of(bias)
        bf = generic(
            em, [bias, x_s, w_s], [AffineMap.identity(1), xmap, wmap], em.shape(bias), f32,
            lambda b, bv, xs_, ws_, o: b.add(arith.MulfOp(
                b.cast(bv, be, f32), b.add(arith.MulfOp(b.cast(xs_, elt_of(x_s), f32), b.cast(ws_, elt_of(w_s), f32)))
            )),
        )
    y = _conv_core(em, op, xf, wf, bf, Float32Type())
    return _requant(em, y, y_s, y_z, em.out_elt())


@lowering("MaxUnpool", honours=("kernel_shape", "pads", "strides"))
def lower_max_unpool(em: Emitter, op):
    """out[n, c, o...] = X[n, c, i...] where I[n, c, i...] is the flat index of
    (n, c, o...) in the output, else 0: a reduction over the input window.
    The indices are checked first (``checked_indices``, against the flattened
    output)."""
    x, ind = op.operands[0], op.operands[1]
    xs = em.shape(x)
    final = em.out_shape()
    r = len(xs) - 2
    kernel = em.attr("kernel_shape")
    strides = em.attr("strides") or [1] * r
    pads = em.attr("pads") or [0] * (2 * r)
    # the indices address the inferred shape; output_shape pads it at the end
    out = (xs[0], xs[1], *[(xs[2 + i] - 1) * strides[i] - (pads[i] + pads[r + i]) + kernel[i] for i in range(r)])
    e = elt_of(x)
    # a flat index into ``out``: one outside it is an error (as in onnxruntime),
    # not a silently dropped value
    ind = checked_indices(em, ind, [int(np.prod(out))], [-1], wrap=False)
    ie = i64 = IntegerType(64)
    nd = 2 + 2 * r
    imap = AffineMap(nd, 0, (d(0), d(1), *[d(2 + r + i) for i in range(r)]))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    init = em.filled(out, e, 0)

    def body(b: Body, xv, iv, acc):
        flat = b.cast(b.index(0), IndexType(), i64)
        for j, size in enumerate(out[1:], start=1):
            flat = b.add(arith.AddiOp(b.add(arith.MuliOp(flat, b.const(size, i64))), b.cast(b.index(j), IndexType(), i64)))
        hit = b.add(arith.CmpiOp(b.cast(iv, ie, i64), flat, "eq"))
        return b.select(hit, xv, acc)

    res = generic(
        em, [x, ind], [imap, imap], out, e, body,
        iterators=["parallel"] * (2 + r) + ["reduction"] * r, init=init, out_map=omap,
    )
    if tuple(out) == tuple(final):
        return res
    if any(a > b for a, b in zip(out, final)):
        raise em.fail(f"output_shape {final} is smaller than the unpooled shape {out}")
    return em.insert_slice(res, em.filled(final, e, 0), [0] * len(out), list(out))


@lowering("AffineGrid", honours=("align_corners",))
def lower_affine_grid(em: Emitter, op):
    """grid[n, s..., :] = theta[n] @ (base coordinates of s..., 1)."""
    theta = op.operands[0]
    size = [int(v) for v in require_constant(op, op.operands[1], "AffineGrid size").reshape(-1)]
    align = bool(em.attr("align_corners", 0))
    sp = size[2:]
    r = len(sp)
    e = elt_of(theta)

    def lin(n):
        if align:
            return np.linspace(-1.0, 1.0, n) if n > 1 else np.zeros(1)
        return (2 * np.arange(n) + 1) / n - 1

    # base[s..., k] with k over (x, y[, z], 1): x runs along the last dim
    axes = [lin(n) for n in sp]
    mesh = np.meshgrid(*axes, indexing="ij")
    comps = [mesh[r - 1 - k] for k in range(r)] + [np.ones(sp)]
    base = np.stack(comps, axis=-1)
    from mlopt.passes.onnx_to_tensor.common import numpy_dtype

    base_c = em.dense(base.astype(numpy_dtype(e)), e)
    out = em.out_shape()
    nd = 2 + r + 1  # n, s..., j (output component), k (reduction)
    tmap = AffineMap(nd + 1 - 1, 0, (d(0), d(1 + r), d(2 + r)))
    bmap = AffineMap(nd, 0, (*[d(1 + i) for i in range(r)], d(2 + r)))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    init = em.filled(out, e, 0)
    k = kind_of(e)
    return generic(
        em, [theta, base_c], [tmap, bmap], out, e,
        lambda b, tv, bv, acc: b.add_(acc, b.mul(tv, bv, k), k),
        iterators=["parallel"] * (2 + r) + ["reduction"], init=init, out_map=omap,
    )


@lowering("Col2Im", honours=("dilations", "pads", "strides"))
def lower_col2im(em: Emitter, op):
    """out[n, c, p...] = sum over kernel offsets k of
    input[n, c*K + k_flat, l_flat] where p = l*stride - pad + k*dilation."""
    x = op.operands[0]
    image = [int(v) for v in require_constant(op, op.operands[1], "Col2Im image_shape").reshape(-1)]
    block = [int(v) for v in require_constant(op, op.operands[2], "Col2Im block_shape").reshape(-1)]
    r = len(image)
    dil = em.attr("dilations") or [1] * r
    pads = em.attr("pads") or [0] * (2 * r)
    strides = em.attr("strides") or [1] * r
    nb = [
        (image[i] + pads[i] + pads[r + i] - dil[i] * (block[i] - 1) - 1) // strides[i] + 1 for i in range(r)
    ]
    e = elt_of(x)
    k = kind_of(e)
    out = em.out_shape()
    i64 = IntegerType(64)
    nd = 2 + 2 * r
    win = em.empty(block, e)
    wmap = AffineMap(nd, 0, tuple(d(2 + r + i) for i in range(r)))
    omap = AffineMap(nd, 0, tuple(d(i) for i in range(2 + r)))
    init = em.filled(out, e, 0)
    K = int(np.prod(block))

    def body(b: Body, _w, acc):
        def ix(j):
            return b.cast(b.index(j), IndexType(), i64)

        valid = None
        l_flat = b.const(0, i64)
        k_flat = b.const(0, i64)
        for i in range(r):
            kv = ix(2 + r + i)
            num = b.add(arith.SubiOp(
                b.add(arith.AddiOp(ix(2 + i), b.const(pads[i], i64))),
                b.add(arith.MuliOp(kv, b.const(dil[i], i64))),
            ))
            s = b.const(strides[i], i64)
            li = b.add(arith.DivSIOp(num, s))
            ok = b.add(arith.AndIOp(
                b.add(arith.CmpiOp(b.add(arith.RemSIOp(num, s)), b.const(0, i64), "eq")),
                b.add(arith.AndIOp(
                    b.add(arith.CmpiOp(num, b.const(0, i64), "sge")),
                    b.add(arith.CmpiOp(li, b.const(nb[i], i64), "slt")),
                )),
            ))
            valid = ok if valid is None else b.add(arith.AndIOp(valid, ok))
            li = b.add(arith.MinSIOp(b.add(arith.MaxSIOp(li, b.const(0, i64))), b.const(nb[i] - 1, i64)))
            l_flat = b.add(arith.AddiOp(b.add(arith.MuliOp(l_flat, b.const(nb[i], i64))), li))
            k_flat = b.add(arith.AddiOp(b.add(arith.MuliOp(k_flat, b.const(block[i], i64))), kv))
        ch = b.add(arith.AddiOp(b.add(arith.MuliOp(ix(1), b.const(K, i64))), k_flat))
        v = b.add(tensor.ExtractOp(
            x, [b.index(0), b.add(arith.IndexCastOp(ch, IndexType())), b.add(arith.IndexCastOp(l_flat, IndexType()))],
            signless(e),
        ))
        return b.select(valid, b.add_(acc, v, k), acc)

    return generic(
        em, [win], [wmap], out, e, body,
        iterators=["parallel"] * (2 + r) + ["reduction"] * r, init=init, out_map=omap,
    )


@lowering("Det", honours=())
def lower_det(em: Emitter, op):
    """Determinants of 1x1, 2x2 and 3x3 matrices (closed forms, any batch)."""
    x = op.operands[0]
    xs = em.shape(x)
    n = xs[-1]
    if len(xs) < 2 or xs[-2] != n or n > 3:
        raise em.fail(f"Det is supported for square matrices up to 3x3, got shape {xs}")
    e = elt_of(x)
    batch = xs[:-2]
    nb = len(batch)

    def body(b: Body, o):
        idx = [b.index(i) for i in range(nb)]

        def a(i, j):
            return b.add(tensor.ExtractOp(x, [*idx, b.const(i, IndexType()), b.const(j, IndexType())], signless(e)))

        def mul(p, q):
            return b.add(arith.MulfOp(p, q))

        def det2(p, q, r_, s):
            return b.add(arith.SubfOp(mul(p, s), mul(q, r_)))

        if n == 1:
            return a(0, 0)
        if n == 2:
            return det2(a(0, 0), a(0, 1), a(1, 0), a(1, 1))
        t0 = mul(a(0, 0), det2(a(1, 1), a(1, 2), a(2, 1), a(2, 2)))
        t1 = mul(a(0, 1), det2(a(1, 0), a(1, 2), a(2, 0), a(2, 2)))
        t2 = mul(a(0, 2), det2(a(1, 0), a(1, 1), a(2, 0), a(2, 1)))
        return b.add(arith.AddfOp(b.add(arith.SubfOp(t0, t1)), t2))

    res = generic(em, [], [], batch, e, body)
    return em.reshape(res, em.out_shape())

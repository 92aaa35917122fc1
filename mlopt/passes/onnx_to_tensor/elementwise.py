"""Elementwise ops (unary math, activations, binary arithmetic with numpy
broadcasting, comparisons, logic, Where, Clip, Cast, Identity, Dropout)."""

from __future__ import annotations

import math as pymath

from xdsl.dialects import arith, math
from xdsl.dialects.builtin import Float64Type, IntegerType

from mlopt.passes.onnx_to_tensor.common import (
    Body,
    broadcast_shape,
    Emitter,
    constant_array,
    elt_of,
    is_none,
    kind_of,
    lowering,
    map_elementwise,
    width_of,
)

# ---------------------------------------------------------------------------
# unary float math


def _float_only(em: Emitter, x) -> None:
    if kind_of(elt_of(x)) != "f":
        raise em.fail(f"expects a floating-point input, got {elt_of(x)}")


def _unary(em: Emitter, op, fn):
    x = op.operands[0]
    e = elt_of(x)
    k = kind_of(e)
    return map_elementwise(em, [x], em.out_elt(), lambda b, v: fn(b, v, e, k))


_MATH_UNARY = {
    "Sqrt": math.SqrtOp,
    "Exp": math.ExpOp,
    "Log": math.LogOp,
    "Floor": math.FloorOp,
    "Ceil": math.CeilOp,
    "Sin": math.SinOp,
    "Cos": math.CosOp,
    "Tan": math.TanOp,
    "Asin": math.AsinOp,
    "Acos": math.AcosOp,
    "Atan": math.AtanOp,
    "Sinh": math.SinhOp,
    "Cosh": math.CoshOp,
    "Asinh": math.AsinhOp,
    "Acosh": math.AcoshOp,
    "Atanh": math.AtanhOp,
    "Tanh": math.TanhOp,
    "Erf": math.ErfOp,
    "Round": math.RoundEvenOp,
}


def _make_math_unary(cls):
    def lower(em: Emitter, op):
        _float_only(em, op.operands[0])
        return _unary(em, op, lambda b, v, e, k: b.add(cls(v)))

    return lower


for _name, _cls in _MATH_UNARY.items():
    lowering(_name, honours=())(_make_math_unary(_cls))


def _one(b: Body, e):
    return b.const(1.0, e)


def sigmoid(b: Body, v, e):
    # 1 / (1 + exp(-x))
    ex = b.add(math.ExpOp(b.add(arith.NegfOp(v))))
    return b.add(arith.DivfOp(_one(b, e), b.add(arith.AddfOp(_one(b, e), ex))))


@lowering("Relu", honours=())
def lower_relu(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.max(v, b.const(0, e), k))


@lowering("Abs", honours=())
def lower_abs(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.abs(v, k))


@lowering("Neg", honours=())
def lower_neg(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.neg(v, k))


@lowering("Sign", honours=())
def lower_sign(em: Emitter, op):
    def f(b: Body, v, e, k):
        zero = b.const(0, e)
        one = b.const(1, e)
        if k in ("u", "b"):
            return b.select(b.cmp("ne", v, zero, k), one, zero)
        pos = b.select(b.cmp("gt", v, zero, k), one, zero)
        return b.select(b.cmp("lt", v, zero, k), b.const(-1, e), pos)

    return _unary(em, op, f)


@lowering("Reciprocal", honours=())
def lower_reciprocal(em: Emitter, op):
    _float_only(em, op.operands[0])
    return _unary(em, op, lambda b, v, e, k: b.add(arith.DivfOp(_one(b, e), v)))


@lowering("Sigmoid", honours=())
def lower_sigmoid(em: Emitter, op):
    _float_only(em, op.operands[0])
    return _unary(em, op, lambda b, v, e, k: sigmoid(b, v, e))


@lowering("LeakyRelu", honours=("alpha",))
def lower_leaky_relu(em: Emitter, op):
    alpha = em.attr("alpha", 0.01)

    def f(b: Body, v, e, k):
        neg = b.mul(v, b.const(alpha, e), k)
        return b.select(b.cmp("lt", v, b.const(0, e), k), neg, v)

    return _unary(em, op, f)


@lowering("ThresholdedRelu", honours=("alpha",))
def lower_thresholded_relu(em: Emitter, op):
    alpha = em.attr("alpha", 1.0)
    return _unary(
        em, op,
        lambda b, v, e, k: b.select(b.cmp("gt", v, b.const(alpha, e), k), v, b.const(0, e)),
    )


@lowering("Elu", honours=("alpha",))
def lower_elu(em: Emitter, op):
    alpha = em.attr("alpha", 1.0)

    def f(b: Body, v, e, k):
        em1 = b.add(arith.SubfOp(b.add(math.ExpOp(v)), _one(b, e)))
        neg = b.add(arith.MulfOp(b.const(alpha, e), em1))
        return b.select(b.cmp("lt", v, b.const(0, e), k), neg, v)

    return _unary(em, op, f)


@lowering("Celu", honours=("alpha",))
def lower_celu(em: Emitter, op):
    alpha = em.attr("alpha", 1.0)

    def f(b: Body, v, e, k):
        # max(0,x) + min(0, alpha*(exp(x/alpha)-1))
        a = b.const(alpha, e)
        ex = b.add(math.ExpOp(b.add(arith.DivfOp(v, a))))
        neg = b.add(arith.MulfOp(a, b.add(arith.SubfOp(ex, _one(b, e)))))
        zero = b.const(0, e)
        return b.add(arith.AddfOp(b.max(v, zero, k), b.min(neg, zero, k)))

    return _unary(em, op, f)


@lowering("Selu", honours=("alpha", "gamma"))
def lower_selu(em: Emitter, op):
    alpha = em.attr("alpha", 1.67326319217681884765625)
    gamma = em.attr("gamma", 1.05070102214813232421875)

    def f(b: Body, v, e, k):
        ex = b.add(math.ExpOp(v))
        neg = b.add(arith.SubfOp(b.add(arith.MulfOp(b.const(alpha, e), ex)), b.const(alpha, e)))
        r = b.select(b.cmp("gt", v, b.const(0, e), k), v, neg)
        return b.add(arith.MulfOp(b.const(gamma, e), r))

    return _unary(em, op, f)


@lowering("Softplus", honours=())
def lower_softplus(em: Emitter, op):
    def f(b: Body, v, e, k):
        # log(1 + exp(x)), stable: max(x,0) + log1p(exp(-|x|))
        ab = b.add(math.AbsFOp(v))
        t = b.add(math.Log1pOp(b.add(math.ExpOp(b.add(arith.NegfOp(ab))))))
        return b.add(arith.AddfOp(b.max(v, b.const(0, e), k), t))

    return _unary(em, op, f)


@lowering("Softsign", honours=())
def lower_softsign(em: Emitter, op):
    def f(b: Body, v, e, k):
        return b.add(arith.DivfOp(v, b.add(arith.AddfOp(_one(b, e), b.add(math.AbsFOp(v))))))

    return _unary(em, op, f)


@lowering("HardSigmoid", honours=("alpha", "beta"))
def lower_hard_sigmoid(em: Emitter, op):
    alpha = em.attr("alpha", 0.2)
    beta = em.attr("beta", 0.5)

    def f(b: Body, v, e, k):
        t = b.add(arith.AddfOp(b.add(arith.MulfOp(v, b.const(alpha, e))), b.const(beta, e)))
        return b.min(b.max(t, b.const(0, e), k), _one(b, e), k)

    return _unary(em, op, f)


@lowering("HardSwish", honours=())
def lower_hard_swish(em: Emitter, op):
    def f(b: Body, v, e, k):
        t = b.add(arith.AddfOp(b.add(arith.MulfOp(v, b.const(1.0 / 6.0, e))), b.const(0.5, e)))
        hs = b.min(b.max(t, b.const(0, e), k), _one(b, e), k)
        return b.add(arith.MulfOp(v, hs))

    return _unary(em, op, f)


def _erf_poly(b: Body, v, e):
    return b.add(math.ErfOp(v))


@lowering("Gelu", honours=("approximate",))
def lower_gelu(em: Emitter, op):
    approx = em.attr("approximate", "none")

    def f(b: Body, v, e, k):
        half = b.const(0.5, e)
        if approx == "tanh":
            # 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3)))
            x3 = b.add(arith.MulfOp(v, b.add(arith.MulfOp(v, v))))
            inner = b.add(arith.AddfOp(v, b.add(arith.MulfOp(b.const(0.044715, e), x3))))
            inner = b.add(arith.MulfOp(b.const(pymath.sqrt(2.0 / pymath.pi), e), inner))
            t = b.add(math.TanhOp(inner))
        else:
            t = _erf_poly(b, b.add(arith.MulfOp(v, b.const(1.0 / pymath.sqrt(2.0), e))), e)
        return b.add(arith.MulfOp(b.add(arith.MulfOp(half, v)), b.add(arith.AddfOp(_one(b, e), t))))

    return _unary(em, op, f)


@lowering("Mish", honours=())
def lower_mish(em: Emitter, op):
    def f(b: Body, v, e, k):
        ab = b.add(math.AbsFOp(v))
        sp = b.add(math.Log1pOp(b.add(math.ExpOp(b.add(arith.NegfOp(ab))))))
        sp = b.add(arith.AddfOp(b.max(v, b.const(0, e), k), sp))
        return b.add(arith.MulfOp(v, b.add(math.TanhOp(sp))))

    return _unary(em, op, f)


@lowering("Shrink", honours=("bias", "lambd"))
def lower_shrink(em: Emitter, op):
    bias = em.attr("bias", 0.0)
    lambd = em.attr("lambd", 0.5)

    def f(b: Body, v, e, k):
        zero = b.const(0, e)
        if k == "f":
            lo = b.add(arith.AddfOp(v, b.const(bias, e)))
            hi = b.add(arith.SubfOp(v, b.const(bias, e)))
            lam, nlam = b.const(lambd, e), b.const(-lambd, e)
        else:
            lo = b.add(arith.AddiOp(v, b.const(int(bias), e)))
            hi = b.add(arith.SubiOp(v, b.const(int(bias), e)))
            lam, nlam = b.const(int(lambd), e), b.const(-int(lambd), e)
        r = b.select(b.cmp("gt", v, lam, k), hi, zero)
        return b.select(b.cmp("lt", v, nlam, k), lo, r)

    return _unary(em, op, f)


@lowering("IsNaN", honours=())
def lower_isnan(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.add(arith.CmpfOp(v, v, "uno")))


@lowering("IsInf", honours=("detect_negative", "detect_positive"))
def lower_isinf(em: Emitter, op):
    pos = em.attr("detect_positive", 1)
    neg = em.attr("detect_negative", 1)

    def f(b: Body, v, e, k):
        false = b.const(0, IntegerType(1))
        r = false
        if pos:
            r = b.add(arith.CmpfOp(v, b.const(float("inf"), e), "oeq"))
        if neg:
            n = b.add(arith.CmpfOp(v, b.const(float("-inf"), e), "oeq"))
            r = n if r is false else b.add(arith.OrIOp(r, n))
        return r

    return _unary(em, op, f)


@lowering("Not", honours=())
def lower_not(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.not_(v))


@lowering("BitwiseNot", honours=())
def lower_bitwise_not(em: Emitter, op):
    return _unary(em, op, lambda b, v, e, k: b.add(arith.XOrIOp(v, b.const(-1, e))))


@lowering("Identity", honours=())
def lower_identity(em: Emitter, op):
    return op.operands[0]


@lowering("Dropout", honours=("seed",))
def lower_dropout(em: Emitter, op):
    """Inference Dropout: identity, mask all true. Training mode (unless the
    ratio is 0) would need random numbers: a compile-time error."""
    x = op.operands[0]
    training = em.operand(2)
    if training is not None:
        t = constant_array(training)
        if t is None:
            raise em.fail("Dropout's training_mode must be a compile-time constant")
        if bool(t.reshape(-1)[0]):
            ratio_v = em.operand(1)
            ratio = 0.5
            if ratio_v is not None:
                r = constant_array(ratio_v)
                if r is None:
                    raise em.fail("Dropout in training mode is not supported")
                ratio = float(r.reshape(-1)[0])
            if ratio != 0.0:
                raise em.fail("Dropout in training mode (random masking) is not supported")
    res = [x]
    if len(op.results) > 1 and not is_none(op.results[1]):
        res.append(em.filled(em.out_shape(1), em.out_elt(1), 1))
    return res


@lowering("Cast", "CastLike", honours=("to", "saturate", "round_mode"))
def lower_cast(em: Emitter, op):
    x = op.operands[0]
    src = elt_of(x)
    dst = em.out_elt()
    if src == dst:
        return x
    return map_elementwise(em, [x], dst, lambda b, v: b.cast(v, src, dst))


@lowering("Clip", honours=())
def lower_clip(em: Emitter, op):
    x = op.operands[0]
    e = elt_of(x)
    k = kind_of(e)
    lo = em.operand(1)
    hi = em.operand(2)
    # opset < 11: min/max attributes
    if lo is None and em.attr("min") is not None:
        lo_v = em.attr("min")
    else:
        lo_v = None
    if hi is None and em.attr("max") is not None:
        hi_v = em.attr("max")
    else:
        hi_v = None
    inputs = [x] + [v for v in (lo, hi) if v is not None]

    def f(b: Body, v, *bounds):
        i = 0
        r = v
        if lo is not None:
            r = b.max(r, bounds[i], k)
            i += 1
        elif lo_v is not None:
            r = b.max(r, b.const(lo_v, e), k)
        if hi is not None:
            r = b.min(r, bounds[i], k)
        elif hi_v is not None:
            r = b.min(r, b.const(hi_v, e), k)
        return r

    return map_elementwise(em, inputs, em.out_elt(), f, em.shape(x))


# ---------------------------------------------------------------------------
# binary ops with multidirectional broadcasting


def _binary(em: Emitter, op, fn):
    a, bv = op.operands[0], op.operands[1]
    e = elt_of(a)
    k = kind_of(e)
    return map_elementwise(em, [a, bv], em.out_elt(), lambda b, x, y: fn(b, x, y, e, k))


_ARITH = {
    "Add": lambda b, x, y, e, k: b.add_(x, y, k),
    "Sub": lambda b, x, y, e, k: b.sub(x, y, k),
    "Mul": lambda b, x, y, e, k: b.mul(x, y, k),
    "Div": lambda b, x, y, e, k: b.div(x, y, k),
    "Equal": lambda b, x, y, e, k: b.cmp("eq", x, y, k),
    "Less": lambda b, x, y, e, k: b.cmp("lt", x, y, k),
    "LessOrEqual": lambda b, x, y, e, k: b.cmp("le", x, y, k),
    "Greater": lambda b, x, y, e, k: b.cmp("gt", x, y, k),
    "GreaterOrEqual": lambda b, x, y, e, k: b.cmp("ge", x, y, k),
    "And": lambda b, x, y, e, k: b.add(arith.AndIOp(x, y)),
    "Or": lambda b, x, y, e, k: b.add(arith.OrIOp(x, y)),
    "Xor": lambda b, x, y, e, k: b.add(arith.XOrIOp(x, y)),
    "BitwiseAnd": lambda b, x, y, e, k: b.add(arith.AndIOp(x, y)),
    "BitwiseOr": lambda b, x, y, e, k: b.add(arith.OrIOp(x, y)),
    "BitwiseXor": lambda b, x, y, e, k: b.add(arith.XOrIOp(x, y)),
}


def _make_binary(fn):
    def lower(em: Emitter, op):
        return _binary(em, op, fn)

    return lower


for _name, _fn in _ARITH.items():
    lowering(_name, honours=())(_make_binary(_fn))


@lowering("PRelu", honours=())
def lower_prelu(em: Emitter, op):
    x, slope = op.operands[0], op.operands[1]
    e = elt_of(x)
    k = kind_of(e)
    out, ss = em.out_shape(), em.shape(slope)
    if len(ss) > len(out):  # unidirectional: leading size-1 dims of the slope go
        slope = em.reshape(slope, ss[len(ss) - len(out) :])
    return map_elementwise(
        em, [x, slope], em.out_elt(),
        lambda b, xv, sv: b.select(b.cmp("lt", xv, b.const(0, e), k), b.mul(xv, sv, k), xv),
    )


@lowering("BitShift", honours=("direction",))
def lower_bitshift(em: Emitter, op):
    left = em.attr("direction", "LEFT") == "LEFT"

    def f(b: Body, x, y, e, k):
        # shifts by >= width (or negative) give 0, or the sign fill for signed
        # right shifts, instead of LLVM's poison
        w = width_of(e)
        oob = b.add(arith.CmpiOp(y, b.const(w, e), "uge"))
        if left:
            return b.select(oob, b.const(0, e), b.add(arith.ShLIOp(x, y)))
        if k == "s":
            fill = b.add(arith.ShRSIOp(x, b.const(w - 1, e)))
            return b.select(oob, fill, b.add(arith.ShRSIOp(x, y)))
        return b.select(oob, b.const(0, e), b.add(arith.ShRUIOp(x, y)))

    return _binary(em, op, f)


@lowering("Mod", honours=("fmod",))
def lower_mod(em: Emitter, op):
    fmod = em.attr("fmod", 0)

    def f(b: Body, x, y, e, k):
        r = b.rem(x, y, k)
        if fmod or k in ("u", "b"):
            return r
        if k == "f":
            # Python/numpy mod: the sign of the divisor
            zero = b.const(0.0, e)
            rz = b.add(arith.CmpfOp(r, zero, "oeq"))
            differ = b.add(arith.XOrIOp(b.cmp("lt", r, zero, k), b.cmp("lt", y, zero, k)))
            adj = b.select(differ, b.add(arith.AddfOp(r, y)), r)
            return b.select(rz, b.add(math.CopySignOp(zero, y)), adj)
        # Python-style: result has the sign of the divisor
        zero = b.const(0, e)
        rneg = b.cmp("lt", r, zero, k)
        yneg = b.cmp("lt", y, zero, k)
        rnz = b.cmp("ne", r, zero, k)
        differ = b.add(arith.AndIOp(rnz, b.add(arith.XOrIOp(rneg, yneg))))
        return b.select(differ, b.add_(r, y, k), r)

    return _binary(em, op, f)


@lowering("Pow", honours=())
def lower_pow(em: Emitter, op):
    base, expo = op.operands[0], op.operands[1]
    eb, ee = elt_of(base), elt_of(expo)
    kb = kind_of(eb)
    ex_const = constant_array(expo)

    if (
        kb == "f"
        and ex_const is not None
        and ex_const.size == 1
        and float(ex_const.reshape(-1)[0]) in (1.0, 2.0, 0.5)
    ):
        pw = float(ex_const.reshape(-1)[0])
        out_shape = broadcast_shape(op, em.shape(base), em.shape(expo))

        def g(b: Body, x):
            if pw == 2.0:
                return b.add(arith.MulfOp(x, x))
            if pw == 0.5:
                return b.add(math.SqrtOp(x))
            return x

        return map_elementwise(em, [base], em.out_elt(), g, out_shape)

    def f(b: Body, x, y):
        if kb == "f":
            yy = b.cast(y, ee, eb)
            return b.add(math.PowFOp(x, yy))
        # integer base: compute in f64 and convert back
        f64 = Float64Type()
        xf = b.cast(x, eb, f64)
        yf = b.cast(y, ee, f64)
        return b.cast(b.add(math.PowFOp(xf, yf)), f64, eb)

    return map_elementwise(em, [base, expo], em.out_elt(), f)


@lowering("Where", honours=())
def lower_where(em: Emitter, op):
    def f(b: Body, cnd, x, y):
        return b.select(cnd, x, y)

    return map_elementwise(em, list(op.operands[:3]), em.out_elt(), f)


# ---------------------------------------------------------------------------
# variadic: Sum, Max, Min, Mean


def _variadic(em: Emitter, op, combine, finish=None):
    ins = list(op.operands)
    e = elt_of(ins[0])
    k = kind_of(e)
    if len(ins) == 1 and finish is None:
        return ins[0] if em.shape(ins[0]) == em.out_shape() else map_elementwise(
            em, ins, em.out_elt(), lambda b, x: x, em.out_shape()
        )

    def f(b: Body, *xs):
        acc = xs[0]
        for x in xs[1:]:
            acc = combine(b, acc, x, k)
        if finish is not None:
            acc = finish(b, acc, e, k, len(xs))
        return acc

    return map_elementwise(em, ins, em.out_elt(), f)


@lowering("Sum", honours=())
def lower_sum(em: Emitter, op):
    return _variadic(em, op, lambda b, a, x, k: b.add_(a, x, k))


@lowering("Max", honours=())
def lower_max(em: Emitter, op):
    return _variadic(em, op, lambda b, a, x, k: b.max(a, x, k))


@lowering("Min", honours=())
def lower_min(em: Emitter, op):
    return _variadic(em, op, lambda b, a, x, k: b.min(a, x, k))


@lowering("Mean", honours=())
def lower_mean(em: Emitter, op):
    def finish(b: Body, acc, e, k, n):
        return b.div(acc, b.const(n, e), k)

    return _variadic(em, op, lambda b, a, x, k: b.add_(a, x, k), finish)


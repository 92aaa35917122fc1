"""`math-approximate-exp`: f32 ``math.exp`` as arithmetic that vectorises.

Accepts any level with ``math``/``arith`` ops (it runs on the affine level,
after ``convert-linalg-to-affine``, at -O2/-O3).  ``math.exp`` becomes LLVM's
``llvm.exp``, which LLVM can only lower to one ``expf`` call per element: a
loop containing it is never vectorised (Softmax over 512 x 1000 took 14x
onnxruntime's time).  Here every f32 ``math.exp`` (scalar or vector) is
replaced by the classic range-reduced polynomial, in ``arith`` and
``math.floor`` only, so the loops around it vectorise:

* ``x`` is clamped to [-104, 88.8] (beyond, the result is 0 or inf anyway);
* ``n = floor(x log2(e) + 1/2)``, ``r = x - n ln 2`` (``ln 2`` split in two
  parts, so ``r`` is exact to f32), ``|r| <= ln 2 / 2``;
* ``e^r = 1 + r + r^2 p(r)``, ``p`` a degree-5 minimax polynomial (the
  Cephes ``expf`` coefficients);
* ``e^x = e^r 2^a 2^b`` with ``a = n >> 1``, ``b = n - a``: two exponent-field
  factors, so that results near the overflow and in the subnormal range come
  out right;
* a NaN input gives NaN (it propagates through every step).

Only ops with a lane-wise vector form are used (no ``fptosi``, no compares):
``affine-vectorize-reductions`` vectorises Softmax's sum of exponentials too.

Accuracy: within 2 ulp of the correctly rounded ``e^x`` over the whole f32
range (``test/backend/test_math_approx.py`` checks it against float64), exact
at 0 (1), -inf (0) and +inf (inf).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, math
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    Float32Type,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    VectorType,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern, op_type_rewrite_pattern

F32 = Float32Type()
I32 = IntegerType(32)
CONTRACT = arith.FastMathFlagsAttr([arith.FastMathFlag.ALLOW_CONTRACT])

LOG2E = 1.44269504088896341
LN2_HI = 0.693359375
LN2_LO = -2.12194440e-4
LO, HI = -104.0, 88.8
MAGIC = 12582912.0  # 1.5 * 2^23
MAGIC_BITS = 0x4B400000  # its bits
#: p(r) for e^r = 1 + r + r^2 p(r), highest degree first (Cephes expf)
POLY = (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1)


class _Build:
    def __init__(self, rewriter: PatternRewriter, like: Attribute):
        self.rw = rewriter
        self.ftype = like
        self.itype = VectorType(I32, like.get_shape()) if isinstance(like, VectorType) else I32

    def add(self, op: Operation) -> SSAValue:
        self.rw.insert_op(op)
        return op.results[0]

    def const(self, v: float | int, typ: Attribute) -> SSAValue:
        if isinstance(typ, VectorType):
            return self.add(arith.ConstantOp(DenseIntOrFPElementsAttr.from_list(typ, [v] * typ.element_count())))
        return self.add(arith.ConstantOp(FloatAttr(v, typ) if typ == F32 else IntegerAttr(v, typ)))

    def f(self, v: float) -> SSAValue:
        return self.const(v, self.ftype)

    def i(self, v: int) -> SSAValue:
        return self.const(v, self.itype)


def _is_f32(t: Attribute) -> bool:
    return t == F32 or (isinstance(t, VectorType) and t.element_type == F32)


class ApproximateExp(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: math.ExpOp, rewriter: PatternRewriter, /):
        x = op.operand
        if not _is_f32(x.type):
            return
        b = _Build(rewriter, x.type)
        # contract: each multiply-add of the range reduction and of Horner's
        # scheme may be one FMA (one rounding: at least as accurate)
        fadd = lambda p, q: b.add(arith.AddfOp(p, q, CONTRACT))  # noqa: E731
        fmul = lambda p, q: b.add(arith.MulfOp(p, q, CONTRACT))  # noqa: E731
        xc = b.add(arith.MinimumfOp(b.add(arith.MaximumfOp(x, b.f(LO))), b.f(HI)))
        n = b.add(math.FloorOp(fadd(fmul(xc, b.f(LOG2E)), b.f(0.5))))
        r = b.add(arith.SubfOp(xc, fmul(n, b.f(LN2_HI)), CONTRACT))
        r = b.add(arith.SubfOp(r, fmul(n, b.f(LN2_LO)), CONTRACT))
        p = b.f(POLY[0])
        for c in POLY[1:]:
            p = fadd(fmul(p, r), b.f(c))
        er = fadd(fadd(fmul(fmul(r, r), p), r), b.f(1.0))
        # n as an integer without fptosi (poison on NaN; and xDSL has no vector
        # form): n + 1.5 * 2^23 holds n in its low mantissa bits
        shifted = b.add(arith.BitcastOp(fadd(n, b.f(MAGIC)), b.itype))
        ni = b.add(arith.SubiOp(shifted, b.i(MAGIC_BITS)))
        a = b.add(arith.ShRSIOp(ni, b.i(1)))
        c = b.add(arith.SubiOp(ni, a))

        def pow2(k: SSAValue) -> SSAValue:
            bits = b.add(arith.ShLIOp(b.add(arith.AddiOp(k, b.i(127))), b.i(23)))
            return b.add(arith.BitcastOp(bits, x.type))

        # a NaN x stays NaN through the clamp (maximumf/minimumf propagate it)
        # and the polynomial, and NaN times any power of two is NaN
        rewriter.replace_matched_op(arith.MulfOp(fmul(er, pow2(a)), pow2(c)))


@dataclass(frozen=True)
class MathApproximateExpPass(ModulePass):
    """f32 ``math.exp`` as a vectorisable polynomial (see the module doc)."""

    name = "math-approximate-exp"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(ApproximateExp(), apply_recursively=False).rewrite_module(op)

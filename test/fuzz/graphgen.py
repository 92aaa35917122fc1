"""A seeded generator of random valid ONNX graphs, and a differential check of
mlopt's compiled path against onnxruntime.

``generate(seed)`` builds a graph of 2-8 nodes drawn from about a hundred op types
(elementwise unary/binary ops with numpy broadcasting, MatMul/Gemm, Conv and
ConvTranspose, pools, normalisations, reductions, data movement, Gather,
Einsum, Resize, ...), with static shapes (sizes like 1, 3, 7, 17), attributes
drawn from their legal ranges and seeded random inputs with negative values.
Every intermediate shape comes from ONNX's own shape inference (strict mode),
so a node that ONNX rejects is redrawn.

``check(seed)`` runs the graph through onnxruntime and through
``mlopt.backend.prepare(model).run(inputs)`` and compares the outputs: float
outputs with ``rtol=1e-3, atol=1e-5`` (NaN-aware: NaN must match NaN, +-inf
must match exactly), integer and bool outputs exactly, shapes and dtypes
exactly. A graph onnxruntime itself rejects (at session creation or at run) is
regenerated from the next sub-seed of the same seed and not counted (so is
one whose onnxruntime output shapes differ from ONNX's shape inference: there
onnxruntime departs from the spec, e.g. MaxPool with auto_pad SAME and
dilations, so it is no reference); the
sub-seed is part of the result, so ``generate(seed)`` reproduces the graph
that was checked.

The generator avoids inputs on which two correct implementations may
legitimately disagree beyond the tolerance, and only those (each rule is local
to the op that needs it, see ``_T.exact`` and ``_T.pos``):

* ops whose output jumps on a tiny change of input (Floor/Ceil/Round/Sign,
  comparisons, ArgMax/ArgMin/Hardmax/TopK, Cast to an integer type, Mod) only
  take *exact* tensors: graph inputs, or results of ops that compute no
  rounded arithmetic (data movement, Relu, Neg, Abs, Max/Min, MaxPool, ...),
  on which both implementations see bit-identical values;
* Sin/Cos only take exact tensors (a periodic function turns a few ulps of
  a large rounded argument into an absolute error beyond the tolerance);
* Log/Sqrt/Reciprocal, Div's divisor and Pow's base only take *positive*
  tensors (bounded away from 0), so a rounding difference near 0 is not
  amplified without bound;
* normalisations over an axis (LayerNormalization, InstanceNormalization,
  MeanVarianceNormalization) only take tensors whose values along that axis
  are not all copies of one value (not expanded/broadcast along it, see
  ``_T.flat_axes``, and computed from graph inputs by value-preserving ops
  only, ``_SPREAD``), where the variance is a rounding residue divided by
  ~sqrt(eps);
* Resize in nearest mode is not drawn when a source coordinate falls on a
  rounding boundary (an integer for floor/ceil, k + 0.5 for the round modes),
  which float32 and float64 arithmetic decide differently.

Spots where onnxruntime departs from the ONNX spec are not drawn either:
ConvTranspose with auto_pad SAME_* and a negative total padding or an
output_padding (onnxruntime and ONNX's shape inference give other than the
spec's ``in * stride``), Resize with
align_corners or pytorch_half_pixel and scales whose ``scale * n_in`` is not
an integer (ONNX's reference and node tests use the length ``scale * n_in``,
onnxruntime the integer output length), and MaxPool with auto_pad SAME_* and
dilations > 1 (onnxruntime pads as if the kernel were not dilated: a
different output shape, or with ceil_mode the same shape and other values).

Inputs and outputs of the compiled call lie against ``PROT_NONE`` guard pages
(``fuzz_guard``), so an out-of-bounds access crashes at once; the compiled
model must not write into its inputs.

``SKIP`` lists op types the fuzzer does not draw because mlopt documents them
as unsupported, with the reason.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import fuzz_guard as guard

OPSET = 18
RTOL = 1e-3
ATOL = 1e-5
SIZES = (1, 1, 2, 3, 3, 4, 5, 7, 8, 17)
MAX_ELEMENTS = 4096

# Op types mlopt documents as unsupported on its compiled path (see
# test/expected_failures.txt and docs/op-coverage.md); the fuzzer does not draw them.
SKIP: dict[str, str] = {
    op: "data-dependent output shape: no lowering (docs/op-coverage.md)"
    for op in ("NonZero", "Unique", "Compress")
}

_NP = {
    TensorProto.FLOAT: np.float32,
    TensorProto.INT64: np.int64,
    TensorProto.INT32: np.int32,
    TensorProto.BOOL: np.bool_,
}
F, I64, I32, B = TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32, TensorProto.BOOL


@dataclasses.dataclass
class _T:
    """A tensor of the graph under construction."""

    name: str
    shape: tuple[int, ...]
    dtype: int
    exact: bool = False  # bit-identical in any correct implementation
    pos: bool = False  # float values in about [0.5, 4]: safe for Log/Sqrt/1/x
    flat_axes: frozenset = frozenset()  # axes along which values are copies (broadcast)
    spread: bool = False  # values not constant by construction (see _SPREAD)

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))


class Reject(Exception):
    """The drawn node is not valid here; draw another."""


class Graph:
    """The graph being built: nodes, inputs with their values, initializers."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.nodes: list[onnx.NodeProto] = []
        self.inputs: list[tuple[onnx.ValueInfoProto, np.ndarray]] = []
        self.inits: list[onnx.TensorProto] = []
        self.tensors: list[_T] = []
        self.used: set[str] = set()
        self.ops: list[str] = []
        self._n = 0

    # -- names, inputs, constants -------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    def input(self, shape: Sequence[int], dtype: int = F, *, pos: bool = False, pool: bool = True) -> _T:
        shape = tuple(int(s) for s in shape)
        r = self.rng
        if dtype == F:
            v = (r.uniform(0.5, 4.0, shape) if pos else r.standard_normal(shape) * 1.5).astype(np.float32)
        elif dtype == B:
            v = r.integers(0, 2, shape).astype(np.bool_)
        else:
            v = r.integers(-9, 10, shape).astype(_NP[dtype])
        name = self.fresh("in")
        self.inputs.append((helper.make_tensor_value_info(name, dtype, shape), v))
        t = _T(name, shape, dtype, exact=True, pos=pos, spread=dtype == F)
        if pool:
            self.tensors.append(t)
        return t

    def const(self, value, dtype=np.int64) -> str:
        arr = np.asarray(value, dtype=dtype)
        name = self.fresh("c")
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def weight(self, shape: Sequence[int], *, pos: bool = False, scale: float = 1.0) -> str:
        """A float operand: an initializer or a graph input, at random."""
        if self.rng.random() < 0.5:
            t = self.input(shape, pos=pos, pool=False)
            return t.name
        r = self.rng
        v = r.uniform(0.5, 2.0, shape) if pos else r.standard_normal(shape) * scale
        return self.const(v, np.float32)

    # -- drawing operands -------------------------------------------------------------
    def pick(self, pred: Callable[[_T], bool] = lambda t: True, *, fresh: float = 0.25,
             make: Callable[[], _T] | None = None) -> _T:
        """A tensor of the pool satisfying ``pred`` (preferring unused ones), or a new input."""
        cands = [t for t in self.tensors if pred(t) and t.size <= MAX_ELEMENTS]
        if cands and self.rng.random() >= fresh:
            unused = [t for t in cands if t.name not in self.used]
            pool = unused if unused and self.rng.random() < 0.7 else cands
            return pool[int(self.rng.integers(len(pool)))]
        if make is not None:
            t = make()
            if not pred(t):
                raise Reject("made tensor does not fit")
            return t
        return self.input(self.shape(), pos=False)

    def shape(self, rank: int | None = None, lo: int = 1) -> tuple[int, ...]:
        r = self.rng
        if rank is None:
            rank = int(r.choice([1, 2, 2, 3, 3, 4, 4]))
        while True:
            s = tuple(int(r.choice(SIZES)) for _ in range(rank))
            s = tuple(max(x, lo) for x in s)
            if int(np.prod(s)) <= 1024:
                return s

    def choice(self, seq):
        return seq[int(self.rng.integers(len(seq)))]

    def index_operand(self, idx: np.ndarray) -> str:
        """An int64 index tensor: an initializer or, half the time, a graph input."""
        if self.flip():
            return self.const(idx)
        name = self.fresh("idx")
        self.inputs.append((helper.make_tensor_value_info(name, I64, idx.shape), idx))
        return name

    def flip(self, p: float = 0.5) -> bool:
        return bool(self.rng.random() < p)

    # -- adding nodes -----------------------------------------------------------------
    def model(self, outputs: Sequence[_T] | None = None) -> onnx.ModelProto:
        outs = outputs if outputs is not None else []
        g = helper.make_graph(
            list(self.nodes), "fuzz",
            [vi for vi, _ in self.inputs],
            [helper.make_tensor_value_info(t.name, t.dtype, t.shape) for t in outs],
            initializer=list(self.inits),
        )
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mlopt-fuzz")
        m.ir_version = 8
        return m

    def add(self, op: str, ins: Sequence[str], attrs: dict | None = None, n_out: int = 1, *,
            exact: bool | None = None, pos: bool = False, flat: Callable[[int], frozenset] | None = None,
            operands: Sequence[_T] = ()) -> list[_T]:
        """Add a node; ONNX shape inference gives its result types (Reject if it fails)."""
        outs = [self.fresh("t") for _ in range(n_out)]
        node = helper.make_node(op, list(ins), outs, name=self.fresh(op.lower() + "_"), **(attrs or {}))
        self.nodes.append(node)
        try:
            inferred = onnx.shape_inference.infer_shapes(self.model(), strict_mode=True, data_prop=True)
        except Exception as e:  # noqa: BLE001 - any inference failure: the node is invalid
            self.nodes.pop()
            raise Reject(f"shape inference: {e}") from None
        vis = {vi.name: vi for vi in inferred.graph.value_info}
        res = []
        for o in outs:
            vi = vis.get(o)
            tt = vi.type.tensor_type if vi is not None else None
            if tt is None or not tt.HasField("shape") or tt.elem_type not in _NP:
                self.nodes.pop()
                raise Reject(f"no static type for {op}")
            dims = tt.shape.dim
            if any(not dd.HasField("dim_value") for dd in dims):
                self.nodes.pop()
                raise Reject(f"no static shape for {op}")
            shape = tuple(int(dd.dim_value) for dd in dims)
            if 0 in shape or int(np.prod(shape, dtype=np.int64)) > MAX_ELEMENTS:
                self.nodes.pop()
                raise Reject("empty or too large")
            ex = all(t.exact for t in operands) if exact is None else exact
            spread = op in _SPREAD and bool(operands) and all(t.spread for t in operands if t.dtype == F)
            res.append(_T(o, shape, tt.elem_type, exact=ex, pos=pos,
                          flat_axes=flat(len(shape)) if flat else frozenset(), spread=spread))
        for t in operands:
            self.used.add(t.name)
        self.tensors.extend(res)
        self.ops.append(op)
        return res


def _floats(t: _T) -> bool:
    return t.dtype == F


# Ops whose result keeps varied operand values varied (no saturation, selection,
# one-hot, normalisation, duplication or padding: a Conv window wholly in the
# padding is the bias, and onnxruntime's MeanVarianceNormalization of a
# constant slice is NaN where ONNX's is 0): only their results, and graph
# inputs, feed the normalisations, whose output on an input that is constant
# along the normalised axes is a rounding residue over ~sqrt(eps).
_SPREAD = frozenset({
    "Add", "Sub", "Mul", "Div", "MatMul", "Gemm", "Tanh", "Sigmoid", "Exp", "Sin", "Cos",
    "Atan", "Erf", "Softsign", "Neg", "Identity", "Transpose", "Reshape", "Flatten", "Slice",
    "Concat", "Squeeze", "Unsqueeze", "Split", "DepthToSpace", "SpaceToDepth",
})


def _bcast_shape(g: Graph, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts with ``shape`` (numpy rules), result = ``shape``."""
    r = g.rng
    k = int(r.integers(0, len(shape) + 1))
    out = [s if r.random() < 0.6 else 1 for s in shape[len(shape) - k:]]
    return tuple(out)


def _flat_of(a: _T, out_rank: int) -> frozenset:
    """Axes of a broadcast result (rank ``out_rank``) along which ``a``'s values are copies."""
    off = out_rank - a.rank
    return frozenset(i for i in range(out_rank)
                     if i < off or a.shape[i - off] == 1 or (i - off) in a.flat_axes)


def _flat_all(ts: Sequence[_T], out_rank: int) -> frozenset:
    """Arithmetic of broadcast operands: copies only where every operand is."""
    return frozenset.intersection(*[_flat_of(t, out_rank) for t in ts])


def _flat_any(ts: Sequence[_T], out_rank: int) -> frozenset:
    """Selection (Where, Max, Min): where any operand is copies, some results are."""
    return frozenset.union(*[_flat_of(t, out_rank) for t in ts])


# ---------------------------------------------------------------------------------------
# Op generators: each draws operands and attributes and adds one node (or raises Reject).
# ---------------------------------------------------------------------------------------

GENS: dict[str, Callable[[Graph], None]] = {}


def gen(*names: str):
    def deco(fn):
        for n in names:
            GENS[n] = (lambda f, n: (lambda g: f(g, n)))(fn, n)
        return fn
    return deco


@gen("Relu", "Sigmoid", "Tanh", "Abs", "Neg", "Exp", "Erf", "Sin", "Cos", "Atan",
     "Softsign", "Softplus", "Selu", "Identity", "HardSwish", "Mish")
def _unary(g: Graph, op: str):
    # Sin/Cos of a rounded value amplify its absolute error (cos of a ReduceL1
    # of 336 values, ~300, moves by 1e-4 on a few ulps): exact arguments only
    x = g.pick(lambda t: _floats(t) and (t.exact or op not in ("Sin", "Cos")))
    keeps_exact = op in ("Relu", "Abs", "Neg", "Identity")
    pos = op in ("Sigmoid", "Exp") and x.pos or op == "Identity" and x.pos
    g.add(op, [x.name], exact=x.exact and keeps_exact, pos=pos, operands=[x],
          flat=lambda r: x.flat_axes)


@gen("Elu", "LeakyRelu", "Celu", "ThresholdedRelu", "HardSigmoid")
def _unary_attr(g: Graph, op: str):
    x = g.pick(_floats)
    r = g.rng
    attrs = {"alpha": float(np.float32(r.uniform(0.05, 2.0)))}
    if op == "HardSigmoid":
        attrs["beta"] = float(np.float32(r.uniform(0.0, 1.0)))
    if op == "ThresholdedRelu" and not x.exact:
        raise Reject("step at alpha")
    g.add(op, [x.name], attrs, exact=False, operands=[x], flat=lambda rk: x.flat_axes)


@gen("Floor", "Ceil", "Round", "Sign")
def _step(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.exact)
    g.add(op, [x.name], exact=True, operands=[x], flat=lambda r: x.flat_axes)


@gen("Sqrt", "Log", "Reciprocal")
def _positive_unary(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.pos, make=lambda: g.input(g.shape(), pos=True))
    g.add(op, [x.name], exact=False, pos=op == "Sqrt", operands=[x], flat=lambda r: x.flat_axes)


def _binary_operands(g: Graph, pred=_floats, *, b_pos: bool = False, dtype: int = F) -> tuple[_T, _T]:
    a = g.pick(pred)
    bs = _bcast_shape(g, a.shape)
    if g.flip(0.3) and a.size <= 256:
        # the other way round: a broadcasts into b (b has a leading dim more, or
        # sizes where a has 1s)
        lead = (int(g.choice((2, 3))),) if a.rank < 4 and g.flip() else ()
        bs = lead + tuple(int(g.choice((1, 3))) if s == 1 else s for s in a.shape)
        b = g.input(bs or (1,), dtype, pos=b_pos)
        return (b, a) if g.flip() and not b_pos else (a, b)
    same = [t for t in g.tensors if pred(t) and t.shape == bs and t is not a and (t.pos or not b_pos)]
    if same and g.flip(0.5):
        b = g.choice(same)
    else:
        b = g.input(bs, dtype, pos=b_pos)
    return (b, a) if g.flip(0.3) and not b_pos else (a, b)


@gen("Add", "Sub", "Mul", "Max", "Min")
def _binary(g: Graph, op: str):
    a, b = _binary_operands(g)
    exact = op in ("Max", "Min") and a.exact and b.exact
    pos = op in ("Add", "Mul", "Max") and a.pos and b.pos
    sel = op in ("Max", "Min")
    g.add(op, [a.name, b.name], exact=exact, pos=pos, operands=[a, b],
          flat=lambda r: (_flat_any if sel else _flat_all)([a, b], r))


@gen("Div")
def _div(g: Graph, op: str):
    a = g.pick(_floats)
    bs = _bcast_shape(g, a.shape)
    cands = [t for t in g.tensors if t.pos and t.shape == bs]
    b = g.choice(cands) if cands and g.flip() else g.input(bs, pos=True)
    g.add("Div", [a.name, b.name], exact=False, pos=a.pos, operands=[a, b],
          flat=lambda r: _flat_all([a, b], r))


@gen("Pow")
def _pow(g: Graph, op: str):
    a = g.pick(lambda t: _floats(t) and t.pos, make=lambda: g.input(g.shape(), pos=True))
    bs = _bcast_shape(g, a.shape)
    if g.flip():
        e = g.const(g.rng.integers(-2, 4, bs).astype(np.float32), np.float32)
    else:
        e = g.const(g.rng.uniform(-2, 2, bs), np.float32)
    g.add("Pow", [a.name, e], exact=False, pos=True, operands=[a])


@gen("Sum", "Mean")
def _variadic(g: Graph, op: str):
    a = g.pick(_floats)
    others = [g.input(_bcast_shape(g, a.shape)) for _ in range(int(g.rng.integers(1, 3)))]
    g.add(op, [a.name] + [o.name for o in others], exact=False, operands=[a],
          flat=lambda r: _flat_all([a, *others], r))


@gen("PRelu")
def _prelu(g: Graph, op: str):
    x = g.pick(_floats)
    ss = _bcast_shape(g, x.shape) or (1,)
    slope = g.weight(ss)
    g.add("PRelu", [x.name, slope], exact=False, operands=[x],
          flat=lambda r: _flat_all([x, _T(slope, ss, F)], r))


@gen("Less", "Greater", "Equal", "LessOrEqual", "GreaterOrEqual")
def _compare(g: Graph, op: str):
    a, b = _binary_operands(g, lambda t: t.dtype in (F, I64, I32) and t.exact,
                            dtype=F)
    if a.dtype != b.dtype:
        raise Reject("mixed types")
    g.add(op, [a.name, b.name], exact=True, operands=[a, b])


@gen("And", "Or", "Xor")
def _logic(g: Graph, op: str):
    a = g.pick(lambda t: t.dtype == B, make=lambda: g.input(g.shape(), B))
    b = g.input(_bcast_shape(g, a.shape) or (1,), B)
    g.add(op, [a.name, b.name], exact=True, operands=[a, b])


@gen("Not")
def _not(g: Graph, op: str):
    a = g.pick(lambda t: t.dtype == B, make=lambda: g.input(g.shape(), B))
    g.add("Not", [a.name], exact=True, operands=[a])


@gen("Where")
def _where(g: Graph, op: str):
    x = g.pick(lambda t: t.dtype in (F, I64))
    cond = g.pick(lambda t: t.dtype == B and len(t.shape) <= x.rank
                  and all(c in (1, s) for c, s in zip(t.shape[::-1], x.shape[::-1])),
                  make=lambda: g.input(_bcast_shape(g, x.shape) or (1,), B))
    y = g.input(_bcast_shape(g, x.shape) or (1,), x.dtype)
    a, b = (x, y) if g.flip() else (y, x)
    g.add("Where", [cond.name, a.name, b.name], exact=x.exact, operands=[cond, x],
          flat=lambda r: _flat_any([x, y], r))


@gen("Clip")
def _clip(g: Graph, op: str):
    x = g.pick(_floats)
    lo = float(np.float32(g.rng.uniform(-2, 0)))
    hi = float(np.float32(g.rng.uniform(0, 2)))
    ins = [x.name]
    mode = int(g.rng.integers(3))
    if mode == 0:
        ins += [g.const(lo, np.float32), g.const(hi, np.float32)]
    elif mode == 1:
        ins += [g.const(lo, np.float32)]
    else:
        ins += ["", g.const(hi, np.float32)]
    g.add("Clip", ins, exact=x.exact, operands=[x], flat=lambda r: x.flat_axes)


@gen("Cast")
def _cast(g: Graph, op: str):
    x = g.pick(lambda t: t.dtype in (F, I64, I32, B))
    if x.dtype == F:
        to = g.choice([F, I64, I32, B]) if x.exact else F
    else:
        to = g.choice([F, I64, I32])
    g.add("Cast", [x.name], {"to": to}, exact=x.exact, operands=[x])


@gen("MatMul")
def _matmul(g: Graph, op: str):
    a = g.pick(lambda t: _floats(t) and t.rank >= 1 and t.shape[-1] <= 64)
    k = a.shape[-1]
    n = int(g.choice(SIZES))
    if a.rank == 1:
        bshape = (k, n) if g.flip() else (k,)
    elif g.flip(0.6):
        bshape = (k, n)
    else:
        batch = _bcast_shape(g, a.shape[:-2]) if a.rank > 2 else ()
        bshape = tuple(batch) + (k, n)
        if g.flip(0.3) and a.rank == 2:
            bshape = (int(g.choice((2, 3))), k, n)
    b = g.weight(bshape, scale=0.5)
    ins = [a.name, b]
    # rows (and batch entries) of the product are copies where a's are
    g.add("MatMul", ins, exact=False, operands=[a],
          flat=lambda r: frozenset(i for i in _flat_of(a, r) if i < r - 1)
          if a.rank >= 2 and len(bshape) == 2 else frozenset())


@gen("Gemm")
def _gemm(g: Graph, op: str):
    ta, tb = int(g.flip()), int(g.flip())
    a = g.pick(lambda t: _floats(t) and t.rank == 2,
               make=lambda: g.input(g.shape(2)))
    m, k = (a.shape[1], a.shape[0]) if ta else a.shape
    n = int(g.choice(SIZES))
    b = g.weight((n, k) if tb else (k, n), scale=0.5)
    attrs = {"transA": ta, "transB": tb}
    if g.flip():
        attrs["alpha"] = float(np.float32(g.rng.uniform(-2, 2)))
    ins = [a.name, b]
    if g.flip(0.7):
        cs = g.choice([(m, n), (n,), (1, n), (m, 1), (1,), ()])
        ins.append(g.weight(cs))
        if g.flip():
            attrs["beta"] = float(np.float32(g.rng.uniform(-2, 2)))
    g.add("Gemm", ins, attrs, exact=False, operands=[a])


def _spatial_input(g: Graph, nsp: int | None = None, min_sp: int = 1, spread: bool = False) -> _T:
    def pred(t: _T) -> bool:
        return _floats(t) and t.rank in ((nsp + 2,) if nsp else (3, 4)) and t.shape[1] <= 17 \
            and all(s >= min_sp for s in t.shape[2:]) and (t.spread or not spread)

    def make() -> _T:
        r = nsp or int(g.choice((1, 2, 2)))
        n = int(g.choice((1, 1, 2)))
        c = int(g.choice((1, 2, 3, 4, 6)))
        sp = tuple(max(int(g.choice((3, 4, 5, 7, 8, 9, 17))), min_sp) for _ in range(r))
        return g.input((n, c) + sp)
    return g.pick(pred, fresh=0.3, make=make)


def _window_attrs(g: Graph, x: _T, *, allow_dil: bool = True, pads_lt_kernel: bool = False,
                  auto_pad: bool = True, kmax: int = 3, fits: bool = True):
    """Kernel shape and window attributes; with ``fits`` the dilated kernel fits
    the padded input (ONNX's shape inference truncates a negative output size
    to 1 instead of rejecting it)."""
    nsp = x.rank - 2
    ks = [int(g.rng.integers(1, min(kmax, x.shape[2 + i]) + 1)) for i in range(nsp)]
    attrs: dict = {}
    if g.flip():
        attrs["strides"] = [int(g.rng.integers(1, 3)) for _ in range(nsp)]
    if allow_dil and g.flip(0.3):
        attrs["dilations"] = [int(g.rng.integers(1, 3)) for _ in range(nsp)]
    mode = g.choice(["NOTSET", "NOTSET", "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]) if auto_pad else "NOTSET"
    if mode != "NOTSET":
        attrs["auto_pad"] = mode
    elif g.flip(0.6):
        pads = []
        for i in range(nsp):
            hi = ks[i] - 1 if pads_lt_kernel else 2
            pads.append(int(g.rng.integers(0, hi + 1)))
        for i in range(nsp):
            hi = ks[i] - 1 if pads_lt_kernel else 2
            pads.append(int(g.rng.integers(0, hi + 1)))
        attrs["pads"] = pads
    if fits and mode in ("NOTSET", "VALID"):
        pads = attrs.get("pads", [0] * 2 * nsp)
        dil = attrs.get("dilations", [1] * nsp)
        if any((ks[i] - 1) * dil[i] + 1 > x.shape[2 + i] + pads[i] + pads[nsp + i] for i in range(nsp)):
            raise Reject("dilated kernel larger than the padded input")
    return ks, attrs


@gen("Conv")
def _conv(g: Graph, op: str):
    x = _spatial_input(g)
    c = x.shape[1]
    groups = [d for d in (1, 2, 3, c) if c % d == 0]
    grp = int(g.choice(groups))
    m = grp * int(g.choice((1, 2, 3)))
    ks, attrs = _window_attrs(g, x)
    if grp > 1:
        attrs["group"] = grp
    if g.flip(0.5):
        attrs["kernel_shape"] = ks
    w = g.weight((m, c // grp, *ks), scale=0.5)
    ins = [x.name, w]
    if g.flip():
        ins.append(g.weight((m,)))
    g.add("Conv", ins, attrs, exact=False, operands=[x])


@gen("ConvTranspose")
def _convtranspose(g: Graph, op: str):
    x = _spatial_input(g)
    c = x.shape[1]
    grp = int(g.choice([d for d in (1, 2, c) if c % d == 0]))
    mg = int(g.choice((1, 2, 3)))
    ks, attrs = _window_attrs(g, x, pads_lt_kernel=True, auto_pad=True, fits=False)
    nsp = x.rank - 2
    strides = attrs.get("strides", [1] * nsp)
    dil = attrs.get("dilations", [1] * nsp)
    if g.flip(0.3):
        attrs["output_padding"] = [int(g.rng.integers(0, max(strides[i], dil[i]))) for i in range(nsp)]
    if attrs.get("auto_pad", "NOTSET").startswith("SAME"):
        # onnxruntime (and ONNX's shape inference) give a smaller output than the
        # spec's in * stride when the total padding would be negative; not drawn.
        op_ = attrs.get("output_padding", [0] * nsp)
        if any(op_[i] + (ks[i] - 1) * dil[i] + 1 < strides[i] for i in range(nsp)):
            raise Reject("SAME with negative total padding")
        if any(op_):
            # the spec's SAME output is in * stride; onnxruntime and ONNX's shape
            # inference add output_padding: not drawn
            raise Reject("SAME with output_padding")
    if grp > 1:
        attrs["group"] = grp
    w = g.weight((c, mg, *ks), scale=0.5)
    ins = [x.name, w]
    if g.flip():
        ins.append(g.weight((mg * grp,)))
    g.add("ConvTranspose", ins, attrs, exact=False, operands=[x])


@gen("MaxPool", "AveragePool", "LpPool")
def _pool(g: Graph, op: str):
    x = _spatial_input(g)
    ks, attrs = _window_attrs(g, x, allow_dil=op == "MaxPool", pads_lt_kernel=True)
    if attrs.get("auto_pad", "").startswith("SAME") and any(v > 1 for v in attrs.get("dilations", [])):
        # onnxruntime pads SAME as if the kernel were not dilated (the ONNX
        # reference and spec dilate it): no common reference
        raise Reject("SAME padding with dilations")
    attrs["kernel_shape"] = ks
    if op != "LpPool" and g.flip(0.4):
        attrs["ceil_mode"] = 1
    if op == "AveragePool" and g.flip():
        attrs["count_include_pad"] = 1
    if op == "LpPool":
        attrs["p"] = int(g.choice((1, 2, 3)))
    g.add(op, [x.name], attrs, exact=op == "MaxPool" and x.exact, operands=[x])


@gen("GlobalAveragePool", "GlobalMaxPool")
def _global_pool(g: Graph, op: str):
    x = _spatial_input(g)
    g.add(op, [x.name], exact=op == "GlobalMaxPool" and x.exact, operands=[x])


@gen("BatchNormalization")
def _batchnorm(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.rank >= 2 and t.shape[1] <= 64,
               make=lambda: _spatial_input(g))
    c = x.shape[1]
    attrs = {}
    if g.flip():
        attrs["epsilon"] = float(np.float32(g.rng.uniform(1e-5, 1e-2)))
    if g.flip(0.3):
        attrs["momentum"] = 0.9
    ins = [x.name, g.weight((c,)), g.weight((c,)), g.weight((c,)), g.weight((c,), pos=True)]
    g.add(op, ins, attrs, exact=False, operands=[x])


def _not_flat(t: _T, axes: Sequence[int]) -> bool:
    """Values along ``axes`` are not all copies (a normalisation over them is well-conditioned)."""
    n = int(np.prod([t.shape[a] for a in axes]))
    return n == 1 or not all(a in t.flat_axes or t.shape[a] == 1 for a in axes)


@gen("LayerNormalization")
def _layernorm(g: Graph, op: str):
    x = g.pick(_floats)
    axis = int(g.rng.integers(-x.rank, x.rank))
    axes = list(range(axis % x.rank, x.rank))
    if any(a in x.flat_axes for a in axes) or not x.spread:
        raise Reject("normalised axes may be constant")
    ns = tuple(x.shape[a] for a in axes)
    attrs = {"axis": axis}
    if g.flip():
        attrs["epsilon"] = float(np.float32(g.rng.uniform(1e-5, 1e-2)))
    ins = [x.name, g.weight(ns)]
    if g.flip():
        ins.append(g.weight(ns))
    g.add(op, ins, attrs, exact=False, operands=[x])


@gen("InstanceNormalization")
def _instnorm(g: Graph, op: str):
    x = _spatial_input(g, spread=True)
    if any(a in x.flat_axes for a in range(2, x.rank)):
        raise Reject("broadcast copies")
    c = x.shape[1]
    g.add(op, [x.name, g.weight((c,)), g.weight((c,))], {"epsilon": 1e-3}, exact=False, operands=[x])


@gen("LpNormalization")
def _lpnorm(g: Graph, op: str):
    x = g.pick(_floats)
    axis = int(g.rng.integers(-x.rank, x.rank))
    g.add(op, [x.name], {"axis": axis, "p": int(g.choice((1, 2)))}, exact=False, operands=[x])


@gen("MeanVarianceNormalization")
def _mvn(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.rank == 4 and t.spread, make=lambda: g.input(g.shape(4)))
    axes = sorted(set(int(a) for a in g.rng.choice(4, int(g.rng.integers(1, 4)), replace=False)))
    if any(a in x.flat_axes for a in axes) or int(np.prod([x.shape[a] for a in axes])) < 3:
        raise Reject("degenerate")
    g.add(op, [x.name], {"axes": axes}, exact=False, operands=[x])


@gen("Softmax", "LogSoftmax")
def _softmax(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    attrs = {"axis": axis} if g.flip(0.8) else {}
    g.add(op, [x.name], attrs, exact=False, pos=False, operands=[x])


@gen("Hardmax")
def _hardmax(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.exact and t.rank >= 1)
    g.add(op, [x.name], {"axis": int(g.rng.integers(-x.rank, x.rank))}, exact=True, operands=[x])


def _axes(g: Graph, rank: int, *, allow_empty: bool = False) -> list[int]:
    k = int(g.rng.integers(0 if allow_empty else 1, rank + 1))
    axes = [int(a) for a in g.rng.choice(rank, k, replace=False)]
    return [a - rank if g.flip(0.3) else a for a in axes]


@gen("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
     "ReduceLogSumExp", "ReduceSumSquare", "ReduceLogSum")
def _reduce(g: Graph, op: str):
    if op == "ReduceLogSum":
        x = g.pick(lambda t: _floats(t) and t.pos and t.rank >= 1, make=lambda: g.input(g.shape(), pos=True))
    else:
        x = g.pick(lambda t: _floats(t) and t.rank >= 1)
    attrs = {}
    if g.flip(0.5):
        attrs["keepdims"] = int(g.flip())
    ins = [x.name]
    mode = int(g.rng.integers(4))
    if mode == 0:
        pass  # reduce over all axes
    elif mode == 1:
        ins.append(g.const([], np.int64))
        if g.flip():
            attrs["noop_with_empty_axes"] = 1
    else:
        ins.append(g.const(_axes(g, x.rank)))
    if op == "ReduceProd" and x.size > 64:
        raise Reject("product of many values")
    exact = op in ("ReduceMax", "ReduceMin") and x.exact
    g.add(op, ins, attrs, exact=exact, operands=[x])


@gen("ArgMax", "ArgMin")
def _argmax(g: Graph, op: str):
    x = g.pick(lambda t: t.dtype in (F, I64) and t.exact and t.rank >= 1)
    attrs = {"axis": int(g.rng.integers(-x.rank, x.rank))}
    if g.flip():
        attrs["keepdims"] = int(g.flip())
    if g.flip():
        attrs["select_last_index"] = int(g.flip())
    g.add(op, [x.name], attrs, exact=True, operands=[x])


@gen("TopK")
def _topk(g: Graph, op: str):
    x = g.pick(lambda t: _floats(t) and t.exact and t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    k = int(g.rng.integers(1, x.shape[axis] + 1))
    attrs = {"axis": axis}
    if g.flip(0.3):
        attrs["largest"] = 0
    # ties make the order of equal values implementation-defined only with sorted=0
    g.add(op, [x.name, g.const([k])], attrs, n_out=2, exact=True, operands=[x])


@gen("Transpose")
def _transpose(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 2)
    perm = [int(p) for p in g.rng.permutation(x.rank)]
    attrs = {"perm": perm} if g.flip(0.85) else {}
    p = perm if attrs else list(reversed(range(x.rank)))
    g.add(op, [x.name], attrs, operands=[x], pos=x.pos,
          flat=lambda r: frozenset(i for i in range(r) if p[i] in x.flat_axes))


def _factor(g: Graph, n: int, rank: int) -> list[int]:
    dims = []
    for _ in range(rank - 1):
        divs = [d for d in range(1, n + 1) if n % d == 0]
        d = int(g.choice(divs))
        dims.append(d)
        n //= d
    dims.append(n)
    return [int(x) for x in g.rng.permutation(dims)]


@gen("Reshape")
def _reshape(g: Graph, op: str):
    x = g.pick()
    shape = _factor(g, x.size, int(g.rng.integers(1, 5)))
    if g.flip(0.4):
        shape[int(g.rng.integers(len(shape)))] = -1
    if g.flip(0.3):
        i = int(g.rng.integers(min(len(shape), x.rank)))
        if x.shape[i] == shape[i] and shape.count(-1) == 0 or x.shape[i] == shape[i]:
            shape[i] = 0
    g.add(op, [x.name, g.const(shape)], operands=[x], pos=x.pos)


@gen("Flatten")
def _flatten(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank + 1))
    g.add(op, [x.name], {"axis": axis}, operands=[x], pos=x.pos)


@gen("Squeeze")
def _squeeze(g: Graph, op: str):
    x = g.pick(lambda t: 1 in t.shape and t.rank >= 2,
               make=lambda: g.input(g.shape(3)[:2] + (1,)))
    ones = [i for i, s in enumerate(x.shape) if s == 1]
    if g.flip(0.3) and len(ones) < x.rank:
        ins = [x.name]
    else:
        k = int(g.rng.integers(1, len(ones) + 1))
        axes = [int(a) for a in g.rng.choice(ones, k, replace=False)]
        axes = [a - x.rank if g.flip(0.3) else a for a in axes]
        ins = [x.name, g.const(axes)]
    g.add(op, ins, operands=[x], pos=x.pos)


@gen("Unsqueeze")
def _unsqueeze(g: Graph, op: str):
    x = g.pick(lambda t: t.rank <= 4)
    out_rank = x.rank + int(g.rng.integers(1, 3))
    axes = [int(a) for a in g.rng.choice(out_rank, out_rank - x.rank, replace=False)]
    axes = [a - out_rank if g.flip(0.3) else a for a in axes]
    g.add(op, [x.name, g.const(axes)], operands=[x], pos=x.pos)


@gen("Concat")
def _concat(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    parts = [x]
    for _ in range(int(g.rng.integers(1, 3))):
        s = list(x.shape)
        s[axis] = int(g.choice(SIZES))
        same = [t for t in g.tensors if t.dtype == x.dtype and t.rank == x.rank and t is not x
                and all(t.shape[i] == x.shape[i] for i in range(x.rank) if i != axis % x.rank)]
        parts.append(g.choice(same) if same and g.flip() else g.input(s, x.dtype))
    g.rng.shuffle(parts)
    g.add(op, [p.name for p in parts], {"axis": axis}, operands=parts,
          pos=all(p.pos for p in parts))


@gen("Split")
def _split(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1 and max(t.shape) >= 2)
    axes = [i for i, s in enumerate(x.shape) if s >= 2]
    axis = int(g.choice(axes))
    n = x.shape[axis]
    if g.flip():
        k = int(g.rng.integers(2, min(n, 4) + 1))
        cuts = sorted(int(c) for c in g.rng.choice(np.arange(1, n), k - 1, replace=False))
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [n])]
        ins, attrs, nout = [x.name, g.const(sizes)], {}, k
    else:
        k = int(g.rng.integers(2, min(n, 4) + 1))
        ins, attrs, nout = [x.name], {"num_outputs": k}, k
        if -(-n // k) * (k - 1) >= n:
            raise Reject("num_outputs leaves an empty chunk")
    attrs["axis"] = axis - x.rank if g.flip(0.3) else axis
    g.add(op, ins, attrs, n_out=nout, operands=[x], pos=x.pos)


@gen("Slice")
def _slice(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    axes = _axes(g, x.rank)
    starts, ends, steps = [], [], []
    for a in axes:
        n = x.shape[a]
        step = int(g.choice((1, 1, 2, 3, -1, -1, -2)))
        if step > 0:
            s = int(g.rng.integers(-n, n))
            e = int(g.rng.integers(s % n + 1, n + 1)) if g.flip(0.8) else int(g.choice((n + 5, 2**62)))
        else:
            s = int(g.rng.integers(0, n)) if g.flip(0.8) else int(g.choice((n + 3, -1)))
            e = int(g.rng.integers(-n - 3, s % n)) if g.flip(0.8) else int(g.choice((-n - 1, -(2**62))))
        starts.append(s)
        ends.append(e)
        steps.append(step)
    ins = [x.name, g.const(starts), g.const(ends)]
    if g.flip(0.8):
        ins.append(g.const(axes))
        if g.flip(0.7) or any(s != 1 for s in steps):
            ins.append(g.const(steps))
    elif axes != list(range(len(axes))) or any(s != 1 for s in steps):
        ins += [g.const(axes), g.const(steps)]
    g.add(op, ins, operands=[x], pos=x.pos)


@gen("Pad")
def _pad(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    mode = g.choice(["constant", "constant", "reflect", "edge"])
    pads = []
    for half in range(2):
        for i in range(x.rank):
            hi = x.shape[i] - 1 if mode == "reflect" else 2
            p = int(g.rng.integers(0, min(hi, 3) + 1)) if g.flip(0.7) else 0
            if mode == "constant" and g.flip(0.1) and x.shape[i] > 2:
                p = -1
            pads.append(p)
    ins = [x.name, g.const(pads)]
    if mode == "constant" and g.flip(0.5) and x.dtype in (F, I64):
        ins.append(g.const(float(g.rng.uniform(-2, 2)) if x.dtype == F else 3, _NP[x.dtype]))
    if g.flip(0.3):
        axes = list(range(x.rank))
        if len(ins) == 2:
            ins.append("")
        ins.append(g.const(axes))
    attrs = {"mode": mode} if mode != "constant" or g.flip() else {}
    g.add(op, ins, attrs, operands=[x], exact=x.exact)


@gen("Gather")
def _gather(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    n = x.shape[axis]
    ishape = g.choice([(), (2,), (3,), (2, 2), (1, 3)])
    idx = g.rng.integers(-n, n, ishape).astype(np.int64)
    iname = g.index_operand(idx)
    g.add(op, [x.name, iname], {"axis": axis}, operands=[x], pos=x.pos)


@gen("GatherElements")
def _gather_elements(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    n = x.shape[axis]
    ishape = tuple(int(g.rng.integers(1, s + 1)) for s in x.shape)
    ishape = tuple(ishape[i] if i != axis % x.rank else int(g.rng.integers(1, 5)) for i in range(x.rank))
    idx = g.rng.integers(-n, n, ishape).astype(np.int64)
    iname = g.index_operand(idx)
    g.add(op, [x.name, iname], {"axis": axis}, operands=[x], pos=x.pos)


@gen("Expand")
def _expand(g: Graph, op: str):
    x = g.pick(lambda t: t.rank <= 3)
    extra = int(g.rng.integers(0, 2))
    shape = [int(g.choice((1, 2, 3)))] * extra + [int(g.choice((s, 3, 2))) if s == 1 else (s if g.flip(0.8) else 1)
                                                   for s in x.shape]
    off = extra
    g.add(op, [x.name, g.const(shape)], operands=[x], pos=x.pos,
          flat=lambda r: frozenset(i for i in range(r) if i < off or x.shape[i - off] == 1
                                   or (i - off) in x.flat_axes))


@gen("Tile")
def _tile(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 1 and t.size <= 256)
    reps = [int(g.choice((1, 1, 2, 3))) for _ in range(x.rank)]
    g.add(op, [x.name, g.const(reps)], operands=[x], pos=x.pos)


@gen("CumSum")
def _cumsum(g: Graph, op: str):
    x = g.pick(lambda t: t.dtype in (F, I64) and t.rank >= 1)
    axis = int(g.rng.integers(-x.rank, x.rank))
    attrs = {}
    if g.flip(0.4):
        attrs["exclusive"] = 1
    if g.flip(0.4):
        attrs["reverse"] = 1
    g.add(op, [x.name, g.const(axis)], attrs, exact=x.dtype != F and x.exact, operands=[x])


_EINSUM = ["ij,jk->ik", "bij,bjk->bik", "ij->ji", "ij,ij->ij", "i,j->ij", "bij->bj", "ij,j->i",
           "ii->i", "ij->", "bij,jk->bik"]


@gen("Einsum")
def _einsum(g: Graph, op: str):
    eq = g.choice(_EINSUM)
    lhs = eq.split("->")[0].split(",")
    dims: dict[str, int] = {}
    for ch in sorted(set("".join(lhs))):
        dims[ch] = int(g.choice((1, 2, 3, 5, 7)))
    ins = []
    for i, term in enumerate(lhs):
        ins.append(g.input(tuple(dims[ch] for ch in term), pool=False))
    g.add(op, [t.name for t in ins], {"equation": eq}, exact=False)


@gen("Resize")
def _resize(g: Graph, op: str):
    x = _spatial_input(g, 2) if g.flip(0.8) else g.pick(lambda t: _floats(t) and t.rank in (3, 4))
    mode = g.choice(["nearest", "nearest", "linear"])
    # (tf_half_pixel_for_nn left Resize in opset 13; tf_crop_and_resize needs an roi)
    ct = g.choice(["half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel"])
    attrs = {"mode": mode, "coordinate_transformation_mode": ct}
    if mode == "nearest":
        attrs["nearest_mode"] = g.choice(["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"])
    scales = [1.0, 1.0] + [float(g.choice((0.5, 1.0, 1.5, 2.0, 3.0))) for _ in range(x.rank - 2)]
    if g.flip():
        ins = [x.name, "", g.const(scales, np.float32)]
        sizes = [int(np.floor(n * sc)) for n, sc in zip(x.shape, scales)]
    else:
        sizes = list(x.shape[:2]) + [max(1, int(g.choice((1, 2, 3, 5, 8, 9)))) for _ in range(x.rank - 2)]
        ins = [x.name, "", "", g.const(sizes)]
        scales = [m / n for m, n in zip(sizes, x.shape)]
    if ct in ("align_corners", "pytorch_half_pixel") and any(
            abs(n * sc - round(n * sc)) > 1e-6 for n, sc in zip(x.shape, scales)):
        # with scales, ONNX (spec, reference, node tests) uses the length scale * n_in
        # (align_corners divides by it - 1, pytorch_half_pixel tests it against 1),
        # onnxruntime the integer output length: no common reference
        raise Reject("align_corners with a non-integral scaled length")
    if mode == "nearest":
        # a source coordinate on a rounding boundary (an integer for floor/ceil,
        # k + 0.5 for the round modes) is decided by float rounding (onnxruntime
        # computes it in float32, 1/7 scales make 3.0 into 2.9999998): not drawn
        edge = 0.0 if attrs["nearest_mode"] in ("floor", "ceil") else 0.5
        for n, m, sc in zip(x.shape[2:], sizes[2:], scales[2:]):
            if n == m and sc == 1.0:
                continue
            for o in range(m):
                if ct == "align_corners":
                    xs = o * (n - 1) / (m - 1) if m != 1 else 0.0
                elif ct == "asymmetric":
                    xs = o / sc
                elif ct == "pytorch_half_pixel" and m == 1:
                    xs = -0.5
                else:
                    xs = (o + 0.5) / sc - 0.5
                if abs((xs - edge) - round(xs - edge)) < 1e-4:
                    raise Reject("nearest source coordinate on a rounding boundary")
    exact = mode == "nearest" and x.exact
    g.add(op, ins, attrs, exact=exact, operands=[x], pos=x.pos)


@gen("DepthToSpace", "SpaceToDepth")
def _depth_space(g: Graph, op: str):
    bs = int(g.choice((2, 3)))
    if op == "DepthToSpace":
        x = g.pick(lambda t: t.rank == 4 and t.shape[1] % (bs * bs) == 0,
                   make=lambda: g.input((int(g.choice((1, 2))), bs * bs * int(g.choice((1, 2))),
                                         int(g.choice((1, 2, 3))), int(g.choice((1, 3, 4))))))
        attrs = {"blocksize": bs, "mode": g.choice(["DCR", "CRD"])}
    else:
        x = g.pick(lambda t: t.rank == 4 and t.shape[2] % bs == 0 and t.shape[3] % bs == 0,
                   make=lambda: g.input((1, int(g.choice((1, 2, 3))), bs * int(g.choice((1, 2))),
                                         bs * int(g.choice((1, 3))))))
        attrs = {"blocksize": bs}
    g.add(op, [x.name], attrs, operands=[x], pos=x.pos)


@gen("Trilu")
def _trilu(g: Graph, op: str):
    x = g.pick(lambda t: t.rank >= 2)
    attrs = {"upper": int(g.flip())}
    ins = [x.name]
    if g.flip():
        ins.append(g.const(int(g.rng.integers(-3, 4))))
    g.add(op, ins, attrs, operands=[x], exact=x.exact)


@gen("Shape")
def _shape(g: Graph, op: str):
    x = g.pick()
    attrs = {}
    if g.flip(0.3):
        attrs["start"] = int(g.rng.integers(-x.rank, x.rank + 1))
    g.add(op, [x.name], attrs, exact=True, operands=[x])


@gen("Mod")
def _mod(g: Graph, op: str):
    fmod = int(g.flip())
    if fmod:
        a = g.pick(lambda t: _floats(t) and t.exact)
        b = g.input(_bcast_shape(g, a.shape) or (1,), pos=True)
    else:
        a = g.pick(lambda t: t.dtype == I64, make=lambda: g.input(g.shape(), I64))
        b = _T(g.const(g.rng.choice([-3, -2, 2, 3, 5], _bcast_shape(g, a.shape) or (1,))), (1,), I64)
    g.add(op, [a.name, b.name], {"fmod": fmod}, exact=True, operands=[a])


@gen("Range")
def _range(g: Graph, op: str):
    start = int(g.rng.integers(-5, 5))
    delta = int(g.choice((1, 2, 3, -1, -2)))
    n = int(g.rng.integers(1, 9))
    limit = start + delta * n
    if g.flip():
        ins = [g.const(start), g.const(limit), g.const(delta)]
    else:
        ins = [g.const(start, np.float32), g.const(limit, np.float32), g.const(delta, np.float32)]
    g.add(op, ins, exact=True)


@gen("ConstantOfShape")
def _const_of_shape(g: Graph, op: str):
    shape = list(g.shape())
    val = helper.make_tensor("value", F, [1], [float(g.rng.uniform(-2, 2))]) if g.flip() else None
    g.add(op, [g.const(shape)], {"value": val} if val is not None else {}, exact=True)


# ---------------------------------------------------------------------------------------

OPS: tuple[str, ...] = tuple(sorted(op for op in GENS if op not in SKIP))
# Ops that produce a new value from operands alone (no pool tensor needed) are drawn less.
_WEIGHTS = {op: (0.3 if op in ("Range", "ConstantOfShape", "Einsum", "Shape") else 1.0) for op in OPS}


@dataclasses.dataclass
class Case:
    seed: int
    sub: int
    model: onnx.ModelProto
    feeds: dict[str, np.ndarray]
    ops: list[str]


def _build(rng: np.random.Generator) -> tuple[onnx.ModelProto, dict[str, np.ndarray], list[str]]:
    g = Graph(rng)
    g.input(g.shape())
    n_nodes = int(rng.integers(2, 9))
    ops = list(OPS)
    p = np.array([_WEIGHTS[o] for o in ops])
    p /= p.sum()
    tries = 0
    while len(g.nodes) < n_nodes and tries < 200:
        tries += 1
        op = ops[int(rng.choice(len(ops), p=p))]
        try:
            GENS[op](g)
        except Reject:
            continue
    if len(g.nodes) < 2:
        raise Reject("too few nodes")
    # outputs: every produced tensor nothing consumes (capped), always the last one
    produced = [t for t in g.tensors if not t.name.startswith("in")]
    consumed = {i for n in g.nodes for i in n.input}
    # every result nothing reads is an output: onnxruntime prunes nodes that feed
    # no output, and would then never check them
    outs = [t for t in produced if t.name not in consumed]
    model = g.model(outs)
    onnx.checker.check_model(model, full_check=True)
    used_inputs = {i for n in g.nodes for i in n.input}
    # drop graph inputs nothing reads
    keep = [(vi, v) for vi, v in g.inputs if vi.name in used_inputs]
    del model.graph.input[:]
    model.graph.input.extend(vi for vi, _ in keep)
    feeds = {vi.name: v for vi, v in keep}
    return model, feeds, list(g.ops)


def generate(seed: int, sub: int = 0) -> tuple[onnx.ModelProto, dict[str, np.ndarray], list[str]]:
    """The graph for (seed, sub-seed): (model, feeds, op types of its nodes)."""
    rng = np.random.default_rng([seed, sub])
    return _build(rng)


def _ort_session(model: onnx.ModelProto):
    import onnxruntime as ort

    ort.set_default_logger_severity(3)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 4
    return ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])


def valid_case(seed: int, max_sub: int = 50) -> tuple[Case, list[np.ndarray]]:
    """The first sub-seed whose graph ONNX checks and onnxruntime runs: (case, ort outputs)."""
    for sub in range(max_sub):
        try:
            model, feeds, ops = generate(seed, sub)
        except Reject:
            continue
        except Exception:  # noqa: BLE001 - onnx.checker rejected the graph: redraw
            continue
        try:
            sess = _ort_session(model)
            ref = sess.run(None, feeds)
        except Exception:  # noqa: BLE001 - onnxruntime rejects it: redraw, not counted
            continue
        declared = [tuple(d.dim_value for d in o.type.tensor_type.shape.dim) for o in model.graph.output]
        if [tuple(r.shape) for r in ref] != declared:
            # onnxruntime disagrees with ONNX's shape inference (e.g. MaxPool with
            # auto_pad SAME and dilations > 1): no trustworthy reference, redraw
            continue
        return Case(seed, sub, model, feeds, ops), ref
    raise RuntimeError(f"seed {seed}: no valid graph in {max_sub} sub-seeds")


def compare(got: Sequence[np.ndarray], want: Sequence[np.ndarray], names: Sequence[str]) -> str | None:
    """None when ``got`` matches ``want``; otherwise what differs."""
    if len(got) != len(want):
        return f"{len(got)} outputs, onnxruntime gives {len(want)}"
    for name, a, b in zip(names, got, want):
        a, b = np.asarray(a), np.asarray(b)
        if a.dtype != b.dtype:
            return f"output {name}: dtype {a.dtype}, onnxruntime {b.dtype}"
        if a.shape != b.shape:
            return f"output {name}: shape {a.shape}, onnxruntime {b.shape}"
        if np.issubdtype(a.dtype, np.floating):
            an, bn = np.isnan(a), np.isnan(b)
            if not np.array_equal(an, bn):
                return f"output {name}: NaN at {int((an != bn).sum())} positions differ"
            ai, bi = np.isinf(a), np.isinf(b)
            if not np.array_equal(a[ai | bi], b[ai | bi]):
                return f"output {name}: infinities differ"
            fin = ~(an | ai | bi)
            ok = np.isclose(a[fin], b[fin], rtol=RTOL, atol=ATOL)
            if not ok.all():
                d = np.abs(a[fin].astype(np.float64) - b[fin].astype(np.float64))
                return (f"output {name}: {int((~ok).sum())} of {a.size} elements differ "
                        f"(max abs diff {float(d.max()):.3g})")
        elif not np.array_equal(a, b):
            return f"output {name}: {int((a != b).sum())} of {a.size} elements differ"
    return None


@dataclasses.dataclass
class Result:
    seed: int
    sub: int
    status: str  # "pass", "mismatch", "error"
    kind: str = ""  # error class / mismatch summary
    detail: str = ""
    ops: tuple[str, ...] = ()
    model: bytes = b""
    feeds: dict | None = None


def _error_kind(e: BaseException) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    # strip node names and numbers so errors of one kind group together
    import re

    msg = re.sub(r"'[^']*_\d+'|\b\w+_\d+\b|\d+", "#", msg)[:120]
    return f"{type(e).__name__}: {msg}"


def check(seed: int, *, opt_level: int | None = None, keep_model: bool = True) -> Result:
    """Generate the graph for ``seed``, run it on onnxruntime and on mlopt, compare."""
    import mlopt.backend as backend

    case, ref = valid_case(seed)
    model_bytes = case.model.SerializeToString() if keep_model else b""
    names = [o.name for o in case.model.graph.output]
    try:
        kw = {} if opt_level is None else {"opt_level": opt_level}
        rep = backend.prepare(case.model, **kw)
        # inputs and outputs end at PROT_NONE pages: an access past one faults
        feeds = {k: guard.guarded(v) for k, v in case.feeds.items()}
        with guard.guard_outputs():
            got = rep.run(feeds)
        if any(not np.array_equal(feeds[k], v, equal_nan=v.dtype.kind == "f") for k, v in case.feeds.items()):
            raise AssertionError("the compiled model wrote into one of its inputs")
    except Exception as e:  # noqa: BLE001 - every failure is reported, by kind
        return Result(seed, case.sub, "error", _error_kind(e), traceback.format_exc(limit=8),
                      tuple(case.ops), model_bytes, case.feeds)
    diff = compare(got, ref, names)
    if diff is not None:
        return Result(seed, case.sub, "mismatch", "mismatch", diff,
                      tuple(case.ops), model_bytes, case.feeds)
    return Result(seed, case.sub, "pass", ops=tuple(case.ops))


def save_failure(res: Result, directory) -> str:
    """Write the failing graph as ``seed<seed>.onnx`` (with its inputs as .npz and the
    reason as .txt) in ``directory``; returns the .onnx path."""
    import os

    os.makedirs(directory, exist_ok=True)
    base = os.path.join(directory, f"seed{res.seed}")
    with open(base + ".onnx", "wb") as f:
        f.write(res.model)
    if res.feeds:
        np.savez(base + ".npz", **res.feeds)
    with open(base + ".txt", "w") as f:
        f.write(f"seed {res.seed} (sub-seed {res.sub}): {res.status}: {res.kind}\n")
        f.write(f"ops: {' '.join(res.ops)}\n")
        f.write(f"reproduce: python scripts/fuzz.py --seed {res.seed} --count 1 -v\n\n")
        f.write(res.detail)
    return base + ".onnx"


__all__ = ["OPS", "SKIP", "RTOL", "ATOL", "generate", "valid_case", "check", "compare", "save_failure",
           "Result", "Case", "Reject"]

"""`linalg-contraction-to-vector`: register-blocked broadcast-FMA kernels for contractions.

Accepts the output of `bufferize`.  A ``linalg.generic`` on static f32 memrefs
whose body is ``acc + x * y`` (MatMul, Gemm, batched MatMul, Conv in all its
forms, Einsum contractions, ...) or ``combine(acc, x)`` (max/average pooling
windows) is replaced by an ``affine.for`` nest of ``vector`` ops; every other
op is left to `convert-linalg-to-affine`.  The pieces: ``analysis`` (what
qualifies, the plan), ``fusion`` (init and epilogue), ``panels`` (weight
packing), ``emit`` (the code).

The shape of the kernel.  Let ``j`` be the loop of the output's innermost
(contiguous) dimension, ``S`` the input that varies along ``j`` with stride 1
to 4 (MatMul's B, Conv's input) and ``T`` the other input, which must not
depend on ``j`` (MatMul's A, Conv's weights).  ``i`` is a parallel loop ``T``
depends on (MatMul's rows, Conv's output channels).  The output is computed
in register tiles of ``MR`` values of ``i`` by ``NV`` vectors along ``j``:

    for the other parallel loops, for j0 (step NV*V), for i0 (step MR):
      acc[r][v] = init                                  (MR*NV vector registers)
      for the reduction loops (k...):
        s[v] = vector.load S[.., j0 + v*V]               (NV loads)
        t[r] = vector.broadcast T[i0 + r, ..]            (MR broadcasts)
        acc[r][v] = vector.fma(t[r], s[v], acc[r][v])    (MR*NV FMAs)
      [epilogue on acc]; vector.store acc -> O[i0 + r, j0 + v*V]

(a pooling window has no ``T``: ``acc[r][v] = combine(acc[r][v], s[r][v])``).
``V`` is the target's f32 lane count and ``MR``/``NV`` are chosen so that the
accumulators, the ``S`` vectors and a broadcast fit the target's vector
registers (AVX-512: 6x4 zmm; AVX2: 6x2 ymm).  Remainders: when the initial
value does not read the output, the last row and column tiles are moved back
to end at the edge (``affine.min``) and overlap the previous ones; otherwise
the leftover rows are a kernel of their own.  Leftover columns are a
full-width vector with masked-off lanes (``vector.maskedload``/``maskedstore``
never touch them).  A strided ``S`` is a wide contiguous load and a
``vector.shuffle``, masked where a full load could leave the buffer.  A
constant ``S`` (weights) is read from panels repacked at compile time.

Fusion into the tile, when the neighbouring ops allow it:

* **init**: a ``linalg.fill`` of the output just before (the zero of a
  MatMul) or a broadcasting copy into it (a Conv's or Gemm's bias) becomes the
  accumulators' initial value and is erased;
* **epilogue**: an elementwise ``linalg.generic`` right after that rewrites the
  output in place (Relu, Clip, a residual Add of another buffer, a folded
  BatchNorm's scale and shift) is applied to the accumulators before the store
  and erased.

Threads: with ``threads=T > 1`` the loops of a kernel's nest that no other
of its loops encloses (the batch/row loop of a Conv, the column-tile loop of a
MatMul) are marked ``mlopt.parallel = T`` when the kernel has at least 2^19
multiply-adds; `outline-parallel-loops` hands them to the worker pool.  Every
iteration writes its own output tiles and reduces in the same order, so the
result is the same for every thread count.

Byte dot products (i32 memrefs, the body ``mlopt.dot4(acc, x, y)``: the int8
convolutions and matrix products of quantized models) get the same kernel
with ``mlopt.dot4`` in place of the FMA, 4 multiply-adds per lane; it is
marked ``vnni`` (one ``vpdpbusd``) when the target has the instruction for the
vector width.

Options: ``vector-width`` (f32 lanes; 0 = the host's), ``registers`` (vector
registers; 0 = the host's), ``min-macs`` (smaller contractions are left alone),
``threads`` (1 = no marks), ``pack`` (repack constant weights; default true),
``vnni`` (1: the target has VNNI at this width, 0: not, -1: ask the host).
A register tile recorded on the op by `kernel-select-tiles`
(``mlopt.register_tile``) and panels recorded by `kernel-pack-weights`
(``mlopt.panels``) are used as given (``plan``); the pipelines run the three
passes in that order.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.linalg import ops as linalg
from xdsl.passes import ModulePass

from mlopt.passes.kernels.emit import rewrite
from mlopt.passes.kernels.fusion import find_epilogue, find_init
from mlopt.passes.kernels.panels import drop_unused_globals, packable
from mlopt.passes.kernels.plan import plan_for, recorded_panels, target_shape, target_vnni


@dataclass(frozen=True)
class LinalgContractionToVectorPass(ModulePass):
    """f32 multiply-accumulate ``linalg.generic``s -> register-blocked vector kernels."""

    name = "linalg-contraction-to-vector"

    vector_width: int = 0
    registers: int = 0
    min_macs: int = 4096
    threads: int = 1
    pack: bool = True
    vnni: int = -1

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lanes, registers = target_shape(self.vector_width, self.registers)
        vnni = target_vnni(self.vnni, lanes)
        panels: dict = {}
        recorded: set[str] = set()
        for inner in list(op.walk()):
            if not isinstance(inner, linalg.GenericOp) or inner.parent is None:
                continue
            plan = plan_for(inner, lanes, registers, self.min_macs)
            if plan is None:
                continue
            plan.init = find_init(plan)
            plan.epilogue = find_epilogue(plan)
            if self.pack:
                plan.pack = packable(plan)
            given = recorded_panels(inner, op)
            if given is not None:
                # read by the kernel when they are the panels of its tile's
                # width (packed_global finds them); erased below when unread
                recorded.add(given.sym_name.data)
            rewrite(plan, self.threads, panels, vnni)
        if panels or recorded:
            drop_unused_globals(op, {name for name, _ in panels} | recorded)

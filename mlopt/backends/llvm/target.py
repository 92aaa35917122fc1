"""What code generation needs to know about the target CPU: vector width and registers.

``vector_shape(target_cpu)`` answers for the host (``None``/``"native"``: read
from LLVM's host feature list, so the CPU the code is compiled on decides) or
for a named LLVM CPU (``--target-cpu``), by the ISA family its name implies.
The kernels of ``linalg-contraction-to-vector`` are sized from it: how many
f32 lanes one vector register holds and how many vector registers there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class VectorShape:
    """f32 lanes per vector register, the number of vector registers, and FMA."""

    lanes: int
    registers: int
    fma: bool

    @property
    def bits(self) -> int:
        return self.lanes * 32


GENERIC = VectorShape(lanes=4, registers=16, fma=False)  # x86-64 baseline: SSE2
_AVX2 = VectorShape(lanes=8, registers=16, fma=True)
_AVX512 = VectorShape(lanes=16, registers=32, fma=True)

# LLVM CPU names with AVX-512F (512-bit registers, 32 of them).
_AVX512_CPUS = (
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client",
    "icelake-server", "tigerlake", "sapphirerapids", "emeraldrapids", "graniterapids",
    "graniterapids-d", "rocketlake", "knl", "knm", "znver4", "znver5", "x86-64-v4",
    "diamondrapids",
)  # fmt: skip
# ... and with AVX2 + FMA (256-bit registers, 16 of them).
_AVX2_CPUS = (
    "haswell", "broadwell", "skylake", "alderlake", "raptorlake", "meteorlake",
    "arrowlake", "arrowlake-s", "lunarlake", "gracemont", "pantherlake", "sierraforest",
    "grandridge", "clearwaterforest", "znver1", "znver2", "znver3", "bdver4", "x86-64-v3",
)  # fmt: skip


def from_features(features: str) -> VectorShape:
    """From an LLVM feature string (``+avx2,-avx512f,...``)."""
    on = {f[1:] for f in features.split(",") if f.startswith("+")}
    if "avx512f" in on:
        return _AVX512
    if "avx2" in on and "fma" in on:
        return _AVX2
    if "avx" in on:
        return VectorShape(lanes=8, registers=16, fma="fma" in on)
    return GENERIC


@lru_cache(maxsize=None)
def vector_shape(target_cpu: str | None = None) -> VectorShape:
    """The vector shape of ``target_cpu`` (None, "", "native", "host": this machine)."""
    if target_cpu in (None, "", "native", "host"):
        import llvmlite.binding as llvm

        llvm.initialize_native_target()
        return from_features(llvm.get_host_cpu_features().flatten())
    name = target_cpu.lower()
    if name in _AVX512_CPUS:
        return _AVX512
    if name in _AVX2_CPUS:
        return _AVX2
    return GENERIC

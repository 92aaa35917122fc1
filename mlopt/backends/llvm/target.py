"""What code generation needs to know about the target CPU: vector width and registers.

``vector_shape(target_cpu)`` answers for the host (``None``/``"native"``: read
from LLVM's host feature list, so the CPU the code is compiled on decides) or
for a named LLVM CPU (``--target-cpu``), by the ISA family its name implies.
The kernels of ``linalg-contraction-to-vector`` are sized from it: how many
f32 lanes one vector register holds and how many vector registers there are.

``check_target(cpu, features, triple)`` validates target names before anything
reaches LLVM. LLVM itself does not reject an unknown CPU: it warns
(``'nosuchcpu' is not a recognized processor for this target``) and, on
x86-64, then aborts the whole process (``LLVM ERROR: 64-bit code requested on
a subtarget that doesn't support it!``); the same abort follows a known but
32-bit-only CPU (``i686``, ``pentium4``) or disabling ``64bit``. llvmlite has
no API listing the CPUs or features of a target, nor one that reports these
problems as a Python exception, so the check runs LLVM in a child process:
it builds a target machine for the CPU and features, compiles a one-line
function with it, and the combination is accepted only if that exits cleanly
without a warning. The answer is cached per (triple, CPU, features) for the
life of the process; when it is a rejection, a second child prints LLVM's
``-mcpu=help`` tables (once per triple) for the "did you mean" suggestions.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache

from mlopt.errors import TargetError

HOST_CPU_NAMES = (None, "", "native", "host")


@dataclass(frozen=True)
class VectorShape:
    """f32 lanes per vector register, the number of vector registers, FMA, and
    the byte dot product ``vpdpbusd``: ``vnni`` is ``"avx512"`` (AVX512-VNNI:
    512-bit, and 128/256 with AVX512VL), ``"avx"`` (AVX-VNNI: 128/256-bit) or ``""``."""

    lanes: int
    registers: int
    fma: bool
    vnni: str = ""

    @property
    def bits(self) -> int:
        return self.lanes * 32

    def vnni_lanes(self, lanes: int) -> bool:
        """Whether ``vpdpbusd`` exists for vectors of ``lanes`` i32."""
        if self.vnni == "avx512":
            return lanes in (4, 8, 16)
        return self.vnni == "avx" and lanes in (4, 8)


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


# The x86-64 micro-architecture levels of the psABI, as LLVM defines its
# x86-64-vN CPUs, in the names LLVM's host feature list uses (LLVM's x87 and
# nopl, which it never lists for the host, left out).
_X86_64_V1 = ("64bit", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2")
_X86_64_V2 = (*_X86_64_V1, "cx16", "popcnt", "sahf", "sse3", "sse4.1", "sse4.2", "ssse3")
_X86_64_V3 = (*_X86_64_V2, "avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "xsave")
_X86_64_V4 = (*_X86_64_V3, "avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512vl")
# x86-64-v2 CPUs (those with AVX but not AVX2 add it: _AVX_V2_CPUS).
_V2_CPUS = (
    "x86-64-v2", "nehalem", "corei7", "westmere", "silvermont", "slm", "goldmont",
    "goldmont-plus", "tremont", "sandybridge", "corei7-avx", "ivybridge", "core-avx-i",
)  # fmt: skip
_AVX_V2_CPUS = ("sandybridge", "corei7-avx", "ivybridge", "core-avx-i")


def cpu_features(cpu: str) -> tuple[str, ...]:
    """The features (LLVM's names) every x86-64 CPU called ``cpu`` has, by the
    x86-64 level its name implies: x86-64-vN and the CPUs of the lists above.
    llvmlite cannot ask LLVM for a named CPU's features, so this is a lower
    bound: a CPU the table does not know gets the x86-64 baseline (v1)."""
    name = cpu.lower()
    if name in ("knl", "knm"):  # AVX-512F and CD, without BW, DQ, VL
        return tuple(sorted({*_X86_64_V3, "avx512f", "avx512cd"}))
    if name in _AVX512_CPUS:
        level = _X86_64_V4
    elif name in _AVX2_CPUS:
        level = _X86_64_V3
    elif name in _V2_CPUS:
        level = (*_X86_64_V2, "avx") if name in _AVX_V2_CPUS else _X86_64_V2
    else:
        level = _X86_64_V1
    return tuple(sorted(level))


# LLVM CPU names with AVX512-VNNI (and AVX512VL), and with AVX-VNNI only.
_AVX512_VNNI_CPUS = (
    "cascadelake", "cooperlake", "icelake-client", "icelake-server", "tigerlake",
    "sapphirerapids", "emeraldrapids", "graniterapids", "graniterapids-d", "rocketlake",
    "znver4", "znver5", "diamondrapids",
)  # fmt: skip
_AVX_VNNI_CPUS = (
    "alderlake", "raptorlake", "meteorlake", "arrowlake", "arrowlake-s", "lunarlake",
    "gracemont", "pantherlake", "sierraforest", "grandridge", "clearwaterforest",
)  # fmt: skip


def _with_vnni(shape: VectorShape, vnni: str) -> VectorShape:
    return VectorShape(shape.lanes, shape.registers, shape.fma, vnni) if vnni else shape


def from_features(features: str) -> VectorShape:
    """From an LLVM feature string (``+avx2,-avx512f,...``)."""
    on = {f[1:] for f in features.split(",") if f.startswith("+")}
    vnni = "avx512" if {"avx512vnni", "avx512vl"} <= on else ("avx" if "avxvnni" in on else "")
    if "avx512f" in on:
        return _with_vnni(_AVX512, vnni)
    if "avx2" in on and "fma" in on:
        return _with_vnni(_AVX2, "avx" if vnni else "")
    if "avx" in on:
        return VectorShape(lanes=8, registers=16, fma="fma" in on)
    return GENERIC


@lru_cache(maxsize=None)
def vector_shape(target_cpu: str | None = None) -> VectorShape:
    """The vector shape of ``target_cpu`` (None, "", "native", "host": this machine)."""
    if target_cpu in HOST_CPU_NAMES:
        import llvmlite.binding as llvm

        llvm.initialize_native_target()
        return from_features(llvm.get_host_cpu_features().flatten())
    name = target_cpu.lower()
    if name in _AVX512_CPUS:
        return _with_vnni(_AVX512, "avx512" if name in _AVX512_VNNI_CPUS else "")
    if name in _AVX2_CPUS:
        return _with_vnni(_AVX2, "avx" if name in _AVX_VNNI_CPUS else "")
    return GENERIC


# --------------------------------------------------------------------------- validation

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]*")
_FEATURE = re.compile(r"[+-][A-Za-z0-9][A-Za-z0-9_.-]*")

# Run in a child: build a target machine and compile one function with it.
# LLVM's complaints go to the child's stderr; an abort only ends the child.
_PROBE = """
import sys
import llvmlite.binding as llvm
llvm.initialize_native_target()
llvm.initialize_native_asmprinter()
triple, cpu, features = sys.argv[1:4]
tm = llvm.Target.from_triple(triple).create_target_machine(cpu=cpu, features=features)
mod = llvm.parse_assembly("define double @f(double %x) {\\n  %y = fmul double %x, %x\\n  ret double %y\\n}\\n")
mod.triple = triple
tm.emit_object(mod)
sys.stderr.flush()
print("mlopt-probe-ok")
"""

# CPU "help" makes LLVM print its CPU and feature tables (and then abort).
_HELP = """
import sys
import llvmlite.binding as llvm
llvm.initialize_native_target()
llvm.initialize_native_asmprinter()
tm = llvm.Target.from_triple(sys.argv[1]).create_target_machine(cpu="help")
mod = llvm.parse_assembly("define void @f() {\\n  ret void\\n}\\n")
mod.triple = sys.argv[1]
tm.emit_object(mod)
"""


def _run_child(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as e:
        raise TargetError(
            f"cannot check the target in a child process ({e}); "
            "leave target_cpu unset to compile for this machine"
        ) from e


def default_triple() -> str:
    import llvmlite.binding as llvm

    return llvm.get_default_triple()


@lru_cache(maxsize=None)
def target_catalog(triple: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CPU names and feature names LLVM knows for ``triple`` (from the
    ``-mcpu=help`` tables, printed by a child process)."""
    text = _run_child(_HELP, triple).stderr
    cpus: list[str] = []
    features: list[str] = []
    table: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("Available CPUs"):
            table = cpus
        elif line.startswith("Available features"):
            table = features
        elif table is not None and line.startswith("  "):
            name = line.split()[0]
            if name not in table:
                table.append(name)
        elif line.strip() and not line.startswith("  "):
            table = None if not line.startswith("Available") else table
    return tuple(cpus), tuple(features)


@lru_cache(maxsize=None)
def _probe(triple: str, cpu: str, features: str) -> str | None:
    """None if LLVM compiles for (triple, cpu, features) cleanly, else what it said."""
    proc = _run_child(_PROBE, triple, cpu, features)
    said = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    said = [ln for ln in said if not ln.startswith(("Traceback", "File ", "^"))] or said
    if proc.returncode == 0 and "mlopt-probe-ok" in proc.stdout and not said:
        return None
    # LLVM repeats its warning once per subtarget it builds: report each line once
    unique = list(dict.fromkeys(said))
    return "; ".join(unique[-3:]) or f"the LLVM check exited with status {proc.returncode}"


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=4, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def check_triple(triple: str) -> None:
    """Raise TargetError unless LLVM (as built into llvmlite) has a target for ``triple``."""
    import llvmlite.binding as llvm

    if not isinstance(triple, str) or not triple.strip():
        raise TargetError(f"bad target triple {triple!r}")
    llvm.initialize_native_target()
    try:
        llvm.Target.from_triple(triple)
    except RuntimeError as e:
        raise TargetError(
            f"unknown target triple '{triple}': {e}; this build of LLVM generates code "
            f"for {default_triple()}"
        ) from None


def check_target(cpu: str | None = None, features: str = "", triple: str | None = None) -> None:
    """Raise :class:`~mlopt.errors.TargetError` unless LLVM can generate code for
    ``cpu`` (None, "", "native", "host": this machine) with ``features`` (``+a,-b``)
    on ``triple`` (None: the host's), without ever letting LLVM abort this
    process (see the module docstring)."""
    if triple is not None:
        check_triple(triple)
    triple = triple or default_triple()
    if cpu in HOST_CPU_NAMES and not features:
        return
    if cpu in HOST_CPU_NAMES:
        import llvmlite.binding as llvm

        cpu = llvm.get_host_cpu_name()
    if not isinstance(cpu, str) or not _NAME.fullmatch(cpu) or cpu == "help":
        raise TargetError(f"bad target CPU name {cpu!r}")
    if not isinstance(features, str):
        raise TargetError(f"bad target feature string {features!r}")
    items = [f.strip() for f in features.split(",") if f.strip()]
    for f in items:
        if not _FEATURE.fullmatch(f):
            raise TargetError(f"bad target feature '{f}': expected '+name' or '-name'")
    said = _probe(triple, cpu, ",".join(items))
    if said is None:
        return
    cpus, known_features = target_catalog(triple)
    if cpus and cpu not in cpus:
        hint = _suggest(cpu, cpus)
        if not hint and "-" in cpu and cpu.count("-") >= 2:
            hint = "; it looks like a target triple, but this option takes a CPU name (such as 'skylake' or 'x86-64')"
        raise TargetError(f"unknown target CPU '{cpu}' for {triple}{hint}")
    for f in items:
        if known_features and f[1:] not in known_features:
            raise TargetError(
                f"unknown target feature '{f[1:]}' for {triple}{_suggest(f[1:], known_features)}"
            )
    raise TargetError(f"LLVM cannot generate code for CPU '{cpu}' on {triple}: {said}")

"""One line naming the machine a benchmark ran on (printed first by the bench
scripts, so a committed result says where it came from)."""

from __future__ import annotations

import os
import platform


def _cpu_model() -> str:
    """The model name, CPUID family/model and widest vector extension (a VM's
    model name can be as vague as "AMD EPYC")."""
    info: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key = key.strip()
                if key in ("model name", "cpu family", "model", "flags") and key not in info:
                    info[key] = value.strip()
                if not line.strip() and info:
                    break
    except OSError:
        pass
    if "model name" not in info:
        return platform.processor() or platform.machine()
    flags = info.get("flags", "").split()
    isa = next((f for f in ("avx512f", "avx2", "avx", "sse4_2") if f in flags), "")
    return f"{info['model name']} (family {info.get('cpu family', '?')} model {info.get('model', '?')}, {isa})"


def machine_line() -> str:
    import llvmlite
    import onnxruntime

    from mlopt.backends.llvm.target import vector_shape

    vs = vector_shape()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"machine: {_cpu_model()}, {cpus} CPUs, {platform.machine()}; mlopt kernels {vs.lanes} f32 lanes, "
        f"{vs.registers} vector registers; onnxruntime {onnxruntime.__version__}, llvmlite {llvmlite.__version__}"
    )

"""The LLVM half of a compile: parse, verify, link, optimise, emit.

:func:`handle` turns one request into machine code (or assembly, or
optimised IR). It runs in a child process started by
:mod:`mlopt.backends.llvm.workers` (``python _worker_main.py``, reading
requests from stdin), or in-process where no child can be started. Run as
a script this module imports nothing of mlopt: only llvmlite.

llvmlite's new pass manager keeps native memory after every pipeline run
(docs/upstream.md), so a child that has served a number of requests is
retired and replaced; the compiling process itself never runs a pipeline.

Protocol: each message is an 8-byte little-endian length and a pickle.
Request: ``{"ir": str, "link": [str], "opt_level": int, "cpu": str,
"features": str, "jit": bool, "pic": bool, "outputs": ["object" | "asm" |
"llvm"]}``. Reply: ``{"object": bytes, "asm": str, "llvm": str, "declared": [function
declarations], "defined": [function definitions], "times": {...}}`` or
``{"error": str, "stage": "parse" | "llvm"}``.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import time
from typing import Any, BinaryIO

import llvmlite.binding as llvm

_HEADER = struct.Struct("<Q")
_READY = False


def _init() -> None:
    global _READY
    if not _READY:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        llvm.initialize_native_asmparser()
        _READY = True


# Tuning features added for every x86 target.  LLVM 22's SLP vectorizer, at
# -O3 on AVX-512 CPUs, turned scalar loads of a buffer into a masked gather
# scheduled before the stores to that buffer (onnx's
# test_resize_upsample_scales_linear read zeros: docs/upstream.md).  Without
# gathers it does not happen; gathers are also slow on the Intel parts with
# the "Downfall" microcode fix, and mlopt's kernels do not use them.
X86_TUNING = "+prefer-no-gather,+prefer-no-scatter"


def target_features(triple: str, features: str) -> str:
    """``features`` with the tuning features mlopt adds for ``triple``."""
    if not triple.startswith(("x86_64", "i386", "i686")):
        return features
    return f"{features},{X86_TUNING}" if features else X86_TUNING


def optimize_module(mod: llvm.ModuleRef, tm: llvm.TargetMachine, opt_level: int) -> None:
    """Run LLVM's standard -O<opt_level> pipeline (new pass manager) in place."""
    mod.triple = tm.triple
    mod.data_layout = str(tm.target_data)
    pto = llvm.create_pipeline_tuning_options(speed_level=opt_level)
    vectorize = opt_level >= 2
    pto.loop_vectorization = vectorize
    pto.slp_vectorization = vectorize
    pto.loop_unrolling = opt_level >= 2
    pb = llvm.create_pass_builder(tm, pto)
    mpm = pb.getModulePassManager()
    mpm.run(mod, pb)


def handle(req: dict[str, Any]) -> dict[str, Any]:
    """Compile one request (see the module docstring); never raises."""
    _init()
    t0 = time.perf_counter()
    try:
        mod = llvm.parse_assembly(req["ir"])
        mod.verify()
        for extra in req.get("link", ()):
            mod.link_in(llvm.parse_assembly(extra))
    except RuntimeError as exc:
        return {"error": str(exc), "stage": "parse"}
    t1 = time.perf_counter()
    try:
        target = llvm.Target.from_default_triple()
        tm = target.create_target_machine(
            cpu=req["cpu"],
            features=target_features(target.triple, req["features"]),
            opt=req["opt_level"],
            reloc="pic" if req.get("pic") else "default",
            codemodel="jitdefault" if req.get("jit") else "default",
            jit=bool(req.get("jit")),
        )
        optimize_module(mod, tm, req["opt_level"])
        t2 = time.perf_counter()
        out: dict[str, Any] = {}
        for kind in req["outputs"]:
            if kind == "object":
                out["object"] = tm.emit_object(mod)
            elif kind == "asm":
                out["asm"] = tm.emit_assembly(mod)
            elif kind == "llvm":
                out["llvm"] = str(mod)
            else:
                raise ValueError(f"unknown output {kind!r}")
        t3 = time.perf_counter()
    except (RuntimeError, ValueError) as exc:
        return {"error": str(exc), "stage": "llvm"}
    out["declared"] = [fn.name for fn in mod.functions if fn.is_declaration]
    out["defined"] = [fn.name for fn in mod.functions if not fn.is_declaration]
    out["times"] = {"llvm-parse": t1 - t0, "llvm-optimize": t2 - t1, "codegen": t3 - t2}
    return out


def read_message(stream: BinaryIO) -> Any:
    """One message, or None at the end of the stream."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def write_message(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def serve() -> None:
    # replies go to the original stdout; anything LLVM or Python prints goes to stderr
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    inp = sys.stdin.buffer
    while True:
        req = read_message(inp)
        if req is None:
            return
        write_message(out, handle(req))


if __name__ == "__main__":
    serve()

"""mlopt's LLVM backend: llvm-dialect module -> LLVM IR -> optimised machine code.

* :func:`to_llvm_ir` — the LLVM IR text (weights are external declarations, not data);
* :class:`JITModule` — parse, verify, optimise (new pass manager, -O0..-O3, host
  CPU or ``target_cpu``), MCJIT-compile; weights are bound at load time to
  numpy buffers kept alive by the JITModule;
* :func:`emit` — ``kind`` in ``llvm`` | ``asm`` | ``obj`` | ``shared``.

Weights of object files and shared libraries
--------------------------------------------
Code emitted as ``asm``/``obj``/``shared`` reads each weight's address from an
exported pointer variable ``<global>__ptr`` (initially null), which must be set
before the first call. Two files are written beside the output:

* ``<output>.weights.npz`` — one array per global name (for Python;
  :func:`load_shared` loads it and sets the pointers with ctypes);
* ``<output>.weights.bin`` — the raw data of all weights, each at a 64-byte
  aligned offset; from C, read or ``mmap`` it and call the exported
  ``void <entry>_bind_weights(const void *blob)``, which sets every pointer.

and, for ``obj``/``shared``, ``<output>.h`` declaring both functions.

The entry point is ``void <entry>(ptr in0, ..., ptr out0, ...)``: one data
pointer per input, then per output, C-contiguous row-major buffers, which
must not overlap (the parameters are ``noalias``). A model with data-dependent
indices (Gather, GatherElements, GatherND, ScatterElements, ScatterND) has the
entry ``int32_t <entry>(ptr in0, ..., ptr out0, ..., int64_t status[8])``
instead: it returns 0, or nonzero when an index was out of range, with the
record in ``status`` (:mod:`mlopt.backends.status`, ``lower-index-checks``);
``Translation.entry_status`` tells which, and the header documents it.
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import llvmlite.binding as llvm
import numpy as np
from xdsl.dialects.builtin import ModuleOp

from mlopt.backends.llvm._worker_main import optimize_module, target_features
from mlopt.backends.llvm.abi import (
    STATUS_INDEX_OUT_OF_RANGE,
    WEIGHT_PTR_SUFFIX,
    LLVMTranslationError,
    write_weight_blob,
)

if TYPE_CHECKING:
    from mlopt.backends.llvm.translate import Translation

# the translator (xDSL's llvm dialect and its conversions) is imported when it is
# first needed: loading a saved artefact never needs it
_LAZY = ("Translation", "dense_to_numpy", "numpy_dtype", "translate_module")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from mlopt.backends.llvm import translate

        return getattr(translate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "LLVMTranslationError",
    "JITModule",
    "SharedLibrary",
    "emit",
    "load_shared",
    "optimize_module",
    "target_machine",
    "to_llvm_ir",
    "translate_module",
    "dense_to_numpy",
    "numpy_dtype",
]

_INIT_LOCK = threading.Lock()
_INITIALIZED = False
# llvmlite parses into LLVM's global context, which is not thread-safe: one
# compilation at a time per process (running compiled code needs no lock).
_COMPILE_LOCK = threading.RLock()


def _init_llvm() -> None:
    global _INITIALIZED
    with _INIT_LOCK:
        if not _INITIALIZED:
            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            llvm.initialize_native_asmparser()
            # compiler runtime helpers LLVM may call (e.g. __truncdfhf2 for
            # f64 -> f16); without them MCJIT would jump to address 0
            for lib in ("libgcc_s.so.1", "libm.so.6", "libc.so.6"):
                try:
                    llvm.load_library_permanently(lib)
                except RuntimeError:
                    pass
            _INITIALIZED = True


def _check_opt_level(opt_level: int) -> int:
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, not {opt_level!r}")
    return opt_level


def target_machine(
    opt_level: int = 3, target_cpu: str | None = None, *, jit: bool = False, pic: bool = False
) -> llvm.TargetMachine:
    """A target machine for the host triple; ``target_cpu`` None/"native" = this CPU.

    A CPU name LLVM does not know raises TargetError (checked first, in a child
    process: LLVM would abort this one; see :mod:`mlopt.backends.llvm.target`)."""
    cpu, features = _cpu_and_features(target_cpu)
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(
        cpu=cpu,
        features=target_features(target.triple, features),
        opt=_check_opt_level(opt_level),
        reloc="pic" if pic else "default",
        codemodel="jitdefault" if jit else "default",
        jit=jit,
    )


def _as_translation(module: ModuleOp | Translation, weights: str) -> Translation:
    from mlopt.backends.llvm.translate import Translation, translate_module

    if isinstance(module, Translation):
        return module
    return translate_module(module, weights=weights)


def _uses_pool(translation: Translation) -> bool:
    from mlopt.backends.llvm.threads import ENTRY

    fn = translation.module.globals.get(ENTRY)
    return fn is not None and fn.is_declaration


def _parts(translation: Translation) -> list[str]:
    """The translated module's text, split for as many LLVM workers as run at once."""
    from mlopt.backends.llvm.split import split_module
    from mlopt.backends.llvm.workers import MAX_WORKERS, workers_enabled

    return split_module(translation.module, MAX_WORKERS if workers_enabled() else 1)


def _map_parallel(fn: Any, items: list[str]) -> list[dict[str, Any]]:
    if len(items) == 1:
        return [fn(items[0])]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(items)) as pool:  # each thread waits on its worker's pipe
        return list(pool.map(fn, items))


def _merge_replies(replies: list[dict[str, Any]]) -> dict[str, Any]:
    """One reply for the parts: the functions none of them defines, and per
    stage the slowest part's time (they ran at once)."""
    if len(replies) == 1:
        return replies[0]
    declared = {n for r in replies for n in r["declared"]}
    defined = {n for r in replies for n in r["defined"]}
    times = {k: max(r["times"][k] for r in replies) for k in replies[0]["times"]}
    return {
        "declared": sorted(declared - defined),
        "times": times,
    }


def _check_externals(declared: list[str], weights: dict[str, np.ndarray]) -> None:
    """Refuse to JIT code calling a function the process does not provide.

    (MCJIT would otherwise abort the process or jump to address 0.)
    """
    for name in declared:
        if name.startswith("llvm.") or name in weights:
            continue
        if llvm.address_of_symbol(name) is None:
            raise LLVMTranslationError(
                f"the compiled code calls external function '{name}', "
                "which this process does not provide"
            )


def _cpu_and_features(target_cpu: str | None) -> tuple[str, str]:
    """The CPU name and feature string a target machine for ``target_cpu`` gets."""
    from mlopt.backends.llvm.target import HOST_CPU_NAMES, check_target

    _init_llvm()
    if target_cpu in HOST_CPU_NAMES:
        return llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()
    check_target(target_cpu)
    return str(target_cpu), ""


def _llvm(
    ir: str,
    opt_level: int,
    target_cpu: str | None,
    outputs: tuple[str, ...],
    *,
    jit: bool = False,
    pic: bool = False,
    link: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Parse, optimise and emit ``ir`` in an LLVM worker (:mod:`.workers`)."""
    from mlopt.backends.llvm.workers import run_llvm

    cpu, features = _cpu_and_features(target_cpu)
    reply = run_llvm(
        {
            "ir": ir,
            "link": list(link),
            "opt_level": _check_opt_level(opt_level),
            "cpu": cpu,
            "features": features,
            "jit": jit,
            "pic": pic,
            "outputs": list(outputs),
        }
    )
    if "error" in reply:
        what = "rejected the generated IR" if reply["stage"] == "parse" else "failed"
        raise LLVMTranslationError(f"LLVM {what}: {reply['error']}")
    return reply


def to_llvm_ir(module: ModuleOp) -> str:
    """LLVM IR text of an llvm-dialect module (weights are external globals)."""
    from mlopt.backends.llvm.translate import translate_module

    return str(translate_module(module, weights="external").module)


class JITModule:
    """An llvm-dialect module compiled to machine code and loaded with MCJIT.

    The LLVM IR (weights ``indirect``: the code reads each weight's address
    from an exported ``<global>__ptr`` variable) is optimised and compiled to
    position-independent object files in LLVM worker processes
    (:mod:`mlopt.backends.llvm.workers`); this process links the objects into
    an MCJIT engine and points the weight variables at numpy buffers kept
    alive by the JITModule. The objects are exactly what a saved artefact
    stores (:mod:`mlopt.backends.artifact`) and what ``cc -shared`` links into
    a package's shared library, so :meth:`from_objects` loads one without
    compiling. ``stage_times`` holds seconds spent translating, parsing,
    optimising and generating code (the worker's times; ``llvm-transfer`` is
    the rest of the round trip and the link).
    """

    def __init__(
        self,
        module: ModuleOp | Translation,
        opt_level: int = 3,
        target_cpu: str | None = None,
        on_stage: Any = None,
    ):
        """``on_stage(name)`` is told when the ``llvm-optimize`` stage (LLVM's
        optimisation and code generation in the workers) and the ``link``
        stage start (progress)."""
        t0 = time.perf_counter()
        translation = _as_translation(module, "indirect")
        self._parts: list[str] | None = _parts(translation)
        self._opt_level, self._target_cpu = opt_level, target_cpu
        t1 = time.perf_counter()
        if on_stage is not None:
            on_stage("llvm-optimize")
        replies = _map_parallel(
            lambda ir: _llvm(ir, opt_level, target_cpu, ("object",), pic=True), self._parts
        )
        t2 = time.perf_counter()
        reply = _merge_replies(replies)
        self.objects: list[bytes] = [r["object"] for r in replies]
        self.weights: dict[str, np.ndarray] = translation.weights
        self.declared: list[str] = list(reply["declared"])
        self.entry = translation.entry
        self.entry_num_args = translation.entry_num_args
        self.entry_status = translation.entry_status
        self.index_checks = translation.index_checks
        if on_stage is not None:
            on_stage("link")
        self._link()
        t3 = time.perf_counter()
        worker = reply["times"]
        self.stage_times = {
            "translate": t1 - t0,
            **worker,
            "llvm-transfer": max(0.0, (t2 - t1) - sum(worker.values())) + (t3 - t2),
        }

    @classmethod
    def from_objects(
        cls,
        objects: list[bytes],
        weights: dict[str, np.ndarray],
        *,
        entry: str | None,
        entry_num_args: int,
        entry_status: bool,
        index_checks: list[Any],
        declared: list[str],
        opt_level: int = 3,
        target_cpu: str | None = None,
    ) -> JITModule:
        """Link object files made by a JITModule (stored in an artefact) into
        this process: nothing is compiled. ``weights`` may be read-only views
        of a memory-mapped file."""
        self = cls.__new__(cls)
        t0 = time.perf_counter()
        self._parts = None
        self._opt_level, self._target_cpu = opt_level, target_cpu
        self.objects, self.weights, self.declared = list(objects), dict(weights), list(declared)
        self.entry, self.entry_num_args = entry, entry_num_args
        self.entry_status, self.index_checks = entry_status, list(index_checks)
        self._link()
        self.stage_times = {"link": time.perf_counter() - t0}
        return self

    def _link(self) -> None:
        from mlopt.backends.llvm.threads import ENTRY

        if ENTRY in self.declared:
            from mlopt.backends.llvm.threads import ensure_jit_pool

            ensure_jit_pool()
        _check_externals(self.declared, self.weights)
        with _COMPILE_LOCK:
            _init_llvm()
            self._tm = target_machine(self._opt_level, self._target_cpu, jit=True)
            self.engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), self._tm)
            for obj in self.objects:
                self.engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
            self.engine.finalize_object()
            for name, array in self.weights.items():
                addr = self.engine.get_global_value_address(name + WEIGHT_PTR_SUFFIX)
                if addr:  # the variable of a weight no function reads may be gone
                    ctypes.c_void_p.from_address(addr).value = array.ctypes.data

    def address(self, name: str) -> int:
        addr = self.engine.get_function_address(name)
        if not addr:
            raise KeyError(f"no function '{name}' in the compiled module")
        return addr

    def function(self, name: str | None = None, num_args: int | None = None) -> Any:
        """A ctypes callable ``void name(void*, ...)`` (default: the mlopt entry;
        ``int32_t`` when the entry returns an error status)."""
        name = name or self.entry
        if name is None:
            raise KeyError("the module has no function marked mlopt.entry")
        n = self.entry_num_args if num_args is None else num_args
        # an entry with index checks returns its int32_t error status
        restype = ctypes.c_int32 if name == self.entry and self.entry_status else None
        proto = ctypes.CFUNCTYPE(restype, *([ctypes.c_void_p] * n))
        return proto(self.address(name))

    def _whole(self, output: str) -> str:
        if self._parts is None:
            raise LLVMTranslationError(
                "this module was loaded from a saved artefact: it holds machine code only, "
                "no LLVM IR to print"
            )
        first, *rest = self._parts  # the parts linked back into one module
        return _llvm(first, self._opt_level, self._target_cpu, (output,), pic=True, link=tuple(rest))[output]

    def optimized_ir(self) -> str:
        """The optimised LLVM IR of the module (compiled again, for inspection)."""
        return self._whole("llvm")

    @property
    def llvm_module(self) -> llvm.ModuleRef:
        """The optimised module, parsed into this process (for inspection)."""
        with _COMPILE_LOCK:
            return llvm.parse_assembly(self.optimized_ir())

    def asm(self) -> str:
        """The assembly of the module (compiled again, for inspection)."""
        return self._whole("asm")

    def link_shared(self, output: str | os.PathLike[str]) -> Path:
        """Link the objects (and the thread pool, if the code uses it) into a
        shared library at ``output`` with the C compiler (``$CC``, else ``cc``).
        The library's weights are bound with ``<entry>_bind_weights(blob)``."""
        from mlopt.backends.llvm.threads import ENTRY

        extra = [_pool_object(self._target_cpu)] if ENTRY in self.declared else []
        return link_shared([*self.objects, *extra], output)


_POOL_OBJECTS: dict[str | None, bytes] = {}


def _pool_object(target_cpu: str | None) -> bytes:
    """The thread pool compiled to a position-independent object (once per process)."""
    from mlopt.backends.llvm.threads import pool_ir

    obj = _POOL_OBJECTS.get(target_cpu)
    if obj is None:
        obj = _POOL_OBJECTS[target_cpu] = _llvm(pool_ir(), 2, target_cpu, ("object",), pic=True)["object"]
    return obj


def c_compiler() -> str | None:
    """The C compiler that links shared libraries: ``$CC``, else cc, gcc or clang on PATH."""
    import shutil

    cc = os.environ.get("CC")
    if cc:
        return cc
    for name in ("cc", "gcc", "clang"):
        if shutil.which(name):
            return name
    return None


def link_shared(objects: list[bytes], output: str | os.PathLike[str]) -> Path:
    """``cc -shared`` the object files into ``output``; RuntimeError when no C
    compiler is found or the link fails."""
    cc = c_compiler()
    if cc is None:
        raise RuntimeError("no C compiler found to link a shared library (set CC, or install cc)")
    out = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, obj in enumerate(objects):
            path = Path(tmp) / f"part{i}.o"
            path.write_bytes(obj)
            paths.append(str(path))
        proc = subprocess.run(
            [cc, "-shared", "-o", str(out), *paths, "-lm", "-lpthread"],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"linking {out} failed: {proc.stderr.strip()}")
    return out


def emit(
    module: ModuleOp,
    kind: str,
    opt_level: int = 3,
    target_cpu: str | None = None,
    output: str | os.PathLike[str] | None = None,
) -> str | bytes:
    """Compile ``module`` (llvm dialect) to ``kind``: llvm | asm | obj | shared.

    Returns the text (llvm, asm), the bytes (obj) or the path written (shared).
    With ``output`` the result is also written there; for asm/obj/shared the
    weights go to ``<output>.weights.npz`` (see the module docstring).
    """
    _check_opt_level(opt_level)
    if kind not in ("llvm", "asm", "obj", "shared"):
        raise ValueError(f"unknown emit kind {kind!r}: expected llvm, asm, obj or shared")
    if kind == "shared" and output is None:
        raise ValueError("emit(kind='shared') needs an output path")
    from mlopt.backends.llvm.translate import translate_module

    weights_mode = "external" if kind == "llvm" else "indirect"
    translation = translate_module(module, weights=weights_mode)
    text = str(translation.module)
    link: tuple[str, ...] = ()
    if _uses_pool(translation):  # an object or library carries its own worker pool
        from mlopt.backends.llvm.threads import pool_ir

        link = (pool_ir(),)
    output_kind = {"llvm": "llvm", "asm": "asm", "obj": "object", "shared": "object"}[kind]
    reply = _llvm(text, opt_level, target_cpu, (output_kind,), pic=kind == "shared", link=link)
    result: str | bytes = reply[output_kind]
    if output is None:
        return result
    out = Path(output)
    if kind == "shared":
        link_shared([result], out)  # type: ignore[list-item]
        result = str(out)
    elif isinstance(result, bytes):
        out.write_bytes(result)
    else:
        out.write_text(result)
    if translation.weights or kind != "llvm":
        np.savez(weights_path(out), **translation.weights)
    if kind != "llvm":
        _write_weight_blob(Path(str(out) + ".weights.bin"), translation.weights)
        if translation.entry is not None:
            from mlopt.backends.llvm.header import module_header

            header = module_header(module, translation, target_cpu) or c_header(translation)
            Path(str(out) + ".h").write_text(header)
    return result


def c_header(translation: Translation) -> str:
    """A C header declaring the entry point and the weight binder."""
    from mlopt.backends.llvm.translate import bind_function_name

    entry = translation.entry
    n_data = translation.entry_num_args - translation.entry_status
    params = [f"void *arg{i}" for i in range(n_data)]
    if translation.entry_status:
        params.append("int64_t status[8]")
    args = ", ".join(params) or "void"
    lines = [
        "/* Generated by mlopt. Inputs, then outputs: C-contiguous row-major buffers",
        "   that must not overlap. */",
        "#pragma once",
        "#include <stdint.h>",
        "#ifdef __cplusplus",
        'extern "C" {',
        "#endif",
    ]
    if translation.entry_status:
        lines += [
            "/* The model indexes with data (Gather, Scatter*...): every index is checked.",
            "   Returns 0, or nonzero if an index was out of range; then status[0] is that",
            f"   code ({STATUS_INDEX_OUT_OF_RANGE}), status[1] the check id (below), status[2] the index",
            "   value, status[3] the size of the indexed axis, status[4] the axis. The outputs",
            "   are then unspecified, but no memory outside the buffers was read or written.",
            "   status: 8 int64_t words owned by the caller (one per concurrent call).",
            "   Check ids: */",
        ]
        for i, (node, op_type, wraps) in enumerate(translation.index_checks):
            how = "negative indices wrap" if wraps else "no negative indices"
            lines.append(
                f"#define {entry.upper()}_CHECK_{i}_NODE {_c_string(node)} /* {op_type}; {how} */"
            )
        lines.append(f"int32_t {entry}({args});")
    else:
        lines.append(f"void {entry}({args});")
    if translation.weights:
        lines += [
            "/* Call once before the entry: blob = contents of the .weights.bin file",
            "   (kept alive and unmodified while the entry may run). */",
            f"void {bind_function_name(translation)}(const void *blob);",
        ]
    lines += ["#ifdef __cplusplus", "}", "#endif", ""]
    return "\n".join(lines)


def _c_string(text: str) -> str:
    """``text`` as a C string literal (ASCII; other bytes as octal escapes)."""
    out = []
    for byte in text.encode():
        ch = chr(byte)
        if ch in '"\\' or ch == "?":
            out.append("\\" + ch)
        elif 32 <= byte < 127 and ch not in "*/":
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


def _write_weight_blob(path: Path, weights: dict[str, np.ndarray]) -> None:
    with open(path, "wb") as f:
        write_weight_blob(f, weights)


def weights_path(output: str | os.PathLike[str]) -> Path:
    """Where :func:`emit` stores the weights of ``output``."""
    return Path(str(output) + ".weights.npz")


class SharedLibrary:
    """A shared library made by ``emit(kind='shared')`` with its weights bound."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.lib = ctypes.CDLL(str(self.path.resolve()))
        self.weights: dict[str, np.ndarray] = {}
        wpath = weights_path(self.path)
        if wpath.exists():
            with np.load(wpath) as data:
                for name in data.files:
                    self.weights[name] = np.ascontiguousarray(data[name])
        for name, array in self.weights.items():
            ptr = ctypes.c_void_p.in_dll(self.lib, name + WEIGHT_PTR_SUFFIX)
            ptr.value = array.ctypes.data

    def function(self, name: str, num_args: int, returns_status: bool = False) -> Any:
        """``name`` as a ctypes function of ``num_args`` pointers; ``returns_status``:
        it returns ``int32_t`` (an entry with index checks, see the header)."""
        fn = getattr(self.lib, name)
        fn.restype = ctypes.c_int32 if returns_status else None
        fn.argtypes = [ctypes.c_void_p] * num_args
        return fn


def load_shared(path: str | os.PathLike[str]) -> SharedLibrary:
    """Load a shared library written by :func:`emit` and bind its weights."""
    return SharedLibrary(path)

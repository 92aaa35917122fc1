"""LLVM optimisation and code generation in recycled child processes.

Every pipeline run of llvmlite's new pass manager leaves native memory behind
(~130 kB per -O3 compile of a small model, docs/upstream.md), so a process that
compiles thousands of models would grow without bound. mlopt therefore never
runs an LLVM pipeline in the compiling process: :func:`run_llvm` sends the
LLVM IR text to a child (``_worker_main.py``), which parses, optimises and
emits an object file; the compiling process only links that object into an
MCJIT engine (which frees everything it allocated when closed). A child
serves at most ``MLOPT_LLVM_WORKER_JOBS`` (default 50) requests and is then
replaced, so the memory it keeps is bounded and returned to the system.

Children are started on demand, one per concurrent compile, at most
:data:`MAX_WORKERS`; compiles from several threads run LLVM in parallel.
A child that dies (LLVM aborts on an internal error) fails only the compile it
was serving, with :class:`LLVMWorkerError`. ``MLOPT_LLVM_WORKERS=0`` runs LLVM
in-process instead (the same code, with the leak), as does a platform that
cannot start a child.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from mlopt.backends.llvm import _worker_main
from mlopt.backends.llvm.threads import available_cpus
from mlopt.backends.llvm.abi import LLVMTranslationError

_MAIN = str(Path(_worker_main.__file__).resolve())


class LLVMWorkerError(LLVMTranslationError):
    """The LLVM child process died while compiling (an LLVM crash)."""


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    try:
        return int(text) if text else default
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {text!r}") from None


def max_jobs() -> int:
    return max(1, _env_int("MLOPT_LLVM_WORKER_JOBS", 50))


MAX_WORKERS = min(4, available_cpus())


class _Worker:
    def __init__(self) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, _MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            close_fds=True,
        )
        self.jobs = 0

    def request(self, req: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.jobs += 1
        try:
            _worker_main.write_message(self.proc.stdin, req)
            reply = _worker_main.read_message(self.proc.stdout)
        except (BrokenPipeError, OSError):
            reply = None
        if reply is None:
            words = self._last_words()
            self.close()
            raise LLVMWorkerError(
                f"LLVM crashed while compiling (its process ended with status "
                f"{self.proc.returncode}): {words}"
            )
        return reply

    def _last_words(self) -> str:
        try:
            self.stderr.seek(0)
            lines = [ln.strip() for ln in self.stderr.read().decode(errors="replace").splitlines() if ln.strip()]
        except OSError:
            lines = []
        return lines[-1][:500] if lines else "no message"

    def close(self) -> None:
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.stderr.close()


class _Pool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[_Worker] = []
        self.slots = threading.BoundedSemaphore(MAX_WORKERS)
        self.pid = os.getpid()
        self.started = 0  # children started over the life of the process

    def _take(self) -> _Worker:
        with self.lock:
            if self.pid != os.getpid():  # forked: the parent's children are not ours
                self.idle = []
                self.pid = os.getpid()
            if self.idle:
                return self.idle.pop()
            self.started += 1
        return _Worker()

    def run(self, req: dict[str, Any]) -> dict[str, Any]:
        with self.slots:
            worker = self._take()
            reply = worker.request(req)  # a dead worker closed itself
            if worker.jobs >= max_jobs():
                worker.close()
            else:
                with self.lock:
                    self.idle.append(worker)
            return reply

    def shutdown(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for w in idle:
            w.close()


_POOL = _Pool()
atexit.register(_POOL.shutdown)
_no_children = False


def workers_enabled() -> bool:
    return not _no_children and _env_int("MLOPT_LLVM_WORKERS", 1) != 0


def run_llvm(req: dict[str, Any]) -> dict[str, Any]:
    """Serve ``req`` (see :mod:`_worker_main`) in a child, or in-process where
    children are off or cannot be started."""
    global _no_children
    if workers_enabled():
        try:
            return _POOL.run(req)
        except OSError:  # no child can be started here (sandbox, no fork)
            _no_children = True
    from mlopt.backends.llvm import _COMPILE_LOCK, _init_llvm

    _init_llvm()
    with _COMPILE_LOCK:  # llvmlite's global context is not thread-safe
        return _worker_main.handle(req)


def pool_stats() -> dict[str, int]:
    """Children started so far and idle now (for tests and diagnostics)."""
    with _POOL.lock:
        return {"started": _POOL.started, "idle": len(_POOL.idle)}


def shutdown() -> None:
    """Stop the idle children (they are started again when needed)."""
    _POOL.shutdown()

"""Per-node run-time profiles of compiled models (``compile_model(profile=True)``).

The ``profile-nodes`` pass (:mod:`mlopt.passes.profile`) makes the generated
code stamp ``clock_gettime(CLOCK_MONOTONIC)`` around the ops of each ONNX node,
or of each fused kernel (which names every node it covers), into a global
buffer of i64 nanoseconds. After each call of a profiled model the
:class:`Profiler` copies the buffer out (``mlopt_profile_read``) and appends
one :class:`ProfileEvent` per node or kernel (``cat="Op"``) and one for the
whole call (``cat="Session"``, ``name="model_run"``), like onnxruntime's
``enable_profiling``. The buffer is global to the compiled code, so calls of a
profiled model are serialised by a lock (an unprofiled model's calls run in
parallel as before).

* :meth:`CompiledModel.profile` -> the events so far;
* :meth:`CompiledModel.write_profile` / :func:`write_trace` -> Chrome-trace /
  Perfetto JSON (``{"traceEvents": [...], "displayTimeUnit": "ms"}``);
* :func:`profile_table` -> the top-N ops by total time, with their share.

Times are microseconds from the start of the first profiled call; a parallel
loop nest is timed as a whole on the calling thread (wall time).
"""

from __future__ import annotations

import json
import os
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlopt.errors import UsageError
from mlopt.passes.node_names import Node
from mlopt.passes.profile import CALL_END, CALL_START, FIRST_GROUP_SLOT, READ_FN

__all__ = ["ProfileEvent", "Profiler", "profile_table", "trace_json", "write_trace"]


@dataclass(frozen=True)
class ProfileEvent:
    """One node (or fused kernel) in one call, or one whole call (``cat="Session"``)."""

    name: str  #: the node name; ``a+b`` for a kernel covering nodes a and b; ``model_run``
    cat: str  #: ``"Op"`` or ``"Session"``
    call: int  #: the call's index, from 0
    start_us: float  #: from the start of the first profiled call
    dur_us: float
    nodes: tuple[str, ...] = ()
    op_types: tuple[str, ...] = ()
    tid: int = 0  #: the native id of the thread that made the call


    @property
    def op_type(self) -> str:
        """The op types joined with ``+`` (``Conv+Relu`` for a fused kernel)."""
        return "+".join(self.op_types)

    def trace_event(self, pid: int = 0) -> dict[str, Any]:
        """The Chrome-trace ``ph: "X"`` (complete) event."""
        args: dict[str, Any] = {"call": self.call}
        if self.cat == "Op":
            args = {"op_type": self.op_type, "nodes": list(self.nodes),
                    "op_types": list(self.op_types), "provider": "mlopt", **args}
        return {
            "name": self.name, "cat": self.cat, "ph": "X",
            "ts": round(self.start_us, 3), "dur": round(self.dur_us, 3),
            "pid": pid, "tid": self.tid, "args": args,
        }


@dataclass
class _Binding:
    read: Any  #: ctypes ``void mlopt_profile_read(int64_t *)``
    table: list[list[Node]]
    buffer: np.ndarray


def _name(nodes: Sequence[Node]) -> str:
    return "+".join(n for n, _ in nodes)


@dataclass
class Profiler:
    """Collects the events of a profiled model's calls (see the module doc)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    events: list[ProfileEvent] = field(default_factory=list)
    calls: int = 0
    _origin_ns: int | None = None
    _bound: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)

    def bind(self, jit: Any, table: list[list[Node]] | None) -> None:
        """Attach a compiled variant's table (its timed groups' nodes) to its JIT module."""
        if table is None:
            return
        table = [[tuple(n) for n in group] for group in table]  # lists, when read from JSON
        read = jit.function(READ_FN, 1)
        size = FIRST_GROUP_SLOT + 2 * len(table)
        self._bound[jit] = _Binding(read, table, np.zeros(size, dtype=np.int64))

    @contextmanager
    def recording(self, jit: Any) -> Iterator[None]:
        """Run the body (one call of ``jit``'s entry) alone, then record its events."""
        binding = self._bound.get(jit)
        if binding is None:
            yield
            return
        with self.lock:
            yield
            binding.read(binding.buffer.ctypes.data)
            self._record(binding, threading.get_native_id())

    def _record(self, b: _Binding, tid: int) -> None:
        stamps = b.buffer
        if self._origin_ns is None:
            self._origin_ns = int(stamps[CALL_START])
        origin = self._origin_ns
        call = self.calls
        self.calls += 1

        def us(ns: int) -> float:
            return (int(ns) - origin) / 1000.0

        start, end = int(stamps[CALL_START]), int(stamps[CALL_END])
        self.events.append(
            ProfileEvent("model_run", "Session", call, us(start), (end - start) / 1000.0, tid=tid)
        )
        for g, nodes in enumerate(b.table):
            t0 = int(stamps[FIRST_GROUP_SLOT + 2 * g])
            t1 = int(stamps[FIRST_GROUP_SLOT + 2 * g + 1])
            self.events.append(
                ProfileEvent(
                    _name(nodes), "Op", call, us(t0), (t1 - t0) / 1000.0,
                    tuple(n for n, _ in nodes), tuple(t for _, t in nodes), tid,
                )
            )

    def snapshot(self) -> list[ProfileEvent]:
        with self.lock:
            return list(self.events)

    def clear(self) -> None:
        with self.lock:
            self.events.clear()
            self.calls = 0
            self._origin_ns = None


def profiled_stages(stages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The runtime's pipeline stages with profiling: ``convert-onnx-to-tensor``
    tags ops with their nodes, and ``profile-nodes`` runs as its own stage
    ``profile`` right before ``affine-to-llvm``."""
    import re

    from mlopt.errors import CompileArgumentError
    from mlopt.passes.pipelines import PROFILE

    names = [name for name, _ in stages]
    if "affine-to-llvm" not in names:
        raise CompileArgumentError(
            "profiling needs a model at the affine level or above (this one is "
            "already in the llvm dialect)"
        )
    out: list[tuple[str, str]] = []
    for name, text in stages:
        if name == "affine-to-llvm":
            out.append(("profile", PROFILE))
        text = re.sub(r"convert-onnx-to-tensor(?![-{\w])", "convert-onnx-to-tensor{node-names=true}", text)
        out.append((name, text))
    return out


def trace_json(events: Iterable[ProfileEvent]) -> dict[str, Any]:
    """The Chrome-trace / Perfetto document of ``events``."""
    pid = os.getpid()
    return {
        "traceEvents": [e.trace_event(pid=pid) for e in events],
        "displayTimeUnit": "ms",
    }


def write_trace(events: Iterable[ProfileEvent], path: str | os.PathLike[str]) -> None:
    """Write ``events`` as Chrome-trace JSON to ``path`` (a clear error if it cannot)."""
    doc = trace_json(events)
    try:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    except OSError as e:
        raise UsageError(f"cannot write the profile to '{os.fspath(path)}': {e.strerror or e}") from None


def profile_table(events: Iterable[ProfileEvent], top: int = 10) -> str:
    """The ``top`` ops (nodes or kernels) by total time, as a text table.

    Columns: the op's name, its op type(s), in how many calls it ran, the total
    milliseconds and the mean per call, and its share of the run: of the calls'
    total time when ``events`` holds the ``model_run`` events, else of all the
    ops' time.
    """
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise UsageError(f"top must be a positive integer, not {top!r}")
    events = list(events)
    ops: dict[str, list[Any]] = {}
    run_us = 0.0
    for e in events:
        if e.cat == "Session":
            run_us += e.dur_us
            continue
        row = ops.setdefault(e.name, [e.op_type, set(), 0.0])
        row[1].add(e.call)
        row[2] += e.dur_us
    op_us = sum(r[2] for r in ops.values())
    whole = run_us if run_us > 0 else op_us
    rows = sorted(ops.items(), key=lambda kv: -kv[1][2])[:top]
    head = ("op", "op type", "calls", "total ms", "mean ms", "share")
    body = [
        (name, typ, str(len(calls)), f"{us / 1000:.3f}", f"{us / 1000 / len(calls):.4f}",
         f"{100 * us / whole:.1f}%" if whole > 0 else "-")
        for name, (typ, calls, us) in rows
    ]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    right = {2, 3, 4, 5}

    def fmt(r: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))

    lines = [fmt(head), "  ".join("-" * w for w in widths), *map(fmt, body)]
    of = "of the calls' time" if run_us > 0 else "of the ops' time"
    shown = sum(us for _, (_, _, us) in rows)
    if whole > 0:
        lines.append(
            f"top {len(rows)} of {len(ops)} ops: {shown / 1000:.3f} ms, "
            f"{100 * shown / whole:.1f}% {of}"
        )
    return "\n".join(lines)

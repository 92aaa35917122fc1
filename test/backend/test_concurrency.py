"""Long-lived processes: compiles from several threads while other threads call
compiled models; calls run in parallel (ctypes releases the GIL); memory stays
flat over many compile/call/drop cycles (LLVM runs in recycled child processes)."""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import mlopt
from mlopt.backends.llvm import workers

_SOAK = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"
_spec = importlib.util.spec_from_file_location("mlopt_soak", _SOAK)
soak = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(soak)

MODELS = {
    "digits": soak.digits_model,
    "cnn": soak.cnn_model,
    "cnn_b": lambda: soak.cnn_model(seed=5),
    "transformer": soak.transformer_model,
}


def _run(compiled, feeds):
    return next(iter(compiled.run(feeds).values()))


def test_four_threads_compile_while_four_threads_call():
    models = {n: f() for n, f in MODELS.items()}
    feeds = {n: soak.inputs_for(m, seed=3) for n, m in models.items()}
    serial = {n: _run(mlopt.compile(m), feeds[n]) for n, m in models.items()}
    ready = {n: mlopt.compile(m) for n, m in models.items()}
    errors: list[str] = []
    compiling = threading.Event()
    compiling.set()

    def compile_loop(name: str) -> None:
        try:
            for _ in range(3):
                got = _run(mlopt.compile(models[name]), feeds[name])
                if not np.array_equal(got, serial[name]):
                    errors.append(f"compile thread {name}: wrong result")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"compile thread {name}: {type(e).__name__}: {e}")

    def call_loop(name: str) -> None:
        calls = 0
        try:
            while compiling.is_set() or calls < 20:
                if not np.array_equal(_run(ready[name], feeds[name]), serial[name]):
                    errors.append(f"call thread {name}: wrong result")
                calls += 1
        except Exception as e:  # noqa: BLE001
            errors.append(f"call thread {name}: {type(e).__name__}: {e}")

    compilers = [threading.Thread(target=compile_loop, args=(n,)) for n in models]
    callers = [threading.Thread(target=call_loop, args=(n,)) for n in models]
    for t in compilers + callers:
        t.start()
    deadline = time.monotonic() + 600
    for t in compilers:
        t.join(max(1.0, deadline - time.monotonic()))
    compiling.clear()
    for t in callers:
        t.join(max(1.0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in compilers + callers), "deadlock: a thread did not finish"
    assert errors == []


def test_llvm_runs_in_child_processes_that_are_recycled(monkeypatch):
    monkeypatch.setenv("MLOPT_LLVM_WORKER_JOBS", "2")
    workers.shutdown()
    before = workers.pool_stats()["started"]
    model = soak.digits_model()
    feeds = soak.inputs_for(model)
    outs = [_run(mlopt.compile(model), feeds) for _ in range(5)]
    assert all(np.array_equal(o, outs[0]) for o in outs)
    # 5 compiles, at most 2 each per child: at least 3 children
    assert workers.pool_stats()["started"] - before >= 3


def test_in_process_llvm_gives_the_same_code(monkeypatch):
    model = soak.cnn_model()
    feeds = soak.inputs_for(model)
    child = _run(mlopt.compile(model), feeds)
    monkeypatch.setenv("MLOPT_LLVM_WORKERS", "0")
    before = workers.pool_stats()["started"]
    inproc = _run(mlopt.compile(model), feeds)
    assert workers.pool_stats()["started"] == before
    np.testing.assert_array_equal(child, inproc)


def test_a_crashing_llvm_child_fails_one_compile_with_a_clear_error(monkeypatch):
    real = workers._Worker.request

    def crash(self, req):
        self.proc.kill()
        self.proc.wait()
        return real(self, req)

    monkeypatch.setattr(workers._Worker, "request", crash)
    model = soak.cnn_model()  # static shapes: compiled by mlopt.compile itself
    with pytest.raises(workers.LLVMWorkerError, match="LLVM crashed while compiling"):
        mlopt.compile(model)
    monkeypatch.undo()
    assert _run(mlopt.compile(model), soak.inputs_for(model)).shape == (1, 10)  # a fresh child serves


def _matmul(m: int, k: int, n: int) -> tuple[object, np.ndarray]:
    rng = np.random.default_rng(0)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])
    w = numpy_helper.from_array(rng.standard_normal((k, n)).astype(np.float32), "w")
    model = helper.make_model(
        helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "mm", [x], [y], initializer=[w]),
        opset_imports=[helper.make_opsetid("", 17)],
    )
    compiled = mlopt.compile(model, num_threads=1)  # one thread per call: the callers make the parallelism
    return compiled, rng.standard_normal((m, k)).astype(np.float32)


def test_a_compiled_call_releases_the_gil():
    # while one thread is inside a long native call, a pure-Python thread keeps
    # running: the largest pause between its steps is a small part of the call
    compiled, a = _matmul(512, 1024, 2048)  # 2 GFLOP: tens of milliseconds
    compiled.run({"x": a})
    stamps: list[float] = []
    calling = threading.Event()
    done = threading.Event()

    def python_steps() -> None:
        calling.wait(30)
        while not done.is_set():
            stamps.append(time.perf_counter())

    t = threading.Thread(target=python_steps)
    t.start()
    t0 = time.perf_counter()
    calling.set()
    compiled.run({"x": a})
    t1 = time.perf_counter()
    done.set()
    t.join(30)
    inside = [s for s in stamps if t0 <= s <= t1]
    gaps = np.diff([t0, *inside, t1])
    assert len(inside) > 100 and gaps.max() < 0.5 * (t1 - t0), (
        f"the Python thread paused {gaps.max() * 1e3:.1f} ms of a {(t1 - t0) * 1e3:.1f} ms call"
    )


@pytest.mark.serial  # a timing test: run alone (scripts/test.sh), not beside other test workers
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs")
def test_two_threads_calling_at_once_run_in_parallel():
    compiled, a = _matmul(128, 512, 512)  # ~1 ms of native code per call, little Python
    n = 100

    def calls() -> None:
        for _ in range(n):
            compiled.run({"x": a})

    calls()  # warm up
    best = 0.0
    for _ in range(10):  # the best of up to ten: shared machines are noisy (and a
        if best >= 1.7:  # previous test's processes, Ray's, may still be exiting)
            break
        t = time.perf_counter()
        calls()
        one = time.perf_counter() - t
        threads = [threading.Thread(target=calls) for _ in range(2)]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        two = time.perf_counter() - t
        best = max(best, 2 * one / two)
    assert best >= 1.7, f"2 threads did {best:.2f}x the work of one in the same time"


def test_memory_stays_flat_over_compile_call_drop_cycles():
    start, end, per_cycle = soak.soak(["digits", "cnn"], cycles=100, warmup=30)
    assert per_cycle <= 20.0, f"RSS grew {per_cycle:.1f} kB per cycle ({start / 1024:.0f} -> {end / 1024:.0f} MB)"


def test_implicit_builders_in_two_threads_do_not_insert_each_others_ops():
    # xDSL 0.75 chains two Operation.__post_init__ wrappers when two threads
    # enter ImplicitBuilder at once: an op was inserted twice (docs/upstream.md)
    import mlopt.dialects.onnx  # installs the fix
    from xdsl.builder import ImplicitBuilder
    from xdsl.dialects import arith
    from xdsl.dialects.builtin import i32
    from xdsl.ir import Block

    assert mlopt.dialects.onnx
    inside = threading.Barrier(2)
    blocks = [Block(), Block()]
    errors: list[str] = []

    def build(block: Block) -> None:
        try:
            with ImplicitBuilder(block):
                inside.wait(30)  # both threads are inside their builders now
                for k in range(50):
                    arith.ConstantOp.from_int_and_width(k, i32)
                inside.wait(30)
        except Exception as e:  # noqa: BLE001
            errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=build, args=(b,)) for b in blocks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [len(list(b.ops)) for b in blocks] == [50, 50]
    outside = arith.ConstantOp.from_int_and_width(1, i32)  # no builder active: not inserted anywhere
    assert outside.parent is None

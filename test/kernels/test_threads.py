"""The worker pool and multi-threaded kernels: results identical for every thread
count, concurrent calls from Python threads, the GIL released during a call,
and the num_threads / MLOPT_NUM_THREADS settings."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from onnx import helper
from onnx_models import float_model

import mlopt
from mlopt.backends.llvm.threads import default_threads


def _conv_model(c=16, f=32, hw=28):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, c, hw, hw)).astype(np.float32)
    w = (rng.standard_normal((f, c, 3, 3)) * 0.2).astype(np.float32)
    b = rng.standard_normal(f).astype(np.float32)
    wm = (rng.standard_normal((f * hw * hw // 4, 40)) * 0.05).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["t"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["t"], ["u"]),
        helper.make_node("MaxPool", ["u"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["q"]),
        helper.make_node("MatMul", ["q", "wm"], ["y"]),
    ]
    return float_model(nodes, {"x": x}, ["y"], {"w": w, "b": b, "wm": wm}), x


@pytest.fixture(scope="module")
def conv():
    return _conv_model()


def test_results_identical_for_every_thread_count(conv):
    model, x = conv
    ref = mlopt.compile(model, num_threads=1)(x)[0]
    for n in (2, 3, 8):
        got = mlopt.compile(model, num_threads=n)(x)[0]
        np.testing.assert_array_equal(got, ref)
    import onnxruntime as ort

    want = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    np.testing.assert_allclose(ref, want, rtol=1e-4, atol=1e-4)


def test_deterministic_run_to_run(conv):
    model, x = conv
    compiled = mlopt.compile(model, num_threads=2)
    first = compiled(x)[0]
    for _ in range(20):
        np.testing.assert_array_equal(compiled(x)[0], first)


def test_concurrent_calls_from_python_threads(conv):
    """Several Python threads call multi-threaded models at once: one of them
    holds the pool, the others run their loops serially; all answers right."""
    model, x = conv
    a = mlopt.compile(model, num_threads=2)
    b = mlopt.compile(model, num_threads=2)
    ref = a(x)[0]
    errors: list[str] = []

    def hammer(m):
        for _ in range(30):
            if not np.array_equal(m(x)[0], ref):
                errors.append("mismatch")

    threads = [threading.Thread(target=hammer, args=(m,)) for m in (a, b, a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert not errors


def test_gil_released_during_a_call():
    """Python code runs on another thread while one thread is inside a long
    compiled call (ctypes releases the GIL): a 2 ms sleep on the main thread
    returns long before the call does (with the GIL held it could not)."""
    model, x = _conv_model(c=64, f=64, hw=224)
    compiled = mlopt.compile(model, num_threads=1)
    t0 = time.perf_counter()
    compiled(x)
    duration = time.perf_counter() - t0
    started = threading.Event()
    finished: list[float] = []

    def call():
        started.set()
        compiled(x)
        finished.append(time.perf_counter())

    t = threading.Thread(target=call)
    t.start()
    started.wait()
    begin = time.perf_counter()
    time.sleep(0.002)
    woke = time.perf_counter()
    t.join()
    assert duration > 0.01, "the call is too short to tell"
    assert woke - begin < 0.5 * (finished[0] - begin), (woke - begin, finished[0] - begin)


def test_num_threads_setting(monkeypatch, conv):
    model, _ = conv
    monkeypatch.setenv("MLOPT_NUM_THREADS", "3")
    assert default_threads() == 3
    assert mlopt.compile(model).num_threads == 3
    assert mlopt.compile(model, num_threads=1).num_threads == 1
    monkeypatch.setenv("MLOPT_NUM_THREADS", "zero")
    with pytest.raises(ValueError, match="MLOPT_NUM_THREADS"):
        default_threads()
    monkeypatch.delenv("MLOPT_NUM_THREADS")
    assert default_threads() >= 1
    with pytest.raises(ValueError, match="num_threads"):
        mlopt.compile(model, num_threads=0)


def test_shared_library_carries_its_pool(tmp_path, conv):
    """--emit=shared links the pool into the library: it defines
    mlopt_parallel_for itself."""
    import subprocess

    from mlopt.backends.llvm import emit
    from mlopt.passes.pipelines import kernels_for, stages_from

    model, _ = conv
    module = mlopt.import_onnx(model)
    ctx = mlopt.make_context()
    text = ",".join(kernels_for(None, 2) if n == "kernels" else t for n, t in stages_from("onnx"))
    mlopt.run_pipeline(module, text, ctx)
    out = tmp_path / "m.so"
    emit(module, "shared", output=out)
    nm = subprocess.run(["nm", "-D", "--defined-only", str(out)], capture_output=True, text=True)
    assert nm.returncode == 0, nm.stderr
    assert "mlopt_parallel_for" in nm.stdout

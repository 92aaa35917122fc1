"""compile_gc: the collector's thresholds are raised during a compile and restored after."""

from __future__ import annotations

import gc
import threading

import numpy as np
from onnx import TensorProto, helper

import mlopt
from mlopt.gc_tuning import COMPILE_THRESHOLDS, compile_gc


def test_thresholds_restored_after_nested_and_failing_bodies():
    before = gc.get_threshold()
    with compile_gc():
        assert gc.get_threshold() == COMPILE_THRESHOLDS
        with compile_gc():
            assert gc.get_threshold() == COMPILE_THRESHOLDS
        assert gc.get_threshold() == COMPILE_THRESHOLDS  # the outer compile still runs
    assert gc.get_threshold() == before
    try:
        with compile_gc():
            raise RuntimeError("compile failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before


def test_thresholds_restored_when_overlapping_threads_finish_in_any_order():
    before = gc.get_threshold()
    entered = threading.Barrier(2)
    first_done = threading.Event()

    def first():
        with compile_gc():
            entered.wait()
        first_done.set()

    def second():
        with compile_gc():
            entered.wait()
            first_done.wait()
            assert gc.get_threshold() == COMPILE_THRESHOLDS  # still compiling here

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.get_threshold() == before


def test_a_compile_runs_with_the_compile_thresholds_and_restores_them(monkeypatch):
    import mlopt.backends.runtime as runtime

    seen: list[tuple[int, int, int]] = []
    real_jit = runtime.JITModule

    def spy_jit(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real_jit(*args, **kwargs)

    monkeypatch.setattr(runtime, "JITModule", spy_jit)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [7])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [7])
    model = helper.make_model(
        helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x], [y]),
        opset_imports=[helper.make_opsetid("", 17)],
    )
    before = gc.get_threshold()
    assert before != COMPILE_THRESHOLDS
    compiled = mlopt.compile(model)
    assert seen == [COMPILE_THRESHOLDS]
    assert gc.get_threshold() == before
    x_in = np.linspace(-3, 3, 7, dtype=np.float32)
    np.testing.assert_array_equal(compiled.run({"x": x_in})["y"], np.maximum(x_in, 0))

"""Per-node run-time profiles: ``compile_model(profile=True)`` (mlopt.backends.profiling)."""

from __future__ import annotations

import json
import re
import threading
import time

import numpy as np
import pytest
from onnx import TensorProto, helper

import mlopt
from mlopt.backends.profiling import ProfileEvent, profile_table
from mlopt.errors import CompileArgumentError, UsageError
from onnx_models import CONV_MLP_NODES as GRAPH_NODES
from onnx_models import conv_mlp_model as _model

X_SHAPE = (2, 3, 7, 9)


def _x(seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(X_SHAPE).astype(np.float32)


@pytest.fixture(scope="module")
def profiled():
    return mlopt.compile(_model(), profile=True)


@pytest.fixture(scope="module")
def plain():
    return mlopt.compile(_model())


def _ops(events: list[ProfileEvent], call: int | None = None) -> list[ProfileEvent]:
    return [e for e in events if e.cat == "Op" and (call is None or e.call == call)]


def test_one_event_per_node_or_kernel_naming_the_graph_nodes(profiled, plain):
    profiled.clear_profile()
    x = _x()
    walls = []
    for _ in range(3):
        t0 = time.perf_counter()
        y = profiled(x)[0]
        walls.append((time.perf_counter() - t0) * 1e6)
    np.testing.assert_array_equal(y, plain(x)[0])  # the stamps change no result
    events = profiled.profile()
    runs = [e for e in events if e.cat == "Session"]
    assert [r.call for r in runs] == [0, 1, 2] and all(r.name == "model_run" for r in runs)
    per_call = [_ops(events, k) for k in range(3)]
    assert len(per_call[0]) >= 3
    assert [[e.name for e in c] for c in per_call] == [[e.name for e in per_call[0]]] * 3
    covered: set[str] = set()
    for e in per_call[0]:
        assert e.name == "+".join(e.nodes) and len(e.nodes) == len(e.op_types) >= 1
        for node, op_type in zip(e.nodes, e.op_types):
            assert GRAPH_NODES[node] == op_type  # real node names and op types
        covered.update(e.nodes)
    assert covered == set(GRAPH_NODES)  # fused kernels name every node they cover
    for k, (ops, run, wall) in enumerate(zip(per_call, runs, walls)):
        assert all(e.dur_us >= 0 for e in ops)
        assert sum(e.dur_us for e in ops) > 0
        assert any(e.dur_us > 0 and "conv" in e.nodes for e in ops)
        total = sum(e.dur_us for e in ops)
        assert total <= run.dur_us <= wall
        # in order, without overlap, inside the call
        starts = [e.start_us for e in ops]
        assert starts == sorted(starts)
        for a, b in zip(ops, ops[1:]):
            assert a.start_us + a.dur_us <= b.start_us + 1e-3
        assert run.start_us <= ops[0].start_us
        assert ops[-1].start_us + ops[-1].dur_us <= run.start_us + run.dur_us + 1e-3


def test_trace_is_chrome_trace_json(profiled, tmp_path):
    profiled.clear_profile()
    profiled(_x())
    profiled(_x(2))
    path = tmp_path / "trace.json"
    profiled.write_profile(path)
    doc = json.loads(path.read_text())
    assert doc["displayTimeUnit"] == "ms"
    events = doc["traceEvents"]
    ops = [e for e in events if e["cat"] == "Op"]
    assert len(ops) == len(_ops(profiled.profile()))
    assert len(ops) % 2 == 0 and len([e for e in events if e["name"] == "model_run"]) == 2
    for e in events:
        assert e["ph"] == "X" and isinstance(e["ts"], int | float) and e["dur"] >= 0
        assert isinstance(e["pid"], int) and isinstance(e["tid"], int)
    for e in ops:
        assert e["args"]["nodes"] and set(e["args"]["nodes"]) <= set(GRAPH_NODES)
        assert e["args"]["op_type"] == "+".join(GRAPH_NODES[n] for n in e["args"]["nodes"])


def test_table_lists_the_slowest_ops_with_their_share(profiled):
    profiled.clear_profile()
    for _ in range(4):
        profiled(_x())
    events = profiled.profile()
    table = profile_table(events, top=2)
    lines = table.splitlines()
    assert lines[0].split() == ["op", "op", "type", "calls", "total", "ms", "mean", "ms", "share"]
    rows = lines[2:4]
    assert len(lines) == 5 and lines[4].startswith("top 2 of ")
    totals: dict[str, float] = {}
    for e in _ops(events):
        totals[e.name] = totals.get(e.name, 0.0) + e.dur_us
    slowest = sorted(totals, key=lambda n: -totals[n])[:2]
    assert [r.split()[0] for r in rows] == slowest
    assert all(r.split()[2] == "4" for r in rows)  # calls
    run = sum(e.dur_us for e in events if e.cat == "Session")
    share = float(rows[0].split()[-1].rstrip("%"))
    assert share == pytest.approx(100 * totals[slowest[0]] / run, abs=0.06)
    full = profile_table(events).splitlines()
    assert len(full) == 2 + len(totals) + 1  # fewer ops than the default top 10
    with pytest.raises(UsageError, match="top must be a positive integer"):
        profile_table(events, top=0)


def test_unprofiled_code_has_no_clock_call(plain, profiled):
    (spec,) = plain._cache.values()
    ir = spec.jit.optimized_ir()
    assert "clock_gettime" not in ir and "mlopt_profile" not in ir
    (pspec,) = profiled._cache.values()
    pir = pspec.jit.optimized_ir()
    assert "clock_gettime" in pir and "@mlopt_profile_read" in pir
    assert "profile" not in plain.stage_times and "profile" in profiled.stage_times
    with pytest.raises(UsageError, match="compiled without profile=True"):
        plain.profile()
    with pytest.raises(UsageError, match="compiled without profile=True"):
        plain.write_profile("unused.json")


def test_concurrent_calls_are_serialised(profiled, plain):
    profiled.clear_profile()
    x = _x()
    want = plain(x)[0]
    errors: list[str] = []

    def work() -> None:
        for _ in range(5):
            if not np.array_equal(profiled(x)[0], want):
                errors.append("wrong output")

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    events = profiled.profile()
    runs = [e for e in events if e.cat == "Session"]
    assert sorted(r.call for r in runs) == list(range(15))
    assert len({r.tid for r in runs}) == 3  # the calling threads, as Chrome-trace tids
    for r in runs:  # each call's stamps are its own: its ops lie inside it
        ops = _ops(events, r.call)
        assert ops and all(e.tid == r.tid for e in ops)
        assert all(r.start_us <= e.start_us and e.start_us + e.dur_us <= r.start_us + r.dur_us + 1e-3
                   for e in ops)


def test_parallel_loops_are_timed_on_the_calling_thread():
    """A nest large enough for outline-parallel-loops (2^18 elements in rows of
    2^10) is one timed event; the stamps stay in the entry, out of the bodies
    the pool runs."""
    shape = [256, 1024]
    node = helper.make_node("Relu", ["x"], ["y"], name="big_relu")
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, shape)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    compiled = mlopt.compile(model, profile=True, num_threads=2)
    (spec,) = compiled._cache.values()
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    np.testing.assert_array_equal(compiled(x)[0], np.maximum(x, 0))
    ops = _ops(compiled.profile())
    assert [e.name for e in ops] == ["big_relu"] and ops[0].dur_us > 0
    ir = str(spec.jit.llvm_module)
    bodies = [f for f in re.split(r"\ndefine ", ir) if "_par" in f.split("(")[0]]
    assert bodies and not any("mlopt_profile_stamp" in f or "clock_gettime" in f for f in bodies)
    assert "clock_gettime" in ir


def test_bad_profile_arguments_are_clear_errors():
    with pytest.raises(CompileArgumentError, match="profile must be True or False"):
        mlopt.compile(_model(), profile="yes")
    with pytest.raises(CompileArgumentError, match="cannot be combined with pipeline="):
        mlopt.compile(_model(), profile=True, pipeline="onnx-to-llvm")


def test_a_failing_call_records_nothing_and_releases_the_lock():
    """An entry with index checks: a call that raises leaves the profile as it was."""
    from mlopt.errors import IndexOutOfRangeError

    graph = helper.make_graph(
        [helper.make_node("Gather", ["d", "i"], ["g"], axis=0, name="gather"),
         helper.make_node("Neg", ["g"], ["y"], name="neg")],
        "g",
        [helper.make_tensor_value_info("d", TensorProto.FLOAT, [5, 3]),
         helper.make_tensor_value_info("i", TensorProto.INT64, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 3])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    compiled = mlopt.compile(model, profile=True)
    d = np.arange(15, dtype=np.float32).reshape(5, 3)
    np.testing.assert_array_equal(compiled(d, np.array([4, 0, -1, 2]))[0], -d[[4, 0, -1, 2]])
    before = compiled.profile()
    assert {n for e in _ops(before) for n in e.nodes} == {"gather", "neg"}
    with pytest.raises(IndexOutOfRangeError):
        compiled(d, np.array([0, 5, 1, 2]))
    assert compiled.profile() == before
    compiled(d, np.array([1, 1, 1, 1]))  # the lock was released
    assert len(compiled.profile()) == 2 * len(before)


AFFINE_ADD = """
func.func @g(%x: memref<8xf32>, %y: memref<8xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xf32>
    %s = arith.addf %v, %v : f32
    affine.store %s, %y[%i] : memref<8xf32>
  }
  func.return
}
"""


def test_modules_below_the_onnx_level():
    """An affine-level module has no node names: one event per loop nest; an
    llvm-level one cannot be instrumented (a clear error)."""
    module = mlopt.parse(AFFINE_ADD)
    compiled = mlopt.compile(module, profile=True)
    x = np.arange(8, dtype=np.float32)
    np.testing.assert_array_equal(compiled(x)[0], 2 * x)
    assert [(e.name, e.op_type) for e in _ops(compiled.profile())] == [("affine.for_0", "affine.for")]
    lowered = mlopt.parse(AFFINE_ADD)
    mlopt.run_pipeline(lowered, "affine-to-llvm")
    with pytest.raises(CompileArgumentError, match="already in the llvm dialect"):
        mlopt.compile(lowered, profile=True)

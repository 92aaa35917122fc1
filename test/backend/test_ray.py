"""mlopt.ray: batch inference of a compiled model over a ray.data.Dataset.

The Predictor tests run without Ray (a Predictor is a plain callable); the
cluster test starts a local Ray cluster (``ray.init(num_cpus=2)``) and skips
only where Ray is not installed (``pip install 'mlopt-compiler[ray]'``)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import mlopt
import mlopt.ray as mray
from mlopt.backends import runtime

IN, HIDDEN, OUT = 17, 33, 5
N_SAMPLES = 10_007  # not a multiple of the model's batch (8): the last call is padded


def mlp(batch: int | str = 8, seed: int = 0):
    """MatMul 17->33 + bias, Relu, MatMul 33->5 + bias, Softmax; seeded weights."""
    rng = np.random.default_rng(seed)
    f = TensorProto.FLOAT

    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.4).astype(np.float32), name)

    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["h0"], name="fc1"),
        helper.make_node("Add", ["h0", "b1"], ["h1"], name="bias1"),
        helper.make_node("Relu", ["h1"], ["h"], name="relu"),
        helper.make_node("MatMul", ["h", "w2"], ["l0"], name="fc2"),
        helper.make_node("Add", ["l0", "b2"], ["logits"], name="bias2"),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=-1, name="softmax"),
    ]
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", f, [batch, IN])],
        [helper.make_tensor_value_info("probs", f, [batch, OUT])],
        initializer=[w("w1", IN, HIDDEN), w("b1", HIDDEN), w("w2", HIDDEN, OUT), w("b2", OUT)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def numpy_mlp(proto, x):
    p = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in proto.graph.initializer}
    h = np.maximum(x @ p["w1"] + p["b1"], 0)
    logits = h @ p["w2"] + p["b2"]
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@pytest.fixture(scope="module")
def model():
    return mlopt.compile(mlp(8), num_threads=1)


@pytest.fixture(scope="module")
def samples():
    return np.random.default_rng(1).standard_normal((N_SAMPLES, IN)).astype(np.float32)


# -- the Predictor, without Ray --------------------------------------------------


def test_predictor_pads_the_last_chunk_and_keeps_other_columns(model, samples):
    pred = mray.Predictor(model)
    assert pred.batch_size == 8
    x = samples[:21]  # 2 full calls + 5 rows padded to 8
    ids = np.arange(100, 121)
    out = pred({"id": ids, "x": x})
    assert sorted(out) == ["id", "probs"]
    assert out["probs"].shape == (21, OUT) and out["probs"].dtype == np.float32
    np.testing.assert_array_equal(out["id"], ids)
    direct = np.concatenate([model(x[:8])[0], model(x[8:16])[0]])
    np.testing.assert_array_equal(out["probs"][:16], direct)
    padded = np.zeros((8, IN), np.float32)
    padded[:5] = x[16:]
    np.testing.assert_array_equal(out["probs"][16:], model(padded)[0][:5])
    np.testing.assert_allclose(out["probs"], numpy_mlp(mlp(8), x), rtol=1e-4, atol=1e-6)
    assert pred.stats == {"batches": 1, "rows": 21, "calls": 3, "padded_rows": 3}


def test_predictor_renames_columns_and_loads_every_artifact_form(model, samples, tmp_path):
    package = mlopt.save(model, tmp_path / "m.mlopt")
    x = samples[:8]
    want = model(x)[0]
    for artifact in (model, pickle.dumps(model), package, str(package)):
        pred = mray.Predictor(artifact, input_columns={"x": "features"},
                              output_columns={"probs": "p"}, keep_columns=[])
        out = pred({"features": x, "label": np.zeros(8)})
        assert list(out) == ["p"], type(artifact)
        np.testing.assert_array_equal(out["p"], want)
        if artifact is not model:  # loaded from the artefact: linked, not compiled
            assert pred.model.stage_times.keys() == {"load"}, type(artifact)


def test_predictor_errors_name_the_column_and_the_input(model, samples):
    pred = mray.Predictor(model, input_columns={"x": "features"})
    with pytest.raises(mlopt.InputError, match=r"model input 'x' reads the dataset column 'features', "
                       r"which the batch does not have \(its columns: data\)"):
        pred({"data": samples[:4]})
    with pytest.raises(mlopt.InputError, match=r"column 'features' \(model input 'x'\): dtype float64, "
                       r"but the model takes float32"):
        pred({"features": samples[:4].astype(np.float64)})
    with pytest.raises(mlopt.InputError, match=r"column 'features' \(model input 'x'\): rows of shape "
                       r"\(16,\), but the model takes rows of shape \(17,\)"):
        pred({"features": samples[:4, :16]})
    cast = mray.Predictor(model, input_columns={"x": "features"}, cast=True)
    out = cast({"features": samples[:4].astype(np.float64)})
    np.testing.assert_array_equal(out["probs"], model(np.pad(samples[:4], ((0, 4), (0, 0))))[0][:4])
    with pytest.raises(mlopt.UsageError, match="input_columns names 'y'.*its inputs are: x"):
        mray.Predictor(model, input_columns={"y": "features"})
    with pytest.raises(mlopt.UsageError, match="would replace kept dataset columns"):
        mray.Predictor(model)({"x": samples[:4], "probs": np.zeros(4)})


def test_prepare_bakes_the_actor_thread_count_into_the_artifact(samples, tmp_path):
    proto = mlp("N")  # a symbolic batch: compiled for model_batch_size rows
    prepared = mray.prepare(proto, num_threads=1, model_batch_size=16)
    assert prepared.num_threads == 1
    assert mray.model_batch_size(prepared) == 16
    assert prepared.compiled_signatures() == [((16, IN),)]
    two = mlopt.compile(mlp(8), num_threads=2)
    assert mray.prepare(two, num_threads=2) is two  # already right: shipped as it is
    again = mray.prepare(two, num_threads=1)  # compiled again, here on the driver
    assert again is not two and again.num_threads == 1 and mray.model_batch_size(again) == 8
    np.testing.assert_array_equal(again(samples[:8])[0], two(samples[:8])[0])
    # a static package has no source: shipped as it is, with a warning
    loaded = pickle.loads(pickle.dumps(two))
    with pytest.warns(RuntimeWarning, match="compiled for 2 thread.*no source"):
        assert mray.prepare(loaded, num_threads=1) is loaded
    package = mlopt.save(two, tmp_path / "two.mlopt")
    assert mray.prepare(package, num_threads=2) == package  # the actors load it from the path
    with pytest.warns(RuntimeWarning, match="compiled for 2 thread.*no source"):
        assert mray.prepare(package, num_threads=1).num_threads == 2
    with pytest.raises(mlopt.UsageError, match="num_cpus_per_actor must be positive"):
        mray.map_batches(object(), two, num_cpus_per_actor=0)


def test_import_without_ray_gives_one_clear_error(model):
    code = textwrap.dedent("""
        import sys
        sys.modules["ray"] = None  # as if Ray were not installed
        import mlopt.ray
        try:
            mlopt.ray.map_batches(object(), "model.mlopt")
        except ImportError as e:
            print(e)
    """)
    env = dict(os.environ, PYTHONPATH=str(Path(mlopt.__file__).parent.parent))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "pip install 'mlopt-compiler[ray]'" in proc.stdout, proc.stdout


# -- a local Ray cluster ---------------------------------------------------------


class ReportingPredictor(mray.Predictor):
    """A Predictor that adds who computed each row, and fails if its actor compiles."""

    def __init__(self, artifact, **kwargs):
        def no_compile(*args, **kw):
            raise AssertionError("an mlopt.ray actor compiled a model")

        runtime.CompiledModel._compile_here = no_compile  # this actor's process only
        super().__init__(artifact, **kwargs)

    def __call__(self, batch):
        out = super().__call__(batch)
        n = len(out["probs"])
        out["pid"] = np.full(n, os.getpid())
        out["threads"] = np.full(n, self.model.num_threads)
        out["cpus"] = np.full(n, self.num_cpus or 0.0)
        out["stages"] = np.full(n, ",".join(sorted(self.model.stage_times)))
        return out


@pytest.mark.slow
def test_ray_batch_inference_over_two_actors(model, samples):
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'mlopt-compiler[ray]'")
    from ray import cloudpickle

    t0 = time.perf_counter()
    reference = mlopt.compile(mlp("N"), num_threads=1)(samples)[0]  # one direct call, every row
    np.testing.assert_allclose(reference, numpy_mlp(mlp(8), samples), rtol=1e-4, atol=1e-6)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # ReportingPredictor, to the actors
    # a cluster of our own even where RAY_ADDRESS or `ray start` names another
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.wait_for_min_actors_s = 120  # both actors up before the first batch
        ctx.execution_options.preserve_order = True
        # in-memory blocks: no read tasks, whose CPUs the two actors would hold
        ds = ray.data.from_items([{"id": i, "features": samples[i]} for i in range(N_SAMPLES)],
                                 override_num_blocks=10)
        out_ds = mray.map_batches(ds, model, concurrency=2, num_cpus_per_actor=1, batch_size=500,
                                  input_columns={"x": "features"}, predictor=ReportingPredictor)
        blocks = [ray.get(r) for r in out_ds.to_numpy_refs()]
        out = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
        # a missing column: found on the driver, from the schema, before any actor starts
        with pytest.raises(mlopt.InputError, match=r"model input 'x' reads the dataset column 'x', "
                           r"which the dataset does not have \(its columns: id, features\)"):
            mray.map_batches(ds, model, concurrency=2)
        # a wrong dtype: found in the actor; Ray's error carries mlopt's line
        wide = ray.data.from_items([{"features": samples[i].astype(np.float64)} for i in range(20)])
        with pytest.raises(ray.exceptions.RayTaskError) as info:
            mray.map_batches(wide, model, concurrency=1, input_columns={"x": "features"}).take_all()
        assert ("InputError: dataset column 'features' (model input 'x'): dtype float64, "
                "but the model takes float32") in str(info.value)
    finally:
        ray.shutdown()
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert sorted(out) == ["cpus", "id", "pid", "probs", "stages", "threads"]
    np.testing.assert_array_equal(out["id"], np.arange(N_SAMPLES))  # every row, in order
    np.testing.assert_allclose(out["probs"], reference, rtol=1e-6, atol=0)
    assert len(set(out["pid"])) == 2 and os.getpid() not in set(out["pid"])  # two actors
    assert set(out["stages"]) == {"load"}  # loaded, never compiled
    assert set(out["threads"]) == {1} and set(out["cpus"]) == {1.0}  # threads = the actor's CPUs
    print(f"ray: {N_SAMPLES} samples through 2 actors, and 2 errors, in {time.perf_counter() - t0:.1f}s")

"""Saved artefacts: mlopt.save / mlopt.load, pickle, the C header and library.

A loaded or unpickled model must run the machine code it carries: the tests
check that no compile stage runs (``CompiledModel._compile_here`` is made to
fail) in the loading process, fresh processes included."""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
import pickle
import platform
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import mlopt
from mlopt.backends import artifact, runtime


def cnn(batch: int | str = 2, seed: int = 0):
    """Conv (odd sizes, bias) -> Relu -> MaxPool -> Flatten -> MatMul -> Add, seeded weights."""
    rng = np.random.default_rng(seed)
    f = TensorProto.FLOAT

    def w(name, *shape):
        return numpy_helper.from_array((rng.standard_normal(shape) * 0.3).astype(np.float32), name)

    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c"], pads=[1, 1, 1, 1], name="conv"),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2], name="pool"),
        helper.make_node("Flatten", ["p"], ["fl"], name="flatten"),
        helper.make_node("MatMul", ["fl", "wf"], ["m"], name="fc"),
        helper.make_node("Add", ["m", "bf"], ["y"], name="bias"),
    ]
    graph = helper.make_graph(
        nodes,
        "cnn",
        [helper.make_tensor_value_info("x", f, [batch, 3, 9, 9])],
        [helper.make_tensor_value_info("y", f, [batch, 7])],
        initializer=[w("w1", 5, 3, 3, 3), w("b1", 5), w("wf", 5 * 4 * 4, 7), w("bf", 7)],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def gather_model():
    f = TensorProto.FLOAT
    table = numpy_helper.from_array(
        np.random.default_rng(1).standard_normal((17, 5)).astype(np.float32), "table"
    )
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "idx"], ["y"], name="lookup")],
        "gather",
        [helper.make_tensor_value_info("idx", TensorProto.INT64, [3])],
        [helper.make_tensor_value_info("y", f, [3, 5])],
        initializer=[table],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def x_input(batch: int = 2, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((batch, 3, 9, 9)).astype(np.float32)


@pytest.fixture(scope="module")
def compiled():
    return mlopt.compile(cnn(), cache=False)


def _no_compile(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("a compile stage ran")

    monkeypatch.setattr(runtime.CompiledModel, "_compile_here", fail)


def test_save_load_round_trip(compiled, tmp_path, monkeypatch):
    x = x_input()
    expected = compiled(x)[0]
    path = mlopt.save(compiled, tmp_path / "cnn.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["format"] == "mlopt-package" and manifest["format_version"] == 2
    assert manifest["manifest_sha256"] == artifact.manifest_digest(manifest)
    assert manifest["inputs"] == [{"name": "x", "dtype": "<f4", "shape": [2, 3, 9, 9]}]
    assert manifest["outputs"] == [{"name": "y", "dtype": "<f4"}]
    assert manifest["versions"]["mlopt"] == mlopt.__version__
    assert manifest["target"]["arch"] and "features" in manifest["target"]
    assert len(manifest["model_hash"]) == 64 and len(manifest["build_key"]) == 64
    assert manifest["options"]["input_shapes"] is None
    assert manifest["source"] is None  # a static model needs no source to run
    [variant] = manifest["variants"]
    assert variant["shapes"] == [[2, 3, 9, 9]] and variant["outputs"] == [{"shape": [2, 7], "dtype": "<f4"}]
    assert set(manifest["files"]) >= {"v0/weights.bin", *variant["objects"]}
    _no_compile(monkeypatch)
    loaded = mlopt.load(path)
    assert loaded.stage_times.keys() == {"load"}
    np.testing.assert_array_equal(loaded(x)[0], expected)
    assert loaded.run({"x": x})["y"].shape == (2, 7)
    with pytest.raises(mlopt.InputError, match="expected shape"):
        loaded(x_input(batch=3))


def test_weights_are_memory_mapped(compiled, tmp_path):
    loaded = mlopt.load(mlopt.save(compiled, tmp_path / "m.mlopt"))
    [spec] = loaded._cache.values()
    assert isinstance(spec.jit._blob, np.memmap)
    assert all(np.shares_memory(w, spec.jit._blob) for w in spec.jit.weights.values())


def test_pickle_ships_the_artefact(compiled, monkeypatch):
    x = x_input()
    data = pickle.dumps(compiled)
    assert b"part0.o" in data and len(data) > 10_000
    _no_compile(monkeypatch)
    clone = pickle.loads(data)
    np.testing.assert_array_equal(clone(x)[0], compiled(x)[0])
    assert clone.input_names == ["x"] and clone.output_names == ["y"]


def _forbid_compiles() -> None:
    """In a worker process: any compile fails."""

    def fail(*args, **kwargs):
        raise AssertionError("a compile stage ran in the worker")

    runtime.CompiledModel._compile_here = fail


def _fresh_process_run(data: bytes, x: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """In a worker process: fail on any compile, unpickle, run."""
    _forbid_compiles()
    model = pickle.loads(data)
    return model(x)[0], sorted(model.stage_times)


def _call(model, x):  # the model itself is pickled to the worker
    _forbid_compiles()
    return model(x)[0]


def python_without_compiles(body: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``body`` in a fresh interpreter in which any compile exits with an error."""
    prelude = textwrap.dedent(
        """
        from mlopt.backends import runtime
        def fail(*a, **k):
            raise SystemExit("a compile stage ran")
        runtime.CompiledModel._compile_here = fail
        """
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(body)], capture_output=True, text=True, env=env
    )


def test_multiprocessing_spawn(compiled):
    x = x_input()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        out, stages = pool.apply(_fresh_process_run, (pickle.dumps(compiled), x))
    np.testing.assert_array_equal(out, compiled(x)[0])
    assert stages == ["load"]


def test_process_pool_executor(compiled):
    xs = [x_input(seed=s) for s in range(3)]
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as pool:
        outs = list(pool.map(_call, [compiled] * 3, xs))
    for x, out in zip(xs, outs):
        np.testing.assert_array_equal(out, compiled(x)[0])


def test_load_in_a_fresh_interpreter(compiled, tmp_path):
    path = mlopt.save(compiled, tmp_path / "cnn.mlopt")
    x = x_input()
    np.save(tmp_path / "x.npy", x)
    proc = python_without_compiles(
        f"""
        import numpy as np, mlopt
        m = mlopt.load({str(path)!r})
        np.save({str(tmp_path / 'y.npy')!r}, m(np.load({str(tmp_path / 'x.npy')!r}))[0])
        """
    )
    assert proc.returncode == 0, proc.stderr
    np.testing.assert_array_equal(np.load(tmp_path / "y.npy"), compiled(x)[0])


def _rewrite_manifest(path: Path, manifest: dict) -> None:
    """Write an edited manifest with its hash made right again (a package
    written so), unlike a hand edit."""
    manifest = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    manifest["manifest_sha256"] = artifact.manifest_digest(manifest)
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_symbolic_model_keeps_its_source(tmp_path):
    model = mlopt.compile(cnn(batch="N"), cache=False)
    for b in (1, 2):
        model(x_input(batch=b))
    path = mlopt.save(model, tmp_path / "dyn.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["inputs"][0]["shape"] == ["N", 3, 9, 9]  # a symbolic dimension by its ONNX name
    assert manifest["source"] == "model.onnx" and len(manifest["variants"]) == 2
    loaded = mlopt.load(path)
    assert loaded.num_variants == 2
    assert loaded.inputs[0].shape == (None, 3, 9, 9) and loaded.inputs[0].dim_names == ("N", None, None, None)
    for b in (1, 7):  # 7: not compiled before: compiled from the stored source
        np.testing.assert_array_equal(loaded(x_input(batch=b))[0], model(x_input(batch=b))[0])
    assert loaded.num_variants == 3
    resaved = json.loads((mlopt.save(loaded, tmp_path / "again.mlopt") / "manifest.json").read_text())
    assert resaved["inputs"][0]["shape"] == ["N", 3, 9, 9]
    # a symbolic dimension without a name is null (as every one was in format 1)
    manifest["inputs"][0]["shape"] = [None, 3, 9, 9]
    _rewrite_manifest(path, manifest)
    unnamed = mlopt.load(path)
    assert unnamed.inputs[0].shape == (None, 3, 9, 9) and unnamed.inputs[0].dim_names is None
    np.testing.assert_array_equal(unnamed(x_input(batch=5))[0], model(x_input(batch=5))[0])


def test_model_hash_of_a_file_is_its_sha256_with_the_cache_on_or_off(tmp_path, monkeypatch):
    import hashlib

    # a file whose bytes are not what onnx would serialize: producer_name given twice
    data = cnn(seed=6).SerializeToString() + b"\x12\x01z"
    (tmp_path / "m.onnx").write_bytes(data)
    import onnx

    assert onnx.load(tmp_path / "m.onnx").SerializeToString(deterministic=True) != data
    for cache in ("0", "1"):
        monkeypatch.setenv("MLOPT_CACHE", cache)
        monkeypatch.setenv("MLOPT_CACHE_DIR", str(tmp_path / "cache"))
        model = mlopt.compile(tmp_path / "m.onnx")
        manifest = json.loads((mlopt.save(model, tmp_path / f"{cache}.mlopt") / "manifest.json").read_text())
        assert manifest["model_hash"] == hashlib.sha256(data).hexdigest(), cache


def test_input_shapes_are_in_the_options_and_the_build_key(tmp_path):
    model = mlopt.compile(cnn(batch="N"), input_shapes={"x": (2, 3, 9, 9)}, cache=False)
    manifest = json.loads((mlopt.save(model, tmp_path / "s.mlopt") / "manifest.json").read_text())
    assert manifest["options"]["input_shapes"] == {"x": [2, 3, 9, 9]}
    assert manifest["inputs"][0]["shape"] == [2, 3, 9, 9]
    other = mlopt.compile(cnn(batch="N"), input_shapes={"x": (2, 3, 9, 9)}, opt_level=2, cache=False)
    second = json.loads((mlopt.save(other, tmp_path / "o.mlopt") / "manifest.json").read_text())
    assert second["model_hash"] == manifest["model_hash"]  # the same model ...
    assert second["build_key"] != manifest["build_key"]  # ... compiled with other options
    assert manifest["build_key"] == artifact.build_key(
        manifest["model_hash"], manifest["level"], manifest["options"], manifest["target"]
    )
    assert mlopt.load(tmp_path / "s.mlopt").options()["input_shapes"] == {"x": [2, 3, 9, 9]}


def test_index_checks_survive_loading(tmp_path):
    model = mlopt.compile(gather_model(), cache=False)
    loaded = pickle.loads(pickle.dumps(model))
    idx = np.array([0, -1, 16], np.int64)
    np.testing.assert_array_equal(loaded(idx)[0], model(idx)[0])
    with pytest.raises(mlopt.IndexOutOfRangeError, match="lookup"):
        loaded(np.array([0, 17, 1], np.int64))


def test_corrupt_package_is_refused(compiled, tmp_path):
    path = mlopt.save(compiled, tmp_path / "c.mlopt")
    blob = path / "v0" / "weights.bin"
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF
    blob.write_bytes(bytes(data))
    with pytest.raises(mlopt.ArtifactError, match="weights.bin is corrupt"):
        mlopt.load(path)
    (path / "v0" / "part0.o").unlink()
    with pytest.raises(mlopt.ArtifactError, match="missing file v0/part0.o"):
        mlopt.load(path)
    with pytest.raises(mlopt.ArtifactError, match="no such package"):
        mlopt.load(tmp_path / "nothing.mlopt")


def test_edited_manifest_is_refused(compiled, tmp_path):
    """The output shapes in the manifest size the buffers the code writes: an
    edited one must be refused, not called (it would overrun the buffer)."""
    path = mlopt.save(compiled, tmp_path / "e.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["variants"][0]["outputs"][0]["shape"] = [1, 1]
    (path / "manifest.json").write_text(json.dumps(manifest))
    for verify in (True, False):
        with pytest.raises(mlopt.ArtifactError, match=r"e\.mlopt: manifest\.json is corrupt or was edited"):
            mlopt.load(path, verify=verify)
    del manifest["manifest_sha256"]
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(mlopt.ArtifactError, match="corrupt or was edited"):
        mlopt.load(path)
    payload = artifact.to_payload(compiled)
    payload["manifest"]["variants"][0]["outputs"][0]["shape"] = [1, 1]
    with pytest.raises(mlopt.ArtifactError, match="pickled mlopt model.*corrupt or was edited"):
        artifact.from_payload(payload)


def test_host_build_records_every_host_feature(compiled):
    assert artifact.target_info(None)["features"] == sorted(artifact.host_features())


x86_64_only = pytest.mark.skipif(platform.machine() != "x86_64", reason="x86-64 CPU levels")


@x86_64_only
def test_named_cpu_records_the_features_its_level_implies():
    v3 = {"avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe", "popcnt", "sse4.2", "cx16"}
    for cpu in ("x86-64-v3", "znver3", "haswell"):
        assert v3 <= set(artifact.target_info(cpu)["features"]), cpu
    avx512 = {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}
    for cpu in ("x86-64-v4", "skylake-avx512", "znver4"):
        assert v3 | avx512 <= set(artifact.target_info(cpu)["features"]), cpu
    assert not avx512 & set(artifact.target_info("x86-64-v3")["features"])
    from mlopt.backends.llvm import target

    # every name is one LLVM's host feature list uses (its -mcpu=help table)
    known = set(target.target_catalog(target.default_triple())[1])
    assert set(artifact.target_info("x86-64-v4")["features"]) <= known


@x86_64_only
def test_package_for_a_cpu_level_names_the_features_a_cpu_lacks(tmp_path, monkeypatch):
    model = mlopt.compile(cnn(seed=5), target_cpu="x86-64-v3", cache=False)
    path = mlopt.save(model, tmp_path / "v3.mlopt", shared_library=False)
    sse42_only = {"64bit", "cmov", "cx8", "fxsr", "mmx", "sse", "sse2", "cx16", "popcnt", "sahf",
                  "sse3", "sse4.1", "sse4.2", "ssse3"}  # an x86-64-v2 CPU
    monkeypatch.setattr(artifact, "host_features", lambda: sse42_only)
    with pytest.raises(mlopt.ArtifactError, match=r"compiled for CPU 'x86-64-v3', whose features "
                       r"avx, avx2, bmi, bmi2, f16c, fma, lzcnt, movbe, xsave this CPU lacks"):
        mlopt.load(path)


def test_package_needing_missing_cpu_features_is_refused(compiled, tmp_path, monkeypatch):
    path = mlopt.save(compiled, tmp_path / "f.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["target"]["features"].append("avx10.9-9999")
    _rewrite_manifest(path, manifest)
    with pytest.raises(mlopt.ArtifactError, match=r"features avx10\.9-9999 this CPU lacks"):
        mlopt.load(path)
    manifest["target"]["arch"] = "riscv64"
    _rewrite_manifest(path, manifest)
    with pytest.raises(mlopt.ArtifactError, match="this machine is"):
        mlopt.load(path)


def test_unknown_format_version_is_refused(compiled, tmp_path):
    path = mlopt.save(compiled, tmp_path / "v.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["format_version"] = 99
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(mlopt.ArtifactError, match="format version 99"):
        mlopt.load(path)


def test_save_refuses_to_replace_other_directories(compiled, tmp_path):
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "notes.txt").write_text("keep")
    with pytest.raises(mlopt.ArtifactError, match="not an mlopt package"):
        mlopt.save(compiled, tmp_path / "precious")
    assert (tmp_path / "precious" / "notes.txt").read_text() == "keep"


def test_uncompiled_symbolic_model_ships_its_source(tmp_path):
    model = mlopt.compile(cnn(batch="N"), cache=False)
    clone = pickle.loads(pickle.dumps(model))  # nothing compiled yet: the source travels
    assert clone.num_variants == 0
    x = x_input(batch=3)
    np.testing.assert_array_equal(clone(x)[0], model(x)[0])
    assert clone.num_variants == 1
    fresh = mlopt.compile(cnn(batch="N"), cache=False)
    with pytest.raises(mlopt.ArtifactError, match="not been compiled"):
        mlopt.save(fresh, tmp_path / "x.mlopt", include_source=False)


C_DRIVER = r"""
#include <stdio.h>
#include <stdlib.h>
#include "model.h"

static void *read_file(const char *path, long *size) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    fseek(f, 0, SEEK_END); *size = ftell(f); fseek(f, 0, SEEK_SET);
    void *data = aligned_alloc(64, (*size + 63) / 64 * 64);
    if (fread(data, 1, *size, f) != (size_t)*size) { perror(path); exit(2); }
    fclose(f);
    return data;
}

int main(int argc, char **argv) {
    long n;
    void *blob = read_file(argv[1], &n);
    cnn_bind_weights(blob);
    float *x = read_file(argv[2], &n);
    if (n != CNN_ARG0_COUNT * (long)sizeof(float)) return 3;
    float y[CNN_ARG1_COUNT];
    cnn(x, y);
    FILE *out = fopen(argv[3], "wb");
    fwrite(y, sizeof(float), CNN_ARG1_COUNT, out);
    fclose(out);
    return 0;
}
"""


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (cc) on PATH")
def test_c_program_calls_the_package_library(compiled, tmp_path):
    path = mlopt.save(compiled, tmp_path / "cnn.mlopt")
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["shared_library"] == [{"library": "v0/model.so", "header": "v0/model.h"}]
    header = (path / "v0" / "model.h").read_text()
    assert "void cnn(const float *x, float *y);" in header
    assert "x: input 'x', float32[2x3x9x9]" in header and "#define CNN_ARG1_COUNT 14" in header
    (tmp_path / "main.c").write_text(C_DRIVER)
    exe = tmp_path / "main"
    cc = subprocess.run(
        ["cc", "-O1", "-o", str(exe), str(tmp_path / "main.c"), f"-I{path / 'v0'}",
         str(path / "v0" / "model.so"), f"-Wl,-rpath,{path / 'v0'}"],
        capture_output=True, text=True,
    )
    assert cc.returncode == 0, cc.stderr
    x = x_input()
    x.tofile(tmp_path / "x.bin")
    run = subprocess.run(
        [str(exe), str(path / "v0" / "weights.bin"), str(tmp_path / "x.bin"), str(tmp_path / "y.bin")],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    y = np.fromfile(tmp_path / "y.bin", dtype=np.float32).reshape(2, 7)
    np.testing.assert_array_equal(y, compiled(x)[0])


def test_profiled_model_keeps_profiling_after_pickling(monkeypatch):
    model = mlopt.compile(cnn(), cache=False, profile=True)
    _no_compile(monkeypatch)
    clone = pickle.loads(pickle.dumps(model))
    clone(x_input())
    names = {e.name for e in clone.profile() if e.cat == "Op"}
    assert "conv" in " ".join(names) and "fc" in " ".join(names)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (cc) on PATH")
def test_the_c_program_of_the_docs_runs(tmp_path):
    """docs/c-api.md's commands and program, as a reader would copy them."""
    import re

    from mlopt.data import digits_model_path
    from mlopt.tools import mlopt_opt

    doc = (Path(__file__).resolve().parents[2] / "docs" / "c-api.md").read_text()
    program = re.search(r"<!-- c-program: main\.c -->\n```c\n(.*?)```", doc, re.S)[1]
    (tmp_path / "main.c").write_text(program)
    package = tmp_path / "digits.mlopt"
    assert mlopt_opt.main([str(digits_model_path()), "--input-shape", "input=4x64",
                           "--emit=package", "-o", str(package)]) == 0
    v0 = package / "v0"
    cc = subprocess.run(
        ["cc", "-O2", "-o", "main", "main.c", "-I", str(v0), str(v0 / "model.so"),
         "-Wl,-rpath,$ORIGIN/digits.mlopt/v0"],
        cwd=tmp_path, capture_output=True, text=True,
    )
    assert cc.returncode == 0, cc.stderr
    x = np.random.default_rng(0).standard_normal((4, 64)).astype(np.float32)
    x.tofile(tmp_path / "input.f32")
    run = subprocess.run(["./main", str(v0 / "weights.bin"), "input.f32", "output.f32"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    expected = mlopt.load(package)(x)[0]
    np.testing.assert_array_equal(np.fromfile(tmp_path / "output.f32", np.float32).reshape(4, 10), expected)
    assert run.stdout.split()[0] == f"{expected[0, 0]:.4f}"

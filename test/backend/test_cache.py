"""The on-disk compile cache (mlopt.backends.cache): hits across processes,
keys, corruption, eviction, concurrent writers, bypass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

import mlopt
from mlopt.backends import cache, runtime

sys.path.insert(0, str(Path(__file__).parent))
from test_artifact import cnn, python_without_compiles, x_input  # noqa: E402


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    monkeypatch.setenv("MLOPT_CACHE", "1")
    monkeypatch.setenv("MLOPT_CACHE_DIR", str(root))
    monkeypatch.delenv("MLOPT_CACHE_SIZE", raising=False)
    return root


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("??/*") if p.is_dir())


def _count_compiles(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = runtime.CompiledModel._compile_here

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(runtime.CompiledModel, "_compile_here", counting)
    return calls


def test_second_compile_is_a_hit(cache_dir, tmp_path, monkeypatch):
    path = tmp_path / "cnn.onnx"
    onnx.save(cnn(), path)
    calls = _count_compiles(monkeypatch)
    first = mlopt.compile(path)
    assert calls == [1] and "cache-store" in first.stage_times
    assert len(_entries(cache_dir)) == 1
    second = mlopt.compile(path)
    assert calls == [1] and second.stage_times.keys() == {"cache-load"}
    x = x_input()
    np.testing.assert_array_equal(second(x)[0], first(x)[0])
    # the same model as a ModelProto: its serialization is the file's bytes, so a hit too
    mlopt.compile(cnn())
    assert calls == [1]


def test_hit_in_a_fresh_process_compiles_nothing(cache_dir, tmp_path):
    path = tmp_path / "cnn.onnx"
    onnx.save(cnn(), path)
    mlopt.compile(path)
    env = {"MLOPT_CACHE_DIR": str(cache_dir), "MLOPT_CACHE": "1", "PATH": "/usr/bin:/bin"}
    proc = python_without_compiles(
        f"""
        import mlopt
        m = mlopt.compile({str(path)!r})
        print(sorted(m.stage_times))
        """,
        env,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['cache-load']"


def test_options_and_models_key_separate_entries(cache_dir, monkeypatch):
    calls = _count_compiles(monkeypatch)
    mlopt.compile(cnn(), opt_level=3)
    mlopt.compile(cnn(), opt_level=2)
    mlopt.compile(cnn(), fast_math=True)
    mlopt.compile(cnn(), num_threads=1)
    mlopt.compile(cnn(seed=9))  # other weights: another model
    mlopt.compile(cnn(), input_shapes={"x": (2, 3, 9, 9)})
    assert len(calls) == 6 and len(_entries(cache_dir)) == 6


def test_shape_variants_at_calls_are_cached(cache_dir, monkeypatch):
    calls = _count_compiles(monkeypatch)
    model = mlopt.compile(cnn(batch="N"))
    assert calls == []  # symbolic: compiled at the first call
    ref = [model(x_input(batch=b))[0] for b in (1, 3)]
    assert len(calls) == 2
    again = mlopt.compile(cnn(batch="N"))
    out = [again(x_input(batch=b))[0] for b in (1, 3)]
    assert len(calls) == 2
    for a, b in zip(ref, out):
        np.testing.assert_array_equal(a, b)


def test_corrupt_entry_is_rebuilt(cache_dir, monkeypatch):
    calls = _count_compiles(monkeypatch)
    mlopt.compile(cnn())
    [entry] = _entries(cache_dir)
    obj = entry / "v0" / "part0.o"
    data = bytearray(obj.read_bytes())
    data[100] ^= 0x5A
    obj.write_bytes(bytes(data))
    model = mlopt.compile(cnn())
    assert len(calls) == 2 and "cache-store" in model.stage_times
    [entry] = _entries(cache_dir)
    mlopt.compile(cnn())
    assert len(calls) == 2  # the rebuilt entry is good
    (entry / "manifest.json").write_text("{not json")
    mlopt.compile(cnn())
    assert len(calls) == 3


def test_entry_with_an_edited_manifest_is_rebuilt(cache_dir, tmp_path, monkeypatch):
    """An entry's manifest gives the output shapes the code writes into: one
    edited (here: 14 floats claimed to be 1) is corrupt, not a hit."""
    import json

    path = tmp_path / "cnn.onnx"
    onnx.save(cnn(seed=4), path)
    calls = _count_compiles(monkeypatch)
    expected = mlopt.compile(path)(x_input())[0]
    for compile_again in (lambda: mlopt.compile(path), lambda: mlopt.compile(cnn(seed=4))):
        [entry] = _entries(cache_dir)
        manifest = json.loads((entry / "manifest.json").read_text())
        manifest["variants"][0]["outputs"][0]["shape"] = [1, 1]
        (entry / "manifest.json").write_text(json.dumps(manifest))
        before = len(calls)
        model = compile_again()
        assert len(calls) == before + 1 and "cache-store" in model.stage_times
        np.testing.assert_array_equal(model(x_input())[0], expected)


def test_lru_eviction_keeps_the_size_bound(cache_dir, monkeypatch):
    mlopt.compile(cnn(seed=1))
    [first] = _entries(cache_dir)
    size = sum(f.stat().st_size for f in first.rglob("*") if f.is_file())
    monkeypatch.setenv("MLOPT_CACHE_SIZE", str(int(size * 2.5)))
    mlopt.compile(cnn(seed=2))
    mlopt.compile(cnn(seed=1))  # a hit: seed 1 becomes the most recently used
    mlopt.compile(cnn(seed=3))  # three entries do not fit: seed 2 goes
    left = _entries(cache_dir)
    assert len(left) == 2 and first in left
    calls = _count_compiles(monkeypatch)
    mlopt.compile(cnn(seed=1))
    assert calls == []


def test_bypass(cache_dir, monkeypatch):
    mlopt.compile(cnn(), cache=False)
    assert not cache_dir.exists() or not _entries(cache_dir)
    monkeypatch.setenv("MLOPT_CACHE", "0")
    mlopt.compile(cnn())
    assert not cache_dir.exists() or not _entries(cache_dir)


def test_concurrent_processes_store_the_same_entry(cache_dir, tmp_path):
    path = tmp_path / "cnn.onnx"
    onnx.save(cnn(seed=4), path)
    script = f"import mlopt; m = mlopt.compile({str(path)!r}); print(sorted(m.stage_times)[-1])"
    env = {"MLOPT_CACHE_DIR": str(cache_dir), "MLOPT_CACHE": "1", "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(3)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert len(_entries(cache_dir)) == 1
    assert not list(cache_dir.glob(".tmp-*"))  # the losers' copies are gone
    model = mlopt.compile(path)
    assert model.stage_times.keys() == {"cache-load"}


def test_unwritable_cache_warns_and_compiles(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MLOPT_CACHE", "1")
    monkeypatch.setenv("MLOPT_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(cache, "_WARNED", False)
    with pytest.warns(cache.CacheWarning, match="cannot write the compile cache"):
        model = mlopt.compile(cnn())
    assert model(x_input())[0].shape == (2, 7)


def test_edited_compiler_never_reads_old_entries(cache_dir, monkeypatch):
    calls = _count_compiles(monkeypatch)
    mlopt.compile(cnn())
    from mlopt.backends import artifact

    monkeypatch.setattr(artifact, "build_id", lambda: "another-checkout")
    mlopt.compile(cnn())
    assert len(calls) == 2


def test_profiled_and_plain_compiles_are_separate_entries(cache_dir, monkeypatch):
    calls = _count_compiles(monkeypatch)
    mlopt.compile(cnn())
    profiled = mlopt.compile(cnn(), profile=True)
    assert len(calls) == 2
    again = mlopt.compile(cnn(), profile=True)  # a hit, and it still profiles
    assert len(calls) == 2
    again(x_input())
    assert any(e.cat == "Op" for e in again.profile())
    assert profiled.options()["profile"] is True


def test_a_hit_can_still_be_saved_with_its_source(cache_dir, tmp_path):
    path = tmp_path / "cnn.onnx"
    onnx.save(cnn(), path)
    mlopt.compile(path)
    hit = mlopt.compile(path)
    assert hit.stage_times.keys() == {"cache-load"}
    package = mlopt.save(hit, tmp_path / "m.mlopt", include_source=True, shared_library=False)
    assert (package / "model.onnx").read_bytes() == path.read_bytes()

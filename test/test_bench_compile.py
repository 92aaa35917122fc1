"""The compile-time benchmark's models and script (``bench/compile_models.py``,
``bench/bench_compile.py``).

Each model family, at a tiny size, runs in onnxruntime and compiles and runs in
mlopt with the same outputs; the bench script, on one tiny model, prints the
machine line and a table with a column per compile stage.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import compile_models  # noqa: E402  (bench/ is not a package)

import mlopt  # noqa: E402
import onnxruntime as ort  # noqa: E402  (the test extra installs it)

TINY = ["gru_tagger_s4", "lstm_classifier_s4", "transformer_l1"]


def test_default_models_are_two_sizes_of_each_family():
    assert len(compile_models.MODELS) == 6 and all(compile_models.is_model(n) for n in compile_models.MODELS)
    l2, l8 = (compile_models.build(n) for n in ("transformer_l2", "transformer_l8"))
    assert 3.5 < len(l8.graph.node) / len(l2.graph.node) < 4.5  # the node count grows ~4x


@pytest.mark.parametrize("name", TINY)
def test_tiny_model_matches_onnxruntime(name: str) -> None:
    path = compile_models.model_path(name)
    model = onnx.load(str(path))
    weights = [onnx.numpy_helper.to_array(t) for t in model.graph.initializer if t.data_type == onnx.TensorProto.FLOAT]
    assert all(w.size < 2 or np.std(w) > 0.01 for w in weights)  # random, not all-equal
    feeds = compile_models.model_inputs(model)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    ref = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"]).run(None, feeds)
    got = mlopt.compile(str(path), num_threads=1)(*feeds.values())
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        assert g.shape == r.shape
        assert np.std(r) > 1e-3  # not a uniform output
        assert np.max(np.abs(g - r)) < 1e-4 * max(1.0, float(np.max(np.abs(r))))


def test_bench_script_prints_a_stage_table(tmp_path: Path) -> None:
    out = tmp_path / "rows.json"
    r = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_compile.py"), "--models", "gru_tagger_s4", "--no-iree",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("machine: ")
    header = next(ln for ln in lines if ln.startswith("model "))
    cols = header.split()
    for stage in ("nodes", "total", "import", "onnx-to-tensor", "bufferize", "llvm-optimize", "codegen", "other"):
        assert stage in cols, header
    row = lines[lines.index(header) + 1].split()
    assert row[0] == "gru_tagger_s4" and len(row) == len(cols) - 2  # "total s", "1st call": two words
    (data,) = json.loads(out.read_text())
    assert data["model"] == "gru_tagger_s4" and data["stages"]["codegen"] > 0
    assert data["total_s"] >= sum(data["stages"].values()) - 1e-6

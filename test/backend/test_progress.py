"""Compile progress (mlopt.backends.progress): on stderr only when asked."""

from __future__ import annotations

import sys
from pathlib import Path

import mlopt

sys.path.insert(0, str(Path(__file__).parent))
from test_artifact import cnn  # noqa: E402


def test_library_compiles_are_quiet_by_default(capfd):
    mlopt.compile(cnn(seed=11), cache=False)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_progress_shows_every_stage(capfd):
    mlopt.compile(cnn(seed=12), cache=False, progress=True)
    err = capfd.readouterr().err
    for stage in ("import", "onnx-opt", "bufferize", "kernels", "affine-to-llvm", "translate", "llvm-optimize", "link"):
        assert f"cnn: {stage} " in err, stage
    assert "/11 stages" in err and err.endswith("\r")  # cleared at the end


def test_progress_covers_compiles_at_a_call(capfd):
    model = mlopt.compile(cnn(batch="N", seed=13), cache=False, progress=True)
    assert "stages" not in capfd.readouterr().err  # symbolic: nothing compiled yet
    import numpy as np

    model(np.zeros((3, 3, 9, 9), np.float32))
    assert "cnn: affine-to-llvm" in capfd.readouterr().err

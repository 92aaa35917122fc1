"""Package data: the digits example model and held-out samples.

``digits_mlp.onnx`` and ``samples.npz`` are written by ``examples/digits/train.py``
(which also keeps copies in ``examples/digits/``); ``mlopt-run`` with no model
argument compiles and runs this model.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent


def digits_model_path() -> Path:
    """Path of the bundled digits MLP (input ``input`` [N, 64] -> ``probabilities`` [N, 10])."""
    return DATA_DIR / "digits_mlp.onnx"


def digits_samples_path() -> Path:
    """Path of the held-out digits samples: ``input`` float32 [100, 64], ``labels`` int64 [100]."""
    return DATA_DIR / "samples.npz"

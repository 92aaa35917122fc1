"""The light model-zoo models shipped in the onnx wheel
(``onnx/backend/test/data/light/*.onnx``: AlexNet, DenseNet-121, Inception v1/v2,
ResNet-50, ShuffleNet, SqueezeNet, VGG-19, ZFNet-512, with constant weights)
compile through ``onnx-to-llvm`` and match onnxruntime on the same inputs.

Inputs are the ones the ONNX backend test runner uses for these models
(``arange(n) / n`` in the input's shape). Compile + run happen in a child process
with a time limit (``MLOPT_MODEL_TIMEOUT``, default 900 s).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "conformance"))
from conformance_harness import CaseRunner, NodeCase  # noqa: E402

import onnxruntime as ort  # noqa: E402  (the test extra installs it)

LIGHT_DIR = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
MODELS = sorted(p.stem for p in LIGHT_DIR.glob("light_*.onnx"))
TIMEOUT = float(os.environ.get("MLOPT_MODEL_TIMEOUT", "900"))


def runner_inputs(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """The backend test runner's dummy inputs: arange(n) / n, symbolic dims -> 1."""
    inits = {i.name for i in model.graph.initializer}
    feeds = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in vi.type.tensor_type.shape.dim)
        n = int(np.prod(shape))
        feeds[vi.name] = (np.arange(n).reshape(shape) / n).astype(np.float32)
    return feeds


def test_all_nine_light_models_found():
    assert len(MODELS) == 9, MODELS


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_light_model_matches_onnxruntime(name: str) -> None:
    path = LIGHT_DIR / f"{name}.onnx"
    model = onnx.load(str(path))
    feeds = runner_inputs(model)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    expected = sess.run(None, feeds)
    case = NodeCase(name, model.SerializeToString(), [(list(feeds.values()), expected)], "model")
    runner = CaseRunner(timeout=TIMEOUT)
    try:
        result = runner.run(case)
    finally:
        runner.close()
    assert result.passed, f"{name}: {result.reason()} (after {result.seconds:.1f} s)"

"""The light model-zoo models shipped in the onnx wheel
(``onnx/backend/test/data/light/*.onnx``: AlexNet, DenseNet-121, Inception v1/v2,
ResNet-50, ShuffleNet, SqueezeNet, VGG-19, ZFNet-512) compile through
``onnx-to-llvm`` and match onnxruntime on the same inputs.

The shipped weights are all 0.02, which makes 8 of the 9 outputs a uniform
0.001 that a wrong kernel can still "match"; the models here have seeded random
weights instead (``bench/realistic_models.py``, the benchmark's set: He-scaled
conv/Gemm weights, calibrated BatchNormalization), and the inputs are seeded
standard-normal (negative values included). The outputs are checked to be far
from uniform before they are compared: rtol 1e-3 and an absolute tolerance of
1e-4 of the output's largest magnitude (the summation order of a 4,096-long dot
product differs from onnxruntime's). Compile + run happen in a child process
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
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from conformance_harness import CaseRunner, NodeCase  # noqa: E402
from realistic_models import light_models, model_inputs, realistic  # noqa: E402

import onnxruntime as ort  # noqa: E402  (the test extra installs it)

MODELS = sorted(light_models())
TIMEOUT = float(os.environ.get("MLOPT_MODEL_TIMEOUT", "900"))


def test_all_nine_light_models_found():
    assert len(MODELS) == 9, MODELS


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_light_model_matches_onnxruntime(name: str) -> None:
    path = realistic(name)
    model = onnx.load(str(path))
    feeds = model_inputs(model, seed=1)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    expected = sess.run(None, feeds)
    out = expected[0]
    # a meaningful reference: many distinct values, spread over more than rounding
    # (the shipped weights give 1000 copies of 0.001)
    spread = float(np.std(out)) / float(np.max(np.abs(out)))
    assert len(np.unique(out)) > out.size // 2 and spread > 0.01, (name, spread)
    atol = 1e-4 * max(float(np.max(np.abs(e))) for e in expected)
    case = NodeCase(name, model.SerializeToString(), [(list(feeds.values()), expected)], "model", atol=atol)
    runner = CaseRunner(timeout=TIMEOUT)
    try:
        result = runner.run(case)
    finally:
        runner.close()
    assert result.passed, f"{name}: {result.reason()} (after {result.seconds:.1f} s)"

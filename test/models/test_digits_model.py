"""The digits example end to end: the committed model compiles with mlopt,
classifies the held-out samples accurately and matches onnxruntime."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import onnx
import pytest

import mlopt
from mlopt.data import digits_model_path, digits_samples_path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLE = ROOT / "examples" / "digits"


def test_package_data_matches_example():
    assert filecmp.cmp(EXAMPLE / "digits_mlp.onnx", digits_model_path(), shallow=False)
    assert filecmp.cmp(EXAMPLE / "samples.npz", digits_samples_path(), shallow=False)


def test_model_is_an_mlp_with_the_documented_interface():
    model = onnx.load(str(digits_model_path()))
    onnx.checker.check_model(model, full_check=True)
    ops = [n.op_type for n in model.graph.node]
    assert {"Gemm", "MatMul", "Relu", "Softmax"} <= set(ops)
    assert [i.name for i in model.graph.input] == ["input"]
    assert [o.name for o in model.graph.output] == ["probabilities"]
    with np.load(digits_samples_path()) as d:
        assert d["input"].shape == (100, 64) and d["input"].dtype == np.float32
        assert d["labels"].shape == (100,) and d["labels"].dtype == np.int64


@pytest.fixture(scope="module")
def compiled():
    return mlopt.compile(str(digits_model_path()))


@pytest.fixture(scope="module")
def samples():
    with np.load(digits_samples_path()) as d:
        return d["input"], d["labels"]


def test_compiled_digits_accuracy(compiled, samples):
    x, labels = samples
    (probs,) = compiled(x)
    assert probs.shape == (100, 10) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert (probs.argmax(axis=1) == labels).mean() >= 0.95


def test_compiled_digits_matches_onnxruntime(compiled, samples):
    import onnxruntime as ort
    x, _ = samples
    sess = ort.InferenceSession(str(digits_model_path()), providers=["CPUExecutionProvider"])
    (ref,) = sess.run(None, {"input": x})
    (got,) = compiled(x)
    np.testing.assert_allclose(got, ref, rtol=1e-3, atol=1e-4)
    # another batch size specialises again and still agrees
    (got1,) = compiled(x[:1])
    np.testing.assert_allclose(got1, ref[:1], rtol=1e-3, atol=1e-4)

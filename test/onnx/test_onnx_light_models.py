"""The 9 light model-zoo models shipped in the onnx wheel: import, verify,
print/re-parse, export, and run the export on onnxruntime against the
original, on the backend runner's deterministic input (arange / n), also
checked against the shipped expected output."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import onnx
import pytest

from mlopt.frontends.onnx import import_model
from roundtrip_util import load_expected_failures, roundtrip_and_run

LIGHT_DIR = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
_MODELS = sorted(LIGHT_DIR.glob("light_*.onnx"))
_XFAIL = load_expected_failures()


def _dummy_input(vi: onnx.ValueInfoProto) -> np.ndarray:
    # the same data onnx's backend runner feeds these models
    shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in vi.type.tensor_type.shape.dim)
    n = int(np.prod(shape))
    return (np.arange(n).reshape(shape) / n).astype(np.float32)


def test_nine_light_models():
    assert len(_MODELS) == 9


def _param(p: Path):
    name = p.stem
    marks = [pytest.mark.xfail(reason=_XFAIL[name], strict=True)] if name in _XFAIL else []
    return pytest.param(p, id=name, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in _MODELS])
def test_light_model(path: Path):
    model = onnx.load(path)
    inits = {t.name for t in model.graph.initializer}
    inputs = [_dummy_input(vi) for vi in model.graph.input if vi.name not in inits]
    _, ort_outputs = roundtrip_and_run(model, inputs)
    assert ort_outputs is not None, "onnxruntime must run every light model"
    expected = onnx.numpy_helper.to_array(
        onnx.load_tensor(str(path.with_name(path.stem + "_output_0.pb")))
    )
    np.testing.assert_allclose(ort_outputs[0], expected, rtol=1e-3, atol=1e-5)


def test_light_resnet50_imports_fast():
    path = LIGHT_DIR / "light_resnet50.onnx"
    t0 = time.perf_counter()
    module = import_model(path)
    elapsed = time.perf_counter() - t0
    assert elapsed < 5.0, f"light_resnet50 took {elapsed:.2f}s to import"
    convs = [op for op in module.walk() if op.name == "onnx.Conv"]
    assert len(convs) == 53

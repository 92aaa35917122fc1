"""Shared checks of the ONNX sweep tests: import, print/parse, export, run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import onnx

import mlopt
from mlopt.frontends.onnx import import_model
from mlopt.frontends.onnx_export import export_model

NONDETERMINISTIC = {
    "RandomNormal",
    "RandomNormalLike",
    "RandomUniform",
    "RandomUniformLike",
    "Bernoulli",
    "Multinomial",
}


def load_expected_failures() -> dict[str, str]:
    """The ``[onnx-roundtrip]`` section of ``test/expected_failures.txt``."""
    test_dir = str(Path(__file__).resolve().parent.parent)
    if test_dir not in sys.path:
        sys.path.insert(0, test_dir)
    import expected_failures

    return expected_failures.load("onnx-roundtrip")


def ort_session(model: onnx.ModelProto) -> Any:
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 4
    return ort.InferenceSession(
        model.SerializeToString(), so, providers=["CPUExecutionProvider"]
    )


def feeds_for(model: onnx.ModelProto, inputs: list[Any]) -> dict[str, Any]:
    inits = {t.name for t in model.graph.initializer}
    names = [i.name for i in model.graph.input if i.name not in inits]
    return dict(zip(names, inputs))


def run_ort(model: onnx.ModelProto, inputs: list[Any]) -> list[Any]:
    sess = ort_session(model)
    return sess.run(None, feeds_for(model, inputs))


def _compare(a: Any, b: Any, shape_only: bool, where: str) -> None:
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for x, y in zip(a, b):
            _compare(x, y, shape_only, where)
        return
    if a is None or b is None:
        assert a is None and b is None, where
        return
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            _compare(a[k], b[k], shape_only, where)
        return
    a = np.asarray(a)
    b = np.asarray(b)
    assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
    assert a.dtype == b.dtype, f"{where}: dtype {a.dtype} != {b.dtype}"
    if shape_only:
        return
    if a.dtype.kind in "fc":
        tol = 1e-3 if a.dtype.itemsize <= 2 else 1e-5  # float16: one ulp apart is fine
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol / 10, equal_nan=True, err_msg=where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def roundtrip_and_run(
    model: onnx.ModelProto, inputs: list[Any] | None
) -> tuple[onnx.ModelProto, list[Any] | None]:
    """Import ``model``, verify, print, re-parse (identical text), export from
    the re-parsed module, check the export with onnx.checker and, where
    onnxruntime runs the original, compare the export's outputs to it.
    Returns the exported model and onnxruntime's outputs of the original
    (None where it was not run)."""
    ctx = mlopt.make_context()
    module = import_model(model, ctx=ctx)
    module.verify()
    text = mlopt.print_ir(module)
    reparsed = mlopt.parse(text, ctx)
    assert mlopt.print_ir(reparsed) == text, "print -> parse -> print is not identical"
    assert reparsed.is_structurally_equivalent(module), "re-parsed module differs"
    exported = export_model(reparsed)
    onnx.checker.check_model(exported)
    if inputs is None:
        return exported, None
    try:
        expected = run_ort(model, inputs)
    except Exception:
        return exported, None  # onnxruntime does not run the original: nothing to compare
    got = run_ort(exported, inputs)
    shape_only = any(n.op_type in NONDETERMINISTIC for n in model.graph.node) or any(
        n.op_type == "Dropout" and len(n.input) > 2 for n in model.graph.node
    )
    assert len(got) == len(expected)
    for k, (e, g) in enumerate(zip(expected, got)):
        _compare(e, g, shape_only, f"output #{k}")
    return exported, expected

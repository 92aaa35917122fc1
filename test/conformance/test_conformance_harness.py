"""The conformance harness itself: comparison rules, time limits, crash isolation."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from conformance_harness import CaseRunner, NodeCase, compare_outputs, load_expected_failures


def test_compare_accepts_close_and_nan():
    ref = np.array([1.0, np.nan, np.inf, 0.0], dtype=np.float32)
    got = np.array([1.0005, np.nan, np.inf, 5e-8], dtype=np.float32)
    assert compare_outputs([got], [ref]) is None


def test_compare_rejects_value_dtype_shape_and_count():
    ref = np.array([1.0, 2.0], dtype=np.float32)
    assert "differ" in compare_outputs([np.array([1.0, 2.1], np.float32)], [ref])
    assert "differ" in compare_outputs([np.array([1.0, np.nan], np.float32)], [ref])
    assert "dtype" in compare_outputs([ref.astype(np.float64)], [ref])
    assert "shape" in compare_outputs([ref.reshape(2, 1)], [ref])
    assert "output(s)" in compare_outputs([ref, ref], [ref])
    assert "differ" in compare_outputs([np.array([1, 3])], [np.array([1, 2])])


def _ok(model_bytes, data_sets, opt_level):
    return "pass", ""


def _hang(model_bytes, data_sets, opt_level):
    time.sleep(60)
    return "pass", ""


def _crash(model_bytes, data_sets, opt_level):
    os._exit(3)


CASE = NodeCase("test_dummy", b"", [], "Dummy")


@pytest.mark.parametrize(
    ("func", "status"), [(_ok, "pass"), (_hang, "timeout"), (_crash, "crash")]
)
def test_runner_isolates_hangs_and_crashes(func, status):
    runner = CaseRunner(timeout=3, func=func)
    try:
        result = runner.run(CASE)
        assert result.status == status, result
        assert result.seconds < 20
        # the runner recovers: a later case runs in a fresh child
        result = runner.run(CASE)
        assert result.status == status
    finally:
        runner.close()


def test_expected_failures_format(tmp_path):
    path = tmp_path / "xf.txt"
    path.write_text(
        "# comment\n[onnx-roundtrip]\ntest_a: other suite\n\n[node-conformance]\n# c\n"
        "test_a: error: unsupported op Foo\ntest_b: fail: output 0: x: y\n"
    )
    assert load_expected_failures(path) == {"test_a": "error: unsupported op Foo", "test_b": "fail: output 0: x: y"}
    path.write_text("[node-conformance]\nnonsense\n")
    with pytest.raises(ValueError, match="xf.txt"):
        load_expected_failures(path)

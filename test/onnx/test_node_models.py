"""Every ONNX backend node-test model: import, verify, print, re-parse to the
identical text, export, and run the export on onnxruntime against the
original (on the test's own input data) wherever onnxruntime runs the original.

Known failures are listed with their reason in test/expected_failures.txt ([onnx-roundtrip])."""

from __future__ import annotations

import warnings

import pytest

from roundtrip_util import load_expected_failures, roundtrip_and_run

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from onnx.backend.test.case.node import collect_testcases

    _CASES = sorted(collect_testcases(), key=lambda c: c.name)

_XFAIL = load_expected_failures()


def test_node_case_count():
    # onnx 1.23.2 ships 1,884 node test cases; all must be collected here
    assert len(_CASES) == 1884
    assert len({c.name for c in _CASES}) == len(_CASES)


def _param(case):
    marks = []
    if case.name in _XFAIL:
        marks.append(pytest.mark.xfail(reason=_XFAIL[case.name], strict=True))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in _CASES])
def test_node_model(case):
    inputs = list(case.data_sets[0][0]) if case.data_sets else None
    roundtrip_and_run(case.model, inputs)

"""ONNX backend node tests through mlopt's compiled path (``mlopt.backend``).

Every case of ``onnx.backend.test.case.node`` is compiled and run in a child
process with a time limit (see ``conformance_harness.py``) and compared with the
expected outputs (rtol 1e-3, atol 1e-7 as ONNX's own runner, NaN-aware, dtype and shape checked).

The [node-conformance] section of ``test/expected_failures.txt`` lists every case expected to fail, with its reason; a
failing case not in the list fails the suite, a listed case that passes shows
as XPASS. Regenerate the list with ``python scripts/update_expected_failures.py``.
"""

from __future__ import annotations

import pytest

from conformance_harness import CaseRunner, load_cases, load_expected_failures

CASES = load_cases()
EXPECTED = load_expected_failures()


def _params():
    for name in sorted(CASES):
        if name in EXPECTED:
            yield pytest.param(name, id=name, marks=pytest.mark.xfail(reason=EXPECTED[name], strict=False))
        else:
            yield pytest.param(name, id=name)


@pytest.fixture(scope="module")
def runner():
    r = CaseRunner()
    yield r
    r.close()


@pytest.mark.parametrize("name", list(_params()))
def test_node(name: str, runner: CaseRunner) -> None:
    result = runner.run(CASES[name])
    if not result.passed:
        pytest.fail(f"{name}: {result.reason()}", pytrace=False)


def test_expected_failures_name_real_cases() -> None:
    stale = sorted(set(EXPECTED) - set(CASES))
    assert not stale, f"expected_failures.txt lists unknown cases: {stale[:10]}"


def test_case_collection_is_complete() -> None:
    # ~1,884 node cases in onnx 1.23; a collection problem must not look like a pass.
    assert len(CASES) > 1500
    assert all(c.data_sets for c in CASES.values())

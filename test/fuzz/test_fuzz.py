"""The differential fuzzer in the suite: a CI-sized run of seeded random graphs
(test/fuzz/graphgen.py), each compiled by mlopt at the default opt level and
compared with onnxruntime. Any mismatch or error fails, naming the seed; rerun
one with ``python scripts/fuzz.py --seed SEED --count 1 -v``. The long run is
documented in docs/user-guide.md (Testing).

The seeds are split into chunks so pytest-xdist spreads them over workers.
"""

from __future__ import annotations

import pytest

import graphgen

CHUNKS = 10
PER_CHUNK = 25  # 250 graphs in all
FIRST_SEED = 0


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_fuzz_chunk(chunk):
    failures = []
    passed = 0
    for seed in range(FIRST_SEED + chunk * PER_CHUNK, FIRST_SEED + (chunk + 1) * PER_CHUNK):
        res = graphgen.check(seed, keep_model=False)
        if res.status == "pass":
            passed += 1
        else:
            detail = res.kind if res.status == "error" else res.detail
            failures.append(f"seed {seed} (sub-seed {res.sub}): {res.status}: {detail}  [{' '.join(res.ops)}]")
    assert not failures, (
        f"{len(failures)} of {PER_CHUNK} graphs failed "
        f"(rerun: python scripts/fuzz.py --seed SEED --count 1 -v):\n" + "\n".join(failures)
    )
    assert passed == PER_CHUNK


def test_generator_is_deterministic():
    """The same seed gives the same graph and inputs (what makes a failure reproducible)."""
    a, fa, _ = graphgen.generate(7)
    b, fb, _ = graphgen.generate(7)
    assert a.SerializeToString() == b.SerializeToString()
    assert fa.keys() == fb.keys() and all((fa[k] == fb[k]).all() for k in fa)
    c, _, _ = graphgen.generate(8)
    assert c.SerializeToString() != a.SerializeToString()


def test_generator_draws_many_op_types():
    """Over 200 seeds the generator draws several dozen op types, broadcasting
    operands of different ranks and graphs of 2..8 nodes."""
    ops, sizes, bcast = set(), set(), 0
    for seed in range(200):
        case, _ = graphgen.valid_case(seed)
        ops.update(case.ops)
        sizes.add(len(case.model.graph.node))
        for n in case.model.graph.node:
            if n.op_type in ("Add", "Mul", "Sub", "Div", "Max", "Min"):
                bcast += 1
    assert len(ops) >= 60, sorted(ops)
    assert min(sizes) >= 2 and max(sizes) <= 8
    assert bcast >= 20


def test_compare_is_strict():
    """The comparison catches what it must: a value off by more than the
    tolerance, a NaN in one place only, an integer off by one, a dtype or shape."""
    import numpy as np

    x = np.array([1.0, np.nan, 3.0], np.float32)
    assert graphgen.compare([x], [x.copy()], ["y"]) is None
    assert graphgen.compare([x + np.float32(1e-3) * 5], [x], ["y"]) is not None
    assert graphgen.compare([np.array([1.0, 2.0, 3.0], np.float32)], [x], ["y"]) is not None
    assert graphgen.compare([np.array([1, 2], np.int64)], [np.array([1, 3], np.int64)], ["y"]) is not None
    assert graphgen.compare([x.astype(np.float64)], [x], ["y"]) is not None
    assert graphgen.compare([x[:2]], [x], ["y"]) is not None
    assert graphgen.compare([np.array([np.inf], np.float32)], [np.array([-np.inf], np.float32)], ["y"]) is not None

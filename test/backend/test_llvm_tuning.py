"""The tuning features mlopt adds to every x86 target (``X86_TUNING``).

LLVM 22's SLP vectorizer, at -O3 for Intel AVX-512 CPUs, turned the loads of
a temporary buffer in onnx's ``test_resize_upsample_scales_linear`` into masked
gathers scheduled before the stores that fill the buffer: half the output read
zeros (docs/upstream.md).  ``Inputs/resize-linear-slp-gather.ll`` is mlopt's
LLVM IR for that model (weights external)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlopt.backends.llvm import _worker_main

IR = (Path(__file__).parent / "Inputs" / "resize-linear-slp-gather.ll").read_text()


def test_x86_targets_get_the_tuning_features():
    assert _worker_main.target_features("x86_64-unknown-linux-gnu", "+avx2,+fma") == (
        "+avx2,+fma,+prefer-no-gather,+prefer-no-scatter"
    )
    assert _worker_main.target_features("x86_64-unknown-linux-gnu", "") == "+prefer-no-gather,+prefer-no-scatter"
    assert _worker_main.target_features("aarch64-unknown-linux-gnu", "+neon") == "+neon"


def _optimised(cpu: str, tuned: bool, monkeypatch) -> str:
    if not tuned:
        monkeypatch.setattr(_worker_main, "target_features", lambda triple, features: features)
    reply = _worker_main.handle({"ir": IR, "opt_level": 3, "cpu": cpu, "features": "", "outputs": ["llvm"]})
    monkeypatch.undo()
    assert "error" not in reply, reply
    return reply["llvm"]


@pytest.mark.parametrize("cpu", ["skylake-avx512", "sapphirerapids"])
def test_no_masked_gathers_on_intel_avx512(cpu, monkeypatch):
    import llvmlite.binding as llvm

    if not llvm.get_default_triple().startswith("x86_64"):
        pytest.skip("x86-64 LLVM targets only")
    # the IR that LLVM miscompiled: without the tuning it forms the gathers ...
    assert "@llvm.masked.gather" in _optimised(cpu, False, monkeypatch)
    # ... and with it (every compile mlopt makes) it does not
    assert "@llvm.masked.gather" not in _optimised(cpu, True, monkeypatch)

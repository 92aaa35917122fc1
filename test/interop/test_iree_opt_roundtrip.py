"""mlopt's text at the tensor, affine and llvm levels round-trips through
upstream MLIR: ``iree-opt`` (the MLIR of the ``iree-base-compiler`` wheel, the
``interop`` extra that ``scripts/test.sh`` installs) parses and verifies what
mlopt prints, and what ``iree-opt`` prints back (custom form, and for the
digits model the generic form too) parses and verifies in mlopt.

For the digits model the re-printed IR of every level is compiled by mlopt
again and must compute exactly what the direct path computes. The light
models of the onnx wheel (shipped weights, static shapes) are checked for
parsing both ways (``slow``: the larger ones take tens of seconds).

Skipped only when no ``iree-opt`` is found (beside this Python or on PATH).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnx
import pytest

import mlopt
from mlopt.data import digits_model_path, digits_samples_path
from mlopt.passes.pipelines import OPT_STAGES, sized_stages, stages_from

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from realistic_models import light_models  # noqa: E402


def _find_iree_opt() -> str | None:
    beside = Path(sys.executable).parent / "iree-opt"
    if beside.is_file():
        return str(beside)
    return shutil.which("iree-opt")


IREE_OPT = _find_iree_opt()
pytestmark = pytest.mark.skipif(
    IREE_OPT is None,
    reason="iree-opt not found: install the interop extra (pip install -e '.[interop]', "
    "the iree-base-compiler wheel)",
)

LEVELS = ("tensor", "affine", "llvm")
# The stage after which the module is at each level (the -O2/-O3 pipeline).
LEVEL_AFTER = {"tensor": "tensor-opt", "affine": "linalg-to-affine", "llvm": "affine-to-llvm"}
THREADS = 2  # parallel loops outlined: the llvm level has the thread-pool calls too
MODELS = sorted(light_models())


def lower_levels(model: onnx.ModelProto | str, input_shapes=None) -> dict[str, str]:
    """mlopt's text of ``model`` at each level, as ``mlopt.compile`` lowers it
    (-O3, kernels sized for this machine, ``THREADS`` threads)."""
    module = mlopt.import_onnx(model, input_shapes=input_shapes)
    ctx = mlopt.make_context()
    sized = sized_stages(None, THREADS)
    texts: dict[str, str] = {}
    for stage, text in stages_from("onnx"):
        assert stage not in OPT_STAGES or stage in ("tensor-opt", "kernels")
        mlopt.run_pipeline(module, sized.get(stage, text), ctx)
        for level, after in LEVEL_AFTER.items():
            if stage == after:
                texts[level] = mlopt.print_ir(module)
    assert set(texts) == set(LEVELS)
    return texts


def iree_opt(text: str, *args: str) -> str:
    """``iree-opt`` on ``text``: its output, or a failed assertion with its errors."""
    assert IREE_OPT is not None
    # one thread: the suite already runs a worker per core
    cmd = [IREE_OPT, "-", "--mlir-disable-threading", *args]
    r = subprocess.run(cmd, input=text, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"iree-opt rejected the text:\n{r.stderr[:3000]}"
    return r.stdout


def round_trip(text: str, where: str, generic: bool = False) -> list[str]:
    """Problems of ``text`` through iree-opt and back into mlopt (empty: none)."""
    args = ("--mlir-print-op-generic",) if generic else ()
    form = "generic" if generic else "custom"
    try:
        upstream = iree_opt(text, *args)
    except AssertionError as e:
        return [f"{where}: mlopt -> iree-opt: {e}"]
    try:
        mlopt.parse(upstream, name=f"<iree-opt {form} output>")
    except mlopt.MloptError as e:
        return [f"{where}: iree-opt ({form}) -> mlopt: {str(e)[:3000]}"]
    return []


# -- the digits model: every level, both forms, and the results ---------------


@lru_cache(maxsize=1)
def _digits() -> tuple[dict[str, str], np.ndarray, np.ndarray]:
    with np.load(digits_samples_path()) as d:
        x = d["input"]
    texts = lower_levels(str(digits_model_path()), {"input": list(x.shape)})
    (direct,) = mlopt.compile(str(digits_model_path()), num_threads=THREADS)(x)
    return texts, x, direct


@pytest.mark.parametrize("level", LEVELS)
def test_digits_round_trips_through_iree_opt(level: str) -> None:
    texts, x, direct = _digits()
    text = texts[level]
    upstream = iree_opt(text)
    module = mlopt.parse(upstream, name="<iree-opt output>")
    # mlopt's print of upstream's text parses upstream again
    iree_opt(mlopt.print_ir(module))
    # and compiles to the same computation
    (probs,) = mlopt.compile(module, num_threads=THREADS)(x)
    np.testing.assert_array_equal(probs, direct)
    generic = mlopt.parse(iree_opt(text, "--mlir-print-op-generic"), name="<iree-opt generic output>")
    (probs,) = mlopt.compile(generic, num_threads=THREADS)(x)
    np.testing.assert_array_equal(probs, direct)


def test_digits_levels_use_the_syntax_upstream_changed() -> None:
    """The digits text exercises the forms this test is about (so a
    regression cannot hide behind a model that stopped using them):
    upstream's custom ``memref.global`` and accesses that
    ``legalize-affine-indices`` rewrote (the kernels' clamped last row tile)
    at the affine level, ``<alignment = N>`` at the llvm level. (fastmath<...>
    is covered by test/interop/upstream-llvm-syntax.mlir.)"""
    texts, _, _ = _digits()
    affine_up = iree_opt(texts["affine"])
    llvm_up = iree_opt(texts["llvm"])
    assert 'memref.global "private" constant @' in affine_up
    assert "affine.min" in texts["affine"] and " = memref.load " in texts["affine"]
    assert "<alignment = 4>" in texts["llvm"] and "<alignment = 4>" in llvm_up


# -- the light models: parsing both ways at every level -----------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", MODELS)
def test_light_model_round_trips_through_iree_opt(name: str) -> None:
    texts = lower_levels(onnx.load(str(light_models()[name])))
    problems = [p for level in LEVELS for p in round_trip(texts[level], f"{name} at the {level} level")]
    assert not problems, "\n\n".join(problems)

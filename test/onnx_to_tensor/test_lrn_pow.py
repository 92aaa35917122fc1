"""LRN's ``(bias + alpha / size * sum x^2) ** beta``: beta = 0.75 and 0.5 are
computed by square roots (vectorised) and must match ``powf`` -- also where
the base is negative (NaN), -0 or -inf."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from onnx_models import float_model

import mlopt


def _reference(x: np.ndarray, size: int, alpha: float, beta: float, bias: float):
    """(y, base) in f64."""
    c = x.shape[1]
    sq = np.zeros(x.shape, np.float64)
    lo, hi = (size - 1) // 2, size // 2
    for ch in range(c):
        for k in range(max(0, ch - lo), min(c - 1, ch + hi) + 1):
            sq[:, ch] += x[:, k].astype(np.float64) ** 2
    base = bias + alpha / size * sq
    with np.errstate(invalid="ignore", divide="ignore"):
        return x / np.power(base, beta), base


@pytest.mark.parametrize("beta", [0.75, 0.5, 1.0, 0.6])
@pytest.mark.parametrize("bias", [1.0, 2.0, -1.0])
def test_lrn_matches_powf(beta, bias):
    rng = np.random.default_rng(int(beta * 100) + int(bias * 10))
    x = rng.standard_normal((1, 7, 5, 17)).astype(np.float32)
    model = float_model(
        [helper.make_node("LRN", ["x"], ["y"], size=3, alpha=0.5, beta=beta, bias=bias)], {"x": x}, ["y"]
    )
    got = mlopt.compile(model)(x)[0]
    want, base = _reference(x, 3, 0.5, beta, bias)
    # A negative base (bias -1) gives NaN, as powf does (beta 1: no power).
    # Bases near 0 (bias -1 plus a small sum) amplify f32 rounding: compare
    # where the base is not within 0.05 of 0.
    ok = np.abs(base) > 0.05
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-5, atol=1e-6, equal_nan=True)
    if bias < 0 and beta != 1.0:
        assert np.isnan(got[base < -0.05]).all() and (base < -0.05).any()
        assert not np.isnan(got[base > 0.05]).any()


def test_lrn_minus_inf_bias():
    """bias = -inf: the base is -inf and powf(-inf, 0.75) = +inf, so y = x / inf = 0."""
    x = np.random.default_rng(0).standard_normal((1, 4, 3, 3)).astype(np.float32)
    model = float_model(
        [helper.make_node("LRN", ["x"], ["y"], size=3, alpha=1e-4, beta=0.75, bias=float("-inf"))], {"x": x}, ["y"]
    )
    got = mlopt.compile(model)(x)[0]
    np.testing.assert_array_equal(np.abs(got), np.zeros_like(x))

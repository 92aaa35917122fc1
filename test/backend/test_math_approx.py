"""math-approximate-exp's exp, as compiled code: within 2 ulp of float64's exp
over the whole f32 range (random, dense and the edges of overflow/underflow),
exact at the special values, and the same at -O3 in a vectorised loop as in a
scalar one."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper

import mlopt


def _exp_model(n: int | None):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [n])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [n])
    graph = helper.make_graph([helper.make_node("Exp", ["x"], ["y"])], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def _ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs(a.view(np.int32).astype(np.int64) - b.view(np.int32).astype(np.int64))


def test_exp_within_two_ulp():
    rng = np.random.default_rng(11)
    x = np.concatenate([
        rng.uniform(-110, 90, 200_000), rng.uniform(-1, 1, 100_000), np.linspace(-104, 89, 100_001),
        np.linspace(87, 88.8, 10_001), np.linspace(-104, -86, 10_001),
    ]).astype(np.float32)
    y = mlopt.compile(_exp_model(None))(x)[0]
    with np.errstate(over="ignore"):
        ref = np.exp(x.astype(np.float64)).astype(np.float32)
    both_inf = np.isinf(ref) & np.isinf(y)
    assert np.all(np.isfinite(y) | both_inf)
    fin = np.isfinite(ref)
    assert _ulps(y[fin], ref[fin]).max() <= 2


def test_exp_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 89.0, -200.0, 1e-30], np.float32)
    y = mlopt.compile(_exp_model(len(x)))(x)[0]
    assert y[0] == 1.0 and y[1] == 1.0 and y[2] == np.inf and y[3] == 0.0
    assert np.isnan(y[4]) and np.isnan(y[5])
    assert y[6] == np.inf and y[7] == 0.0 and y[8] == 1.0


def test_vector_and_scalar_exp_agree():
    """-O3 vectorises the loop; -O1 keeps llvm.exp (libm): both are close, and
    -O3's lanes equal its scalar tail's results bit for bit."""
    x = np.random.default_rng(5).uniform(-20, 20, 1003).astype(np.float32)
    fast = mlopt.compile(_exp_model(len(x)))(x)[0]
    one_by_one = np.concatenate([mlopt.compile(_exp_model(1))(x[i : i + 1])[0] for i in range(0, 1003, 97)])
    assert fast[::97].tobytes() == one_by_one.tobytes()
    libm = mlopt.compile(_exp_model(len(x)), opt_level=1)(x)[0]
    assert _ulps(fast, libm).max() <= 2

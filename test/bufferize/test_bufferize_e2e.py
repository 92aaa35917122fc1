"""End to end: tensor-level IR -> bufferize -> convert-linalg-to-affine -> the
LLVM backend (mlopt.backends.runtime.compile_model), run on numpy data."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import mlopt
from mlopt.backends.runtime import compile_model

sys.path.insert(0, str(Path(__file__).parent))
from test_bufferize_semantics import CASES  # noqa: E402


def _compile(ir: str):
    return compile_model(mlopt.parse(ir))


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases_compiled(name: str) -> None:
    ir, inputs, ref = CASES[name]
    got = _compile(ir)(*inputs)
    want = ref(*inputs)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.asarray(w), rtol=1e-5, atol=1e-6)


def _mlp_ir(n: int, k: int, m: int) -> str:
    """relu(x @ w + b) then a row softmax-like normalisation, through temporaries."""
    return f"""
func.func @mlp(%x: tensor<{n}x{k}xf32>, %w: tensor<{k}x{m}xf32>, %b: tensor<{m}xf32>) -> (tensor<{n}x{m}xf32>, tensor<{n}xf32>) {{
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<{n}x{m}xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<{n}x{m}xf32>) -> tensor<{n}x{m}xf32>
  %mm = linalg.generic {{indexing_maps = [affine_map<(i, j, r) -> (i, r)>, affine_map<(i, j, r) -> (r, j)>, affine_map<(i, j, r) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}}
      ins(%x, %w : tensor<{n}x{k}xf32>, tensor<{k}x{m}xf32>) outs(%f : tensor<{n}x{m}xf32>) {{
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }} -> tensor<{n}x{m}xf32>
  %e2 = tensor.empty() : tensor<{n}x{m}xf32>
  %h = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}}
      ins(%mm, %b : tensor<{n}x{m}xf32>, tensor<{m}xf32>) outs(%e2 : tensor<{n}x{m}xf32>) {{
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }} -> tensor<{n}x{m}xf32>
  %e3 = tensor.empty() : tensor<{n}xf32>
  %f3 = linalg.fill ins(%z : f32) outs(%e3 : tensor<{n}xf32>) -> tensor<{n}xf32>
  %sum = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}}
      ins(%h : tensor<{n}x{m}xf32>) outs(%f3 : tensor<{n}xf32>) {{
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  }} -> tensor<{n}xf32>
  %norm = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}}
      ins(%h, %sum : tensor<{n}x{m}xf32>, tensor<{n}xf32>) outs(%h : tensor<{n}x{m}xf32>) {{
  ^bb0(%a: f32, %s: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %d = arith.addf %s, %one : f32
    %r = arith.divf %a, %d : f32
    linalg.yield %r : f32
  }} -> tensor<{n}x{m}xf32>
  func.return %norm, %sum : tensor<{n}x{m}xf32>, tensor<{n}xf32>
}}"""


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_mlp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k, m = (int(v) for v in rng.integers(1, 17, size=3))
    x = rng.standard_normal((n, k)).astype(np.float32)
    w = rng.standard_normal((k, m)).astype(np.float32)
    b = rng.standard_normal(m).astype(np.float32)
    h = np.maximum(x @ w + b, 0)
    s = h.sum(axis=1)
    got_norm, got_sum = _compile(_mlp_ir(n, k, m))(x, w, b)
    np.testing.assert_allclose(got_sum, s, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_norm, h / (s[:, None] + 1), rtol=1e-4, atol=1e-5)


def test_integer_and_bool() -> None:
    ir = """
func.func @f(%a: tensor<6xi32>, %b: tensor<6xi32>) -> (tensor<6xi32>, tensor<6xi1>, tensor<2x3xi8>) {
  %e = tensor.empty() : tensor<6xi1>
  %lt = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a, %b : tensor<6xi32>, tensor<6xi32>) outs(%e : tensor<6xi1>) {
  ^bb0(%x: i32, %y: i32, %o: i1):
    %c = arith.cmpi slt, %x, %y : i32
    linalg.yield %c : i1
  } -> tensor<6xi1>
  %e2 = tensor.empty() : tensor<6xi32>
  %mn = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%lt, %a, %b : tensor<6xi1>, tensor<6xi32>, tensor<6xi32>) outs(%e2 : tensor<6xi32>) {
  ^bb0(%c: i1, %x: i32, %y: i32, %o: i32):
    %s = arith.select %c, %x, %y : i32
    linalg.yield %s : i32
  } -> tensor<6xi32>
  %e3 = tensor.empty() : tensor<6xi8>
  %t = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%mn : tensor<6xi32>) outs(%e3 : tensor<6xi8>) {
  ^bb0(%x: i32, %o: i8):
    %s = arith.trunci %x : i32 to i8
    linalg.yield %s : i8
  } -> tensor<6xi8>
  %r = tensor.expand_shape %t [[0, 1]] output_shape [2, 3] : tensor<6xi8> into tensor<2x3xi8>
  func.return %mn, %lt, %r : tensor<6xi32>, tensor<6xi1>, tensor<2x3xi8>
}"""
    a = np.array([1, -5, 300, 7, 0, -2], np.int32)
    b = np.array([2, -6, 301, 7, -1, 9], np.int32)
    mn, lt, r = _compile(ir)(a, b)
    np.testing.assert_array_equal(mn, np.minimum(a, b))
    np.testing.assert_array_equal(lt.astype(bool), a < b)
    np.testing.assert_array_equal(r, np.minimum(a, b).astype(np.int8).reshape(2, 3))

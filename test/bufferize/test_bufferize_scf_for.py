"""bufferize of ``scf.for`` with tensor iter_args (the recurrent ops' time
loop): bufferize + convert-linalg-to-affine evaluated with xDSL's interpreter
against numpy."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import mlopt

sys.path.insert(0, str(Path(__file__).parent))
from bufferize_affine_eval import run_level_c  # noqa: E402

ID1 = "affine_map<(d0) -> (d0)>"
REV2 = "affine_map<(d0) -> (1 - d0)>"


def _run(ir: str, inputs):
    ctx = mlopt.make_context()
    module = mlopt.parse(ir, ctx)
    mlopt.run_pipeline(module, "bufferize,convert-linalg-to-affine", ctx)
    module.verify()
    text = mlopt.print_ir(module)
    assert "scf.for" not in text and "tensor<" not in text
    return run_level_c(module, inputs)


SCAN = f"""
func.func @f(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<2xf32>) {{
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %h0 = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y0 = tensor.empty() : tensor<4x2xf32>
  %r:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%y = %y0, %h = %h0) -> (tensor<4x2xf32>, tensor<2xf32>) {{
    %rt = affine.apply affine_map<(d0) -> (3 - d0)>(%t)
    %xs = tensor.extract_slice %x[%rt, 0] [1, 2] [1, 1] : tensor<4x2xf32> to tensor<1x2xf32>
    %xt = tensor.collapse_shape %xs [[0, 1]] : tensor<1x2xf32> into tensor<2xf32>
    %e2 = tensor.empty() : tensor<2xf32>
    %hn = linalg.generic {{indexing_maps = [{ID1}, {ID1}, {ID1}], iterator_types = ["parallel"]}} ins(%xt, %h : tensor<2xf32>, tensor<2xf32>) outs(%e2 : tensor<2xf32>) {{
    ^bb0(%a: f32, %b: f32, %o: f32):
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }} -> tensor<2xf32>
    %row = tensor.expand_shape %hn [[0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
    %yn = tensor.insert_slice %row into %y[%rt, 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<4x2xf32>
    scf.yield %yn, %hn : tensor<4x2xf32>, tensor<2xf32>
  }}
  func.return %r#0, %r#1 : tensor<4x2xf32>, tensor<2xf32>
}}
"""


def test_reverse_scan():
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    y, h = _run(SCAN, [x])
    np.testing.assert_allclose(y, np.cumsum(x[::-1], axis=0)[::-1])
    np.testing.assert_allclose(h, x.sum(axis=0))


COPY_IN = f"""
func.func @f(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {{
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %t = %c0 to %c3 step %c1 iter_args(%h = %a) -> (tensor<2xf32>) {{
    %e = tensor.empty() : tensor<2xf32>
    %hn = linalg.generic {{indexing_maps = [{REV2}, {ID1}, {ID1}], iterator_types = ["parallel"]}} ins(%h, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) {{
    ^bb0(%p: f32, %q: f32, %o: f32):
      %s = arith.addf %p, %q : f32
      linalg.yield %s : f32
    }} -> tensor<2xf32>
    scf.yield %hn : tensor<2xf32>
  }}
  func.return %r, %a : tensor<2xf32>, tensor<2xf32>
}}
"""


def test_init_read_after_the_loop():
    a = np.array([1, 2], np.float32)
    b = np.array([10, 100], np.float32)
    r, a2 = _run(COPY_IN, [a, b])
    h = a.copy()
    for _ in range(3):
        h = h[::-1] + b
    np.testing.assert_allclose(r, h)
    np.testing.assert_allclose(a2, a)


NESTED = f"""
func.func @f(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %y0 = tensor.empty() : tensor<3x2xf32>
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%y = %y0) -> (tensor<3x2xf32>) {{
    %xs = tensor.extract_slice %x[%i, 0] [1, 2] [1, 1] : tensor<3x2xf32> to tensor<2xf32>
    %acc = scf.for %j = %c0 to %c2 step %c1 iter_args(%v = %xs) -> (tensor<2xf32>) {{
      %e = tensor.empty() : tensor<2xf32>
      %vn = linalg.generic {{indexing_maps = [{ID1}, {ID1}], iterator_types = ["parallel"]}} ins(%v : tensor<2xf32>) outs(%e : tensor<2xf32>) {{
      ^bb0(%p: f32, %o: f32):
        %s = arith.mulf %p, %p : f32
        linalg.yield %s : f32
      }} -> tensor<2xf32>
      scf.yield %vn : tensor<2xf32>
    }}
    %yn = tensor.insert_slice %acc into %y[%i, 0] [1, 2] [1, 1] : tensor<2xf32> into tensor<3x2xf32>
    scf.yield %yn : tensor<3x2xf32>
  }}
  func.return %r : tensor<3x2xf32>
}}
"""


def test_nested_loops():
    x = np.array([[1, 2], [3, 0.5], [-1, 1.5]], np.float32)
    (y,) = _run(NESTED, [x])
    np.testing.assert_allclose(y, x.astype(np.float64) ** 4)


SWAP = f"""
func.func @f(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {{
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %t = %c0 to %c3 step %c1 iter_args(%p = %a, %q = %b) -> (tensor<2xf32>, tensor<2xf32>) {{
    %e = tensor.empty() : tensor<2xf32>
    %pn = linalg.generic {{indexing_maps = [{ID1}, {ID1}], iterator_types = ["parallel"]}} ins(%p : tensor<2xf32>) outs(%e : tensor<2xf32>) {{
    ^bb0(%x: f32, %o: f32):
      %s = arith.addf %x, %x : f32
      linalg.yield %s : f32
    }} -> tensor<2xf32>
    scf.yield %q, %pn : tensor<2xf32>, tensor<2xf32>
  }}
  func.return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}}
"""


def test_swapped_iter_args():
    """(p, q) <- (q, 2p): 2p is computed in p's buffer, which q's copy into it
    would overwrite; it goes through a temporary."""
    a = np.array([1, 2], np.float32)
    b = np.array([5, 7], np.float32)
    p, q = _run(SWAP, [a, b])
    pp, qq = a.astype(np.float64), b.astype(np.float64)
    for _ in range(3):
        pp, qq = qq, 2 * pp
    np.testing.assert_allclose(p, pp)
    np.testing.assert_allclose(q, qq)

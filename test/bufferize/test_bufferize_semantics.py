"""bufferize + convert-linalg-to-affine preserve the meaning of tensor-level IR.

Each case is run through both passes and then evaluated with xDSL's
interpreter (see bufferize_affine_eval.py) against a numpy reference.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import mlopt

sys.path.insert(0, str(Path(__file__).parent))
from bufferize_affine_eval import run_level_c  # noqa: E402

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"
ROW = "affine_map<(d0, d1) -> (d1)>"
T2 = "affine_map<(d0, d1) -> (d1, d0)>"
PAR2 = '["parallel", "parallel"]'


def _unary(src: str, dst: str, body: str, shape: str = "3x3", in_map: str = ID2) -> str:
    """A generic writing ``dst = body(src)`` into a fresh tensor.empty."""
    return f"""
  %e_{dst} = tensor.empty() : tensor<{shape}xf32>
  %{dst} = linalg.generic {{indexing_maps = [{in_map}, {ID2}], iterator_types = {PAR2}}}
      ins(%{src} : tensor<{shape}xf32>) outs(%e_{dst} : tensor<{shape}xf32>) {{
  ^bb0(%x: f32, %o: f32):
    {body}
  }} -> tensor<{shape}xf32>"""


CASES: dict[str, tuple[str, list[np.ndarray], object]] = {}


def case(name: str, ir: str, inputs: list[np.ndarray], ref) -> None:
    CASES[name] = (ir, inputs, ref)


A23 = np.arange(6, dtype=np.float32).reshape(2, 3) - 2
B3 = np.array([10, 20, 30], np.float32)
A33 = np.arange(9, dtype=np.float32).reshape(3, 3) * 0.5 - 1

case(
    "broadcast_inplace_const",
    f"""
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {{
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {{indexing_maps = [{ID2}, {ROW}, {ID2}], iterator_types = {PAR2}}}
      ins(%a, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%e : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  %c = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %r2 = linalg.generic {{indexing_maps = [{ID2}, {ROW}, {ID2}], iterator_types = {PAR2}}}
      ins(%r, %c : tensor<2x3xf32>, tensor<3xf32>) outs(%r : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  func.return %r2 : tensor<2x3xf32>
}}""",
    [A23, B3],
    lambda a, b: [(a + b) * np.array([1, 2, 3])],
)

case(
    "reduction_fill_matmul",
    """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}""",
    [A23, np.arange(12, dtype=np.float32).reshape(3, 4)],
    lambda a, b: [a @ b],
)

# The init of the transpose is its own (dead) input: writing in place would
# read already-overwritten elements, so bufferize must use another buffer.
case(
    "transpose_not_in_place",
    "func.func @f(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {"
    + _unary("a", "t", "%n = arith.negf %x : f32\n    linalg.yield %n : f32")
    + f"""
  %u = linalg.generic {{indexing_maps = [{T2}, {ID2}], iterator_types = {PAR2}}}
      ins(%t : tensor<3x3xf32>) outs(%t : tensor<3x3xf32>) {{
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }} -> tensor<3x3xf32>
  func.return %u : tensor<3x3xf32>
}}""",
    [A33],
    lambda a: [(-a).T],
)

# A chain of temporaries: buffers get reused, results stay right.
case(
    "chain_reuse",
    "func.func @f(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {"
    + _unary("a", "t1", "%n = arith.negf %x : f32\n    linalg.yield %n : f32")
    + _unary("t1", "t2", "%n = arith.mulf %x, %x : f32\n    linalg.yield %n : f32", in_map=T2)
    + _unary("t2", "t3", "%n = arith.addf %x, %x : f32\n    linalg.yield %n : f32", in_map=T2)
    + _unary("t3", "t4", "%n = arith.subf %x, %x : f32\n    %m = arith.addf %n, %x : f32\n    linalg.yield %m : f32", in_map=T2)
    + _unary("t4", "t5", "%n = arith.negf %x : f32\n    linalg.yield %n : f32")
    + """
  func.return %t5 : tensor<3x3xf32>
}""",
    [A33],
    lambda a: [-(((-a).T ** 2).T * 2).T],
)

case(
    "slices_concat",
    """
func.func @f(%a: tensor<4x6xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<8x6xf32>) {
  %s = tensor.extract_slice %a[1, 0] [2, 3] [2, 2] : tensor<4x6xf32> to tensor<2x3xf32>
  %t = tensor.extract_slice %a[2, 1] [1, 3] [1, 1] : tensor<4x6xf32> to tensor<3xf32>
  %e = tensor.empty() : tensor<8x6xf32>
  %i1 = tensor.insert_slice %a into %e[0, 0] [4, 6] [1, 1] : tensor<4x6xf32> into tensor<8x6xf32>
  %i2 = tensor.insert_slice %a into %i1[4, 0] [4, 6] [1, 1] : tensor<4x6xf32> into tensor<8x6xf32>
  func.return %s, %t, %i2 : tensor<2x3xf32>, tensor<3xf32>, tensor<8x6xf32>
}""",
    [np.arange(24, dtype=np.float32).reshape(4, 6)],
    lambda a: [a[1:4:2, 0:6:2], a[2, 1:4], np.concatenate([a, a])],
)

# insert into a tensor that is still needed afterwards: must copy first.
case(
    "insert_slice_keeps_dest",
    """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %e = tensor.empty() : tensor<2x3xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.negf %x : f32
    linalg.yield %y : f32
  } -> tensor<2x3xf32>
  %i = tensor.insert_slice %b into %n[1, 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<2x3xf32>
  %j = tensor.insert_slice %b into %a[0, 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<2x3xf32>
  func.return %n, %i : tensor<2x3xf32>, tensor<2x3xf32>
}""",
    [A23, B3],
    lambda a, b: [-a, np.stack([-a[0], b])],
)

case(
    "reshape_views_and_out_param",
    """
func.func @f(%a: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<2x12xf32>) {
  %e = tensor.empty() : tensor<2x3x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<2x3x4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.negf %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3x4xf32>
  %c = tensor.collapse_shape %r [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  %f = tensor.collapse_shape %a [[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
  %g = tensor.expand_shape %f [[0, 1]] output_shape [2, 12] : tensor<24xf32> into tensor<2x12xf32>
  func.return %c, %g : tensor<6x4xf32>, tensor<2x12xf32>
}""",
    [np.arange(24, dtype=np.float32).reshape(2, 3, 4)],
    lambda a: [-a.reshape(6, 4), a.reshape(2, 12)],
)

case(
    "gather_extract_index",
    """
func.func @f(%a: tensor<5xf32>, %idx: tensor<3xi64>) -> (tensor<3xf32>, tensor<3xf32>) {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%idx : tensor<3xi64>) outs(%e : tensor<3xf32>) {
  ^bb0(%i: i64, %o: f32):
    %ii = arith.index_cast %i : i64 to index
    %v = tensor.extract %a[%ii] : tensor<5xf32>
    %d = linalg.index 0 : index
    %di = arith.index_cast %d : index to i64
    %df = arith.sitofp %di : i64 to f32
    %w = arith.addf %v, %df : f32
    linalg.yield %w : f32
  } -> tensor<3xf32>
  %c1 = arith.constant 1 : index
  %s = tensor.extract %r[%c1] : tensor<3xf32>
  %f = linalg.fill ins(%s : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  func.return %r, %f : tensor<3xf32>, tensor<3xf32>
}""",
    [np.array([1, 2, 3, 4, 5], np.float32), np.array([4, 0, 2], np.int64)],
    lambda a, i: [a[i] + np.arange(3), np.full(3, a[i[1]] + 1)],
)

case(
    "return_input_and_twice",
    """
func.func @f(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : tensor<3xf32>) outs(%e : tensor<3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<3xf32>
  func.return %a, %r, %r : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}""",
    [B3],
    lambda a: [a, 2 * a, 2 * a],
)

case(
    "rank0_sum",
    """
func.func @f(%a: tensor<4xf32>) -> tensor<f32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<f32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<f32>) -> tensor<f32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%a : tensor<4xf32>) outs(%f : tensor<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %x, %acc : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  func.return %r : tensor<f32>
}""",
    [np.array([1, 2, 3, 4.5], np.float32)],
    lambda a: [np.array(a.sum())],
)


@pytest.mark.parametrize("name", sorted(CASES))
def test_semantics(name: str) -> None:
    ir, inputs, ref = CASES[name]
    ctx = mlopt.make_context()
    module = mlopt.parse(ir, ctx)
    mlopt.run_pipeline(module, "bufferize,convert-linalg-to-affine", ctx)
    module.verify()
    text = mlopt.print_ir(module)
    assert "tensor<" not in text.split("memref.global")[-1].split("func.func")[-1]
    assert "linalg." not in text
    got = run_level_c(module, inputs)
    want = ref(*inputs)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, np.asarray(w, dtype=np.float64), rtol=1e-6)


def test_inputs_never_written() -> None:
    ir, inputs, _ = CASES["insert_slice_keeps_dest"]
    module = mlopt.parse(ir)
    mlopt.run_pipeline(module, "bufferize,convert-linalg-to-affine")
    from xdsl.dialects import affine, func

    fn = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    n_in = fn.attributes["mlopt.num_inputs"].value.data
    inputs_args = set(fn.body.block.args[:n_in])
    written = {op.memref for op in fn.walk() if isinstance(op, affine.StoreOp)}
    assert not (written & inputs_args)

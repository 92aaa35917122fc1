// RUN: not mlopt %s -p 'linalg-contraction-to-vector{vector-width=8 registers=16}' 2>&1 | filecheck %s

// A hand-written register tile must be three positive sizes: one clear error
// at the op (exit status 1), not an internal error.
// CHECK: plan-errors.mlir:[[# @LINE + 5]]:3: error: mlopt.register_tile must be array<i64: MR, NV, V> of positive sizes, got (4, 0, 8)
// CHECK-NOT: internal error
func.func @zero_vectors(%a: memref<12x64xf32>, %b: memref<64x32xf32>, %c: memref<12x32xf32>) {
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<12x64xf32>, memref<64x32xf32>) outs(%c : memref<12x32xf32>) attrs = {mlopt.register_tile = array<i64: 4, 0, 8>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

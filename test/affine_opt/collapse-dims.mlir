// RUN: mlopt %s --split-input-file -p linalg-collapse-dims | filecheck %s

// Elementwise on 1xCxHxW with a per-channel operand: the unit N loop is
// dropped and H, W merge into one loop; the result is expanded back.
// CHECK-LABEL: func.func @bias_relu
// CHECK:         %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : tensor<1x3x4x5xf32> into tensor<1x3x20xf32>
// CHECK-NEXT:    %[[O:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] : tensor<1x3x4x5xf32> into tensor<1x3x20xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (0, d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %{{.*}} : tensor<1x3x20xf32>, tensor<3xf32>) outs(%[[O]] : tensor<1x3x20xf32>)
// CHECK:         %[[E:.*]] = tensor.expand_shape %[[R]] {{\[}}[0 : i64], [1 : i64], [2 : i64, 3 : i64]] output_shape [1, 3, 4, 5] : tensor<1x3x20xf32> into tensor<1x3x4x5xf32>
// CHECK-NEXT:    func.return %[[E]]
func.func @bias_relu(%x: tensor<1x3x4x5xf32>, %b: tensor<3xf32>) -> tensor<1x3x4x5xf32> {
  %e = tensor.empty() : tensor<1x3x4x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<1x3x4x5xf32>, tensor<3xf32>) outs(%e : tensor<1x3x4x5xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    %z = arith.constant 0.000000e+00 : f32
    %m = arith.maximumf %s, %z : f32
    linalg.yield %m : f32
  } -> tensor<1x3x4x5xf32>
  func.return %r : tensor<1x3x4x5xf32>
}

// -----

// A 1x1 convolution: kh = kw = 1 loops dropped, H*W merged.
// CHECK-LABEL: func.func @conv1x1
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (0, d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d2, 0, 0)>, affine_map<(d0, d1, d2) -> (0, d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x8x36xf32>, tensor<4x8x1x1xf32>) outs(%{{.*}} : tensor<1x4x36xf32>)
func.func @conv1x1(%x: tensor<1x8x6x6xf32>, %w: tensor<4x8x1x1xf32>, %o: tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, d2 + d5, d3 + d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x8x6x6xf32>, tensor<4x8x1x1xf32>) outs(%o : tensor<1x4x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x4x6x6xf32>
  func.return %r : tensor<1x4x6x6xf32>
}

// -----

// linalg.index of a merged loop blocks the merge; of a unit loop it becomes 0.
// CHECK-LABEL: func.func @indexed
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d0, d1)>, affine_map<(d0, d1) -> (0, d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK:           %[[Z:.*]] = arith.constant 0 : index
// CHECK:           linalg.index 1 : index
func.func @indexed(%x: tensor<1x4x5xi64>) -> tensor<1x4x5xi64> {
  %e = tensor.empty() : tensor<1x4x5xi64>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x5xi64>) outs(%e : tensor<1x4x5xi64>) {
  ^bb0(%p: i64, %o: i64):
    %i0 = linalg.index 0 : index
    %i2 = linalg.index 2 : index
    %s = arith.addi %i0, %i2 : index
    %c = arith.index_cast %s : index to i64
    %t = arith.addi %p, %c : i64
    linalg.yield %t : i64
  } -> tensor<1x4x5xi64>
  func.return %r : tensor<1x4x5xi64>
}

// -----

// Matmul and a transpose: nothing to merge, no unit loops: unchanged.
// CHECK-LABEL: func.func @unchanged
// CHECK-NOT:     collapse_shape
// CHECK:         iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         iterator_types = ["parallel", "parallel"]
func.func @unchanged(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>, %t: tensor<16x4xf32>) -> (tensor<4x16xf32>, tensor<16x4xf32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  %u = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%r : tensor<4x16xf32>) outs(%t : tensor<16x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<16x4xf32>
  func.return %r, %u : tensor<4x16xf32>, tensor<16x4xf32>
}

// RUN: mlopt %s --split-input-file -p bufferize | filecheck %s

// A returned collapse_shape of a fresh buffer: the buffer becomes the
// expand_shape view of the out-param, so the producer writes the result.
// CHECK-LABEL: func.func @collapse_result
// CHECK-SAME:    (%[[A:.*]]: memref<2x3x4xf32>, %[[OUT:.*]]: memref<6x4xf32>)
// CHECK-NEXT:    %[[V:.*]] = memref.expand_shape %[[OUT]] {{\[}}[0 : i64, 1 : i64], [2 : i64]] output_shape [2, 3, 4] : memref<6x4xf32> into memref<2x3x4xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[A]] : memref<2x3x4xf32>) outs(%[[V]] : memref<2x3x4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     memref.copy
func.func @collapse_result(%a: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %e = tensor.empty() : tensor<2x3x4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%a : tensor<2x3x4xf32>) outs(%e : tensor<2x3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.negf %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3x4xf32>
  %c = tensor.collapse_shape %r [[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
  func.return %c : tensor<6x4xf32>
}

// -----

// Reshapes of an input are views of it.
// CHECK-LABEL: func.func @reshape_input
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<3x2xf32>)
// CHECK-NEXT:    %[[F:.*]] = memref.collapse_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] : memref<2x3xf32> into memref<6xf32>
// CHECK-NEXT:    %[[G:.*]] = memref.expand_shape %[[F]] {{\[}}[0 : i64, 1 : i64]] output_shape [3, 2] : memref<6xf32> into memref<3x2xf32>
// CHECK-NEXT:    "memref.copy"(%[[G]], %[[OUT]])
func.func @reshape_input(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %f = tensor.collapse_shape %a [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %g = tensor.expand_shape %f [[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
  func.return %g : tensor<3x2xf32>
}

// -----

// tensor.extract, at top level and inside a body (a gather), loads from the buffer.
// CHECK-LABEL: func.func @gather
// CHECK-SAME:    (%[[A:.*]]: memref<5xf32>, %[[I:.*]]: memref<3xi64>, %[[O0:.*]]: memref<3xf32>, %[[O1:.*]]: memref<3xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[I]] : memref<3xi64>) outs(%[[O0]] : memref<3xf32>)
// CHECK:           %[[II:.*]] = arith.index_cast
// CHECK-NEXT:      %{{.*}} = memref.load %[[A]][%[[II]]] : memref<5xf32>
// CHECK:         %[[S:.*]] = memref.load %[[O0]][%{{.*}}] : memref<3xf32>
// CHECK-NEXT:    linalg.fill ins(%[[S]] : f32) outs(%[[O1]] : memref<3xf32>)
func.func @gather(%a: tensor<5xf32>, %idx: tensor<3xi64>) -> (tensor<3xf32>, tensor<3xf32>) {
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%idx : tensor<3xi64>) outs(%e : tensor<3xf32>) {
  ^bb0(%i: i64, %o: f32):
    %ii = arith.index_cast %i : i64 to index
    %v = tensor.extract %a[%ii] : tensor<5xf32>
    linalg.yield %v : f32
  } -> tensor<3xf32>
  %c1 = arith.constant 1 : index
  %s = tensor.extract %r[%c1] : tensor<3xf32>
  %e2 = tensor.empty() : tensor<3xf32>
  %f = linalg.fill ins(%s : f32) outs(%e2 : tensor<3xf32>) -> tensor<3xf32>
  func.return %r, %f : tensor<3xf32>, tensor<3xf32>
}

// RUN: mlopt %s --split-input-file -p bufferize | filecheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// The init %t has no later use: the second generic writes into its buffer
// (reading the same element it writes is fine).
// CHECK-LABEL: func.func @reuse_dead_init
// CHECK-SAME:    (%[[A:.*]]: memref<3x3xf32>, %[[OUT:.*]]: memref<3x3xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic {{.*}} ins(%[[A]] : memref<3x3xf32>) outs(%[[OUT]] : memref<3x3xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[OUT]] : memref<3x3xf32>) outs(%[[OUT]] : memref<3x3xf32>)
func.func @reuse_dead_init(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %e = tensor.empty() : tensor<3x3xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<3x3xf32>) outs(%e : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<3x3xf32>
  %u = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<3x3xf32>) outs(%t : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.mulf %x, %x : f32
    linalg.yield %n : f32
  } -> tensor<3x3xf32>
  func.return %u : tensor<3x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// A transpose reading its own init at other indices must not run in place.
// CHECK-LABEL: func.func @transpose_same_buffer
// CHECK-SAME:    (%[[A:.*]]: memref<3x3xf32>, %[[OUT:.*]]: memref<3x3xf32>)
// CHECK:         %[[T:.*]] = memref.alloc() : memref<3x3xf32>
// CHECK:         linalg.generic {{.*}} outs(%[[T]] : memref<3x3xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[T]] : memref<3x3xf32>) outs(%[[OUT]] : memref<3x3xf32>)
// CHECK-NEXT:      ^bb
// CHECK-NEXT:      linalg.yield
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.dealloc %[[T]] : memref<3x3xf32>
func.func @transpose_same_buffer(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %e = tensor.empty() : tensor<3x3xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<3x3xf32>) outs(%e : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<3x3xf32>
  %u = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<3x3xf32>) outs(%t : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<3x3xf32>
  func.return %u : tensor<3x3xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// An input used as init is never written: the result gets its own buffer,
// and the init is copied only because the body reads it.
// CHECK-LABEL: func.func @input_init
// CHECK-SAME:    (%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>, %[[O0:.*]]: memref<4xf32>, %[[O1:.*]]: memref<4xf32>)
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[O0]])
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[B]] : memref<4xf32>) outs(%[[O0]] : memref<4xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[B]] : memref<4xf32>) outs(%[[O1]] : memref<4xf32>)
// CHECK-NOT:     memref.copy
func.func @input_init(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%b : tensor<4xf32>) outs(%a : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%b : tensor<4xf32>) outs(%a : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<4xf32>
  func.return %r, %q : tensor<4xf32>, tensor<4xf32>
}

// -----

// A buffer whose alias (a reshape view) is still live is not overwritten.
// CHECK-LABEL: func.func @live_alias
// CHECK-SAME:    (%[[A:.*]]: memref<2x2xf32>, %[[O0:.*]]: memref<2x2xf32>, %[[O1:.*]]: memref<4xf32>)
// CHECK:         linalg.generic {{.*}} outs(%[[V:.*]] : memref<2x2xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[V]] : memref<2x2xf32>) outs(%[[O0]] : memref<2x2xf32>)
func.func @live_alias(%a: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<2x2xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<2x2xf32>
  %flat = tensor.collapse_shape %t [[0, 1]] : tensor<2x2xf32> into tensor<4xf32>
  %u = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<2x2xf32>) outs(%t : tensor<2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.mulf %x, %x : f32
    linalg.yield %n : f32
  } -> tensor<2x2xf32>
  func.return %u, %flat : tensor<2x2xf32>, tensor<4xf32>
}

// RUN: mlopt %s --split-input-file -p 'bufferize{report=true}' 2>%t.err | filecheck %s
// RUN: filecheck %s --check-prefix=REPORT < %t.err

// REPORT: bufferize: peak temporary memory 72 bytes
// REPORT: bufferize: peak temporary memory 96 bytes
// REPORT: bufferize: peak temporary memory 0 bytes

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// Four temporaries in a chain of transposes need only two buffers: the third
// reuses the first (dead by then); each is deallocated right after its last
// use; allocations are placed just before their first use; the final
// elementwise op runs in place in the out-param.
// CHECK:       builtin.module attributes {mlopt.peak_temp_bytes = 72 : i64}
// CHECK-LABEL: func.func @chain
// CHECK-SAME:    (%[[A:.*]]: memref<3x3xf32>, %[[OUT:.*]]: memref<3x3xf32>)
// CHECK-NEXT:    %[[B0:.*]] = memref.alloc() : memref<3x3xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[A]] : memref<3x3xf32>) outs(%[[B0]] : memref<3x3xf32>)
// CHECK:         %[[B1:.*]] = memref.alloc() : memref<3x3xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[B0]] : memref<3x3xf32>) outs(%[[B1]] : memref<3x3xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic {{.*}} ins(%[[B1]] : memref<3x3xf32>) outs(%[[B0]] : memref<3x3xf32>)
// CHECK:         }
// CHECK-NEXT:    memref.dealloc %[[B1]] : memref<3x3xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[B0]] : memref<3x3xf32>) outs(%[[OUT]] : memref<3x3xf32>)
// CHECK:         }
// CHECK-NEXT:    memref.dealloc %[[B0]] : memref<3x3xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[OUT]] : memref<3x3xf32>) outs(%[[OUT]] : memref<3x3xf32>)
// CHECK:         }
// CHECK-NEXT:    func.return
func.func @chain(%a: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %e1 = tensor.empty() : tensor<3x3xf32>
  %e2 = tensor.empty() : tensor<3x3xf32>
  %e3 = tensor.empty() : tensor<3x3xf32>
  %e4 = tensor.empty() : tensor<3x3xf32>
  %e5 = tensor.empty() : tensor<3x3xf32>
  %t1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<3x3xf32>) outs(%e1 : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<3x3xf32>
  %t2 = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%t1 : tensor<3x3xf32>) outs(%e2 : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<3x3xf32>
  %t3 = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%t2 : tensor<3x3xf32>) outs(%e3 : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<3x3xf32>
  %t4 = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%t3 : tensor<3x3xf32>) outs(%e4 : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<3x3xf32>
  %t5 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t4 : tensor<3x3xf32>) outs(%e5 : tensor<3x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<3x3xf32>
  func.return %t5 : tensor<3x3xf32>
}

// -----

// A dead buffer of the same element count but another shape is reused
// through a collapse/expand view. Peak: 2x6 + 6x2 floats.
// CHECK:       builtin.module attributes {mlopt.peak_temp_bytes = 96 : i64}
// CHECK-LABEL: func.func @reshaped_reuse
// CHECK-SAME:    (%[[A:.*]]: memref<2x6xf32>, %[[OUT:.*]]: memref<3x4xf32>)
// CHECK-NEXT:    %[[B0:.*]] = memref.alloc() : memref<2x6xf32>
// CHECK-NEXT:    linalg.generic {{.*}} outs(%[[B0]] : memref<2x6xf32>)
// CHECK:         %[[B1:.*]] = memref.alloc() : memref<6x2xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[B0]] : memref<2x6xf32>) outs(%[[B1]] : memref<6x2xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         %[[F:.*]] = memref.collapse_shape %[[B0]] {{\[}}[0 : i64, 1 : i64]] : memref<2x6xf32> into memref<12xf32>
// CHECK-NEXT:    %[[V:.*]] = memref.expand_shape %[[F]] {{\[}}[0 : i64, 1 : i64]] output_shape [4, 3] : memref<12xf32> into memref<4x3xf32>
// CHECK-NEXT:    linalg.generic {{.*}} outs(%[[V]] : memref<4x3xf32>)
// CHECK:         memref.dealloc %[[B1]]
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[V]] : memref<4x3xf32>) outs(%[[OUT]] : memref<3x4xf32>)
// CHECK:         memref.dealloc %[[B0]]
// CHECK-NEXT:    func.return
func.func @reshaped_reuse(%a: tensor<2x6xf32>) -> tensor<3x4xf32> {
  %e1 = tensor.empty() : tensor<2x6xf32>
  %t1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x6xf32>) outs(%e1 : tensor<2x6xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<2x6xf32>
  %e2 = tensor.empty() : tensor<6x2xf32>
  %t2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t1 : tensor<2x6xf32>) outs(%e2 : tensor<6x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<6x2xf32>
  %c = tensor.collapse_shape %t2 [[0, 1]] : tensor<6x2xf32> into tensor<12xf32>
  %x3 = tensor.expand_shape %c [[0, 1]] output_shape [3, 4] : tensor<12xf32> into tensor<3x4xf32>
  %e3 = tensor.empty() : tensor<4x3xf32>
  %t3 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x3 : tensor<3x4xf32>) outs(%e3 : tensor<4x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<4x3xf32>
  %e4 = tensor.empty() : tensor<3x4xf32>
  %t4 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t3 : tensor<4x3xf32>) outs(%e4 : tensor<3x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<3x4xf32>
  func.return %t4 : tensor<3x4xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// An elementwise op whose init content is unused writes over an input that
// dies there (same indexing map): the whole chain runs in the out-param and
// needs no temporary at all.
// CHECK:       builtin.module attributes {mlopt.peak_temp_bytes = 0 : i64}
// CHECK-LABEL: func.func @elementwise_chain
// CHECK-SAME:    (%[[A:.*]]: memref<4x4xf32>, %[[OUT:.*]]: memref<4x4xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic {{.*}} ins(%[[A]], %[[A]] : memref<4x4xf32>, memref<4x4xf32>) outs(%[[OUT]] : memref<4x4xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[OUT]] : memref<4x4xf32>) outs(%[[OUT]] : memref<4x4xf32>)
// CHECK:         linalg.generic {{.*}} ins(%[[OUT]], %[[A]] : memref<4x4xf32>, memref<4x4xf32>) outs(%[[OUT]] : memref<4x4xf32>)
// CHECK-NOT:     memref.dealloc
func.func @elementwise_chain(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %e1 = tensor.empty() : tensor<4x4xf32>
  %t1 = linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1, d0)>, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e1 : tensor<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %n = arith.addf %x, %y : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  %e2 = tensor.empty() : tensor<4x4xf32>
  %t2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t1 : tensor<4x4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.mulf %x, %x : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  %e3 = tensor.empty() : tensor<4x4xf32>
  %t3 = linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1, d0)>, #id], iterator_types = ["parallel", "parallel"]} ins(%t2, %a : tensor<4x4xf32>, tensor<4x4xf32>) outs(%e3 : tensor<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %n = arith.subf %x, %y : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  func.return %t3 : tensor<4x4xf32>
}

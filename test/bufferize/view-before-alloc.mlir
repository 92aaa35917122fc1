// An allocation is placed before its first user, and the collapse/expand
// views of it move with it: a view created before that user (here the
// collapsed init of a generic, as linalg-collapse-dims makes them) must not
// end up above its allocation. (xDSL does not check dominance; upstream
// MLIR rejected mlopt's affine level of the light models with "operand #0
// does not dominate this use".)
// RUN: mlopt %s -p bufferize | filecheck %s

#id1 = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// CHECK-LABEL: func.func @f
// CHECK-NOT:     memref.collapse_shape
// CHECK:         linalg.generic
// CHECK-NOT:     memref.collapse_shape
// CHECK:         %[[T:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    %[[V:.*]] = memref.collapse_shape %[[T]] {{.*}} : memref<2x3xf32> into memref<6xf32>
// CHECK-NEXT:    linalg.generic {{.*}} outs(%[[V]] : memref<6xf32>)
// CHECK:         %[[E:.*]] = memref.expand_shape %[[V]]
// CHECK:         linalg.generic {{.*}} ins(%[[E]], %{{.*}} : memref<2x3xf32>, memref<2x3xf32>)
func.func @f(%x: tensor<6xf32>, %y: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %c = tensor.collapse_shape %e [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<2x3xf32>) outs(%y : tensor<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%x : tensor<6xf32>) outs(%c : tensor<6xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<6xf32>
  %t = tensor.expand_shape %r [[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %u = linalg.generic {indexing_maps = [#tr, #tr, #id2], iterator_types = ["parallel", "parallel"]} ins(%t, %s : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e2 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  func.return %u : tensor<3x2xf32>
}

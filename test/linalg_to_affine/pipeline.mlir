// RUN: mlopt %s -p 'bufferize,convert-linalg-to-affine' | filecheck %s

// Both passes together produce contract level C: only memref/affine/arith ops.
// CHECK:       builtin.module attributes {mlopt.peak_temp_bytes = 8 : i64}
// CHECK-LABEL: func.func @softmax_like
// CHECK-SAME:    (%[[X:.*]]: memref<2x4xf32>, %[[O:.*]]: memref<2x4xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64}
// CHECK-NOT:     linalg.
// CHECK-NOT:     tensor.
// CHECK:         %[[S:.*]] = memref.alloc() : memref<2xf32>
// CHECK:         affine.store %{{.*}}, %[[S]][%{{.*}}] : memref<2xf32>
// CHECK:         affine.for
// CHECK:         affine.load %[[S]]
// CHECK:         affine.store %{{.*}}, %[[O]]
// CHECK:         memref.dealloc %[[S]] : memref<2xf32>
// CHECK-NEXT:    func.return
func.func @softmax_like(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x4xf32>) outs(%f : tensor<2xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %ex = math.exp %a : f32
    %r = arith.addf %ex, %acc : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  %e2 = tensor.empty() : tensor<2x4xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<2x4xf32>, tensor<2xf32>) outs(%e2 : tensor<2x4xf32>) {
  ^bb0(%a: f32, %d: f32, %o: f32):
    %ex = math.exp %a : f32
    %r = arith.divf %ex, %d : f32
    linalg.yield %r : f32
  } -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

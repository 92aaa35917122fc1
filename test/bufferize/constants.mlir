// RUN: mlopt %s --split-input-file -p bufferize | filecheck %s

// Dense constants become private constant globals (identical ones shared) read
// through memref.get_global; scalar constants stay.
// CHECK:       "memref.global"() <{sym_name = "__constant_0", type = memref<3xf32>, initial_value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>, sym_visibility = "private", constant}>
// CHECK-NOT:   "memref.global"
// CHECK-LABEL: func.func @weights
// CHECK:         %[[W:.*]] = memref.get_global @__constant_0 : memref<3xf32>
// CHECK-NEXT:    %[[W2:.*]] = memref.get_global @__constant_0 : memref<3xf32>
// CHECK-NEXT:    arith.constant 0.000000e+00 : f32
// CHECK:         ins(%{{.*}}, %[[W]] : memref<3xf32>, memref<3xf32>)
// CHECK:         "memref.copy"(%[[W2]], %{{.*}})
func.func @weights(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %w = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %w : tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %t = arith.addf %s, %z : f32
    linalg.yield %t : f32
  } -> tensor<3xf32>
  func.return %r, %w2 : tensor<3xf32>, tensor<3xf32>
}

// -----

// A constant used as the init of a reduction is never written: the result
// goes to a new buffer (here the out-param) initialised by a copy.
// CHECK:       "memref.global"() <{sym_name = "__constant_0", type = memref<2xi32>, initial_value = dense<[5, 7]> : tensor<2xi32>
// CHECK-LABEL: func.func @const_init
// CHECK-SAME:    (%[[X:.*]]: memref<2x4xi32>, %[[OUT:.*]]: memref<2xi32>)
// CHECK:         %[[C:.*]] = memref.get_global @__constant_0 : memref<2xi32>
// CHECK-NEXT:    "memref.copy"(%[[C]], %[[OUT]])
// CHECK-NEXT:    linalg.generic {{.*}} outs(%[[OUT]] : memref<2xi32>)
func.func @const_init(%x: tensor<2x4xi32>) -> tensor<2xi32> {
  %c = arith.constant dense<[5, 7]> : tensor<2xi32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x4xi32>) outs(%c : tensor<2xi32>) {
  ^bb0(%a: i32, %acc: i32):
    %s = arith.addi %a, %acc : i32
    linalg.yield %s : i32
  } -> tensor<2xi32>
  func.return %r : tensor<2xi32>
}

// -----

// A symbol name already taken is skipped.
// CHECK: "memref.global"() <{sym_name = "__constant_1", type = memref<2xf32>
// CHECK-LABEL: func.func private @__constant_0
func.func private @__constant_0()
func.func @taken(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<[5.0, 7.0]> : tensor<2xf32>
  func.return %c : tensor<2xf32>
}

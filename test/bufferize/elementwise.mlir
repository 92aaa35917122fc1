// RUN: mlopt %s --split-input-file -p bufferize | filecheck %s

// The result tensor is produced straight into the out-param: no alloc, no copy.
// CHECK-LABEL: func.func @add
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32>)
// CHECK-SAME:    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64}
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[B]] : memref<2x3xf32>, memref<2x3xf32>) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK:           arith.addf
// CHECK-NOT:     memref.copy
// CHECK:         func.return{{$}}
func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// -----

// Scalar arguments stay, results become trailing out-params in order; the
// ONNX names of inputs and outputs move onto the arguments.
// CHECK-LABEL: func.func @two_results
// CHECK-SAME:    (%{{.*}}: memref<4xf32> {onnx.name = "x"}, %{{.*}}: f32 {onnx.name = "s"}, %[[O0:.*]]: memref<4xf32> {onnx.name = "y"}, %[[O1:.*]]: memref<4xf32> {onnx.name = "z"})
// CHECK-SAME:    mlopt.num_inputs = 2 : i64
// CHECK:         outs(%[[O0]] : memref<4xf32>)
// CHECK:         outs(%[[O1]] : memref<4xf32>)
func.func @two_results(%a: tensor<4xf32> {onnx.name = "x"}, %s: f32 {onnx.name = "s"}) -> (tensor<4xf32> {onnx.name = "y"}, tensor<4xf32> {onnx.name = "z"}) {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %s : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%r : tensor<4xf32>) outs(%e2 : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.addf %x, %s : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  func.return %r, %q : tensor<4xf32>, tensor<4xf32>
}

// -----

// Returning an input (or the same value twice) copies into the out-param.
// CHECK-LABEL: func.func @passthrough
// CHECK-SAME:    (%[[A:.*]]: memref<3xf32>, %[[O0:.*]]: memref<3xf32>, %[[O1:.*]]: memref<3xf32>)
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[O0]])
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[O1]])
// CHECK-NEXT:    func.return
func.func @passthrough(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  func.return %a, %a : tensor<3xf32>, tensor<3xf32>
}

// -----

// Only public functions are entry points.
// CHECK-LABEL: func.func private @helper
// CHECK-NOT:     mlopt.entry
// CHECK-SAME:    {
func.func private @helper(%a: tensor<3xf32>) -> tensor<3xf32> {
  func.return %a : tensor<3xf32>
}

// -----

// A function already at the memref level is left as it is.
// CHECK-LABEL: func.func @done
// CHECK-SAME:    (%[[A:.*]]: memref<4xf32>, %[[O:.*]]: memref<4xf32>) {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[T]])
// CHECK-NEXT:    "memref.copy"(%[[T]], %[[O]])
// CHECK-NEXT:    memref.dealloc %[[T]] : memref<4xf32>
// CHECK-NEXT:    func.return
func.func @done(%a: memref<4xf32>, %o: memref<4xf32>) {
  %t = memref.alloc() : memref<4xf32>
  "memref.copy"(%a, %t) : (memref<4xf32>, memref<4xf32>) -> ()
  "memref.copy"(%t, %o) : (memref<4xf32>, memref<4xf32>) -> ()
  memref.dealloc %t : memref<4xf32>
  func.return
}

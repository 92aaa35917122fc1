// RUN: not mlopt %s --split-input-file -p convert-onnx-to-tensor 2>&1 | filecheck %s
// The plugin's ONNX lowering reports what it cannot handle as a clean error.

// CHECK: onnx_lowering_errors.mlir:[[# @LINE + 3]]:3: error: 'toy.Scale': needs a static result shape, got tensor<?x3xf32>
// CHECK-NOT: Traceback
func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  func.return %y : tensor<?x3xf32>
}

// -----

// An unknown result shape (a custom op ONNX cannot infer), named by node.
// CHECK: onnx_lowering_errors.mlir:[[# @LINE + 3]]:3: error: 'toy.Scale' (node 'scale0'): needs a static result shape, got tensor<*xf32> (ONNX cannot infer it: give the model a value_info for this output)
// CHECK-NOT: Traceback
func.func @unranked(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %y = "toy.Scale"(%x) {factor = 2.5 : f32, onnx_node_name = "scale0"} : (tensor<2x3xf32>) -> tensor<*xf32>
  func.return %y : tensor<*xf32>
}

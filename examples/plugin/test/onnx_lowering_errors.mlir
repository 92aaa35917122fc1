// RUN: not mlopt %s -p convert-onnx-to-tensor 2>&1 | filecheck %s
// The plugin's lowering reports an unsupported case as a clean error.

// CHECK: onnx_lowering_errors.mlir:[[# @LINE + 3]]:3: error: 'toy.Scale': needs a static shape, got tensor<?x3xf32>
// CHECK-NOT: Traceback
func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  func.return %y : tensor<?x3xf32>
}

// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor{node-names=true},bufferize,linalg-contraction-to-vector{min-macs=1},convert-linalg-to-affine,profile-nodes' | filecheck %s
// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor{node-names=true},bufferize,convert-linalg-to-affine,profile-nodes' | filecheck %s --check-prefix=LOOPS

// A contraction kernel names the nodes of the contraction, of its init (the
// bias broadcast) and of the epilogue it absorbs (Relu): one group, timed as one.
// CHECK: func.func @g
// CHECK-SAME: mlopt.profile = {{\[}}{{\[}}["mm", "MatMul"], ["bias", "Add"], ["act", "Relu"]]]}
// CHECK-COUNT-2: func.call @mlopt_profile_stamp
// CHECK: affine.for
// CHECK-COUNT-2: func.call @mlopt_profile_stamp
// CHECK-NEXT: func.return

// Without the kernels stage the Gemm (bias init + contraction loops) and the
// Relu nest are two groups.
// LOOPS: mlopt.profile = {{\[}}{{\[}}["mm", "MatMul"], ["bias", "Add"]], {{\[}}["act", "Relu"]]]}
func.func @g(%x: tensor<4x8xf32> {onnx.name = "x"}) -> tensor<4x8xf32> attributes {onnx.output_names = ["z"]} {
  %w = "onnx.Constant"() {value = dense<0.5> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "onnx.Constant"() {value = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %m = "onnx.MatMul"(%x, %w) {onnx_node_name = "mm"} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a = "onnx.Add"(%m, %b) {onnx_node_name = "bias"} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r = "onnx.Relu"(%a) {onnx_node_name = "act"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  func.return %r : tensor<4x8xf32>
}

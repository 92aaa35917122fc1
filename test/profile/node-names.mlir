// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor{node-names=true}' | filecheck %s
// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor{node-names=true},linalg-fuse-elementwise' | filecheck %s --check-prefix=FUSED
// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor{node-names=true},linalg-fuse-elementwise,bufferize,linalg-contraction-to-vector{min-macs=1},convert-linalg-to-affine,profile-nodes' | filecheck %s --check-prefix=PROF
// RUN: mlopt %s -p 'onnx-canonicalize,convert-onnx-to-tensor' | filecheck %s --check-prefix=OFF

// node-names=true: each op lowering a node carries mlopt.nodes = [[name, op type]].
// MatMul+Add became one Gemm in onnx-canonicalize, which names both nodes; an
// unnamed node is called <op type>_<n>.
// CHECK: linalg.generic {{.*}} outs(%{{\w+}} : tensor<4x8xf32>) attrs = {{ *}}{mlopt.nodes = {{\[}}["mm", "MatMul"], ["bias", "Add"]]}
// CHECK: linalg.generic {{.*}} ins(%x, %w : {{.*}} attrs = {{ *}}{mlopt.nodes = {{\[}}["mm", "MatMul"], ["bias", "Add"]]}
// CHECK: linalg.generic {{.*}} attrs = {{ *}}{mlopt.nodes = {{\[}}["act", "Relu"]]}
// CHECK: linalg.generic {{.*}} attrs = {{ *}}{mlopt.nodes = {{\[}}["Neg_0", "Neg"]]}
// CHECK: linalg.generic {{.*}} attrs = {{ *}}{mlopt.nodes = {{\[}}["sig", "Sigmoid"]]}

// linalg-fuse-elementwise: the fused generic names every node it covers, in order.
// FUSED: linalg.generic {{.*}} attrs = {{ *}}{mlopt.nodes = {{\[}}["act", "Relu"], ["Neg_0", "Neg"], ["sig", "Sigmoid"]]}

// Down to the affine level (bufferize, the contraction kernel, linalg-to-affine
// carry the names): one group for the kernel, one for the fused elementwise nest.
// PROF: func.func @g
// PROF-SAME: mlopt.profile = {{\[}}{{\[}}["mm", "MatMul"], ["bias", "Add"]], {{\[}}["act", "Relu"], ["Neg_0", "Neg"], ["sig", "Sigmoid"]]]
// PROF-NOT: mlopt.nodes

// Without the option nothing is tagged.
// OFF-NOT: mlopt.nodes
func.func @g(%x: tensor<4x8xf32> {onnx.name = "x"}) -> tensor<4x8xf32> attributes {onnx.output_names = ["z"]} {
  %w = "onnx.Constant"() {value = dense<0.5> : tensor<8x8xf32>} : () -> tensor<8x8xf32>
  %b = "onnx.Constant"() {value = dense<1.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %m = "onnx.MatMul"(%x, %w) {onnx_node_name = "mm"} : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %a = "onnx.Add"(%m, %b) {onnx_node_name = "bias"} : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %r = "onnx.Relu"(%a) {onnx_node_name = "act"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %n = "onnx.Neg"(%r) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = "onnx.Sigmoid"(%n) {onnx_node_name = "sig"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  func.return %s : tensor<4x8xf32>
}

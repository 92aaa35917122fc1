// RUN: mlopt %s --split-input-file --verify-diagnostics -p convert-onnx-to-tensor

// Constant indices are checked at compile time, naming the node, the index and the bound.
func.func @gather_constant(%d: tensor<5x4xf32>) -> tensor<2x4xf32> {
  %i = "onnx.Constant"() {value = dense<[-6, 0]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error@+1 {{convert-onnx-to-tensor: node 'gc' (op type Gather, 'onnx.Gather'): constant index -6 (at [0]) is out of range for axis 0 of size 5 (valid: -5..4)}}
  %0 = "onnx.Gather"(%d, %i) {axis = 0 : si64, onnx_node_name = "gc"} : (tensor<5x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// GatherND: each position of the index tuple has its own axis.
func.func @gather_nd_constant(%d: tensor<2x3xf32>) -> tensor<2xf32> {
  %i = "onnx.Constant"() {value = dense<[[1, 2], [-2, 3]]> : tensor<2x2xi64>} : () -> tensor<2x2xi64>
  // expected-error@+1 {{node 'gn' (op type GatherND, 'onnx.GatherND'): constant index 3 (at [1, 1]) is out of range for axis 1 of size 3 (valid: -3..2)}}
  %0 = "onnx.GatherND"(%d, %i) {onnx_node_name = "gn"} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// An axis of size 0 has no valid index: every gather from it fails.
func.func @gather_empty_axis(%d: tensor<0x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
  // expected-error@+1 {{node 'g0' (op type Gather, 'onnx.Gather'): axis 0 has size 0, so no index is in range}}
  %0 = "onnx.Gather"(%d, %i) {axis = 0 : si64, onnx_node_name = "g0"} : (tensor<0x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// TensorScatter, linear mode: a constant write index must leave room for the update.
func.func @tensor_scatter_constant(%p: tensor<2x5x3xf32>, %u: tensor<2x2x3xf32>) -> tensor<2x5x3xf32> {
  %w = "onnx.Constant"() {value = dense<[0, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error@+1 {{node 'kv' (op type TensorScatter, 'onnx.TensorScatter'): constant write index 4 (at [1]) is out of range (valid: 0..3): the update must fit in the cache along axis 1}}
  %0 = "onnx.TensorScatter"(%p, %u, %w) {onnx_node_name = "kv"} : (tensor<2x5x3xf32>, tensor<2x2x3xf32>, tensor<2xi64>) -> tensor<2x5x3xf32>
  func.return %0 : tensor<2x5x3xf32>
}

// RUN: mlopt %s --split-input-file --verify-diagnostics -p convert-onnx-to-tensor

func.func @no_lowering(%a: tensor<2x3xf32>) -> tensor<2x4xi64> {
  // expected-error@+1 {{convert-onnx-to-tensor: node 'nz0' (op type NonZero, 'onnx.NonZero'): no lowering to the tensor level for this op type}}
  %0 = "onnx.NonZero"(%a) {onnx_node_name = "nz0"} : (tensor<2x3xf32>) -> tensor<2x4xi64>
  func.return %0 : tensor<2x4xi64>
}

// -----

func.func @dynamic_shape(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error@+1 {{node 'relu1' (op type Relu, 'onnx.Relu'): dynamic shape tensor<?x3xf32> is not supported}}
  %0 = "onnx.Relu"(%a) {onnx_node_name = "relu1"} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  func.return %0 : tensor<?x3xf32>
}

// -----

func.func @unnamed_dynamic(%a: tensor<2x3xf32>, %b: tensor<?xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{unnamed node (op type Add, 'onnx.Add'): dynamic shape}}
  %0 = "onnx.Add"(%a, %b) : (tensor<2x3xf32>, tensor<?xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @runtime_axes(%a: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<2x1xf32> {
  // expected-error@+1 {{node 'rs' (op type ReduceSum, 'onnx.ReduceSum'): the axes operand must be a compile-time constant}}
  %0 = "onnx.ReduceSum"(%a, %axes) {onnx_node_name = "rs"} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// -----

func.func @runtime_slice(%a: tensor<4xf32>, %s: tensor<1xi64>) -> tensor<2xf32> {
  %e = "onnx.Constant"() {value = dense<3> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{(op type Slice, 'onnx.Slice'): Slice starts must be a compile-time constant}}
  %0 = "onnx.Slice"(%a, %s, %e, %n, %n) : (tensor<4xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @training_bn(%x: tensor<1x2x3xf32>, %s: tensor<2xf32>) -> tensor<1x2x3xf32> {
  // expected-error@+1 {{BatchNormalization in training mode is not supported}}
  %0, %m, %v = "onnx.BatchNormalization"(%x, %s, %s, %s, %s) {training_mode = 1 : si64} : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>)
  func.return %0 : tensor<1x2x3xf32>
}

// -----

func.func @resize_runtime_scales(%x: tensor<1x1x2x2xf32>, %s: tensor<4xf32>) -> tensor<1x1x4x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{node 'up' (op type Resize, 'onnx.Resize'): Resize scales must be a compile-time constant}}
  %0 = "onnx.Resize"(%x, %n, %s, %n) {mode = "linear", onnx_node_name = "up"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @f8(%x: tensor<2xf8E4M3FN>) -> tensor<2xf8E4M3FN> {
  // expected-error@+1 {{(op type Identity, 'onnx.Identity'): element type f8E4M3FN is not supported by the compiled path}}
  %0 = "onnx.Identity"(%x) : (tensor<2xf8E4M3FN>) -> tensor<2xf8E4M3FN>
  func.return %0 : tensor<2xf8E4M3FN>
}

// -----

// Training-mode Dropout would need random numbers: an error, not an identity.
func.func @training_dropout(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %t = "onnx.Constant"() {value = dense<true> : tensor<i1>} : () -> tensor<i1>
  // expected-error@+1 {{(op type Dropout, 'onnx.Dropout'): Dropout in training mode (random masking) is not supported}}
  %0, %m = "onnx.Dropout"(%x, %r, %t) : (tensor<3xf32>, tensor<f32>, tensor<i1>) -> (tensor<3xf32>, none)
  func.return %0 : tensor<3xf32>
}

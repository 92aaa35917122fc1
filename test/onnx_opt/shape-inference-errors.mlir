// RUN: mlopt %s --split-input-file --verify-diagnostics -p onnx-shape-inference

func.func @no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{'onnx.Add': operand shapes 2x3 and 4x3 do not broadcast}}
  %0 = "onnx.Add"(%a, %b) : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @matmul_inner(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{'onnx.MatMul': inner dimensions differ: 2x3 and 4x5}}
  %0 = "onnx.MatMul"(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<*xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{input channels 3 != weight channels 2 x group 1}}
  %0 = "onnx.Conv"(%x, %w, %n) : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @bad_reshape(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %s = "onnx.Constant"() {value = dense<[4, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  // expected-error@+1 {{cannot reshape 2x3 into [4, -1]}}
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @declared_conflict(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+1 {{result #0 has type tensor<3x2xf32> but its inferred shape is 2x3}}
  %0 = "onnx.Relu"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %a = "onnx.Constant"() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  // expected-error@+1 {{'onnx.ReduceSum': axis 2 is out of range for rank 2}}
  %0 = "onnx.ReduceSum"(%x, %a) : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @flatten_axis_above_rank(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{'onnx.Flatten': axis 4 is out of range [-3, 3] for rank 3}}
  %0 = "onnx.Flatten"(%x) {axis = 4 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

func.func @flatten_axis_below_rank(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{'onnx.Flatten': axis -4 is out of range [-3, 3] for rank 3}}
  %0 = "onnx.Flatten"(%x) {axis = -4 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

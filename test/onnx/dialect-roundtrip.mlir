// onnx-mlir's generic form parses, verifies and prints back; the output parses again.
// RUN: mlopt %s | filecheck %s
// RUN: mlopt %s | mlopt | filecheck %s

// CHECK-LABEL: func.func @conv
// CHECK: %y = "onnx.Conv"(%x, %w, %b) {kernel_shape = [3 : i64, 3 : i64], pads = [1 : i64, 1 : i64, 1 : i64, 1 : i64]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %y = "onnx.Conv"(%x, %w, %b) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  func.return %y : tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @attrs
// CHECK: "onnx.Concat"(%a, %a) {axis = 1 : si64}
// CHECK: "onnx.Flatten"(%a) {axis = 1 : i64}
// CHECK: "onnx.LeakyRelu"(%a) {alpha = 2.000000e-01 : f32}
// CHECK: "onnx.Constant"() {value = dense<[1, -1]> : tensor<2xi64>}
// CHECK: "onnx.Reshape"(%a, %c) {allowzero = 0 : si64}
func.func @attrs(%a: tensor<2x3xf32>) {
  %0 = "onnx.Concat"(%a, %a) {axis = 1 : si64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  %1 = "onnx.Flatten"(%a) {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "onnx.LeakyRelu"(%a) {alpha = 2.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %c = "onnx.Constant"() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %3 = "onnx.Reshape"(%a, %c) {allowzero = 0 : si64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<?x?xf32>
  func.return
}

// Absent optional operands and results are `none` values from onnx.NoValue.
// CHECK-LABEL: func.func @optional
// CHECK: %n = "onnx.NoValue"() {value} : () -> none
// CHECK: "onnx.Clip"(%a, %n, %n) : (tensor<4xf32>, none, none) -> tensor<4xf32>
// CHECK: "onnx.Dropout"(%a, %n, %n) : (tensor<4xf32>, none, none) -> (tensor<4xf32>, none)
// CHECK: "onnx.Split"(%a, %n) {axis = 0 : si64, num_outputs = 2 : si64} : (tensor<4xf32>, none) -> (tensor<2xf32>, tensor<2xf32>)
func.func @optional(%a: tensor<4xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Clip"(%a, %n, %n) : (tensor<4xf32>, none, none) -> tensor<4xf32>
  %1:2 = "onnx.Dropout"(%a, %n, %n) : (tensor<4xf32>, none, none) -> (tensor<4xf32>, none)
  %2:2 = "onnx.Split"(%a, %n) {axis = 0 : si64, num_outputs = 2 : si64} : (tensor<4xf32>, none) -> (tensor<2xf32>, tensor<2xf32>)
  func.return
}

// Element types: signless ints, unsigned ints, bool, f16/bf16, strings, sequences, unranked.
// CHECK-LABEL: func.func @types
// CHECK: "onnx.Add"(%u, %u) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
// CHECK: "onnx.And"(%b, %b) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
// CHECK: "onnx.Cast"(%h) {to = 16 : si64} : (tensor<3xf16>) -> tensor<3xbf16>
// CHECK: "onnx.SequenceConstruct"(%h, %h) : (tensor<3xf16>, tensor<3xf16>) -> !onnx.Seq<tensor<3xf16>>
// CHECK: "onnx.StringNormalizer"(%s) {case_change_action = "LOWER"} : (tensor<2x!onnx.String>) -> tensor<2x!onnx.String>
// CHECK: "onnx.Abs"(%r) : (tensor<*xf32>) -> tensor<*xf32>
// CHECK: "onnx_ml.Binarizer"(%r) {threshold = 5.000000e-01 : f32} : (tensor<*xf32>) -> tensor<*xf32>
func.func @types(%u: tensor<3xui8>, %b: tensor<3xi1>, %h: tensor<3xf16>, %s: tensor<2x!onnx.String>, %r: tensor<*xf32>) {
  %0 = "onnx.Add"(%u, %u) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %1 = "onnx.And"(%b, %b) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %2 = "onnx.Cast"(%h) {to = 16 : si64} : (tensor<3xf16>) -> tensor<3xbf16>
  %3 = "onnx.SequenceConstruct"(%h, %h) : (tensor<3xf16>, tensor<3xf16>) -> !onnx.Seq<tensor<3xf16>>
  %4 = "onnx.StringNormalizer"(%s) {case_change_action = "LOWER"} : (tensor<2x!onnx.String>) -> tensor<2x!onnx.String>
  %5 = "onnx.Abs"(%r) : (tensor<*xf32>) -> tensor<*xf32>
  %6 = "onnx_ml.Binarizer"(%r) {threshold = 5.000000e-01 : f32} : (tensor<*xf32>) -> tensor<*xf32>
  func.return
}

// GRAPH attributes are regions ending in onnx.Yield (If: then_branch first);
// region bodies may use values of the enclosing function.
// CHECK-LABEL: func.func @control
// CHECK: "onnx.If"(%c) ({
// CHECK:   "onnx.Relu"(%a)
// CHECK:   onnx.Yield %{{.*}} : tensor<2xf32>
// CHECK: }, {
// CHECK: "onnx.Loop"(%m, %c, %a) ({
// CHECK: ^{{.*}}(%i: tensor<i64>, %cond: tensor<i1>, %v: tensor<2xf32>):
func.func @control(%c: tensor<i1>, %a: tensor<2xf32>, %m: tensor<i64>) -> tensor<2xf32> {
  %r = "onnx.If"(%c) ({
    %x = "onnx.Relu"(%a) : (tensor<2xf32>) -> tensor<2xf32>
    "onnx.Yield"(%x) : (tensor<2xf32>) -> ()
  }, {
    "onnx.Yield"(%a) : (tensor<2xf32>) -> ()
  }) : (tensor<i1>) -> tensor<2xf32>
  %l = "onnx.Loop"(%m, %c, %a) ({
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %v: tensor<2xf32>):
    %s = "onnx.Add"(%v, %r) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    "onnx.Yield"(%cond, %s) : (tensor<i1>, tensor<2xf32>) -> ()
  }) : (tensor<i64>, tensor<i1>, tensor<2xf32>) -> tensor<2xf32>
  func.return %l : tensor<2xf32>
}

// Nodes of unknown domains are onnx.Custom, like onnx-mlir.
// CHECK-LABEL: func.func @custom
// CHECK: "onnx.Custom"(%a) {function_name = "Frob", domain_name = "com.example", alpha = 1.000000e+00 : f32}
func.func @custom(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = "onnx.Custom"(%a) {function_name = "Frob", domain_name = "com.example", alpha = 1.000000e+00 : f32} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// RUN: mlopt %s --split-input-file -p onnx-constant-fold | filecheck %s

// Value specialisation (mlopt.backends.runtime) marks the constant holding a
// call's input "mlopt.specialized" and the ops cloned onto it to compute a
// compile-time operand "mlopt.shape_chain". The chain folds (the result stays
// marked); an op that is not on a chain never folds from a specialised constant,
// so the data of an output is left to the generated code.

// CHECK-LABEL: func.func @chain_folds_data_does_not
// CHECK-NEXT: %[[F:\w+]] = "onnx.Constant"() {value = dense<5.000000e+00> : tensor<f32>, mlopt.specialized}
// CHECK-NEXT: %[[Z:\w+]] = "onnx.Constant"() {value = dense<0.000000e+00> : tensor<f32>}
// CHECK-NEXT: %[[O:\w+]] = "onnx.Constant"() {value = dense<1.000000e+00> : tensor<f32>}
// CHECK-NEXT: %{{\w+}} = "onnx.Range"(%[[Z]], %[[F]], %[[O]])
// CHECK-NEXT: func.return
func.func @chain_folds_data_does_not() -> tensor<5xf32> {
  %n = "onnx.Constant"() {value = dense<5> : tensor<i64>, mlopt.specialized} : () -> tensor<i64>
  %f = "onnx.Cast"(%n) {to = 1 : si64, mlopt.shape_chain} : (tensor<i64>) -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %r = "onnx.Range"(%z, %f, %o) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
  func.return %r : tensor<5xf32>
}

// -----

// The same graph without the marks folds completely: model constants are fair game.
// CHECK-LABEL: func.func @model_constants_fold
// CHECK-NEXT: "onnx.Constant"() {value = dense<[0.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<5xf32>}
// CHECK-NEXT: func.return
func.func @model_constants_fold() -> tensor<5xf32> {
  %n = "onnx.Constant"() {value = dense<5> : tensor<i64>} : () -> tensor<i64>
  %f = "onnx.Cast"(%n) {to = 1 : si64} : (tensor<i64>) -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %r = "onnx.Range"(%z, %f, %o) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<5xf32>
  func.return %r : tensor<5xf32>
}

// -----

// An elementwise op on a specialised constant (an output's data) does not fold.
// CHECK-LABEL: func.func @data_of_an_input
// CHECK: %{{\w+}} = "onnx.Sin"
func.func @data_of_an_input() -> tensor<2xf32> {
  %x = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>, mlopt.specialized} : () -> tensor<2xf32>
  %y = "onnx.Sin"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}

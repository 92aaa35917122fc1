// RUN: mlopt %s --split-input-file -p onnx-constant-fold | filecheck %s
// RUN: mlopt %s --split-input-file -p 'onnx-constant-fold{size-limit=4}' | filecheck %s --check-prefix=LIMIT

// Elementwise ops on constants fold (numpy), the inputs disappear.
// CHECK-LABEL: func.func @arith
// CHECK-NEXT:    %{{.*}} = "onnx.Constant"() {value = dense<[4.000000e+00, 1.000000e+01]> : tensor<2xf32>} : () -> tensor<2xf32>
// CHECK-NEXT:    func.return
func.func @arith() -> tensor<2xf32> {
  %a = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "onnx.Constant"() {value = dense<3.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "onnx.Add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %d = "onnx.Mul"(%c, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %e = "onnx.Sub"(%d, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %f = "onnx.Add"(%e, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %f : tensor<2xf32>
}

// -----

// Shape of a static value folds, and so does the whole shape computation of
// a PyTorch-style flatten; only the Reshape of the real data is left.
// CHECK-LABEL: func.func @shape_chain
// CHECK-NEXT:    %[[S:.*]] = "onnx.Constant"() {value = dense<[2, -1]> : tensor<2xi64>}
// CHECK-NEXT:    "onnx.Reshape"(%x, %[[S]])
// CHECK-NOT:     onnx.Shape
func.func @shape_chain(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %s = "onnx.Shape"(%x) : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %g = "onnx.Gather"(%s, %i) {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %a = "onnx.Constant"() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %u = "onnx.Unsqueeze"(%g, %a) : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
  %m = "onnx.Constant"() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %c = "onnx.Concat"(%u, %m) {axis = 0 : si64} : (tensor<1xi64>, tensor<1xi64>) -> tensor<2xi64>
  %r = "onnx.Reshape"(%x, %c) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  func.return %r : tensor<2x12xf32>
}

// -----

// Size of a static value; Shape of a dynamic one does not fold.
// CHECK-LABEL: func.func @size
// CHECK:  "onnx.Constant"() {value = dense<24> : tensor<i64>}
// CHECK:  "onnx.Shape"(%y)
func.func @size(%x: tensor<2x3x4xf32>, %y: tensor<?x3xf32>) -> (tensor<i64>, tensor<2xi64>) {
  %s = "onnx.Size"(%x) : (tensor<2x3x4xf32>) -> tensor<i64>
  %t = "onnx.Shape"(%y) : (tensor<?x3xf32>) -> tensor<2xi64>
  func.return %s, %t : tensor<i64>, tensor<2xi64>
}

// -----

// Ops without a numpy implementation go through onnx.reference.
// CHECK-LABEL: func.func @reference
// CHECK-NEXT:    "onnx.Constant"() {value = dense<[0.2689{{[0-9]*}}, 0.7310{{[0-9]*}}]> : tensor<2xf32>}
// CHECK-NEXT:    func.return
func.func @reference() -> tensor<2xf32> {
  %a = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "onnx.Softmax"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %s : tensor<2xf32>
}

// -----

// Integer ops keep ONNX semantics (truncating division, Cast to the target type).
// CHECK-LABEL: func.func @ints
// CHECK:  "onnx.Constant"() {value = dense<[-2, 3]> : tensor<2xi32>}
// CHECK:  "onnx.Constant"() {value = dense<[2.500000e+00, 7.000000e+00]> : tensor<2xf16>}
func.func @ints() -> (tensor<2xi32>, tensor<2xf16>) {
  %a = "onnx.Constant"() {value = dense<[-5, 7]> : tensor<2xi32>} : () -> tensor<2xi32>
  %b = "onnx.Constant"() {value = dense<2> : tensor<2xi32>} : () -> tensor<2xi32>
  %c = "onnx.Div"(%a, %b) : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %f = "onnx.Constant"() {value = dense<[2.5, 7.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %h = "onnx.Cast"(%f) {to = 10 : si64} : (tensor<2xf32>) -> tensor<2xf16>
  func.return %c, %h : tensor<2xi32>, tensor<2xf16>
}

// -----

// Random ops never fold; ConstantOfShape folds up to the size limit.
// CHECK-LABEL: func.func @no_fold
// CHECK:  "onnx.RandomNormal"
// CHECK:  "onnx.Constant"() {value = dense<1.500000e+00> : tensor<2x3xf32>}
// CHECK-NOT: onnx.ConstantOfShape
// LIMIT-LABEL: func.func @no_fold
// LIMIT:  "onnx.RandomNormal"
// LIMIT:  "onnx.ConstantOfShape"
func.func @no_fold() -> (tensor<2xf32>, tensor<2x3xf32>) {
  %r = "onnx.RandomNormal"() {shape = [2]} : () -> tensor<2xf32>
  %s = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %c = "onnx.ConstantOfShape"(%s) {value = dense<1.5> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<2x3xf32>
  func.return %r, %c : tensor<2xf32>, tensor<2x3xf32>
}

// -----

// An op with a non-constant operand is left alone.
// CHECK-LABEL: func.func @not_constant
// CHECK:  "onnx.Add"(%x, %{{.*}})
func.func @not_constant(%x: tensor<2xf32>) -> tensor<2xf32> {
  %b = "onnx.Constant"() {value = dense<3.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "onnx.Add"(%x, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %c : tensor<2xf32>
}

// -----

// CastLike of a constant only needs the target's element type.
// CHECK-LABEL: func.func @castlike
// CHECK:  %[[C:.*]] = "onnx.Constant"() {value = dense<2.000000e+00> : tensor<f16>}
// CHECK:  "onnx.Mul"(%x, %[[C]])
func.func @castlike(%x: tensor<3xf16>) -> tensor<3xf16> {
  %c = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %d = "onnx.CastLike"(%c, %x) : (tensor<f32>, tensor<3xf16>) -> tensor<f16>
  %m = "onnx.Mul"(%x, %d) : (tensor<3xf16>, tensor<f16>) -> tensor<3xf16>
  func.return %m : tensor<3xf16>
}

// -----

// Gather/Slice of the Shape of a partly dynamic value fold when they only
// pick static dims.
// CHECK-LABEL: func.func @partial_shape
// CHECK-DAG:   "onnx.Constant"() {value = dense<4> : tensor<i64>}
// CHECK-DAG:   "onnx.Constant"() {value = dense<[4, 5]> : tensor<2xi64>}
// CHECK-DAG:   %[[G:.*]] = "onnx.Gather"(%{{.*}}, %{{.*}}) {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
// CHECK:       func.return {{.*}}, {{.*}}, %[[G]]
func.func @partial_shape(%x: tensor<?x4x5xf32>) -> (tensor<i64>, tensor<2xi64>, tensor<i64>) {
  %s = "onnx.Shape"(%x) : (tensor<?x4x5xf32>) -> tensor<3xi64>
  %one = "onnx.Constant"() {value = dense<1> : tensor<i64>} : () -> tensor<i64>
  %zero = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %d1 = "onnx.Gather"(%s, %one) {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  %st = "onnx.Constant"() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %en = "onnx.Constant"() {value = dense<3> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = "onnx.NoValue"() {value} : () -> none
  %tail = "onnx.Slice"(%s, %st, %en, %n, %n) : (tensor<3xi64>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<2xi64>
  %d0 = "onnx.Gather"(%s, %zero) {axis = 0 : si64} : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  func.return %d1, %tail, %d0 : tensor<i64>, tensor<2xi64>, tensor<i64>
}

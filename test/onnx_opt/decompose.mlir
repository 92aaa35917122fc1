// RUN: mlopt %s --split-input-file -p 'onnx-decompose{native=false}' | filecheck %s
// RUN: mlopt %s --split-input-file -p onnx-decompose | filecheck %s --check-prefix=NATIVE
// RUN: mlopt %s --split-input-file -p 'onnx-decompose{ops=Relu}' | filecheck %s --check-prefix=ONLY
// RUN: mlopt %s --split-input-file -p 'onnx-decompose{ops=HardSigmoid}' | filecheck %s --check-prefix=HS

// A function op (schema.function_body) expands into its primitive body; the
// keep-list (Relu, Gelu, ...) stays. By default, ops that convert-onnx-to-tensor
// lowers natively (MeanVarianceNormalization) stay too.
// NATIVE-LABEL: func.func @mvn
// NATIVE:       "onnx.MeanVarianceNormalization"(%x)
// NATIVE:       "onnx.Relu"(%x)
// CHECK-LABEL: func.func @mvn
// CHECK-NOT:   onnx.MeanVarianceNormalization
// CHECK:       "onnx.ReduceMean"(%x, %{{.*}}) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<1x3x1xf32>
// CHECK:       "onnx.Sqrt"
// CHECK:       "onnx.Div"{{.*}} -> tensor<2x3x4xf32>
// CHECK:       "onnx.Relu"(%x)
// ONLY-LABEL:  func.func @mvn
// ONLY:        "onnx.MeanVarianceNormalization"(%x)
// ONLY:        %[[Z:.*]] = "onnx.Constant"() {value = dense<0.000000e+00> : tensor<f32>}
// ONLY-NEXT:   "onnx.Max"(%x, %[[Z]])
// ONLY-NOT:    onnx.Relu
func.func @mvn(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = "onnx.MeanVarianceNormalization"(%x) {axes = [0, 2]} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = "onnx.Relu"(%x) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// Attribute references (ref_attr_name) take the op's attribute or the
// schema's default: HardSigmoid's alpha = 0.25 and default beta = 0.5; the
// CastLike of each constant folds on the spot.
// CHECK-LABEL: func.func @attr_ref
// CHECK:       "onnx.HardSigmoid"
// ONLY-LABEL:  func.func @attr_ref
// ONLY:        "onnx.HardSigmoid"
// HS-LABEL:    func.func @attr_ref
// HS-DAG:      %[[A:.*]] = "onnx.Constant"() {value = dense<2.500000e-01> : tensor<f32>}
// HS-DAG:      %[[B:.*]] = "onnx.Constant"() {value = dense<5.000000e-01> : tensor<f32>}
// HS-DAG:      %[[Z:.*]] = "onnx.Constant"() {value = dense<0.000000e+00> : tensor<f32>}
// HS-DAG:      %[[O:.*]] = "onnx.Constant"() {value = dense<1.000000e+00> : tensor<f32>}
// HS:          %[[M:.*]] = "onnx.Mul"(%x, %[[A]]) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
// HS-NEXT:     %[[S:.*]] = "onnx.Add"(%[[M]], %[[B]]) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
// HS-NEXT:     %[[L:.*]] = "onnx.Min"(%[[S]], %[[O]])
// HS-NEXT:     %[[R:.*]] = "onnx.Max"(%[[L]], %[[Z]])
// HS-NEXT:     func.return %[[R]]
func.func @attr_ref(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.HardSigmoid"(%x) {alpha = 0.25 : f32} : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Context-dependent function bodies (built from the node's attributes and
// input types), here ReduceL2 through its body and GroupNormalization.
// CHECK-LABEL: func.func @context_dependent
// CHECK-NOT:   onnx.ReduceL2
// CHECK-NOT:   onnx.GroupNormalization
// CHECK:       "onnx.ReduceSum"
// CHECK:       "onnx.Sqrt"
// CHECK:       "onnx.Reshape"
// CHECK:       func.return {{.*}} : tensor<2x3x1xf32>, tensor<2x4x3x3xf32>
func.func @context_dependent(%x: tensor<2x3x4xf32>, %y: tensor<2x4x3x3xf32>, %s: tensor<4xf32>) -> (tensor<2x3x1xf32>, tensor<2x4x3x3xf32>) {
  %a = "onnx.Constant"() {value = dense<2> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = "onnx.ReduceL2"(%x, %a) : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x3x1xf32>
  %1 = "onnx.GroupNormalization"(%y, %s, %s) {num_groups = 2 : si64} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
  func.return %0, %1 : tensor<2x3x1xf32>, tensor<2x4x3x3xf32>
}

// -----

// SwiGLU expands into Swish (kept: DEFAULT_KEEP) and Mul.
// CHECK-LABEL: func.func @swiglu
// CHECK-NEXT:  %[[S:.*]] = "onnx.Swish"(%a) {alpha = 1.000000e+00 : f32} : (tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:  %[[M:.*]] = "onnx.Mul"(%[[S]], %b) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:  func.return %[[M]]
func.func @swiglu(%a: tensor<2x4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.SwiGLU"(%a, %b) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

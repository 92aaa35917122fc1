// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// onnx.Constant keeps its dense payload; NoValue disappears.
// CHECK-LABEL: func.func @constant
// CHECK-SAME: () -> tensor<2xf32>
// CHECK: %{{\w+}} = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2xf32>
func.func @constant() -> tensor<2xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// Unsigned constants and function types become signless.
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{\w+}}: tensor<2xi8>) -> tensor<2xi8>
// CHECK: %{{\w+}} = arith.constant dense<[-56, 7]> : tensor<2xi8>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xi8>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2xi8>, tensor<2xi8>) outs(%{{\w+}} : tensor<2xi8>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: i8, %{{\w+}}: i8):
// CHECK-NEXT: %{{\w+}} = arith.maxui %{{\w+}}, %{{\w+}} : i8
// CHECK-NEXT: linalg.yield %{{\w+}} : i8
// CHECK-NEXT: } -> tensor<2xi8>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2xi8>
func.func @unsigned(%x: tensor<2xui8>) -> tensor<2xui8> {
  %0 = "onnx.Constant"() {value = dense<[200, 7]> : tensor<2xui8>} : () -> tensor<2xui8>
  %1 = "onnx.Max"(%x, %0) : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  func.return %1 : tensor<2xui8>
}

// -----

// CHECK-LABEL: func.func @constant_of_shape
// CHECK-SAME: () -> tensor<2x3xi32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xi32>
// CHECK-NEXT: %{{\w+}} = arith.constant 7 : i32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i32) outs(%{{\w+}} : tensor<2x3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xi32>
func.func @constant_of_shape() -> tensor<2x3xi32> {
  %s = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.ConstantOfShape"(%s) {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @shape_size
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<i64>)
// CHECK: %{{\w+}} = arith.constant dense<[2, 3]> : tensor<2xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<6> : tensor<i64>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2xi64>, tensor<i64>
func.func @shape_size(%x: tensor<2x3xf32>) -> (tensor<2xi64>, tensor<i64>) {
  %0 = "onnx.Shape"(%x) : (tensor<2x3xf32>) -> tensor<2xi64>
  %1 = "onnx.Size"(%x) : (tensor<2x3xf32>) -> tensor<i64>
  func.return %0, %1 : tensor<2xi64>, tensor<i64>
}

// -----

// CHECK-LABEL: func.func @range
// CHECK-SAME: () -> tensor<3xi32>
// CHECK: %{{\w+}} = arith.constant dense<[1, 3, 5]> : tensor<3xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi32>
func.func @range() -> tensor<3xi32> {
  %a = "onnx.Constant"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %b = "onnx.Constant"() {value = dense<7> : tensor<i32>} : () -> tensor<i32>
  %c = "onnx.Constant"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
  %0 = "onnx.Range"(%a, %b, %c) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

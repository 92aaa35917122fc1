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

// Range is computed by the generated code: out[i] = start + i * delta, the
// length from the result type.
// CHECK-LABEL: func.func @range
// CHECK-SAME: () -> tensor<3xi32>
// CHECK: %[[A:\w+]] = arith.constant dense<1> : tensor<i32>
// CHECK: %[[C:\w+]] = arith.constant dense<2> : tensor<i32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0) -> ()>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>]
// CHECK-SAME: ins(%[[A]], %[[C]] : tensor<i32>, tensor<i32>) outs(%{{\w+}} : tensor<3xi32>)
// CHECK: ^{{\w+}}(%[[S:\w+]]: i32, %[[D:\w+]]: i32, %{{\w+}}: i32):
// CHECK: %[[I:\w+]] = linalg.index 0 : index
// CHECK: %[[M:\w+]] = arith.muli %{{\w+}}, %[[D]] : i32
// CHECK: %[[R:\w+]] = arith.addi %[[S]], %[[M]] : i32
// CHECK: linalg.yield %[[R]] : i32
func.func @range() -> tensor<3xi32> {
  %a = "onnx.Constant"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %b = "onnx.Constant"() {value = dense<7> : tensor<i32>} : () -> tensor<i32>
  %c = "onnx.Constant"() {value = dense<2> : tensor<i32>} : () -> tensor<i32>
  %0 = "onnx.Range"(%a, %b, %c) : (tensor<i32>, tensor<i32>, tensor<i32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

// start and delta may be run-time values (a call's inputs): only the length is static.
// CHECK-LABEL: func.func @range_of_arguments
// CHECK-SAME: (%[[A:\w+]]: tensor<f32>, %[[C:\w+]]: tensor<f32>) -> tensor<4xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[A]], %[[C]] : tensor<f32>, tensor<f32>) outs(%{{\w+}} : tensor<4xf32>)
// CHECK: arith.sitofp %{{\w+}} : i64 to f32
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @range_of_arguments(%a: tensor<f32>, %c: tensor<f32>) -> tensor<4xf32> {
  %b = "onnx.Constant"() {value = dense<7.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "onnx.Range"(%a, %b, %c) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// Windows: cosines evaluated by the generated code (in f64), not a folded constant.
// A symmetric Hann window of 5 points: angle step 2*pi/4.
// CHECK-LABEL: func.func @hann
// CHECK-NOT: arith.constant dense
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%{{\w+}} : tensor<5xf32>)
// CHECK: linalg.index 0 : index
// CHECK: arith.constant 1.5707963267948966 : f64
// CHECK: math.cos %{{\w+}} : f64
// CHECK: arith.truncf %{{\w+}} : f64 to f32
func.func @hann() -> tensor<5xf32> {
  %n = "onnx.Constant"() {value = dense<5> : tensor<i64>} : () -> tensor<i64>
  %0 = "onnx.HannWindow"(%n) {periodic = 0 : si64} : (tensor<i64>) -> tensor<5xf32>
  func.return %0 : tensor<5xf32>
}

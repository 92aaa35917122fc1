// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// stash_type (default 1, float32) is the precision of stage one: an f16
// LayerNormalization is widened to f32 for the mean and variance, and the
// normalized value is truncated back before the scale is applied in f16.
// CHECK-LABEL: func.func @layernorm_f16
// CHECK: arith.extf %{{\w+}} : f16 to f32
// CHECK: linalg.generic {{.*}} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2xf32>)
// CHECK: math.rsqrt %{{\w+}} : f32
// CHECK: ^bb0(%[[C:\w+]]: f32, %[[I:\w+]]: f32, %[[S:\w+]]: f16, %{{\w+}}: f16):
// CHECK-NEXT: %[[N:\w+]] = arith.mulf %[[C]], %[[I]] : f32
// CHECK-NEXT: %[[T:\w+]] = arith.truncf %[[N]] : f32 to f16
// CHECK-NEXT: %{{\w+}} = arith.mulf %[[T]], %[[S]] : f16
func.func @layernorm_f16(%x: tensor<2x3xf16>, %sc: tensor<3xf16>) -> tensor<2x3xf16> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0, %m, %v = "onnx.LayerNormalization"(%x, %sc, %n) : (tensor<2x3xf16>, tensor<3xf16>, none) -> (tensor<2x3xf16>, none, none)
  func.return %0 : tensor<2x3xf16>
}

// -----

// stash_type = 10 (float16): stage one stays in f16.
// CHECK-LABEL: func.func @layernorm_f16_stash_f16
// CHECK-NOT: f32
// CHECK: func.return
func.func @layernorm_f16_stash_f16(%x: tensor<2x3xf16>, %sc: tensor<3xf16>) -> tensor<2x3xf16> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0, %m, %v = "onnx.LayerNormalization"(%x, %sc, %n) {stash_type = 10 : si64} : (tensor<2x3xf16>, tensor<3xf16>, none) -> (tensor<2x3xf16>, none, none)
  func.return %0 : tensor<2x3xf16>
}

// -----

// An f16 Range is computed in the stash type (float32) and truncated once.
// CHECK-LABEL: func.func @range_f16
// CHECK: %[[I:\w+]] = arith.sitofp %{{\w+}} : i64 to f32
// CHECK-NEXT: %[[S:\w+]] = arith.extf %{{\w+}} : f16 to f32
// CHECK-NEXT: %[[D:\w+]] = arith.extf %{{\w+}} : f16 to f32
// CHECK-NEXT: %[[M:\w+]] = arith.mulf %[[I]], %[[D]] : f32
// CHECK-NEXT: %[[A:\w+]] = arith.addf %[[S]], %[[M]] : f32
// CHECK-NEXT: %{{\w+}} = arith.truncf %[[A]] : f32 to f16
func.func @range_f16(%s: tensor<f16>, %l: tensor<f16>, %d: tensor<f16>) -> tensor<5xf16> {
  %0 = "onnx.Range"(%s, %l, %d) : (tensor<f16>, tensor<f16>, tensor<f16>) -> tensor<5xf16>
  func.return %0 : tensor<5xf16>
}

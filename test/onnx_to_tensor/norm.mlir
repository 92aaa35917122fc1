// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Inference BatchNormalization with constant parameters folds to x * a + b
// with per-channel constants.
// CHECK-LABEL: func.func @batchnorm_const
// CHECK-SAME: (%{{\w+}}: tensor<1x2x3xf32>) -> tensor<1x2x3xf32>
// CHECK: %{{\w+}} = arith.constant dense<[1.000000e+00, 1.15470052]> : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<1x2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x3xf32>
func.func @batchnorm_const(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
  %s = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "onnx.Constant"() {value = dense<[0.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "onnx.Constant"() {value = dense<[0.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "onnx.Constant"() {value = dense<[1.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %b, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3xf32>, none, none)
  func.return %0 : tensor<1x2x3xf32>
}

// -----

// With runtime parameters the formula is computed in the body.
// CHECK-LABEL: func.func @batchnorm_runtime
// CHECK-SAME: (%{{\w+}}: tensor<1x2x3xf32>, %{{\w+}}: tensor<2xf32>, %{{\w+}}: tensor<2xf32>, %{{\w+}}: tensor<2xf32>, %{{\w+}}: tensor<2xf32>) -> tensor<1x2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<1x2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e-05 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.rsqrt %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x3xf32>
func.func @batchnorm_runtime(%x: tensor<1x2x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x3xf32> {
  %0, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %b, %m, %v) : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x3xf32>, none, none)
  func.return %0 : tensor<1x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @layernorm
// CHECK-SAME: (%{{\w+}}: tensor<2x4xf32>, %{{\w+}}: tensor<4xf32>, %{{\w+}}: tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x4xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 4.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x4xf32>, tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x4xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 4.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e-05 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.rsqrt %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<2x4xf32>, tensor<2x1xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @layernorm(%x: tensor<2x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0, %m, %i = "onnx.LayerNormalization"(%x, %s, %b) {epsilon = 1.0e-05 : f32} : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, none, none)
  func.return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @instancenorm
// CHECK-SAME: (%{{\w+}}: tensor<1x2x3xf32>, %{{\w+}}: tensor<2xf32>, %{{\w+}}: tensor<2xf32>) -> tensor<1x2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}} : tensor<1x2x3xf32>) outs(%{{\w+}} : tensor<1x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] output_shape [1, 2, 1] : tensor<1x2xf32> into tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<1x2x1xf32>) outs(%{{\w+}} : tensor<1x2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 3.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x2x3xf32>, tensor<1x2x1xf32>) outs(%{{\w+}} : tensor<1x2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}} : tensor<1x2x3xf32>) outs(%{{\w+}} : tensor<1x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] output_shape [1, 2, 1] : tensor<1x2xf32> into tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<1x2x1xf32>) outs(%{{\w+}} : tensor<1x2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 3.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e-05 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.rsqrt %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, 0)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<1x2x3xf32>, tensor<1x2x1xf32>, tensor<2xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<1x2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x3xf32>
func.func @instancenorm(%x: tensor<1x2x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<1x2x3xf32> {
  %0 = "onnx.InstanceNormalization"(%x, %s, %b) : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3xf32>
  func.return %0 : tensor<1x2x3xf32>
}

// -----

// LRN sums squares over a channel window of a zero-padded copy.
// CHECK-LABEL: func.func @lrn
// CHECK-SAME: (%{{\w+}}: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x6x2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x6x2x2xf32>) -> tensor<1x6x2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 1, 0, 0] [1, 4, 2, 2] [1, 1, 1, 1] : tensor<1x4x2x2xf32> into tensor<1x6x2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x4x2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, (d1 + d4), d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x6x2x2xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<1x4x2x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x4x2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x4x2x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) outs(%{{\w+}} : tensor<1x4x2x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 3.33333337e-05 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// beta = 0.75 by square roots, -inf (powf: +inf) kept
// CHECK-NEXT: %[[T:\w+]] = math.sqrt %[[B:\w+]] : f32
// CHECK-NEXT: %[[Q:\w+]] = math.sqrt %[[T]] : f32
// CHECK-NEXT: %[[P:\w+]] = arith.mulf %[[T]], %[[Q]] : f32
// CHECK-NEXT: %[[NI:\w+]] = arith.constant 0xff800000 : f32
// CHECK-NEXT: %[[E:\w+]] = arith.cmpf oeq, %[[B]], %[[NI]] : f32
// CHECK-NEXT: %[[I:\w+]] = arith.constant 0x7f800000 : f32
// CHECK-NEXT: %[[R:\w+]] = arith.select %[[E]], %[[I]], %[[P]] : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %[[R]] : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x4x2x2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x4x2x2xf32>
func.func @lrn(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = "onnx.LRN"(%x) {size = 3 : si64} : (tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  func.return %0 : tensor<1x4x2x2xf32>
}

// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// 2-D MatMul: a reduction over k into a zero-filled destination.
// CHECK-LABEL: func.func @matmul_2d
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<3x4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.MatMul"(%a, %b) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// Batched MatMul broadcasts the batch dims of both operands.
// CHECK-LABEL: func.func @matmul_batched
// CHECK-SAME: (%{{\w+}}: tensor<2x1x3x5xf32>, %{{\w+}}: tensor<4x5x6xf32>) -> tensor<2x4x3x6xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4x3x6xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x4x3x6xf32>) -> tensor<2x4x3x6xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x1x3x5xf32>, tensor<4x5x6xf32>) outs(%{{\w+}} : tensor<2x4x3x6xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4x3x6xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4x3x6xf32>
func.func @matmul_batched(%a: tensor<2x1x3x5xf32>, %b: tensor<4x5x6xf32>) -> tensor<2x4x3x6xf32> {
  %0 = "onnx.MatMul"(%a, %b) : (tensor<2x1x3x5xf32>, tensor<4x5x6xf32>) -> tensor<2x4x3x6xf32>
  func.return %0 : tensor<2x4x3x6xf32>
}

// -----

// 1-D operands are promoted to matrices and the unit dim is dropped again.
// CHECK-LABEL: func.func @matmul_vec
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3x4xf32>) -> tensor<4xf32>
// CHECK: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x4xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x3xf32>, tensor<3x4xf32>) outs(%{{\w+}} : tensor<1x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64, 1 : i64]] : tensor<1x4xf32> into tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4xf32>
func.func @matmul_vec(%a: tensor<3xf32>, %b: tensor<3x4xf32>) -> tensor<4xf32> {
  %0 = "onnx.MatMul"(%a, %b) : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// Gemm: transB, alpha, beta; C broadcast into the destination first.
// CHECK-LABEL: func.func @gemm
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<4x3xf32>, %{{\w+}}: tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<4x3xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @gemm(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.Gemm"(%a, %b, %c) {alpha = 5.000000e-01 : f32, beta = 2.000000e+00 : f32, transB = 1 : si64} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// Gemm without C, transA.
// CHECK-LABEL: func.func @gemm_noc
// CHECK-SAME: (%{{\w+}}: tensor<3x2xf32>, %{{\w+}}: tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<3x2xf32>, tensor<3x4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @gemm_noc(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Gemm"(%a, %b, %n) {transA = 1 : si64} : (tensor<3x2xf32>, tensor<3x4xf32>, none) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @einsum
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<3x4xf32>) -> tensor<4x2xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<4x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<4x2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<3x4xf32>) outs(%{{\w+}} : tensor<4x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4x2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4x2xf32>
func.func @einsum(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<4x2xf32> {
  %0 = "onnx.Einsum"(%a, %b) {equation = "ij,jk->ki"} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<4x2xf32>
  func.return %0 : tensor<4x2xf32>
}

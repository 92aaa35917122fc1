// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// MaxPool: -inf padding, a kernel-shaped operand gives the window loop bounds;
// a 2-D window is two: over its rows at every column of the padded input,
// then over its columns.
// CHECK-LABEL: func.func @maxpool_pads
// CHECK-SAME: (%{{\w+}}: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 1] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x4xf32> into tensor<1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x1x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2x1x5xf32>) -> tensor<1x2x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 0] [1, 2, 1, 5] [1, 1, 1, 1] : tensor<1x2x1x5xf32> into tensor<1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x4x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2x4x1xf32>) -> tensor<1x2x4x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 0] [1, 2, 4, 1] [1, 1, 1, 1] : tensor<1x2x4x1xf32> into tensor<1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x2x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2x2x5xf32>) -> tensor<1x2x2x5xf32>
// CHECK-NEXT: %[[ROWS:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, ((d2 * 2) + d4), d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x2x5x5xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<1x2x2x5xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x2x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, ((d3 * 2) + d4))>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[ROWS]], %{{\w+}} : tensor<1x2x2x5xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<1x2x2x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x2x2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x2x2xf32>
func.func @maxpool_pads(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0, %i = "onnx.MaxPool"(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none)
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

// ceil_mode adds an extra window at the end (padded with -inf).
// CHECK-LABEL: func.func @maxpool_ceil
// CHECK-SAME: (%{{\w+}}: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x6x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 0] [1, 1, 5, 5] [1, 1, 1, 1] : tensor<1x1x5x5xf32> into tensor<1x1x6x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1x6xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1x6xf32>) -> tensor<1x1x1x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 5, 0] [1, 1, 1, 6] [1, 1, 1, 1] : tensor<1x1x1x6xf32> into tensor<1x1x6x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x5x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x5x1xf32>) -> tensor<1x1x5x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 5] [1, 1, 5, 1] [1, 1, 1, 1] : tensor<1x1x5x1xf32> into tensor<1x1x6x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x6xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x6xf32>) -> tensor<1x1x3x6xf32>
// CHECK-NEXT: %[[ROWS:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, ((d2 * 2) + d4), d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x6x6xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<1x1x3x6xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, ((d3 * 2) + d4))>, affine_map<(d0, d1, d2, d3, d4) -> (d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[ROWS]], %{{\w+}} : tensor<1x1x3x6xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<1x1x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x3x3xf32>
func.func @maxpool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0, %i = "onnx.MaxPool"(%x) {kernel_shape = [2, 2], strides = [2, 2], ceil_mode = 1 : si64} : (tensor<1x1x5x5xf32>) -> (tensor<1x1x3x3xf32>, none)
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

// AveragePool with pads, count_include_pad = 0: per-position divisors.
// CHECK-LABEL: func.func @avgpool_exclude_pad
// CHECK-SAME: (%{{\w+}}: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 1] [1, 1, 3, 3] [1, 1, 1, 1] : tensor<1x1x3x3xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1x5xf32>) -> tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 0] [1, 1, 1, 5] [1, 1, 1, 1] : tensor<1x1x1x5xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1x5xf32>) -> tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 4, 0] [1, 1, 1, 5] [1, 1, 1, 1] : tensor<1x1x1x5xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x1xf32>) -> tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 0] [1, 1, 3, 1] [1, 1, 1, 1] : tensor<1x1x3x1xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x1xf32>) -> tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 4] [1, 1, 3, 1] [1, 1, 1, 1] : tensor<1x1x3x1xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 + d4), (d3 + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x5x5xf32>, tensor<3x3xf32>) outs(%{{\w+}} : tensor<1x1x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<[[4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x3x3xf32>, tensor<3x3xf32>) outs(%{{\w+}} : tensor<1x1x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x3x3xf32>
func.func @avgpool_exclude_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = "onnx.AveragePool"(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1]} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

// count_include_pad = 1: one constant divisor.
// CHECK-LABEL: func.func @avgpool_include_pad
// CHECK-SAME: (%{{\w+}}: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 1] [1, 1, 3, 3] [1, 1, 1, 1] : tensor<1x1x3x3xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1x5xf32>) -> tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 0] [1, 1, 1, 5] [1, 1, 1, 1] : tensor<1x1x1x5xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1x5xf32>) -> tensor<1x1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 4, 0] [1, 1, 1, 5] [1, 1, 1, 1] : tensor<1x1x1x5xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x1xf32>) -> tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 0] [1, 1, 3, 1] [1, 1, 1, 1] : tensor<1x1x3x1xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x1xf32>) -> tensor<1x1x3x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 4] [1, 1, 3, 1] [1, 1, 1, 1] : tensor<1x1x3x1xf32> into tensor<1x1x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 + d4), (d3 + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x5x5xf32>, tensor<3x3xf32>) outs(%{{\w+}} : tensor<1x1x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<1x1x3x3xf32>) outs(%{{\w+}} : tensor<1x1x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 9.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x3x3xf32>
func.func @avgpool_include_pad(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = "onnx.AveragePool"(%x) {kernel_shape = [3, 3], pads = [1, 1, 1, 1], count_include_pad = 1 : si64} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @global_pools
// CHECK-SAME: (%{{\w+}}: tensor<1x2x3x3xf32>) -> (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}} : tensor<1x2x3x3xf32>) outs(%{{\w+}} : tensor<1x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64, 3 : i64]] output_shape [1, 2, 1, 1] : tensor<1x2xf32> into tensor<1x2x1x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x1x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<1x2x1x1xf32>) outs(%{{\w+}} : tensor<1x2x1x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 9.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x1x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}} : tensor<1x2x3x3xf32>) outs(%{{\w+}} : tensor<1x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64, 3 : i64]] output_shape [1, 2, 1, 1] : tensor<1x2xf32> into tensor<1x2x1x1xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>
func.func @global_pools(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>) {
  %0 = "onnx.GlobalAveragePool"(%x) : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  %1 = "onnx.GlobalMaxPool"(%x) : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  func.return %0, %1 : tensor<1x2x1x1xf32>, tensor<1x2x1x1xf32>
}

// -----

// MaxPool with its Indices output: (value, flat index) in one generic.
// CHECK-LABEL: func.func @maxpool_indices
// CHECK-SAME: (%{{\w+}}: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x2x2xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i64) outs(%{{\w+}} : tensor<1x1x2x2xi64>) -> tensor<1x1x2x2xi64>
// CHECK-NEXT: %{{\w+}}, %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, ((d2 * 2) + d4), ((d3 * 2) + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%{{\w+}}, %{{\w+}} : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 2 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 4 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 3 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 2 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 5 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 4 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 4 : i64
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: linalg.yield %{{\w+}}, %{{\w+}} : f32, i64
// CHECK-NEXT: } -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
func.func @maxpool_indices(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %0, %i = "onnx.MaxPool"(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  func.return %0, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

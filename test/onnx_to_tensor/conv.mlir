// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Conv with bias, pads and strides: the input is padded with insert_slices (the
// data, then the zero strips around it: each element written once), the
// bias broadcast into the destination; window loops are reductions.
// CHECK-LABEL: func.func @conv_pads_strides
// CHECK-SAME: (%{{\w+}}: tensor<1x3x5x5xf32>, %{{\w+}}: tensor<4x3x3x3xf32>, %{{\w+}}: tensor<4xf32>) -> tensor<1x4x3x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 1] [1, 3, 5, 5] [1, 1, 1, 1] : tensor<1x3x5x5xf32> into tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x3x1x7xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x3x1x7xf32>) -> tensor<1x3x1x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0, 0] [1, 3, 1, 7] [1, 1, 1, 1] : tensor<1x3x1x7xf32> into tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x3x1x7xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x3x1x7xf32>) -> tensor<1x3x1x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 6, 0] [1, 3, 1, 7] [1, 1, 1, 1] : tensor<1x3x1x7xf32> into tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x3x5x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x3x5x1xf32>) -> tensor<1x3x5x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 0] [1, 3, 5, 1] [1, 1, 1, 1] : tensor<1x3x5x1xf32> into tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x3x5x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x3x5x1xf32>) -> tensor<1x3x5x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1, 6] [1, 3, 5, 1] [1, 1, 1, 1] : tensor<1x3x5x1xf32> into tensor<1x3x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x4x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<1x4x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x4x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, ((d2 * 2) + d5), ((d3 * 2) + d6))>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x3x7x7xf32>, tensor<4x3x3x3xf32>) outs(%{{\w+}} : tensor<1x4x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x4x3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x4x3x3xf32>
func.func @conv_pads_strides(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %0 = "onnx.Conv"(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  func.return %0 : tensor<1x4x3x3xf32>
}

// -----

// Grouped conv with dilation: views as (N, G, C/G, ...) and (G, M/G, ...).
// CHECK-LABEL: func.func @conv_group_dilation
// CHECK-SAME: (%{{\w+}}: tensor<1x4x7x7xf32>, %{{\w+}}: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32>
// CHECK: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64], [3 : i64], [4 : i64]] output_shape [1, 2, 2, 7, 7] : tensor<1x4x7x7xf32> into tensor<1x2x2x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64], [2 : i64], [3 : i64], [4 : i64]] output_shape [2, 2, 2, 3, 3] : tensor<4x2x3x3xf32> into tensor<2x2x2x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x2x3x3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x2x2x3x3xf32>) -> tensor<1x2x2x3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, (d3 + (d6 * 2)), (d4 + (d7 * 2)))>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x2x2x7x7xf32>, tensor<2x2x2x3x3xf32>) outs(%{{\w+}} : tensor<1x2x2x3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x2x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64], [3 : i64], [4 : i64]] : tensor<1x2x2x3x3xf32> into tensor<1x4x3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x4x3x3xf32>
func.func @conv_group_dilation(%x: tensor<1x4x7x7xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Conv"(%x, %w, %n) {group = 2 : si64, dilations = [2, 2]} : (tensor<1x4x7x7xf32>, tensor<4x2x3x3xf32>, none) -> tensor<1x4x3x3xf32>
  func.return %0 : tensor<1x4x3x3xf32>
}

// -----

// auto_pad SAME_UPPER on a 1-D conv pads 0 before and 1 after.
// CHECK-LABEL: func.func @conv_same_upper
// CHECK-SAME: (%{{\w+}}: tensor<1x1x4xf32>, %{{\w+}}: tensor<1x1x2xf32>) -> tensor<1x1x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<1x1x4xf32> into tensor<1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x1xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x1xf32>) -> tensor<1x1x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 4] [1, 1, 1] [1, 1, 1] : tensor<1x1x1xf32> into tensor<1x1x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x4xf32>) -> tensor<1x1x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, (d2 + d4))>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<1x1x5xf32>, tensor<1x1x2xf32>) outs(%{{\w+}} : tensor<1x1x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x4xf32>
func.func @conv_same_upper(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Conv"(%x, %w, %n) {auto_pad = "SAME_UPPER"} : (tensor<1x1x4xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x4xf32>
  func.return %0 : tensor<1x1x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%{{\w+}}: tensor<1x1x3x3xf32>, %{{\w+}}: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x7x7xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x7x7xf32>) -> tensor<1x1x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 2, 2] [1, 1, 3, 3] [1, 1, 1, 1] : tensor<1x1x3x3xf32> into tensor<1x1x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64], [2 : i64, 3 : i64], [4 : i64]] output_shape [1, 1, 1, 7, 7] : tensor<1x1x7x7xf32> into tensor<1x1x1x7x7xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64], [3 : i64], [4 : i64]] output_shape [1, 1, 2, 3, 3] : tensor<1x2x3x3xf32> into tensor<1x1x2x3x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x2x5x5xf32>) -> tensor<1x1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, (d3 + d6), (d4 + d7))>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d2, ((d6 * -1) + 2), ((d7 * -1) + 2))>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d6, d7)>, affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<1x1x1x7x7xf32>, tensor<1x1x2x3x3xf32>, tensor<3x3xf32>) outs(%{{\w+}} : tensor<1x1x2x5x5xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x2x5x5xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64], [3 : i64], [4 : i64]] : tensor<1x1x2x5x5xf32> into tensor<1x2x5x5xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x5x5xf32>
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %n) : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, none) -> tensor<1x2x5x5xf32>
  func.return %0 : tensor<1x2x5x5xf32>
}

// -----

// A strided 1x1 convolution whose last window lies in the end padding: not the
// subsampling copy (which reads x without padding, past its end), the padded
// input and the strided generic instead.
// CHECK-LABEL: func.func @conv_1x1_stride_end_pad
// CHECK: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0] [2, 1, 4] [1, 1, 1] : tensor<2x1x4xf32> into tensor<2x1x5xf32>
// CHECK: %[[P:\w+]] = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 4] [2, 1, 1] [1, 1, 1] : tensor<2x1x1xf32> into tensor<2x1x5xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, ((d2 * 2) + d4))>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2)>], {{.*}} ins(%[[P]], %{{\w+}} : tensor<2x1x5xf32>, tensor<1x1x1xf32>)
func.func @conv_1x1_stride_end_pad(%x: tensor<2x1x4xf32>, %w: tensor<1x1x1xf32>) -> tensor<2x1x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Conv"(%x, %w, %n) {pads = [0, 1], strides = [2]} : (tensor<2x1x4xf32>, tensor<1x1x1xf32>, none) -> tensor<2x1x3xf32>
  func.return %0 : tensor<2x1x3xf32>
}

// -----

// A narrow map (5 of 16 lanes along the output row) with constant weights and
// 64 output channels: the convolution runs over the flattened output
// positions p = oh * 5 + ow with vectors along the output channels (the
// weights stored transposed, c x kh x kw x m), then a transposing copy back
// to NCHW.
// CHECK-LABEL: func.func @conv_oc_vectors
// CHECK: %[[WT:\w+]] = arith.constant dense<5.000000e-01> : tensor<8x3x3x64xf32>
// CHECK: %[[B:\w+]] = linalg.generic {{.*}} ins(%{{\w+}} : tensor<64xf32>) outs(%{{\w+}} : tensor<1x25x64xf32>)
// CHECK: %[[T:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, ((d1 floordiv 5) + d4), ((d1 mod 5) + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5, d2)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{\w+}}, %[[WT]] : tensor<1x8x7x7xf32>, tensor<8x3x3x64xf32>) outs(%[[B]] : tensor<1x25x64xf32>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, ((d2 * 5) + d3), d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], {{.*}} ins(%[[T]] : tensor<1x25x64xf32>) outs(%{{\w+}} : tensor<1x64x5x5xf32>)
func.func @conv_oc_vectors(%x: tensor<1x8x5x5xf32>, %b: tensor<64xf32>) -> tensor<1x64x5x5xf32> {
  %w = "onnx.Constant"() {value = dense<0.5> : tensor<64x8x3x3xf32>} : () -> tensor<64x8x3x3xf32>
  %0 = "onnx.Conv"(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x8x5x5xf32>, tensor<64x8x3x3xf32>, tensor<64xf32>) -> tensor<1x64x5x5xf32>
  func.return %0 : tensor<1x64x5x5xf32>
}

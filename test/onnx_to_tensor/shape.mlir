// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Reshape with 0 and -1 in the constant shape: a collapse_shape.
// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%{{\w+}}: tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x12xf32>
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %s = "onnx.Constant"() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<2x12xf32>
  func.return %0 : tensor<2x12xf32>
}

// -----

// A reshape that is neither a collapse nor an expand goes through 1-D.
// CHECK-LABEL: func.func @reshape_general
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64, 1 : i64]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3x2xf32>
func.func @reshape_general(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %s = "onnx.Constant"() {value = dense<[3, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_squeeze_unsqueeze
// CHECK-SAME: (%{{\w+}}: tensor<2x1x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x1x3xf32>)
// CHECK: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] : tensor<2x1x3xf32> into tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] : tensor<2x1x3xf32> into tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64], [2 : i64], [3 : i64]] output_shape [1, 2, 1, 3] : tensor<2x1x3xf32> into tensor<1x2x1x3xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x1x3xf32>
func.func @flatten_squeeze_unsqueeze(%x: tensor<2x1x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x1x3xf32>) {
  %0 = "onnx.Flatten"(%x) {axis = 1 : si64} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  %a = "onnx.Constant"() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %1 = "onnx.Squeeze"(%x, %a) : (tensor<2x1x3xf32>, tensor<1xi64>) -> tensor<2x3xf32>
  %z = "onnx.Constant"() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  %2 = "onnx.Unsqueeze"(%x, %z) : (tensor<2x1x3xf32>, tensor<1xi64>) -> tensor<1x2x1x3xf32>
  func.return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x2x1x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%{{\w+}}: tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<4x2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2, d0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3x4xf32>) outs(%{{\w+}} : tensor<4x2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4x2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4x2x3xf32>
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = "onnx.Transpose"(%x) {perm = [2, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  func.return %0 : tensor<4x2x3xf32>
}

// -----

// Concat: insert_slice of each input into one destination.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 3] [2, 1] [1, 1] : tensor<2x1xf32> into tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = "onnx.Concat"(%a, %b) {axis = -1 : si64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK-SAME: (%{{\w+}}: tensor<5x2xf32>) -> (tensor<2x2xf32>, tensor<3x2xf32>)
// CHECK: %{{\w+}} = tensor.extract_slice %{{\w+}}[0, 0] [2, 2] [1, 1] : tensor<5x2xf32> to tensor<2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.extract_slice %{{\w+}}[2, 0] [3, 2] [1, 1] : tensor<5x2xf32> to tensor<3x2xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2x2xf32>, tensor<3x2xf32>
func.func @split(%x: tensor<5x2xf32>) -> (tensor<2x2xf32>, tensor<3x2xf32>) {
  %s = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0, %1 = "onnx.Split"(%x, %s) {axis = 0 : si64} : (tensor<5x2xf32>, tensor<2xi64>) -> (tensor<2x2xf32>, tensor<3x2xf32>)
  func.return %0, %1 : tensor<2x2xf32>, tensor<3x2xf32>
}

// -----

// Slice with positive steps: extract_slice with strides; negative steps: the
// selected elements with positive strides (extract_slice from the lowest one),
// then a generic reading (n - 1) - i along the reversed axes.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%{{\w+}}: tensor<10x4xf32>) -> (tensor<5x4xf32>, tensor<4x4xf32>)
// CHECK: %{{\w+}} = tensor.extract_slice %{{\w+}}[1, 0] [5, 4] [2, 1] : tensor<10x4xf32> to tensor<5x4xf32>
// CHECK-NEXT: %[[R:\w+]] = tensor.extract_slice %{{\w+}}[5, 0] [4, 4] [1, 1] : tensor<10x4xf32> to tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (((d0 * -1) + 3), d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[R]] : tensor<4x4xf32>) outs(%{{\w+}} : tensor<4x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4x4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<5x4xf32>, tensor<4x4xf32>
func.func @slice(%x: tensor<10x4xf32>) -> (tensor<5x4xf32>, tensor<4x4xf32>) {
  %st = "onnx.Constant"() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %en = "onnx.Constant"() {value = dense<[9223372036854775807]> : tensor<1xi64>} : () -> tensor<1xi64>
  %ax = "onnx.Constant"() {value = dense<[0]> : tensor<1xi64>} : () -> tensor<1xi64>
  %sp = "onnx.Constant"() {value = dense<[2]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = "onnx.Slice"(%x, %st, %en, %ax, %sp) : (tensor<10x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<5x4xf32>
  %n = "onnx.NoValue"() {value} : () -> none
  %s2 = "onnx.Constant"() {value = dense<[-2]> : tensor<1xi64>} : () -> tensor<1xi64>
  %e2 = "onnx.Constant"() {value = dense<[-6]> : tensor<1xi64>} : () -> tensor<1xi64>
  %m1 = "onnx.Constant"() {value = dense<[-1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %2 = "onnx.Slice"(%x, %s2, %e2, %ax, %m1) : (tensor<10x4xf32>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<4x4xf32>
  func.return %0, %2 : tensor<5x4xf32>, tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @expand_tile
// CHECK-SAME: (%{{\w+}}: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<6x2xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<3x1xf32>) outs(%{{\w+}} : tensor<2x3x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3x2x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<3x1xf32>) outs(%{{\w+}} : tensor<2x3x2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3x2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64, 1 : i64], [2 : i64, 3 : i64]] : tensor<2x3x2x1xf32> into tensor<6x2xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2x3x4xf32>, tensor<6x2xf32>
func.func @expand_tile(%x: tensor<3x1xf32>) -> (tensor<2x3x4xf32>, tensor<6x2xf32>) {
  %s = "onnx.Constant"() {value = dense<[2, 1, 4]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = "onnx.Expand"(%x, %s) : (tensor<3x1xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  %r = "onnx.Constant"() {value = dense<[2, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = "onnx.Tile"(%x, %r) : (tensor<3x1xf32>, tensor<2xi64>) -> tensor<6x2xf32>
  func.return %0, %1 : tensor<2x3x4xf32>, tensor<6x2xf32>
}

// -----

// Constant Pad: fill + insert_slice; edge Pad: clamp the index and extract.
// CHECK-LABEL: func.func @pad
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 1.500000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<4x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[1, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%{{\w+}} : tensor<4x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = arith.maxsi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.minsi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 2 : index
// CHECK-NEXT: %{{\w+}} = arith.maxsi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.minsi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}] : tensor<2x3xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4x4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<4x4xf32>, tensor<4x4xf32>
func.func @pad(%x: tensor<2x3xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %p = "onnx.Constant"() {value = dense<[1, 0, 1, 1]> : tensor<4xi64>} : () -> tensor<4xi64>
  %v = "onnx.Constant"() {value = dense<1.5> : tensor<f32>} : () -> tensor<f32>
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Pad"(%x, %p, %v, %n) : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<4x4xf32>
  %1 = "onnx.Pad"(%x, %p, %n, %n) {mode = "edge"} : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<4x4xf32>
  func.return %0, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// CHECK-LABEL: func.func @depth_to_space
// CHECK-SAME: (%{{\w+}}: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
// CHECK: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64, 3 : i64], [4 : i64], [5 : i64]] output_shape [1, 2, 2, 2, 2, 3] : tensor<1x8x2x3xf32> into tensor<1x2x2x2x2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x2x2x2x3x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d3, d5, d2, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}} : tensor<1x2x2x2x2x3xf32>) outs(%{{\w+}} : tensor<1x2x2x2x3x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x2x2x2x3x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.collapse_shape %{{\w+}} [[0 : i64], [1 : i64], [2 : i64, 3 : i64], [4 : i64, 5 : i64]] : tensor<1x2x2x2x3x2xf32> into tensor<1x2x4x6xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x2x4x6xf32>
func.func @depth_to_space(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = "onnx.DepthToSpace"(%x) {blocksize = 2 : si64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  func.return %0 : tensor<1x2x4x6xf32>
}

// -----

// A negative step on one axis and a shorter step-1 slice of another: the
// generic reads a tensor of the result's shape, so every loop range is the
// result's (reading x itself, d0 would run over x's 2 rows: out of bounds of
// the 1-row result).
// CHECK-LABEL: func.func @slice_reverse_and_crop
// CHECK: %[[S:\w+]] = tensor.extract_slice %{{\w+}}[0, 0, 0] [1, 1, 4] [1, 1, 1] : tensor<2x1x4xf32> to tensor<1x1x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, (d1 * -1), d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[S]] : tensor<1x1x4xf32>) outs(%{{\w+}} : tensor<1x1x4xf32>) {
func.func @slice_reverse_and_crop(%x: tensor<2x1x4xf32>) -> tensor<1x1x4xf32> {
  %st = "onnx.Constant"() {value = dense<[-2, 0]> : tensor<2xi64>} : () -> tensor<2xi64>
  %en = "onnx.Constant"() {value = dense<[1, -3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %ax = "onnx.Constant"() {value = dense<[0, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %sp = "onnx.Constant"() {value = dense<[1, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Slice"(%x, %st, %en, %ax, %sp) : (tensor<2x1x4xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x1x4xf32>
  func.return %0 : tensor<1x1x4xf32>
}

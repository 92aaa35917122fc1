// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Axes from a constant operand, keepdims = 1: reduce then expand_shape.
// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK-SAME: (%{{\w+}}: tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{\w+}} : tensor<2x3x4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64], [1 : i64, 2 : i64]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x1x4xf32>
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %axes = "onnx.Constant"() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = "onnx.ReduceSum"(%x, %axes) : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<2x1x4xf32>
  func.return %0 : tensor<2x1x4xf32>
}

// -----

// Negative axis, keepdims = 0, integer max starts from the lowest i32.
// CHECK-LABEL: func.func @reduce_max_int
// CHECK-SAME: (%{{\w+}}: tensor<2x3xi32>) -> tensor<2xi32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xi32>
// CHECK-NEXT: %{{\w+}} = arith.constant -2147483648 : i32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i32) outs(%{{\w+}} : tensor<2xi32>) -> tensor<2xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x3xi32>) outs(%{{\w+}} : tensor<2xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.maxsi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<2xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2xi32>
func.func @reduce_max_int(%x: tensor<2x3xi32>) -> tensor<2xi32> {
  %axes = "onnx.Constant"() {value = dense<[-1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = "onnx.ReduceMax"(%x, %axes) {keepdims = 0 : si64} : (tensor<2x3xi32>, tensor<1xi64>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// -----

// No axes: reduce everything; noop_with_empty_axes = 1: identity.
// CHECK-LABEL: func.func @reduce_mean_all
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> (tensor<1x1xf32>, tensor<2x3xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<f32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<f32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<f32>) outs(%{{\w+}} : tensor<1x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<1x1xf32>) outs(%{{\w+}} : tensor<1x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<1x1xf32>, tensor<2x3xf32>
func.func @reduce_mean_all(%x: tensor<2x3xf32>) -> (tensor<1x1xf32>, tensor<2x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ReduceMean"(%x, %n) : (tensor<2x3xf32>, none) -> tensor<1x1xf32>
  %1 = "onnx.ReduceMean"(%x, %n) {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  func.return %0, %1 : tensor<1x1xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_l2
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> tensor<2xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<2xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.sqrt %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2xf32>
func.func @reduce_l2(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %axes = "onnx.Constant"() {value = dense<[1]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0 = "onnx.ReduceL2"(%x, %axes) {keepdims = 0 : si64} : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// Softmax (opset 13): max, exp(x - max) once into a buffer, its sum, the
// row's reciprocal, then a multiply along one axis.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %[[EXP:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [2, 1] : tensor<2xf32> into tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x1xf32>
// CHECK-NEXT: %[[RECIP:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %[[ONE:\w+]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %[[ONE]], %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x1xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[RECIP]] : tensor<2x3xf32>, tensor<2x1xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.Softmax"(%x) {axis = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<1x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [1, 3] : tensor<3xf32> into tensor<1x3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<1x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.log %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @log_softmax(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.LogSoftmax"(%x) {axis = 0 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// ArgMax: one generic with two outputs (value, index).
// CHECK-LABEL: func.func @argmax
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> tensor<2x1xi64>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i64) outs(%{{\w+}} : tensor<2xi64>) -> tensor<2xi64>
// CHECK-NEXT: %{{\w+}}, %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}}, %{{\w+}} : tensor<2xf32>, tensor<2xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf uno, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf uno, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.constant true
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: linalg.yield %{{\w+}}, %{{\w+}} : f32, i64
// CHECK-NEXT: } -> (tensor<2xf32>, tensor<2xi64>)
// CHECK-NEXT: %{{\w+}} = tensor.expand_shape %{{\w+}} [[0 : i64, 1 : i64]] output_shape [2, 1] : tensor<2xi64> into tensor<2x1xi64>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x1xi64>
func.func @argmax(%x: tensor<2x3xf32>) -> tensor<2x1xi64> {
  %0 = "onnx.ArgMax"(%x) {axis = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  func.return %0 : tensor<2x1xi64>
}

// -----

// CHECK-LABEL: func.func @cumsum
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi ult, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4xf32>
func.func @cumsum(%x: tensor<4xf32>) -> tensor<4xf32> {
  %axis = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %0 = "onnx.CumSum"(%x, %axis) {exclusive = 1 : si64} : (tensor<4xf32>, tensor<i64>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// noop_with_empty_axes = 1 with a pre-step op: no reduction, but the per-element
// step still applies (ReduceSumSquare squares, ReduceL1 takes |x|), as in onnxruntime.
// CHECK-LABEL: func.func @reduce_noop_pre
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[V:\w+]]: f32, %{{\w+}}: f32):
// CHECK-NEXT: %[[S:\w+]] = arith.mulf %[[V]], %[[V]] : f32
// CHECK-NEXT: linalg.yield %[[S]] : f32
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[W:\w+]]: f32, %{{\w+}}: f32):
// CHECK-NEXT: %[[A:\w+]] = math.absf %[[W]] : f32
// CHECK-NEXT: linalg.yield %[[A]] : f32
func.func @reduce_noop_pre(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ReduceSumSquare"(%x, %n) {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  %1 = "onnx.ReduceL1"(%x, %n) {noop_with_empty_axes = 1 : si64} : (tensor<2x3xf32>, none) -> tensor<2x3xf32>
  func.return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Resize nearest: compile-time index tables, then a gather generic.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%{{\w+}}: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
// CHECK: %{{\w+}} = arith.constant dense<0> : tensor<1xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<0> : tensor<1xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x4x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d2)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<1xi64>, tensor<1xi64>, tensor<4xi64>, tensor<4xi64>) outs(%{{\w+}} : tensor<1x1x4x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: i64, %{{\w+}}: i64, %{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<1x1x2x2xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x4x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x4x4xf32>
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %s = "onnx.Constant"() {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = "onnx.Resize"(%x, %n, %s, %n) {mode = "nearest"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// -----

// Resize linear: one tap-reduction generic per resized axis.
// CHECK-LABEL: func.func @resize_linear
// CHECK-SAME: (%{{\w+}}: tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32>
// CHECK: %{{\w+}} = arith.constant dense<[[0, 0], [0, 1], [0, 1], [1, 1]]> : tensor<4x2xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<[[2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01], [2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01]]> : tensor<4x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<1x1x2x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<1x1x2x4xf32>) -> tensor<1x1x2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d3, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<4x2xi64>, tensor<4x2xf32>) outs(%{{\w+}} : tensor<1x1x2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 3 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<1x1x2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x2x4xf32>
func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %s = "onnx.Constant"() {value = dense<[1.0, 1.0, 1.0, 2.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = "onnx.Resize"(%x, %n, %s, %n) {mode = "linear"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x2x4xf32>
  func.return %0 : tensor<1x1x2x4xf32>
}

// -----

// TopK: ranks by an O(n^2) reduction, then a pick by rank with two outputs.
// CHECK-LABEL: func.func @topk
// CHECK-SAME: (%{{\w+}}: tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x5xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i64) outs(%{{\w+}} : tensor<2x5xi64>) -> tensor<2x5xi64>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x5xf32>, tensor<2x5xf32>) outs(%{{\w+}} : tensor<2x5xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf oeq, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpi ult, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: linalg.yield %{{\w+}} : i64
// CHECK-NEXT: } -> tensor<2x5xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x2xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x2xi64>
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i64) outs(%{{\w+}} : tensor<2x2xi64>) -> tensor<2x2xi64>
// CHECK-NEXT: %{{\w+}}, %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x5xf32>, tensor<2x5xi64>) outs(%{{\w+}}, %{{\w+}} : tensor<2x2xf32>, tensor<2x2xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i64, %{{\w+}}: f32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: linalg.yield %{{\w+}}, %{{\w+}} : f32, i64
// CHECK-NEXT: } -> (tensor<2x2xf32>, tensor<2x2xi64>)
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2x2xf32>, tensor<2x2xi64>
func.func @topk(%x: tensor<2x5xf32>) -> (tensor<2x2xf32>, tensor<2x2xi64>) {
  %k = "onnx.Constant"() {value = dense<[2]> : tensor<1xi64>} : () -> tensor<1xi64>
  %0, %1 = "onnx.TopK"(%x, %k) {axis = 1 : si64} : (tensor<2x5xf32>, tensor<1xi64>) -> (tensor<2x2xf32>, tensor<2x2xi64>)
  func.return %0, %1 : tensor<2x2xf32>, tensor<2x2xi64>
}

// -----

// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> (tensor<4xi8>, tensor<4xf32>)
// CHECK: %{{\w+}} = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NEXT: %{{\w+}} = arith.constant dense<10> : tensor<i8>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xi8>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<4xf32>, tensor<f32>, tensor<i8>) outs(%{{\w+}} : tensor<4xi8>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i8, %{{\w+}}: i8):
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.roundeven %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.uitofp %{{\w+}} : i8 to f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.550000e+02 : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.fptoui %{{\w+}} : f32 to i8
// CHECK-NEXT: linalg.yield %{{\w+}} : i8
// CHECK-NEXT: } -> tensor<4xi8>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<4xi8>, tensor<f32>, tensor<i8>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: f32, %{{\w+}}: i8, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.uitofp %{{\w+}} : i8 to f32
// CHECK-NEXT: %{{\w+}} = arith.uitofp %{{\w+}} : i8 to f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<4xi8>, tensor<4xf32>
func.func @quantize(%x: tensor<4xf32>) -> (tensor<4xui8>, tensor<4xf32>) {
  %s = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<10> : tensor<ui8>} : () -> tensor<ui8>
  %0 = "onnx.QuantizeLinear"(%x, %s, %z) : (tensor<4xf32>, tensor<f32>, tensor<ui8>) -> tensor<4xui8>
  %1 = "onnx.DequantizeLinear"(%0, %s, %z) : (tensor<4xui8>, tensor<f32>, tensor<ui8>) -> tensor<4xf32>
  func.return %0, %1 : tensor<4xui8>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @nll_mean
// CHECK-SAME: (%{{\w+}}: tensor<3x4xf32>, %{{\w+}}: tensor<3xi64>) -> tensor<f32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}}, %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xi64>) outs(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 4 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = mlopt.check_index %{{\w+}}, %{{\w+}}, %{{\w+}} {node = "", op = "NegativeLogLikelihoodLoss", unsigned}
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}] : tensor<3x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}}, %{{\w+}} : f32, f32
// CHECK-NEXT: } -> (tensor<3xf32>, tensor<3xf32>)
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<f32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<f32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<f32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<f32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<f32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<f32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []} ins(%{{\w+}}, %{{\w+}} : tensor<f32>, tensor<f32>) outs(%{{\w+}} : tensor<f32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<f32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<f32>
func.func @nll_mean(%x: tensor<3x4xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.NegativeLogLikelihoodLoss"(%x, %t, %n) {ignore_index = 1 : si64} : (tensor<3x4xf32>, tensor<3xi64>, none) -> tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @rms_swish
// CHECK-SAME: (%{{\w+}}: tensor<2x4xf32>, %{{\w+}}: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<2xf32>
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
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<2x4xf32>, tensor<2x1xf32>, tensor<4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x4xf32>) outs(%{{\w+}} : tensor<2x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2x4xf32>, tensor<2x4xf32>
func.func @rms_swish(%x: tensor<2x4xf32>, %s: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %0 = "onnx.RMSNormalization"(%x, %s) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = "onnx.Swish"(%x) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %0, %1 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// DynamicQuantizeLinear's min and max: per lane of 16 columns first (a
// reduction over the rows that vectorises), then over the 16 lanes (one
// scalar chain over the whole tensor was fully unrolled by LLVM: 20 s of -O3
// for a 4096-element input).
// CHECK-LABEL: func.func @dynamic_quantize_two_stage_extremes
// CHECK:       tensor.expand_shape %{{.*}} output_shape [2, 16] : tensor<32xf32> into tensor<2x16xf32>
// CHECK:       linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
// CHECK:         arith.minimumf
// CHECK:       linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%{{.*}} : tensor<16xf32>)
// CHECK:         arith.minimumf
// CHECK:       iterator_types = ["reduction", "parallel"]
// CHECK:         arith.maximumf
// CHECK:       iterator_types = ["reduction"]} ins(%{{.*}} : tensor<16xf32>)
// CHECK:         arith.maximumf
func.func @dynamic_quantize_two_stage_extremes(%x: tensor<4x8xf32>) -> (tensor<4x8xui8>, tensor<f32>, tensor<ui8>) {
  %y, %s, %z = "onnx.DynamicQuantizeLinear"(%x) : (tensor<4x8xf32>) -> (tensor<4x8xui8>, tensor<f32>, tensor<ui8>)
  func.return %y, %s, %z : tensor<4x8xui8>, tensor<f32>, tensor<ui8>
}

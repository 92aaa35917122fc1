// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.Add"(%a, %b) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub_size1
// CHECK-SAME: (%{{\w+}}: tensor<2x1xf32>, %{{\w+}}: tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x1xf32>, tensor<1x3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @sub_size1(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.Sub"(%a, %b) : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @div_int
// CHECK-SAME: (%{{\w+}}: tensor<4xi32>, %{{\w+}}: tensor<4xi32>, %{{\w+}}: tensor<4xi8>, %{{\w+}}: tensor<4xi8>) -> (tensor<4xi32>, tensor<4xi8>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<4xi32>, tensor<4xi32>) outs(%{{\w+}} : tensor<4xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.divsi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<4xi32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xi8>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<4xi8>, tensor<4xi8>) outs(%{{\w+}} : tensor<4xi8>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: i8, %{{\w+}}: i8):
// CHECK-NEXT: %{{\w+}} = arith.divui %{{\w+}}, %{{\w+}} : i8
// CHECK-NEXT: linalg.yield %{{\w+}} : i8
// CHECK-NEXT: } -> tensor<4xi8>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<4xi32>, tensor<4xi8>
func.func @div_int(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xui8>, %d: tensor<4xui8>) -> (tensor<4xi32>, tensor<4xui8>) {
  %0 = "onnx.Div"(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = "onnx.Div"(%c, %d) : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  func.return %0, %1 : tensor<4xi32>, tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @compare
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>, %{{\w+}}: tensor<4xf32>, %{{\w+}}: tensor<4xi16>, %{{\w+}}: tensor<4xi16>) -> (tensor<4xi1>, tensor<4xi1>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<4xf32>, tensor<4xf32>) outs(%{{\w+}} : tensor<4xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<4xi1>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<4xi16>, tensor<4xi16>) outs(%{{\w+}} : tensor<4xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i16, %{{\w+}}: i16, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpi uge, %{{\w+}}, %{{\w+}} : i16
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<4xi1>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<4xi1>, tensor<4xi1>
func.func @compare(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xui16>, %d: tensor<4xui16>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = "onnx.Less"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %1 = "onnx.GreaterOrEqual"(%c, %d) : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  func.return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @relu_leaky
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<4xf32>, tensor<4xf32>
func.func @relu_leaky(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = "onnx.Relu"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "onnx.LeakyRelu"(%a) {alpha = 2.000000e-01 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4xf32>
func.func @sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "onnx.Sigmoid"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_math
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.tanh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.erf %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.sqrt %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
func.func @unary_math(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = "onnx.Tanh"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = "onnx.Erf"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "onnx.Sqrt"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %3 = "onnx.Exp"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %1, %2, %3, %0 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>, %{{\w+}}: tensor<4xi8>) -> (tensor<4xi64>, tensor<4xf32>, tensor<4xi1>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<4xi64>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = arith.fptosi %{{\w+}} : f32 to i64
// CHECK-NEXT: linalg.yield %{{\w+}} : i64
// CHECK-NEXT: } -> tensor<4xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xi8>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.uitofp %{{\w+}} : i8 to f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<4xf32>) outs(%{{\w+}} : tensor<4xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf une, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<4xi1>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<4xi64>, tensor<4xf32>, tensor<4xi1>
func.func @cast(%a: tensor<4xf32>, %u: tensor<4xui8>) -> (tensor<4xi64>, tensor<4xf32>, tensor<4xi1>) {
  %0 = "onnx.Cast"(%a) {to = 7 : si64} : (tensor<4xf32>) -> tensor<4xi64>
  %1 = "onnx.Cast"(%u) {to = 1 : si64} : (tensor<4xui8>) -> tensor<4xf32>
  %2 = "onnx.Cast"(%a) {to = 9 : si64} : (tensor<4xf32>) -> tensor<4xi1>
  func.return %0, %1, %2 : tensor<4xi64>, tensor<4xf32>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK: %{{\w+}} = arith.constant dense<0.000000e+00> : tensor<f32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<4xf32>, tensor<f32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4xf32>
func.func @clip(%a: tensor<4xf32>) -> tensor<4xf32> {
  %lo = "onnx.Constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Clip"(%a, %lo, %n) : (tensor<4xf32>, tensor<f32>, none) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @where
// CHECK-SAME: (%{{\w+}}: tensor<2x1xi1>, %{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<f32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i1, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @where(%c: tensor<2x1xi1>, %a: tensor<3xf32>, %b: tensor<f32>) -> tensor<2x3xf32> {
  %0 = "onnx.Where"(%c, %a, %b) : (tensor<2x1xi1>, tensor<3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @variadic
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<1xf32>) -> (tensor<3xf32>, tensor<3xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>
func.func @variadic(%a: tensor<3xf32>, %b: tensor<3xf32>, %c: tensor<1xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = "onnx.Sum"(%a, %b, %c) : (tensor<3xf32>, tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
  %1 = "onnx.Mean"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @identity_dropout
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi1>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = arith.constant true
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i1) outs(%{{\w+}} : tensor<3xi1>) -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>, tensor<3xi1>
func.func @identity_dropout(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xi1>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Identity"(%a) : (tensor<3xf32>) -> tensor<3xf32>
  %1, %m = "onnx.Dropout"(%a, %n, %n) : (tensor<3xf32>, none, none) -> (tensor<3xf32>, tensor<3xi1>)
  func.return %0, %1, %m : tensor<3xf32>, tensor<3xf32>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @mod_pow
// CHECK-SAME: (%{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<3xf32>) -> (tensor<3xi32>, tensor<3xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xi32>) outs(%{{\w+}} : tensor<3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.remsi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i32
// CHECK-NEXT: %{{\w+}} = arith.cmpi slt, %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.cmpi slt, %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.cmpi ne, %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xf32>
func.func @mod_pow(%a: tensor<3xi32>, %b: tensor<3xi32>, %x: tensor<3xf32>) -> (tensor<3xi32>, tensor<3xf32>) {
  %0 = "onnx.Mod"(%a, %b) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %two = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %1 = "onnx.Pow"(%x, %two) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  func.return %0, %1 : tensor<3xi32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @logic
// CHECK-SAME: (%{{\w+}}: tensor<3xi1>, %{{\w+}}: tensor<3xi1>) -> (tensor<3xi1>, tensor<3xi1>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi1>, tensor<3xi1>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i1, %{{\w+}}: i1, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xi1>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i1, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.constant true
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<3xi1>, tensor<3xi1>
func.func @logic(%a: tensor<3xi1>, %b: tensor<3xi1>) -> (tensor<3xi1>, tensor<3xi1>) {
  %0 = "onnx.And"(%a, %b) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  %1 = "onnx.Not"(%0) : (tensor<3xi1>) -> tensor<3xi1>
  func.return %0, %1 : tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @prelu
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @prelu(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.PRelu"(%x, %s) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

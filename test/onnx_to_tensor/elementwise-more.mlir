// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Floor: one elementwise generic.
// CHECK-LABEL: func.func @floor
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.floor %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @floor(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Floor"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Ceil: one elementwise generic.
// CHECK-LABEL: func.func @ceil
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.ceil %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @ceil(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Ceil"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Sin: one elementwise generic.
// CHECK-LABEL: func.func @sin
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.sin %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @sin(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Sin"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Cos: one elementwise generic.
// CHECK-LABEL: func.func @cos
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.cos %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @cos(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Cos"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Tan: one elementwise generic.
// CHECK-LABEL: func.func @tan
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.tan %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @tan(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Tan"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Asin: one elementwise generic.
// CHECK-LABEL: func.func @asin
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.asin %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @asin(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Asin"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Acos: one elementwise generic.
// CHECK-LABEL: func.func @acos
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.acos %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @acos(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Acos"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Atan: one elementwise generic.
// CHECK-LABEL: func.func @atan
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.atan %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @atan(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Atan"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Sinh: one elementwise generic.
// CHECK-LABEL: func.func @sinh
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.sinh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @sinh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Sinh"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Cosh: one elementwise generic.
// CHECK-LABEL: func.func @cosh
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.cosh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @cosh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Cosh"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Asinh: one elementwise generic.
// CHECK-LABEL: func.func @asinh
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.asinh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @asinh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Asinh"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Acosh: one elementwise generic.
// CHECK-LABEL: func.func @acosh
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.acosh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @acosh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Acosh"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Atanh: one elementwise generic.
// CHECK-LABEL: func.func @atanh
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.atanh %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @atanh(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Atanh"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Log: one elementwise generic.
// CHECK-LABEL: func.func @log
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.log %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @log(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Log"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Round: one elementwise generic.
// CHECK-LABEL: func.func @round
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.roundeven %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @round(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Round"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Reciprocal: one elementwise generic.
// CHECK-LABEL: func.func @reciprocal
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @reciprocal(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Reciprocal"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Softplus: one elementwise generic.
// CHECK-LABEL: func.func @softplus
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.absf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.log1p %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @softplus(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Softplus"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Softsign: one elementwise generic.
// CHECK-LABEL: func.func @softsign
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = math.absf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @softsign(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Softsign"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// HardSigmoid: one elementwise generic.
// CHECK-LABEL: func.func @hardsigmoid
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @hardsigmoid(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.HardSigmoid"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// HardSwish: one elementwise generic.
// CHECK-LABEL: func.func @hardswish
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.166666672 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @hardswish(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.HardSwish"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Elu: one elementwise generic.
// CHECK-LABEL: func.func @elu
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @elu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Elu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Selu: one elementwise generic.
// CHECK-LABEL: func.func @selu
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.67326319 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.67326319 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.05070102 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @selu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Selu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Celu: one elementwise generic.
// CHECK-LABEL: func.func @celu
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @celu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Celu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// ThresholdedRelu: one elementwise generic.
// CHECK-LABEL: func.func @thresholdedrelu
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @thresholdedrelu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.ThresholdedRelu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Gelu: one elementwise generic.
// CHECK-LABEL: func.func @gelu
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.707106769 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.erf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @gelu(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Gelu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Mish: one elementwise generic.
// CHECK-LABEL: func.func @mish
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.absf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.exp %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.log1p %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.tanh %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @mish(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Mish"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Shrink: one elementwise generic.
// CHECK-LABEL: func.func @shrink
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant -5.000000e-01 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @shrink(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Shrink"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Sign: one elementwise generic.
// CHECK-LABEL: func.func @sign
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf olt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @sign(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Sign"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// IsNaN: one elementwise generic.
// CHECK-LABEL: func.func @isnan
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpf uno, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @isnan(%x: tensor<3xf32>) -> tensor<3xi1> {
  %0 = "onnx.IsNaN"(%x) : (tensor<3xf32>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// IsInf: one elementwise generic.
// CHECK-LABEL: func.func @isinf
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.constant false
// CHECK-NEXT: %{{\w+}} = arith.constant 0x7f800000 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf oeq, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0xff800000 : f32
// CHECK-NEXT: %{{\w+}} = arith.cmpf oeq, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @isinf(%x: tensor<3xf32>) -> tensor<3xi1> {
  %0 = "onnx.IsInf"(%x) : (tensor<3xf32>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// Abs: one elementwise generic.
// CHECK-LABEL: func.func @abs
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = math.absf %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @abs(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Abs"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// Neg: one elementwise generic.
// CHECK-LABEL: func.func @neg
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.negf %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @neg(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Neg"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @equal
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpf oeq, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @equal(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xi1> {
  %0 = "onnx.Equal"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @greater
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpf ogt, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @greater(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xi1> {
  %0 = "onnx.Greater"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @lessorequal
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.cmpf ole, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @lessorequal(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xi1> {
  %0 = "onnx.LessOrEqual"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @or
// CHECK-SAME: (%{{\w+}}: tensor<3xi1>, %{{\w+}}: tensor<3xi1>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi1>, tensor<3xi1>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i1, %{{\w+}}: i1, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @or(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  %0 = "onnx.Or"(%a, %b) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @xor
// CHECK-SAME: (%{{\w+}}: tensor<3xi1>, %{{\w+}}: tensor<3xi1>) -> tensor<3xi1>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi1>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi1>, tensor<3xi1>) outs(%{{\w+}} : tensor<3xi1>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i1, %{{\w+}}: i1, %{{\w+}}: i1):
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: linalg.yield %{{\w+}} : i1
// CHECK-NEXT: } -> tensor<3xi1>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi1>
func.func @xor(%a: tensor<3xi1>, %b: tensor<3xi1>) -> tensor<3xi1> {
  %0 = "onnx.Xor"(%a, %b) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  func.return %0 : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @bitshift
// CHECK-SAME: (%{{\w+}}: tensor<3xi8>, %{{\w+}}: tensor<3xi8>) -> tensor<3xi8>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi8>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi8>, tensor<3xi8>) outs(%{{\w+}} : tensor<3xi8>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: i8, %{{\w+}}: i8):
// CHECK-NEXT: %{{\w+}} = arith.constant 8 : i8
// CHECK-NEXT: %{{\w+}} = arith.cmpi uge, %{{\w+}}, %{{\w+}} : i8
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i8
// CHECK-NEXT: %{{\w+}} = arith.shrui %{{\w+}}, %{{\w+}} : i8
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i8
// CHECK-NEXT: linalg.yield %{{\w+}} : i8
// CHECK-NEXT: } -> tensor<3xi8>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi8>
func.func @bitshift(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  %0 = "onnx.BitShift"(%a, %b) {direction = "RIGHT"} : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  func.return %0 : tensor<3xui8>
}

// -----

// CHECK-LABEL: func.func @bitwiseand
// CHECK-SAME: (%{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<3xi32>) -> tensor<3xi32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xi32>) outs(%{{\w+}} : tensor<3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<3xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi32>
func.func @bitwiseand(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  %0 = "onnx.BitwiseAnd"(%a, %b) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @bitwiseor
// CHECK-SAME: (%{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<3xi32>) -> tensor<3xi32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xi32>) outs(%{{\w+}} : tensor<3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<3xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi32>
func.func @bitwiseor(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  %0 = "onnx.BitwiseOr"(%a, %b) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @bitwisexor
// CHECK-SAME: (%{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<3xi32>) -> tensor<3xi32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xi32>) outs(%{{\w+}} : tensor<3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<3xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xi32>
func.func @bitwisexor(%a: tensor<3xi32>, %b: tensor<3xi32>) -> tensor<3xi32> {
  %0 = "onnx.BitwiseXor"(%a, %b) : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @min
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @min(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Min"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @max
// CHECK-SAME: (%{{\w+}}: tensor<3xf32>, %{{\w+}}: tensor<3xf32>) -> tensor<3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<3xf32>, tensor<3xf32>) outs(%{{\w+}} : tensor<3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3xf32>
func.func @max(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Max"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @bitwise_not_cast_like
// CHECK-SAME: (%{{\w+}}: tensor<3xi32>, %{{\w+}}: tensor<1xf64>) -> (tensor<3xi32>, tensor<3xf64>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xi32>) outs(%{{\w+}} : tensor<3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.constant -1 : i32
// CHECK-NEXT: %{{\w+}} = arith.xori %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<3xi32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3xf64>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%{{\w+}} : tensor<3xi32>) outs(%{{\w+}} : tensor<3xf64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: f64):
// CHECK-NEXT: %{{\w+}} = arith.sitofp %{{\w+}} : i32 to f64
// CHECK-NEXT: linalg.yield %{{\w+}} : f64
// CHECK-NEXT: } -> tensor<3xf64>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<3xi32>, tensor<3xf64>
func.func @bitwise_not_cast_like(%a: tensor<3xi32>, %b: tensor<1xf64>) -> (tensor<3xi32>, tensor<3xf64>) {
  %0 = "onnx.BitwiseNot"(%a) : (tensor<3xi32>) -> tensor<3xi32>
  %1 = "onnx.CastLike"(%a, %b) : (tensor<3xi32>, tensor<1xf64>) -> tensor<3xf64>
  func.return %0, %1 : tensor<3xi32>, tensor<3xf64>
}

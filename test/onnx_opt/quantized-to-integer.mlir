// RUN: mlopt %s --split-input-file -p onnx-quantized-to-integer | filecheck %s

// A QDQ Conv whose int32 sums are exact in f32 (|x - 128| <= 128, sum |w| = 10
// per output channel): x - x_zp in f32, the weights as the f32 constant
// w - w_zp, the int32 bias as the Conv's f32 bias, then the requantization by
// M = x_scale * w_scale / y_scale = 0.5 * 0.25 / 2 = 0.0625.
// CHECK-LABEL: func.func @qdq_conv_exact_in_f32
// CHECK:     %[[XF:.*]] = "onnx.Cast"(%xq) {to = 1 : si64} : (tensor<1x1x4x4xui8>) -> tensor<1x1x4x4xf32>
// CHECK:     %[[ZP:.*]] = "onnx.Constant"() {value = dense<1.280000e+02> : tensor<f32>}
// CHECK:     %[[XS:.*]] = "onnx.Sub"(%[[XF]], %[[ZP]])
// CHECK:     %[[W:.*]] = "onnx.Constant"() {value = dense<{{\[\[\[\[}}1.000000e+00, -2.000000e+00], [3.000000e+00, -4.000000e+00]]], {{\[\[\[}}0.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00]]]]> : tensor<2x1x2x2xf32>}
// CHECK:     %[[B:.*]] = "onnx.Constant"() {value = dense<[1.000000e+01, -3.000000e+00]> : tensor<2xf32>}
// CHECK:     %[[C:.*]] = "onnx.Conv"(%[[XS]], %[[W]], %[[B]]) {{.*}}: (tensor<1x1x4x4xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
// CHECK:     %[[M:.*]] = "onnx.Constant"() {value = dense<6.250000e-02> : tensor<f32>}
// CHECK:     %[[S:.*]] = "onnx.Mul"(%[[C]], %[[M]])
// CHECK:     %[[ONE:.*]] = "onnx.Constant"() {value = dense<1.000000e+00> : tensor<f32>}
// CHECK:     %[[Q:.*]] = "onnx.QuantizeLinear"(%[[S]], %[[ONE]], %yz)
// CHECK-NOT: "onnx.DequantizeLinear"
// CHECK:     func.return %[[Q]]
func.func @qdq_conv_exact_in_f32(%xq: tensor<1x1x4x4xui8>) -> tensor<1x2x3x3xui8> {
  %xs = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %xz = "onnx.Constant"() {value = dense<128> : tensor<ui8>} : () -> tensor<ui8>
  %wq = "onnx.Constant"() {value = dense<[[[[1, -2], [3, -4]]], [[[0, 1], [0, 0]]]]> : tensor<2x1x2x2xi8>} : () -> tensor<2x1x2x2xi8>
  %ws = "onnx.Constant"() {value = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %wz = "onnx.Constant"() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %bq = "onnx.Constant"() {value = dense<[10, -3]> : tensor<2xi32>} : () -> tensor<2xi32>
  %bs = "onnx.Constant"() {value = dense<0.125> : tensor<f32>} : () -> tensor<f32>
  %bz = "onnx.Constant"() {value = dense<0> : tensor<i32>} : () -> tensor<i32>
  %ys = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %yz = "onnx.Constant"() {value = dense<3> : tensor<ui8>} : () -> tensor<ui8>
  %x = "onnx.DequantizeLinear"(%xq, %xs, %xz) : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %w = "onnx.DequantizeLinear"(%wq, %ws, %wz) : (tensor<2x1x2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<2x1x2x2xf32>
  %b = "onnx.DequantizeLinear"(%bq, %bs, %bz) : (tensor<2xi32>, tensor<f32>, tensor<i32>) -> tensor<2xf32>
  %y = "onnx.Conv"(%x, %w, %b) {kernel_shape = [2, 2]} : (tensor<1x1x4x4xf32>, tensor<2x1x2x2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %yq = "onnx.QuantizeLinear"(%y, %ys, %yz) : (tensor<1x2x3x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x3x3xui8>
  func.return %yq : tensor<1x2x3x3xui8>
}

// -----

// Weights too large for exact f32 sums (255 * 127 * 1024 >= 2^24) but not
// for two: w = 16 * hi + lo (hi = 8, lo = -1), each an exact f32 Conv, the
// sums combined in int32; per-channel weight scales give a per-channel
// multiplier [2, 1, 1].
// CHECK-LABEL: func.func @qdq_conv_split_per_channel
// CHECK:     %[[HI:.*]] = "onnx.Constant"() {value = dense<8.000000e+00> : tensor<2x1024x1x1xf32>}
// CHECK:     %[[CH:.*]] = "onnx.Conv"(%[[X:.*]], %[[HI]], %{{.*}})
// CHECK:     %[[IH:.*]] = "onnx.Cast"(%[[CH]]) {to = 6 : si64}
// CHECK:     %[[LO:.*]] = "onnx.Constant"() {value = dense<-1.000000e+00> : tensor<2x1024x1x1xf32>}
// CHECK:     %[[CL:.*]] = "onnx.Conv"(%[[X]], %[[LO]], %{{.*}})
// CHECK:     %[[IL:.*]] = "onnx.Cast"(%[[CL]]) {to = 6 : si64}
// CHECK:     %[[S16:.*]] = "onnx.Mul"(%[[IH]], %{{.*}}) : (tensor<1x2x1x1xi32>, tensor<i32>) -> tensor<1x2x1x1xi32>
// CHECK:     %[[ACC:.*]] = "onnx.Add"(%[[S16]], %[[IL]])
// CHECK:     %[[F:.*]] = "onnx.Cast"(%[[ACC]]) {to = 1 : si64} : (tensor<1x2x1x1xi32>) -> tensor<1x2x1x1xf32>
// CHECK:     %[[M:.*]] = "onnx.Constant"() {value = dense<{{\[\[\[}}2.500000e-01]], {{\[\[}}5.000000e-01]]]> : tensor<2x1x1xf32>}
// CHECK:     "onnx.Mul"(%[[F]], %[[M]])
// CHECK:     "onnx.QuantizeLinear"
func.func @qdq_conv_split_per_channel(%xq: tensor<1x1024x1x1xui8>) -> tensor<1x2x1x1xui8> {
  %xs = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %xz = "onnx.Constant"() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %wq = "onnx.Constant"() {value = dense<127> : tensor<2x1024x1x1xi8>} : () -> tensor<2x1024x1x1xi8>
  %ws = "onnx.Constant"() {value = dense<[0.5, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "onnx.Constant"() {value = dense<0> : tensor<2xi8>} : () -> tensor<2xi8>
  %ys = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %yz = "onnx.Constant"() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %x = "onnx.DequantizeLinear"(%xq, %xs, %xz) : (tensor<1x1024x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1024x1x1xf32>
  %w = "onnx.DequantizeLinear"(%wq, %ws, %wz) {axis = 0 : si64} : (tensor<2x1024x1x1xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x1024x1x1xf32>
  %n = "onnx.NoValue"() {value} : () -> none
  %y = "onnx.Conv"(%x, %w, %n) : (tensor<1x1024x1x1xf32>, tensor<2x1024x1x1xf32>, none) -> tensor<1x2x1x1xf32>
  %yq = "onnx.QuantizeLinear"(%y, %ys, %yz) : (tensor<1x2x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x1x1xui8>
  func.return %yq : tensor<1x2x1x1xui8>
}

// -----

// Too large even split (255 * 8 * 16384 >= 2^24): the int32 ConvInteger.
// CHECK-LABEL: func.func @qdq_conv_integer
// CHECK:     %[[ACC:.*]] = "onnx.ConvInteger"(%xq, %{{.*}}, %{{.*}}, %{{.*}}) : (tensor<1x16384x1x1xui8>, tensor<1x16384x1x1xi8>, tensor<ui8>, tensor<i8>) -> tensor<1x1x1x1xi32>
// CHECK:     "onnx.Cast"(%[[ACC]]) {to = 1 : si64}
func.func @qdq_conv_integer(%xq: tensor<1x16384x1x1xui8>) -> tensor<1x1x1x1xui8> {
  %xs = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %xz = "onnx.Constant"() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %wq = "onnx.Constant"() {value = dense<127> : tensor<1x16384x1x1xi8>} : () -> tensor<1x16384x1x1xi8>
  %z8 = "onnx.Constant"() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %ys = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %x = "onnx.DequantizeLinear"(%xq, %xs, %xz) : (tensor<1x16384x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x16384x1x1xf32>
  %w = "onnx.DequantizeLinear"(%wq, %xs, %z8) : (tensor<1x16384x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x16384x1x1xf32>
  %n = "onnx.NoValue"() {value} : () -> none
  %y = "onnx.Conv"(%x, %w, %n) : (tensor<1x16384x1x1xf32>, tensor<1x16384x1x1xf32>, none) -> tensor<1x1x1x1xf32>
  %yq = "onnx.QuantizeLinear"(%y, %ys, %xz) : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xui8>
  func.return %yq : tensor<1x1x1x1xui8>
}

// -----

// QLinearMatMul of two activations (K = 4: exact in f32); a QDQ Gemm with a
// transposed constant B (transposed at compile time) and an int32 bias.
// CHECK-LABEL: func.func @qlinear_matmul_and_gemm
// CHECK:     %[[A:.*]] = "onnx.Sub"
// CHECK:     %[[B:.*]] = "onnx.Sub"
// CHECK:     %[[MM:.*]] = "onnx.MatMul"(%[[A]], %[[B]]) {{.*}}-> tensor<3x5xf32>
// CHECK:     "onnx.QuantizeLinear"
// CHECK:     %[[BT:.*]] = "onnx.Constant"() {value = dense<{{\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>}
// CHECK:     %[[G:.*]] = "onnx.MatMul"(%{{.*}}, %[[BT]])
// CHECK:     %[[BIAS:.*]] = "onnx.Constant"() {value = dense<[7.000000e+00, -7.000000e+00]> : tensor<2xf32>}
// CHECK:     "onnx.Add"(%[[G]], %[[BIAS]])
// CHECK-NOT: "onnx.Gemm"
// CHECK-NOT: "onnx.QLinearMatMul"
func.func @qlinear_matmul_and_gemm(%a: tensor<3x4xui8>, %b: tensor<4x5xui8>, %c: tensor<3x2xi8>) -> (tensor<3x5xui8>, tensor<3x2xi8>) {
  %s = "onnx.Constant"() {value = dense<0.1> : tensor<f32>} : () -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<100> : tensor<ui8>} : () -> tensor<ui8>
  %q = "onnx.QLinearMatMul"(%a, %s, %z, %b, %s, %z, %s, %z) : (tensor<3x4xui8>, tensor<f32>, tensor<ui8>, tensor<4x5xui8>, tensor<f32>, tensor<ui8>, tensor<f32>, tensor<ui8>) -> tensor<3x5xui8>
  %s8 = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z8 = "onnx.Constant"() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %bw = "onnx.Constant"() {value = dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>} : () -> tensor<2x2xi8>
  %bb = "onnx.Constant"() {value = dense<[7, -7]> : tensor<2xi32>} : () -> tensor<2xi32>
  %bbs = "onnx.Constant"() {value = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %cf = "onnx.DequantizeLinear"(%c, %s8, %z8) : (tensor<3x2xi8>, tensor<f32>, tensor<i8>) -> tensor<3x2xf32>
  %wf = "onnx.DequantizeLinear"(%bw, %s8, %z8) : (tensor<2x2xi8>, tensor<f32>, tensor<i8>) -> tensor<2x2xf32>
  %bn = "onnx.NoValue"() {value} : () -> none
  %bf = "onnx.DequantizeLinear"(%bb, %bbs, %bn) : (tensor<2xi32>, tensor<f32>, none) -> tensor<2xf32>
  %g = "onnx.Gemm"(%cf, %wf, %bf) {transB = 1 : si64} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %gq = "onnx.QuantizeLinear"(%g, %s8, %z8) : (tensor<3x2xf32>, tensor<f32>, tensor<i8>) -> tensor<3x2xi8>
  func.return %q, %gq : tensor<3x5xui8>, tensor<3x2xi8>
}

// -----

// Not rewritten: a run-time activation scale; a bias at another scale than
// x_scale * w_scale; a Conv result used twice.
// CHECK-LABEL: func.func @left_in_float
// CHECK-COUNT-3: "onnx.Conv"(%{{.*}}) {{.*}}-> tensor<1x1x1x1xf32>
// CHECK-NOT: "onnx.ConvInteger"
func.func @left_in_float(%xq: tensor<1x1x1x1xui8>, %rs: tensor<f32>) -> (tensor<1x1x1x1xui8>, tensor<1x1x1x1xui8>, tensor<1x1x1x1xui8>, tensor<1x1x1x1xf32>) {
  %s = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<0> : tensor<ui8>} : () -> tensor<ui8>
  %wq = "onnx.Constant"() {value = dense<3> : tensor<1x1x1x1xi8>} : () -> tensor<1x1x1x1xi8>
  %z8 = "onnx.Constant"() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %bq = "onnx.Constant"() {value = dense<5> : tensor<1xi32>} : () -> tensor<1xi32>
  %n = "onnx.NoValue"() {value} : () -> none
  %w = "onnx.DequantizeLinear"(%wq, %s, %z8) : (tensor<1x1x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<1x1x1x1xf32>
  %x1 = "onnx.DequantizeLinear"(%xq, %rs, %z) : (tensor<1x1x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xf32>
  %y1 = "onnx.Conv"(%x1, %w, %n) : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, none) -> tensor<1x1x1x1xf32>
  %q1 = "onnx.QuantizeLinear"(%y1, %s, %z) : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xui8>
  %x2 = "onnx.DequantizeLinear"(%xq, %s, %z) : (tensor<1x1x1x1xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xf32>
  %b2 = "onnx.DequantizeLinear"(%bq, %s, %n) : (tensor<1xi32>, tensor<f32>, none) -> tensor<1xf32>
  %y2 = "onnx.Conv"(%x2, %w, %b2) : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %q2 = "onnx.QuantizeLinear"(%y2, %s, %z) : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xui8>
  %y3 = "onnx.Conv"(%x2, %w, %n) : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>, none) -> tensor<1x1x1x1xf32>
  %q3 = "onnx.QuantizeLinear"(%y3, %s, %z) : (tensor<1x1x1x1xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x1x1xui8>
  func.return %q1, %q2, %q3, %y3 : tensor<1x1x1x1xui8>, tensor<1x1x1x1xui8>, tensor<1x1x1x1xui8>, tensor<1x1x1x1xf32>
}

// -----

// The dynamic format's MatMulInteger with constant weights, exact in f32,
// its Cast to f32 replaced by the f32 MatMul.
// CHECK-LABEL: func.func @dynamic_matmul_integer
// CHECK:     %[[A:.*]] = "onnx.Sub"
// CHECK:     %[[R:.*]] = "onnx.MatMul"(%[[A]], %{{.*}}) {{.*}}-> tensor<2x3xf32>
// CHECK:     func.return %[[R]]
func.func @dynamic_matmul_integer(%a: tensor<2x4xui8>, %az: tensor<ui8>) -> tensor<2x3xf32> {
  %w = "onnx.Constant"() {value = dense<5> : tensor<4x3xui8>} : () -> tensor<4x3xui8>
  %wz = "onnx.Constant"() {value = dense<2> : tensor<ui8>} : () -> tensor<ui8>
  %i = "onnx.MatMulInteger"(%a, %w, %az, %wz) : (tensor<2x4xui8>, tensor<4x3xui8>, tensor<ui8>, tensor<ui8>) -> tensor<2x3xi32>
  %f = "onnx.Cast"(%i) {to = 1 : si64} : (tensor<2x3xi32>) -> tensor<2x3xf32>
  func.return %f : tensor<2x3xf32>
}

// -----

// A requantized activation read only as x - x_zp by the next integer-form
// contraction (through a MaxPool, which commutes with the shift) stays in f32:
// Clip(Round(v), 0 - 10, 255 - 10) is exactly q - 10, never materialised as ui8.
// CHECK-LABEL: func.func @shifted_activation
// CHECK:     %[[C1:.*]] = "onnx.Conv"(%{{.*}}) {{.*}}-> tensor<1x2x4x4xf32>
// CHECK:     %[[M1:.*]] = "onnx.Mul"(%[[C1]], %{{.*}})
// CHECK:     %[[R:.*]] = "onnx.Round"(%[[M1]])
// CHECK:     %[[LO:.*]] = "onnx.Constant"() {value = dense<-1.000000e+01> : tensor<f32>}
// CHECK:     %[[HI:.*]] = "onnx.Constant"() {value = dense<2.450000e+02> : tensor<f32>}
// CHECK:     %[[S:.*]] = "onnx.Clip"(%[[R]], %[[LO]], %[[HI]])
// CHECK:     %[[P:.*]], %{{.*}} = "onnx.MaxPool"(%[[S]]) {{.*}}: (tensor<1x2x4x4xf32>) -> (tensor<1x2x2x2xf32>, none)
// CHECK:     "onnx.Conv"(%[[P]], %{{.*}}) {{.*}}-> tensor<1x2x2x2xf32>
// CHECK-NOT: tensor<1x2x4x4xui8>
// CHECK-NOT: tensor<1x2x2x2xui8>, tensor<f32>
func.func @shifted_activation(%xq: tensor<1x1x4x4xui8>) -> tensor<1x2x2x2xui8> {
  %s = "onnx.Constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "onnx.Constant"() {value = dense<10> : tensor<ui8>} : () -> tensor<ui8>
  %z8 = "onnx.Constant"() {value = dense<0> : tensor<i8>} : () -> tensor<i8>
  %w1q = "onnx.Constant"() {value = dense<[[[[1]]], [[[-1]]]]> : tensor<2x1x1x1xi8>} : () -> tensor<2x1x1x1xi8>
  %w2q = "onnx.Constant"() {value = dense<2> : tensor<2x2x1x1xi8>} : () -> tensor<2x2x1x1xi8>
  %n = "onnx.NoValue"() {value} : () -> none
  %x = "onnx.DequantizeLinear"(%xq, %s, %z) : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %w1 = "onnx.DequantizeLinear"(%w1q, %s, %z8) : (tensor<2x1x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<2x1x1x1xf32>
  %y1 = "onnx.Conv"(%x, %w1, %n) : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %q1 = "onnx.QuantizeLinear"(%y1, %s, %z) : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  %p, %pi = "onnx.MaxPool"(%q1) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<1x2x4x4xui8>) -> (tensor<1x2x2x2xui8>, none)
  %d2 = "onnx.DequantizeLinear"(%p, %s, %z) : (tensor<1x2x2x2xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xf32>
  %w2 = "onnx.DequantizeLinear"(%w2q, %s, %z8) : (tensor<2x2x1x1xi8>, tensor<f32>, tensor<i8>) -> tensor<2x2x1x1xf32>
  %y2 = "onnx.Conv"(%d2, %w2, %n) : (tensor<1x2x2x2xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x2x2xf32>
  %q2 = "onnx.QuantizeLinear"(%y2, %s, %z) : (tensor<1x2x2x2xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x2x2xui8>
  func.return %q2 : tensor<1x2x2x2xui8>
}

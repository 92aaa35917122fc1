// RUN: mlopt %s --split-input-file -p onnx-canonicalize | filecheck %s

// CHECK-LABEL: func.func @identity_dropout_cast
// CHECK-NEXT:    func.return %x : tensor<2x3xf32>
func.func @identity_dropout_cast(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Identity"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1, %m = "onnx.Dropout"(%0, %n, %n) {seed = 0 : si64} : (tensor<2x3xf32>, none, none) -> (tensor<2x3xf32>, none)
  %2 = "onnx.Cast"(%1) {to = 1 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %2 : tensor<2x3xf32>
}

// -----

// Dropout in training mode (or with its mask used) stays; a real Cast stays.
// CHECK-LABEL: func.func @kept
// CHECK: "onnx.Dropout"
// CHECK: "onnx.Cast"
func.func @kept(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xf16>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %t = "onnx.Constant"() {value = dense<true> : tensor<i1>} : () -> tensor<i1>
  %1, %m = "onnx.Dropout"(%x, %n, %t) : (tensor<2x3xf32>, none, tensor<i1>) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  %2 = "onnx.Cast"(%x) {to = 10 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf16>
  func.return %1, %m, %2 : tensor<2x3xf32>, tensor<2x3xi1>, tensor<2x3xf16>
}

// -----

// Reshape chains merge into one Reshape of the original input.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-NEXT:    %[[S:.*]] = "onnx.Constant"() {value = dense<[4, 6]> : tensor<2xi64>}
// CHECK-NEXT:    %{{.*}} = "onnx.Reshape"(%x, %[[S]]) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
// CHECK-NEXT:    func.return
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %s1 = "onnx.Constant"() {value = dense<[6, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Reshape"(%x, %s1) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<6x4xf32>
  %s2 = "onnx.Constant"() {value = dense<[4, 0]> : tensor<2xi64>} : () -> tensor<2xi64>
  %1 = "onnx.Reshape"(%0, %s2) : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  %s3 = "onnx.Constant"() {value = dense<[4, 6]> : tensor<2xi64>} : () -> tensor<2xi64>
  %2 = "onnx.Reshape"(%0, %s3) : (tensor<6x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  func.return %2 : tensor<4x6xf32>
}

// -----

// Inverse transposes cancel; other chains merge into one permutation.
// CHECK-LABEL: func.func @transposes
// CHECK-NEXT:    %{{.*}} = "onnx.Transpose"(%x) {perm = [2 : i64, 0 : i64, 1 : i64]} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT:    func.return %x, %{{.*}}
func.func @transposes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x2x3xf32>) {
  %0 = "onnx.Transpose"(%x) {perm = [0, 2, 1]} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %1 = "onnx.Transpose"(%0) {perm = [0, 2, 1]} : (tensor<2x4x3xf32>) -> tensor<2x3x4xf32>
  %2 = "onnx.Transpose"(%0) {perm = [1, 0, 2]} : (tensor<2x4x3xf32>) -> tensor<4x2x3xf32>
  func.return %1, %2 : tensor<2x3x4xf32>, tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_unsqueeze
// CHECK-NEXT:    func.return %x, %y
func.func @squeeze_unsqueeze(%x: tensor<3x4xf32>, %y: tensor<3x1x4xf32>) -> (tensor<3x4xf32>, tensor<3x1x4xf32>) {
  %a = "onnx.Constant"() {value = dense<[0, -2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %b = "onnx.Constant"() {value = dense<[2, 0]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Unsqueeze"(%x, %a) : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<1x3x1x4xf32>
  %1 = "onnx.Squeeze"(%0, %b) : (tensor<1x3x1x4xf32>, tensor<2xi64>) -> tensor<3x4xf32>
  %c = "onnx.Constant"() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %2 = "onnx.Squeeze"(%y, %c) : (tensor<3x1x4xf32>, tensor<1xi64>) -> tensor<3x4xf32>
  %3 = "onnx.Unsqueeze"(%2, %c) : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<3x1x4xf32>
  func.return %1, %3 : tensor<3x4xf32>, tensor<3x1x4xf32>
}

// -----

// BatchNormalization after a Conv with constant weights folds into the Conv:
// W' = W * s/sqrt(v+eps) per output channel, B' = (B - mean) * s/sqrt(v+eps) + b.
// CHECK-LABEL: func.func @bn_into_conv
// CHECK-DAG:     %[[W:.*]] = "onnx.Constant"() {value = dense<[{{\[\[\[}}1.000000e+00]], {{\[\[}}1.000000e+00]]], {{\[\[\[}}6.000000e+00]], {{\[\[}}6.000000e+00]]]]> : tensor<2x2x1x1xf32>}
// CHECK-DAG:     %[[B:.*]] = "onnx.Constant"() {value = dense<[1.000000e+00, 1.000000e+01]> : tensor<2xf32>}
// CHECK:         "onnx.Conv"(%x, %[[W]], %[[B]]) {{.*}}-> tensor<1x2x4x4xf32>
// CHECK-NOT:     onnx.BatchNormalization
func.func @bn_into_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = "onnx.Constant"() {value = dense<[[[[1.0]], [[1.0]]], [[[2.0]], [[2.0]]]]> : tensor<2x2x1x1xf32>} : () -> tensor<2x2x1x1xf32>
  %b = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "onnx.Conv"(%x, %w, %b) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = "onnx.Constant"() {value = dense<[1.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %sh = "onnx.Constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "onnx.Constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "onnx.Constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%c, %s, %sh, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// BN after Gemm (transB) scales the rows of B and the bias.
// CHECK-LABEL: func.func @bn_into_gemm
// CHECK-DAG:  %[[W:.*]] = "onnx.Constant"() {value = dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>}
// CHECK-DAG:  %[[B:.*]] = "onnx.Constant"() {value = dense<[1.000000e+00, 3.000000e+00]> : tensor<2xf32>}
// CHECK:      "onnx.Gemm"(%x, %[[W]], %[[B]]) {{.*}}beta = 1.000000e+00 : f32
func.func @bn_into_gemm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = "onnx.Constant"() {value = dense<1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "onnx.Constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %g = "onnx.Gemm"(%x, %w, %b) {transB = 1 : si64, beta = 2.0 : f32} : (tensor<3x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<3x2xf32>
  %s = "onnx.Constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %sh = "onnx.Constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "onnx.Constant"() {value = dense<[2.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "onnx.Constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%g, %s, %sh, %m, %v) {epsilon = 0.0 : f32} : (tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<3x2xf32>, none, none)
  func.return %y : tensor<3x2xf32>
}

// -----

// A standalone BN (or one whose Conv output has another use) becomes Mul + Add.
// CHECK-LABEL: func.func @bn_standalone
// CHECK-DAG:  %[[F:.*]] = "onnx.Constant"() {value = dense<[{{\[\[}}2.000000e+00]], {{\[\[}}5.000000e-01]]]> : tensor<2x1x1xf32>}
// CHECK-DAG:  %[[S:.*]] = "onnx.Constant"() {value = dense<[{{\[\[}}-1.000000e+00]], {{\[\[}}0.000000e+00]]]> : tensor<2x1x1xf32>}
// CHECK:      %[[M:.*]] = "onnx.Mul"(%x, %[[F]])
// CHECK:      "onnx.Add"(%[[M]], %[[S]])
// CHECK-NOT:  onnx.BatchNormalization
func.func @bn_standalone(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %s = "onnx.Constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %sh = "onnx.Constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "onnx.Constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "onnx.Constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %sh, %m, %v) {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// BN with a non-constant parameter stays.
// CHECK-LABEL: func.func @bn_dynamic
// CHECK: "onnx.BatchNormalization"
func.func @bn_dynamic(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %v = "onnx.Constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %v, %v, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_add
// CHECK-NOT:  "onnx.MatMul"(%x
// CHECK:      "onnx.Gemm"(%x, %{{.*}}, %{{.*}}) : (tensor<4x3xf32>, tensor<3x5xf32>, tensor<5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: %[[MM:.*]] = "onnx.MatMul"(%z
// CHECK:      "onnx.Add"(%[[MM]]
func.func @matmul_add(%x: tensor<4x3xf32>, %z: tensor<2x4x3xf32>) -> (tensor<4x5xf32>, tensor<2x4x5xf32>) {
  %w = "onnx.Constant"() {value = dense<1.0> : tensor<3x5xf32>} : () -> tensor<3x5xf32>
  %b = "onnx.Constant"() {value = dense<2.0> : tensor<5xf32>} : () -> tensor<5xf32>
  %0 = "onnx.MatMul"(%x, %w) : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<4x5xf32>
  %1 = "onnx.Add"(%b, %0) : (tensor<5xf32>, tensor<4x5xf32>) -> tensor<4x5xf32>
  %2 = "onnx.MatMul"(%z, %w) : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  %3 = "onnx.Add"(%2, %b) : (tensor<2x4x5xf32>, tensor<5xf32>) -> tensor<2x4x5xf32>
  func.return %1, %3 : tensor<4x5xf32>, tensor<2x4x5xf32>
}

// -----

// Unused ops are erased; no-op Reshape/Expand/Pad/single Concat are removed.
// CHECK-LABEL: func.func @dead_and_noops
// CHECK-NEXT:    func.return %x
func.func @dead_and_noops(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %dead = "onnx.Exp"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %1 = "onnx.Expand"(%0, %s) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x3xf32>
  %p = "onnx.Constant"() {value = dense<0> : tensor<4xi64>} : () -> tensor<4xi64>
  %2 = "onnx.Pad"(%1, %p, %n, %n) : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<2x3xf32>
  %3 = "onnx.Concat"(%2) {axis = 0 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %3 : tensor<2x3xf32>
}

// -----

// An If with a constant condition becomes its taken branch.
// CHECK-LABEL: func.func @constant_if
// CHECK-NOT:   onnx.If
// CHECK:       %[[N:.*]] = "onnx.Neg"(%x)
// CHECK-NEXT:  func.return %[[N]]
func.func @constant_if(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = "onnx.Constant"() {value = dense<false> : tensor<i1>} : () -> tensor<i1>
  %r = "onnx.If"(%c) ({
    %a = "onnx.Abs"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    "onnx.Yield"(%a) : (tensor<3xf32>) -> ()
  }, {
    %n = "onnx.Neg"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    "onnx.Yield"(%n) : (tensor<3xf32>) -> ()
  }) : (tensor<i1>) -> tensor<3xf32>
  func.return %r : tensor<3xf32>
}

// -----

// Neutral constants disappear when the type does not change.
// CHECK-LABEL: func.func @neutral
// CHECK-NEXT:    %[[Z:.*]] = "onnx.Constant"() {value = dense<0.000000e+00> : tensor<2x3xf32>}
// CHECK-NEXT:    %[[B:.*]] = "onnx.Add"(%x, %[[Z]]) : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %x, %[[B]]
func.func @neutral(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<2x3xf32>) {
  %z = "onnx.Constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = "onnx.Constant"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %0 = "onnx.Add"(%z, %x) : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = "onnx.Mul"(%0, %o) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = "onnx.Div"(%1, %o) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = "onnx.Sub"(%2, %z) : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  // broadcasting changes the shape: stays
  %zz = "onnx.Constant"() {value = dense<0.0> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %4 = "onnx.Add"(%x, %zz) : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %3, %4 : tensor<3xf32>, tensor<2x3xf32>
}

// -----

// A per-channel constant Add after a Conv becomes the Conv's bias.
// CHECK-LABEL: func.func @conv_bias_add
// CHECK:       %[[B:.*]] = "onnx.Constant"() {value = dense<[1.500000e+00, 3.000000e+00]> : tensor<2xf32>}
// CHECK-NEXT:  "onnx.Conv"(%x, %w, %[[B]]) {pads = [1 : i64, 1 : i64, 1 : i64, 1 : i64]} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NOT:   onnx.Add
func.func @conv_bias_add(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32> {
  %b = "onnx.Constant"() {value = dense<[0.5, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "onnx.Conv"(%x, %w, %b) {pads = [1, 1, 1, 1]} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %a = "onnx.Constant"() {value = dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %y = "onnx.Add"(%c, %a) : (tensor<1x2x4x4xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// A zero constant Pad of the spatial dims folds into the Conv's pads.
// CHECK-LABEL: func.func @pad_conv
// CHECK-NEXT:    %[[N:.*]] = "onnx.NoValue"
// CHECK-NEXT:    "onnx.Conv"(%x, %w, %[[N]]) {pads = [1 : i64, 2 : i64, 1 : i64, 0 : i64]} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, none) -> tensor<1x2x4x4xf32>
// CHECK-NOT:     onnx.Pad
func.func @pad_conv(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %p = "onnx.Constant"() {value = dense<[0, 0, 1, 1, 0, 0, 1, 0]> : tensor<8xi64>} : () -> tensor<8xi64>
  %xp = "onnx.Pad"(%x, %p, %n, %n) : (tensor<1x3x4x4xf32>, tensor<8xi64>, none, none) -> tensor<1x3x6x5xf32>
  %c = "onnx.Conv"(%xp, %w, %n) {pads = [0, 1, 0, 0]} : (tensor<1x3x6x5xf32>, tensor<2x3x3x3xf32>, none) -> tensor<1x2x4x4xf32>
  func.return %c : tensor<1x2x4x4xf32>
}

// -----

// Nested Concats on the same axis flatten; a full forward Slice is a no-op.
// CHECK-LABEL: func.func @concat_slice
// CHECK-NEXT:    %[[C:.*]] = "onnx.Concat"(%a, %b, %a) {axis = 0 : si64} : (tensor<2xf32>, tensor<3xf32>, tensor<2xf32>) -> tensor<7xf32>
// CHECK-NEXT:    func.return %[[C]]
func.func @concat_slice(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<7xf32> {
  %0 = "onnx.Concat"(%a, %b) {axis = -1 : si64} : (tensor<2xf32>, tensor<3xf32>) -> tensor<5xf32>
  %1 = "onnx.Concat"(%0, %a) {axis = 0 : si64} : (tensor<5xf32>, tensor<2xf32>) -> tensor<7xf32>
  %s = "onnx.Constant"() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %e = "onnx.Constant"() {value = dense<100> : tensor<1xi64>} : () -> tensor<1xi64>
  %n = "onnx.NoValue"() {value} : () -> none
  %2 = "onnx.Slice"(%1, %s, %e, %n, %n) : (tensor<7xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<7xf32>
  func.return %2 : tensor<7xf32>
}

// -----

// A per-channel constant Mul after a Conv with constant weights scales them.
// CHECK-LABEL: func.func @conv_mul
// CHECK-DAG:   %[[W:.*]] = "onnx.Constant"() {value = dense<[{{\[\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]]]]> : tensor<2x1x1x1xf32>}
// CHECK-DAG:   %[[B:.*]] = "onnx.Constant"() {value = dense<[2.000000e+00, 6.000000e+00]> : tensor<2xf32>}
// CHECK:       "onnx.Conv"(%x, %[[W]], %[[B]])
// CHECK-NOT:   onnx.Mul
func.func @conv_mul(%x: tensor<1x1x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = "onnx.Constant"() {value = dense<1.0> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "onnx.Constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "onnx.Conv"(%x, %w, %b) : (tensor<1x1x3x3xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %s = "onnx.Constant"() {value = dense<[[[2.0]], [[3.0]]]> : tensor<2x1x1xf32>} : () -> tensor<2x1x1xf32>
  %y = "onnx.Mul"(%s, %c) : (tensor<2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// -----

// Mul/Add chains by constants merge: ((x*2)+1)*3 + 4 = x*6 + 7.
// CHECK-LABEL: func.func @affine_chain
// CHECK-NEXT:  %[[S:.*]] = "onnx.Constant"() {value = dense<6.000000e+00> : tensor<f32>}
// CHECK-NEXT:  %[[M:.*]] = "onnx.Mul"(%x, %[[S]])
// CHECK-NEXT:  %[[T:.*]] = "onnx.Constant"() {value = dense<7.000000e+00> : tensor<f32>}
// CHECK-NEXT:  %[[A:.*]] = "onnx.Add"(%[[M]], %[[T]])
// CHECK-NEXT:  func.return %[[A]]
func.func @affine_chain(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c2 = "onnx.Constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %c1 = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %c3 = "onnx.Constant"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %c4 = "onnx.Constant"() {value = dense<4.0> : tensor<f32>} : () -> tensor<f32>
  %0 = "onnx.Mul"(%x, %c2) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = "onnx.Add"(%c1, %0) : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = "onnx.Mul"(%1, %c3) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = "onnx.Add"(%2, %c4) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  func.return %3 : tensor<4xf32>
}

// -----

// Integer chains and shape-changing constants are left alone.
// CHECK-LABEL: func.func @affine_kept
// CHECK-COUNT-2: "onnx.Mul"
// CHECK-COUNT-2: "onnx.Add"
func.func @affine_kept(%x: tensor<4xi32>, %y: tensor<4xf32>) -> (tensor<4xi32>, tensor<2x4xf32>) {
  %c = "onnx.Constant"() {value = dense<3> : tensor<i32>} : () -> tensor<i32>
  %0 = "onnx.Mul"(%x, %c) : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %1 = "onnx.Mul"(%0, %c) : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %f = "onnx.Constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %g = "onnx.Constant"() {value = dense<2.0> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %2 = "onnx.Add"(%y, %f) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = "onnx.Add"(%2, %g) : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %1, %3 : tensor<4xi32>, tensor<2x4xf32>
}

// -----

// Inference-mode Dropout whose mask is used: the mask becomes all-true.
// CHECK-LABEL: func.func @dropout_mask
// CHECK:       %[[S:.*]] = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>}
// CHECK-NEXT:  %[[M:.*]] = "onnx.ConstantOfShape"(%[[S]]) {value = dense<true> : tensor<1xi1>} : (tensor<2xi64>) -> tensor<2x3xi1>
// CHECK-NEXT:  func.return %x, %[[M]]
func.func @dropout_mask(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi1>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %y, %m = "onnx.Dropout"(%x, %n, %n) : (tensor<2x3xf32>, none, none) -> (tensor<2x3xf32>, tensor<2x3xi1>)
  func.return %y, %m : tensor<2x3xf32>, tensor<2x3xi1>
}

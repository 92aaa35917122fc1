// RUN: mlopt %s --split-input-file -p onnx-shape-inference | filecheck %s

// Elementwise ops broadcast; the func signature follows the returned values.
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME: -> (tensor<2x3x4xf32>, tensor<2x3x4xi1>)
// CHECK: "onnx.Add"{{.*}} -> tensor<2x3x4xf32>
// CHECK: "onnx.Less"{{.*}} -> tensor<2x3x4xi1>
func.func @broadcast(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>) -> (tensor<*xf32>, tensor<*xi1>) {
  %0 = "onnx.Add"(%a, %b) : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<*xf32>
  %1 = "onnx.Less"(%0, %a) : (tensor<*xf32>, tensor<2x1x4xf32>) -> tensor<*xi1>
  func.return %0, %1 : tensor<*xf32>, tensor<*xi1>
}

// -----

// Symbolic dims stay dynamic.
// CHECK-LABEL: func.func @symbolic
// CHECK: "onnx.Relu"{{.*}} -> tensor<?x8xf32>
// CHECK: "onnx.MatMul"{{.*}} -> tensor<?x5xf32>
func.func @symbolic(%a: tensor<?x8xf32>, %w: tensor<8x5xf32>) -> tensor<*xf32> {
  %0 = "onnx.Relu"(%a) : (tensor<?x8xf32>) -> tensor<*xf32>
  %1 = "onnx.MatMul"(%0, %w) : (tensor<*xf32>, tensor<8x5xf32>) -> tensor<*xf32>
  func.return %1 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batched
// CHECK: "onnx.MatMul"{{.*}} -> tensor<5x2x3x7xf32>
// CHECK: "onnx.MatMul"{{.*}} -> tensor<5x1x7xf32>
// CHECK: "onnx.MatMul"{{.*}} -> tensor<2x3xf32>
func.func @matmul_batched(%a: tensor<2x3x4xf32>, %b: tensor<5x1x4x7xf32>, %v: tensor<4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = "onnx.MatMul"(%a, %b) : (tensor<2x3x4xf32>, tensor<5x1x4x7xf32>) -> tensor<*xf32>
  %1 = "onnx.MatMul"(%v, %b) : (tensor<4xf32>, tensor<5x1x4x7xf32>) -> tensor<*xf32>
  %2 = "onnx.MatMul"(%a, %v) : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  func.return %1, %2 : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @gemm
// CHECK: "onnx.Gemm"{{.*}} -> tensor<4x10xf32>
func.func @gemm(%a: tensor<8x4xf32>, %b: tensor<10x8xf32>, %c: tensor<10xf32>) -> tensor<*xf32> {
  %0 = "onnx.Gemm"(%a, %b, %c) {transA = 1 : si64, transB = 1 : si64} : (tensor<8x4xf32>, tensor<10x8xf32>, tensor<10xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @conv_pool
// CHECK: "onnx.Conv"{{.*}} -> tensor<1x16x16x16xf32>
// CHECK: "onnx.Conv"{{.*}} -> tensor<1x16x32x32xf32>
// CHECK: "onnx.MaxPool"{{.*}} -> (tensor<1x16x8x8xf32>, none)
// CHECK: "onnx.AveragePool"{{.*}} -> tensor<1x16x8x8xf32>
// CHECK: "onnx.GlobalAveragePool"{{.*}} -> tensor<1x16x1x1xf32>
// CHECK: "onnx.Flatten"{{.*}} -> tensor<1x16xf32>
func.func @conv_pool(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>, %w2: tensor<16x16x1x1xf32>) -> tensor<*xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Conv"(%x, %w, %n) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, none) -> tensor<*xf32>
  %s = "onnx.Conv"(%x, %w, %n) {auto_pad = "SAME_UPPER"} : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>, none) -> tensor<*xf32>
  %1, %i = "onnx.MaxPool"(%0) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<*xf32>) -> (tensor<*xf32>, none)
  %2 = "onnx.AveragePool"(%0) {kernel_shape = [3, 3], strides = [2, 2], ceil_mode = 1 : si64} : (tensor<*xf32>) -> tensor<*xf32>
  %3 = "onnx.GlobalAveragePool"(%2) : (tensor<*xf32>) -> tensor<*xf32>
  %4 = "onnx.Flatten"(%3) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %4 : tensor<*xf32>
}

// -----

// Reshape with a constant shape (0 copies a dim, -1 is inferred), Transpose, Concat.
// CHECK-LABEL: func.func @data_movement
// CHECK: "onnx.Reshape"{{.*}} -> tensor<2x12xf32>
// CHECK: "onnx.Transpose"{{.*}} -> tensor<12x2xf32>
// CHECK: "onnx.Concat"{{.*}} -> tensor<12x5xf32>
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<12x3xf32>) -> tensor<*xf32> {
  %s = "onnx.Constant"() {value = dense<[0, -1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = "onnx.Transpose"(%0) {perm = [1, 0]} : (tensor<*xf32>) -> tensor<*xf32>
  %2 = "onnx.Concat"(%1, %y) {axis = -1 : si64} : (tensor<*xf32>, tensor<12x3xf32>) -> tensor<*xf32>
  func.return %2 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @split_slice
// CHECK: "onnx.Split"{{.*}} -> (tensor<2x6xf32>, tensor<4x6xf32>)
// CHECK: "onnx.Split"{{.*}} -> (tensor<6x2xf32>, tensor<6x2xf32>, tensor<6x2xf32>)
// CHECK: "onnx.Slice"{{.*}} -> tensor<3x2xf32>
func.func @split_slice(%x: tensor<6x6xf32>) -> tensor<*xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %sp = "onnx.Constant"() {value = dense<[2, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  %a, %b = "onnx.Split"(%x, %sp) {axis = 0 : si64} : (tensor<6x6xf32>, tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  %c, %d, %e = "onnx.Split"(%x, %n) {axis = 1 : si64, num_outputs = 3 : si64} : (tensor<6x6xf32>, none) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %st = "onnx.Constant"() {value = dense<[0, 5]> : tensor<2xi64>} : () -> tensor<2xi64>
  %en = "onnx.Constant"() {value = dense<[100, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %ax = "onnx.Constant"() {value = dense<[0, 1]> : tensor<2xi64>} : () -> tensor<2xi64>
  %sd = "onnx.Constant"() {value = dense<[2, -2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Slice"(%x, %st, %en, %ax, %sd) : (tensor<6x6xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @squeeze_gather_reduce
// CHECK: "onnx.Unsqueeze"{{.*}} -> tensor<1x3x1x4xf32>
// CHECK: "onnx.Squeeze"{{.*}} -> tensor<3x4xf32>
// CHECK: "onnx.Gather"{{.*}} -> tensor<3x2x5xf32>
// CHECK: "onnx.ReduceMean"{{.*}} -> tensor<3x1xf32>
// CHECK: "onnx.ReduceSum"{{.*}} -> tensor<4xf32>
// CHECK: "onnx.ArgMax"{{.*}} -> tensor<4xi64>
// CHECK: "onnx.Cast"{{.*}} -> tensor<3x4xf16>
func.func @squeeze_gather_reduce(%x: tensor<3x4xf32>, %i: tensor<2x5xi64>) -> tensor<*xf16> {
  %a = "onnx.Constant"() {value = dense<[0, 2]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.Unsqueeze"(%x, %a) : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = "onnx.Squeeze"(%0, %a) : (tensor<*xf32>, tensor<2xi64>) -> tensor<*xf32>
  %2 = "onnx.Gather"(%1, %i) {axis = 1 : si64} : (tensor<*xf32>, tensor<2x5xi64>) -> tensor<*xf32>
  %r1 = "onnx.Constant"() {value = dense<1> : tensor<1xi64>} : () -> tensor<1xi64>
  %3 = "onnx.ReduceMean"(%x, %r1) : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  %r0 = "onnx.Constant"() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %4 = "onnx.ReduceSum"(%x, %r0) {keepdims = 0 : si64} : (tensor<3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  %5 = "onnx.ArgMax"(%x) {keepdims = 0 : si64} : (tensor<3x4xf32>) -> tensor<*xi64>
  %6 = "onnx.Cast"(%x) {to = 10 : si64} : (tensor<3x4xf32>) -> tensor<*xf16>
  func.return %6 : tensor<*xf16>
}

// -----

// Shape arithmetic (PyTorch's Shape -> Gather -> Unsqueeze -> Concat ->
// Reshape) is propagated as values, so the Reshape gets a static type.
// CHECK-LABEL: func.func @shape_chain
// CHECK-SAME: -> tensor<2x12xf32>
// CHECK: "onnx.Shape"{{.*}} -> tensor<3xi64>
// CHECK: "onnx.Gather"{{.*}} -> tensor<i64>
// CHECK: "onnx.Unsqueeze"{{.*}} -> tensor<1xi64>
// CHECK: "onnx.Concat"{{.*}} -> tensor<2xi64>
// CHECK: "onnx.Reshape"{{.*}} -> tensor<2x12xf32>
func.func @shape_chain(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = "onnx.Shape"(%x) : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %i = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %g = "onnx.Gather"(%s, %i) {axis = 0 : si64} : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %a = "onnx.Constant"() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %u = "onnx.Unsqueeze"(%g, %a) : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = "onnx.Constant"() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %c = "onnx.Concat"(%u, %m) {axis = 0 : si64} : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %r = "onnx.Reshape"(%x, %c) : (tensor<2x3x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  func.return %r : tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @fill_expand_tile_pad
// CHECK: "onnx.ConstantOfShape"{{.*}} -> tensor<2x3xi32>
// CHECK: "onnx.Expand"{{.*}} -> tensor<4x2x3xi32>
// CHECK: "onnx.Tile"{{.*}} -> tensor<4x4x9xi32>
// CHECK: "onnx.Pad"{{.*}} -> tensor<5x4x12xi32>
func.func @fill_expand_tile_pad() -> tensor<*xi32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %s = "onnx.Constant"() {value = dense<[2, 3]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.ConstantOfShape"(%s) {value = dense<7> : tensor<1xi32>} : (tensor<2xi64>) -> tensor<*xi32>
  %e = "onnx.Constant"() {value = dense<[4, 1, 1]> : tensor<3xi64>} : () -> tensor<3xi64>
  %1 = "onnx.Expand"(%0, %e) : (tensor<*xi32>, tensor<3xi64>) -> tensor<*xi32>
  %t = "onnx.Constant"() {value = dense<[1, 2, 3]> : tensor<3xi64>} : () -> tensor<3xi64>
  %2 = "onnx.Tile"(%1, %t) : (tensor<*xi32>, tensor<3xi64>) -> tensor<*xi32>
  %p = "onnx.Constant"() {value = dense<[1, 0, 1, 0, 0, 2]> : tensor<6xi64>} : () -> tensor<6xi64>
  %3 = "onnx.Pad"(%2, %p, %n, %n) : (tensor<*xi32>, tensor<6xi64>, none, none) -> tensor<*xi32>
  func.return %3 : tensor<*xi32>
}

// -----

// Ops without a hand-written shape function use onnx's own inference.
// CHECK-LABEL: func.func @onnx_fallback
// CHECK: "onnx.DepthToSpace"{{.*}} -> tensor<1x2x6x6xf32>
// CHECK: "onnx.LpNormalization"{{.*}} -> tensor<1x2x6x6xf32>
func.func @onnx_fallback(%x: tensor<1x18x2x2xf32>) -> tensor<*xf32> {
  %0 = "onnx.DepthToSpace"(%x) {blocksize = 3 : si64} : (tensor<1x18x2x2xf32>) -> tensor<*xf32>
  %1 = "onnx.LpNormalization"(%0) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %1 : tensor<*xf32>
}

// -----

// A partly static declared type is refined, never contradicted.
// CHECK-LABEL: func.func @refine
// CHECK: "onnx.Relu"{{.*}} -> tensor<4x5xf32>
func.func @refine(%x: tensor<4x5xf32>) -> tensor<?x5xf32> {
  %0 = "onnx.Relu"(%x) : (tensor<4x5xf32>) -> tensor<?x5xf32>
  func.return %0 : tensor<?x5xf32>
}

// -----

// A dynamic dim taken from the data's own Shape stays symbolic through
// Gather/Unsqueeze/Concat, so Reshape's -1 still resolves (x.view(x.size(0), -1)).
// CHECK-LABEL: func.func @symbolic_flatten
// CHECK-SAME:    -> (tensor<?x60xf32>, tensor<?x?xf32>)
// CHECK:       "onnx.Reshape"(%x, %{{.*}}) : (tensor<?x3x4x5xf32>, tensor<2xi64>) -> tensor<?x60xf32>
// CHECK:       "onnx.Reshape"(%y, %{{.*}}) : (tensor<?x3x4x5xf32>, tensor<2xi64>) -> tensor<?x?xf32>
func.func @symbolic_flatten(%x: tensor<?x3x4x5xf32>, %y: tensor<?x3x4x5xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %s = "onnx.Shape"(%x) : (tensor<?x3x4x5xf32>) -> tensor<*xi64>
  %i = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %g = "onnx.Gather"(%s, %i) {axis = 0 : si64} : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %a = "onnx.Constant"() {value = dense<0> : tensor<1xi64>} : () -> tensor<1xi64>
  %u = "onnx.Unsqueeze"(%g, %a) : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = "onnx.Constant"() {value = dense<-1> : tensor<1xi64>} : () -> tensor<1xi64>
  %c = "onnx.Concat"(%u, %m) {axis = 0 : si64} : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %r = "onnx.Reshape"(%x, %c) : (tensor<?x3x4x5xf32>, tensor<*xi64>) -> tensor<*xf32>
  // the batch of %x is not known to equal the batch of %y: unresolved
  %r2 = "onnx.Reshape"(%y, %c) : (tensor<?x3x4x5xf32>, tensor<*xi64>) -> tensor<*xf32>
  func.return %r, %r2 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Flatten's axis ranges over [-rank, rank]: axis == rank gives [prod, 1],
// axis == -rank and axis == 0 give [1, prod].
// CHECK-LABEL: func.func @flatten_axes
// CHECK: "onnx.Flatten"{{.*}}axis = 3{{.*}} -> tensor<24x1xf32>
// CHECK: "onnx.Flatten"{{.*}}axis = -3{{.*}} -> tensor<1x24xf32>
// CHECK: "onnx.Flatten"{{.*}}axis = 0{{.*}} -> tensor<1x24xf32>
// CHECK: "onnx.Flatten"{{.*}}axis = 1{{.*}} -> tensor<5x1xf32>
func.func @flatten_axes(%x: tensor<2x3x4xf32>, %v: tensor<5xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = "onnx.Flatten"(%x) {axis = 3 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %1 = "onnx.Flatten"(%x) {axis = -3 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %2 = "onnx.Flatten"(%x) {axis = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  %3 = "onnx.Flatten"(%v) {axis = 1 : si64} : (tensor<5xf32>) -> tensor<*xf32>
  func.return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

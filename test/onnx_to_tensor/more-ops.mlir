// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// RNN: the input projection x W^T of all steps is one matmul before the time
// loop; each step adds h R^T, applies tanh and writes its Y row (test
// rnn-loop.mlir has the reverse, masked and bidirectional forms).
// CHECK-LABEL: func.func @rnn
// CHECK-SAME: (%{{\w+}}: tensor<1x1x2xf32>, %{{\w+}}: tensor<1x1x2xf32>, %{{\w+}}: tensor<1x1x1xf32>) -> tensor<1x1x1x1xf32>
// CHECK: %[[XW:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2xf32>, tensor<2x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: %[[Y:.*]], %{{.*}} = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[YI:.*]] = %{{.*}}, %[[HI:.*]] = %{{.*}}) -> (tensor<1x1x1x1xf32>, tensor<1x1xf32>) {
// CHECK: tensor.extract_slice %{{.*}}[%[[T]], 0, 0] [1, 1, 1] [1, 1, 1] : tensor<1x1x1xf32> to tensor<1x1x1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[HI]], %{{.*}} : tensor<1x1xf32>, tensor<1x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: math.tanh %{{.*}} : f32
// CHECK: %[[YN:.*]] = tensor.insert_slice %{{.*}} into %[[YI]][%[[T]], 0, 0, 0] [1, 1, 1, 1] [1, 1, 1, 1] : tensor<1x1x1x1xf32> into tensor<1x1x1x1xf32>
// CHECK-NEXT: scf.yield %[[YN]], %{{.*}} : tensor<1x1x1x1xf32>, tensor<1x1xf32>
// CHECK: func.return %[[Y]] : tensor<1x1x1x1xf32>
func.func @rnn(%x: tensor<1x1x2xf32>, %w: tensor<1x1x2xf32>, %r: tensor<1x1x1xf32>) -> tensor<1x1x1x1xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %y, %h = "onnx.RNN"(%x, %w, %r, %n, %n, %n) {hidden_size = 1 : si64} : (tensor<1x1x2xf32>, tensor<1x1x2xf32>, tensor<1x1x1xf32>, none, none, none) -> (tensor<1x1x1x1xf32>, none)
  func.return %y : tensor<1x1x1x1xf32>
}

// -----

// GridSample nearest: one generic reading the grid and the input by extract.
// CHECK-LABEL: func.func @grid_sample
// CHECK-SAME: (%{{\w+}}: tensor<1x1x2x2xf32>, %{{\w+}}: tensor<1x1x1x2xf32>) -> tensor<1x1x1x1xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<1x1x1x1xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{\w+}} : tensor<1x1x1x1xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 3 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<1x1x1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.roundeven %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<1x1x1x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.addf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.subf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.divf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = math.roundeven %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maximumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minimumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minnumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maxnumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.fptosi %{{\w+}} : f32 to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi sge, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi sle, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.maxsi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.minsi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 2.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.minnumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.maxnumf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.fptosi %{{\w+}} : f32 to i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi sge, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi sle, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.maxsi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK-NEXT: %{{\w+}} = arith.minsi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.andi %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<1x1x2x2xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<1x1x1x1xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<1x1x1x1xf32>
func.func @grid_sample(%x: tensor<1x1x2x2xf32>, %g: tensor<1x1x1x2xf32>) -> tensor<1x1x1x1xf32> {
  %0 = "onnx.GridSample"(%x, %g) {mode = "nearest", padding_mode = "border"} : (tensor<1x1x2x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x1xf32>
  func.return %0 : tensor<1x1x1x1xf32>
}

// -----

// ScatterND: the indices are checked first (mlopt.check_index against the
// size of axis 0), then each output element folds the updates that target it.
// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME: (%{{\w+}}: tensor<4xf32>, %{{\w+}}: tensor<2x1xi64>, %{{\w+}}: tensor<2xf32>) -> tensor<4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x1xi64>
// CHECK-NEXT: %[[SAFE:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x1xi64>) outs(%{{\w+}} : tensor<2x1xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 4 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = mlopt.check_index %{{\w+}}, %{{\w+}}, %{{\w+}} {node = "", op = "ScatterND"}
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: linalg.yield %{{\w+}} : i64
// CHECK-NEXT: } -> tensor<2x1xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2xf32>, tensor<2xf32>) outs(%{{\w+}} : tensor<4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %[[SAFE]][%{{\w+}}, %{{\w+}}] : tensor<2x1xi64>
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<4xf32>
func.func @scatter_nd(%d: tensor<4xf32>, %i: tensor<2x1xi64>, %u: tensor<2xf32>) -> tensor<4xf32> {
  %0 = "onnx.ScatterND"(%d, %i, %u) : (tensor<4xf32>, tensor<2x1xi64>, tensor<2xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

// GatherND: index t of each tuple is checked against the size of axis t (the
// bound and axis are selected by the position in the last dimension).
// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>, %{{\w+}}: tensor<2x2xi64>) -> tensor<2xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x2xi64>
// CHECK-NEXT: %[[SAFE:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x2xi64>) outs(%{{\w+}} : tensor<2x2xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: i64):
// CHECK-NEXT: %[[I:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %[[T:\w+]] = linalg.index 1 : index
// CHECK-NEXT: %[[B1:\w+]] = arith.constant 3 : index
// CHECK-NEXT: %[[A1:\w+]] = arith.constant 1 : index
// CHECK-NEXT: %[[Z:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %[[AT0:\w+]] = arith.cmpi eq, %[[T]], %[[Z]] : index
// CHECK-NEXT: %[[B0:\w+]] = arith.constant 2 : index
// CHECK-NEXT: %[[B:\w+]] = arith.select %[[AT0]], %[[B0]], %[[B1]] : index
// CHECK-NEXT: %[[A0:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %[[A:\w+]] = arith.select %[[AT0]], %[[A0]], %[[A1]] : index
// CHECK-NEXT: %{{\w+}} = mlopt.check_index %[[I]], %[[B]], %[[A]] {node = "", op = "GatherND"}
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: linalg.yield %{{\w+}} : i64
// CHECK-NEXT: } -> tensor<2x2xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%{{\w+}} : tensor<2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %[[SAFE]][%{{\w+}}, %{{\w+}}] : tensor<2x2xi64>
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %[[SAFE]][%{{\w+}}, %{{\w+}}] : tensor<2x2xi64>
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%{{\w+}}, %{{\w+}}] : tensor<2x3xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2xf32>
func.func @gather_nd(%d: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2xf32> {
  %0 = "onnx.GatherND"(%d, %i) : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @cumprod_reverse_sequence
// CHECK-SAME: (%{{\w+}}: tensor<3x2xf32>, %{{\w+}}: tensor<2xi64>) -> (tensor<3x2xf32>, tensor<3x2xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<3x2xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<3x2xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}} : tensor<3x2xf32>) outs(%{{\w+}} : tensor<3x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi ule, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.mulf %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<3x2xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2xi64>) outs(%{{\w+}} : tensor<3x2xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi slt, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 3 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %[[SRC:\w+]] = mlopt.check_index %{{\w+}}, %{{\w+}}, %{{\w+}} {node = "", op = "ReverseSequence", unsigned}
// CHECK-NEXT: %[[B:\w+]] = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%[[SRC]], %[[B]]] : tensor<3x2xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3x2xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<3x2xf32>, tensor<3x2xf32>
func.func @cumprod_reverse_sequence(%x: tensor<3x2xf32>, %l: tensor<2xi64>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %a = "onnx.Constant"() {value = dense<0> : tensor<i64>} : () -> tensor<i64>
  %0 = "onnx.CumProd"(%x, %a) : (tensor<3x2xf32>, tensor<i64>) -> tensor<3x2xf32>
  %1 = "onnx.ReverseSequence"(%x, %l) : (tensor<3x2xf32>, tensor<2xi64>) -> tensor<3x2xf32>
  func.return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// CenterCropPad: crop with extract_slice, pad with fill + insert_slice.
// CHECK-LABEL: func.func @center_crop_pad
// CHECK-SAME: (%{{\w+}}: tensor<4x2xf32>) -> tensor<2x4xf32>
// CHECK: %{{\w+}} = tensor.extract_slice %{{\w+}}[1, 0] [2, 2] [1, 1] : tensor<4x2xf32> to tensor<2x2xf32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : f32) outs(%{{\w+}} : tensor<2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{\w+}} = tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 1] [2, 2] [1, 1] : tensor<2x2xf32> into tensor<2x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x4xf32>
func.func @center_crop_pad(%x: tensor<4x2xf32>) -> tensor<2x4xf32> {
  %s = "onnx.Constant"() {value = dense<[2, 4]> : tensor<2xi64>} : () -> tensor<2xi64>
  %0 = "onnx.CenterCropPad"(%x, %s) : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @bitcast_hardmax
// CHECK-SAME: (%{{\w+}}: tensor<2x3xf32>) -> (tensor<2x3xi32>, tensor<2x3xf32>)
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xf32>) outs(%{{\w+}} : tensor<2x3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.bitcast %{{\w+}} : f32 to i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<2x3xi32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2xf32>
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
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.ori %{{\w+}}, %{{\w+}} : i1
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: linalg.yield %{{\w+}}, %{{\w+}} : f32, i64
// CHECK-NEXT: } -> (tensor<2xf32>, tensor<2xi64>)
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2xi64>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}}, %{{\w+}} : tensor<2x3xi32>, tensor<2x3xf32>
func.func @bitcast_hardmax(%x: tensor<2x3xf32>) -> (tensor<2x3xi32>, tensor<2x3xf32>) {
  %0 = "onnx.BitCast"(%x) {to = 6 : si64} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %1 = "onnx.Hardmax"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0, %1 : tensor<2x3xi32>, tensor<2x3xf32>
}

// -----

// MatMulInteger: zero points are subtracted in the widened type first.
// CHECK-LABEL: func.func @matmul_integer
// CHECK-SAME: (%{{\w+}}: tensor<2x3xi8>, %{{\w+}}: tensor<3x2xi8>) -> tensor<2x2xi32>
// CHECK: %{{\w+}} = arith.constant dense<3> : tensor<i8>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xi8>, tensor<i8>) outs(%{{\w+}} : tensor<2x3xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i8, %{{\w+}}: i8, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.extui %{{\w+}} : i8 to i32
// CHECK-NEXT: %{{\w+}} = arith.extui %{{\w+}} : i8 to i32
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<2x3xi32>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x2xi32>
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i32
// CHECK-NEXT: %{{\w+}} = linalg.fill ins(%{{\w+}} : i32) outs(%{{\w+}} : tensor<2x2xi32>) -> tensor<2x2xi32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{\w+}}, %{{\w+}} : tensor<2x3xi32>, tensor<3x2xi8>) outs(%{{\w+}} : tensor<2x2xi32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i8, %{{\w+}}: i32):
// CHECK-NEXT: %{{\w+}} = arith.extui %{{\w+}} : i8 to i32
// CHECK-NEXT: %{{\w+}} = arith.muli %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : i32
// CHECK-NEXT: linalg.yield %{{\w+}} : i32
// CHECK-NEXT: } -> tensor<2x2xi32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x2xi32>
func.func @matmul_integer(%a: tensor<2x3xui8>, %b: tensor<3x2xui8>) -> tensor<2x2xi32> {
  %za = "onnx.Constant"() {value = dense<3> : tensor<ui8>} : () -> tensor<ui8>
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.MatMulInteger"(%a, %b, %za, %n) : (tensor<2x3xui8>, tensor<3x2xui8>, tensor<ui8>, none) -> tensor<2x2xi32>
  func.return %0 : tensor<2x2xi32>
}

// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// Gather: a first generic over the indices checks each one (mlopt.check_index:
// negative indices wrap, an out-of-range one is recorded and replaced by 0);
// the gather then reads the checked i64 indices as they are, so the check runs
// once per index, not per gathered element.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%{{\w+}}: tensor<5x4xf32>, %{{\w+}}: tensor<2x3xi64>) -> tensor<2x3x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xi64>
// CHECK-NEXT: %[[SAFE:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xi64>) outs(%{{\w+}} : tensor<2x3xi64>) {
// CHECK-NEXT: ^bb0(%[[I:\w+]]: i64, %{{\w+}}: i64):
// CHECK-NEXT: %[[IX:\w+]] = arith.index_cast %[[I]] : i64 to index
// CHECK-NEXT: %[[B:\w+]] = arith.constant 5 : index
// CHECK-NEXT: %[[A:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %[[S:\w+]] = mlopt.check_index %[[IX]], %[[B]], %[[A]] {node = "g0", op = "Gather"}
// CHECK-NEXT: %[[S64:\w+]] = arith.index_cast %[[S]] : index to i64
// CHECK-NEXT: linalg.yield %[[S64]] : i64
// CHECK-NEXT: } -> tensor<2x3xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[SAFE]] : tensor<2x3xi64>) outs(%{{\w+}} : tensor<2x3x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %[[R:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %[[C:\w+]] = linalg.index 2 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%[[R]], %[[C]]] : tensor<5x4xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3x4xf32>
func.func @gather(%d: tensor<5x4xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %0 = "onnx.Gather"(%d, %i) {axis = 0 : si64, onnx_node_name = "g0"} : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  func.return %0 : tensor<2x3x4xf32>
}

// -----

// Constant indices are checked (and wrapped) at compile time: a constant of
// the normalised indices, no mlopt.check_index.
// CHECK-LABEL: func.func @gather_constant
// CHECK-NOT: mlopt.check_index
// CHECK: %[[K:\w+]] = arith.constant dense<[4, 0, 3]> : tensor<3xi64>
// CHECK-NOT: mlopt.check_index
// CHECK: linalg.generic {{.*}} ins(%[[K]] : tensor<3xi64>)
// CHECK-NOT: mlopt.check_index
// CHECK: func.return
func.func @gather_constant(%d: tensor<5x4xf32>) -> tensor<3x4xf32> {
  %i = "onnx.Constant"() {value = dense<[-1, 0, 3]> : tensor<3xi64>} : () -> tensor<3xi64>
  %0 = "onnx.Gather"(%d, %i) {axis = 0 : si64} : (tensor<5x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  func.return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%{{\w+}}: tensor<3x3xf32>, %{{\w+}}: tensor<2x3xi32>) -> tensor<2x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<2x3xi64>
// CHECK-NEXT: %[[SAFE:\w+]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<2x3xi32>) outs(%{{\w+}} : tensor<2x3xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i32, %{{\w+}}: i64):
// CHECK-NEXT: %{{\w+}} = arith.extsi %{{\w+}} : i32 to i64
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 3 : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : index
// CHECK-NEXT: %{{\w+}} = mlopt.check_index %{{\w+}}, %{{\w+}}, %{{\w+}} {node = "", op = "GatherElements"}
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: linalg.yield %{{\w+}} : i64
// CHECK-NEXT: } -> tensor<2x3xi64>
// CHECK-NEXT: %{{\w+}} = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[SAFE]] : tensor<2x3xi64>) outs(%{{\w+}} : tensor<2x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %[[C:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %[[R:\w+]] = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = tensor.extract %{{\w+}}[%[[R]], %[[C]]] : tensor<3x3xf32>
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<2x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<2x3xf32>
func.func @gather_elements(%d: tensor<3x3xf32>, %i: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %0 = "onnx.GatherElements"(%d, %i) {axis = 1 : si64} : (tensor<3x3xf32>, tensor<2x3xi32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// OneHot has no check: ONNX defines an out-of-range index as an all-off row,
// and the lowering only compares indices with the position.
// CHECK-LABEL: func.func @onehot
// CHECK-SAME: (%{{\w+}}: tensor<3xi64>) -> tensor<3x4xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3x4xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<3xi64>) outs(%{{\w+}} : tensor<3x4xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi slt, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 4 : index
// CHECK-NEXT: %{{\w+}} = arith.addi %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.cmpi eq, %{{\w+}}, %{{\w+}} : index
// CHECK-NEXT: %{{\w+}} = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3x4xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3x4xf32>
func.func @onehot(%i: tensor<3xi64>) -> tensor<3x4xf32> {
  %d = "onnx.Constant"() {value = dense<4> : tensor<i64>} : () -> tensor<i64>
  %v = "onnx.Constant"() {value = dense<[0.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = "onnx.OneHot"(%i, %d, %v) : (tensor<3xi64>, tensor<i64>, tensor<2xf32>) -> tensor<3x4xf32>
  func.return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @trilu
// CHECK-SAME: (%{{\w+}}: tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK: %{{\w+}} = tensor.empty() : tensor<3x3xf32>
// CHECK-NEXT: %{{\w+}} = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%{{\w+}} : tensor<3x3xf32>) outs(%{{\w+}} : tensor<3x3xf32>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: f32, %{{\w+}}: f32):
// CHECK-NEXT: %{{\w+}} = linalg.index 0 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = linalg.index 1 : index
// CHECK-NEXT: %{{\w+}} = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: %{{\w+}} = arith.subi %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : i64
// CHECK-NEXT: %{{\w+}} = arith.cmpi sle, %{{\w+}}, %{{\w+}} : i64
// CHECK-NEXT: %{{\w+}} = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %{{\w+}} = arith.select %{{\w+}}, %{{\w+}}, %{{\w+}} : f32
// CHECK-NEXT: linalg.yield %{{\w+}} : f32
// CHECK-NEXT: } -> tensor<3x3xf32>
// CHECK-NEXT: func.return %{{\w+}} : tensor<3x3xf32>
func.func @trilu(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Trilu"(%x, %n) {upper = 0 : si64} : (tensor<3x3xf32>, none) -> tensor<3x3xf32>
  func.return %0 : tensor<3x3xf32>
}

// -----

// RotaryEmbedding: position ids index the cos/sin caches; they are checked
// (without wrapping: a negative position is out of range) once per position.
// CHECK-LABEL: func.func @rope
// CHECK: %[[SAFE:\w+]] = linalg.generic {{.*}} ins(%{{\w+}} : tensor<1x3xi64>) outs(%{{\w+}} : tensor<1x3xi64>) {
// CHECK-NEXT: ^bb0(%{{\w+}}: i64, %{{\w+}}: i64):
// CHECK-NEXT: %[[I:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %[[B:\w+]] = arith.constant 5 : index
// CHECK-NEXT: %[[A:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %{{\w+}} = mlopt.check_index %[[I]], %[[B]], %[[A]] {node = "rope", op = "RotaryEmbedding", unsigned}
// CHECK: tensor.extract %[[SAFE]][%{{\w+}}, %{{\w+}}] : tensor<1x3xi64>
// CHECK-NOT: mlopt.check_index
// CHECK: func.return
func.func @rope(%x: tensor<1x3x8xf32>, %c: tensor<5x2xf32>, %s: tensor<5x2xf32>, %p: tensor<1x3xi64>) -> tensor<1x3x8xf32> {
  %0 = "onnx.RotaryEmbedding"(%x, %c, %s, %p) {num_heads = 2 : si64, onnx_node_name = "rope"} : (tensor<1x3x8xf32>, tensor<5x2xf32>, tensor<5x2xf32>, tensor<1x3xi64>) -> tensor<1x3x8xf32>
  func.return %0 : tensor<1x3x8xf32>
}

// -----

// TensorScatter (linear): the write indices are checked once per batch row
// (never negative; at most 5 - 2 = 3 so the update fits); the output is a
// gather that reads the update where t - w[b] is in 0..1 and the cache elsewhere.
// CHECK-LABEL: func.func @tensor_scatter
// CHECK: %[[SAFE:\w+]] = linalg.generic {{.*}} ins(%w : tensor<2xi64>) outs(%{{\w+}} : tensor<2xi64>) {
// CHECK: %[[B:\w+]] = arith.constant 4 : index
// CHECK-NEXT: %[[A:\w+]] = arith.constant 1 : index
// CHECK-NEXT: mlopt.check_index %{{\w+}}, %[[B]], %[[A]] {node = "kv", op = "TensorScatter", unsigned}
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]{{.*}} ins(%p, %[[SAFE]] : tensor<2x5x3xf32>, tensor<2xi64>)
// CHECK: %[[T:\w+]] = linalg.index 1 : index
// CHECK: %[[S:\w+]] = arith.subi %[[T]], %{{\w+}} : index
// CHECK-NOT: arith.remui
// CHECK: %[[IN:\w+]] = arith.andi
// CHECK: %[[U:\w+]] = tensor.extract %u[%{{\w+}}, %{{\w+}}, %{{\w+}}] : tensor<2x2x3xf32>
// CHECK-NEXT: arith.select %[[IN]], %[[U]], %{{\w+}} : f32
// CHECK-NOT: mlopt.check_index
// CHECK: func.return
func.func @tensor_scatter(%p: tensor<2x5x3xf32>, %u: tensor<2x2x3xf32>, %w: tensor<2xi64>) -> tensor<2x5x3xf32> {
  %0 = "onnx.TensorScatter"(%p, %u, %w) {onnx_node_name = "kv"} : (tensor<2x5x3xf32>, tensor<2x2x3xf32>, tensor<2xi64>) -> tensor<2x5x3xf32>
  func.return %0 : tensor<2x5x3xf32>
}

// -----

// TensorScatter without write indices writes every row at 0: an insert_slice.
// CHECK-LABEL: func.func @tensor_scatter_prefill
// CHECK-NEXT: %[[R:\w+]] = tensor.insert_slice %u into %p[0, 0, 0] [2, 2, 3] [1, 1, 1] : tensor<2x2x3xf32> into tensor<2x5x3xf32>
// CHECK-NEXT: func.return %[[R]]
func.func @tensor_scatter_prefill(%p: tensor<2x5x3xf32>, %u: tensor<2x2x3xf32>) -> tensor<2x5x3xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.TensorScatter"(%p, %u, %n) {onnx_node_name = "kv"} : (tensor<2x5x3xf32>, tensor<2x2x3xf32>, none) -> tensor<2x5x3xf32>
  func.return %0 : tensor<2x5x3xf32>
}

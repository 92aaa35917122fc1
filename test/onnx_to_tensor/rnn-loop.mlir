// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// A reverse GRU with sequence_lens: the (S, B) mask and the input projection
// of all steps (one matmul) before the loop; one scf.for over the 5 steps
// carrying Y and h, reading step 4 - t of the projection and of the mask and
// writing Y[4 - t] at that dynamic offset.
// CHECK-LABEL: func.func @gru_reverse
// CHECK:         %[[MASK:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2xi32>) outs(%{{.*}} : tensor<5x2xi1>)
// CHECK:         %[[Y0:.*]] = tensor.empty() : tensor<5x1x2x2xf32>
// CHECK:         linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<10x3xf32>, tensor<3x6xf32>) outs(%{{.*}} : tensor<10x6xf32>)
// CHECK:         %[[XW:.*]] = tensor.expand_shape %{{.*}} output_shape [5, 2, 6] : tensor<10x6xf32> into tensor<5x2x6xf32>
// CHECK:         %[[H0:.*]] = linalg.fill {{.*}} -> tensor<2x2xf32>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[C5:.*]] = arith.constant 5 : index
// CHECK-NEXT:    %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[Y:.*]], %[[H:.*]] = scf.for %[[T:.*]] = %[[C0]] to %[[C5]] step %[[C1]] iter_args(%[[YI:.*]] = %[[Y0]], %[[HI:.*]] = %[[H0]]) -> (tensor<5x1x2x2xf32>, tensor<2x2xf32>) {
// CHECK-NEXT:      %[[RT:.*]] = affine.apply affine_map<(d0) -> (((d0 * -1) + 4))> (%[[T]])
// CHECK-NEXT:      tensor.extract_slice %[[XW]][%[[RT]], 0, 0] [1, 2, 6] [1, 1, 1] : tensor<5x2x6xf32> to tensor<1x2x6xf32>
// CHECK:           linalg.generic {{.*}} ins(%[[HI]], %{{.*}} : tensor<2x2xf32>, tensor<2x4xf32>)
// CHECK:           tensor.extract_slice %[[MASK]][%[[RT]], 0] [1, 2] [1, 1] : tensor<5x2xi1> to tensor<1x2xi1>
// CHECK:           %[[YN:.*]] = tensor.insert_slice %{{.*}} into %[[YI]][%[[RT]], 0, 0, 0] [1, 1, 2, 2] [1, 1, 1, 1] : tensor<1x1x2x2xf32> into tensor<5x1x2x2xf32>
// CHECK-NEXT:      scf.yield %[[YN]], %{{.*}} : tensor<5x1x2x2xf32>, tensor<2x2xf32>
// CHECK-NEXT:    }
// CHECK-NOT:     scf.for
// CHECK:         func.return %[[Y]], %{{.*}} : tensor<5x1x2x2xf32>, tensor<1x2x2xf32>
func.func @gru_reverse(%x: tensor<5x2x3xf32>, %w: tensor<1x6x3xf32>, %r: tensor<1x6x2xf32>, %lens: tensor<2xi32>) -> (tensor<5x1x2x2xf32>, tensor<1x2x2xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %y, %yh = "onnx.GRU"(%x, %w, %r, %n, %lens, %n) {direction = "reverse", hidden_size = 2 : si64} : (tensor<5x2x3xf32>, tensor<1x6x3xf32>, tensor<1x6x2xf32>, none, tensor<2xi32>, none) -> (tensor<5x1x2x2xf32>, tensor<1x2x2xf32>)
  func.return %y, %yh : tensor<5x1x2x2xf32>, tensor<1x2x2xf32>
}

// -----

// A bidirectional LSTM: one loop per direction, carrying Y, h and c; the
// backward loop continues filling the forward loop's Y (row d = 1).
// CHECK-LABEL: func.func @lstm_bidirectional
// CHECK:         %[[Y0:.*]] = tensor.empty() : tensor<3x2x1x2xf32>
// CHECK:         %[[YF:.*]], %{{.*}}, %{{.*}} = scf.for %[[T:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[YI:.*]] = %[[Y0]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<3x2x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
// CHECK-NOT:       affine.apply
// CHECK:           tensor.insert_slice %{{.*}} into %[[YI]][%[[T]], 0, 0, 0] [1, 1, 1, 2]
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[YJ:.*]] = %[[YF]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (tensor<3x2x1x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>) {
// CHECK-NEXT:      %[[RT:.*]] = affine.apply affine_map<(d0) -> (((d0 * -1) + 2))>
// CHECK:           tensor.insert_slice %{{.*}} into %[[YJ]][%[[RT]], 1, 0, 0] [1, 1, 1, 2]
// CHECK-NOT:     scf.for
func.func @lstm_bidirectional(%x: tensor<3x1x2xf32>, %w: tensor<2x8x2xf32>, %r: tensor<2x8x2xf32>) -> (tensor<3x2x1x2xf32>, tensor<2x1x2xf32>, tensor<2x1x2xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %y, %yh, %yc = "onnx.LSTM"(%x, %w, %r, %n, %n, %n, %n, %n) {direction = "bidirectional", hidden_size = 2 : si64} : (tensor<3x1x2xf32>, tensor<2x8x2xf32>, tensor<2x8x2xf32>, none, none, none, none, none) -> (tensor<3x2x1x2xf32>, tensor<2x1x2xf32>, tensor<2x1x2xf32>)
  func.return %y, %yh, %yc : tensor<3x2x1x2xf32>, tensor<2x1x2xf32>, tensor<2x1x2xf32>
}

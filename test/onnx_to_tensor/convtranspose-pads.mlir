// RUN: mlopt %s --split-input-file -p convert-onnx-to-tensor | filecheck %s

// ConvTranspose places the stride-dilated input at offset (k-1)*dil - pad_begin
// of a zero tensor. With output_shape the pads come from
// total = full - output_shape (full = 6 here, total = 1): the odd element at
// the start for NOTSET (pad_begin 1, offset 0), as the ONNX spec and
// onnxruntime do, and at the end for SAME_UPPER (pad_begin 0, offset 1).
// CHECK-LABEL: func.func @output_shape_notset
// CHECK: tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0] [1, 1, 3] [1, 1, 2] : tensor<1x1x3xf32> into tensor<1x1x6xf32>
func.func @output_shape_notset(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %n) {output_shape = [5], strides = [2]} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x5xf32>
  func.return %0 : tensor<1x1x5xf32>
}

// -----

// CHECK-LABEL: func.func @output_shape_same_upper
// CHECK: tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 1] [1, 1, 3] [1, 1, 2] : tensor<1x1x3xf32> into tensor<1x1x6xf32>
func.func @output_shape_same_upper(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %n) {output_shape = [5], strides = [2], auto_pad = "SAME_UPPER"} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x5xf32>
  func.return %0 : tensor<1x1x5xf32>
}

// -----

// output_shape overrides pads (onnxruntime ignores them too).
// CHECK-LABEL: func.func @output_shape_over_pads
// CHECK: tensor.insert_slice %{{\w+}} into %{{\w+}}[0, 0, 0] [1, 1, 3] [1, 1, 2] : tensor<1x1x3xf32> into tensor<1x1x6xf32>
func.func @output_shape_over_pads(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %n) {output_shape = [5], strides = [2], pads = [0, 1]} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x5xf32>
  func.return %0 : tensor<1x1x5xf32>
}

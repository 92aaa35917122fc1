// RUN: mlopt %s --split-input-file -p onnx-shape-inference | filecheck %s

// ConvTranspose with SAME_UPPER/SAME_LOWER: input * stride (here 6 x 15),
// but never more than the full output when the kernel is narrower than the
// stride (here 3 * 3 = 9 > full = 8), as onnx's inference and onnxruntime do.
// CHECK-LABEL: func.func @same
// CHECK: "onnx.ConvTranspose"{{.*}} -> tensor<1x3x6x15xf32>
// CHECK: "onnx.ConvTranspose"{{.*}} -> tensor<1x1x8xf32>
func.func @same(%x: tensor<1x2x3x5xf32>, %w: tensor<2x3x3x3xf32>, %x1: tensor<1x1x3xf32>, %w1: tensor<1x1x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %n) {auto_pad = "SAME_UPPER", strides = [2, 3]} : (tensor<1x2x3x5xf32>, tensor<2x3x3x3xf32>, none) -> tensor<*xf32>
  %1 = "onnx.ConvTranspose"(%x1, %w1, %n) {auto_pad = "SAME_LOWER", strides = [3]} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, none) -> tensor<*xf32>
  func.return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

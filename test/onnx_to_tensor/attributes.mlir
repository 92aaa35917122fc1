// RUN: mlopt %s --split-input-file --verify-diagnostics -p convert-onnx-to-tensor

// An attribute the lowering does not honour, with a non-default value, is an
// error naming the node, the op, the attribute and the value.
func.func @unhonoured(%a: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xui8> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{convert-onnx-to-tensor: node 'q0' (op type QuantizeLinear, 'onnx.QuantizeLinear'): attribute 'precision' = 10 is not supported by this lowering (only its default 0 is)}}
  %0 = "onnx.QuantizeLinear"(%a, %s, %n) {onnx_node_name = "q0", precision = 10 : si64} : (tensor<4xf32>, tensor<f32>, none) -> tensor<4xui8>
  func.return %0 : tensor<4xui8>
}

// -----

func.func @unknown_auto_pad_conv(%x: tensor<1x1x5xf32>, %w: tensor<1x1x3xf32>) -> tensor<1x1x5xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{node 'c0' (op type Conv, 'onnx.Conv'): attribute 'auto_pad' has the unknown value 'SAME' (ONNX allows 'NOTSET', 'SAME_LOWER', 'SAME_UPPER', 'VALID')}}
  %0 = "onnx.Conv"(%x, %w, %n) {onnx_node_name = "c0", auto_pad = "SAME"} : (tensor<1x1x5xf32>, tensor<1x1x3xf32>, none) -> tensor<1x1x5xf32>
  func.return %0 : tensor<1x1x5xf32>
}

// -----

func.func @unknown_auto_pad_convt(%x: tensor<1x1x3xf32>, %w: tensor<1x1x2xf32>) -> tensor<1x1x6xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{(op type ConvTranspose, 'onnx.ConvTranspose'): attribute 'auto_pad' has the unknown value 'same_upper'}}
  %0 = "onnx.ConvTranspose"(%x, %w, %n) {auto_pad = "same_upper", strides = [2]} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, none) -> tensor<1x1x6xf32>
  func.return %0 : tensor<1x1x6xf32>
}

// -----

func.func @unknown_auto_pad_pool(%x: tensor<1x1x5xf32>) -> tensor<1x1x5xf32> {
  // expected-error@+1 {{(op type MaxPool, 'onnx.MaxPool'): attribute 'auto_pad' has the unknown value 'UPPER'}}
  %0, %i = "onnx.MaxPool"(%x) {auto_pad = "UPPER", kernel_shape = [3]} : (tensor<1x1x5xf32>) -> (tensor<1x1x5xf32>, none)
  func.return %0 : tensor<1x1x5xf32>
}

// -----

func.func @lpnorm_p3(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{node 'lp' (op type LpNormalization, 'onnx.LpNormalization'): LpNormalization p=3 is not supported (ONNX defines p = 1 or 2)}}
  %0 = "onnx.LpNormalization"(%x) {onnx_node_name = "lp", p = 3 : si64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @resize_unknown_nearest_mode(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %n = "onnx.NoValue"() {value} : () -> none
  %s = "onnx.Constant"() {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  // expected-error@+1 {{(op type Resize, 'onnx.Resize'): attribute 'nearest_mode' has the unknown value 'round' (ONNX allows 'ceil', 'floor', 'round_prefer_ceil', 'round_prefer_floor')}}
  %0 = "onnx.Resize"(%x, %n, %s, %n) {nearest_mode = "round"} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @stash_type_not_float(%x: tensor<2x3xf16>, %sc: tensor<3xf16>) -> tensor<2x3xf16> {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{(op type LayerNormalization, 'onnx.LayerNormalization'): stash_type 7 is not a floating-point type (1, 10, 11 or 16)}}
  %0, %m, %v = "onnx.LayerNormalization"(%x, %sc, %n) {stash_type = 7 : si64} : (tensor<2x3xf16>, tensor<3xf16>, none) -> (tensor<2x3xf16>, none, none)
  func.return %0 : tensor<2x3xf16>
}

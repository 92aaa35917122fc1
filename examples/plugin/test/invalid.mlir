// RUN: mlopt %s --split-input-file --verify-diagnostics

func.func @factor_type(%x: f32) -> f32 {
  // expected-error @+1 {{factor type f64 does not match operand type f32}}
  %r = "toy.scale"(%x) <{factor = 2.0 : f64}> : (f32) -> f32
  func.return %r : f32
}

// -----

func.func @factor_inf(%x: f32) -> f32 {
  // expected-error @+1 {{factor must be finite, got inf}}
  %r = "toy.scale"(%x) <{factor = 0x7F800000 : f32}> : (f32) -> f32
  func.return %r : f32
}

// -----

func.func @axpy_types(%a: f32, %x: f32, %y: f64) -> f64 {
  // expected-error @+1 {{operands and result must have the same type, got f32, f32, f64, f64}}
  %r = "toy.axpy"(%a, %x, %y) : (f32, f32, f64) -> f64
  func.return %r : f64
}

// -----

func.func @onnx_scale_shape(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{X and Y must have the same shape, got tensor<2x3xf32> and tensor<3x2xf32>}}
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %y : tensor<3x2xf32>
}

// -----

func.func @onnx_scale_int(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{X and Y must have one float element type, got tensor<2xi32> and tensor<2xi32>}}
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<2xi32>) -> tensor<2xi32>
  func.return %y : tensor<2xi32>
}

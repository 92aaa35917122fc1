// RUN: not mlopt %s -p 'onnx-decompose{ops=Conv,Relu}' 2>&1 | filecheck %s

// Asking for an op type that has no function body is an error.
// CHECK: error: onnx-decompose: 'Conv' is not defined by an ONNX function (function ops: AffineGrid,
func.func @f(%x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.Relu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

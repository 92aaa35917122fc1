// RUN: mlopt %s -p convert-onnx-to-tensor | filecheck %s

// The custom-domain ONNX op toy.Scale is lowered by the plugin's pattern
// during convert-onnx-to-tensor, next to mlopt's own lowerings (onnx.Relu).
// CHECK-LABEL: func.func @main
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[G:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>) {
// CHECK-NEXT:    ^{{.*}}(%[[A:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[C:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT:      %[[M:.*]] = arith.mulf %[[A]], %[[C]] : f32
// CHECK-NEXT:      linalg.yield %[[M]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NOT:     toy.Scale
// CHECK-NOT:     onnx.
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %z = "onnx.Relu"(%y) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %z : tensor<2x3xf32>
}


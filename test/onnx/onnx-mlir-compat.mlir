// IR as onnx-mlir writes it (onnx.Return, onnx.EntryPoint, `module`, si64
// attributes, NoValue) parses, verifies and exports to ONNX.
// RUN: mlopt %s | filecheck %s
// RUN: mlopt %s -o %t.onnx
// RUN: mlopt %t.onnx | filecheck %s --check-prefix=ONNX

// CHECK: func.func @main_graph(%arg0: tensor<1x3x4xf32> {onnx.name = "x"}) -> (tensor<1x12xf32> {onnx.name = "y"})
// CHECK: "onnx.Flatten"(%{{.*}}) {axis = 1 : si64, onnx_node_name = "flat"}
// CHECK: onnx.Return %{{.*}} : tensor<1x12xf32>
// CHECK: "onnx.EntryPoint"() {func = @main_graph} : () -> ()

// ONNX: func.func @main_graph(%x: tensor<1x3x4xf32> {onnx.name = "x"}) -> tensor<1x12xf32> attributes {onnx.output_names = ["y"]}
// ONNX: "onnx.Clip"
// ONNX: "onnx.Flatten"
module {
  func.func @main_graph(%arg0: tensor<1x3x4xf32> {onnx.name = "x"}) -> (tensor<1x12xf32> {onnx.name = "y"}) attributes {output_names = ["y"]} {
    %0 = "onnx.NoValue"() {value} : () -> none
    %1 = onnx.Constant dense<6.000000e+00> : tensor<f32>
    %2 = "onnx.Clip"(%arg0, %0, %1) {onnx_node_name = "clip"} : (tensor<1x3x4xf32>, none, tensor<f32>) -> tensor<1x3x4xf32>
    %3 = "onnx.Flatten"(%2) {axis = 1 : si64, onnx_node_name = "flat"} : (tensor<1x3x4xf32>) -> tensor<1x12xf32>
    onnx.Return %3 : tensor<1x12xf32>
  }
  "onnx.EntryPoint"() {func = @main_graph} : () -> ()
}

// RUN: mlopt %s --split-input-file -p onnx-upgrade | filecheck %s

// Attributes that became inputs become constant operands.
// CHECK-LABEL: func.func @axes
// CHECK: %[[A:[^ ,]+]] = "onnx.Constant"() {value = dense<[0, 2]> : tensor<2xi64>
// CHECK: "onnx.Squeeze"(%x, %[[A]]) {onnx_node_name = "sq"}
// CHECK: %[[M:[^ ,]+]] = "onnx.Constant"() {value = dense<1> : tensor<1xi64>{{.*}}onnx_node_name = "mean/const1"
// CHECK: "onnx.ReduceMean"(%x, %[[M]]) {onnx_node_name = "mean", keepdims = 0 : si64}
// CHECK: %[[S:[^ ,]+]] = "onnx.Constant"() {value = dense<[2, 4]> : tensor<2xi64>
// CHECK: "onnx.Split"(%x, %[[S]]) {axis = 1 : si64}
// CHECK-NOT: V11
// CHECK-NOT: V13
func.func @axes(%x: tensor<1x6x1xf32>) -> (tensor<6xf32>, tensor<1x1xf32>, tensor<1x2x1xf32>, tensor<1x4x1xf32>) {
  %0 = "onnx.SqueezeV11"(%x) {axes = [0, 2], onnx_node_name = "sq"} : (tensor<1x6x1xf32>) -> tensor<6xf32>
  %1 = "onnx.ReduceMeanV13"(%x) <{axes = [1], keepdims = 0 : si64}> {onnx_node_name = "mean"} : (tensor<1x6x1xf32>) -> tensor<1x1xf32>
  %2:2 = "onnx.SplitV11"(%x) {axis = 1 : si64, split = [2, 4]} : (tensor<1x6x1xf32>) -> (tensor<1x2x1xf32>, tensor<1x4x1xf32>)
  onnx.Return %0, %1, %2#0, %2#1 : tensor<6xf32>, tensor<1x1xf32>, tensor<1x2x1xf32>, tensor<1x4x1xf32>
}

// -----
// Split without sizes gets num_outputs; Clip-6 bounds become scalars; Scatter is ScatterElements.
// CHECK-LABEL: func.func @misc
// CHECK: "onnx.Split"(%x, %{{.*}}) {axis = 1 : si64, num_outputs = 2 : si64}
// CHECK: %[[LO:[^ ,]+]] = "onnx.Constant"() {value = dense<0.000000e+00> : tensor<f32>
// CHECK: %[[HI:[^ ,]+]] = "onnx.Constant"() {value = dense<6.000000e+00> : tensor<f32>
// CHECK: "onnx.Clip"(%x, %[[LO]], %[[HI]])
// CHECK: "onnx.ScatterElements"(%d, %i, %u) {axis = 1 : si64}
// CHECK: func.return
func.func @misc(%x: tensor<1x6x1xf32>, %d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> (tensor<1x3x1xf32>, tensor<1x6x1xf32>, tensor<3x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0:2 = "onnx.SplitV13"(%x, %n) {axis = 1 : si64} : (tensor<1x6x1xf32>, none) -> (tensor<1x3x1xf32>, tensor<1x3x1xf32>)
  %1 = "onnx.ClipV6"(%x) {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<1x6x1xf32>) -> tensor<1x6x1xf32>
  %2 = "onnx.Scatter"(%d, %i, %u) {axis = 1 : si64} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  onnx.Return %0#0, %1, %2 : tensor<1x3x1xf32>, tensor<1x6x1xf32>, tensor<3x3xf32>
}

// -----
// Softmax-11 flattens at its axis; Upsample is an asymmetric floor Resize.
// CHECK-LABEL: func.func @softmax_upsample
// CHECK: %[[F:[^ ,]+]] = "onnx.Flatten"(%x) {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: %[[S:[^ ,]+]] = "onnx.Softmax"(%[[F]]) {axis = -1 : si64} : (tensor<2x12xf32>) -> tensor<2x12xf32>
// CHECK: "onnx.Reshape"(%[[S]], %{{.*}}) : (tensor<2x12xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
// CHECK: "onnx.Softmax"(%x) {axis = -1 : si64}
// CHECK: "onnx.Resize"(%x, %{{.*}}, %{{.*}}, %{{.*}}) {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<2x3x4xf32>, none, tensor<3xf32>, none)
func.func @softmax_upsample(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x6x8xf32>) {
  %0 = "onnx.SoftmaxV11"(%x) {axis = 1 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = "onnx.SoftmaxV11"(%x) {axis = 2 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = "onnx.UpsampleV7"(%x) {mode = "nearest", scales = [1.000000e+00 : f32, 2.000000e+00 : f32, 2.000000e+00 : f32]} : (tensor<2x3x4xf32>) -> tensor<2x6x8xf32>
  onnx.Return %0, %1, %2 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x6x8xf32>
}

// -----
// Extension ops become current ONNX ops; the ai.onnx.ml spelling moves to onnx_ml.
// CHECK-LABEL: func.func @extensions
// CHECK: "onnx.Shape"(%x) {start = 1 : si64, end = 2 : si64} : (tensor<?x3x4x4xf32>) -> tensor<1xi64>
// CHECK-NOT: DimGroup
// CHECK: %[[P:[^ ,]+]], %{{.*}} = "onnx.MaxPool"(%x) {kernel_shape = [2 : i64, 2 : i64], strides = [2 : i64, 2 : i64]} : (tensor<?x3x4x4xf32>) -> (tensor<?x3x2x2xf32>, none)
// CHECK: %[[B:[^ ,]+]], %{{.*}}, %{{.*}} = "onnx.BatchNormalization"(%x, %s, %s, %s, %s) {epsilon = 1.000000e-03 : f32} : {{.*}} -> (tensor<?x3x4x4xf32>, none, none)
// CHECK: "onnx.RMSNormalization"(%y, %s) {axis = -1 : si64}
// CHECK: "onnx_ml.Scaler"
func.func @extensions(%x: tensor<?x3x4x4xf32>, %s: tensor<3xf32>, %y: tensor<2x3xf32>) -> (tensor<1xi64>, tensor<?x3x2x2xf32>, tensor<?x3x4x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Dim"(%x) {axis = 1 : si64} : (tensor<?x3x4x4xf32>) -> tensor<1xi64>
  "onnx.DimGroup"(%x) {axis = 0 : si64, group_id = 1 : si64} : (tensor<?x3x4x4xf32>) -> ()
  %1 = "onnx.MaxPoolSingleOut"(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<?x3x4x4xf32>) -> tensor<?x3x2x2xf32>
  %2 = "onnx.BatchNormalizationInferenceMode"(%x, %s, %s, %s, %s) {epsilon = 1.000000e-03 : f32} : (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  %3:2 = "onnx.RMSLayerNormalization"(%y, %s, %n) {axis = -1 : si64} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<2x3xf32>, none)
  %4 = "onnx.Scaler"(%y) {offset = [1.000000e+00 : f32], scale = [2.000000e+00 : f32]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  onnx.Return %0, %1, %2, %3#0, %4 : tensor<1xi64>, tensor<?x3x2x2xf32>, tensor<?x3x4x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

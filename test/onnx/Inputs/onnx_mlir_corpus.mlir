// IR in the style onnx-mlir writes and reads, one construct or op family per
// section (sections are split as lit's --split-input-file does). Written for
// mlopt's test suite:
// test/onnx/test_onnx_mlir_corpus.py parses, verifies and round-trips every
// section and checks that every onnx-mlir-only op appears in one.

// onnx-mlir's module shape: EntryPoint, onnx.Return, NoValue, the custom
// forms of onnx.Constant, argument and result attributes.
module {
  func.func @main_graph(%arg0: tensor<?x3xf32> {onnx.name = "x", onnx.dim_params = "0:batch"}) -> (tensor<?x3xf32> {onnx.name = "y"}) {
    %0 = "onnx.NoValue"() {value} : () -> none
    %1 = onnx.Constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
    %2 = onnx.Constant {value_int = 4 : si64} : tensor<i64>
    %3 = onnx.Constant {value = dense<2> : tensor<1xi64>} : tensor<*xi64>
    %4 = "onnx.Add"(%arg0, %1) : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
    %5 = "onnx.Clip"(%4, %0, %0) : (tensor<?x3xf32>, none, none) -> tensor<?x3xf32>
    onnx.Return %5 : tensor<?x3xf32>
  }
  "onnx.EntryPoint"() {func = @main_graph} : () -> ()
}

// -----
// Inherent attributes as properties (current MLIR's generic form) and as attributes.
func.func @properties(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %n = "onnx.NoValue"() <{value}> : () -> none
  %0 = "onnx.Gemm"(%x, %w, %b) <{alpha = 1.000000e+00 : f32, beta = 1.000000e+00 : f32, transA = 0 : si64, transB = 1 : si64}> : (tensor<4x8xf32>, tensor<8x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = "onnx.LeakyRelu"(%0) <{alpha = 0.00999999977 : f32}> {onnx_node_name = "lrelu"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = "onnx.Clip"(%1, %n, %n) : (tensor<4x8xf32>, none, none) -> tensor<4x8xf32>
  onnx.Return %2 : tensor<4x8xf32>
}

// -----
// Cast's `to` as a type attribute (onnx-mlir's TypeAttr), next to the ONNX integer.
func.func @cast_to_type(%x: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xi64>, tensor<2xf16>, tensor<2xui8>, tensor<2xi1>) {
  %0 = "onnx.Cast"(%x) {saturate = 1 : si64, to = f32} : (tensor<2xi32>) -> tensor<2xf32>
  %1 = "onnx.Cast"(%x) <{saturate = 1 : si64, to = i64}> : (tensor<2xi32>) -> tensor<2xi64>
  %2 = "onnx.Cast"(%0) {to = f16} : (tensor<2xf32>) -> tensor<2xf16>
  %3 = "onnx.Cast"(%x) {to = ui8} : (tensor<2xi32>) -> tensor<2xui8>
  %4 = "onnx.Cast"(%x) {to = 9 : si64} : (tensor<2xi32>) -> tensor<2xi1>
  onnx.Return %0, %1, %2, %3, %4 : tensor<2xf32>, tensor<2xi64>, tensor<2xf16>, tensor<2xui8>, tensor<2xi1>
}

// -----
// onnx.ConstantOfShape's custom form.
func.func @constant_of_shape(%s: tensor<2xi64>) -> tensor<?x?xf32> {
  %0 = onnx.ConstantOfShape(%s) {value = dense<1.500000e+00> : tensor<1xf32>} : (tensor<2xi64>) -> tensor<?x?xf32>
  onnx.Return %0 : tensor<?x?xf32>
}

// -----
// Graph regions ending in onnx.Yield's custom form: If, Loop, Scan.
func.func @control_flow(%c: tensor<i1>, %x: tensor<3xf32>, %n: tensor<i64>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = "onnx.If"(%c) ({
    %a = "onnx.Relu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    onnx.Yield %a : tensor<3xf32>
  }, {
    %b = "onnx.Neg"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    onnx.Yield %b : tensor<3xf32>
  }) : (tensor<i1>) -> tensor<3xf32>
  %1 = "onnx.Loop"(%n, %c, %x) ({
  ^bb0(%i: tensor<i64>, %cond: tensor<i1>, %v: tensor<3xf32>):
    %w = "onnx.Add"(%v, %v) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    onnx.Yield %cond, %w : tensor<i1>, tensor<3xf32>
  }) : (tensor<i64>, tensor<i1>, tensor<3xf32>) -> tensor<3xf32>
  %2 = "onnx.Scan"(%x, %x) ({
  ^bb0(%acc: tensor<f32>, %e: tensor<f32>):
    %s = "onnx.Add"(%acc, %e) : (tensor<f32>, tensor<f32>) -> tensor<f32>
    onnx.Yield %s, %s : tensor<f32>, tensor<f32>
  }) {num_scan_inputs = 1 : si64} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  onnx.Return %0, %1, %2 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----
// onnx-mlir's types: strings, sequences, optionals, maps as tuples, unranked tensors.
func.func @types(%s: tensor<2x!onnx.String>, %q: !onnx.Seq<tensor<*xf32>>, %o: !onnx.Opt<tensor<3xf32>>, %m: tuple<i64, f32>) -> (tensor<*xf32>, tensor<3xf32>, tensor<*xf32>) {
  %z = onnx.Constant dense<0> : tensor<i64>
  %0 = "onnx.SequenceAt"(%q, %z) : (!onnx.Seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  %1 = "onnx.OptionalGetElement"(%o) : (!onnx.Opt<tensor<3xf32>>) -> tensor<3xf32>
  %2 = "onnx.CastMap"(%m) {cast_to = "TO_FLOAT", map_form = "DENSE", max_map = 1 : si64} : (tuple<i64, f32>) -> tensor<*xf32>
  onnx.Return %0, %1, %2 : tensor<*xf32>, tensor<3xf32>, tensor<*xf32>
}

// -----
// Versioned ops: Clip (6, 11, 12), Pad (2, 11, 13, 18).
func.func @clip_pad(%x: tensor<2x3xf32>, %lo: tensor<f32>, %hi: tensor<f32>, %p: tensor<4xi64>, %v: tensor<f32>, %ax: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x5xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = "onnx.ClipV6"(%x) {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = "onnx.ClipV11"(%x, %lo, %hi) : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = "onnx.ClipV12"(%x, %lo, %hi) : (tensor<2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = "onnx.PadV2"(%x) {mode = "constant", pads = [1, 1, 1, 1], value = 0.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<4x5xf32>
  %4 = "onnx.PadV11"(%x, %p, %v) {mode = "reflect"} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<*xf32>
  %5 = "onnx.PadV13"(%x, %p, %v) {mode = "edge"} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>) -> tensor<*xf32>
  %6 = "onnx.PadV18"(%x, %p, %v, %ax) {mode = "constant"} : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, tensor<2xi64>) -> tensor<*xf32>
  onnx.Return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x5xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----
// Versioned reductions: axes as an attribute (V13, ReduceSum V11), and V18.
func.func @reductions(%x: tensor<2x3x4xf32>, %axes: tensor<1xi64>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x1xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = "onnx.ReduceL1V13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %1 = "onnx.ReduceL2V13"(%x) {axes = [-1], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %2 = "onnx.ReduceLogSumV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %3 = "onnx.ReduceLogSumExpV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %4 = "onnx.ReduceMaxV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %5 = "onnx.ReduceMeanV13"(%x) <{axes = [2], keepdims = 0 : si64}> : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %6 = "onnx.ReduceMinV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %7 = "onnx.ReduceProdV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %8 = "onnx.ReduceSumSquareV13"(%x) {axes = [2], keepdims = 0 : si64} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %9 = "onnx.ReduceSumV11"(%x) {axes = [2]} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %10 = "onnx.ReduceMaxV18"(%x, %axes) {keepdims = 1 : si64, noop_with_empty_axes = 0 : si64} : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  %11 = "onnx.ReduceMinV18"(%x, %axes) : (tensor<2x3x4xf32>, tensor<1xi64>) -> tensor<*xf32>
  onnx.Return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3x1xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----
// Versioned shape ops: Squeeze/Unsqueeze V11, Split V11/V13, Softmax V11.
func.func @shape_ops(%x: tensor<1x6x1xf32>, %s: tensor<2xi64>) -> (tensor<6xf32>, tensor<1x1x6x1xf32>, tensor<1x2x1xf32>, tensor<1x4x1xf32>, tensor<1x3x1xf32>, tensor<1x3x1xf32>, tensor<1x6x1xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.SqueezeV11"(%x) {axes = [0, 2]} : (tensor<1x6x1xf32>) -> tensor<6xf32>
  %1 = "onnx.UnsqueezeV11"(%x) {axes = [0]} : (tensor<1x6x1xf32>) -> tensor<1x1x6x1xf32>
  %2:2 = "onnx.SplitV11"(%x) {axis = 1 : si64, split = [2, 4]} : (tensor<1x6x1xf32>) -> (tensor<1x2x1xf32>, tensor<1x4x1xf32>)
  %3:2 = "onnx.SplitV13"(%x, %n) {axis = 1 : si64} : (tensor<1x6x1xf32>, none) -> (tensor<1x3x1xf32>, tensor<1x3x1xf32>)
  %4 = "onnx.SoftmaxV11"(%x) {axis = 1 : si64} : (tensor<1x6x1xf32>) -> tensor<1x6x1xf32>
  onnx.Return %0, %1, %2#0, %2#1, %3#0, %3#1, %4 : tensor<6xf32>, tensor<1x1x6x1xf32>, tensor<1x2x1xf32>, tensor<1x4x1xf32>, tensor<1x3x1xf32>, tensor<1x3x1xf32>, tensor<1x6x1xf32>
}

// -----
// Versioned and deprecated resampling: Resize (10, 11, 13, 18), Upsample (7 and the deprecated one).
func.func @resampling(%x: tensor<1x1x2x2xf32>, %scales: tensor<4xf32>, %roi: tensor<8xf32>, %sizes: tensor<4xi64>) -> (tensor<1x1x4x4xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ResizeV10"(%x, %scales) {mode = "nearest"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  %1 = "onnx.ResizeV11"(%x, %roi, %scales, %sizes) {coordinate_transformation_mode = "half_pixel", mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<8xf32>, tensor<4xf32>, tensor<4xi64>) -> tensor<*xf32>
  %2 = "onnx.ResizeV13"(%x, %n, %scales, %n) {mode = "cubic", cubic_coeff_a = -7.500000e-01 : f32} : (tensor<1x1x2x2xf32>, none, tensor<4xf32>, none) -> tensor<*xf32>
  %3 = "onnx.ResizeV18"(%x, %n, %n, %sizes) {antialias = 0 : si64, keep_aspect_ratio_policy = "stretch"} : (tensor<1x1x2x2xf32>, none, none, tensor<4xi64>) -> tensor<*xf32>
  %4 = "onnx.UpsampleV7"(%x) {mode = "nearest", scales = [1.000000e+00 : f32, 1.000000e+00 : f32, 2.000000e+00 : f32, 2.000000e+00 : f32]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  %5 = "onnx.Upsample"(%x, %scales) {mode = "linear"} : (tensor<1x1x2x2xf32>, tensor<4xf32>) -> tensor<1x1x4x4xf32>
  onnx.Return %0, %1, %2, %3, %4, %5 : tensor<1x1x4x4xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<1x1x4x4xf32>, tensor<1x1x4x4xf32>
}

// -----
// Versioned DFT, GridSample, GroupNormalization; the deprecated Scatter.
func.func @misc_versioned(%x: tensor<1x8x2xf32>, %g: tensor<1x4x4x2xf32>, %img: tensor<1x2x3x3xf32>, %sc: tensor<2xf32>, %d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> (tensor<*xf32>, tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>, tensor<3x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.DFTV17"(%x, %n) {axis = 1 : si64, inverse = 0 : si64, onesided = 0 : si64} : (tensor<1x8x2xf32>, none) -> tensor<*xf32>
  %1 = "onnx.GridSampleV16"(%img, %g) {align_corners = 0 : si64, mode = "bilinear", padding_mode = "zeros"} : (tensor<1x2x3x3xf32>, tensor<1x4x4x2xf32>) -> tensor<1x2x4x4xf32>
  %2 = "onnx.GroupNormalizationV18"(%img, %sc, %sc) {epsilon = 9.99999974E-6 : f32, num_groups = 2 : si64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %3 = "onnx.Scatter"(%d, %i, %u) {axis = 1 : si64} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  onnx.Return %0, %1, %2, %3 : tensor<*xf32>, tensor<1x2x4x4xf32>, tensor<1x2x3x3xf32>, tensor<3x3xf32>
}

// -----
// Extension ops with an ONNX meaning: Dim, DimGroup, MaxPoolSingleOut,
// BatchNormalizationInferenceMode, ConcatShapeTranspose, RMSLayerNormalization, UpsampleAndPad.
func.func @extensions(%x: tensor<?x3x4x4xf32>, %s: tensor<3xf32>, %y: tensor<2x3xf32>) -> (tensor<1xi64>, tensor<*xf32>, tensor<?x3x4x4xf32>, tensor<2xi64>, tensor<6x2xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3x9x9xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.Dim"(%x) {axis = 0 : si64} : (tensor<?x3x4x4xf32>) -> tensor<1xi64>
  "onnx.DimGroup"(%x) {axis = 0 : si64, group_id = 1 : si64} : (tensor<?x3x4x4xf32>) -> ()
  %1 = "onnx.MaxPoolSingleOut"(%x) <{auto_pad = "NOTSET", ceil_mode = 0 : si64, kernel_shape = [2, 2], pads = [0, 0, 0, 0], storage_order = 0 : si64, strides = [2, 2]}> : (tensor<?x3x4x4xf32>) -> tensor<*xf32>
  %2 = "onnx.BatchNormalizationInferenceMode"(%x, %s, %s, %s, %s) {epsilon = 9.99999974E-6 : f32, momentum = 0.899999976 : f32} : (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x4x4xf32>
  %3:2 = "onnx.ConcatShapeTranspose"(%y, %y) {axis = 1 : si64, perm = [1, 0], start = 0 : si64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> (tensor<2xi64>, tensor<6x2xf32>)
  %4:2 = "onnx.RMSLayerNormalization"(%y, %s, %n) {axis = -1 : si64, epsilon = 9.99999974E-6 : f32, stash_type = 1 : si64} : (tensor<2x3xf32>, tensor<3xf32>, none) -> (tensor<2x3xf32>, none)
  %5:2 = "onnx.RMSLayerNormalization"(%y, %s, %s) {axis = -1 : si64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x1xf32>)
  %6 = "onnx.UpsampleAndPad"(%x) {pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<?x3x4x4xf32>) -> tensor<?x3x9x9xf32>
  onnx.Return %0, %1, %2, %3#0, %3#1, %4#0, %5#0, %6 : tensor<1xi64>, tensor<*xf32>, tensor<?x3x4x4xf32>, tensor<2xi64>, tensor<6x2xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?x3x9x9xf32>
}

// -----
// Extension ops that assist onnx-mlir's own lowering: layouts, ShapeTransform,
// Im2Col, PrintSignature, Fused, Custom.
#map = affine_map<(d0, d1) -> (d0 floordiv 2, d0 mod 2, d1)>
func.func @assist(%x: tensor<4x3xf32>, %img: tensor<1x3x32x32xf32, #onnx.layout<{dataLayout = "NCHW4C"}>>, %c: tensor<1x2x5x5xf32>) -> (tensor<2x2x3xf32>, tensor<1x3x32x32xf32>, tensor<1x18x16xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  %0 = "onnx.ShapeTransform"(%x) {index_map = #map} : (tensor<4x3xf32>) -> tensor<2x2x3xf32>
  %1 = "onnx.LayoutTransform"(%img) : (tensor<1x3x32x32xf32, #onnx.layout<{dataLayout = "NCHW4C"}>>) -> tensor<1x3x32x32xf32>
  %2 = "onnx.LayoutTransform"(%1) {target_layout = #onnx.layout<{dataLayout = "NCHW4C"}>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x32x32xf32, #onnx.layout<{dataLayout = "NCHW4C"}>>
  %3 = "onnx.Im2Col"(%c) {kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x5x5xf32>) -> tensor<1x18x16xf32>
  "onnx.PrintSignature"(%x, %n) {op_name = "onnx.Relu", print_data = 0 : si64} : (tensor<4x3xf32>, none) -> ()
  %4 = "onnx.Fused"(%x) ({
  ^bb0(%a: tensor<4x3xf32>):
    %r = "onnx.Relu"(%a) : (tensor<4x3xf32>) -> tensor<4x3xf32>
    onnx.Yield %r : tensor<4x3xf32>
  }) {kind = "relu_chain"} : (tensor<4x3xf32>) -> tensor<4x3xf32>
  %5 = "onnx.Custom"(%x) {function_name = "my_op", inputs_for_infer = [0], shape_infer_pattern = "SameAs", output_element_type = f32} : (tensor<4x3xf32>) -> tensor<4x3xf32>
  onnx.Return %0, %1, %3, %4, %5 : tensor<2x2x3xf32>, tensor<1x3x32x32xf32>, tensor<1x18x16xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----
// ai.onnx.ml operators in the onnx dialect, as onnx-mlir spells them.
func.func @ml(%x: tensor<2x3xf32>, %i: tensor<2xi64>, %s: tensor<2x!onnx.String>, %m: tuple<i64, f32>) -> (tensor<*xf32>, tensor<2x3xf32>, tensor<*xf32>, tensor<*x!onnx.String>, tensor<*xf32>, tensor<*xf32>, tensor<2x3xf32>, tensor<*xi64>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<2x3xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, !onnx.Seq<tuple<i64, f32>>) {
  %0 = "onnx.ArrayFeatureExtractor"(%x, %i) : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  %1 = "onnx.Binarizer"(%x) {threshold = 5.000000e-01 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = "onnx.CastMap"(%m) {cast_to = "TO_FLOAT"} : (tuple<i64, f32>) -> tensor<*xf32>
  %3 = "onnx.CategoryMapper"(%i) {cats_int64s = [1, 2], cats_strings = ["a", "b"], default_string = "_"} : (tensor<2xi64>) -> tensor<*x!onnx.String>
  %4 = "onnx.DictVectorizer"(%m) {int64_vocabulary = [1, 2]} : (tuple<i64, f32>) -> tensor<*xf32>
  %5 = "onnx.FeatureVectorizer"(%x, %x) {inputdimensions = [3, 3]} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  %6 = "onnx.Imputer"(%x) {imputed_value_floats = [0.000000e+00 : f32], replaced_value_float = 1.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = "onnx.LabelEncoder"(%s) {default_int64 = -1 : si64, keys_strings = ["a", "b"], values_int64s = [0, 1]} : (tensor<2x!onnx.String>) -> tensor<*xi64>
  %8:2 = "onnx.LinearClassifier"(%x) {classlabels_ints = [0, 1], coefficients = [1.000000e+00 : f32, 2.000000e+00 : f32, 3.000000e+00 : f32, 4.000000e+00 : f32, 5.000000e+00 : f32, 6.000000e+00 : f32]} : (tensor<2x3xf32>) -> (tensor<*xi64>, tensor<*xf32>)
  %9 = "onnx.LinearRegressor"(%x) {coefficients = [1.000000e+00 : f32, 2.000000e+00 : f32, 3.000000e+00 : f32], targets = 1 : si64} : (tensor<2x3xf32>) -> tensor<*xf32>
  %10 = "onnx.Normalizer"(%x) {norm = "L2"} : (tensor<2x3xf32>) -> tensor<*xf32>
  %11 = "onnx.OneHotEncoder"(%x) {cats_int64s = [0, 1, 2], zeros = 1 : si64} : (tensor<2x3xf32>) -> tensor<*xf32>
  %12:2 = "onnx.SVMClassifier"(%x) {classlabels_ints = [0, 1], kernel_type = "LINEAR"} : (tensor<2x3xf32>) -> (tensor<*xi64>, tensor<*xf32>)
  %13 = "onnx.SVMRegressor"(%x) {kernel_type = "LINEAR", n_supports = 0 : si64} : (tensor<2x3xf32>) -> tensor<*xf32>
  %14 = "onnx.Scaler"(%x) {offset = [1.000000e+00 : f32], scale = [2.000000e+00 : f32]} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %15 = "onnx.TreeEnsemble"(%x) {leaf_targetids = [0], leaf_weights = dense<1.000000e+00> : tensor<1xf32>, nodes_falseleafs = [1], nodes_falsenodeids = [0], nodes_featureids = [0], nodes_modes = dense<0> : tensor<1xui8>, nodes_splits = dense<5.000000e-01> : tensor<1xf32>, nodes_trueleafs = [1], nodes_truenodeids = [0], tree_roots = [0]} : (tensor<2x3xf32>) -> tensor<*xf32>
  %16:2 = "onnx.TreeEnsembleClassifier"(%x) {classlabels_int64s = [0, 1], class_ids = [0], class_nodeids = [0], class_treeids = [0], class_weights = [1.000000e+00 : f32], nodes_featureids = [0], nodes_modes = ["LEAF"], nodes_nodeids = [0], nodes_treeids = [0]} : (tensor<2x3xf32>) -> (tensor<*xi64>, tensor<*xf32>)
  %17 = "onnx.TreeEnsembleRegressor"(%x) {n_targets = 1 : si64, nodes_featureids = [0], nodes_modes = ["LEAF"], nodes_nodeids = [0], nodes_treeids = [0], target_ids = [0], target_nodeids = [0], target_treeids = [0], target_weights = [1.000000e+00 : f32]} : (tensor<2x3xf32>) -> tensor<*xf32>
  %18 = "onnx.ZipMap"(%x) {classlabels_int64s = [0, 1, 2]} : (tensor<2x3xf32>) -> !onnx.Seq<tuple<i64, f32>>
  onnx.Return %0, %1, %2, %3, %4, %5, %6, %7, %8#0, %9, %10, %11, %12#1, %12#0, %13, %15, %14, %16#1, %16#0, %17, %8#1, %18 : tensor<*xf32>, tensor<2x3xf32>, tensor<*xf32>, tensor<*x!onnx.String>, tensor<*xf32>, tensor<*xf32>, tensor<2x3xf32>, tensor<*xi64>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, tensor<2x3xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>, tensor<*xf32>, !onnx.Seq<tuple<i64, f32>>
}

// -----
// ai.onnx.preview.training operators in the onnx dialect.
func.func @training(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<3xf32>, %g: tensor<3xf32>, %h: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:2 = "onnx.Adagrad"(%r, %t, %x, %g, %h) {decay_factor = 0.000000e+00 : f32, epsilon = 9.99999997E-7 : f32, norm_coefficient = 0.000000e+00 : f32} : (tensor<f32>, tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %1:3 = "onnx.Adam"(%r, %t, %x, %g, %h, %v) {alpha = 0.899999976 : f32, beta = 0.999000012 : f32} : (tensor<f32>, tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %2:2 = "onnx.Momentum"(%r, %t, %x, %g, %h) {alpha = 0.899999976 : f32, beta = 1.000000e+00 : f32, mode = "standard", norm_coefficient = 0.000000e+00 : f32} : (tensor<f32>, tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  %3 = "onnx.Gradient"(%x) {xs = ["x"], y = "y"} : (tensor<3xf32>) -> tensor<3xf32>
  onnx.Return %0#0, %0#1, %1#0, %1#1, %1#2, %2#0, %2#1, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

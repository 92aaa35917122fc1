// The schema-derived verifier: operand/result counts, `none` only for optional
// operands, type constraints, attribute kinds, required and unknown attributes.
// RUN: mlopt %s --split-input-file --verify-diagnostics

func.func @type_param_mismatch(%a: tensor<2xf32>, %b: tensor<2xi64>) {
  // expected-error@+1 {{'onnx.Add' op type constraint 'T' is tensor(float) for operand #0 ('A') but tensor(int64) for operand #1 ('B')}}
  %0 = "onnx.Add"(%a, %b) : (tensor<2xf32>, tensor<2xi64>) -> tensor<2xf32>
  func.return
}

// -----

func.func @result_type(%a: tensor<2xf32>) {
  // expected-error@+1 {{but tensor(int32) for result #0 ('Y')}}
  %0 = "onnx.Relu"(%a) : (tensor<2xf32>) -> tensor<2xi32>
  func.return
}

// -----

func.func @disallowed_type(%a: tensor<2xf32>) {
  // expected-error@+1 {{result #0 ('shape') has type tensor<1xi32> (tensor(int32)), expected one of: tensor(int64)}}
  %0 = "onnx.Shape"(%a) : (tensor<2xf32>) -> tensor<1xi32>
  func.return
}

// -----

func.func @not_onnx_type(%a: tensor<2xf32>) {
  // expected-error@+1 {{has type memref<2xf32>, which is not an ONNX type}}
  %0 = "onnx.Relu"(%a) : (tensor<2xf32>) -> memref<2xf32>
  func.return
}

// -----

func.func @operand_count(%a: tensor<2xf32>) {
  // expected-error@+1 {{Expected 2 operands, but got 1}}
  %0 = "onnx.Add"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  func.return
}

// -----

func.func @variadic_min(%a: tensor<2xf32>) {
  // expected-error@+1 {{'onnx.Concat' op expects at least 1 value(s) for variadic operand 'inputs', got 0}}
  %0 = "onnx.Concat"() {axis = 0 : si64} : () -> tensor<2xf32>
  func.return
}

// -----

func.func @required_none(%a: tensor<2xf32>) {
  %n = "onnx.NoValue"() {value} : () -> none
  // expected-error@+1 {{'onnx.Relu' op operand #0 ('X') is required but is 'none'}}
  %0 = "onnx.Relu"(%n) : (none) -> tensor<2xf32>
  func.return
}

// -----

func.func @missing_attr(%a: tensor<2xf32>) {
  // expected-error@+1 {{attribute 'axis' expected in operation 'onnx.Concat'}}
  %0 = "onnx.Concat"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @wrong_attr_kind(%a: tensor<2xf32>) {
  // expected-error@+1 {{'onnx.Concat' op attribute 'axis' (INT) must be an integer attribute}}
  %0 = "onnx.Concat"(%a, %a) {axis = 1.0 : f32} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @wrong_ints(%a: tensor<2x2xf32>) {
  // expected-error@+1 {{'onnx.Transpose' op attribute 'perm' (INTS) must be an array of integers}}
  %0 = "onnx.Transpose"(%a) {perm = ["a", "b"]} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return
}

// -----

func.func @unknown_attr(%a: tensor<2xf32>) {
  // expected-error@+1 {{'onnx.Concat' op has no attribute 'axes' (known: axis)}}
  %0 = "onnx.Concat"(%a, %a) {axis = 0 : si64, axes = 1 : si64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return
}

// -----

func.func @graph_region_terminator(%c: tensor<i1>, %a: tensor<2xf32>) {
  // expected-error@+1 {{'onnx.If' op graph region 'else_branch' must end with onnx.Yield}}
  %r = "onnx.If"(%c) ({
    "onnx.Yield"(%a) : (tensor<2xf32>) -> ()
  }, {
    "llvm.unreachable"() : () -> ()
  }) : (tensor<i1>) -> tensor<2xf32>
  func.return
}

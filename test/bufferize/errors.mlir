// RUN: mlopt %s --split-input-file --verify-diagnostics -p bufferize

func.func @dynamic(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  // expected-error@+1 {{'linalg.generic' op has a dynamic shape (tensor<?x3xf32>); bufferize needs static shapes}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<?x3xf32>) outs(%a : tensor<?x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<?x3xf32>
  func.return %r : tensor<?x3xf32>
}

// -----

func.func @unsupported(%a: tensor<4xf32>) -> tensor<8xf32> {
  // expected-error@+1 {{'tensor.concat' op is not supported by bufferize on tensors}}
  %r = tensor.concat dim(0) %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<8xf32>
  func.return %r : tensor<8xf32>
}

// -----

func.func @scalar_result(%a: tensor<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %a[%c0] : tensor<4xf32>
  // expected-error@+1 {{'func.return' op returns a non-tensor value of type f32; only tensors can be returned through out-params}}
  func.return %v : f32
}

// -----

func.func @unranked(%a: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error@+1 {{'func.return' op has an unranked type (tensor<*xf32>); bufferize needs static shapes}}
  func.return %a : tensor<*xf32>
}

// -----

func.func @complex(%a: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  // expected-error@+1 {{'func.return' op has unsupported element type complex<f32>}}
  func.return %a : tensor<2xcomplex<f32>>
}

// -----

func.func private @callee(%a: tensor<4xf32>) -> tensor<4xf32>
func.func @call(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'func.call' op with tensor operands is not supported by bufferize}}
  %r = func.call @callee(%a) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}

// -----

func.func @slice_oob(%a: tensor<4x4xf32>, %b: tensor<2x2xf32>) -> tensor<4x4xf32> {
  // expected-error@+1 {{'tensor.insert_slice' op slice [offset 2, size 2, stride 2] is out of bounds of dimension 0 (size 4) of tensor<4x4xf32>}}
  %r = tensor.insert_slice %b into %a[2, 0] [2, 2] [2, 1] : tensor<2x2xf32> into tensor<4x4xf32>
  func.return %r : tensor<4x4xf32>
}

// -----

func.func @slice_oob_extract(%a: tensor<4x4xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'tensor.extract_slice' op slice [offset 2, size 3, stride 1] is out of bounds of dimension 1 (size 4) of tensor<4x4xf32>}}
  %r = tensor.extract_slice %a[0, 2] [1, 3] [1, 1] : tensor<4x4xf32> to tensor<3xf32>
  func.return %r : tensor<3xf32>
}

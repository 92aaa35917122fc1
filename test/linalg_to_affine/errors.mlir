// RUN: mlopt %s --split-input-file --verify-diagnostics -p convert-linalg-to-affine

func.func @tensors(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error@+1 {{'linalg.generic' op has tensor results; convert-linalg-to-affine needs memrefs (run bufferize first)}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%a : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}

// -----

func.func @dynamic(%a: memref<?xf32>, %o: memref<?xf32>) {
  // expected-error@+1 {{'linalg.generic' op has a dynamic shape (memref<?xf32>); static shapes are required}}
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<?xf32>) outs(%o : memref<?xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  func.return
}

// -----

func.func @copy_strided(%a: memref<4xf32, strided<[2]>>, %b: memref<4xf32>) {
  // expected-error@+1 {{'memref.copy' op has a non-identity layout (memref<4xf32, strided<[2]>>)}}
  "memref.copy"(%a, %b) : (memref<4xf32, strided<[2]>>, memref<4xf32>) -> ()
  func.return
}

// RUN: mlopt %s --split-input-file --verify-diagnostics -p convert-memref-to-llvm

func.func @dynamic(%a: memref<?x4xf32>, %i: index) -> f32 {
  // expected-error@+1 {{LLVM lowering needs static shapes, got memref<?x4xf32>}}
  %v = memref.load %a[%i, %i] : memref<?x4xf32>
  func.return %v : f32
}

// -----

func.func @strided(%a: memref<4x4xf32, strided<[8, 1]>>, %i: index) -> f32 {
  // expected-error@+1 {{LLVM lowering needs identity-layout memrefs}}
  %v = memref.load %a[%i, %i] : memref<4x4xf32, strided<[8, 1]>>
  func.return %v : f32
}

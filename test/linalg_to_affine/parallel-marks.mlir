// RUN: mlopt %s --split-input-file -p 'convert-linalg-to-affine{threads=2}' | filecheck %s
// RUN: mlopt %s --split-input-file -p convert-linalg-to-affine | filecheck %s --check-prefix=SERIAL

// A large all-parallel nest (elementwise: over a 2-D view, 64 x 4096): its
// first loop of two or more iterations is marked for the thread pool; without
// threads, nothing.
// CHECK-LABEL: func.func @relu
// CHECK:         affine.for %{{.*}} = 0 to 64 {
// CHECK-NEXT:      affine.for %{{.*}} = 0 to 4096 {
// CHECK:           } {mlopt.parallel = 2 : i64}
// CHECK-NOT:     mlopt.parallel
// SERIAL-LABEL: func.func @relu
// SERIAL-NOT:   mlopt.parallel
func.func @relu(%x: memref<1x64x64x64xf32>, %y: memref<1x64x64x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : memref<1x64x64x64xf32>) outs(%y : memref<1x64x64x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %z : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// Small nests and reductions stay serial.
// CHECK-LABEL: func.func @small_and_reduction
// CHECK-NOT:     mlopt.parallel
func.func @small_and_reduction(%x: memref<64x64xf32>, %y: memref<64x64xf32>, %s: memref<512x1024xf32>, %t: memref<512xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<64x64xf32>) outs(%y : memref<64x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%s : memref<512x1024xf32>) outs(%t : memref<512xf32>) {
  ^bb0(%a: f32, %b: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  }
  func.return
}

// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=16 registers=32 threads=2 min-macs=1}' | filecheck %s

// A convolution over flattened output positions p with vectors along the
// output channels (onnx-to-tensor's narrow-map form): the broadcast input's
// row and column are p floordiv 5 and p mod 5.  That is not linear in p, so
// each row of the register tile gets its own index (row r: (p + r) floordiv 5),
// not the tile origin's plus a constant.
// CHECK-LABEL: func.func @oc_rows
// CHECK:         affine.for %[[P:.*]] = 0 to 18 step 9 {
// CHECK:           affine.load %{{.*}}[%{{.*}}, %{{.*}}, %[[P]] floordiv 5 + %{{.*}}, %[[P]] mod 5 + %{{.*}}] : memref<1x8x7x7xf32>
// CHECK:           affine.load %{{.*}}[%{{.*}}, %{{.*}}, (%[[P]] + 1) floordiv 5 + %{{.*}}, (%[[P]] + 1) mod 5 + %{{.*}}] : memref<1x8x7x7xf32>
// CHECK:           affine.load %{{.*}}[%{{.*}}, %{{.*}}, (%[[P]] + 8) floordiv 5 + %{{.*}}, (%[[P]] + 8) mod 5 + %{{.*}}] : memref<1x8x7x7xf32>
func.func @oc_rows(%x: memref<1x8x7x7xf32>, %w: memref<8x3x3x32xf32>, %o: memref<1x25x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, ((d1 floordiv 5) + d4), ((d1 mod 5) + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, d5, d2)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x8x7x7xf32>, memref<8x3x3x32xf32>) outs(%o : memref<1x25x32xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// Three column tiles do not split evenly over two threads (one would idle a
// third of the time): the row-tile loop inside is the parallel one.
// CHECK-LABEL: func.func @three_col_tiles
// CHECK:         affine.for %{{.*}} = 0 to 192 step 64 {
// CHECK-NEXT:      affine.for %{{.*}} = 0 to 24 step 6 {
// CHECK:           } {mlopt.parallel = 2 : i64}
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @three_col_tiles(%a: memref<24x128xf32>, %b: memref<128x192xf32>, %c: memref<24x192xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<24x128xf32>, memref<128x192xf32>) outs(%c : memref<24x192xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// RUN: mlopt %s --split-input-file -p 'kernel-select-tiles{vector-width=8 registers=16}' | filecheck %s --check-prefix=TILE
// RUN: mlopt %s --split-input-file -p 'kernel-select-tiles{vector-width=16 registers=32}' | filecheck %s --check-prefix=TILE512
// RUN: mlopt %s --split-input-file -p 'kernel-select-tiles{vector-width=8 registers=16},kernel-pack-weights' | filecheck %s --check-prefix=PACK
// RUN: mlopt %s --split-input-file -p 'kernel-select-tiles{vector-width=8 registers=16},kernel-pack-weights,linalg-contraction-to-vector{vector-width=8 registers=16}' | filecheck %s --check-prefix=KERNEL
// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=8 registers=16}' | filecheck %s --check-prefix=STALE

// The kernels stage as three passes.  A MatMul with a constant 128x160 weight:
// kernel-select-tiles records the register tile (rows, vectors, lanes: 6x2 of
// 8 lanes with 16 registers, 12x2 of 16 with 32); kernel-pack-weights adds the
// weight as panels of one column tile (16 columns: 20480 floats) beside the
// original, names them on the op, and the op still reads the original;
// linalg-contraction-to-vector reads the panels and erases the original.
// TILE-LABEL: func.func @matmul_const
// TILE:         linalg.generic
// TILE-SAME:      mlopt.register_tile = array<i64: 6, 2, 8>
// TILE-NOT:       mlopt.panels
// TILE512-LABEL: func.func @matmul_const
// TILE512:         mlopt.register_tile = array<i64: 12, 2, 16>
// PACK:          "memref.global"() <{sym_name = "w", type = memref<128x160xf32>
// PACK-NEXT:     "memref.global"() <{sym_name = "w_panels16", type = memref<20480xf32>
// PACK-LABEL:    func.func @matmul_const
// PACK:            memref.get_global @w : memref<128x160xf32>
// PACK:            linalg.generic
// PACK-SAME:         mlopt.register_tile = array<i64: 6, 2, 8>, mlopt.panels = @w_panels16
// KERNEL-NOT:    sym_name = "w",
// KERNEL:        sym_name = "w_panels16"
// KERNEL-LABEL:  func.func @matmul_const
// KERNEL-NOT:      @w :
// KERNEL:          memref.get_global @w_panels16 : memref<20480xf32>
// KERNEL:          affine.for %{{.*}} = 0 to 160 step 16 {
// KERNEL-NEXT:       affine.for %{{.*}} = 0 to 12 step 6 {
// KERNEL:              vector.fma
// KERNEL-NOT:      linalg.generic
memref.global "private" constant @w : memref<128x160xf32> = dense<1.0>
func.func @matmul_const(%a: memref<12x128xf32>, %c: memref<12x160xf32>) {
  %b = memref.get_global @w : memref<128x160xf32>
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x160xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<12x128xf32>, memref<128x160xf32>) outs(%c : memref<12x160xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// A tile written by hand is used as given: 4 rows by 1 vector of 8, though
// the pass would pick 6x2; a weight that is an argument is not packed.
// TILE-LABEL: func.func @forced_tile
// TILE:         linalg.generic
// TILE-SAME:      mlopt.register_tile = array<i64: 4, 1, 8>
// PACK-LABEL: func.func @forced_tile
// PACK-NOT:     mlopt.panels
// KERNEL-LABEL: func.func @forced_tile
// KERNEL:         affine.for %{{.*}} = 0 to 32 step 8 {
// KERNEL-NEXT:      affine.for %{{.*}} = 0 to 12 step 4 {
// KERNEL:             vector.fma
func.func @forced_tile(%a: memref<12x64xf32>, %b: memref<64x32xf32>, %c: memref<12x32xf32>) {
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<12x64xf32>, memref<64x32xf32>) outs(%c : memref<12x32xf32>) attrs = {mlopt.register_tile = array<i64: 4, 1, 8>} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// An elementwise op is no kernel: no tile.
// TILE-LABEL: func.func @elementwise
// TILE-NOT:     mlopt.register_tile
func.func @elementwise(%a: memref<12x64xf32>, %c: memref<12x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<12x64xf32>) outs(%c : memref<12x64xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  func.return
}

// -----

// Panels recorded for another tile width (here 16 columns, the tile now 1
// vector of 8) are not used: linalg-contraction-to-vector packs its own (8
// columns) and erases the stale ones; kernel-pack-weights re-records.
// TILE-LABEL: func.func @stale_panels
// PACK-LABEL: func.func @stale_panels
// PACK:         mlopt.panels = @w2_panels8
// STALE-NOT:   w2_panels16
// STALE:       sym_name = "w2_panels8"
// STALE-NOT:   w2_panels16
// STALE:       memref.get_global @w2_panels8
// STALE-NOT:   w2_panels16
memref.global "private" constant @w2 : memref<128x160xf32> = dense<1.0>
memref.global "private" constant @w2_panels16 : memref<20480xf32> = dense<2.0>
func.func @stale_panels(%a: memref<12x128xf32>, %c: memref<12x160xf32>) {
  %b = memref.get_global @w2 : memref<128x160xf32>
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x160xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<12x128xf32>, memref<128x160xf32>) outs(%c : memref<12x160xf32>) attrs = {mlopt.register_tile = array<i64: 6, 1, 8>, mlopt.panels = @w2_panels16} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// RUN: mlopt %s --split-input-file -p convert-linalg-to-affine | filecheck %s

// Elementwise with a broadcast operand and a scalar operand: one loop per
// iterator, loads through each indexing map, the body inlined, a store
// through the output map.
// CHECK-LABEL: func.func @bias_scale
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3xf32>, %[[S:.*]]: f32, %[[O:.*]]: memref<2x3xf32>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 2 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 3 {
// CHECK-NEXT:        %[[VX:.*]] = affine.load %[[X]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NEXT:        %[[VB:.*]] = affine.load %[[B]][%[[J]]] : memref<3xf32>
// CHECK-NEXT:        %[[A:.*]] = arith.addf %[[VX]], %[[VB]] : f32
// CHECK-NEXT:        %[[M:.*]] = arith.mulf %[[A]], %[[S]] : f32
// CHECK-NEXT:        affine.store %[[M]], %[[O]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @bias_scale(%x: memref<2x3xf32>, %b: memref<3xf32>, %s: f32, %o: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %b, %s : memref<2x3xf32>, memref<3xf32>, f32) outs(%o : memref<2x3xf32>) {
  ^bb0(%a: f32, %c: f32, %sc: f32, %out: f32):
    %0 = arith.addf %a, %c : f32
    %1 = arith.mulf %0, %sc : f32
    linalg.yield %1 : f32
  }
  func.return
}

// -----

// Reduction over the innermost loop: the accumulator is loaded once, carried
// through iter_args, and stored once.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3x4xf32>, %[[C:.*]]: memref<2x4xf32>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 2 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 4 {
// CHECK-NEXT:        %[[INIT:.*]] = affine.load %[[C]][%[[I]], %[[J]]] : memref<2x4xf32>
// CHECK-NEXT:        %[[R:.*]] = affine.for %[[K:.*]] = 0 to 3 iter_args(%[[ACC:.*]] = %[[INIT]]) -> (f32) {
// CHECK-NEXT:          %[[VA:.*]] = affine.load %[[A]][%[[I]], %[[K]]] : memref<2x3xf32>
// CHECK-NEXT:          %[[VB:.*]] = affine.load %[[B]][%[[K]], %[[J]]] : memref<3x4xf32>
// CHECK-NEXT:          %[[P:.*]] = arith.mulf %[[VA]], %[[VB]] : f32
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT:          affine.yield %[[S]] : f32
// CHECK-NEXT:        }
// CHECK-NEXT:        affine.store %[[R]], %[[C]][%[[I]], %[[J]]] : memref<2x4xf32>
func.func @matmul(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %c: memref<2x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%c : memref<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// linalg.index is the loop induction variable; non-trivial maps (a strided,
// offset window) stay affine expressions of the IVs; memref.load in the body
// (a gather) is kept.
// CHECK-LABEL: func.func @index_window
// CHECK-SAME:    (%[[X:.*]]: memref<10xf32>, %[[T:.*]]: memref<7xf32>, %[[O:.*]]: memref<3xf32>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 3 {
// CHECK-NEXT:      %[[V:.*]] = affine.load %[[X]][%[[I]] * 2 + 1] : memref<10xf32>
// CHECK-NEXT:      %[[C:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK-NEXT:      %[[G:.*]] = memref.load %[[T]][%[[I]]] : memref<7xf32>
// CHECK:           affine.store %{{.*}}, %[[O]][%[[I]]] : memref<3xf32>
func.func @index_window(%x: memref<10xf32>, %t: memref<7xf32>, %o: memref<3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0 * 2 + 1)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<10xf32>) outs(%o : memref<3xf32>) {
  ^bb0(%v: f32, %out: f32):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i64
    %g = memref.load %t[%i] : memref<7xf32>
    %f = arith.sitofp %c : i64 to f32
    %s = arith.addf %v, %f : f32
    %r = arith.addf %s, %g : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// Rank 0: no loops at all.
// CHECK-LABEL: func.func @rank0
// CHECK-SAME:    (%[[X:.*]]: memref<f32>, %[[O:.*]]: memref<f32>)
// CHECK-NEXT:    %[[V:.*]] = affine.load %[[X]][] : memref<f32>
// CHECK-NEXT:    %[[N:.*]] = arith.negf %[[V]] : f32
// CHECK-NEXT:    affine.store %[[N]], %[[O]][] : memref<f32>
// CHECK-NEXT:    func.return
func.func @rank0(%x: memref<f32>, %o: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []} ins(%x : memref<f32>) outs(%o : memref<f32>) {
  ^bb0(%v: f32, %out: f32):
    %n = arith.negf %v : f32
    linalg.yield %n : f32
  }
  func.return
}

// -----

// A reduction over an outer loop keeps the accumulator in memory
// (load-combine-store), so the inner parallel loop stays contiguous.
// CHECK-LABEL: func.func @column_sum
// CHECK-SAME:    (%[[X:.*]]: memref<4x5xf32>, %[[O:.*]]: memref<5xf32>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 4 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 5 {
// CHECK-NEXT:        %[[V:.*]] = affine.load %[[X]][%[[I]], %[[J]]] : memref<4x5xf32>
// CHECK-NEXT:        %[[ACC:.*]] = affine.load %[[O]][%[[J]]] : memref<5xf32>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[V]], %[[ACC]] : f32
// CHECK-NEXT:        affine.store %[[S]], %[[O]][%[[J]]] : memref<5xf32>
func.func @column_sum(%x: memref<4x5xf32>, %o: memref<5xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%x : memref<4x5xf32>) outs(%o : memref<5xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// A full reduction to a rank-0 buffer: two carried loops, no outer ones.
// CHECK-LABEL: func.func @total
// CHECK-SAME:    (%[[X:.*]]: memref<2x3xf32>, %[[O:.*]]: memref<f32>)
// CHECK-NEXT:    %[[INIT:.*]] = affine.load %[[O]][] : memref<f32>
// CHECK-NEXT:    %[[R:.*]] = affine.for %{{.*}} = 0 to 2 iter_args(%[[A0:.*]] = %[[INIT]]) -> (f32) {
// CHECK-NEXT:      %[[R1:.*]] = affine.for %{{.*}} = 0 to 3 iter_args(%[[A1:.*]] = %[[A0]]) -> (f32) {
// CHECK:             affine.yield
// CHECK-NEXT:      }
// CHECK-NEXT:      affine.yield %[[R1]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    affine.store %[[R]], %[[O]][] : memref<f32>
// CHECK-NEXT:    func.return
func.func @total(%x: memref<2x3xf32>, %o: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%x : memref<2x3xf32>) outs(%o : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %a, %acc : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// A transposing copy (NPC -> NCHW, with a residual add): the output is
// contiguous along d3 while the input is contiguous along d1, so d1 runs
// innermost in blocks of 16 (the 16 output rows being written and the input
// lines being read stay in L1).
// CHECK-LABEL: func.func @npc_to_nchw
// CHECK:         affine.for %[[N:.*]] = 0 to 1 {
// CHECK-NEXT:      affine.for %[[C0:.*]] = 0 to 64 step 16 {
// CHECK-NEXT:        affine.for %[[H:.*]] = 0 to 7 {
// CHECK-NEXT:          affine.for %[[W:.*]] = 0 to 7 {
// CHECK-NEXT:            affine.for %[[C:.*]] = affine_map<(d0) -> (d0)>(%[[C0]]) to affine_map<(d0) -> ((d0 + 16))>(%[[C0]]) {
// CHECK-NEXT:              affine.load %{{.*}}[%[[N]], %[[H]] * 7 + %[[W]], %[[C]]] : memref<1x49x64xf32>
// CHECK-NEXT:              affine.load %{{.*}}[%[[N]], %[[C]], %[[H]], %[[W]]] : memref<1x64x7x7xf32>
// CHECK:                   affine.store %{{.*}}, %{{.*}}[%[[N]], %[[C]], %[[H]], %[[W]]] : memref<1x64x7x7xf32>
func.func @npc_to_nchw(%x: memref<1x49x64xf32>, %r: memref<1x64x7x7xf32>, %o: memref<1x64x7x7xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, ((d2 * 7) + d3), d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %r : memref<1x49x64xf32>, memref<1x64x7x7xf32>) outs(%o : memref<1x64x7x7xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// The contiguous dimension of the input is not a multiple of 16: the plain nest.
// CHECK-LABEL: func.func @transpose_odd
// CHECK:         affine.for %{{.*}} = 0 to 40 {
// CHECK-NEXT:      affine.for %{{.*}} = 0 to 24 {
// CHECK-NEXT:        affine.load
func.func @transpose_odd(%x: memref<24x40xf32>, %o: memref<40x24xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<24x40xf32>) outs(%o : memref<40x24xf32>) {
  ^bb0(%a: f32, %acc: f32):
    linalg.yield %a : f32
  }
  func.return
}

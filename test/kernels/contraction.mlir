// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=8 registers=16}' | filecheck %s
// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=16 registers=32}' | filecheck %s --check-prefix=AVX512

// MatMul 12x32 <- 12x64 * 64x32, zero-filled output: 6 rows x 2 vectors of 8
// (AVX2-sized); the fill becomes the accumulators' initial value; one
// reduction loop carries the 12 accumulators.  Buffers are addressed through
// 1-D views: one affine.apply per operand and tile, constant offsets from it.
// CHECK-LABEL: func.func @matmul
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[A:.*]] = memref.collapse_shape %{{.*}} : memref<12x64xf32> into memref<768xf32>
// CHECK-DAG:     %[[B:.*]] = memref.collapse_shape %{{.*}} : memref<64x32xf32> into memref<2048xf32>
// CHECK-DAG:     %[[C:.*]] = memref.collapse_shape %{{.*}} : memref<12x32xf32> into memref<384xf32>
// CHECK:         affine.for %[[J:.*]] = 0 to 32 step 16 {
// CHECK-NEXT:      affine.for %[[I:.*]] = 0 to 12 step 6 {
// CHECK-NEXT:        %[[Z:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK:             affine.for %[[K:.*]] = 0 to 64 iter_args(%{{.*}} = %[[Z]], %{{.*}} = %[[Z]],
// CHECK:               %[[AI:.*]] = affine.apply affine_map<(d0, d1, d2) -> ((d1 + (d0 * 64)))> (%[[I]], %[[K]], %[[J]])
// CHECK:               %[[AV:.*]] = affine.load %[[A]][%[[AI]]] : memref<768xf32>
// CHECK:               %[[BI:.*]] = affine.apply affine_map<(d0, d1, d2) -> ((d2 + (d1 * 32)))> (%[[I]], %[[K]], %[[J]])
// CHECK:               %[[B0:.*]] = affine.vector_load %[[B]][%[[BI]]] : memref<2048xf32>, vector<8xf32>
// CHECK:               %[[AB:.*]] = vector.broadcast %[[AV]] : f32 to vector<8xf32>
// CHECK:               vector.fma %[[AB]], %[[B0]], %{{.*}} : vector<8xf32>
// CHECK:               affine.vector_load %[[B]][%[[BI]] + 8] : memref<2048xf32>, vector<8xf32>
// CHECK:               affine.load %[[A]][%[[AI]] + 320] : memref<768xf32>
// CHECK:               affine.yield
// CHECK:             %[[CI:.*]] = affine.apply affine_map<(d0, d1, d2) -> ((d2 + (d0 * 32)))>
// CHECK:             affine.vector_store %{{.*}}, %[[C]][%[[CI]]] : memref<384xf32>, vector<8xf32>
// CHECK:             affine.vector_store %{{.*}}, %[[C]][%[[CI]] + 168] : memref<384xf32>, vector<8xf32>
// CHECK-NOT:     linalg.generic
// With 32 registers of 16 lanes the whole 12x32 output is one tile of 12 rows
// by 2 vectors (24 accumulators), so no tile loops remain.
// AVX512-LABEL: func.func @matmul
// AVX512-NOT:     step
// AVX512:         affine.for %{{.*}} = 0 to 64 iter_args(
// AVX512:           vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512:           affine.load %{{.*}}[%{{.*}} + 704] : memref<768xf32>
// AVX512-LABEL: func.func @odd
func.func @matmul(%a: memref<12x64xf32>, %b: memref<64x32xf32>, %c: memref<12x32xf32>) {
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<12x64xf32>, memref<64x32xf32>) outs(%c : memref<12x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// Odd sizes: 7 rows = a tile of 6 rows and a tile of 1; 17 columns = a tile of
// two vectors of 8 and a tile of one vector whose 7 extra lanes are masked off
// (vector.maskedload/maskedstore do not touch them); single tiles need no loop.
// No fill: the accumulators start from the output's values.
// CHECK-LABEL: func.func @odd
// CHECK-NOT:     affine.for %{{.*}} step
// CHECK:         %[[CI:.*]] = affine.apply affine_map<(d0, d1, d2) -> ((d2 + (d0 * 17)))>
// CHECK:         affine.vector_load %{{.*}}[%[[CI]] + 93] : memref<119xf32>, vector<8xf32>
// CHECK:         affine.for %{{.*}} = 0 to 40 iter_args(
// CHECK:         affine.vector_store %{{.*}}, %{{.*}}[%[[CI]] + 93] : memref<119xf32>, vector<8xf32>
// CHECK:         arith.constant 6 : index
// CHECK:         affine.vector_load %{{.*}} : memref<119xf32>, vector<8xf32>
// CHECK:         arith.constant 16 : index
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK:         %[[M:.*]] = arith.constant dense<[true, false, false, false, false, false, false, false]> : vector<8xi1>
// CHECK:         vector.maskedload %{{.*}}[%{{.*}}], %[[M]], %[[Z]] : memref<119xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK:         affine.for %{{.*}} = 0 to 40 iter_args(
// CHECK:           vector.maskedload %{{.*}} : memref<680xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK:         vector.maskedstore %{{.*}}[%{{.*}}], %[[M]], %{{.*}} : memref<119xf32>, vector<8xi1>, vector<8xf32>
// CHECK-NOT:     linalg.generic
func.func @odd(%a: memref<7x40xf32>, %b: memref<40x17xf32>, %c: memref<7x17xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<7x40xf32>, memref<40x17xf32>) outs(%c : memref<7x17xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// A 3x3 convolution (NCHW, padded input) with a bias broadcast before it and a
// Relu after it: the bias becomes the accumulators' initial value (a broadcast
// of one scalar per output channel), the Relu is applied to the accumulators
// before the store; both generics are erased.  Rows are output channels, the
// vector runs along the output width (unit stride in the input).  The init does
// not read the output, so the 16 channels are three overlapping tiles of 6
// (the last one starts at 10) rather than a tile kernel and a remainder kernel.
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK:         affine.for %[[OH:.*]] = 0 to 16 {
// CHECK:           affine.for %[[T:.*]] = 0 to 18 step 6 {
// CHECK-NEXT:        %[[F:.*]] = affine.min affine_map<(d0) -> (d0, 10)> (%[[T]])
// CHECK:             %[[BI:.*]] = affine.apply affine_map<(d0, d1, d2, d3, d4, d5) -> (d0)> (%[[F]],
// CHECK:             %[[BIAS:.*]] = affine.load %{{.*}}[%[[BI]]] : memref<16xf32>
// CHECK:             vector.broadcast %[[BIAS]] : f32 to vector<8xf32>
// CHECK:             affine.load %{{.*}}[%[[BI]] + 5] : memref<16xf32>
// CHECK:             affine.for %[[C:.*]] = 0 to 4 iter_args(
// CHECK:               affine.for %[[KH:.*]] = 0 to 3 iter_args(
// CHECK:                 affine.for %[[KW:.*]] = 0 to 3 iter_args(
// CHECK:                   affine.apply affine_map<(d0, d1, d2, d3, d4, d5) -> ((((d4 + (d3 * 3)) + (d2 * 9)) + (d0 * 36)))> (%[[F]], %[[OH]], %[[C]], %[[KH]], %[[KW]],
// CHECK:                   affine.load %{{.*}} : memref<576xf32>
// CHECK:                   affine.apply affine_map<(d0, d1, d2, d3, d4, d5) -> ((((d5 + d4) + ((d1 * 18) + (d3 * 18))) + (d2 * 324)))> (%[[F]], %[[OH]], %[[C]], %[[KH]], %[[KW]],
// CHECK:                   affine.vector_load %{{.*}} : memref<1296xf32>, vector<8xf32>
// CHECK:             arith.maximumf %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK:             affine.vector_store
// CHECK-NOT:     linalg.generic
func.func @conv_bias_relu(%x: memref<1x4x18x18xf32>, %w: memref<16x4x3x3xf32>, %bias: memref<16xf32>, %o: memref<1x16x16x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0)>, affine_map<(d0, d1, d2) -> (0, d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bias : memref<16xf32>) outs(%o : memref<1x16x16x16xf32>) {
  ^bb0(%b: f32, %out: f32):
    linalg.yield %b : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d2, (d1 + d3), (d5 + d4))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (0, d0, d1, d5)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<1x4x18x18xf32>, memref<16x4x3x3xf32>) outs(%o : memref<1x16x16x16xf32>) {
  ^bb0(%xv: f32, %wv: f32, %acc: f32):
    %p = arith.mulf %xv, %wv : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (0, d0, d1, d2)>, affine_map<(d0, d1, d2) -> (0, d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%o : memref<1x16x16x16xf32>) outs(%o : memref<1x16x16x16xf32>) {
  ^bb0(%v: f32, %out: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// A residual Add of another buffer after the contraction is fused (a vector
// load of the residual beside the accumulators).
// CHECK-LABEL: func.func @residual
// CHECK:         affine.for %{{.*}} = 0 to 64 iter_args(
// CHECK:         affine.yield
// CHECK:         %[[R:.*]] = affine.vector_load %{{.*}} : memref<96xf32>, vector<8xf32>
// CHECK:         arith.addf %{{.*}}, %[[R]] : vector<8xf32>
// CHECK-NOT:     linalg.generic
func.func @residual(%a: memref<6x64xf32>, %b: memref<64x16xf32>, %res: memref<6x16xf32>, %c: memref<6x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<6x64xf32>, memref<64x16xf32>) outs(%c : memref<6x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%c, %res : memref<6x16xf32>, memref<6x16xf32>) outs(%c : memref<6x16xf32>) {
  ^bb0(%v: f32, %r: f32, %out: f32):
    %s = arith.addf %v, %r : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// Left alone: f64 elements, and a contraction below min-macs.
// CHECK-LABEL: func.func @not_matched
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT:     vector.fma
func.func @not_matched(%a: memref<64x64xf64>, %b: memref<64x64xf64>, %c: memref<64x64xf64>, %s: memref<2x2xf32>, %t: memref<2x2xf32>, %u: memref<2x2xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<64x64xf64>, memref<64x64xf64>) outs(%c : memref<64x64xf64>) {
  ^bb0(%p0: f64, %p1: f64, %acc: f64):
    %p = arith.mulf %p0, %p1 : f64
    %r = arith.addf %acc, %p : f64
    linalg.yield %r : f64
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%s, %t : memref<2x2xf32>, memref<2x2xf32>) outs(%u : memref<2x2xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// A dot product into a scalar (rank-0) output has no dimension to vectorise
// along: left alone (this used to crash the pass).
// CHECK-LABEL: func.func @dot
// CHECK:         linalg.generic
// CHECK-NOT:     vector.fma
func.func @dot(%a: memref<8192xf32>, %b: memref<8192xf32>, %c: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]} ins(%a, %b : memref<8192xf32>, memref<8192xf32>) outs(%c : memref<f32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  func.return
}

// -----

// A stride-2 window along the output's last dim: each vector of 8 lanes is a
// contiguous load of 16 elements and a vector.shuffle of every other one.  The
// furthest load ends one element past the last one used, which the buffer has
// (130 > 2 * 63 + 2 + 1).
// CHECK-LABEL: func.func @strided
// CHECK:         %[[W:.*]] = affine.vector_load %{{.*}} : memref<8320xf32>, vector<16xf32>
// CHECK:         vector.shuffle %[[W]], %[[W]] [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
// CHECK-NOT:     linalg.generic
func.func @strided(%x: memref<64x130xf32>, %w: memref<64x3xf32>, %o: memref<64x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, (d1 * 2 + d2))>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<64x130xf32>, memref<64x3xf32>) outs(%o : memref<64x64xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// The same with a buffer that ends at the last element used: a full wide load
// could read past it, so the wide loads are masked to the 15 elements used.
// CHECK-LABEL: func.func @strided_at_end
// CHECK:         %[[M:.*]] = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, false]> : vector<16xi1>
// CHECK:         %[[W:.*]] = vector.maskedload %{{.*}}[%{{.*}}], %[[M]], %{{.*}} : memref<8256xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:         vector.shuffle %[[W]], %[[W]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK-NOT:     linalg.generic
func.func @strided_at_end(%x: memref<64x129xf32>, %w: memref<64x3xf32>, %o: memref<64x64xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, (d1 * 2 + d2))>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<64x129xf32>, memref<64x3xf32>) outs(%o : memref<64x64xf32>) {
  ^bb0(%p0: f32, %p1: f32, %acc: f32):
    %p = arith.mulf %p0, %p1 : f32
    %r = arith.addf %acc, %p : f32
    linalg.yield %r : f32
  }
  func.return
}

// -----

// A max-pooling window (3x3, stride 2; the second input is the window-shaped
// dummy that gives the window loops their bounds): acc = max(acc, x) on
// vectors, the -inf fill fused as the initial value.  The last window ends at
// the buffer's last element, so the wide strided loads are masked.  The
// tile's rows are output rows of one channel (6 of 16, the last tile moved
// back to end at the edge), the channels a loop outside: a window shares no
// loads between rows, and rows in one plane read the input as it lies.
// CHECK-LABEL: func.func @maxpool
// CHECK-NOT:     linalg.fill
// CHECK:         affine.for %{{.*}} = 0 to 8 {
// CHECK-NEXT:      affine.for %[[R:.*]] = 0 to 18 step 6 {
// CHECK-NEXT:        affine.min affine_map<(d0) -> (d0, 10)> (%[[R]])
// CHECK:         %[[NINF:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK:         affine.for %{{.*}} = 0 to 3 iter_args(%{{.*}} = %[[NINF]],
// CHECK:           affine.for %{{.*}} = 0 to 3 iter_args(
// CHECK:             %[[W:.*]] = vector.maskedload %{{.*}} : memref<8712xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:             %[[X:.*]] = vector.shuffle %[[W]], %[[W]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK:             arith.maximumf %{{.*}}, %[[X]] : vector<8xf32>
// CHECK-NOT:     linalg.generic
func.func @maxpool(%x: memref<1x8x33x33xf32>, %win: memref<3x3xf32>, %o: memref<1x8x16x16xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%ninf : f32) outs(%o : memref<1x8x16x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (0, d0, ((d1 * 2) + d2), ((d4 * 2) + d3))>, affine_map<(d0, d1, d2, d3, d4) -> (d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d1, d4)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%x, %win : memref<1x8x33x33xf32>, memref<3x3xf32>) outs(%o : memref<1x8x16x16xf32>) {
  ^bb0(%v: f32, %unused: f32, %acc: f32):
    %m = arith.maximumf %acc, %v : f32
    linalg.yield %m : f32
  }
  func.return
}

// -----

// bufferize places the window's allocation between the fill and the pooling
// generic: the fill is still fused (an allocation of another buffer does not
// touch the output).
// CHECK-LABEL: func.func @maxpool_alloc_between
// CHECK-NOT:     linalg.fill
// CHECK:         %[[NINF:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// CHECK:         affine.for %{{.*}} = 0 to 3 iter_args(%{{.*}} = %[[NINF]],
// CHECK-NOT:     linalg.generic
func.func @maxpool_alloc_between(%x: memref<1x8x33x33xf32>, %o: memref<1x8x16x16xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%ninf : f32) outs(%o : memref<1x8x16x16xf32>)
  %win = memref.alloc() : memref<3x3xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (0, d0, ((d1 * 2) + d2), ((d4 * 2) + d3))>, affine_map<(d0, d1, d2, d3, d4) -> (d2, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d1, d4)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%x, %win : memref<1x8x33x33xf32>, memref<3x3xf32>) outs(%o : memref<1x8x16x16xf32>) {
  ^bb0(%v: f32, %unused: f32, %acc: f32):
    %m = arith.maximumf %acc, %v : f32
    linalg.yield %m : f32
  }
  memref.dealloc %win : memref<3x3xf32>
  func.return
}

// -----

// A constant vector input (MatMul's weights B[k, n]) is stored as panels of one
// tile's width (P[t, k, c] = B[k, t * 16 + c], zero past the last column) and
// read contiguously: each k step of a tile loads 16 consecutive floats, the
// next k the next 16.  The original weight is dropped.  Column tiles start at
// multiples of the panel width (no overlapping last tile); the 12 leftover
// columns are a full vector and a masked one.
// CHECK-LABEL: func.func @packed
// CHECK:         %[[P:.*]] = memref.get_global @w_panels16 : memref<19456xf32>
// CHECK:         affine.for %[[J:.*]] = 0 to 288 step 16 {
// CHECK:           affine.for %[[K:.*]] = 0 to 64 iter_args(
// CHECK:             %[[B:.*]] = affine.apply affine_map<(d0, d1, d2) -> (((d2 * 64) + (d1 * 16)))> (%{{.*}}, %[[K]], %[[J]])
// CHECK:             affine.vector_load %[[P]][%[[B]]] : memref<19456xf32>, vector<8xf32>
// CHECK:             affine.vector_load %[[P]][%[[B]] + 8] : memref<19456xf32>, vector<8xf32>
// CHECK:         arith.constant 288 : index
// CHECK:         vector.maskedload %[[P]]
// CHECK:         vector.maskedstore
// CHECK:       "memref.global"() <{sym_name = "w_panels16", type = memref<19456xf32>, initial_value = dense<{{.*}}> : tensor<19456xf32>, sym_visibility = "private", constant}>
// CHECK-NOT:   sym_name = "w",
func.func @packed(%a: memref<12x64xf32>, %c: memref<12x300xf32>) {
  %w = memref.get_global @w : memref<64x300xf32>
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<12x300xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %w : memref<12x64xf32>, memref<64x300xf32>) outs(%c : memref<12x300xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  func.return
}
"memref.global"() <{sym_name = "w", type = memref<64x300xf32>, initial_value = dense<1.000000e+00> : tensor<64x300xf32>, sym_visibility = "private", constant}> : () -> ()

// -----

// A matrix-vector product (one row: no row loop) reads its weight once, but a
// column tile's reduction steps are a whole row (300 floats) apart in the
// original layout; in panels the pass over the weight is one contiguous
// stream.
// CHECK-LABEL: func.func @gemv_packed
// CHECK:         %[[P:.*]] = memref.get_global @wv_panels16 : memref<19456xf32>
// CHECK:         affine.for %[[J:.*]] = 0 to 288 step 16 {
// CHECK:           affine.for %[[K:.*]] = 0 to 64 iter_args(
// CHECK:             affine.vector_load %[[P]][%{{.*}}] : memref<19456xf32>, vector<8xf32>
// CHECK-NOT:   sym_name = "wv",
func.func @gemv_packed(%a: memref<1x64xf32>, %c: memref<1x300xf32>) {
  %w = memref.get_global @wv : memref<64x300xf32>
  %z = arith.constant 0.000000e+00 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<1x300xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %w : memref<1x64xf32>, memref<64x300xf32>) outs(%c : memref<1x300xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  func.return
}
"memref.global"() <{sym_name = "wv", type = memref<64x300xf32>, initial_value = dense<1.000000e+00> : tensor<64x300xf32>, sym_visibility = "private", constant}> : () -> ()

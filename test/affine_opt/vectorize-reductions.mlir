// RUN: mlopt %s --split-input-file -p 'affine-vectorize-reductions{vector-width=8}' | filecheck %s

// Sum along the contiguous last index: 4 accumulators of 8 lanes over the
// first 96 elements, combined pairwise, one in-order vector.reduction, the
// last 4 elements in the original scalar loop, then the loop's init added.
// CHECK-LABEL: func.func @sum_rows
// CHECK: %[[INIT:\w+]] = affine.load %out[%i] : memref<4xf32>
// CHECK-NEXT: %[[ZERO:\w+]] = arith.constant -0.000000e+00 : f32
// CHECK-NEXT: %[[Z:\w+]] = vector.broadcast %[[ZERO]] : f32 to vector<8xf32>
// CHECK-NEXT: %[[A0:\w+]], %[[A1:\w+]], %[[A2:\w+]], %[[A3:\w+]] = affine.for %[[J:\w+]] = 0 to 96 step 32 iter_args(%{{\w+}} = %[[Z]], %{{\w+}} = %[[Z]], %{{\w+}} = %[[Z]], %{{\w+}} = %[[Z]]) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// CHECK: vector.load %m[%{{\w+}}, %{{\w+}}] : memref<4x100xf32>, vector<8xf32>
// CHECK: affine.apply affine_map<(d0) -> ((d0 + 24))> (%[[J]])
// CHECK: affine.yield
// CHECK: %[[S01:\w+]] = arith.addf %[[A0]], %[[A1]] : vector<8xf32>
// CHECK-NEXT: %[[S23:\w+]] = arith.addf %[[A2]], %[[A3]] : vector<8xf32>
// CHECK-NEXT: %[[S:\w+]] = arith.addf %[[S01]], %[[S23]] : vector<8xf32>
// CHECK-NEXT: %[[T:\w+]] = vector.reduction <add>, %[[S]] : vector<8xf32> into f32
// CHECK-NEXT: %[[R:\w+]] = affine.for %k = 96 to 100 iter_args(%acc = %[[T]]) -> (f32) {
// CHECK: %[[F:\w+]] = arith.addf %[[INIT]], %[[R]] : f32
// CHECK-NEXT: affine.store %[[F]], %out[%i] : memref<4xf32>
func.func @sum_rows(%m: memref<4x100xf32>, %out: memref<4xf32>) {
  affine.for %i = 0 to 4 {
    %init = affine.load %out[%i] : memref<4xf32>
    %r = affine.for %k = 0 to 100 iter_args(%acc = %init) -> (f32) {
      %x = affine.load %m[%i, %k] : memref<4x100xf32>
      %s = arith.addf %acc, %x : f32
      affine.yield %s : f32
    }
    affine.store %r, %out[%i] : memref<4xf32>
  }
  func.return
}

// -----

// A body of arithmetic on the loads: vectorised op by op, the loop-invariant
// %c broadcast once; 64 = 2 x 32 leaves no tail, max's identity is -inf.
// CHECK-LABEL: func.func @max_centred_square
// CHECK: %init = arith.constant 0xff800000 : f32
// CHECK-NEXT: %[[NINF:\w+]] = arith.constant 0xff800000 : f32
// CHECK-NEXT: vector.broadcast %[[NINF]] : f32 to vector<8xf32>
// CHECK-NEXT: %[[C:\w+]] = vector.broadcast %c : f32 to vector<8xf32>
// CHECK-NEXT: affine.for %{{\w+}} = 0 to 64 step 32
// CHECK: %[[X:\w+]] = vector.load %m[%{{\w+}}] : memref<64xf32>, vector<8xf32>
// CHECK-NEXT: %[[D:\w+]] = arith.subf %[[X]], %[[C]] : vector<8xf32>
// CHECK-NEXT: %[[Q:\w+]] = arith.mulf %[[D]], %[[D]] : vector<8xf32>
// CHECK-NEXT: arith.maximumf %{{\w+}}, %[[Q]] : vector<8xf32>
// CHECK: vector.reduction <maximumf>, %{{\w+}} : vector<8xf32> into f32
// CHECK-NOT: affine.for
// CHECK: func.return
func.func @max_centred_square(%m: memref<64xf32>, %c: f32, %out: memref<f32>) {
  %init = arith.constant 0xFF800000 : f32
  %r = affine.for %k = 0 to 64 iter_args(%acc = %init) -> (f32) {
    %x = affine.load %m[%k] : memref<64xf32>
    %d = arith.subf %x, %c : f32
    %q = arith.mulf %d, %d : f32
    %s = arith.maximumf %acc, %q : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[] : memref<f32>
  func.return
}

// -----

// Loads that do not take the loop index as their plain last index: left alone.
// CHECK-LABEL: func.func @strided_not_rewritten
// CHECK-NOT: vector
// CHECK: func.return
func.func @strided_not_rewritten(%m: memref<4x100xf32>, %out: memref<f32>) {
  %init = arith.constant 0.0 : f32
  %r = affine.for %k = 0 to 100 iter_args(%acc = %init) -> (f32) {
    %x = affine.load %m[0, %k * 2 floordiv 2] : memref<4x100xf32>
    %y = affine.load %m[%k floordiv 25, 0] : memref<4x100xf32>
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[] : memref<f32>
  func.return
}

// -----

// Fewer than 2 x vector-width iterations: left alone.
// CHECK-LABEL: func.func @short_not_rewritten
// CHECK-NOT: vector
// CHECK: func.return
func.func @short_not_rewritten(%m: memref<15xf32>, %out: memref<f32>) {
  %init = arith.constant 0.0 : f32
  %r = affine.for %k = 0 to 15 iter_args(%acc = %init) -> (f32) {
    %x = affine.load %m[%k] : memref<15xf32>
    %s = arith.addf %acc, %x : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[] : memref<f32>
  func.return
}

// -----

// A dequantized average (GlobalAveragePool of a requantized tensor): the
// rounding and clipping are lane-wise, so the sum is vectorised with them.
// CHECK-LABEL: func.func @sum_of_requantized
// CHECK: affine.for %{{\w+}} = 0 to 64 step 32 iter_args
// CHECK: math.roundeven %{{\w+}} : vector<8xf32>
// CHECK: arith.minimumf %{{\w+}}, %{{\w+}} : vector<8xf32>
// CHECK: vector.reduction <add>
func.func @sum_of_requantized(%m: memref<64xf32>, %out: memref<f32>) {
  %init = affine.load %out[] : memref<f32>
  %r = affine.for %k = 0 to 64 iter_args(%acc = %init) -> (f32) {
    %x = affine.load %m[%k] : memref<64xf32>
    %q = math.roundeven %x : f32
    %hi = arith.constant 2.550000e+02 : f32
    %c = arith.minimumf %q, %hi : f32
    %s = arith.addf %acc, %c : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[] : memref<f32>
  func.return
}

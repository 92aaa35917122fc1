// RUN: mlopt %s --split-input-file -p outline-parallel-loops | filecheck %s

// A marked loop becomes a private function over iterations lo..hi reading the
// buffers and indices it uses from an i64 context, and a call of the pool;
// constants are cloned into the body, the context is an alloca in the entry.
// CHECK-LABEL: func.func private @f_par0(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64) {
// CHECK:         %[[S0:.*]] = llvm.getelementptr %{{.*}}[0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[A:.*]] = llvm.load %[[S0]] : !llvm.ptr -> i64
// CHECK:         %[[AP:.*]] = llvm.inttoptr %[[A]] : i64 to !llvm.ptr
// CHECK:         %[[AM:.*]] = builtin.unrealized_conversion_cast %[[AP]] : !llvm.ptr to memref<64xf32>
// CHECK:         %[[S1:.*]] = llvm.getelementptr %{{.*}}[1] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK:         %[[N:.*]] = llvm.load %[[S1]] : !llvm.ptr -> i64
// CHECK:         builtin.unrealized_conversion_cast %[[N]] : i64 to index
// CHECK:         arith.constant 2.000000e+00 : f32
// CHECK:         affine.for %[[T:.*]] = affine_map<(d0) -> (d0)>(%{{.*}}) to affine_map<(d0) -> (d0)>(%{{.*}}) {
// CHECK-NEXT:      %[[I:.*]] = affine.apply affine_map<(d0) -> ((d0 * 8))> (%[[T]])
// CHECK:           affine.load %[[AM]][%[[I]] + %{{.*}}] : memref<64xf32>
// CHECK:         func.return
// CHECK-LABEL: func.func @f(
// CHECK:         %[[CNT:.*]] = llvm.mlir.constant(3) : i64
// CHECK-NEXT:    %[[CTX:.*]] = llvm.alloca %[[CNT]] x i64 {alignment = 8 : i64} : (i64) -> !llvm.ptr
// CHECK:         llvm.ptrtoint %{{.*}} : !llvm.ptr to i64
// CHECK:         %[[FN:.*]] = llvm.mlir.addressof @f_par0 : !llvm.ptr
// CHECK:         %[[NI:.*]] = llvm.mlir.constant(8) : i64
// CHECK:         %[[NT:.*]] = llvm.mlir.constant(4) : i64
// CHECK:         llvm.call @mlopt_parallel_for(%[[FN]], %[[CTX]], %[[NI]], %[[NT]]) : (!llvm.ptr, !llvm.ptr, i64, i64) -> ()
// CHECK-NOT:     affine.for
// CHECK:       llvm.func @mlopt_parallel_for(!llvm.ptr, !llvm.ptr, i64, i64)
func.func @f(%a: memref<64xf32>, %b: memref<64xf32>, %n: index) {
  %two = arith.constant 2.0 : f32
  affine.for %i = 0 to 64 step 8 {
    affine.for %k = 0 to 8 {
      %x = affine.load %a[%i + %k] : memref<64xf32>
      %y = arith.mulf %x, %two : f32
      %z = affine.load %a[%n] : memref<64xf32>
      %w = arith.addf %y, %z : f32
      affine.store %w, %b[%i + %k] : memref<64xf32>
    }
  } {mlopt.parallel = 4 : i64}
  func.return
}

// -----

// A loop that captures a non-constant scalar keeps running serially (the mark
// is dropped); unmarked loops are untouched.
// CHECK-LABEL: func.func @g
// CHECK-NOT:     mlopt.parallel
// CHECK-NOT:     llvm.call
// CHECK:         affine.for
func.func @g(%a: memref<64xf32>, %s: f32) {
  affine.for %i = 0 to 64 {
    affine.store %s, %a[%i] : memref<64xf32>
  } {mlopt.parallel = 2 : i64}
  func.return
}

// -----

// Two loops with the same body on different buffers share one outlined
// function; a loop that differs (another step) gets its own.
// CHECK-LABEL: func.func private @h_par0(
// CHECK-LABEL: func.func private @h_par1(
// CHECK-LABEL: func.func @h(
// CHECK:         llvm.mlir.addressof @h_par0 : !llvm.ptr
// CHECK:         llvm.mlir.addressof @h_par0 : !llvm.ptr
// CHECK:         llvm.mlir.addressof @h_par1 : !llvm.ptr
// CHECK-NOT:     @h_par2
func.func @h(%a: memref<64xf32>, %b: memref<64xf32>, %c: memref<64xf32>, %d: memref<64xf32>) {
  affine.for %i = 0 to 64 step 8 {
    affine.for %k = 0 to 8 {
      %x = affine.load %a[%i + %k] : memref<64xf32>
      affine.store %x, %b[%i + %k] : memref<64xf32>
    }
  } {mlopt.parallel = 2 : i64}
  affine.for %i = 0 to 64 step 8 {
    affine.for %k = 0 to 8 {
      %x = affine.load %c[%i + %k] : memref<64xf32>
      affine.store %x, %d[%i + %k] : memref<64xf32>
    }
  } {mlopt.parallel = 2 : i64}
  affine.for %i = 0 to 64 step 16 {
    affine.for %k = 0 to 16 {
      %x = affine.load %a[%i + %k] : memref<64xf32>
      affine.store %x, %d[%i + %k] : memref<64xf32>
    }
  } {mlopt.parallel = 2 : i64}
  func.return
}

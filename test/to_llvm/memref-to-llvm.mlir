// RUN: mlopt %s -p convert-memref-to-llvm | filecheck %s

// Constant data stays on the global (the backend binds it at load time).
// CHECK: llvm.mlir.global external constant @w(dense<{{.*}}> : tensor<2x2xf32>) {{.*}} : !llvm.array<4 x f32>
"memref.global"() <{sym_name = "w", sym_visibility = "private", type = memref<2x2xf32>, initial_value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>, constant}> : () -> ()
// Row-major linearisation with nsw, then one inbounds GEP.
// Each value is cast once, next to its definition, and shared; strides are
// constants defined once at the function entry.
// CHECK-LABEL: func.func @access
// CHECK-DAG:     %[[C5:.*]] = llvm.mlir.constant(5) : i64
// CHECK-DAG:     %[[P:.*]] = builtin.unrealized_conversion_cast %a : memref<3x5xf32> to !llvm.ptr
// CHECK-DAG:     %[[I:.*]] = builtin.unrealized_conversion_cast %i : index to i64
// CHECK-DAG:     %[[J:.*]] = builtin.unrealized_conversion_cast %j : index to i64
// CHECK:         %[[M:.*]] = llvm.mul %[[I]], %[[C5]] overflow<nsw> : i64
// CHECK:         %[[L:.*]] = llvm.add %[[M]], %[[J]] overflow<nsw> : i64
// CHECK:         %[[G:.*]] = llvm.getelementptr inbounds %[[P]][%[[L]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %[[V:.*]] = llvm.load %[[G]] : !llvm.ptr -> f32
// CHECK:         %[[M2:.*]] = llvm.mul %[[J]], %[[C5]] overflow<nsw> : i64
// CHECK:         %[[L2:.*]] = llvm.add %[[M2]], %[[I]] overflow<nsw> : i64
// CHECK:         %[[G2:.*]] = llvm.getelementptr inbounds %[[P]][%[[L2]]]
// CHECK:         llvm.store %[[V]], %[[G2]] : f32, !llvm.ptr
func.func @access(%a: memref<3x5xf32>, %i: index, %j: index) -> f32 {
  %v = memref.load %a[%i, %j] : memref<3x5xf32>
  memref.store %v, %a[%j, %i] : memref<3x5xf32>
  func.return %v : f32
}
// CHECK-LABEL: func.func @alloc_copy
// CHECK:         %[[AL:.*]] = llvm.mlir.constant(64) : i64
// CHECK:         %[[SZ:.*]] = llvm.mlir.constant(128) : i64
// CHECK:         %[[T:.*]] = llvm.call @aligned_alloc(%[[AL]], %[[SZ]]) : (i64, i64) -> !llvm.ptr
// CHECK:         llvm.call_intrinsic "llvm.memcpy.p0.p0.i64"(%[[T]], %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, i64, i1) -> ()
// CHECK:         llvm.call @free(%[[T]]) : (!llvm.ptr) -> ()
func.func @alloc_copy(%a: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  "memref.copy"(%a, %t) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
  memref.dealloc %t : memref<4x8xf32>
  func.return
}
// collapse_shape is the same pointer.
// CHECK-LABEL: func.func @views
// CHECK:         %[[P:.*]] = builtin.unrealized_conversion_cast %a : memref<4x8xf32> to !llvm.ptr
// CHECK:         llvm.getelementptr inbounds %[[P]][%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
func.func @views(%a: memref<4x8xf32>, %i: index) -> f32 {
  %c = memref.collapse_shape %a [[0, 1]] : memref<4x8xf32> into memref<32xf32>
  %v = memref.load %c[%i] : memref<32xf32>
  func.return %v : f32
}
// alloca is hoisted to the entry block; get_global is the global's address.
// CHECK-LABEL: func.func @global_and_alloca
// CHECK-NEXT:    llvm.mlir.constant(2) : i64
// CHECK-NEXT:    %[[N:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %[[S:.*]] = llvm.alloca %[[N]] x f32 {alignment = 64 : i64} : (i64) -> !llvm.ptr
// CHECK-NEXT:    %[[W:.*]] = llvm.mlir.addressof @w : !llvm.ptr
// CHECK:         llvm.getelementptr inbounds %[[W]]
// CHECK:         llvm.store %{{.*}}, %[[S]] : f32, !llvm.ptr
// CHECK:         llvm.load %[[S]] : !llvm.ptr -> f32
func.func @global_and_alloca() -> f32 {
  %w = memref.get_global @w : memref<2x2xf32>
  %s = memref.alloca() : memref<f32>
  %c0 = arith.constant 0 : index
  %v = memref.load %w[%c0, %c0] : memref<2x2xf32>
  memref.store %v, %s[] : memref<f32>
  %r = memref.load %s[] : memref<f32>
  func.return %r : f32
}


// A large alloca goes to the heap (allocated at entry, freed at every return).
// CHECK-LABEL: func.func @big_alloca
// CHECK:         %[[B:.*]] = llvm.call @aligned_alloc(%{{.*}}, %{{.*}}) : (i64, i64) -> !llvm.ptr
// CHECK-NOT:     llvm.alloca
// CHECK:         llvm.call @free(%[[B]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    func.return
func.func @big_alloca(%v: f32) {
  %s = memref.alloca() : memref<256x256xf32>
  %c0 = arith.constant 0 : index
  memref.store %v, %s[%c0, %c0] : memref<256x256xf32>
  func.return
}

// CHECK-DAG: llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @free(!llvm.ptr)

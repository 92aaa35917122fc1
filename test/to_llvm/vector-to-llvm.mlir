// RUN: mlopt %s -p lower-affine,convert-vector-to-llvm | filecheck %s

// affine.vector_load/store -> vector.load/store -> element-aligned llvm vector
// loads/stores; broadcast is insertelement + shufflevector; fma is llvm.intr.fma;
// reductions use llvm.vector.reduce.*.
// CHECK-LABEL: func.func @vec
// CHECK:         %[[P:.*]] = llvm.getelementptr inbounds %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %[[X:.*]] = llvm.load %[[P]] <alignment = 4> : !llvm.ptr -> vector<8xf32>
// CHECK:         %[[U:.*]] = llvm.mlir.undef : vector<8xf32>
// CHECK:         %[[I:.*]] = llvm.insertelement %{{.*}}, %[[U]][%{{.*}} : i32] : vector<8xf32>
// CHECK:         %[[B:.*]] = llvm.shufflevector %[[I]], %[[U]] [0, 0, 0, 0, 0, 0, 0, 0] : vector<8xf32>
// CHECK:         %[[F:.*]] = llvm.intr.fma(%[[X]], %[[B]], %[[X]]) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
// CHECK:         llvm.store %[[F]], %{{.*}} <alignment = 4> : vector<8xf32>, !llvm.ptr
// CHECK:         llvm.call_intrinsic "llvm.vector.reduce.fadd.v8f32"(%{{.*}}, %[[F]]) : (f32, vector<8xf32>) -> f32
// CHECK:         llvm.call_intrinsic "llvm.vector.reduce.smax.v4i32"
// CHECK:         %[[E:.*]] = llvm.shufflevector %{{.*}}, %{{.*}} [2] : vector<4xi32>
// CHECK:         llvm.bitcast %[[E]] : vector<1xi32> to i32
func.func @vec(%a: memref<16xf32>, %v: vector<4xi32>) -> (f32, i32, i32) {
  %two = arith.constant 2.0 : f32
  %c0 = arith.constant 0 : index
  %x = affine.vector_load %a[%c0 + 8] : memref<16xf32>, vector<8xf32>
  %t = vector.broadcast %two : f32 to vector<8xf32>
  %f = vector.fma %x, %t, %x : vector<8xf32>
  affine.vector_store %f, %a[%c0] : memref<16xf32>, vector<8xf32>
  %s = vector.reduction <add>, %f : vector<8xf32> into f32
  %m = vector.reduction <maxsi>, %v : vector<4xi32> into i32
  %e = vector.extract %v[2] : i32 from vector<4xi32>
  func.return %s, %m, %e : f32, i32, i32
}

// vector.shuffle (the strided loads of linalg-contraction-to-vector) is one
// llvm.shufflevector with the same mask.
// CHECK-LABEL: func.func @shuffle
// CHECK:         %[[V:.*]] = llvm.load %{{.*}} <alignment = 4> : !llvm.ptr -> vector<8xf32>
// CHECK:         llvm.shufflevector %[[V]], %[[V]] [0, 2, 4, 6] : vector<8xf32>
func.func @shuffle(%a: memref<16xf32>) -> vector<4xf32> {
  %c0 = arith.constant 0 : index
  %x = affine.vector_load %a[%c0] : memref<16xf32>, vector<8xf32>
  %s = vector.shuffle %x, %x [0, 2, 4, 6] : vector<8xf32>, vector<8xf32>
  func.return %s : vector<4xf32>
}

// vector.maskedload/maskedstore are llvm.masked.load/store with the element
// alignment.
// CHECK-LABEL: func.func @masked
// CHECK:         llvm.call_intrinsic "llvm.masked.load.v8f32.p0"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, i32, vector<8xi1>, vector<8xf32>) -> vector<8xf32>
// CHECK:         llvm.call_intrinsic "llvm.masked.store.v8f32.p0"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, !llvm.ptr, i32, vector<8xi1>) -> ()
func.func @masked(%a: memref<13xf32>, %m: vector<8xi1>, %z: vector<8xf32>) {
  %c8 = arith.constant 8 : index
  %x = vector.maskedload %a[%c8], %m, %z : memref<13xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
  vector.maskedstore %a[%c8], %m, %x : memref<13xf32>, vector<8xi1>, vector<8xf32>
  func.return
}

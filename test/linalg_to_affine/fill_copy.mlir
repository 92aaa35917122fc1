// RUN: mlopt %s --split-input-file -p convert-linalg-to-affine | filecheck %s

// CHECK-LABEL: func.func @fill
// CHECK-SAME:    (%[[O:.*]]: memref<2x3xi32>)
// CHECK-NEXT:    %[[C:.*]] = arith.constant 7 : i32
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 2 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 3 {
// CHECK-NEXT:        affine.store %[[C]], %[[O]][%[[I]], %[[J]]] : memref<2x3xi32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
func.func @fill(%o: memref<2x3xi32>) {
  %c = arith.constant 7 : i32
  linalg.fill ins(%c : i32) outs(%o : memref<2x3xi32>)
  func.return
}

// -----

// A copy of contiguous buffers is one loop over 1-D views.
// CHECK-LABEL: func.func @copy
// CHECK-SAME:    (%[[A:.*]]: memref<4x2xf16>, %[[B:.*]]: memref<4x2xf16>)
// CHECK-NEXT:    %[[FA:.*]] = memref.collapse_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] : memref<4x2xf16> into memref<8xf16>
// CHECK-NEXT:    %[[FB:.*]] = memref.collapse_shape %[[B]] {{\[}}[0 : i64, 1 : i64]] : memref<4x2xf16> into memref<8xf16>
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 8 {
// CHECK-NEXT:      %[[V:.*]] = affine.load %[[FA]][%[[I]]] : memref<8xf16>
// CHECK-NEXT:      affine.store %[[V]], %[[FB]][%[[I]]] : memref<8xf16>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @copy(%a: memref<4x2xf16>, %b: memref<4x2xf16>) {
  "memref.copy"(%a, %b) : (memref<4x2xf16>, memref<4x2xf16>) -> ()
  func.return
}

// -----

// CHECK-LABEL: func.func @copy_1d
// CHECK-SAME:    (%[[A:.*]]: memref<5xi1>, %[[B:.*]]: memref<5xi1>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 5 {
// CHECK-NEXT:      %[[V:.*]] = affine.load %[[A]][%[[I]]] : memref<5xi1>
// CHECK-NEXT:      affine.store %[[V]], %[[B]][%[[I]]] : memref<5xi1>
func.func @copy_1d(%a: memref<5xi1>, %b: memref<5xi1>) {
  "memref.copy"(%a, %b) : (memref<5xi1>, memref<5xi1>) -> ()
  func.return
}

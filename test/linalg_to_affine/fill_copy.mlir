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

// CHECK-LABEL: func.func @copy
// CHECK-SAME:    (%[[A:.*]]: memref<4x2xf16>, %[[B:.*]]: memref<4x2xf16>)
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 4 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 2 {
// CHECK-NEXT:        %[[V:.*]] = affine.load %[[A]][%[[I]], %[[J]]] : memref<4x2xf16>
// CHECK-NEXT:        affine.store %[[V]], %[[B]][%[[I]], %[[J]]] : memref<4x2xf16>
// CHECK-NOT:     memref.copy
func.func @copy(%a: memref<4x2xf16>, %b: memref<4x2xf16>) {
  "memref.copy"(%a, %b) : (memref<4x2xf16>, memref<4x2xf16>) -> ()
  func.return
}

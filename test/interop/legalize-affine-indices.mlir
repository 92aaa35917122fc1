// legalize-affine-indices: an affine access with an index MLIR's affine rules
// reject (here an affine.min result, as the kernels' clamped last tile has)
// becomes affine.apply + memref/vector load/store; valid accesses (loop
// induction variables, constants, top-level values, affine.apply of those)
// stay affine.
// RUN: mlopt %s -p legalize-affine-indices | filecheck %s

// CHECK-LABEL: func.func @tiles
// CHECK:         affine.for %[[I:.*]] = 0 to 108 step 12 {
// CHECK-NEXT:      %[[M:.*]] = affine.min affine_map<(d0) -> (d0, 88)> (%[[I]])
// CHECK-NEXT:      %[[O:.*]] = affine.apply affine_map<(d0) -> ((d0 * 2))> (%[[M]])
// CHECK-NEXT:      %[[X:.*]] = affine.apply affine_map<()[s0] -> (s0)> ()[%[[O]]]
// CHECK-NEXT:      %[[V:.*]] = memref.load %a[%[[X]]] : memref<200xf32>
// CHECK-NEXT:      %[[Y:.*]] = affine.apply affine_map<()[s0] -> ((s0 + 1))> ()[%[[M]]]
// CHECK-NEXT:      memref.store %[[V]], %a[%[[Y]]] : memref<200xf32>
// CHECK-NEXT:      %[[R:.*]] = affine.apply affine_map<()[s0, s1] -> ((s0 + s1))> ()[%[[M]], %n]
// CHECK-NEXT:      %[[W:.*]] = vector.load %a[%[[R]]] : memref<200xf32>, vector<4xf32>
// CHECK-NEXT:      %[[S:.*]] = affine.apply affine_map<()[s0] -> (s0)> ()[%[[M]]]
// CHECK-NEXT:      vector.store %[[W]], %a[%[[S]]] : memref<200xf32>, vector<4xf32>
// CHECK-NEXT:      %{{.*}} = affine.load %a[%[[I]]] : memref<200xf32>
// CHECK-NEXT:      %[[J:.*]] = affine.apply affine_map<(d0) -> ((d0 + 4))> (%[[I]])
// CHECK-NEXT:      %{{.*}} = affine.load %a[%[[J]]] : memref<200xf32>
// CHECK-NEXT:      %{{.*}} = affine.vector_load %a[%n] : memref<200xf32>, vector<4xf32>
// CHECK-NEXT:      affine.store %{{.*}}, %a[%c] : memref<200xf32>
// CHECK-NEXT:    }
func.func @tiles(%a: memref<200xf32>, %n: index) {
  %c = arith.constant 3 : index
  affine.for %i = 0 to 108 step 12 {
    %m = affine.min affine_map<(d0) -> (d0, 88)> (%i)
    %o = affine.apply affine_map<(d0) -> (d0 * 2)> (%m)
    %v = affine.load %a[%o] : memref<200xf32>
    affine.store %v, %a[%m + 1] : memref<200xf32>
    %w = affine.vector_load %a[%m + %n] : memref<200xf32>, vector<4xf32>
    affine.vector_store %w, %a[%m] : memref<200xf32>, vector<4xf32>
    %x = affine.load %a[%i] : memref<200xf32>
    %j = affine.apply affine_map<(d0) -> (d0 + 4)> (%i)
    %y = affine.load %a[%j] : memref<200xf32>
    %z = affine.vector_load %a[%n] : memref<200xf32>, vector<4xf32>
    affine.store %x, %a[%c] : memref<200xf32>
  }
  func.return
}

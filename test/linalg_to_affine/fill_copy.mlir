// RUN: mlopt %s --split-input-file -p convert-linalg-to-affine | filecheck %s

// A fill (any op reading and writing element for element) is one loop over a
// 1-D view: LLVM vectorises it (a short innermost loop of a nest it may fully
// unroll and vectorise the outer loop with scatters).
// CHECK-LABEL: func.func @fill
// CHECK-SAME:    (%[[O:.*]]: memref<2x3xi32>)
// CHECK-NEXT:    %[[C:.*]] = arith.constant 7 : i32
// CHECK-NEXT:    %[[F:.*]] = memref.collapse_shape %[[O]] {{\[}}[0 : i64, 1 : i64]] : memref<2x3xi32> into memref<6xi32>
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 6 {
// CHECK-NEXT:      affine.store %[[C]], %[[F]][%[[I]]] : memref<6xi32>
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

// -----

// A big fill: two dimensions, the trailing ones (57 x 57 = 3249 elements) one
// contiguous inner loop (a 1-D view, expanded to 2-D).
// CHECK-LABEL: func.func @fill_2d
// CHECK:         %[[L:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0 : i64, 1 : i64, 2 : i64, 3 : i64]] : memref<1x192x57x57xf32> into memref<623808xf32>
// CHECK-NEXT:    %[[F:.*]] = memref.expand_shape %[[L]] {{\[}}[0 : i64, 1 : i64]] output_shape [192, 3249] : memref<623808xf32> into memref<192x3249xf32>
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 192 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 3249 {
// CHECK-NEXT:        affine.store %{{.*}}, %[[F]][%[[I]], %[[J]]] : memref<192x3249xf32>
func.func @fill_2d(%o: memref<1x192x57x57xf32>) {
  %c = arith.constant 0xff800000 : f32
  linalg.fill ins(%c : f32) outs(%o : memref<1x192x57x57xf32>)
  func.return
}

// -----

// Unit dimensions indexed by a constant 0 (linalg-collapse-dims leaves batch
// dimensions so) are still element for element: a residual Add + Relu over
// 2048 x 49 (no trailing part of 1024 elements or more) is one loop over 1-D
// views.
// CHECK-LABEL: func.func @unit_batch
// CHECK:         %[[B:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0 : i64, 1 : i64, 2 : i64]] : memref<1x2048x49xf32> into memref<100352xf32>
// CHECK:         affine.for %[[I:.*]] = 0 to 100352 {
// CHECK-NEXT:      affine.load %[[B]][%[[I]]] : memref<100352xf32>
func.func @unit_batch(%a: memref<1x2048x49xf32>, %b: memref<1x2048x49xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d0, d1)>, affine_map<(d0, d1) -> (0, d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%b : memref<1x2048x49xf32>) outs(%a : memref<1x2048x49xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %y : f32
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %z : f32
    linalg.yield %r : f32
  }
  func.return
}

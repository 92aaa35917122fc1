// RUN: mlopt %s --split-input-file -p bufferize | filecheck %s

// extract_slice with offsets and strides: an affine copy loop nest.
// CHECK-LABEL: func.func @strided
// CHECK-SAME:    (%[[A:.*]]: memref<4x6xf32>, %[[OUT:.*]]: memref<2x3xf32>)
// CHECK:         affine.for %[[I:.*]] = 0 to 2 {
// CHECK-NEXT:      affine.for %[[J:.*]] = 0 to 3 {
// CHECK-NEXT:        %[[V:.*]] = affine.load %[[A]][%[[I]] * 2 + 1, %[[J]] * 2] : memref<4x6xf32>
// CHECK-NEXT:        affine.store %[[V]], %[[OUT]][%[[I]], %[[J]]] : memref<2x3xf32>
func.func @strided(%a: tensor<4x6xf32>) -> tensor<2x3xf32> {
  %s = tensor.extract_slice %a[1, 0] [2, 3] [2, 2] : tensor<4x6xf32> to tensor<2x3xf32>
  func.return %s : tensor<2x3xf32>
}

// -----

// A rank-reducing extract_slice: the dropped unit dimension is a constant index.
// CHECK-LABEL: func.func @rank_reduced
// CHECK:         affine.for %[[J:.*]] = 0 to 3 {
// CHECK-NEXT:      affine.load %{{.*}}[2, %[[J]] + 1] : memref<4x6xf32>
// CHECK-NEXT:      affine.store %{{.*}}, %{{.*}}[%[[J]]] : memref<3xf32>
func.func @rank_reduced(%a: tensor<4x6xf32>) -> tensor<3xf32> {
  %s = tensor.extract_slice %a[2, 1] [1, 3] [1, 1] : tensor<4x6xf32> to tensor<3xf32>
  func.return %s : tensor<3xf32>
}

// -----

// A full-size slice is the source buffer itself (then copied to the out-param).
// CHECK-LABEL: func.func @full
// CHECK-SAME:    (%[[A:.*]]: memref<4x6xf32>, %[[OUT:.*]]: memref<4x6xf32>)
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[OUT]])
// CHECK-NEXT:    func.return
func.func @full(%a: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %s = tensor.extract_slice %a[0, 0] [4, 6] [1, 1] : tensor<4x6xf32> to tensor<4x6xf32>
  func.return %s : tensor<4x6xf32>
}

// -----

// Concatenation: insert_slices into a fresh tensor write in place into the
// out-param, one copy nest per piece.
// CHECK-LABEL: func.func @concat
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x6xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         affine.load %[[A]][%[[I:.*]], %[[J:.*]]] : memref<2x3xf32>
// CHECK-NEXT:    affine.store %{{.*}}, %[[OUT]][%[[I]], %[[J]]] : memref<2x6xf32>
// CHECK:         affine.load %[[B]][%[[K:.*]], %[[L:.*]]] : memref<2x3xf32>
// CHECK-NEXT:    affine.store %{{.*}}, %[[OUT]][%[[K]], %[[L]] + 3] : memref<2x6xf32>
// CHECK-NOT:     memref.copy
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %e = tensor.empty() : tensor<2x6xf32>
  %0 = tensor.insert_slice %a into %e[0, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x6xf32>
  %1 = tensor.insert_slice %b into %0[0, 3] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<2x6xf32>
  func.return %1 : tensor<2x6xf32>
}

// -----

// Inserting into an input (never written) first copies it.
// CHECK-LABEL: func.func @into_input
// CHECK-SAME:    (%[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3xf32>, %[[OUT:.*]]: memref<2x3xf32>)
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[OUT]])
// CHECK-NEXT:    affine.for %[[J:.*]] = 0 to 3 {
// CHECK-NEXT:      affine.load %[[B]][%[[J]]] : memref<3xf32>
// CHECK-NEXT:      affine.store %{{.*}}, %[[OUT]][1, %[[J]]] : memref<2x3xf32>
func.func @into_input(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %r = tensor.insert_slice %b into %a[1, 0] [1, 3] [1, 1] : tensor<3xf32> into tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

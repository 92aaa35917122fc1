// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=16 registers=32 vnni=1}' | filecheck %s
// RUN: mlopt %s --split-input-file -p 'linalg-contraction-to-vector{vector-width=8 registers=16 vnni=0}' | filecheck %s --check-prefix=WIDE

// A byte dot-product 1x1 convolution (i32 words of four uint8 input channels
// by four int8 weights; convert-onnx-to-tensor's ConvInteger): the same
// register-blocked kernel as an f32 contraction, with mlopt.dot4 in place of
// the FMA -- the unsigned operand (the input, loaded as vectors) first,
// the broadcast weight word second; marked vnni when the target has vpdpbusd
// for the width. The bias copy is the accumulators' initial value.
// CHECK-LABEL: func.func @conv1x1_bytes
// CHECK-NOT:     linalg.generic
// CHECK:         affine.for %{{.*}} = 0 to 4 iter_args(
// CHECK:           %[[X:.*]] = affine.vector_load %{{.*}} : memref<{{.*}}xi32>, vector<16xi32>
// CHECK:           %[[W:.*]] = affine.load %{{.*}} : memref<{{.*}}xi32>
// CHECK:           %[[WB:.*]] = vector.broadcast %[[W]] : i32 to vector<16xi32>
// CHECK:           mlopt.dot4 %{{.*}}, %[[X]], %[[WB]] {vnni} : vector<16xi32>
// CHECK:         affine.vector_store %{{.*}} : memref<{{.*}}xi32>, vector<16xi32>
// WIDE-LABEL: func.func @conv1x1_bytes
// WIDE:           %[[X:.*]] = affine.vector_load %{{.*}} : memref<{{.*}}xi32>, vector<8xi32>
// WIDE:           mlopt.dot4 %{{.*}}, %[[X]], %{{.*}} : vector<8xi32>
// WIDE-NOT:       vnni
func.func @conv1x1_bytes(%x: memref<1x4x64xi32>, %w: memref<24x4xi32>, %b: memref<24xi32>, %o: memref<1x24x64xi32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b : memref<24xi32>) outs(%o : memref<1x24x64xi32>) {
  ^bb0(%v: i32, %out: i32):
    linalg.yield %v : i32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : memref<1x4x64xi32>, memref<24x4xi32>) outs(%o : memref<1x24x64xi32>) {
  ^bb0(%xv: i32, %wv: i32, %acc: i32):
    %d = mlopt.dot4 %acc, %xv, %wv : i32
    linalg.yield %d : i32
  }
  func.return
}

// -----

// The weights as the vector operand (a matrix product with the activations'
// words broadcast): the unsigned operand is still first.
// CHECK-LABEL: func.func @matmul_bytes
// CHECK:         %[[A:.*]] = affine.load %{{.*}} : memref<{{.*}}xi32>
// CHECK:         %[[B:.*]] = affine.vector_load %{{.*}} : memref<{{.*}}xi32>, vector<16xi32>
// CHECK:         %[[AB:.*]] = vector.broadcast %[[A]] : i32 to vector<16xi32>
// CHECK:         mlopt.dot4 %{{.*}}, %[[AB]], %[[B]] {vnni} : vector<16xi32>
func.func @matmul_bytes(%a: memref<12x16xi32>, %b: memref<16x32xi32>, %c: memref<12x32xi32>) {
  %z = arith.constant 0 : i32
  linalg.fill ins(%z : i32) outs(%c : memref<12x32xi32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<12x16xi32>, memref<16x32xi32>) outs(%c : memref<12x32xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %d = mlopt.dot4 %acc, %x, %y : i32
    linalg.yield %d : i32
  }
  func.return
}

// -----

// A plain integer multiply-add is not a byte dot product: left alone.
// CHECK-LABEL: func.func @int_mac
// CHECK:         linalg.generic
// CHECK-NOT:     mlopt.dot4
func.func @int_mac(%a: memref<12x16xi32>, %b: memref<16x32xi32>, %c: memref<12x32xi32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%a, %b : memref<12x16xi32>, memref<16x32xi32>) outs(%c : memref<12x32xi32>) {
  ^bb0(%x: i32, %y: i32, %acc: i32):
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  func.return
}

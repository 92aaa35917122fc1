// RUN: mlopt %s --split-input-file -p fp-contract | filecheck %s

// A single-use mulf feeding an addf (in a linalg body): both get `contract`.
// CHECK-LABEL: func.func @mac
// CHECK:         %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<contract> : f32
// CHECK-NEXT:    %{{.*}} = arith.addf %{{.*}}, %[[P]] fastmath<contract> : f32
func.func @mac(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  func.return %r : tensor<4x16xf32>
}

// -----

// subf too; existing flags are kept.
// CHECK-LABEL: func.func @sub
// CHECK:         %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} fastmath<nnan,contract> : f64
// CHECK-NEXT:    %{{.*}} = arith.subf %[[P]], %{{.*}} fastmath<contract> : f64
func.func @sub(%a: f64, %b: f64, %c: f64) -> f64 {
  %p = arith.mulf %a, %b fastmath<nnan> : f64
  %s = arith.subf %p, %c : f64
  func.return %s : f64
}

// -----

// A product with a second use is not contracted (it must stay rounded),
// nor is an add of two non-products.
// CHECK-LABEL: func.func @two_uses
// CHECK:         %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:    %{{.*}} = arith.addf %[[P]], %{{.*}} : f32
// CHECK-NEXT:    %{{.*}} = arith.addf %{{.*}}, %{{.*}} : f32
func.func @two_uses(%a: f32, %b: f32, %c: f32) -> (f32, f32, f32) {
  %p = arith.mulf %a, %b : f32
  %s = arith.addf %p, %c : f32
  %t = arith.addf %a, %c : f32
  func.return %s, %p, %t : f32, f32, f32
}

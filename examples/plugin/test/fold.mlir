// RUN: mlopt %s --split-input-file -p toy-fold-scale | filecheck %s

// A scale by 1.0 is the identity.
// CHECK-LABEL: func.func @unit
// CHECK-NEXT:    func.return %x : f32
func.func @unit(%x: f32) -> f32 {
  %r = toy.scale %x by 1.0 : f32
  func.return %r : f32
}

// -----

// Chained scales become one; the inner one is erased.
// CHECK-LABEL: func.func @chain
// CHECK-NEXT:    %[[R:.*]] = toy.scale %x by 6.000000e+00 : f32
// CHECK-NEXT:    func.return %[[R]] : f32
func.func @chain(%x: f32) -> f32 {
  %a = toy.scale %x by 2.0 : f32
  %b = toy.scale %a by 1.5 : f32
  %c = toy.scale %b by 2 : f32
  func.return %c : f32
}

// -----

// The inner scale stays when it has other uses.
// CHECK-LABEL: func.func @shared
// CHECK-NEXT:    %[[A:.*]] = toy.scale %x by 2.000000e+00 : f64
// CHECK-NEXT:    %[[B:.*]] = toy.scale %x by -6.000000e+00 : f64
// CHECK-NEXT:    func.return %[[A]], %[[B]] : f64, f64
func.func @shared(%x: f64) -> (f64, f64) {
  %a = toy.scale %x by 2.0 : f64
  %b = toy.scale %a by -3.0 : f64
  func.return %a, %b : f64, f64
}

// -----

// Not folded: the product would overflow f64; axpy is left alone.
// CHECK-LABEL: func.func @overflow
// CHECK-NEXT:    %[[A:.*]] = toy.scale %x by 1.000000e+200 : f64
// CHECK-NEXT:    %[[B:.*]] = toy.scale %[[A]] by 1.000000e+200 : f64
// CHECK-NEXT:    %[[C:.*]] = toy.axpy %x, %[[B]], %x : f64
func.func @overflow(%x: f64) -> f64 {
  %a = toy.scale %x by 1.0e200 : f64
  %b = toy.scale %a by 1.0e200 : f64
  %c = toy.axpy %x, %b, %x : f64
  func.return %c : f64
}

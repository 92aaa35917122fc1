// The example plugin's passes and pipeline run from the mlopt driver.
// RUN: mlopt %s -p toy-fold-scale | filecheck %s --check-prefix=FOLD
// RUN: mlopt %s -p 'builtin.module(toy-to-arith)' | filecheck %s --check-prefix=LOWER

// FOLD-LABEL: func.func @f
// FOLD-NEXT:    %[[S:.*]] = toy.scale %x by 3.000000e+00 : f32
// FOLD-NEXT:    %[[R:.*]] = toy.axpy %a, %[[S]], %y : f32
// FOLD-NEXT:    func.return %[[R]] : f32

// LOWER-LABEL: func.func @f
// LOWER-NEXT:    %[[C:.*]] = arith.constant 3.000000e+00 : f32
// LOWER-NEXT:    %[[S:.*]] = arith.mulf %x, %[[C]] : f32
// LOWER-NEXT:    %[[M:.*]] = arith.mulf %a, %[[S]] : f32
// LOWER-NEXT:    %[[R:.*]] = arith.addf %[[M]], %y : f32
// LOWER-NEXT:    func.return %[[R]] : f32
func.func @f(%x: f32, %a: f32, %y: f32) -> f32 {
  %s = toy.scale %x by 2.0 : f32
  %t = toy.scale %s by 1.5 : f32
  %u = toy.scale %t by 1.0 : f32
  %r = toy.axpy %a, %u, %y : f32
  func.return %r : f32
}

// RUN: mlopt %s -p toy-to-arith | filecheck %s
// RUN: mlopt %s -p 'builtin.module(toy-to-arith)' | filecheck %s

// The named pipeline folds first, so one multiply by 3 is left; cse shares
// the constant 3.0 between the two lowered scales.
// CHECK-LABEL: func.func @f
// CHECK-NEXT:    %[[C:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-NEXT:    %[[T:.*]] = arith.mulf %x, %[[C]] : f32
// CHECK-NEXT:    %[[U:.*]] = arith.mulf %y, %[[C]] : f32
// CHECK-NEXT:    %[[M:.*]] = arith.mulf %a, %[[T]] : f32
// CHECK-NEXT:    %[[R:.*]] = arith.addf %[[M]], %[[U]] : f32
// CHECK-NEXT:    func.return %[[R]] : f32
// CHECK-NOT:     toy.
func.func @f(%x: f32, %a: f32, %y: f32) -> f32 {
  %s = toy.scale %x by 2.0 : f32
  %t = toy.scale %s by 1.5 : f32
  %u = toy.scale %t by 1.0 : f32
  %v = toy.scale %y by 3.0 : f32
  %r = toy.axpy %a, %u, %v : f32
  func.return %r : f32
}

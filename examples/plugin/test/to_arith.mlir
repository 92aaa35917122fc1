// RUN: mlopt %s --split-input-file -p convert-toy-to-arith | filecheck %s
// RUN: mlopt %s --split-input-file -p 'builtin.module(convert-toy-to-arith{use-fma=true})' | filecheck %s --check-prefix=FMA

// CHECK-LABEL: func.func @scale
// CHECK-NEXT:    %[[C:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT:    %[[R:.*]] = arith.mulf %x, %[[C]] : f32
// CHECK-NEXT:    func.return %[[R]] : f32
// FMA-LABEL: func.func @scale
// FMA:         arith.mulf
func.func @scale(%x: f32) -> f32 {
  %r = toy.scale %x by 2.5 : f32
  func.return %r : f32
}

// -----

// CHECK-LABEL: func.func @axpy
// CHECK-NEXT:    %[[M:.*]] = arith.mulf %a, %x : f64
// CHECK-NEXT:    %[[S:.*]] = arith.addf %[[M]], %y : f64
// CHECK-NEXT:    func.return %[[S]] : f64
// FMA-LABEL: func.func @axpy
// FMA-NEXT:    %[[R:.*]] = math.fma %a, %x, %y : f64
// FMA-NEXT:    func.return %[[R]] : f64
func.func @axpy(%a: f64, %x: f64, %y: f64) -> f64 {
  %r = toy.axpy %a, %x, %y : f64
  func.return %r : f64
}

// RUN: mlopt %s --split-input-file -p convert-scf-to-cf,reconcile-unrealized-casts | filecheck %s
// xDSL's convert-scf-to-cf, as used by the affine-to-llvm pipeline.

// CHECK-LABEL: func.func @loop_iter_args
// CHECK:         cf.br ^[[HEAD:.*]](%{{.*}}, %{{.*}} : index, f32)
// CHECK:       ^[[HEAD]](%[[I:.*]]: index, %[[ACC:.*]]: f32):
// CHECK:         %[[C:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK:         cf.cond_br %[[C]], ^[[BODY:.*]], ^[[EXIT:.*]]
// CHECK:       ^[[BODY]]:
// CHECK:         %[[S:.*]] = arith.addf %[[ACC]], %{{.*}} : f32
// CHECK:         %[[N:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:         cf.br ^[[HEAD]](%[[N]], %[[S]] : index, f32)
// CHECK:       ^[[EXIT]]:
// CHECK:         func.return %[[ACC]] : f32
func.func @loop_iter_args(%a: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %r = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %z) -> (f32) {
    %v = memref.load %a[%i] : memref<8xf32>
    %s = arith.addf %acc, %v : f32
    scf.yield %s : f32
  }
  func.return %r : f32
}

// -----

// CHECK-LABEL: func.func @if_results
// CHECK:         cf.cond_br %c, ^[[T:.*]], ^[[F:.*]]
// CHECK:         cf.br ^[[JOIN:.*]](%a : f32)
// CHECK:         cf.br ^[[JOIN]](%b : f32)
// CHECK:       ^[[JOIN]](%[[R:.*]]: f32):
// CHECK:         func.return %[[R]] : f32
func.func @if_results(%c: i1, %a: f32, %b: f32) -> f32 {
  %r = scf.if %c -> (f32) {
    scf.yield %a : f32
  } else {
    scf.yield %b : f32
  }
  func.return %r : f32
}

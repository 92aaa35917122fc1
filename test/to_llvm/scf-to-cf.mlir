// RUN: mlopt %s --split-input-file -p convert-scf-to-cf,reconcile-unrealized-casts | filecheck %s
// mlopt's convert-scf-to-cf (replaces xDSL's): linear-time block splitting, nsw increments.

// CHECK-LABEL: func.func @loop_iter_args
// CHECK:         cf.br ^[[HEAD:.*]](%{{.*}}, %{{.*}} : index, f32)
// CHECK:       ^[[HEAD]](%[[I:.*]]: index, %[[ACC:.*]]: f32):
// CHECK:         %[[C:.*]] = arith.cmpi slt, %[[I]], %{{.*}} : index
// CHECK:         cf.cond_br %[[C]], ^[[BODY:.*]], ^[[EXIT:.*]]
// CHECK:       ^[[BODY]]:
// CHECK:         %[[S:.*]] = arith.addf %[[ACC]], %{{.*}} : f32
// CHECK:         %[[N:.*]] = arith.addi %[[I]], %{{.*}} overflow<nsw> : index
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

// -----

// Nested loops and an if inside a loop; ops after the loops stay in order.
// CHECK-LABEL: func.func @nested
// CHECK:         cf.br ^[[OH:.*]](%{{.*}} : index)
// CHECK:       ^[[OH]](%[[I:.*]]: index):
// CHECK:         cf.cond_br %{{.*}}, ^[[OB:.*]], ^[[END:.*]]
// CHECK:       ^[[OB]]:
// CHECK:         cf.br ^[[IH:.*]](%{{.*}} : index)
// CHECK:       ^[[IH]](%[[J:.*]]: index):
// CHECK:         cf.cond_br %{{.*}}, ^[[IB:.*]], ^[[IEND:.*]]
// CHECK:       ^[[IB]]:
// CHECK:         cf.cond_br %{{.*}}, ^[[THEN:.*]], ^[[JOIN:.*]]
// CHECK:       ^[[THEN]]:
// CHECK:         memref.store
// CHECK:         cf.br ^[[JOIN]]
// CHECK:       ^[[JOIN]]:
// CHECK:         arith.addi %[[J]], %{{.*}} overflow<nsw> : index
// CHECK:         cf.br ^[[IH]]
// CHECK:       ^[[IEND]]:
// CHECK:         arith.addi %[[I]], %{{.*}} overflow<nsw> : index
// CHECK:         cf.br ^[[OH]]
// CHECK:       ^[[END]]:
// CHECK-NEXT:    %[[V:.*]] = memref.load
// CHECK-NEXT:    func.return %[[V]] : f32
func.func @nested(%a: memref<4x4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %d = arith.cmpi eq, %i, %j : index
      scf.if %d {
        memref.store %one, %a[%i, %j] : memref<4x4xf32>
      }
    }
  }
  %v = memref.load %a[%c1, %c1] : memref<4x4xf32>
  func.return %v : f32
}

// RUN: mlopt %s --split-input-file -p lower-affine | filecheck %s

// A load through a non-identity map becomes explicit nsw index arithmetic;
// index constants are shared by the whole function and defined at its entry.
// CHECK-LABEL: func.func @load_through_map
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C2]] step %[[C1]] {
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK-NEXT:        %[[M:.*]] = arith.muli %[[I]], %[[C4]] overflow<nsw> : index
// CHECK:             %[[A:.*]] = arith.addi %[[M]], %[[J]] overflow<nsw> : index
// CHECK:             %[[V:.*]] = memref.load %{{.*}}[%[[A]]] : memref<8xf32>
// CHECK:             memref.store %[[V]], %{{.*}}[%[[I]], %[[J]]] : memref<2x4xf32>
// CHECK-NOT:     affine.
func.func @load_through_map(%a: memref<8xf32>, %b: memref<2x4xf32>) {
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 4 {
      %v = affine.load %a[%i * 4 + %j] : memref<8xf32>
      affine.store %v, %b[%i, %j] : memref<2x4xf32>
    }
  }
  func.return
}

// -----

// iter_args carry over to scf.for, affine.yield becomes scf.yield.
// CHECK-LABEL: func.func @reduction
// CHECK:         %[[R:.*]] = scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (f32) {
// CHECK:           %[[S:.*]] = arith.addf %[[ACC]], %{{.*}} : f32
// CHECK:           scf.yield %[[S]] : f32
// CHECK:         memref.store %[[R]]
func.func @reduction(%a: memref<16xf32>, %out: memref<f32>) {
  %zero = arith.constant 0.0 : f32
  %r = affine.for %i = 0 to 16 iter_args(%acc = %zero) -> (f32) {
    %v = affine.load %a[%i] : memref<16xf32>
    %s = arith.addf %acc, %v : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[] : memref<f32>
  func.return
}

// -----

// mod/floordiv/ceildiv keep their mathematical meaning for negative values.
// CHECK-LABEL: func.func @apply_ops
// CHECK:         %[[R:.*]] = arith.remsi %{{.*}}, %{{.*}} : index
// CHECK:         arith.cmpi slt, %[[R]]
// CHECK:         arith.select
// CHECK:         arith.divsi
// CHECK:         arith.divsi
// CHECK:         arith.select
func.func @apply_ops(%i: index) -> (index, index) {
  %m = affine.apply affine_map<(d0) -> (d0 mod 3)>(%i)
  %f = affine.apply affine_map<(d0) -> (d0 floordiv 2)>(%i)
  func.return %m, %f : index, index
}

// -----

// Symbols are honoured; a step other than 1 is kept; bounds maps with several
// results take the max (lower) / min (upper).
// CHECK-LABEL: func.func @symbols_and_bounds
// CHECK:         %[[STEP:.*]] = arith.constant 2 : index
// CHECK:         %[[LB:.*]] = arith.maxsi
// CHECK:         %[[UB:.*]] = arith.minsi
// CHECK:         scf.for %[[I:.*]] = %[[LB]] to %[[UB]] step %[[STEP]] {
// CHECK:           %[[T:.*]] = arith.addi %[[I]], %s overflow<nsw> : index
// CHECK:           memref.load %{{.*}}[%[[T]]]
func.func @symbols_and_bounds(%a: memref<64xf32>, %s: index, %n: index) {
  affine.for %i = max affine_map<(d0) -> (d0, 1)>(%s) to min affine_map<(d0) -> (d0, 32)>(%n) step 2 {
    %v = "affine.load"(%a, %i, %s) <{map = affine_map<(d0)[s0] -> (d0 + s0)>}> : (memref<64xf32>, index, index) -> f32
    affine.store %v, %a[%i] : memref<64xf32>
  }
  func.return
}

// -----

// affine.parallel becomes a nest of sequential loops.
// CHECK-LABEL: func.func @parallel
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             memref.store
// CHECK-NOT:     affine.parallel
func.func @parallel(%a: memref<4x8xf32>) {
  %c = arith.constant 1.0 : f32
  "affine.parallel"() <{lowerBoundsMap = affine_map<() -> (0, 0)>, lowerBoundsGroups = dense<1> : vector<2xi32>, upperBoundsMap = affine_map<() -> (4, 8)>, upperBoundsGroups = dense<1> : vector<2xi32>, steps = [1 : i64, 1 : i64], reductions = []}> ({
  ^bb0(%i: index, %j: index):
    affine.store %c, %a[%i, %j] : memref<4x8xf32>
    "affine.yield"() : () -> ()
  }) : () -> ()
  func.return
}

// -----

// CHECK-LABEL: func.func @if_op
// CHECK:         %[[C:.*]] = arith.cmpi sge
// CHECK:         scf.if %[[C]] {
// CHECK:           memref.store
func.func @if_op(%a: memref<8xf32>, %i: index) {
  %c = arith.constant 1.0 : f32
  "affine.if"(%i) <{condition = affine_set<(d0) : (d0 - 4 >= 0)>}> ({
    affine.store %c, %a[%i] : memref<8xf32>
    "affine.yield"() : () -> ()
  }, {
  }) : (index) -> ()
  func.return
}

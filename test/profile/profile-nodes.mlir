// RUN: mlopt %s -p profile-nodes | filecheck %s
// RUN: mlopt %s -p profile-nodes,affine-to-llvm | filecheck %s --check-prefix=LL

// profile-nodes groups the entry's top-level ops by the ONNX nodes they
// implement (mlopt.nodes, here written by hand) and brackets each group with
// clock stamps: slot 0 at the start, 2+2g / 3+2g around group g, 1 before
// the return. Two loops of one node are one group; the allocation of a node
// joins its group; a view whose node has no loop is a group of its own; a
// loop with no nodes is named after the op; a loop whose body holds the ops
// of several nodes (a fused kernel) names them all.
// CHECK-LABEL: func.func @g
// CHECK-SAME: mlopt.profile = {{\[}}{{\[}}["a", "Add"]], {{\[}}["r", "Reshape"]], {{\[}}["affine.for_0", "affine.for"]], {{\[}}["m", "Mul"], ["n", "Neg"]]]
// CHECK-NEXT: %[[S0:\w+]] = arith.constant 0 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S0]]) : (index) -> ()
// CHECK-NEXT: %[[S2:\w+]] = arith.constant 2 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S2]]) : (index) -> ()
// CHECK-NEXT: memref.alloc
// CHECK-NEXT: affine.for
// CHECK: affine.for
// CHECK: }
// CHECK-NEXT: %[[S3:\w+]] = arith.constant 3 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S3]]) : (index) -> ()
// CHECK-NEXT: %[[S4:\w+]] = arith.constant 4 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S4]]) : (index) -> ()
// CHECK-NEXT: memref.expand_shape
// CHECK-NEXT: %[[S5:\w+]] = arith.constant 5 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S5]]) : (index) -> ()
// CHECK-NEXT: %[[S6:\w+]] = arith.constant 6 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S6]]) : (index) -> ()
// CHECK-NEXT: affine.for
// CHECK: %[[S7:\w+]] = arith.constant 7 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S7]]) : (index) -> ()
// CHECK-NEXT: %[[S8:\w+]] = arith.constant 8 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S8]]) : (index) -> ()
// CHECK-NEXT: affine.for
// CHECK: %[[S9:\w+]] = arith.constant 9 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S9]]) : (index) -> ()
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: %[[S1:\w+]] = arith.constant 1 : index
// CHECK-NEXT: func.call @mlopt_profile_stamp(%[[S1]]) : (index) -> ()
// CHECK-NEXT: func.return
// The node attributes are gone (outlined loop bodies still compare equal).
// CHECK-NOT: mlopt.nodes
// One i64 per stamp; the stamp reads clock_gettime(CLOCK_MONOTONIC) as ns.
// CHECK: "memref.global"() <{sym_name = "mlopt_profile", type = memref<10xi64>, initial_value, sym_visibility = "private"}>
// CHECK: func.func private @mlopt_profile_stamp(%[[SLOT:\w+]]: index)
// CHECK: func.call @clock_gettime(%{{\w+}}, %{{\w+}}) : (i32, memref<2xi64>) -> i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: memref.store %{{\w+}}, %{{\w+}}[%[[SLOT]]] : memref<10xi64>
// The runtime copies the buffer out after each call.
// CHECK: func.func @mlopt_profile_read(%{{\w+}}: memref<10xi64>)
// CHECK: "memref.copy"
// CHECK: func.func private @clock_gettime(i32, memref<2xi64>) -> i32

// It lowers like any affine-level module; the table travels on the llvm.func.
// LL: llvm.func @g(
// LL-SAME: mlopt.profile = {{\[}}{{\[}}["a", "Add"]]
// LL: llvm.call @mlopt_profile_stamp
// LL: llvm.mlir.global internal @mlopt_profile()
// LL: llvm.call @clock_gettime
// LL: llvm.func @mlopt_profile_read(
// LL: llvm.func @clock_gettime(i32, !llvm.ptr) -> i32
func.func @g(%x: memref<8xf32>, %y: memref<8xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %t = memref.alloc() {mlopt.nodes = [["a", "Add"]]} : memref<8xf32>
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xf32>
    %s = arith.addf %v, %v : f32
    affine.store %s, %t[%i] : memref<8xf32>
  } {mlopt.nodes = [["a", "Add"]]}
  affine.for %i = 0 to 8 {
    %v = affine.load %t[%i] : memref<8xf32>
    %s = arith.addf %v, %v : f32
    affine.store %s, %t[%i] : memref<8xf32>
  } {mlopt.nodes = [["a", "Add"]]}
  %view = memref.expand_shape %t [[0, 1]] output_shape [2, 4] {mlopt.nodes = [["r", "Reshape"]]} : memref<8xf32> into memref<2x4xf32>
  affine.for %i = 0 to 8 {
    %v = affine.load %view[%i floordiv 4, %i mod 4] : memref<2x4xf32>
    affine.store %v, %y[%i] : memref<8xf32>
  }
  affine.for %i = 0 to 8 {
    %v = affine.load %y[%i] : memref<8xf32>
    %m = arith.mulf %v, %v {mlopt.nodes = [["m", "Mul"]]} : f32
    %n = arith.negf %m {mlopt.nodes = [["n", "Neg"]]} : f32
    affine.store %n, %y[%i] : memref<8xf32>
  }
  memref.dealloc %t : memref<8xf32>
  func.return
}

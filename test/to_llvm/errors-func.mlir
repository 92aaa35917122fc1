// RUN: not mlopt %s -p convert-func-to-llvm 2>&1 | filecheck %s

// A dynamic memref in a signature is reported with its location, no traceback.
// CHECK: errors-func.mlir:[[# @LINE + 2]]:1: error: LLVM lowering needs static shapes, got memref<?xf32>
// CHECK-NOT: Traceback
func.func @dyn(%a: memref<?xf32>) {
  func.return
}

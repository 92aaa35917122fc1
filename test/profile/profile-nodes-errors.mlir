// RUN: not mlopt %s -p profile-nodes 2>&1 | filecheck %s

// The pass instruments the entry function; a module without one is an error
// (one line, no traceback).
// CHECK: profile-nodes: the module has no function marked mlopt.entry
// CHECK-NOT: Traceback
func.func @f(%x: memref<8xf32>) {
  func.return
}

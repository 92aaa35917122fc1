// Unknown ops are errors unless --allow-unregistered-dialect is given.
// RUN: mlopt %s --allow-unregistered-dialect | filecheck %s
// RUN: mlopt %s --allow-unregistered-dialect -p canonicalize | filecheck %s
// RUN: not mlopt %s 2>&1 | filecheck %s --check-prefix=ERR

// CHECK: %0 = "mydialect.produce"() {note = "kept"} : () -> i32
// CHECK: "mydialect.consume"(%0) : (i32) -> ()
// ERR: allow-unregistered-dialect.mlir:[[# @LINE + 2]]:8: error: Operation mydialect.produce is not registered (use --allow-unregistered-dialect
func.func @f() {
  %0 = "mydialect.produce"() {note = "kept"} : () -> i32
  "mydialect.consume"(%0) : (i32) -> ()
  func.return
}

// Parse errors: location, source line and caret; no traceback.
// RUN: not mlopt %s 2>&1 | filecheck %s

// CHECK-NOT: Traceback
// CHECK: parse-error.mlir:[[# @LINE + 4]]:23: error: {{.*}}
// CHECK-NEXT: {{^}}  %0 = arith.constant : i32
// CHECK-NEXT: {{^}}                      ^
func.func @f() -> i32 {
  %0 = arith.constant : i32
  func.return %0 : i32
}

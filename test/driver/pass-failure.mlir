// A pass raising DiagnosticException is reported at the op it failed on
// (found from the pass's frames) and can be expected with --verify-diagnostics.
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-fail --split-input-file --verify-diagnostics
// RUN: %PYTHON %S/Inputs/expect_exit.py 1 mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-fail --split-input-file 2>&1 | filecheck %s

// CHECK-NOT: Traceback
// CHECK: pass-failure.mlir:[[# @LINE + 5]]:3: error: addition is not allowed here
// CHECK-NEXT: {{^}}  %0 = arith.addi %a, %a : i32
// CHECK-NEXT: {{^}}  ^
func.func @f(%a: i32) -> i32 {
  // expected-error@+1 {{addition is not allowed here}}
  %0 = arith.addi %a, %a : i32
  func.return %0 : i32
}

// -----

// No addition: the pass succeeds.
func.func @g(%a: i32) -> i32 {
  func.return %a : i32
}

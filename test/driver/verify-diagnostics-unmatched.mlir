// Unmatched expectations and unexpected diagnostics are both errors (exit 1).
// RUN: not mlopt %s --split-input-file --verify-diagnostics 2>&1 | filecheck %s

// CHECK: verify-diagnostics-unmatched.mlir:[[# @LINE + 2]]:6: error: expected error "this message is never produced" was not produced
func.func @fine() {
  // expected-error@+1 {{this message is never produced}}
  func.return
}

// -----

// CHECK: verify-diagnostics-unmatched.mlir:[[# @LINE + 1]]:6: error: unexpected error: Operation foo.unknown is not registered
%x = "foo.unknown"() : () -> i32

// -----

// A diagnostic on the wrong line does not match.
// CHECK: verify-diagnostics-unmatched.mlir:[[# @LINE + 2]]:6: error: unexpected error:
// CHECK: verify-diagnostics-unmatched.mlir:[[# @LINE + 2]]:4: error: expected error "not registered" was not produced
%x = "foo.unknown"() : () -> i32
// expected-error@+1 {{not registered}}

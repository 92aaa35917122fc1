// The IR is verified after every pass (default); a pass producing invalid IR is
// reported at the broken op. --no-verify-each skips that check.
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-break 2>&1 | filecheck %s
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-break --verify-each --verify-diagnostics
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-break --no-verify-each | filecheck %s --check-prefix=NOVERIFY

// CHECK: verify-each.mlir:[[# @LINE + 7]]:3: error: 'func.return' op {{.*}}expected [i32], got []
// CHECK-NEXT: {{^}}  func.return %a : i32
// CHECK: mlopt: note: the IR produced by pass 'test-driver-break' does not verify

// NOVERIFY: func.return{{$}}
func.func @f(%a: i32) -> i32 {
  // expected-error@+1 {{function output types}}
  func.return %a : i32
}

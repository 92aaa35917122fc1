// Warnings and remarks emitted by a pass (mlopt.tools.diagnostics.emit_warning/emit_remark)
// are printed with their location and do not fail the run; --verify-diagnostics checks them.
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-warn --verify-diagnostics | filecheck %s --check-prefix=OUT
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-warn 2>&1 >/dev/null | filecheck %s

// OUT: func.func @f
// CHECK: pass-warnings.mlir:[[# @LINE + 5]]:1: remark: function @f
// CHECK: pass-warnings.mlir:[[# @LINE + 5]]:3: warning: constant seen
// CHECK: mlopt: remark: warn pass done
// expected-remark@unknown {{warn pass done}}
// expected-remark@+1 {{function @f}}
func.func @f() -> i32 {
  %0 = arith.constant 7 : i32 // expected-warning {{constant seen}}
  func.return %0 : i32
}

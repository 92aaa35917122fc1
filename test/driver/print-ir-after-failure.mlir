// --print-ir-after-failure dumps the IR of a failing pass (to stderr).
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'test-driver-tag,test-driver-fail' --print-ir-after-failure 2>&1 | filecheck %s
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'test-driver-tag,test-driver-fail' 2>&1 | filecheck %s --check-prefix=NODUMP

// CHECK: // -----// IR Dump After test-driver-fail Failed //----- //
// CHECK-NEXT: builtin.module {
// CHECK-NEXT: func.func @f(%a: i32) -> i32 attributes {driver.tag = "seenx1"}
// CHECK: error: addition is not allowed here
// NODUMP-NOT: IR Dump
func.func @f(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  func.return %0 : i32
}

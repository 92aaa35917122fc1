// A named pipeline runs its passes in order; IR dumps and timing show each of them.
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-pipeline | filecheck %s
// RUN: mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-pipeline --print-ir-after-all 2>&1 >/dev/null | filecheck %s --check-prefix=DUMP

// CHECK: func.func @f(%a: i32) -> i32 attributes {driver.tag = "pipex1"}
// CHECK-NEXT: func.return %a : i32
// DUMP: IR Dump After test-driver-tag
// DUMP: IR Dump After canonicalize
func.func @f(%a: i32) -> i32 {
  %c = arith.constant 0 : i32
  %b = arith.addi %a, %c : i32
  func.return %b : i32
}

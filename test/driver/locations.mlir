// Explicit MLIR locations (loc(...)) are used for diagnostics; ops without one
// get their position in the input, which --print-debuginfo shows.
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-fail 2>&1 | filecheck %s
// RUN: mlopt %s --print-debuginfo | filecheck %s --check-prefix=DEBUGINFO
// RUN: mlopt %s --mlir-print-debuginfo -p canonicalize | filecheck %s --check-prefix=CANON

// CHECK: model.py:42:7: error: addition is not allowed here
// CHECK-NOT: Traceback

// DEBUGINFO: func.func @f(%a: i32 {{.*}}) -> i32 {
// DEBUGINFO-NEXT: %0 = arith.addi %a, %a : i32 loc("model.py":42:7)
// DEBUGINFO-NEXT: %1 = arith.muli %0, %0 : i32 loc("named"("other.py":3:1))
// DEBUGINFO-NEXT: func.return %1 : i32 loc("{{.*}}locations.mlir":[[# @LINE + 6]]:3)
// DEBUGINFO-NEXT: } loc("{{.*}}locations.mlir":[[# @LINE + 2]]:1)
// CANON: func.return %1 : i32 loc("{{.*}}locations.mlir":[[# @LINE + 4]]:3)
func.func @f(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32 loc("model.py":42:7)
  %1 = "arith.muli"(%0, %0) : (i32, i32) -> i32 loc("named"("other.py":3:1))
  func.return %1 : i32
}

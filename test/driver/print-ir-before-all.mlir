// --print-ir-before-all dumps the module before each pass to stderr.
// RUN: mlopt %s -p 'canonicalize,cse' --print-ir-before-all 2>&1 >/dev/null | filecheck %s

// CHECK:      // -----// IR Dump Before canonicalize //----- //
// CHECK-NEXT: builtin.module {
// CHECK:        arith.addi %a, %z : i32
// CHECK:      // -----// IR Dump Before cse //----- //
// CHECK-NOT:    arith.addi
// CHECK:        func.return
// CHECK-NOT:  IR Dump
func.func @f(%a: i32) -> i32 {
  %z = arith.constant 0 : i32
  %x = arith.addi %a, %z : i32
  func.return %x : i32
}

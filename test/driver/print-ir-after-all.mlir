// --print-ir-after-all dumps the module after each pass to stderr, MLIR style.
// RUN: mlopt %s -p 'canonicalize,cse' --print-ir-after-all 2>&1 >/dev/null | filecheck %s
// RUN: mlopt %s -p 'canonicalize,cse' --print-ir-after-all 2>/dev/null | filecheck %s --check-prefix=STDOUT

// CHECK:      // -----// IR Dump After canonicalize //----- //
// CHECK-NEXT: builtin.module {
// CHECK:        %[[S1:.*]] = arith.muli %a, %a : i32
// CHECK-NEXT:   %[[S2:.*]] = arith.muli %a, %a : i32
// CHECK:      // -----// IR Dump After cse //----- //
// CHECK-NEXT: builtin.module {
// CHECK:        arith.muli %a, %a : i32
// CHECK-NOT:    arith.muli
// CHECK:        func.return
// CHECK-NOT:  IR Dump

// STDOUT-NOT: IR Dump
// STDOUT: func.func @f
func.func @f(%a: i32) -> (i32, i32) {
  %z = arith.constant 0 : i32
  %x = arith.addi %a, %z : i32
  %s1 = arith.muli %x, %x : i32
  %s2 = arith.muli %a, %a : i32
  func.return %s1, %s2 : i32, i32
}

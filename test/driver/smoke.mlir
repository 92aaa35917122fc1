// RUN: mlopt %s -p 'builtin.module(canonicalize)' | filecheck %s

// CHECK-LABEL: func.func @add_zero
// CHECK-NEXT:    func.return %a : i32
func.func @add_zero(%a: i32) -> i32 {
  %c = arith.constant 0 : i32
  %b = arith.addi %a, %c : i32
  func.return %b : i32
}

// The MLIR pipeline syntax, with op-anchored nesting.
// RUN: mlopt %s -p 'builtin.module(canonicalize,cse)' | filecheck %s
// RUN: mlopt %s -p 'builtin.module(func.func(canonicalize),cse)' | filecheck %s
// RUN: mlopt %s --pass-pipeline='builtin.module(canonicalize,cse)' | filecheck %s

// CHECK-LABEL: func.func @f
// CHECK-NEXT:    %[[S:.*]] = arith.muli %a, %a : i32
// CHECK-NEXT:    func.return %[[S]], %[[S]] : i32, i32
func.func @f(%a: i32) -> (i32, i32) {
  %z = arith.constant 0 : i32
  %x = arith.addi %a, %z : i32
  %s1 = arith.muli %x, %x : i32
  %s2 = arith.muli %a, %a : i32
  func.return %s1, %s2 : i32, i32
}

// The short comma form; passes run in the order given.
// RUN: mlopt %s -p canonicalize,cse | filecheck %s
// RUN: mlopt %s --passes 'canonicalize, cse' | filecheck %s
// RUN: mlopt %s -p cse | filecheck %s --check-prefix=CSE-ONLY

// CHECK-LABEL: func.func @f
// CHECK-NEXT:    %[[S:.*]] = arith.muli %a, %a : i32
// CHECK-NEXT:    func.return %[[S]], %[[S]] : i32, i32

// cse alone does not fold x + 0, so both products stay:
// CSE-ONLY: arith.addi
// CSE-ONLY-COUNT-2: arith.muli
func.func @f(%a: i32) -> (i32, i32) {
  %z = arith.constant 0 : i32
  %x = arith.addi %a, %z : i32
  %s1 = arith.muli %x, %x : i32
  %s2 = arith.muli %a, %a : i32
  func.return %s1, %s2 : i32, i32
}

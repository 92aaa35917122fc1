// canonicalize takes MLIR's max-iterations option (the README's example):
// -1 (default) sweeps until nothing changes, N >= 1 at most N sweeps.
// RUN: mlopt %s -p 'canonicalize{max-iterations=3},cse' | filecheck %s
// RUN: mlopt %s -p 'builtin.module(canonicalize{max-iterations=1})' | filecheck %s
// RUN: mlopt %s -p 'canonicalize{max-iterations=-1}' | filecheck %s
// RUN: mlopt %s -p 'canonicalize' | filecheck %s
// RUN: not mlopt %s -p 'canonicalize{max-iterations=0}' 2>&1 | filecheck %s --check-prefix=ZERO

// CHECK-LABEL: func.func @f(%a: i32) -> i32 {
// CHECK-NEXT:    func.return %a : i32
// ZERO: mlopt: error: bad options for pass 'canonicalize': max-iterations must be a positive number of sweeps or -1 (no limit), not 0
func.func @f(%a: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %b = arith.addi %a, %c0 : i32
  func.return %b : i32
}

// Verifier errors are reported at the failing op and matched by --verify-diagnostics.
// RUN: mlopt %s --split-input-file --verify-diagnostics

func.func @wrong_return() {
  %0 = arith.constant 1 : i32
  // expected-error@+1 {{function output types}}
  func.return %0 : i32
}

// -----

func.func @bad_addi(%a: i32, %b: i64) -> i32 {
  // expected-error@+1 {{'arith.addi' op}}
  %0 = "arith.addi"(%a, %b) : (i32, i64) -> i32
  func.return %0 : i32
}

// -----

func.func @missing_terminator(%a: i32) -> i32 {
  // expected-error@+1 {{terminator}}
  %0 = arith.addi %a, %a : i32
}

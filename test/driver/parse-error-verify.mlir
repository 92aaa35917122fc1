// Parse errors can be expected with --verify-diagnostics.
// RUN: mlopt %s --split-input-file --verify-diagnostics

func.func @undefined_value() -> i32 {
  // expected-error@+1 {{use of undeclared SSA value %nope}}
  func.return %nope : i32
}

// -----

func.func @type_mismatch(%a: i32) -> i64 {
  // expected-error@+1 {{previously used or defined with type i32}}
  func.return %a : i64
}

// -----

func.func @redefined() {
  %0 = arith.constant 1 : i32
  // expected-error@+1 {{already defined}}
  %0 = arith.constant 2 : i32
  func.return
}

// Verifier errors inside nested regions point at the op whose verifier failed.
// RUN: mlopt %s --split-input-file --verify-diagnostics

func.func @loop(%lb: index, %ub: index, %step: index) {
  // expected-error@+1 {{'scf.for' op scf.yield expected 0 args}}
  scf.for %i = %lb to %ub step %step {
    %c = arith.constant 1 : i32
    scf.yield %c : i32
  }
  func.return
}

// -----

func.func @outer() {
  // expected-error@+1 {{'arith.constant' op}}
  %0 = "arith.constant"() <{value = 1 : i64}> : () -> i32
  func.return
}

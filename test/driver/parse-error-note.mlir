// Notes attached to an error are checked too.
// RUN: mlopt %s --verify-diagnostics

func.func @f() {
// expected-note@+1 {{originally declared here}}
^bb0:
  cf.br ^bb0
// expected-error@+1 {{re-declaration of block 'bb0'}}
^bb0:
  func.return
}

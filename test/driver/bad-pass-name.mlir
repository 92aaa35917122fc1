// An unknown pass is a clean command-line error (exit 1), before the input is read.
// RUN: not mlopt %s -p 'canonicalize,no-such-pass' 2>&1 | filecheck %s
// RUN: not mlopt %s -p 'builtin.module(no-such-pass)' 2>&1 | filecheck %s
// RUN: %PYTHON %S/Inputs/expect_exit.py 1 mlopt %s -p no-such-pass

// CHECK-NOT: Traceback
// CHECK: mlopt: error: unknown pass 'no-such-pass' (see mlopt --list-passes)
func.func @f() {
  func.return
}

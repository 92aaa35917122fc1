// Bad pass options are clean errors naming the pass.
// RUN: not mlopt %s -p 'canonicalize{no-such-option=1}' 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p 'test-driver-tag{count=abc}' 2>&1 | filecheck %s --check-prefix=BADVALUE
// RUN: not mlopt %s -p 'canonicalize{' 2>&1 | filecheck %s --check-prefix=MALFORMED
// RUN: not mlopt %s -p 'builtin.module(canonicalize' 2>&1 | filecheck %s --check-prefix=MALFORMED

// UNKNOWN: mlopt: error: bad options for pass 'canonicalize': {{.*}}no_such_option
// BADVALUE: mlopt: error: bad options for pass 'test-driver-tag'
// MALFORMED: mlopt: error: {{.*}}pipeline
// MALFORMED-NOT: Traceback
func.func @f() {
  func.return
}

// A malformed pipeline keeps all of xDSL's diagnostic: the reason, the pipeline
// as written and a caret under the column (placed in the whole pipeline, not in
// the piece that failed), exit 1, no traceback.
// RUN: not mlopt %s -p 'canonicalize cse' 2>&1 | filecheck %s
// RUN: not mlopt %s -p 'builtin.module(cse,canonicalize cse)' 2>&1 | filecheck %s --check-prefix=NESTED
// RUN: not mlopt %s -p 'cse,canonicalize{max-iterations=}' 2>&1 | filecheck %s --check-prefix=VALUE

// CHECK: {{^mlopt: error: malformed pass pipeline \(column 13\): Expected a comma or pass arguments here$}}
// CHECK-NEXT: {{^  canonicalize cse$}}
// CHECK-NEXT: {{^              \^$}}
// CHECK-NOT: {{.}}

// NESTED: {{^mlopt: error: malformed pass pipeline \(column 32\): Expected a comma or pass arguments here$}}
// NESTED-NEXT: {{^  builtin.module\(cse,canonicalize cse\)$}}
// NESTED-NEXT: {{^                                 \^$}}

// VALUE: mlopt: error: malformed pass pipeline (column 33): Unknown argument value
// VALUE-NEXT: cse,canonicalize{max-iterations=}
// VALUE-NOT: Traceback
func.func @f() {
  func.return
}

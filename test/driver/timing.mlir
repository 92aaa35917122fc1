// --timing prints a per-pass wall-time table to stderr.
// RUN: mlopt %s -p 'canonicalize,cse' --timing 2>&1 >/dev/null | filecheck %s
// RUN: mlopt %s -p 'canonicalize,cse' --mlir-timing 2>&1 >/dev/null | filecheck %s

// CHECK:      ... Execution time report ...
// CHECK:      Total Execution Time: {{[0-9.]+}} seconds
// CHECK:      ----Wall Time----  ----Name----
// CHECK-NEXT: {{[0-9.]+}} ({{ *[0-9.]+}}%)  Parser
// CHECK:      {{[0-9.]+}} ({{ *[0-9.]+}}%)  canonicalize
// CHECK-NEXT: {{[0-9.]+}} ({{ *[0-9.]+}}%)  cse
// CHECK:      Output
// CHECK:      Rest
// CHECK-NEXT: {{[0-9.]+}} (100.0%)  Total
func.func @f(%a: i32) -> i32 {
  func.return %a : i32
}

// expected-error-re matches {{regex}} pieces; plain messages match a substring.
// RUN: mlopt %s --verify-diagnostics

func.func @f() {
  %0 = arith.constant 1 : i32
  // expected-error-re@+1 {{expected {{\[\]}}, got [i{{[0-9]+}}]}}
  func.return %0 : i32
}

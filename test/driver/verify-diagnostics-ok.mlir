// Without any diagnostic, --verify-diagnostics succeeds and still prints the output.
// RUN: mlopt %s --verify-diagnostics | filecheck %s

// CHECK-LABEL: func.func @ok
func.func @ok() {
  func.return
}

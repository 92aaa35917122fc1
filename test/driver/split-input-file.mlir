// Each chunk is processed on its own; outputs are joined with '// -----'.
// RUN: mlopt %s --split-input-file -p canonicalize | filecheck %s
// RUN: mlopt %s | filecheck %s --check-prefix=NOSPLIT

// CHECK:       func.func @first
// CHECK-NEXT:    func.return %a : i32
// CHECK:       // -----
// CHECK-NEXT:  builtin.module {
// CHECK-NEXT:    func.func @second
// CHECK:       // -----
// CHECK-NEXT:  builtin.module {
// CHECK-NEXT:    func.func @third
// CHECK-NOT:   // -----

// Without the flag the marker is a comment: one module with all three.
// NOSPLIT:     builtin.module {
// NOSPLIT:     func.func @first
// NOSPLIT:     func.func @second
// NOSPLIT:     func.func @third
// NOSPLIT-NOT: builtin.module
func.func @first(%a: i32) -> i32 {
  %c = arith.constant 0 : i32
  %b = arith.addi %a, %c : i32
  func.return %b : i32
}

// -----

func.func @second() {
  func.return
}

// -----
func.func @third() {
  func.return
}

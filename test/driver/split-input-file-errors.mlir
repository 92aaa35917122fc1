// A failing chunk does not stop the others; its errors use the line numbers of
// the whole file, and the exit status is 1.
// RUN: %PYTHON %S/Inputs/expect_exit.py 1 mlopt %s --split-input-file > %t.out 2> %t.err
// RUN: filecheck %s --check-prefix=OUT < %t.out
// RUN: filecheck %s --check-prefix=ERR < %t.err

// OUT:      func.func @good1
// OUT:      // -----
// OUT-NEXT: // -----
// OUT-NEXT: builtin.module {
// OUT-NEXT:   func.func @good2

// ERR: split-input-file-errors.mlir:[[# @LINE + 11]]:3: error: 'func.return' op
// ERR-NEXT: {{^}}  func.return %0 : i32
// ERR-NEXT: {{^}}  ^
func.func @good1() {
  func.return
}

// -----

func.func @bad() {
  %0 = arith.constant 1 : i32
  func.return %0 : i32
}

// -----

func.func @good2() {
  func.return
}

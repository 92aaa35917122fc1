// Input from stdin, both as '-' and with no input argument.
// RUN: cat %s | mlopt - | filecheck %s
// RUN: cat %s | mlopt | filecheck %s

// CHECK-LABEL: func.func @id
// CHECK-NEXT:    func.return %x : i32
func.func @id(%x: i32) -> i32 {
  func.return %x : i32
}

// An output that cannot be produced (ONNX export, --emit of IR that is not at
// the llvm level) is an error naming the input file once, exit 1.
// RUN: not mlopt %s -o %t.onnx 2>&1 | filecheck %s --check-prefix=EXPORT
// RUN: not mlopt %s --emit=llvm 2>&1 | filecheck %s --check-prefix=EMIT

// EXPORT: {{^[^ ]*output-errors.mlir: error: cannot export to ONNX: type i32 has no ONNX counterpart$}}
// EXPORT-NOT: error
// EMIT: {{^[^ ]*output-errors.mlir: error: cannot emit llvm: module is not fully lowered to the llvm dialect: found 'func.func'$}}
// EMIT-NOT: error
func.func @f(%a: i32) -> i32 {
  func.return %a : i32
}

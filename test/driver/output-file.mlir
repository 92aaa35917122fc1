// -o writes the result to a file; stdout stays empty.
// RUN: rm -f %t.mlir
// RUN: mlopt %s -p canonicalize -o %t.mlir | filecheck %s --allow-empty --check-prefix=EMPTY
// RUN: filecheck %s < %t.mlir
// RUN: not mlopt %s -o %t.missing-dir/out.mlir 2>&1 | filecheck %s --check-prefix=BADOUT

// CHECK-LABEL: func.func @f
// CHECK-NEXT:    func.return %a : i32
// EMPTY-NOT: {{.}}
// BADOUT: mlopt: error: cannot write output file '{{.*}}out.mlir'
func.func @f(%a: i32) -> i32 {
  %c = arith.constant 0 : i32
  %b = arith.addi %a, %c : i32
  func.return %b : i32
}

// A failing run leaves no output file behind.
// RUN: rm -f %t.fail.mlir
// RUN: not mlopt %s --load-plugin %S/Inputs/driver_plugin.py -p test-driver-fail -o %t.fail.mlir
// RUN: not ls %t.fail.mlir

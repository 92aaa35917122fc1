// --mlir-elide-elementsattrs-if-larger on IR input: constants of more than N
// elements are elided, splats (already short) are not, as in MLIR; without the
// option, IR input prints everything.
// RUN: mlopt %s --mlir-elide-elementsattrs-if-larger=4 | filecheck %s
// RUN: mlopt %s | filecheck %s --check-prefix=FULL

// CHECK-LABEL: func.func @f
// CHECK-NEXT: arith.constant dense<1.000000e+00> : tensor<8x4xf32>
// CHECK-NEXT: arith.constant dense_resource<__elided__> : tensor<8xf32>
// CHECK-NEXT: arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
// FULL-NOT: __elided__
func.func @f() -> (tensor<8x4xf32>, tensor<8xf32>, tensor<4xi32>) {
  %s = arith.constant dense<1.0> : tensor<8x4xf32>
  %v = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %i = arith.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  func.return %s, %v, %i : tensor<8x4xf32>, tensor<8xf32>, tensor<4xi32>
}

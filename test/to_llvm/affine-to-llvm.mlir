// RUN: mlopt %s -p affine-to-llvm | filecheck %s
// RUN: mlopt %s -p affine-to-llvm --emit=llvm -O0 | filecheck %s --check-prefix=IR
// RUN: mlopt %s -p affine-to-llvm --emit=llvm -O3 | filecheck %s --check-prefix=O3

"memref.global"() <{sym_name = "bias", sym_visibility = "private", type = memref<4xf32>, initial_value = dense<[0.5, 1.5, 2.5, 3.5]> : tensor<4xf32>, constant}> : () -> ()
func.func @addbias(%x: memref<2x4xf32>, %y: memref<2x4xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %b = memref.get_global @bias : memref<4xf32>
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 4 {
      %v = affine.load %x[%i, %j] : memref<2x4xf32>
      %c = affine.load %b[%j] : memref<4xf32>
      %s = arith.addf %v, %c : f32
      %e = math.exp %s : f32
      affine.store %e, %y[%i, %j] : memref<2x4xf32>
    }
  }
  func.return
}

// Only llvm ops remain; every cast has been reconciled.
// CHECK:       llvm.mlir.global external constant @bias
// CHECK-LABEL: llvm.func @addbias(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias})
// CHECK-NOT:   builtin.unrealized_conversion_cast
// CHECK-NOT:   affine.
// CHECK-NOT:   arith.
// CHECK-NOT:   memref.
// CHECK-NOT:   scf.
// CHECK-NOT:   cf.
// CHECK:       llvm.intr.exp
// CHECK:       llvm.return

// The weights are an external declaration, not data in the IR text.
// IR:          @bias = external constant [4 x float]
// IR-NOT:      5.000000e-01
// IR:          define void @addbias(ptr noalias %{{.*}}, ptr noalias %{{.*}})
// IR:          phi i64
// IR:          getelementptr inbounds float
// IR:          call float @llvm.exp.f32

// At -O3 the loops are fully unrolled/vectorised and the entry is still exported.
// O3:          define void @addbias(ptr noalias
// O3-NOT:      phi

// RUN: mlopt %s -p lower-index-checks | filecheck %s
// RUN: mlopt %s -p affine-to-llvm | filecheck %s --check-prefix=LL
// RUN: mlopt %s -p affine-to-llvm --emit=llvm -O0 | filecheck %s --check-prefix=IR

// lower-index-checks: the entry gets the status record as its last argument
// and returns status[0] as i32 (cleared on entry); each check becomes
// wrap-negative + one unsigned compare + select (index 0 when out of range),
// with the failure call under scf.if. The check table names the nodes.
// CHECK-LABEL: func.func @g
// CHECK-SAME: (%d: memref<5xf32>, %i: memref<3xi64>, %u: memref<3xi32>, %y: memref<3xf32>, %[[ST:\w+]]: memref<8xi64>) -> i32
// CHECK-SAME: mlopt.index_checks = {{\[}}["g0", "Gather", "wrap"], ["g1", "Gather", "nowrap"]]
// CHECK-NEXT: %[[C0:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %[[Z:\w+]] = arith.constant 0 : i64
// CHECK-NEXT: memref.store %[[Z]], %[[ST]][%[[C0]]] : memref<8xi64>
// CHECK: affine.for
// CHECK: %[[X:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %[[ZI:\w+]] = arith.constant 0 : index
// CHECK-NEXT: %[[NEG:\w+]] = arith.cmpi slt, %[[X]], %[[ZI]] : index
// CHECK-NEXT: %[[W:\w+]] = arith.addi %[[X]], %[[B:\w+]] : index
// CHECK-NEXT: %[[N:\w+]] = arith.select %[[NEG]], %[[W]], %[[X]] : index
// CHECK-NEXT: %[[BAD:\w+]] = arith.cmpi uge, %[[N]], %[[B]] : index
// CHECK-NEXT: scf.if %[[BAD]] {
// CHECK-NEXT: %[[ID:\w+]] = arith.constant 0 : i64
// CHECK-NEXT: %[[XI:\w+]] = arith.index_cast %[[X]] : index to i64
// CHECK-NEXT: %[[BI:\w+]] = arith.index_cast %[[B]] : index to i64
// CHECK-NEXT: %[[AI:\w+]] = arith.index_cast %{{\w+}} : index to i64
// CHECK-NEXT: func.call @mlopt_index_check_failed(%[[ST]], %[[ID]], %[[XI]], %[[BI]], %[[AI]]) : (memref<8xi64>, i64, i64, i64, i64) -> ()
// CHECK-NEXT: }
// CHECK-NEXT: %[[S:\w+]] = arith.select %[[BAD]], %[[ZI]], %[[N]] : index
// CHECK-NEXT: %{{\w+}} = memref.load %d[%[[S]]] : memref<5xf32>
// An unsigned check does not wrap; a second node gets check id 1.
// CHECK: %[[UX:\w+]] = arith.index_cast %{{\w+}} : i64 to index
// CHECK-NEXT: %{{\w+}} = arith.constant 0 : index
// CHECK-NEXT: %[[UBAD:\w+]] = arith.cmpi uge, %[[UX]], %{{\w+}} : index
// CHECK-NEXT: scf.if %[[UBAD]] {
// CHECK-NEXT: %{{\w+}} = arith.constant 1 : i64
// CHECK: %[[CODE:\w+]] = memref.load %[[ST]][%{{\w+}}] : memref<8xi64>
// CHECK-NEXT: %[[R:\w+]] = arith.trunci %[[CODE]] : i64 to i32
// CHECK-NEXT: func.return %[[R]] : i32
// CHECK: func.func private @mlopt_index_check_failed(memref<8xi64>, i64, i64, i64, i64) -> ()

// The llvm entry returns i32; the table travels on the llvm.func.
// LL: llvm.func @g(%d: !llvm.ptr {llvm.noalias}, %i: !llvm.ptr {llvm.noalias}, %u: !llvm.ptr {llvm.noalias}, %y: !llvm.ptr {llvm.noalias}, %{{\w+}}: !llvm.ptr {llvm.noalias}) -> i32
// LL-SAME: mlopt.index_checks = {{\[}}["g0", "Gather", "wrap"], ["g1", "Gather", "nowrap"]]
// LL: llvm.return %{{\w+}} : i32
// LL: llvm.func @mlopt_index_check_failed(!llvm.ptr, i64, i64, i64, i64)

// The LLVM translation defines the failure record: the first failure wins a
// compare-and-swap of status[0] (0 -> 1) and writes id, index, bound, axis.
// IR: define i32 @g(
// IR: define internal void @mlopt_index_check_failed(ptr %[[P:[.0-9]+]], i64 %[[ID:[.0-9]+]], i64 %[[IX:[.0-9]+]], i64 %[[BD:[.0-9]+]], i64 %[[AX:[.0-9]+]])
// IR: cmpxchg ptr %[[P]], i64 0, i64 1 acq_rel monotonic
// IR: getelementptr i64, ptr %[[P]], i64 1
// IR-NEXT: store i64 %[[ID]]
// IR: getelementptr i64, ptr %[[P]], i64 2
// IR-NEXT: store i64 %[[IX]]
// IR: getelementptr i64, ptr %[[P]], i64 3
// IR-NEXT: store i64 %[[BD]]
// IR: getelementptr i64, ptr %[[P]], i64 4
// IR-NEXT: store i64 %[[AX]]
func.func @g(%d: memref<5xf32>, %i: memref<3xi64>, %u: memref<3xi32>, %y: memref<3xf32>) attributes {mlopt.entry, mlopt.num_inputs = 3 : i64} {
  %b = arith.constant 5 : index
  %a = arith.constant 0 : index
  affine.for %k = 0 to 3 {
    %v = affine.load %i[%k] : memref<3xi64>
    %x = arith.index_cast %v : i64 to index
    %s = mlopt.check_index %x, %b, %a {node = "g0", op = "Gather"}
    %e = memref.load %d[%s] : memref<5xf32>
    %w = affine.load %u[%k] : memref<3xi32>
    %w64 = arith.extui %w : i32 to i64
    %ux = arith.index_cast %w64 : i64 to index
    %t = mlopt.check_index %ux, %b, %a {node = "g1", op = "Gather", unsigned}
    %f = memref.load %d[%t] : memref<5xf32>
    %sum = arith.addf %e, %f : f32
    affine.store %sum, %y[%k] : memref<3xf32>
  }
  func.return
}

// Upstream MLIR's generic form of llvm.mlir.global and llvm.getelementptr
// (iree-opt --mlir-print-op-generic): `tls_mode` (xDSL: the unit
// `thread_local_`) and the inbounds bit of `noWrapFlags` (xDSL: the unit
// `inbounds`, which the LLVM translation reads) are understood.
// RUN: mlopt %s | filecheck %s
// An inbounds GEP mlopt builds (convert-memref-to-llvm here) has the inbounds
// bits in noWrapFlags too, so upstream reads mlopt's generic form as inbounds.
// RUN: mlopt %S/Inputs/memref-load.mlir -p convert-memref-to-llvm --print-op-generic | filecheck %s --check-prefix=GEN
// GEN: "llvm.getelementptr"({{.*}}noWrapFlags = 3 : i32{{.*}}inbounds

// CHECK: llvm.mlir.global external constant @g(dense<1.000000e+00> : tensor<2xf32>)
// CHECK-NOT: tls_mode
// CHECK: llvm.mlir.global external thread_local @t(0 : i32)
// CHECK: llvm.getelementptr inbounds %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: llvm.getelementptr %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
"builtin.module"() ({
  "llvm.mlir.global"() <{addr_space = 0 : i32, alignment = 64 : i64, constant, global_type = !llvm.array<2 x f32>, linkage = #llvm.linkage<external>, sym_name = "g", tls_mode = 0 : i64, unnamed_addr = 0 : i64, value = dense<1.0> : tensor<2xf32>, visibility_ = 0 : i64}> ({
  }) : () -> ()
  "llvm.mlir.global"() <{addr_space = 0 : i32, global_type = i32, linkage = #llvm.linkage<external>, sym_name = "t", tls_mode = 1 : i64, unnamed_addr = 0 : i64, value = 0 : i32, visibility_ = 0 : i64}> ({
  }) : () -> ()
  "llvm.func"() <{CConv = #llvm.cconv<ccc>, function_type = !llvm.func<ptr (ptr, i64)>, linkage = #llvm.linkage<external>, sym_name = "f", unnamed_addr = 0 : i64, visibility_ = 0 : i64}> ({
  ^bb0(%p: !llvm.ptr, %i: i64):
    %0 = "llvm.getelementptr"(%p, %i) <{elem_type = f32, noWrapFlags = 3 : i32, rawConstantIndices = array<i32: -2147483648>}> : (!llvm.ptr, i64) -> !llvm.ptr
    %1 = "llvm.getelementptr"(%0, %i) <{elem_type = f32, noWrapFlags = 0 : i32, rawConstantIndices = array<i32: -2147483648>}> : (!llvm.ptr, i64) -> !llvm.ptr
    "llvm.return"(%1) : (!llvm.ptr) -> ()
  }) : () -> ()
}) : () -> ()

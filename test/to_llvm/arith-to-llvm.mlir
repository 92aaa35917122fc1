// RUN: mlopt %s -p convert-arith-to-llvm | filecheck %s

// CHECK-LABEL: func.func @int_ops
// CHECK-NEXT:    %[[S:.*]] = llvm.add %a, %b overflow<nsw> : i32
// CHECK-NEXT:    %[[M:.*]] = llvm.mul %[[S]], %b : i32
// CHECK-NEXT:    %[[D:.*]] = llvm.sdiv %[[M]], %a : i32
// CHECK-NEXT:    %[[R:.*]] = llvm.urem %[[D]], %b : i32
// CHECK-NEXT:    %[[X:.*]] = llvm.call_intrinsic "llvm.smax.i32"(%[[R]], %a) : (i32, i32) -> i32
// CHECK-NEXT:    %[[SH:.*]] = llvm.ashr %[[X]], %b : i32
// floordivsi: truncating division adjusted when the signs differ and it is inexact
// CHECK:         %[[Q:.*]] = llvm.sdiv %[[SH]], %b : i32
// CHECK:         llvm.xor
// CHECK:         %[[QM1:.*]] = llvm.sub %[[Q]], %{{.*}} : i32
// CHECK:         %[[F:.*]] = llvm.select %{{.*}}, %[[QM1]], %[[Q]] : i1, i32
// CHECK:         func.return %[[F]] : i32
func.func @int_ops(%a: i32, %b: i32) -> i32 {
  %0 = arith.addi %a, %b overflow<nsw> : i32
  %1 = arith.muli %0, %b : i32
  %2 = arith.divsi %1, %a : i32
  %3 = arith.remui %2, %b : i32
  %4 = arith.maxsi %3, %a : i32
  %5 = arith.shrsi %4, %b : i32
  %6 = arith.floordivsi %5, %b : i32
  func.return %6 : i32
}
// CHECK-LABEL: func.func @float_ops
// CHECK-NEXT:    %[[A:.*]] = llvm.fadd %a, %b : f32
// CHECK-NEXT:    %[[M:.*]] = llvm.fmul %[[A]], %b fastmath<fast> : f32
// CHECK-NEXT:    %[[X:.*]] = llvm.call_intrinsic "llvm.maximum.f32"(%[[M]], %a) : (f32, f32) -> f32
// CHECK-NEXT:    %[[N:.*]] = llvm.fneg %[[X]] : f32
// CHECK-NEXT:    %[[C:.*]] = llvm.fcmp "olt" %[[N]], %a : f32
// CHECK-NEXT:    llvm.select %[[C]], %[[N]], %a : i1, f32
func.func @float_ops(%a: f32, %b: f32) -> f32 {
  %0 = arith.addf %a, %b : f32
  %1 = arith.mulf %0, %b fastmath<fast> : f32
  %2 = arith.maximumf %1, %a : f32
  %3 = arith.negf %2 : f32
  %c = arith.cmpf olt, %3, %a : f32
  %4 = arith.select %c, %3, %a : f32
  func.return %4 : f32
}
// CHECK-LABEL: func.func @casts
// CHECK-NEXT:    %[[X:.*]] = builtin.unrealized_conversion_cast %x : index to i64
// CHECK-NEXT:    llvm.call_intrinsic "llvm.fptosi.sat.i32.f32"(%a) : (f32) -> i32
// CHECK-NEXT:    %[[W:.*]] = llvm.zext %i : i8 to i64
// CHECK-NEXT:    llvm.sitofp %[[W]] : i64 to f64
// CHECK-NEXT:    llvm.zext %i : i8 to i32
// CHECK-NEXT:    llvm.trunc %[[X]] : i64 to i32
// CHECK:         llvm.fptrunc %{{.*}} : f64 to f32
// CHECK-NEXT:    llvm.bitcast %{{.*}} : f32 to i32
func.func @casts(%a: f32, %i: i8, %x: index) -> (i32) {
  %0 = arith.fptosi %a : f32 to i32
  %1 = arith.uitofp %i : i8 to f64
  %2 = arith.extui %i : i8 to i32
  %3 = arith.index_cast %x : index to i32
  %4 = arith.addi %0, %2 : i32
  %5 = arith.addi %4, %3 : i32
  %6 = arith.truncf %1 : f64 to f32
  %7 = arith.bitcast %6 : f32 to i32
  %8 = arith.addi %5, %7 : i32
  func.return %8 : i32
}
// index becomes i64; nsw is kept.
// CHECK-LABEL: func.func @index_math
// CHECK:         %[[X:.*]] = builtin.unrealized_conversion_cast %x : index to i64
// CHECK:         %[[C:.*]] = llvm.mlir.constant(4) : i64
// CHECK:         %[[M:.*]] = llvm.mul %[[X]], %[[C]] overflow<nsw> : i64
// CHECK:         %[[R:.*]] = builtin.unrealized_conversion_cast %[[M]] : i64 to index
// CHECK:         func.return %[[R]] : index
func.func @index_math(%x: index) -> index {
  %c = arith.constant 4 : index
  %0 = arith.muli %x, %c overflow<nsw> : index
  func.return %0 : index
}

// Constant predicates need no comparison.
// CHECK-LABEL: func.func @cmpf_constant_predicates
// CHECK-NEXT:    %[[T:.*]] = llvm.mlir.constant(true) : i1
// CHECK-NEXT:    %[[F:.*]] = llvm.mlir.constant(false) : i1
// CHECK-NEXT:    %[[U:.*]] = llvm.fcmp "uno" %a, %a : f32
func.func @cmpf_constant_predicates(%a: f32) -> (i1, i1, i1) {
  %t = arith.cmpf true, %a, %a : f32
  %f = arith.cmpf false, %a, %a : f32
  %u = arith.cmpf uno, %a, %a : f32
  func.return %t, %f, %u : i1, i1, i1
}

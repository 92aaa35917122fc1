// RUN: mlopt %s -p convert-math-to-llvm | filecheck %s

// CHECK-LABEL: func.func @f32_ops
// CHECK-NEXT:    %[[E:.*]] = llvm.intr.exp(%a) : (f32) -> f32
// CHECK-NEXT:    %[[L:.*]] = llvm.intr.log(%[[E]]) : (f32) -> f32
// CHECK-NEXT:    %[[S:.*]] = llvm.intr.sqrt(%[[L]]) : (f32) -> f32
// CHECK-NEXT:    %[[P:.*]] = llvm.intr.pow(%[[S]], %b) : (f32, f32) -> f32
// CHECK-NEXT:    %[[A:.*]] = llvm.intr.fabs(%[[P]]) : (f32) -> f32
// CHECK-NEXT:    %[[F:.*]] = llvm.intr.floor(%[[A]]) : (f32) -> f32
// CHECK-NEXT:    %[[T:.*]] = llvm.call @tanhf(%[[F]]) : (f32) -> f32
// CHECK-NEXT:    %[[R:.*]] = llvm.call @erff(%[[T]]) : (f32) -> f32
// CHECK-NEXT:    %[[RE:.*]] = llvm.call_intrinsic "llvm.roundeven.f32"(%[[R]]) : (f32) -> f32
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1.000000e+00 : f32) : f32
// CHECK-NEXT:    %[[SQ:.*]] = llvm.intr.sqrt(%[[RE]]) : (f32) -> f32
// CHECK-NEXT:    llvm.fdiv %[[ONE]], %[[SQ]] : f32
func.func @f32_ops(%a: f32, %b: f32) -> f32 {
  %0 = math.exp %a : f32
  %1 = math.log %0 : f32
  %2 = math.sqrt %1 : f32
  %3 = math.powf %2, %b : f32
  %4 = math.absf %3 : f32
  %5 = math.floor %4 : f32
  %6 = math.tanh %5 : f32
  %7 = math.erf %6 : f32
  %8 = math.roundeven %7 : f32
  %9 = math.rsqrt %8 : f32
  func.return %9 : f32
}
// CHECK-LABEL: func.func @f64_ops
// CHECK-NEXT:    %[[T:.*]] = llvm.call @tanh(%a) : (f64) -> f64
// CHECK-NEXT:    %[[E:.*]] = llvm.call @erf(%[[T]]) : (f64) -> f64
// CHECK-NEXT:    llvm.intr.ceil(%[[E]]) : (f64) -> f64
func.func @f64_ops(%a: f64) -> f64 {
  %0 = math.tanh %a : f64
  %1 = math.erf %0 : f64
  %2 = math.ceil %1 : f64
  func.return %2 : f64
}
// CHECK-LABEL: func.func @int_ops
// CHECK:         llvm.call_intrinsic "llvm.abs.i32"(%a, %{{.*}}) : (i32, i1) -> i32
// CHECK:         llvm.call_intrinsic "llvm.ctlz.i32"
func.func @int_ops(%a: i32) -> i32 {
  %0 = math.absi %a : i32
  %1 = math.ctlz %0 : i32
  func.return %1 : i32
}

// libm functions are declared once each.
// CHECK-DAG: llvm.func @tanhf(f32) -> f32
// CHECK-DAG: llvm.func @erff(f32) -> f32
// CHECK-DAG: llvm.func @tanh(f64) -> f64
// CHECK-DAG: llvm.func @erf(f64) -> f64

// Current upstream MLIR's custom syntax (LLVM 21+, "strict properties") for
// the llvm ops mlopt emits: mlopt parses it and prints it back unchanged.
// RUN: mlopt %s | filecheck %s
// The spellings xDSL 0.75 printed (inherent attributes in the attribute
// dictionary) still parse, and print in upstream's syntax.
// RUN: mlopt %S/Inputs/xdsl-llvm-syntax.mlir | filecheck %s --check-prefix=OLD

// CHECK-LABEL: llvm.func @arith(
// CHECK-NEXT:    %{{.*}} = llvm.fadd %arg1, %arg1 fastmath<fast> : f32
// CHECK-NEXT:    %{{.*}} = llvm.fmul %arg1, %arg1 fastmath<reassoc, contract> : f32
// CHECK-NEXT:    %{{.*}} = llvm.fsub %arg1, %arg1 : f32
// CHECK-NEXT:    %{{.*}} = llvm.fneg %arg1 fastmath<nnan> : f32
// CHECK-NEXT:    %{{.*}} = llvm.fcmp "olt" %arg1, %arg1 fastmath<nnan> : f32
// CHECK-NEXT:    %{{.*}} = llvm.select %arg2, %arg1, %arg1 fastmath<nsz> : i1, f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.fabs(%arg1) fastmath<nnan> : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.fma(%arg1, %arg1, %arg1) fastmath<contract> : (f32, f32, f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.exp(%arg1) : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.call_intrinsic "llvm.maximum.f32"(%arg1, %arg1) {fastmathFlags = #llvm.fastmath<nnan>} : (f32, f32) -> f32
llvm.func @arith(%arg0: !llvm.ptr, %arg1: f32, %arg2: i1) {
  %0 = llvm.fadd %arg1, %arg1 fastmath<fast> : f32
  %1 = llvm.fmul %arg1, %arg1 fastmath<reassoc, contract> : f32
  %2 = llvm.fsub %arg1, %arg1 : f32
  %3 = llvm.fneg %arg1 fastmath<nnan> : f32
  %4 = llvm.fcmp "olt" %arg1, %arg1 fastmath<nnan> : f32
  %5 = llvm.select %arg2, %arg1, %arg1 fastmath<nsz> : i1, f32
  %6 = llvm.intr.fabs(%arg1) fastmath<nnan> : (f32) -> f32
  %7 = llvm.intr.fma(%arg1, %arg1, %arg1) fastmath<contract> : (f32, f32, f32) -> f32
  %8 = llvm.intr.exp(%arg1) : (f32) -> f32
  %9 = llvm.call_intrinsic "llvm.maximum.f32"(%arg1, %arg1) {fastmathFlags = #llvm.fastmath<nnan>} : (f32, f32) -> f32
  llvm.return
}

// CHECK-LABEL: llvm.func @memory(
// CHECK-NEXT:    %{{.*}} = llvm.load %p <alignment = 4> : !llvm.ptr -> vector<16xf32>
// CHECK-NEXT:    %{{.*}} = llvm.load %p atomic monotonic <alignment = 4> : !llvm.ptr -> f32
// CHECK-NEXT:    %{{.*}} = llvm.load %p : !llvm.ptr -> f32
// CHECK-NEXT:    llvm.store %{{.*}}, %p <alignment = 4> : vector<16xf32>, !llvm.ptr
// CHECK-NEXT:    llvm.store %v, %p atomic monotonic <alignment = 8, nontemporal> : f32, !llvm.ptr
// CHECK-NEXT:    llvm.store volatile %v, %p : f32, !llvm.ptr
llvm.func @memory(%p: !llvm.ptr, %v: f32) {
  %0 = llvm.load %p <alignment = 4> : !llvm.ptr -> vector<16xf32>
  %1 = llvm.load %p atomic monotonic <alignment = 4> : !llvm.ptr -> f32
  %2 = llvm.load %p : !llvm.ptr -> f32
  llvm.store %0, %p <alignment = 4> : vector<16xf32>, !llvm.ptr
  llvm.store %v, %p atomic monotonic <alignment = 8, nontemporal> : f32, !llvm.ptr
  llvm.store volatile %v, %p : f32, !llvm.ptr
  llvm.return
}

// OLD-LABEL: llvm.func @old(
// OLD-NEXT:    %{{.*}} = llvm.fmul %w, %w fastmath<contract> : f32
// OLD-NEXT:    %{{.*}} = llvm.fcmp "olt" %w, %w fastmath<nnan> : f32
// OLD-NEXT:    %{{.*}} = llvm.intr.fma(%w, %w, %w) fastmath<fast> : (f32, f32, f32) -> f32
// OLD-NEXT:    %{{.*}} = llvm.load %q <alignment = 4> : !llvm.ptr -> f32
// OLD-NEXT:    llvm.store %w, %q <alignment = 4> {note} : f32, !llvm.ptr

// RUN: mlopt %s -p convert-math-to-llvm,convert-func-to-llvm | filecheck %s

// A private function gets internal linkage; memref -> ptr, index -> i64.
// CHECK-LABEL: llvm.func internal @helper(%a: !llvm.ptr, %i: i64) -> f32 {
// CHECK:         llvm.return %{{.*}} : f32
func.func private @helper(%a: memref<4xf32>, %i: index) -> f32 {
  %v = memref.load %a[%i] : memref<4xf32>
  func.return %v : f32
}
// The entry: C ABI over noalias data pointers, exported under its own name;
// the memref signature and input names are recorded for the runtime.
// CHECK-LABEL: llvm.func @main(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias})
// CHECK-SAME:    mlopt.entry
// CHECK-SAME:    mlopt.num_inputs = 1 : i64
// CHECK-SAME:    mlopt.arg_types = [memref<4xf32>, memref<4xf32>]
// CHECK-SAME:    mlopt.arg_names = ["x", "arg1"]
// CHECK:         %[[C:.*]] = builtin.unrealized_conversion_cast %c : index to i64
// CHECK:         %{{.*}} = llvm.call @helper(%{{.*}}, %[[C]]) : (!llvm.ptr, i64) -> f32
// CHECK:         llvm.return
func.func @main(%a: memref<4xf32> {onnx.name = "x"}, %o: memref<4xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %c = arith.constant 1 : index
  %v = func.call @helper(%a, %c) : (memref<4xf32>, index) -> f32
  memref.store %v, %o[%c] : memref<4xf32>
  func.return
}

// An entry named like a libm function it calls is renamed, not shadowing it.
// CHECK-LABEL: llvm.func @tanh_mlopt(
// CHECK-SAME:    mlopt.original_name = "tanh"
// CHECK:         llvm.call @tanh(
func.func @tanh(%a: memref<f64>, %o: memref<f64>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %x = memref.load %a[] : memref<f64>
  %y = math.tanh %x : f64
  memref.store %y, %o[] : memref<f64>
  func.return
}

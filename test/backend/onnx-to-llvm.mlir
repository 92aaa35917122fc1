// RUN: mlopt %s -p onnx-to-llvm | filecheck %s
// RUN: mlopt %s -p onnx-to-llvm-O2 --emit=llvm -O2 | filecheck %s --check-prefix=IR

// The whole pipeline, from the onnx dialect to the llvm dialect.
// CHECK-LABEL: llvm.func @g(%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias})
// CHECK-SAME:    mlopt.entry
// CHECK-SAME:    mlopt.num_inputs = 2 : i64
// CHECK-NOT:     onnx.
// CHECK-NOT:     builtin.unrealized_conversion_cast
// CHECK:         llvm.fadd
// CHECK:         llvm.return

// IR: define void @g(ptr noalias
// IR: fadd
func.func @g(%x: tensor<2x3xf32> {onnx.name = "x"}, %y: tensor<2x3xf32> {onnx.name = "y"}) -> tensor<2x3xf32> attributes {onnx.output_names = ["z"]} {
  %s = "onnx.Add"(%x, %y) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = "onnx.Relu"(%s) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

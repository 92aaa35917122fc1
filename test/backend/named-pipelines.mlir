// The -O variants of onnx-to-llvm differ in the tensor-opt stage: -O0/-O1 skip it,
// -O2/-O3 fuse the Add and the Relu into one loop nest.
// RUN: mlopt %s -p onnx-to-llvm-O0 --print-ir-after-all 2>&1 >/dev/null | filecheck %s --check-prefix=NOOPT
// RUN: mlopt %s -p onnx-to-llvm-O1 --print-ir-after-all 2>&1 >/dev/null | filecheck %s --check-prefix=NOOPT
// RUN: mlopt %s -p onnx-to-llvm-O3 --print-ir-after-all 2>&1 >/dev/null | filecheck %s --check-prefix=OPT
// RUN: mlopt %s -p onnx-to-llvm-O0 | filecheck %s --check-prefix=LLVM
// RUN: mlopt %s -p onnx-to-llvm-O3 | filecheck %s --check-prefix=LLVM

// NOOPT:     IR Dump After convert-onnx-to-tensor
// NOOPT:     linalg.generic
// NOOPT:     linalg.generic
// NOOPT-NOT: IR Dump After linalg-fuse-elementwise
// NOOPT:     IR Dump After bufferize
// NOOPT:     IR Dump After reconcile-unrealized-casts

// OPT:       IR Dump After convert-onnx-to-tensor
// OPT:       IR Dump After linalg-fuse-elementwise
// OPT:       linalg.generic
// OPT-NOT:   linalg.generic
// OPT:       IR Dump After linalg-collapse-dims
// OPT:       IR Dump After bufferize
// OPT:       IR Dump After reconcile-unrealized-casts

// LLVM-LABEL: llvm.func @g(
// LLVM-SAME:    mlopt.entry
// LLVM:         llvm.fadd
// LLVM:         llvm.return
func.func @g(%x: tensor<2x3xf32> {onnx.name = "x"}, %y: tensor<2x3xf32> {onnx.name = "y"}) -> tensor<2x3xf32> attributes {onnx.output_names = ["z"]} {
  %s = "onnx.Add"(%x, %y) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = "onnx.Relu"(%s) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

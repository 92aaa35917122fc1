// tensor-to-llvm lowers a module at the tensor level (linalg on tensors) to the llvm dialect.
// RUN: mlopt %s -p tensor-to-llvm | filecheck %s

// CHECK-LABEL: llvm.func @double(
// CHECK-SAME:    mlopt.entry
// CHECK-NOT:     linalg.
// CHECK-NOT:     tensor.
// CHECK:         llvm.fadd
// CHECK:         llvm.return
#id = affine_map<(d0) -> (d0)>
func.func @double(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  func.return %r : tensor<8xf32>
}

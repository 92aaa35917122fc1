// memref.global in upstream MLIR's custom form (what mlir-opt / iree-opt
// print): the initial value is written without its type. mlopt parses it
// and prints the generic form, which upstream parses too.
// RUN: mlopt %s | filecheck %s

// CHECK:      "memref.global"() <{sym_name = "c", type = memref<2x2xf32>, initial_value = dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>, sym_visibility = "private", constant, alignment = 64 : i64}> : () -> ()
// CHECK-NEXT: "memref.global"() <{sym_name = "h", type = memref<2xi32>, initial_value = dense<[1, 2]> : tensor<2xi32>, sym_visibility = "private", constant}> : () -> ()
// CHECK-NEXT: "memref.global"() <{sym_name = "s", type = memref<4xf32>, initial_value = dense<5.000000e-01> : tensor<4xf32>, sym_visibility = "public"}> : () -> ()
// CHECK-NEXT: "memref.global"() <{sym_name = "u", type = memref<3xi8>, initial_value, sym_visibility = "private"}> : () -> ()
// CHECK-NEXT: "memref.global"() <{sym_name = "t", type = memref<1xf32>, initial_value = dense<1.000000e+00> : tensor<1xf32>, sym_visibility = "private", constant}> {note} : () -> ()
memref.global "private" constant @c : memref<2x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0]]> {alignment = 64 : i64}
memref.global "private" constant @h : memref<2xi32> = dense<"0x0100000002000000">
memref.global @s : memref<4xf32> = dense<0.5>
memref.global "private" @u : memref<3xi8> = uninitialized
memref.global "private" constant @t : memref<1xf32> = dense<1.0> : tensor<1xf32> {note}

// CHECK-LABEL: func.func @use
// CHECK: memref.get_global @c : memref<2x2xf32>
func.func @use() -> memref<2x2xf32> {
  %0 = memref.get_global @c : memref<2x2xf32>
  func.return %0 : memref<2x2xf32>
}

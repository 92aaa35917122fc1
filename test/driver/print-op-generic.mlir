// --print-op-generic prints the generic form; it parses back to the same IR.
// RUN: mlopt %s --print-op-generic | filecheck %s
// RUN: mlopt %s --print-op-generic | mlopt - | filecheck %s --check-prefix=ROUNDTRIP

// CHECK: "builtin.module"() ({
// CHECK: "func.func"() <{sym_name = "f", function_type = (i32) -> i32}> ({
// CHECK: %{{.*}} = "arith.addi"(%{{.*}}, %{{.*}}) <{overflowFlags = #arith.overflow<none>}> : (i32, i32) -> i32
// CHECK: "func.return"(%{{.*}}) : (i32) -> ()

// ROUNDTRIP: func.func @f(%a: i32) -> i32 {
// ROUNDTRIP-NEXT: arith.addi %a, %a : i32
func.func @f(%a: i32) -> i32 {
  %0 = arith.addi %a, %a : i32
  func.return %0 : i32
}

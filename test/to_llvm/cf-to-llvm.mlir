// RUN: mlopt %s -p convert-cf-to-llvm | filecheck %s

// Branches become llvm branches; index block arguments become i64.
// CHECK-LABEL: func.func @loop
// CHECK:         %[[Z:.*]] = builtin.unrealized_conversion_cast %{{.*}} : index to i64
// CHECK:         llvm.br ^[[HEAD:.*]](%[[Z]] : i64)
// CHECK:       ^[[HEAD]](%[[I:.*]]: i64):
// CHECK:         %[[IX:.*]] = builtin.unrealized_conversion_cast %[[I]] : i64 to index
// CHECK:         llvm.cond_br %{{.*}}, ^{{.*}}, ^{{.*}}
// CHECK-NOT:     cf.
func.func @loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  cf.br ^head(%c0 : index)
^head(%i: index):
  %done = arith.cmpi slt, %i, %n : index
  cf.cond_br %done, ^body, ^exit
^body:
  %next = arith.addi %i, %c1 : index
  cf.br ^head(%next : index)
^exit:
  func.return
}

// RUN: mlopt %s --split-input-file --verify-diagnostics -p lower-index-checks

// The status record is threaded through entry functions only.
func.func private @helper(%d: memref<5xf32>, %x: index) -> f32 {
  %b = arith.constant 5 : index
  // expected-error@+1 {{lower-index-checks: mlopt.check_index in @helper; index checks are only supported in an entry function (mlopt.entry)}}
  %s = mlopt.check_index %x, %b, %b {node = "g0", op = "Gather"}
  %e = memref.load %d[%s] : memref<5xf32>
  func.return %e : f32
}

// -----

// expected-error@+1 {{lower-index-checks: @f already returns a value; an entry with index checks returns the error status}}
func.func @f(%d: memref<5xf32>, %x: index) -> f32 attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  %b = arith.constant 5 : index
  %s = mlopt.check_index %x, %b, %b {node = "g0", op = "Gather"}
  %e = memref.load %d[%s] : memref<5xf32>
  func.return %e : f32
}

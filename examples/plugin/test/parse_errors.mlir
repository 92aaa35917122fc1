// RUN: not mlopt %s --split-input-file 2>&1 | filecheck %s
// The custom assembly format reports bad input with a location.

func.func @no_factor(%x: f32) -> f32 {
  %r = toy.scale %x by : f32
  func.return %r : f32
}
// CHECK: parse_errors.mlir:5:24: error: {{.*}}float literal expected after 'by'

// -----

func.func @int_type(%x: i32) -> i32 {
  %r = toy.scale %x by 2.0 : i32
  func.return %r : i32
}
// CHECK: parse_errors.mlir:13:30: error: toy.scale expects a float type, got i32
// CHECK-NOT: Traceback

// RUN: mlopt %s --split-input-file -p math-approximate-exp | filecheck %s

// f32 exp: clamp, n = floor(x log2 e + 1/2), r = x - n ln2 (two parts),
// Horner's polynomial with contract (FMA allowed), n as an integer by the
// 1.5 * 2^23 trick (no fptosi), and two exponent-field factors.
// CHECK-LABEL: func.func @scalar
// CHECK: %[[LO:\w+]] = arith.constant -1.040000e+02 : f32
// CHECK-NEXT: %[[A:\w+]] = arith.maximumf %x, %[[LO]] : f32
// CHECK: %[[X:\w+]] = arith.minimumf %[[A]], %{{\w+}} : f32
// CHECK: %[[N:\w+]] = math.floor %{{\w+}} : f32
// CHECK: arith.mulf %[[N]], %{{\w+}} fastmath<contract> : f32
// CHECK: arith.constant 0x4B400000 : f32
// CHECK: arith.bitcast %{{\w+}} : f32 to i32
// CHECK: arith.shrsi
// CHECK: arith.shli
// CHECK: arith.bitcast %{{\w+}} : i32 to f32
// CHECK-NOT: math.exp
// CHECK-NOT: arith.fptosi
// CHECK: func.return
func.func @scalar(%x: f32) -> f32 {
  %y = math.exp %x : f32
  func.return %y : f32
}

// -----

// Vectors get the same expansion, lane-wise, with splat constants.
// CHECK-LABEL: func.func @vector
// CHECK: arith.constant dense<-1.040000e+02> : vector<8xf32>
// CHECK: math.floor %{{\w+}} : vector<8xf32>
// CHECK: arith.bitcast %{{\w+}} : vector<8xi32> to vector<8xf32>
// CHECK-NOT: math.exp
func.func @vector(%x: vector<8xf32>) -> vector<8xf32> {
  %y = math.exp %x : vector<8xf32>
  func.return %y : vector<8xf32>
}

// -----

// f64 and f16 exp are left to llvm.exp.
// CHECK-LABEL: func.func @other_types
// CHECK: math.exp %{{\w+}} : f64
// CHECK: math.exp %{{\w+}} : f16
func.func @other_types(%x: f64, %h: f16) -> (f64, f16) {
  %y = math.exp %x : f64
  %z = math.exp %h : f16
  func.return %y, %z : f64, f16
}

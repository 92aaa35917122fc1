// RUN: mlopt %s -p convert-arith-to-llvm | filecheck %s

// A conversion of a value clamped to the integer type's range needs no
// saturation: a plain fptoui (which LLVM vectorises; the saturating intrinsic
// it scalarises on x86).
// CHECK-LABEL: func.func @clamped
// CHECK:         %{{.*}} = llvm.fptoui %{{.*}} : f32 to i8
// CHECK-NOT:     fptoui.sat
func.func @clamped(%x: f32) -> i8 {
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 255.0 : f32
  %a = arith.maximumf %x, %lo : f32
  %b = arith.minimumf %a, %hi : f32
  %c = arith.fptoui %b : f32 to i8
  func.return %c : i8
}

// min then max, signed
// CHECK-LABEL: func.func @clamped_signed
// CHECK:         %{{.*}} = llvm.fptosi %{{.*}} : f32 to i8
func.func @clamped_signed(%x: f32) -> i8 {
  %lo = arith.constant -128.0 : f32
  %hi = arith.constant 127.0 : f32
  %a = arith.minimumf %x, %hi : f32
  %b = arith.maximumf %a, %lo : f32
  %c = arith.fptosi %b : f32 to i8
  func.return %c : i8
}

// 256 is out of range: the saturating conversion stays
// CHECK-LABEL: func.func @not_in_range
// CHECK:         llvm.call_intrinsic "llvm.fptoui.sat.i8.f32"
func.func @not_in_range(%x: f32) -> i8 {
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 256.0 : f32
  %a = arith.maximumf %x, %lo : f32
  %b = arith.minimumf %a, %hi : f32
  %c = arith.fptoui %b : f32 to i8
  func.return %c : i8
}

// mlopt.dot4: a scalar is the bytes widened, multiplied and reduced
// CHECK-LABEL: func.func @dot4_scalar
// CHECK:         %[[A:.*]] = llvm.bitcast %b : i32 to vector<4xi8>
// CHECK-NEXT:    %[[AZ:.*]] = llvm.zext %[[A]] : vector<4xi8> to vector<4xi32>
// CHECK-NEXT:    %[[B:.*]] = llvm.bitcast %c : i32 to vector<4xi8>
// CHECK-NEXT:    %[[BS:.*]] = llvm.sext %[[B]] : vector<4xi8> to vector<4xi32>
// CHECK-NEXT:    %[[P:.*]] = llvm.mul %[[AZ]], %[[BS]] : vector<4xi32>
// CHECK-NEXT:    %[[S:.*]] = llvm.call_intrinsic "llvm.vector.reduce.add.v4i32"(%[[P]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = llvm.add %a, %[[S]] : i32
func.func @dot4_scalar(%a: i32, %b: i32, %c: i32) -> i32 {
  %r = mlopt.dot4 %a, %b, %c : i32
  func.return %r : i32
}

// a vector without vnni: products summed by even/odd shuffles, twice
// CHECK-LABEL: func.func @dot4_vector
// CHECK:         llvm.zext %{{.*}} : vector<32xi8> to vector<32xi32>
// CHECK:         llvm.sext %{{.*}} : vector<32xi8> to vector<32xi32>
// CHECK:         llvm.mul %{{.*}} : vector<32xi32>
// CHECK:         llvm.shufflevector %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<32xi32>
// CHECK:         llvm.add %{{.*}} : vector<16xi32>
// CHECK:         llvm.shufflevector %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15] : vector<16xi32>
// CHECK:         %[[T:.*]] = llvm.add %{{.*}} : vector<8xi32>
// CHECK:         llvm.add %acc, %[[T]] : vector<8xi32>
// CHECK-NOT:     vpdpbusd
func.func @dot4_vector(%acc: vector<8xi32>, %a: vector<8xi32>, %b: vector<8xi32>) -> vector<8xi32> {
  %r = mlopt.dot4 %acc, %a, %b : vector<8xi32>
  func.return %r : vector<8xi32>
}

// vnni: one vpdpbusd of the vector's width
// CHECK-LABEL: func.func @dot4_vnni
// CHECK-NEXT:    %{{.*}} = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %a, %b) : (vector<16xi32>, vector<16xi32>, vector<16xi32>) -> vector<16xi32>
// CHECK-NEXT:    %{{.*}} = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%c, %d, %e) : (vector<8xi32>, vector<8xi32>, vector<8xi32>) -> vector<8xi32>
func.func @dot4_vnni(%acc: vector<16xi32>, %a: vector<16xi32>, %b: vector<16xi32>, %c: vector<8xi32>, %d: vector<8xi32>, %e: vector<8xi32>) -> (vector<16xi32>, vector<8xi32>) {
  %r = mlopt.dot4 %acc, %a, %b {vnni} : vector<16xi32>
  %s = mlopt.dot4 %c, %d, %e {vnni} : vector<8xi32>
  func.return %r, %s : vector<16xi32>, vector<8xi32>
}

func.func @vec(%a: memref<4x16xf32>, %b: memref<16xf32>, %c: memref<4x16xf32>, %s: memref<4xf32>) attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  %two = arith.constant 2.0 : f32
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 4 {
    %acc0 = vector.broadcast %zero : f32 to vector<8xf32>
    %r = affine.for %j = 0 to 16 step 8 iter_args(%acc = %acc0) -> (vector<8xf32>) {
      %x = affine.vector_load %a[%i, %j] : memref<4x16xf32>, vector<8xf32>
      %y = affine.vector_load %b[%j] : memref<16xf32>, vector<8xf32>
      %t = vector.broadcast %two : f32 to vector<8xf32>
      %f = vector.fma %x, %t, %y : vector<8xf32>
      affine.vector_store %f, %c[%i, %j] : memref<4x16xf32>, vector<8xf32>
      %n = arith.addf %acc, %f : vector<8xf32>
      affine.yield %n : vector<8xf32>
    }
    %sum = vector.reduction <add>, %r : vector<8xf32> into f32
    %e = vector.extract %r[3] : f32 from vector<8xf32>
    %tot = arith.addf %sum, %e : f32
    affine.store %tot, %s[%i] : memref<4xf32>
  }
  func.return
}

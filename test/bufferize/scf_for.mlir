// RUN: mlopt %s --split-input-file --verify-diagnostics -p bufferize | filecheck %s

#id = affine_map<(d0) -> (d0)>

// A time loop: the state (iter_arg %h, init a dead tensor.empty+fill) and the
// output being filled (iter_arg %y, init a dead tensor.empty) live in one
// buffer each for the whole loop; the loop is an affine.for without
// iter_args.  extract_slice/insert_slice at the dynamic offset %t (and
// 3 - %t, an affine.apply) index their copy loops with it.  The new state is
// computed in place into the state's buffer; the returned buffer is the
// out-param.
// CHECK-LABEL: func.func @scan
// CHECK-SAME:    (%[[X:.*]]: memref<4x2xf32>, %[[OUT:.*]]: memref<4x2xf32>)
// CHECK:         %[[H:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    linalg.fill {{.*}} outs(%[[H]] : memref<2xf32>)
// CHECK-NEXT:    %[[XT:.*]] = memref.alloc() : memref<1x2xf32>
// CHECK-NEXT:    affine.for %[[T:.*]] = 0 to 4 {
// CHECK-NEXT:      %[[R:.*]] = affine.apply affine_map<(d0) -> (((d0 * -1) + 3))> (%[[T]])
// CHECK:             %[[V:.*]] = affine.load %[[X]][%{{.*}} + %[[R]], %{{.*}}] : memref<4x2xf32>
// CHECK-NEXT:        affine.store %[[V]], %[[XT]][%{{.*}}, %{{.*}}] : memref<1x2xf32>
// CHECK:           %[[XC:.*]] = memref.collapse_shape %[[XT]]
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[XC]] : memref<2xf32>) outs(%[[H]] : memref<2xf32>)
// CHECK:           %[[HE:.*]] = memref.expand_shape %[[H]]
// CHECK:               %[[W:.*]] = affine.load %[[HE]][%{{.*}}, %{{.*}}] : memref<1x2xf32>
// CHECK-NEXT:          affine.store %[[W]], %[[OUT]][%{{.*}} + %[[T]], %{{.*}}] : memref<4x2xf32>
// CHECK-NOT:       memref.copy
// CHECK:         memref.dealloc %[[XT]]
// CHECK-NEXT:    memref.dealloc %[[H]]
// CHECK-NEXT:    func.return
func.func @scan(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %h0 = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %y0 = tensor.empty() : tensor<4x2xf32>
  %r:2 = scf.for %t = %c0 to %c4 step %c1 iter_args(%y = %y0, %h = %h0) -> (tensor<4x2xf32>, tensor<2xf32>) {
    %rt = affine.apply affine_map<(d0) -> (3 - d0)>(%t)
    %xs = tensor.extract_slice %x[%rt, 0] [1, 2] [1, 1] : tensor<4x2xf32> to tensor<1x2xf32>
    %xt = tensor.collapse_shape %xs [[0, 1]] : tensor<1x2xf32> into tensor<2xf32>
    %hn = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%xt : tensor<2xf32>) outs(%h : tensor<2xf32>) {
    ^bb0(%a: f32, %o: f32):
      %s = arith.addf %a, %o : f32
      linalg.yield %s : f32
    } -> tensor<2xf32>
    %row = tensor.expand_shape %hn [[0, 1]] output_shape [1, 2] : tensor<2xf32> into tensor<1x2xf32>
    %yn = tensor.insert_slice %row into %y[%t, 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<4x2xf32>
    scf.yield %yn, %hn : tensor<4x2xf32>, tensor<2xf32>
  }
  func.return %r#0 : tensor<4x2xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
#rev = affine_map<(d0) -> (1 - d0)>

// The init %a is a function argument (read-only) and is read after the loop:
// the loop's buffer is a copy of it.  The body's value from above (%b) is
// never written; the yielded value is in a buffer of its own (the generic
// reads %h reversed, so it cannot write over it, nor over %b), so it is
// copied into the iter_arg's buffer.  The
// body's temporary is allocated once, before the loop.
// CHECK-LABEL: func.func @copy_in
// CHECK-SAME:    (%[[A:.*]]: memref<2xf32>, %[[B:.*]]: memref<2xf32>, %[[OUT0:.*]]: memref<2xf32>, %[[OUT1:.*]]: memref<2xf32>)
// CHECK:         "memref.copy"(%[[A]], %[[OUT0]])
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    affine.for %{{.*}} = 0 to 3 {
// CHECK-NEXT:      linalg.generic {{.*}} ins(%[[OUT0]], %[[B]] : memref<2xf32>, memref<2xf32>) outs(%[[T]] : memref<2xf32>)
// CHECK:           "memref.copy"(%[[T]], %[[OUT0]])
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.dealloc %[[T]]
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[OUT1]])
func.func @copy_in(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c0 = arith.constant 0 : index
  %c3 = arith.constant 3 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %t = %c0 to %c3 step %c1 iter_args(%h = %a) -> (tensor<2xf32>) {
    %e = tensor.empty() : tensor<2xf32>
    %hn = linalg.generic {indexing_maps = [#rev, #id, #id], iterator_types = ["parallel"]} ins(%h, %b : tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<2xf32>) {
    ^bb0(%p: f32, %q: f32, %o: f32):
      %s = arith.mulf %p, %q : f32
      linalg.yield %s : f32
    } -> tensor<2xf32>
    scf.yield %hn : tensor<2xf32>
  }
  func.return %r, %a : tensor<2xf32>, tensor<2xf32>
}

// -----

func.func @dynamic_bounds(%a: tensor<2xf32>, %n: index) -> tensor<2xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error@+1 {{'scf.for' op has bounds that are not constants}}
  %r = scf.for %t = %c0 to %n step %c1 iter_args(%h = %a) -> (tensor<2xf32>) {
    scf.yield %h : tensor<2xf32>
  }
  func.return %r : tensor<2xf32>
}

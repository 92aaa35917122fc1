// An input with no operations (only comments) is an empty module, like MLIR;
// so is an empty chunk after a trailing split marker.
// RUN: mlopt %s | filecheck %s
// RUN: mlopt %s --split-input-file | filecheck %s --check-prefix=SPLIT

// CHECK: builtin.module {
// CHECK-NEXT: }

// SPLIT: builtin.module {
// SPLIT-NEXT: }
// SPLIT-NEXT: // -----
// SPLIT-NEXT: builtin.module {
// SPLIT-NEXT: }

// -----

// The custom forms xDSL 0.75 prints for these ops (inherent attributes in the
// attribute dictionary), which upstream MLIR no longer parses.
llvm.func @old(%q: !llvm.ptr, %w: f32) {
  %0 = llvm.fmul %w, %w {fastmathFlags = #llvm.fastmath<contract>} : f32
  %1 = llvm.fcmp "olt" %w, %w {fastmathFlags = #llvm.fastmath<nnan>} : f32
  %2 = llvm.intr.fma(%w, %w, %w) {fastmathFlags = #llvm.fastmath<fast>} : (f32, f32, f32) -> f32
  %3 = llvm.load %q {alignment = 4 : i64} : !llvm.ptr -> f32
  llvm.store %w, %q {alignment = 4 : i64, note} : f32, !llvm.ptr
  llvm.return
}

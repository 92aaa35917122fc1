"""One-line descriptions of xDSL passes whose classes carry no docstring, for
``mlopt --list-passes`` (a pass's own docstring always wins).

Written for mlopt from each pass's source (xDSL 0.75); when xDSL adds a
docstring, that one is shown instead and the entry here is unused.
"""

from __future__ import annotations

XDSL_PASS_DOCS: dict[str, str] = {
    # generic
    "cse": "Eliminate common subexpressions.",
    "dce": "Remove dead operations (side-effect free ops whose results are unused).",
    "lower-affine": "Lower affine.for/if/load/store/apply to scf, arith and memref.",
    "reconcile-unrealized-casts": "Fold and remove chains of builtin.unrealized_conversion_cast.",
    "loop-hoist-memref": "Hoist loop-invariant memref loads and stores out of loops.",
    "frontend-desymrefy": "Remove the symref dialect's symbol declarations, reads and writes, "
    "using SSA values instead.",
    "jax-use-donated-arguments": "Write a JAX function's results into its donated (aliasable) "
    "argument buffers where the types match (option: drop the matched outputs).",
    # pdl / equality saturation
    "apply-pdl": "Apply the rewrite patterns of a PDL file.",
    "apply-pdl-interp": "Apply the rewrites of a pdl_interp matcher module (from a file or "
    "the input) to the IR.",
    "apply-eqsat-pdl-interp": "Apply pdl_interp rewrites to an e-graph (the eqsat dialect) "
    "until saturation or max-iterations rounds.",
    "convert-pdl-interp-to-eqsat-pdl-interp": "Rewrite a pdl_interp matcher so that it "
    "matches and records rewrites over e-classes (for apply-eqsat-pdl-interp).",
    "eqsat-serialize-egraph": "Print the e-graph of the eqsat dialect as JSON on stdout "
    "(the IR is unchanged).",
    # ptr / printf / gpu
    "convert-ptr-to-llvm": "Lower the ptr dialect to llvm.",
    "convert-ptr-type-offsets": "Replace ptr.type_offset by the constant byte size of the type.",
    "convert-vector-to-ptr": "Lower vector.load/store on memrefs to ptr-dialect loads and "
    "stores at computed addresses.",
    "printf-to-llvm": "Lower printf.print_format to calls to the C printf.",
    "printf-to-putchar": "Lower printf of characters to putchar calls.",
    "scf-parallel-loop-tiling": "Tile scf.parallel loops by the given tile sizes.",
    "gpu-map-parallel-loops": "Map scf.parallel loops to GPU processor dimensions.",
    "memref-to-gpu": "Convert memref allocations to gpu allocations.",
    # memref_stream
    "convert-linalg-to-memref-stream": "Convert linalg.generic on memrefs to "
    "memref_stream.generic (streaming access patterns for Snitch).",
    # RISC-V / Snitch backend
    "convert-arith-to-riscv": "Lower integer and float arith ops (constants, casts, "
    "arithmetic, comparisons) to riscv instructions.",
    "convert-arith-to-riscv-snitch": "Lower arith addf/subf/mulf on 2 x f32 vectors to "
    "Snitch's packed-SIMD riscv_snitch instructions.",
    "convert-func-to-riscv-func": "Lower func.func, func.call and func.return to riscv_func "
    "with the RISC-V calling convention.",
    "convert-memref-to-riscv": "Lower memref alloc/dealloc, load/store, globals and subviews "
    "to riscv instructions (malloc/free calls).",
    "convert-print-format-to-riscv-debug": "Lower printf.print_format to riscv_debug.printf.",
    "convert-ptr-to-riscv": "Lower the ptr dialect (pointer arithmetic, loads, stores) to "
    "riscv instructions.",
    "convert-riscv-scf-to-riscv-cf": "Lower riscv_scf.for loops to riscv branches and labels.",
    "convert-scf-to-riscv-scf": "Lower scf.for and scf.yield to riscv_scf.",
    "convert-snitch-stream-to-snitch": "Lower snitch_stream streaming regions to Snitch's "
    "stream configuration and enable/disable instructions.",
    "lower-riscv-func": "Lower riscv_func.syscall to riscv instructions (option: an exit "
    "syscall before main's return).",
    # x86 backend
    "convert-arith-to-x86": "Lower arith constants and binary ops to x86 instructions.",
    "convert-func-to-x86-func": "Lower func.func and func.return to x86_func with the x86-64 "
    "calling convention (option arch: the vector ISA).",
    "convert-ptr-to-x86": "Lower ptr-dialect pointer arithmetic, loads and stores to x86 "
    "instructions for the given arch.",
    "convert-scf-to-x86-scf": "Lower scf.for and scf.yield to x86_scf.",
    "convert-vector-to-x86": "Lower vector.broadcast and vector.fma to x86 vector "
    "instructions for the given arch.",
    "convert-x86-scf-to-x86": "Lower x86_scf.for loops to x86 compares, jumps and labels.",
    "x86-prologue-epilogue-insertion": "Insert the prologue and epilogue of x86 functions: "
    "save and restore the callee-saved registers they clobber.",
    # stencil / distributed memory / MPI / HLS / CSL
    "canonicalize-dmp": "Canonicalize dmp.swap: drop exchanges of zero elements, and swaps "
    "left with none.",
    "dmp-to-mpi": "Lower the dmp dialect's halo exchanges to MPI calls (mpi dialect).",
    "lower-mpi": "Lower the mpi dialect to llvm calls of the MPI library.",
    "stencil-inlining": "Inline a stencil.apply into the stencil.apply that consumes its "
    "results.",
    "stencil-unroll": "Unroll the body of stencil.apply by the given unroll factors.",
    "stencil-tensorize-z-dimension": "Turn the z dimension of stencil fields into tensor "
    "elements (each x-y point carries a tensor of z values).",
    "convert-stencil-to-csl-stencil": "Convert stencil.apply to csl_stencil with prefetched "
    "neighbour data (for Cerebras CSL).",
    "convert-stencil-to-ll-mlir": "Lower the stencil dialect to memref and scf.parallel loops.",
    "hls-convert-stencil-to-ll-mlir": "Lower the stencil dialect to HLS streams and "
    "pipelined loops for FPGAs.",
    "lower-hls": "Lower the hls dialect (streams, pragmas, dataflow) to llvm calls and "
    "loops for Xilinx HLS.",
    "replace-incompatible-fpga": "Replace math ops the FPGA toolchain lacks (copysign, "
    "maximumf, absf) by calls to Xilinx's math library.",
}

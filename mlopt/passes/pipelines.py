"""Named pipelines from the ONNX, tensor or affine level down to the llvm dialect.

``onnx-to-llvm`` (and ``onnx-to-llvm-O0`` .. ``-O3``), ``tensor-to-llvm`` and
``affine-to-llvm`` are passes whose body is a textual pipeline (see
:func:`mlopt.passes.pipeline.make_pipeline_pass`). The ``-O<n>`` variants differ
only in the IR-level passes they run; the LLVM optimisation level itself is an
argument of the backend (``compile_model(opt_level=...)``, ``mlopt-run -O``).

The stage lists are also used by :mod:`mlopt.backends.runtime` to time each
stage of a compilation.
"""

from __future__ import annotations

from mlopt.passes.pipeline import make_pipeline_pass

# onnx-decompose expands the function-defined ops that convert-onnx-to-tensor does
# not lower natively (Attention, RMSNormalization, the losses, ...); shape
# inference runs again to type the ops it creates.
# onnx-upgrade first: onnx-mlir's versioned and extension ops become current ONNX ops.
# onnx-quantized-to-integer before onnx-constant-fold, which would fold the
# quantized weights' DequantizeLinear into float constants.
QUANTIZED = "onnx-quantized-to-integer"
ONNX_OPT = (
    "onnx-upgrade,onnx-shape-inference,onnx-decompose,onnx-shape-inference,"
    f"{QUANTIZED},onnx-constant-fold,onnx-canonicalize"
)
ONNX_TO_TENSOR = "convert-onnx-to-tensor"
# tensor-level loop-nest optimisation (fusion/, affine_opt/ engineer): -O2/-O3 only
TENSOR_OPT = "linalg-fuse-elementwise,linalg-collapse-dims,linalg-interchange,fp-contract"
BUFFERIZE = "bufferize"
# contraction kernels (kernels/): -O2/-O3 only; the runtime sizes them for the
# target.  Three passes: the register tile chosen and recorded on the op, the
# constant weights packed into panels of that tile, then the vector code.
SELECT_TILES = "kernel-select-tiles"
PACK_WEIGHTS = "kernel-pack-weights"
CONTRACTION = "linalg-contraction-to-vector"
KERNELS = f"{SELECT_TILES},{PACK_WEIGHTS},{CONTRACTION}"
# legalize-affine-indices: the affine level stays valid for upstream MLIR (the
# kernels' affine.min tile origins are not affine dimensions there)
LINALG_TO_AFFINE = "convert-linalg-to-affine"
LEGALIZE_AFFINE = "legalize-affine-indices"
# the scalar reductions left by linalg-to-affine as vector code (-O2/-O3 only;
# the runtime sizes it for the target: see linalg_to_affine_for)
REDUCTIONS = "affine-vectorize-reductions"
# f32 exp as a polynomial the loop vectoriser can widen (llvm.exp is a libm call
# per element): -O2/-O3 only, like the reductions
EXP = "math-approximate-exp"
TENSOR_TO_AFFINE = f"{LINALG_TO_AFFINE},{EXP},{REDUCTIONS},{LEGALIZE_AFFINE}"
TENSOR_TO_AFFINE_NO_OPT = f"{LINALG_TO_AFFINE},{LEGALIZE_AFFINE}"
AFFINE_TO_LLVM = ",".join(
    [
        "lower-index-checks",  # before outlining: the status buffer is captured like any buffer
        "outline-parallel-loops",
        "lower-affine",
        "convert-scf-to-cf",
        "convert-vector-to-llvm",
        "convert-arith-to-llvm",
        "convert-math-to-llvm",
        "convert-memref-to-llvm",
        "convert-func-to-llvm",
        "convert-cf-to-llvm",
        "reconcile-unrealized-casts",
    ]
)

# profiling (compile_model(profile=True) only): its own stage "profile" right
# before affine-to-llvm (so before lower-index-checks and outline-parallel-loops),
# with convert-onnx-to-tensor{node-names=true}; see mlopt.backends.profiling
PROFILE = "profile-nodes"

# (stage name, pipeline text), in order; a level's pipeline is a suffix of this.
STAGES: list[tuple[str, str]] = [
    ("onnx-opt", ONNX_OPT),
    ("onnx-to-tensor", ONNX_TO_TENSOR),
    ("tensor-opt", TENSOR_OPT),
    ("bufferize", BUFFERIZE),
    ("kernels", KERNELS),
    ("linalg-to-affine", TENSOR_TO_AFFINE),
    ("affine-to-llvm", AFFINE_TO_LLVM),
]

LEVEL_START = {"onnx": 0, "tensor": 2, "affine": 6, "llvm": 7}

# Stages that only optimise (dropped at -O0/-O1).
OPT_STAGES = frozenset({"tensor-opt", "kernels"})


def stages_from(level: str) -> list[tuple[str, str]]:
    """The stages that lower a module at ``level`` (onnx|tensor|affine|llvm)."""
    return STAGES[LEVEL_START[level] :]


def _join(stages: list[tuple[str, str]]) -> str:
    return ",".join(text for _, text in stages)


def _without_opt(stages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (name, TENSOR_TO_AFFINE_NO_OPT if text == TENSOR_TO_AFFINE else text)
        for name, text in stages
        if name not in OPT_STAGES
    ]


def linalg_to_affine_for(threads: int = 1, vector_width: int | None = None) -> str:
    """The linalg-to-affine stage with large elementwise nests split over
    ``threads``, and with reductions vectorised ``vector_width`` lanes wide
    and f32 exp as a polynomial (None: neither, as at -O0/-O1)."""
    lower = LINALG_TO_AFFINE if threads <= 1 else f"{LINALG_TO_AFFINE}{{threads={threads}}}"
    if vector_width is None:
        return f"{lower},{LEGALIZE_AFFINE}"
    return f"{lower},{EXP},{REDUCTIONS}{{vector-width={vector_width}}},{LEGALIZE_AFFINE}"


def kernels_for(target_cpu: str | None, threads: int = 1) -> str:
    """The kernels stage sized for ``target_cpu`` (None: this machine), its
    outer loops split over ``threads`` threads."""
    from mlopt.backends.llvm.target import vector_shape

    vs = vector_shape(target_cpu)
    extra = f" threads={threads}" if threads > 1 else ""
    sizes = f"vector-width={vs.lanes} registers={vs.registers}"
    vnni = f" vnni={int(vs.vnni_lanes(vs.lanes))}"  # explicit: a cross-compile ignores the host
    return f"{SELECT_TILES}{{{sizes}}},{PACK_WEIGHTS},{CONTRACTION}{{{sizes}{vnni}{extra}}}"


def sized_stages(target_cpu: str | None = None, threads: int = 1, optimise: bool = True) -> dict[str, str]:
    """The texts of the stages that depend on the target and the thread count
    (stage name -> pipeline text), as the runtime compiles: kernels and
    vectorised reductions for ``target_cpu``'s vector width (None: this
    machine) when ``optimise`` (-O2/-O3), work split over ``threads``."""
    if not optimise:
        return {"linalg-to-affine": linalg_to_affine_for()}
    from mlopt.backends.llvm.target import vector_shape

    vs = vector_shape(target_cpu)
    sized = {}
    if vs.vnni_lanes(vs.lanes):
        # int8 convolutions as byte dot products (vpdpbusd) rather than exact f32
        sized["onnx-opt"] = ONNX_OPT.replace(QUANTIZED, f"{QUANTIZED}{{integer-dot=true}}")
    return sized | {
        "kernels": kernels_for(target_cpu, threads),
        "linalg-to-affine": linalg_to_affine_for(threads, vector_shape(target_cpu).lanes),
    }


ONNX_TO_LLVM = _join(stages_from("onnx"))
ONNX_TO_LLVM_NO_OPT = _join(_without_opt(stages_from("onnx")))
TENSOR_TO_LLVM = _join(stages_from("tensor"))

OnnxToLLVM = make_pipeline_pass(
    "onnx-to-llvm", ONNX_TO_LLVM, "ONNX dialect (static input shapes) -> llvm dialect."
)
OnnxToLLVM_O0 = make_pipeline_pass(
    "onnx-to-llvm-O0", ONNX_TO_LLVM_NO_OPT, "onnx-to-llvm for -O0 (no tensor-opt or kernels stage)."
)
OnnxToLLVM_O1 = make_pipeline_pass(
    "onnx-to-llvm-O1", ONNX_TO_LLVM_NO_OPT, "onnx-to-llvm for -O1 (no tensor-opt or kernels stage)."
)
OnnxToLLVM_O2 = make_pipeline_pass(
    "onnx-to-llvm-O2", ONNX_TO_LLVM, "onnx-to-llvm for -O2 (same IR passes)."
)
OnnxToLLVM_O3 = make_pipeline_pass(
    "onnx-to-llvm-O3", ONNX_TO_LLVM, "onnx-to-llvm for -O3 (same IR passes)."
)
TensorToLLVM = make_pipeline_pass(
    "tensor-to-llvm", TENSOR_TO_LLVM, "Tensor level (linalg on tensors) -> llvm dialect."
)
AffineToLLVM = make_pipeline_pass(
    "affine-to-llvm", AFFINE_TO_LLVM, "Affine level (memref + affine loops) -> llvm dialect."
)

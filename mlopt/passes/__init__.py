"""mlopt's own passes and named pipelines.

Each entry maps a pass name to a factory returning the pass class; a pass whose
name matches an xDSL pass replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from xdsl.passes import ModulePass

# pass name -> "module:ClassName", relative to mlopt.passes
_PASSES: dict[str, str] = {
    "onnx-shape-inference": "onnx_opt.shape_inference:OnnxShapeInferencePass",
    "onnx-constant-fold": "onnx_opt.constant_fold:OnnxConstantFoldPass",
    "onnx-canonicalize": "onnx_opt.canonicalize:OnnxCanonicalizePass",
    "onnx-quantized-to-integer": "onnx_opt.quantized:OnnxQuantizedToIntegerPass",
    "onnx-decompose": "onnx_opt.decompose:OnnxDecomposePass",
    "onnx-upgrade": "onnx_opt.upgrade:OnnxUpgradePass",
    "convert-onnx-to-tensor": "onnx_to_tensor:ConvertOnnxToTensor",
    "canonicalize": "canonicalize:CanonicalizePass",
    # backend (LLVM lowering) engineer
    "lower-affine": "lower_affine:LowerAffinePass",
    "convert-arith-to-llvm": "to_llvm.arith:ConvertArithToLLVMPass",
    "convert-math-to-llvm": "to_llvm.math:ConvertMathToLLVMPass",
    "convert-memref-to-llvm": "to_llvm.memref:ConvertMemRefToLLVMPass",
    "convert-func-to-llvm": "to_llvm.func:ConvertFuncToLLVMPass",
    "convert-cf-to-llvm": "to_llvm.cf:ConvertCfToLLVMPass",
    "convert-scf-to-cf": "to_llvm.scf_to_cf:ConvertScfToCfPass",
    "convert-vector-to-llvm": "to_llvm.vector:ConvertVectorToLLVMPass",
    "onnx-to-llvm": "pipelines:OnnxToLLVM",
    "onnx-to-llvm-O0": "pipelines:OnnxToLLVM_O0",
    "onnx-to-llvm-O1": "pipelines:OnnxToLLVM_O1",
    "onnx-to-llvm-O2": "pipelines:OnnxToLLVM_O2",
    "onnx-to-llvm-O3": "pipelines:OnnxToLLVM_O3",
    "tensor-to-llvm": "pipelines:TensorToLLVM",
    "affine-to-llvm": "pipelines:AffineToLLVM",
    "bufferize": "bufferize:BufferizePass",
    "convert-linalg-to-affine": "linalg_to_affine:ConvertLinalgToAffinePass",
    "legalize-affine-indices": "affine_legalize:LegalizeAffineIndicesPass",
    "linalg-interchange": "affine_opt:LinalgInterchangePass",
    "linalg-fuse-elementwise": "fusion:LinalgFuseElementwisePass",
    "fp-contract": "affine_opt.contract:FpContractPass",
    "affine-vectorize-reductions": "affine_opt.reductions:AffineVectorizeReductionsPass",
    "math-approximate-exp": "math_approx:MathApproximateExpPass",
    "linalg-collapse-dims": "affine_opt.collapse:LinalgCollapseDimsPass",
    "linalg-contraction-to-vector": "kernels:LinalgContractionToVectorPass",
    "kernel-select-tiles": "kernels.plan:KernelSelectTilesPass",
    "kernel-pack-weights": "kernels.plan:KernelPackWeightsPass",
    "outline-parallel-loops": "kernels.parallel:OutlineParallelLoopsPass",
    "lower-index-checks": "index_checks:LowerIndexChecksPass",
    "profile-nodes": "profile:ProfileNodesPass",
}


def _lazy(spec: str) -> Callable[[], type[ModulePass]]:
    module, cls = spec.split(":")

    def factory() -> type[ModulePass]:
        return getattr(import_module(f"mlopt.passes.{module}"), cls)

    return factory


def get_mlopt_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Name -> factory for every pass and named pipeline mlopt defines."""
    return {name: _lazy(spec) for name, spec in _PASSES.items()}

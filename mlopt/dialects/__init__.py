"""mlopt's own dialects (the ONNX dialects and extension ops)."""

from __future__ import annotations

from collections.abc import Callable

from xdsl.ir import Dialect

import mlopt.dialects.mlir_syntax  # noqa: F401  (upstream MLIR's custom syntax for llvm/memref ops)


def get_mlopt_dialects() -> dict[str, Callable[[], Dialect]]:
    """Name -> factory for every dialect mlopt defines."""

    def get_onnx() -> Dialect:
        from mlopt.dialects.onnx import ONNX

        return ONNX

    def get_onnx_ml() -> Dialect:
        from mlopt.dialects.onnx import ONNX_ML

        return ONNX_ML

    def get_mlopt() -> Dialect:
        from mlopt.dialects.mlopt import MLOPT

        return MLOPT

    def get_llvm() -> Dialect:
        from mlopt.dialects.llvm_casts import llvm_dialect

        return llvm_dialect()

    return {"onnx": get_onnx, "onnx_ml": get_onnx_ml, "mlopt": get_mlopt, "llvm": get_llvm}

"""``convert-onnx-to-tensor``: ONNX ops -> linalg.generic / tensor / arith / math.

One module per op family registers its lowerings (see :mod:`.common`); the
pass lives in :mod:`.convert`.
"""

from mlopt.passes.onnx_to_tensor.convert import ConvertOnnxToTensor, supported_op_names

__all__ = ["ConvertOnnxToTensor", "supported_op_names"]

"""ONNX-level passes: shape inference, constant folding, canonicalization and
decomposition of function-defined ops (all on the onnx dialect, contract A)."""

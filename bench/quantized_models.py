#!/usr/bin/env python3
"""Quantized variants of the realistic light models, made by onnxruntime's quantizer.

``quantized(name, fmt)`` returns the path of ``bench/.models/<name>.<fmt>.onnx``,
built on first use from ``realistic_models.realistic(name)`` (a light model)
or ``compile_models.model_path(name)`` (``transformer_l<L>``, ``gru_tagger_s<S>`` ...):

* ``dynamic``: ``quantize_dynamic`` (uint8 weights per tensor: the activations
  are quantized at run time by ``DynamicQuantizeLinear`` and the Convs and
  MatMuls become ``ConvInteger``/``MatMulInteger``);
* ``qdq``: ``quantize_static`` in QDQ format (``QuantizeLinear`` ->
  ``DequantizeLinear`` pairs around float ops), per-tensor, uint8 activations,
  int8 weights;
* ``qop``: ``quantize_static`` in QOperator format (``QLinearConv``,
  ``QLinearMatMul``, ``QLinearAdd`` ...), the same types;
* ``qdq-pc`` / ``qop-pc``: as above with per-channel weight scales;
* ``qdq-s8`` : QDQ with int8 activations (symmetric weights and activations).

Calibration: ``CALIBRATION_SAMPLES`` seeded standard-normal inputs (MinMax).

``reduce_range=True`` quantizes the weights to 7 bits (the quantizer's option
for x86 CPUs without VNNI: onnxruntime's u8s8 kernels there sum pairs of
products in saturating int16, ``vpmaddubsw``, which is exact only for 7-bit
weights); the file is ``<name>.<fmt>.rr.onnx``.

    python bench/quantized_models.py [model ...]   # build, print a summary
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnx.numpy_helper
import onnx.version_converter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compile_models  # noqa: E402
from realistic_models import CACHE, light_models, model_inputs, realistic  # noqa: E402

FORMATS = ("dynamic", "qdq", "qop", "qdq-pc", "qop-pc", "qdq-s8")
CALIBRATION_SAMPLES = 8


class _Reader:
    """onnxruntime.quantization's CalibrationDataReader over seeded inputs."""

    def __init__(self, model: onnx.ModelProto) -> None:
        self._feeds = iter([model_inputs(model, seed=100 + i) for i in range(CALIBRATION_SAMPLES)])

    def get_next(self):
        return next(self._feeds, None)

    def rewind(self) -> None:  # onnxruntime >= 1.17 may call it
        pass


def _quantize(src: Path, dst: Path, fmt: str, reduce_range: bool) -> None:
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_dynamic, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
        # the light models are opset 8/9 and IR version 3 (an initializer is also
        # a graph input, which onnxruntime then treats as overridable, not
        # constant): the quantizer wants opset 13 (per-axis DequantizeLinear)
        model = onnx.load(str(pre))
        inits = {i.name for i in model.graph.initializer}
        keep = [i for i in model.graph.input if i.name not in inits]
        del model.graph.input[:]
        model.graph.input.extend(keep)
        model.ir_version = max(model.ir_version, 7)
        opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
        if opset < 13:
            model = onnx.version_converter.convert_version(model, 13)
        onnx.save(model, str(pre))
        if fmt == "dynamic":
            quantize_dynamic(str(pre), str(dst), weight_type=QuantType.QUInt8, reduce_range=reduce_range)
            return
        quantize_static(
            str(pre),
            str(dst),
            _Reader(model),
            quant_format=QuantFormat.QDQ if fmt.startswith("qdq") else QuantFormat.QOperator,
            per_channel=fmt.endswith("-pc"),
            activation_type=QuantType.QInt8 if fmt.endswith("-s8") else QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            reduce_range=reduce_range,
            extra_options={"ActivationSymmetric": True, "WeightSymmetric": True} if fmt.endswith("-s8") else {},
        )


def quantized(name: str, fmt: str, reduce_range: bool = False) -> Path:
    """Path of the ``fmt`` quantized version of model ``name``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    out = CACHE / f"{name}.{fmt}{'.rr' if reduce_range else ''}.onnx"
    if out.exists():
        return out
    src = compile_models.model_path(name) if compile_models.is_model(name) else realistic(name)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")  # parallel test workers may build it at once
    _quantize(src, tmp, fmt, reduce_range)
    onnx.checker.check_model(str(tmp))
    tmp.replace(out)
    return out


def output_step(model: onnx.ModelProto) -> float | None:
    """The quantization step of the model's first output: the scale of the
    DequantizeLinear (an initializer) that makes it; None for a float output."""
    out = model.graph.output[0].name
    inits = {t.name: t for t in model.graph.initializer}
    for n in model.graph.node:
        if out in n.output and n.op_type == "DequantizeLinear" and n.input[1] in inits:
            return float(onnx.numpy_helper.to_array(inits[n.input[1]]).reshape(-1)[0])
    return None


def main(argv: list[str]) -> int:
    import onnxruntime as ort

    names = argv or list(light_models())
    for name in names:
        for fmt in FORMATS:
            path = quantized(name, fmt)
            model = onnx.load(str(path))
            ops = sorted({n.op_type for n in model.graph.node if "Quant" in n.op_type or "Integer" in n.op_type or n.op_type.startswith("QLinear")})
            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            out = sess.run(None, model_inputs(model))[0]
            print(f"{name:<14} {fmt:<8} output std {float(np.std(out)):.3g}  {' '.join(ops)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

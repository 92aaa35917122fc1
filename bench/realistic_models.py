#!/usr/bin/env python3
"""The light model-zoo models with realistic weights, for benchmarks and tests.

The light models in the onnx wheel make every weight with a ``ConstantOfShape``
of 0.02, so their activations are uniform and a wrong kernel can still "match".
``realistic(name)`` returns the same graph with each of those replaced by a
seeded random initializer:

* Conv/Gemm weights: normal, scaled by fan-in (He: std = sqrt(2 / fan_in));
* biases and BatchNormalization shifts: normal, std 0.1;
* BatchNormalization scales: uniform in [0.5, 1.5]; mean and variance are
  then recalibrated on a random input (onnxruntime runs the graph with the BN
  inputs as outputs, in waves of the BNs whose inputs no uncalibrated BN
  feeds), so every normalised activation has mean ~0 and variance ~1;
* anything else: normal, std 0.1.

Models are written once to ``bench/.models/`` (not committed) and reused.

    python bench/realistic_models.py            # build all, print a summary
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import helper, numpy_helper

LIGHT_DIR = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"
CACHE = Path(__file__).resolve().parent / ".models"
SEED = 20261201


def light_models() -> dict[str, Path]:
    out = {}
    for p in sorted(LIGHT_DIR.glob("light_*.onnx")):
        out[p.stem[len("light_") :].replace("bvlc_", "")] = p
    return out


def model_inputs(model: onnx.ModelProto, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded standard-normal inputs (negative values included) for the graph inputs."""
    rng = np.random.default_rng(seed)
    inits = {i.name for i in model.graph.initializer}
    feeds = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in vi.type.tensor_type.shape.dim)
        feeds[vi.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds


def _randomise(model: onnx.ModelProto, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """Replace the ConstantOfShape weights; returns the BatchNormalization
    (input, mean, var) names to calibrate."""
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    consumers: dict[str, list[tuple[onnx.NodeProto, int]]] = {}
    for n in g.node:
        for k, name in enumerate(n.input):
            consumers.setdefault(name, []).append((n, k))
    keep, new_inits = [], []
    for n in g.node:
        if n.op_type != "ConstantOfShape" or n.input[0] not in inits:
            keep.append(n)
            continue
        shape = tuple(int(v) for v in numpy_helper.to_array(inits[n.input[0]]))
        uses = consumers.get(n.output[0], [])
        op, k = uses[0] if uses else (None, -1)
        kind = (op.op_type if op is not None else "", k)
        if kind in (("Conv", 1), ("ConvTranspose", 1)):
            fan_in = int(np.prod(shape[1:]))
            arr = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        elif kind == ("Gemm", 1) or kind == ("MatMul", 1):
            fan_in = shape[0] if len(shape) == 2 else int(np.prod(shape[1:]))
            if op is not None and any(a.name == "transB" and a.i for a in op.attribute):
                fan_in = shape[1]
            arr = rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)
        else:
            arr = rng.standard_normal(shape) * 0.1
        new_inits.append(numpy_helper.from_array(arr.astype(np.float32), n.output[0]))
    del g.node[:]
    g.node.extend(keep)
    used = {name for node in g.node for name in node.input}
    kept_inits = [i for i in g.initializer if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept_inits + new_inits)
    # graph inputs that were only shapes of ConstantOfShape are gone
    live = {i.name for i in g.initializer} | used
    ins = [vi for vi in g.input if vi.name in live]
    if model.ir_version < 4:  # initializers must also be graph inputs there
        listed = {vi.name for vi in ins}
        ins += [
            helper.make_tensor_value_info(i.name, i.data_type, list(i.dims))
            for i in new_inits
            if i.name not in listed
        ]
    del g.input[:]
    g.input.extend(ins)
    # BatchNormalization parameters stored as plain initializers get the same
    # treatment (their stored statistics belong to other weights).
    inits = {i.name: i for i in g.initializer}
    bns = []
    for n in g.node:
        if n.op_type != "BatchNormalization" or not all(x in inits for x in n.input[1:5]):
            continue
        shape = tuple(inits[n.input[1]].dims)
        fresh = (rng.uniform(0.5, 1.5, shape), rng.standard_normal(shape) * 0.1, np.zeros(shape), np.ones(shape))
        for name, arr in zip(n.input[1:5], fresh, strict=True):
            inits[name].CopyFrom(numpy_helper.from_array(arr.astype(np.float32), name))
        bns.append((n.input[0], n.input[3], n.input[4]))
    return bns


def _calibrate(model: onnx.ModelProto, bns: list[tuple[str, str, str]], feeds) -> None:
    """Set each BatchNormalization's mean/variance to the statistics of its input,
    in graph order (each BN sees the ones before it already calibrated)."""
    import onnxruntime as ort

    inits = {i.name: i for i in model.graph.initializer}
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3
    pending = list(bns)
    while pending:
        probe = onnx.ModelProto()
        probe.CopyFrom(model)
        del probe.graph.output[:]
        for x, _, _ in pending:
            probe.graph.output.append(helper.make_empty_tensor_value_info(x))
        sess = ort.InferenceSession(probe.SerializeToString(), so, providers=["CPUExecutionProvider"])
        # The first pending BN's input is final; so is that of every pending BN
        # not downstream of another pending BN.
        ready = _independent(model, pending)
        values = sess.run([x for x, _, _ in ready], feeds)
        for (x, mean, var), a in zip(ready, values, strict=True):
            a = a.astype(np.float64)
            axes = tuple(i for i in range(a.ndim) if i != 1)
            m, v = a.mean(axis=axes), a.var(axis=axes) + 1e-3
            inits[mean].CopyFrom(numpy_helper.from_array(m.astype(np.float32), mean))
            inits[var].CopyFrom(numpy_helper.from_array(v.astype(np.float32), var))
        done = {x for x, _, _ in ready}
        pending = [b for b in pending if b[0] not in done]


def _independent(model: onnx.ModelProto, pending: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The pending BNs whose input does not depend on the output of a pending BN."""
    pending_in = {x for x, _, _ in pending}
    tainted: set[str] = set()
    for n in model.graph.node:
        if n.op_type == "BatchNormalization" and n.input[0] in pending_in:
            tainted.update(n.output)
        elif any(i in tainted for i in n.input):
            tainted.update(n.output)
    return [b for b in pending if b[0] not in tainted]


def realistic(name: str) -> Path:
    """Path of the realistic version of light model ``name`` (built on first use)."""
    out = CACHE / f"{name}.onnx"
    if out.exists():
        return out
    model = onnx.load(str(light_models()[name]))
    rng = np.random.default_rng(SEED + sum(map(ord, name)))
    bns = _randomise(model, rng)
    _calibrate(model, bns, model_inputs(model))
    onnx.checker.check_model(model)
    CACHE.mkdir(exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")  # parallel test workers may build it at once
    onnx.save(model, str(tmp))
    tmp.replace(out)
    return out


def main() -> int:
    import onnxruntime as ort

    for name in light_models():
        path = realistic(name)
        model = onnx.load(str(path))
        out = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, model_inputs(model))[0]
        print(f"{name:<14} {path}  output std {float(np.std(out)):.3g}, distinct values {len(np.unique(out))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

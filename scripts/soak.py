#!/usr/bin/env python3
"""Compile, call and drop models many times in one process; print the resident
memory (RSS) before and after, and the growth per cycle after warm-up.

    python scripts/soak.py [--cycles 1000] [--models digits,cnn,transformer] [--warmup 50]

Each cycle compiles one model (round robin over ``--models``), calls it once
on seeded random inputs, checks the output against the first cycle's, and
drops it (``del`` + ``gc.collect()``). Models: ``digits`` (the bundled MLP),
``cnn`` (Conv/BatchNorm/Relu/MaxPool/Gemm), ``transformer`` (one attention
block: MatMul, Softmax, LayerNormalization, Gelu-free MLP), all with seeded
random weights. Exit status 1 when the growth exceeds ``--limit-kb`` per cycle.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import mlopt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from realistic_models import model_inputs as inputs_for  # noqa: E402  (seeded standard-normal inputs)


def rss_kb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1024


def _init(rng: np.random.Generator, name: str, *shape: int) -> TensorProto:
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.2).astype(np.float32), name)


def cnn_model(seed: int = 0) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    f = TensorProto.FLOAT
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization", ["c1", "g", "be", "mu", "var"], ["n1"]),
        helper.make_node("Relu", ["n1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], strides=[2, 2], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Flatten", ["r2"], ["fl"]),
        helper.make_node("Gemm", ["fl", "wf", "bf"], ["y"], transB=1),
    ]
    inits = [
        _init(rng, "w1", 16, 3, 3, 3), _init(rng, "b1", 16),
        _init(rng, "g", 16), _init(rng, "be", 16), _init(rng, "mu", 16),
        numpy_helper.from_array(rng.uniform(0.5, 1.5, 16).astype(np.float32), "var"),
        _init(rng, "w2", 32, 16, 3, 3), _init(rng, "wf", 10, 32 * 4 * 4), _init(rng, "bf", 10),
    ]
    graph = helper.make_graph(
        nodes, "cnn", [helper.make_tensor_value_info("x", f, [1, 3, 17, 17])],
        [helper.make_tensor_value_info("y", f, [1, 10])], initializer=inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def transformer_model(seed: int = 0, seq: int = 7, dim: int = 32, heads: int = 4) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    f = TensorProto.FLOAT
    hd = dim // heads
    shape = numpy_helper.from_array(np.array([seq, heads, hd], np.int64), "shape")
    back = numpy_helper.from_array(np.array([seq, dim], np.int64), "back")
    scale = numpy_helper.from_array(np.array(1 / np.sqrt(hd), np.float32), "scale")
    nodes = []
    for p in "qkv":
        nodes += [
            helper.make_node("MatMul", ["x", f"w{p}"], [f"{p}0"]),
            helper.make_node("Reshape", [f"{p}0", "shape"], [f"{p}1"]),
            helper.make_node("Transpose", [f"{p}1"], [f"{p}"], perm=[1, 2, 0] if p == "k" else [1, 0, 2]),
        ]
    nodes += [
        helper.make_node("MatMul", ["q", "k"], ["s0"]),
        helper.make_node("Mul", ["s0", "scale"], ["s1"]),
        helper.make_node("Softmax", ["s1"], ["a"], axis=-1),
        helper.make_node("MatMul", ["a", "v"], ["o0"]),
        helper.make_node("Transpose", ["o0"], ["o1"], perm=[1, 0, 2]),
        helper.make_node("Reshape", ["o1", "back"], ["o2"]),
        helper.make_node("MatMul", ["o2", "wo"], ["o3"]),
        helper.make_node("Add", ["o3", "x"], ["h0"]),
        helper.make_node("LayerNormalization", ["h0", "ln_g", "ln_b"], ["h1"], axis=-1),
        helper.make_node("MatMul", ["h1", "w_up"], ["u0"]),
        helper.make_node("Relu", ["u0"], ["u1"]),
        helper.make_node("MatMul", ["u1", "w_down"], ["u2"]),
        helper.make_node("Add", ["u2", "h1"], ["y"]),
    ]
    inits = [shape, back, scale, _init(rng, "wo", dim, dim), _init(rng, "ln_g", dim), _init(rng, "ln_b", dim),
             _init(rng, "w_up", dim, 4 * dim), _init(rng, "w_down", 4 * dim, dim)]
    inits += [_init(rng, f"w{p}", dim, dim) for p in "qkv"]
    graph = helper.make_graph(
        nodes, "transformer", [helper.make_tensor_value_info("x", f, [seq, dim])],
        [helper.make_tensor_value_info("y", f, [seq, dim])], initializer=inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def digits_model() -> onnx.ModelProto:
    return onnx.load(str(Path(mlopt.__file__).parent / "data" / "digits_mlp.onnx"))


MODELS = {"digits": digits_model, "cnn": cnn_model, "transformer": transformer_model}


def soak(names: list[str], cycles: int, warmup: int, opt_level: int = 3) -> tuple[float, float, float]:
    """(RSS after warm-up kB, RSS at the end kB, kB per cycle after warm-up)."""
    models = {n: MODELS[n]() for n in names}
    feeds = {n: inputs_for(m) for n, m in models.items()}
    first: dict[str, np.ndarray] = {}
    start = rss_kb()
    for i in range(cycles):
        name = names[i % len(names)]
        compiled = mlopt.compile(models[name], opt_level=opt_level)
        out = next(iter(compiled.run(feeds[name]).values()))
        if name not in first:
            first[name] = out
        elif not np.array_equal(out, first[name]):
            raise AssertionError(f"cycle {i}: {name} gave a different result")
        del compiled, out
        gc.collect()
        if i + 1 == warmup:
            start = rss_kb()
    end = rss_kb()
    return start, end, (end - start) / max(1, cycles - warmup)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cycles", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=50)
    ap.add_argument("--models", default="digits,cnn,transformer")
    ap.add_argument("-O", dest="opt_level", type=int, default=3)
    ap.add_argument("--limit-kb", type=float, default=20.0)
    args = ap.parse_args()
    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in MODELS]
    if unknown:
        ap.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    before = rss_kb()
    t = time.perf_counter()
    start, end, per = soak(names, args.cycles, args.warmup, args.opt_level)
    print(
        f"{args.cycles} cycles of {','.join(names)} (-O{args.opt_level}) in {time.perf_counter() - t:.0f} s: "
        f"RSS {before / 1024:.1f} MB at start, {start / 1024:.1f} MB after {args.warmup} warm-up cycles, "
        f"{end / 1024:.1f} MB at the end: {per:.2f} kB per cycle after warm-up"
    )
    return 0 if per <= args.limit_kb else 1


if __name__ == "__main__":
    sys.exit(main())

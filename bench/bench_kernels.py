#!/usr/bin/env python3
"""Microbenchmarks of single kernels: mlopt vs onnxruntime, side by side.

Each kernel is a tiny ONNX model built here (MatMul, Gemm+Relu, Conv+Relu,
an elementwise chain, ...). Both run in this one process on the same inputs,
onnxruntime with one intra-op thread (mlopt's code is single-threaded). Prints
median latency of each, the ratio mlopt/ort (< 1: mlopt faster) and checks the
outputs agree (rtol 1e-3, atol 1e-4).

    python bench/bench_kernels.py                  # all kernels, -O3
    python bench/bench_kernels.py matmul conv -n 20
    python bench/bench_kernels.py --baseline       # also mlopt without the tensor-opt stage
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def _model(nodes, inputs, outputs, inits=()) -> onnx.ModelProto:
    g = helper.make_graph(nodes, "k", inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m


def _vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))


def _init(name, arr):
    return numpy_helper.from_array(arr.astype(np.float32), name)


def matmul(m=256, k=256, n=256):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((k, n)) * 0.1
    return _model(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        [_vi("x", (m, k))], [_vi("y", (m, n))], [_init("w", w)],
    )


def gemm_relu(m=128, k=512, n=256):
    rng = np.random.default_rng(1)
    w = rng.standard_normal((k, n)) * 0.05
    b = rng.standard_normal((n,))
    return _model(
        [
            helper.make_node("MatMul", ["x", "w"], ["t"]),
            helper.make_node("Add", ["t", "b"], ["u"]),
            helper.make_node("Relu", ["u"], ["y"]),
        ],
        [_vi("x", (m, k))], [_vi("y", (m, n))], [_init("w", w), _init("b", b)],
    )


def conv_relu(c=32, f=64, hw=56, ks=3):
    rng = np.random.default_rng(2)
    w = rng.standard_normal((f, c, ks, ks)) * 0.05
    b = rng.standard_normal((f,))
    return _model(
        [
            helper.make_node("Conv", ["x", "w", "b"], ["t"], pads=[ks // 2] * 4),
            helper.make_node("Relu", ["t"], ["y"]),
        ],
        [_vi("x", (1, c, hw, hw))], [_vi("y", (1, f, hw, hw))], [_init("w", w), _init("b", b)],
    )


def conv1x1(c=64, f=128, hw=28):
    rng = np.random.default_rng(3)
    w = rng.standard_normal((f, c, 1, 1)) * 0.05
    return _model(
        [helper.make_node("Conv", ["x", "w"], ["y"])],
        [_vi("x", (1, c, hw, hw))], [_vi("y", (1, f, hw, hw))], [_init("w", w)],
    )


def conv_small(c=64, f=256, hw=13, ks=3):
    """A late-layer 3x3 convolution: small spatial size, many channels."""
    return conv_relu(c, f, hw, ks)


def conv1x1_small(c=512, f=1000, hw=13):
    return conv1x1(c, f, hw)


def eltwise(n=1 << 20):
    return _model(
        [
            helper.make_node("Add", ["x", "z"], ["a"]),
            helper.make_node("Mul", ["a", "x"], ["b"]),
            helper.make_node("Relu", ["b"], ["c"]),
            helper.make_node("Sub", ["c", "z"], ["y"]),
        ],
        [_vi("x", (n,)), _vi("z", (n,))], [_vi("y", (n,))],
    )


KERNELS = {
    "matmul": matmul,
    "gemm_relu": gemm_relu,
    "conv_relu": conv_relu,
    "conv1x1": conv1x1,
    "conv_small": conv_small,
    "conv1x1_small": conv1x1_small,
    "eltwise": eltwise,
}


def _feeds(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    out = {}
    for vi in model.graph.input:
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        out[vi.name] = rng.standard_normal(shape).astype(np.float32)
    return out


def _time(fn, runs: int) -> tuple[float, float]:
    """(median, min) seconds. On a loaded machine the min is the robust figure:
    a call that gets preempted takes a whole scheduler slice longer."""
    fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), min(ts)


def _compile(model, opt_level: int, tensor_opt: bool):
    import mlopt
    from mlopt.passes import pipelines

    orig = pipelines.stages_from
    if not tensor_opt:
        pipelines.stages_from = lambda level: [s for s in orig(level) if s[0] != "tensor-opt"]
    try:
        return mlopt.compile(model, opt_level=opt_level)
    finally:
        pipelines.stages_from = orig


def bench(name: str, runs: int, opt_level: int, baseline: bool) -> dict:
    import onnxruntime as ort

    model = KERNELS[name]()
    feeds = _feeds(model)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    ref = sess.run(None, feeds)
    args = list(feeds.values())
    r = {"name": name, "ok": True}
    for key, tensor_opt in (("mlopt", True), ("base", False)):
        if key == "base" and not baseline:
            continue
        t0 = time.perf_counter()
        compiled = _compile(model, opt_level, tensor_opt)
        got = compiled(*args)
        r[f"{key}_compile"] = time.perf_counter() - t0
        r["ok"] &= all(np.allclose(g, x, rtol=1e-3, atol=1e-4) for g, x in zip(got, ref))
        r[key] = _time(lambda: compiled(*args), runs)
    r["ort"] = _time(lambda: sess.run(None, feeds), runs)
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernels", nargs="*", help=f"kernels (default all: {', '.join(KERNELS)})")
    ap.add_argument("-n", "--runs", type=int, default=20)
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    ap.add_argument("--baseline", action="store_true", help="also time mlopt without the tensor-opt stage")
    args = ap.parse_args(argv)
    names = args.kernels or list(KERNELS)
    bad = [n for n in names if n not in KERNELS]
    if bad:
        print(f"unknown kernels {bad}", file=sys.stderr)
        return 1
    print(f"mlopt -O{args.opt_level} vs onnxruntime (1 thread), {args.runs} runs, ms; ratio of the mins")
    base_hdr = f"{'base min':>10}{'base/ort':>9}" if args.baseline else ""
    print(f"{'kernel':<12}{'compile s':>10}{'mlopt med':>10}{'mlopt min':>10}{'ort med':>10}{'ort min':>10}{'mlopt/ort':>11}{base_hdr}  check")
    rows = []
    for n in names:
        r = bench(n, args.runs, args.opt_level, args.baseline)
        rows.append(r)
        base = f"{r['base'][1] * 1e3:>10.3f}{r['base'][1] / r['ort'][1]:>9.2f}" if args.baseline else ""
        print(
            f"{n:<12}{r['mlopt_compile']:>10.2f}{r['mlopt'][0] * 1e3:>10.3f}{r['mlopt'][1] * 1e3:>10.3f}"
            f"{r['ort'][0] * 1e3:>10.3f}{r['ort'][1] * 1e3:>10.3f}"
            f"{r['mlopt'][1] / r['ort'][1]:>11.2f}{base}  {'ok' if r['ok'] else 'MISMATCH'}",
            flush=True,
        )
    geo = float(np.exp(np.mean([np.log(r["mlopt"][1] / r["ort"][1]) for r in rows])))
    print(f"geometric mean mlopt/ort: {geo:.2f}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Microbenchmarks of single kernels: mlopt vs onnxruntime, side by side.

Each kernel is a tiny ONNX model built here (MatMul, Gemm+Relu, Conv+Relu,
an elementwise chain, ...). Both run in this one process on the same inputs,
onnxruntime with one intra-op thread (mlopt's code is single-threaded). Prints
median latency of each, the ratio mlopt/ort (< 1: mlopt faster) and checks the
outputs agree (rtol 1e-3, atol 1e-4).

    python bench/bench_kernels.py                  # all kernels, -O3
    python bench/bench_kernels.py matmul conv -n 20
    python bench/bench_kernels.py --pipeline 'onnx-to-llvm'   # override the IR pipeline
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
    "eltwise": eltwise,
}


def _feeds(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(42)
    out = {}
    for vi in model.graph.input:
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        out[vi.name] = rng.standard_normal(shape).astype(np.float32)
    return out


def _time(fn, runs: int) -> float:
    fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def bench(name: str, runs: int, opt_level: int, pipeline: str | None) -> dict:
    import onnxruntime as ort

    import mlopt
    from mlopt.backends import runtime

    model = KERNELS[name]()
    feeds = _feeds(model)
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    t0 = time.perf_counter()
    if pipeline:
        kw = {"pipeline": pipeline} if "pipeline" in runtime.compile_model.__code__.co_varnames else {}
        compiled = mlopt.compile(model, opt_level=opt_level, **kw)
    else:
        compiled = mlopt.compile(model, opt_level=opt_level)
    args = list(feeds.values())
    got = compiled(*args)
    compile_s = time.perf_counter() - t0
    ref = sess.run(None, feeds)
    ok = all(np.allclose(g, r, rtol=1e-3, atol=1e-4) for g, r in zip(got, ref))
    ml = _time(lambda: compiled(*args), runs)
    ox = _time(lambda: sess.run(None, feeds), runs)
    return {"name": name, "compile": compile_s, "mlopt": ml, "ort": ox, "ok": ok}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernels", nargs="*", help=f"kernels (default all: {', '.join(KERNELS)})")
    ap.add_argument("-n", "--runs", type=int, default=20)
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    ap.add_argument("--pipeline", default=None, help="IR pipeline override (if the runtime supports it)")
    args = ap.parse_args(argv)
    names = args.kernels or list(KERNELS)
    bad = [n for n in names if n not in KERNELS]
    if bad:
        print(f"unknown kernels {bad}", file=sys.stderr)
        return 1
    print(f"mlopt -O{args.opt_level} vs onnxruntime (1 thread), median of {args.runs}, ms")
    print(f"{'kernel':<12}{'compile s':>10}{'mlopt':>10}{'ort':>10}{'mlopt/ort':>11}  check")
    rows = []
    for n in names:
        r = bench(n, args.runs, args.opt_level, args.pipeline)
        rows.append(r)
        print(
            f"{n:<12}{r['compile']:>10.2f}{r['mlopt'] * 1e3:>10.3f}{r['ort'] * 1e3:>10.3f}"
            f"{r['mlopt'] / r['ort']:>11.2f}  {'ok' if r['ok'] else 'MISMATCH'}",
            flush=True,
        )
    geo = float(np.exp(np.mean([np.log(r["mlopt"] / r["ort"]) for r in rows])))
    print(f"geometric mean mlopt/ort: {geo:.2f}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

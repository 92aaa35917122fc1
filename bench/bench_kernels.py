#!/usr/bin/env python3
"""Microbenchmarks of single kernels: mlopt vs onnxruntime, side by side.

Each kernel is a tiny ONNX model built here (MatMul, Gemm+Relu, Conv+Relu,
an elementwise chain, ...). Both run in this one process on the same inputs,
with the same thread count (``--threads``, default 1). Prints median latency
of each, the ratio mlopt/ort (< 1: mlopt faster), mlopt's GFLOP/s of the
contractions and their share of the machine's f32 FMA peak (vector lanes x 2
FMA units x 2 flops x clock x threads; clock from /proc/cpuinfo), and checks the
outputs agree (rtol 1e-3, atol 1e-4).

    python bench/bench_kernels.py                  # all kernels, -O3
    python bench/bench_kernels.py matmul conv -n 20
    python bench/bench_kernels.py --baseline       # also mlopt without the tensor-opt stage
    python bench/bench_kernels.py --threads 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

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


def matmul512():
    return matmul(512, 512, 512)


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


def conv_rgb(f=64, hw=224):
    """An input layer: 3x3 stride 2 on an RGB image (squeezenet's conv1)."""
    rng = np.random.default_rng(4)
    w = rng.standard_normal((f, 3, 3, 3)) * 0.1
    out = (hw - 3) // 2 + 1
    return _model(
        [helper.make_node("Conv", ["x", "w"], ["y"], strides=[2, 2])],
        [_vi("x", (1, 3, hw, hw))], [_vi("y", (1, f, out, out))], [_init("w", w)],
    )


def maxpool_pad(c=64, hw=112):
    """resnet50's 3x3 stride 2 MaxPool with padding 1."""
    out = (hw + 2 - 3) // 2 + 1
    return _model(
        [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])],
        [_vi("x", (1, c, hw, hw))], [_vi("y", (1, c, out, out))],
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


def reduce_rows(rows=512, n=1000):
    """ReduceSum over the last axis (a contiguous reduction per row)."""
    axes = helper.make_tensor("axes", onnx.TensorProto.INT64, [1], [-1])
    return _model(
        [helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=0)],
        [_vi("x", (rows, n))], [_vi("y", (rows,))], [axes],
    )


def softmax(rows=512, n=1000):
    return _model([helper.make_node("Softmax", ["x"], ["y"], axis=-1)], [_vi("x", (rows, n))], [_vi("y", (rows, n))])


KERNELS = {
    "matmul": matmul,
    "matmul512": matmul512,
    "gemm_relu": gemm_relu,
    "conv_relu": conv_relu,
    "conv1x1": conv1x1,
    "conv_small": conv_small,
    "conv1x1_small": conv1x1_small,
    "conv_rgb": conv_rgb,
    "maxpool_pad": maxpool_pad,
    "eltwise": eltwise,
    "reduce_rows": reduce_rows,
    "softmax": softmax,
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


def _compile(model, opt_level: int, tensor_opt: bool, threads: int):
    import mlopt
    from mlopt.passes import pipelines

    orig = pipelines.stages_from
    if not tensor_opt:
        pipelines.stages_from = lambda level: [s for s in orig(level) if s[0] not in pipelines.OPT_STAGES]
    try:
        return mlopt.compile(model, opt_level=opt_level, num_threads=threads)
    finally:
        pipelines.stages_from = orig


def _macs(model) -> int:
    """Multiply-adds of the model's MatMul/Gemm/Conv nodes (0 for other kernels)."""
    shapes = {vi.name: [d.dim_value for d in vi.type.tensor_type.shape.dim] for vi in model.graph.input}
    shapes.update({i.name: list(i.dims) for i in model.graph.initializer})
    total = 0
    for node in model.graph.node:
        if node.op_type == "MatMul":
            (m, k), (_, n) = shapes[node.input[0]], shapes[node.input[1]]
            total += m * k * n
        elif node.op_type == "Conv":
            x, w = shapes[node.input[0]], shapes[node.input[1]]
            pads = next((list(a.ints) for a in node.attribute if a.name == "pads"), [0, 0, 0, 0])
            oh = x[2] + pads[0] + pads[2] - w[2] + 1
            ow = x[3] + pads[1] + pads[3] - w[3] + 1
            total += x[0] * w[0] * w[1] * w[2] * w[3] * oh * ow
    return total


def _fma_units(lanes: int) -> int:
    """FMA instructions of the kernels' vector width issued per cycle: 2 (Intel
    AVX-512 servers, and 256-bit FMA on Zen 3/Zen 4), but 1 for 512-bit vectors
    on AMD family 25 (Zen 4 splits each into two 256-bit halves)."""
    vendor, family = "", -1
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("vendor_id"):
                    vendor = line.split(":")[1].strip()
                elif line.startswith("cpu family"):
                    family = int(line.split(":")[1])
                if vendor and family >= 0:
                    break
    except (OSError, ValueError):
        pass
    return 1 if vendor == "AuthenticAMD" and family == 25 and lanes >= 16 else 2


def peak_gflops(threads: int) -> float:
    """f32 FMA peak of this machine: lanes x FMA units x 2 flops x GHz x threads,
    at the clock /proc/cpuinfo reports (on a VM the nominal one: turbo runs
    above it, so %peak can exceed 100)."""
    from mlopt.backends.llvm.target import vector_shape

    ghz = 0.0
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    ghz = max(ghz, float(line.split(":")[1]) / 1000)
    except OSError:
        pass
    lanes = vector_shape().lanes
    return lanes * _fma_units(lanes) * 2 * (ghz or 2.0) * threads


def bench(name: str, runs: int, opt_level: int, baseline: bool, threads: int = 1) -> dict:
    import onnxruntime as ort

    model = KERNELS[name]()
    feeds = _feeds(model)
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    ref = sess.run(None, feeds)
    args = list(feeds.values())
    r = {"name": name, "ok": True}
    for key, tensor_opt in (("mlopt", True), ("base", False)):
        if key == "base" and not baseline:
            continue
        t0 = time.perf_counter()
        compiled = _compile(model, opt_level, tensor_opt, threads)
        got = compiled(*args)
        r[f"{key}_compile"] = time.perf_counter() - t0
        r["ok"] &= all(np.allclose(g, x, rtol=1e-3, atol=1e-4) for g, x in zip(got, ref))
        r[key] = _time(lambda: compiled(*args), runs)
    r["ort"] = _time(lambda: sess.run(None, feeds), runs)
    r["macs"] = _macs(model)
    return r


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kernels", nargs="*", help=f"kernels (default all: {', '.join(KERNELS)})")
    ap.add_argument("-n", "--runs", type=int, default=20)
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    ap.add_argument("--baseline", action="store_true", help="also time mlopt without the tensor-opt and kernels stages")
    ap.add_argument("--threads", type=int, default=1, help="threads for both engines (default 1)")
    args = ap.parse_args(argv)
    names = args.kernels or list(KERNELS)
    bad = [n for n in names if n not in KERNELS]
    if bad:
        print(f"unknown kernels {bad}", file=sys.stderr)
        return 1
    from mlopt.backends.llvm.target import vector_shape

    peak = peak_gflops(args.threads)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from machine import machine_line

    print(machine_line())
    print(
        f"mlopt -O{args.opt_level} vs onnxruntime ({args.threads} thread(s)), {args.runs} runs, ms; "
        f"ratio of the mins; peak {peak:.0f} GFLOP/s ({vector_shape().bits}-bit FMA)"
    )
    base_hdr = f"{'base min':>10}{'base/ort':>9}" if args.baseline else ""
    print(
        f"{'kernel':<14}{'compile s':>10}{'mlopt med':>10}{'mlopt min':>10}{'ort med':>10}{'ort min':>10}"
        f"{'mlopt/ort':>11}{'GFLOP/s':>9}{'ort':>7}{'%peak':>7}{base_hdr}  check"
    )
    rows = []
    for n in names:
        r = bench(n, args.runs, args.opt_level, args.baseline, args.threads)
        rows.append(r)
        base = f"{r['base'][1] * 1e3:>10.3f}{r['base'][1] / r['ort'][1]:>9.2f}" if args.baseline else ""
        gf = 2 * r["macs"] / r["mlopt"][1] / 1e9
        gf_ort = 2 * r["macs"] / r["ort"][1] / 1e9
        flops = f"{gf:>9.1f}{gf_ort:>7.1f}{100 * gf / peak:>6.0f}%" if r["macs"] else f"{'-':>9}{'-':>7}{'-':>7}"
        print(
            f"{n:<14}{r['mlopt_compile']:>10.2f}{r['mlopt'][0] * 1e3:>10.3f}{r['mlopt'][1] * 1e3:>10.3f}"
            f"{r['ort'][0] * 1e3:>10.3f}{r['ort'][1] * 1e3:>10.3f}"
            f"{r['mlopt'][1] / r['ort'][1]:>11.2f}{flops}{base}  {'ok' if r['ok'] else 'MISMATCH'}",
            flush=True,
        )
    geo = float(np.exp(np.mean([np.log(r["mlopt"][1] / r["ort"][1]) for r in rows])))
    print(f"geometric mean mlopt/ort: {geo:.2f}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())

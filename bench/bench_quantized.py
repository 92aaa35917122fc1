#!/usr/bin/env python3
"""Int8 latency: mlopt vs onnxruntime on the same quantized models, and vs mlopt's float build.

For each model and format (``bench/quantized_models.py``: dynamic, qdq, qop,
qdq-pc, qop-pc, qdq-s8), in this one process with the same thread count for
both engines, it prints the median latency of onnxruntime's int8 session,
mlopt's int8 build and mlopt's float build of the same (realistic random
weight) model, the ratios int8 mlopt/ort and mlopt int8/float (< 1: the int8
build is faster), and how far the outputs are apart (max |mlopt - ort| in
steps of the output's quantization scale, or relative to the output's largest
value for float outputs).

    python bench/bench_quantized.py                          # squeezenet, resnet50; qdq, qop
    python bench/bench_quantized.py squeezenet --formats qdq,qop-pc --threads 2 -n 20
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compile_models  # noqa: E402
import realistic_models  # noqa: E402
from bench_models import time_it  # noqa: E402
from quantized_models import FORMATS, output_step, quantized  # noqa: E402


def _float_path(name: str) -> Path:
    return compile_models.model_path(name) if compile_models.is_model(name) else realistic_models.realistic(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", default=["squeezenet", "resnet50"])
    ap.add_argument("--formats", default="qdq,qop", help=f"comma-separated, of {','.join(FORMATS)}")
    ap.add_argument("-n", "--runs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    import onnxruntime as ort

    import mlopt
    from machine import machine_line

    formats = [f for f in args.formats.split(",") if f]
    print(machine_line())
    print(f"mlopt -O{args.opt_level} vs onnxruntime {ort.__version__}, {args.threads} thread(s), "
          f"{args.runs} runs, median latencies in ms")  # fmt: skip
    header = (f"{'model':<12}{'format':<9}{'ort int8':>10}{'mlopt int8':>11}{'mlopt f32':>10}"
              f"{'int8 mlopt/ort':>16}{'mlopt int8/f32':>16}  output diff")  # fmt: skip
    rows = []
    for name in args.models:
        float_model = onnx.load(str(_float_path(name)))
        feeds = realistic_models.model_inputs(float_model)
        fcomp = mlopt.compile(float_model, opt_level=args.opt_level, num_threads=args.threads)
        args_f = list(feeds.values())
        f_ms = time_it(lambda: fcomp(*args_f), args.runs)[0] * 1e3
        for fmt in formats:
            path = quantized(name, fmt)
            model = onnx.load(str(path))
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = opts.inter_op_num_threads = args.threads
            sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            t0 = time.perf_counter()
            comp = mlopt.compile(model, opt_level=args.opt_level, num_threads=args.threads)
            got = comp(*args_f)
            compile_s = time.perf_counter() - t0
            ref = sess.run(None, feeds)[0]
            got = np.asarray(got[0] if isinstance(got, (list, tuple)) else got)
            step = output_step(model)
            diff = float(np.max(np.abs(got.astype(np.float64) - ref)))
            diff_txt = f"{diff / step:.0f} steps" if step else f"{diff / float(np.max(np.abs(ref))):.1e} rel"
            m_ms = time_it(lambda: comp(*args_f), args.runs)[0] * 1e3
            o_ms = time_it(lambda: sess.run(None, feeds), args.runs)[0] * 1e3
            rows.append((name, fmt, o_ms, m_ms, f_ms, diff_txt))
            print(f"{name} {fmt}: compile {compile_s:.1f} s", flush=True)
    print(header)
    for name, fmt, o_ms, m_ms, f_ms, diff_txt in rows:
        print(f"{name:<12}{fmt:<9}{o_ms:>10.2f}{m_ms:>11.2f}{f_ms:>10.2f}{m_ms / o_ms:>16.2f}{m_ms / f_ms:>16.2f}  {diff_txt}")
    if rows:
        geo = float(np.exp(np.mean([np.log(r[3] / r[2]) for r in rows])))
        print(f"geometric mean int8 mlopt/ort: {geo:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

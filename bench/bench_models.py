#!/usr/bin/env python3
"""Side-by-side latency of mlopt and onnxruntime on the same models and inputs.

Both run in this one process, on the same input arrays, with the same thread
count (1 unless ``--threads``: onnxruntime's intra-op threads, mlopt's
``num_threads``). For each model it prints the compile
time per stage, the median and min latency of each, and the ratio mlopt/ort
(< 1 means mlopt is faster). The outputs are compared too (rtol 1e-3, atol 1e-4).

    python bench/bench_models.py                        # digits MLP + the 9 light models
    python bench/bench_models.py digits squeezenet -n 20 -O3
    python bench/bench_models.py --list

Models: ``digits`` (examples/digits, batch of 100 samples), the light model-zoo
models of the onnx wheel (``alexnet`` … ``zfnet512``) with seeded random weights
(``bench/realistic_models.py``; ``--constant-weights`` for the shipped all-0.02
ones), and two of this project's own (``bench/compile_models.py``): a
transformer encoder (``transformer_l2``: attention, Softmax, LayerNormalization,
MLP) and a depthwise-separable CNN (``dwsep_cnn``), on seeded standard-normal
inputs. The geometric mean is printed over the 9 light models (the issue's
target) and over every model run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compile_models  # noqa: E402  (bench/ is not a package)
import realistic_models  # noqa: E402

#: this project's own models, beside the light model zoo
OWN_MODELS = ("transformer_l2", "dwsep_cnn")


def light_models(constant_weights: bool = False) -> dict[str, Path]:
    """name -> model path: the light models with realistic random weights
    (built on first use by bench/realistic_models.py), or as shipped."""
    paths = realistic_models.light_models()
    if constant_weights:
        return paths
    return {name: realistic_models.realistic(name) for name in paths}


def model_inputs(name: str, path: Path) -> dict[str, np.ndarray]:
    if name == "digits":
        from mlopt.data import digits_samples_path

        with np.load(digits_samples_path()) as d:
            return {"input": d["input"]}
    if name in OWN_MODELS:
        return compile_models.model_inputs(onnx.load(str(path)), seed=1)
    return realistic_models.model_inputs(onnx.load(str(path), load_external_data=False))


def time_it(fn, runs: int, warmup: int = 1) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def ms(sec: float) -> str:
    return f"{sec * 1e3:10.3f}"


def bench_one(name: str, path: Path, runs: int, threads: int, opt_level: int) -> dict:
    import onnxruntime as ort

    import mlopt

    feeds = model_inputs(name, path)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = threads
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    t0 = time.perf_counter()
    compiled = mlopt.compile(str(path), opt_level=opt_level, num_threads=threads)
    args = list(feeds.values())
    got = compiled(*args)  # the first call may specialise on the input shapes
    compile_s = time.perf_counter() - t0
    stages = dict(getattr(compiled, "stage_times", None) or {})

    ref = sess.run(None, feeds)
    got = list(got.values()) if isinstance(got, dict) else list(got)
    ok = len(got) == len(ref) and all(
        np.allclose(g, r, rtol=1e-3, atol=1e-4, equal_nan=True) for g, r in zip(got, ref)
    )
    ml_med, ml_min = time_it(lambda: compiled(*args), runs)
    ort_med, ort_min = time_it(lambda: sess.run(None, feeds), runs)
    return {
        "name": name,
        "compile_s": compile_s,
        "stages": stages,
        "mlopt": (ml_med, ml_min),
        "ort": (ort_med, ort_min),
        "ratio": ml_med / ort_med,
        "ok": ok,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", help="model names (default: all)")
    ap.add_argument("-n", "--runs", type=int, default=10, help="timed runs per model (default 10)")
    ap.add_argument("--threads", type=int, default=1, help="threads for both engines (default 1)")
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    ap.add_argument("--list", action="store_true", help="list the model names and exit")
    ap.add_argument("--constant-weights", action="store_true", help="the light models as shipped (all weights 0.02)")
    args = ap.parse_args(argv)

    from mlopt.data import digits_model_path

    if args.list:
        print("\n".join(["digits", *realistic_models.light_models(), *OWN_MODELS]))
        return 0
    catalogue = {
        "digits": digits_model_path(),
        **light_models(args.constant_weights),
        **{n: compile_models.model_path(n) for n in OWN_MODELS},
    }
    names = args.models or list(catalogue)
    unknown = [n for n in names if n not in catalogue]
    if unknown:
        print(f"bench_models: unknown model(s) {unknown}; try --list", file=sys.stderr)
        return 1
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    from machine import machine_line

    print(machine_line())
    print(f"mlopt -O{args.opt_level} vs onnxruntime, {args.threads} thread(s), {args.runs} runs, latencies in ms")
    header = f"{'model':<14}{'compile s':>10} {'mlopt med':>10} {'mlopt min':>10} {'ort med':>10} {'ort min':>10} {'mlopt/ort':>10}  check"
    rows = []
    for name in names:
        try:
            r = bench_one(name, catalogue[name], args.runs, args.threads, args.opt_level)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next model
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            print(f"{name}: failed: {type(exc).__name__}: {first}", flush=True)
            continue
        rows.append(r)
        if r["stages"]:
            stage_txt = ", ".join(f"{k} {v:.2f}s" for k, v in r["stages"].items())
            print(f"{name}: compile stages: {stage_txt}", flush=True)
    print(header)
    for r in rows:
        print(
            f"{r['name']:<14}{r['compile_s']:>10.2f} {ms(r['mlopt'][0])} {ms(r['mlopt'][1])} "
            f"{ms(r['ort'][0])} {ms(r['ort'][1])} {r['ratio']:>10.2f}  {'ok' if r['ok'] else 'MISMATCH'}"
        )
    light = set(realistic_models.light_models())
    for label, group in (("9 light models", [r for r in rows if r["name"] in light]), ("all models run", rows)):
        if group:
            geo = float(np.exp(np.mean([np.log(r["ratio"]) for r in group])))
            print(f"geometric mean mlopt/ort ({label}, {len(group)}): {geo:.2f}")
    return 0 if all(r["ok"] for r in rows) and len(rows) == len(names) else 1


if __name__ == "__main__":
    raise SystemExit(main())

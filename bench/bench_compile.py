#!/usr/bin/env python3
"""Cold compile time of mlopt per model and per stage (and IREE's, where installed).

Each model is compiled in a fresh Python process (``sys.executable``), so no
compile cache, parsed pipeline or imported module is shared between models:
the time includes the lazy imports a first ``mlopt.compile`` does. The child
runs ``mlopt.compile(path, opt_level=...)`` and then one call on seeded inputs
(a model whose inputs are value-specialised is compiled at that first call;
see ``mlopt/backends/runtime.py``), and reports ``compiled.stage_times``.

Columns: ONNX node count, ``total s`` (wall time of ``mlopt.compile`` plus
the first call), ``1st call`` (the first call alone), one column per key of
``stage_times`` (seconds; whatever keys the runtime reports, in its order; a
key with a ``:`` in its name or an integer value is a count, not a time, and
is printed as it is), and ``other`` (total minus the stage times: loading the
model, Python imports, JIT set-up, the call itself).

Where ``iree-compile`` is installed (``pip install mlopt-compiler[interop]``:
the ``iree-base-compiler`` wheel, with ``iree-import-onnx``), the same ONNX file
is also imported and compiled for the host CPU
(``iree-import-onnx m.onnx -o m.mlir``;
``iree-compile --iree-hal-target-backends=llvm-cpu --iree-llvmcpu-target-cpu=host``)
and ``mlopt/IREE`` is mlopt's total over IREE's import + compile (IREE's
compiler uses its own threads; a model below opset 17 is imported with
``--opset-version 17``, as IREE fails on some old-opset ops; ``--no-iree``
skips it). Where IREE fails, the reason is printed and the bench goes on.

    python bench/bench_compile.py                       # the 9 light models + the 6 below
    python bench/bench_compile.py --models gru_tagger_s16,transformer_l2 -O2 --json out.json
    python bench/bench_compile.py --list

Models: the light model-zoo models of the onnx wheel with seeded random weights
(``bench/realistic_models.py``) and the compile-bench models of
``bench/compile_models.py`` (``gru_tagger_s16/_s64``, ``lstm_classifier_s16/_s64``,
``transformer_l2/_l8``; any ``gru_tagger_s<S>``, ``lstm_classifier_s<S>``,
``transformer_l<L>`` is accepted).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import onnx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import compile_models  # noqa: E402  (bench/ is not a package)
import realistic_models  # noqa: E402

_MARK = "BENCH_COMPILE_RESULT "


def catalogue() -> list[str]:
    return [*realistic_models.light_models(), *compile_models.MODELS]


def model_path(name: str) -> Path:
    if compile_models.is_model(name):
        return compile_models.model_path(name)
    if name in realistic_models.light_models():
        return realistic_models.realistic(name)
    raise KeyError(name)


# -- the child: one cold compile ------------------------------------------------
def child(path: str, opt_level: int, threads: int) -> int:
    t0 = time.perf_counter()
    import mlopt

    import_s = time.perf_counter() - t0
    feeds = compile_models.model_inputs(onnx.load(path, load_external_data=False))
    try:
        t0 = time.perf_counter()
        options = {"num_threads": threads} if threads > 0 else {}  # 0: mlopt's default (every CPU)
        compiled = mlopt.compile(path, opt_level=opt_level, **options)
        compile_s = time.perf_counter() - t0
        lazy = not compiled.stage_times  # compiled at the first call (value-specialised inputs)
        t1 = time.perf_counter()
        compiled(*feeds.values())
        call_s = time.perf_counter() - t1
    except Exception as exc:  # noqa: BLE001 - one line for the parent's report
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        print(_MARK + json.dumps({"error": f"{type(exc).__name__}: {first}"}), flush=True)
        raise
    stages = {k: v for k, v in compiled.stage_times.items() if isinstance(v, int | float)}
    result = {"import_mlopt_s": import_s, "compile_s": compile_s, "first_call_s": call_s,
              "lazy": lazy, "stages": stages}
    print(_MARK + json.dumps(result), flush=True)
    return 0


def _first_line(text: str, default: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    errs = [ln for ln in lines if "error" in ln.lower()]
    if errs:  # the first error line says why; else the last line
        return errs[0][:200]
    return (lines[-1] if lines else default)[:200]


def compile_cold(path: Path, opt_level: int, threads: int, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(path), "-O", str(opt_level),
           "--threads", str(threads)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads)) if threads > 0 else dict(os.environ)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"timed out after {timeout:.0f} s") from None
    wall = time.perf_counter() - t0
    for line in proc.stdout.splitlines():
        if line.startswith(_MARK):
            out = json.loads(line[len(_MARK):])
            if "error" in out:
                raise RuntimeError(out["error"])
            out["process_s"] = wall
            return out
    # the child's last traceback line names the error
    tail = [ln for ln in proc.stderr.strip().splitlines() if ln.strip()]
    raise RuntimeError(tail[-1].strip() if tail else f"exit status {proc.returncode}")


# -- IREE -------------------------------------------------------------------------
def iree_tools() -> tuple[str, str] | None:
    """Paths of iree-import-onnx and iree-compile (PATH, then this interpreter's bin/)."""
    found = []
    for tool in ("iree-import-onnx", "iree-compile"):
        path = shutil.which(tool) or shutil.which(tool, path=str(Path(sys.executable).parent))
        if path is None:
            return None
        found.append(path)
    return found[0], found[1]


#: IREE's ONNX import does not legalise some ops of old opsets (MaxPool at opset 9:
#: "failed to legalize operation 'torch.operator'"), so older models are upgraded to this
IREE_MIN_OPSET = 17


def iree_compile(path: Path, tools: tuple[str, str], timeout: float, opset: int) -> dict:
    importer, compiler = tools
    upgrade = ["--opset-version", str(IREE_MIN_OPSET)] if opset < IREE_MIN_OPSET else []
    with tempfile.TemporaryDirectory(prefix="bench_compile_iree_") as tmp:
        mlir, vmfb = Path(tmp) / "model.mlir", Path(tmp) / "model.vmfb"
        steps = [
            ("import", [importer, *upgrade, str(path), "-o", str(mlir)]),
            ("compile", [compiler, "--iree-hal-target-backends=llvm-cpu", "--iree-llvmcpu-target-cpu=host",
                         str(mlir), "-o", str(vmfb)]),
        ]
        out: dict = {}
        for step, cmd in steps:
            t0 = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                return {**out, "error": f"iree {step}: timed out after {timeout:.0f} s"}
            out[f"{step}_s"] = time.perf_counter() - t0
            if proc.returncode != 0:
                why = _first_line(proc.stderr or proc.stdout, f"exit status {proc.returncode}")
                return {**out, "error": f"iree {step}: {why}"}
        return out


# -- the table --------------------------------------------------------------------
def _is_time(key: str, value: float) -> bool:
    return ":" not in key and not isinstance(value, int)


def _cell(value, width: int) -> str:
    if value is None:
        return f"{'-':>{width}}"
    if isinstance(value, int):
        return f"{value:>{width}d}"
    return f"{value:>{width}.2f}"


def print_table(rows: list[dict], with_iree: bool) -> None:
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r["stages"] if k not in keys]
    head = [("nodes", 6), ("total s", 8), ("1st call", 8)]
    head += [(k, max(len(k), 6)) for k in keys]
    head += [("other", 6)]
    if with_iree:
        head += [("iree imp", 8), ("iree comp", 9), ("mlopt/IREE", 10)]
    name_w = max([len("model"), *(len(r["model"]) for r in rows)]) + 1
    print(f"{'model':<{name_w}}" + " ".join(f"{h:>{w}}" for h, w in head))
    for r in rows:
        iree = r.get("iree") or {}
        cells = [r["nodes"], r["total_s"], r["first_call_s"], *(r["stages"].get(k) for k in keys), r["other_s"]]
        if with_iree:
            cells += [iree.get("import_s"), iree.get("compile_s"), r.get("ratio_iree")]
        print(f"{r['model']:<{name_w}}" + " ".join(_cell(v, w) for v, (_, w) in zip(cells, head)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", help="comma-separated model names (default: all; see --list)")
    ap.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    ap.add_argument("--threads", type=int, default=0,
                    help="mlopt num_threads of the compiled kernels (default 0: mlopt's default, every CPU)")
    ap.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    ap.add_argument("--no-iree", action="store_true", help="do not compile with IREE")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per model and compiler (default 1800)")
    ap.add_argument("--list", action="store_true", help="list the model names and exit")
    ap.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        return child(args.child, args.opt_level, args.threads)
    if args.list:
        print("\n".join(catalogue()))
        return 0
    names = [n.strip() for n in args.models.split(",") if n.strip()] if args.models else catalogue()
    light = realistic_models.light_models()
    unknown = [n for n in names if n not in light and not compile_models.is_model(n)]
    if unknown:
        print(f"bench_compile: unknown model(s) {unknown}; try --list", file=sys.stderr)
        return 1

    from machine import machine_line

    print(machine_line())
    tools = None if args.no_iree else iree_tools()
    print(f"mlopt -O{args.opt_level} cold compile (a fresh process per model) + first call, "
          f"{args.threads or 'default'} thread(s), times in s")
    if args.no_iree:
        print("IREE: skipped (--no-iree)")
    elif tools is None:
        print("IREE: not installed (no iree-compile / iree-import-onnx; pip install iree-base-compiler)")
    else:
        ver = subprocess.run([tools[1], "--version"], capture_output=True, text=True).stdout
        ver_line = next((ln.strip() for ln in ver.splitlines() if "IREE compiler version" in ln), "?")
        print(f"IREE: {ver_line}; llvm-cpu, target-cpu host, its own threads; "
              f"models below opset {IREE_MIN_OPSET} imported with --opset-version {IREE_MIN_OPSET}")
    rows: list[dict] = []
    failures: list[dict] = []
    for name in names:
        try:
            path = model_path(name)
            proto = onnx.load(str(path), load_external_data=False)
            nodes = len(proto.graph.node)
            opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 1)
            del proto
            r = compile_cold(path, args.opt_level, args.threads, args.timeout)
        except Exception as exc:  # noqa: BLE001 - report and go on with the next model
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            print(f"{name}: failed: {first}", flush=True)
            failures.append({"model": name, "error": first})
            continue
        total = r["compile_s"] + r["first_call_s"]
        timed = sum(v for k, v in r["stages"].items() if _is_time(k, v))
        row = {"model": name, "path": str(path), "nodes": nodes, "total_s": total, **r,
               "other_s": total - timed}
        if tools is not None:
            row["iree"] = iree_compile(path, tools, args.timeout, opset)
            if "error" in row["iree"]:
                print(f"{name}: {row['iree']['error']}", flush=True)
            else:
                row["ratio_iree"] = total / (row["iree"]["import_s"] + row["iree"]["compile_s"])
        lazy = " (compiled at the first call)" if r["lazy"] else ""
        print(f"{name}: {total:.2f} s{lazy}", flush=True)
        rows.append(row)
    print_table(rows, tools is not None)
    if args.json:
        Path(args.json).write_text(json.dumps(rows + failures, indent=1) + "\n")  # a failure: {model, error}
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""The compile cache and saved artefacts: what a second process pays.

Per model, with a fresh cache directory, three child processes (each a new
Python, ``sys.executable``, with ``mlopt`` and ``onnx`` imported before the
clock starts):

* ``cold``: ``mlopt.compile(path)`` with the cache empty -- a full compile,
  plus storing the entry;
* ``hit``: ``mlopt.compile(path)`` again -- the entry is found from the file's
  bytes and the options, checked (SHA-256 of every file) and linked;
* ``load``: ``mlopt.load(package)`` of a package saved by the cold child.

Each child then runs the model once on seeded inputs, and the hit's and the
load's outputs are compared with the cold compile's (bit for bit). Columns:
seconds of each, ``hit/cold`` and ``load/cold`` in percent, the package's size.

    python bench/bench_cache.py                      # resnet50, squeezenet, densenet121
    python bench/bench_cache.py --models resnet50 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import realistic_models  # noqa: E402  (bench/ is not a package)
from machine import machine_line  # noqa: E402

_MARK = "BENCH_CACHE_RESULT "

_CHILD = r"""
import json, sys, time
import numpy as np, onnx
import mlopt
sys.path.insert(0, {here!r})
from realistic_models import model_inputs
mode, path, package, out = sys.argv[1:5]
t0 = time.perf_counter()
if mode == "load":
    model = mlopt.load(package)
else:
    model = mlopt.compile(path)
seconds = time.perf_counter() - t0
if mode == "cold":
    mlopt.save(model, package, shared_library=False)
feeds = model_inputs(onnx.load(path, load_external_data=False))
outputs = model(**feeds)
np.savez(out, *outputs)
print({mark!r} + json.dumps({{"seconds": seconds, "stages": sorted(model.stage_times)}}))
"""


def _child(mode: str, path: Path, package: Path, out: Path, env: dict[str, str]) -> dict:
    script = _CHILD.format(here=str(HERE), mark=_MARK)
    proc = subprocess.run(
        [sys.executable, "-c", script, mode, str(path), str(package), str(out)],
        capture_output=True, text=True, env=env, timeout=1800,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} child failed: {proc.stderr.strip().splitlines()[-1:]}")
    line = next(line for line in proc.stdout.splitlines() if line.startswith(_MARK))
    return json.loads(line[len(_MARK):])


def _same(a: Path, b: Path) -> bool:
    import numpy as np

    with np.load(a) as x, np.load(b) as y:
        return x.files == y.files and all(np.array_equal(x[k], y[k]) for k in x.files)


def bench(name: str) -> dict:
    path = realistic_models.realistic(name)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = dict(os.environ, MLOPT_CACHE="1", MLOPT_CACHE_DIR=str(tmp_path / "cache"))
        package = tmp_path / "model.mlopt"
        outs = {m: tmp_path / f"{m}.npz" for m in ("cold", "hit", "load")}
        result = {m: _child(m, path, package, outs[m], env) for m in ("cold", "hit", "load")}
        assert "cache-load" in result["hit"]["stages"], result["hit"]
        size = sum(f.stat().st_size for f in package.rglob("*") if f.is_file())
        return {
            "model": name,
            "cold": result["cold"]["seconds"],
            "hit": result["hit"]["seconds"],
            "load": result["load"]["seconds"],
            "same": _same(outs["cold"], outs["hit"]) and _same(outs["cold"], outs["load"]),
            "package_mb": size / 1e6,
        }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default="resnet50,squeezenet,densenet121")
    ap.add_argument("--json", help="also write the rows to this file")
    args = ap.parse_args()
    print(machine_line())
    print(f"{'model':<12} {'cold s':>8} {'hit s':>8} {'load s':>8} {'hit/cold':>9} {'load/cold':>10} "
          f"{'package':>9}  outputs")
    rows = []
    for name in args.models.split(","):
        r = bench(name.strip())
        rows.append(r)
        print(f"{r['model']:<12} {r['cold']:>8.2f} {r['hit']:>8.3f} {r['load']:>8.3f} "
              f"{100 * r['hit'] / r['cold']:>8.1f}% {100 * r['load'] / r['cold']:>9.1f}% "
              f"{r['package_mb']:>7.1f}MB  {'identical' if r['same'] else 'DIFFER'}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0 if all(r["same"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

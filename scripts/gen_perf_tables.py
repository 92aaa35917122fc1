#!/usr/bin/env python3
"""Write the docs' result tables from the committed bench output.

The numbers in the tables are not typed: ``docs/bench/`` holds the output of
``bench/bench_models.py`` (one file per thread count),
``bench/bench_kernels.py``, ``bench/bench_compile.py`` and
``bench/bench_cache.py``, each starting with the command and the machine line
the scripts print, and this script renders them into the blocks between
``<!-- BEGIN <name> -->`` and ``<!-- END <name> -->`` in docs/performance.md
(and, for ``cache``, docs/artifacts.md):

* ``models``: model, ORT and mlopt median ms and their ratio at 1 and 2
  threads, mlopt's 2-thread speedup, the geometric means over the light
  models (digits, a 0.03 ms MLP, is listed but not in the mean) (``docs/bench/models-1.txt``, ``models-2.txt``);
* ``kernels``: the kernels table (``docs/bench/kernels.txt``);
* ``machine``: the machine line of each file;
* ``compile``: ``bench/bench_compile.py``'s output before and after the
  compile-time work (``docs/bench/compile-before.txt``, ``compile.txt``);
* ``cache`` (in docs/artifacts.md): cold compile, cache hit and
  ``mlopt.load`` times and the package size per model, with the machine
  (``docs/bench/cache.txt``).

    python scripts/gen_perf_tables.py           # rewrite the blocks
    python scripts/gen_perf_tables.py --check   # exit 1 if they are out of date

``test/test_doc_numbers.py`` runs the check.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
ARTIFACTS = ROOT / "docs" / "artifacts.md"
BENCH = ROOT / "docs" / "bench"


def _lines(name: str) -> list[str]:
    path = BENCH / name
    if not path.exists():
        raise SystemExit(f"gen_perf_tables: {path.relative_to(ROOT)} is missing (run the bench scripts, see its header)")
    return path.read_text().splitlines()


def machine(name: str) -> str:
    for line in _lines(name):
        if line.startswith("machine: "):
            return line[len("machine: "):]
    raise SystemExit(f"gen_perf_tables: docs/bench/{name} has no 'machine:' line")


def _result_rows(lines: list[str], first_column: str) -> list[list[str]]:
    """The fields of the result lines of a bench table: after its header (the
    line starting with ``first_column`` and naming ``mlopt med``), the
    geometric-mean line excluded."""
    rows: list[list[str]] = []
    header = False
    for line in lines:
        if line.startswith(first_column) and "mlopt med" in line:
            header = True
        elif header and not line.startswith("geometric mean"):
            rows.append(line.split())
    return rows


def model_rows(name: str) -> dict[str, tuple[float, float, str]]:
    """model -> (mlopt median ms, ORT median ms, check) from a bench_models output."""
    rows: dict[str, tuple[float, float, str]] = {}
    for parts in _result_rows(_lines(name), "model "):
        if len(parts) == 8:
            rows[parts[0]] = (float(parts[2]), float(parts[4]), parts[7])
    if not rows:
        raise SystemExit(f"gen_perf_tables: no result rows in docs/bench/{name}")
    return rows


def _ms(v: float) -> str:
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def _geo(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


#: bench_models rows that are not light model-zoo models (outside the geometric mean)
_NOT_LIGHT = frozenset({"digits", "transformer_l2", "dwsep_cnn"})


def models_table() -> str:
    one, two = model_rows("models-1.txt"), model_rows("models-2.txt")
    names = [n for n in one if n in two]
    out = [
        "| model | ORT ms (1 thr) | mlopt ms (1 thr) | ratio | ORT ms (2 thr) | mlopt ms (2 thr) | ratio | mlopt 2 thr / 1 thr |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    r1, r2 = [], []
    for n in names:
        (m1, o1, c1), (m2, o2, c2) = one[n], two[n]
        if n not in _NOT_LIGHT:  # the geometric mean is over the light models
            r1.append(m1 / o1)
            r2.append(m2 / o2)
        flag = "" if c1 == c2 == "ok" else " (outputs differ)"
        out.append(
            f"| {n}{flag} | {_ms(o1)} | {_ms(m1)} | {m1 / o1:.2f} | {_ms(o2)} | {_ms(m2)} | {m2 / o2:.2f} | {m1 / m2:.2f}x |"
        )
    out.append(f"| **geometric mean ({len(r1)} light models)** | | | **{_geo(r1):.2f}** | | | **{_geo(r2):.2f}** | |")
    return "\n".join(out)


def kernels_table() -> str:
    lines = _lines("kernels.txt")
    peak = next((ln for ln in lines if "GFLOP/s (" in ln and "peak" in ln), "")
    out = [
        "| kernel | mlopt min ms | ORT min ms | ratio | mlopt GFLOP/s | ORT GFLOP/s | mlopt % of peak |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in _result_rows(lines, "kernel "):
        if len(p) >= 10:
            out.append(f"| {p[0]} | {p[3]} | {p[5]} | {p[6]} | {p[7]} | {p[8]} | {p[9]} |")
    m = re.search(r"peak (\d+) GFLOP/s", peak)
    if m:
        out.append("")
        out.append(f"(peak as the script computes it: {m.group(1)} GFLOP/s)")
    return "\n".join(out)


def machine_block() -> str:
    files = ["models-1.txt", "models-2.txt", "kernels.txt"]
    seen = {machine(f) for f in files}
    if len(seen) == 1:
        return f"Machine (all three runs): {seen.pop()}."
    return "\n".join(f"* `docs/bench/{f}`: {machine(f)}" for f in files)


def compile_block() -> str:
    """The compile-time tables of ``bench/bench_compile.py``, before and after,
    as printed (their columns are the stages the runtime reports)."""
    out = []
    for name, title in (("compile-before.txt", "Before"), ("compile.txt", "After")):
        lines = _lines(name)
        out += [f"{title} (`docs/bench/{name}`, {machine(name)}):", "", "```", *lines, "```", ""]
    return "\n".join(out).rstrip()


def cache_table() -> str:
    """``bench/bench_cache.py``'s table: cold compile, hit and load seconds,
    hit / cold and the package size per model."""
    name = "cache.txt"
    out = [
        "| model | cold compile | cache hit | `mlopt.load` | hit / cold | package |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    header = False
    for line in _lines(name):
        parts = line.split()
        if line.startswith("model ") and "cold s" in line:
            header = True
        elif header and len(parts) == 8:
            model, cold, hit, load, hit_cold, _load_cold, package, outputs = parts
            flag = "" if outputs == "identical" else " (outputs differ)"
            size = re.sub(r"(?<=\d)(?=[KMG]B$)", " ", package)
            out.append(f"| {model}{flag} | {cold} s | {hit} s | {load} s | {hit_cold} | {size} |")
    if not header or len(out) == 2:
        raise SystemExit(f"gen_perf_tables: no result rows in docs/bench/{name}")
    out += ["", f"Machine: {machine(name)}."]
    return "\n".join(out)


# block name -> (the document it is in, what renders it)
BLOCKS = {
    "models": (DOC, models_table),
    "kernels": (DOC, kernels_table),
    "machine": (DOC, machine_block),
    "compile": (DOC, compile_block),
    "cache": (ARTIFACTS, cache_table),
}


def render(text: str, doc: Path = DOC) -> str:
    """``text`` (the contents of ``doc``) with its blocks rendered again."""
    for name, (where, fn) in BLOCKS.items():
        if where != doc:
            continue
        pat = re.compile(rf"(<!-- BEGIN {name} -->\n)(?:.*?\n)?(<!-- END {name} -->)", re.S)
        if not pat.search(text):
            raise SystemExit(f"gen_perf_tables: {doc.relative_to(ROOT)} has no '<!-- BEGIN {name} -->' block")
        text = pat.sub(lambda m: m.group(1) + fn() + "\n" + m.group(2), text)
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the blocks are not what the bench output gives")
    args = ap.parse_args(argv)
    stale = []
    for doc in dict.fromkeys(where for where, _ in BLOCKS.values()):
        text = doc.read_text()
        new = render(text, doc)
        if new == text:
            continue
        if args.check:
            stale.append(str(doc.relative_to(ROOT)))
        else:
            doc.write_text(new)
    if stale:
        print(f"{', '.join(stale)}: tables differ from docs/bench/ (run scripts/gen_perf_tables.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Measure the native memory llvmlite's new pass manager keeps per pipeline run
(see docs/upstream.md): resident memory growth per iteration after warm-up.

    python scripts/llvm_pass_leak.py [build|run|parse] [-n 300]
"""

from __future__ import annotations

import argparse
import gc

import llvmlite.binding as llvm

from mlopt.backends.llvm import _init_llvm, target_machine

IR = """define float @f(float* %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [0, %entry], [%j, %loop]
  %acc = phi float [0.0, %entry], [%a2, %loop]
  %q = getelementptr float, float* %p, i64 %i
  %v = load float, float* %q
  %a2 = fadd fast float %acc, %v
  %j = add i64 %i, 1
  %c = icmp slt i64 %j, %n
  br i1 %c, label %loop, label %exit
exit:
  ret float %a2
}"""


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, allow_abbrev=False)
    ap.add_argument("what", nargs="?", default="run", choices=["build", "run", "parse"])
    ap.add_argument("-n", type=int, default=300)
    args = ap.parse_args()
    _init_llvm()
    tm = target_machine(3, None, jit=True)
    start = 0.0
    for i in range(args.n):
        mod = llvm.parse_assembly(IR)
        if args.what != "parse":
            pto = llvm.create_pipeline_tuning_options(speed_level=3)
            pb = llvm.create_pass_builder(tm, pto)
            mpm = pb.getModulePassManager()
            if args.what == "run":
                mpm.run(mod, pb)
            del mpm, pb, pto
        del mod
        gc.collect()
        if i == args.n // 3:
            start = rss_mb()
    per = (rss_mb() - start) * 1e3 / (args.n - args.n // 3 - 1)
    print(f"{args.what}: {per:.1f} kB per iteration (llvmlite {llvm.llvm_version_info})")


if __name__ == "__main__":
    main()

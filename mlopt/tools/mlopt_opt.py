"""`mlopt`: the opt-style driver (minimal placeholder, being extended)."""

from __future__ import annotations

import argparse
import sys

import mlopt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="mlopt")
    ap.add_argument("input", nargs="?", default="-")
    ap.add_argument("-p", "--passes", default="")
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args(argv)
    text = sys.stdin.read() if args.input == "-" else open(args.input).read()
    ctx = mlopt.make_context()
    module = mlopt.parse(text, ctx, args.input)
    if args.passes:
        mlopt.run_pipeline(module, args.passes, ctx)
    out = mlopt.print_ir(module)
    if args.output == "-":
        sys.stdout.write(out)
    else:
        open(args.output, "w").write(out)
    return 0

#!/usr/bin/env bash
# Install mlopt with its test, interop and ray extras (interop: iree-opt, upstream MLIR,
# for test/interop/'s round trips; ray: Ray Data, for mlopt.ray's local-cluster test)
# and the example plugin, then run the whole suite:
# lit (FileCheck tests, in parallel) and pytest (unit, conformance and model tests).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q -e '.[test,interop,ray]' -e examples/plugin
jobs=$(python -c 'import os; print(max(2, os.cpu_count() or 2))')
# lit fails on a failing test, and on a directory where it discovers none.
lit -sv -j "$jobs" test/
# pytest exits 5 when it collects nothing; that must fail CI too.
python -m pytest -q -n "$jobs" -p no:cacheprovider -m "not serial" test/
# timing tests (two threads calling at once scale): alone, with the CPUs free
python -m pytest -q -p no:cacheprovider -m serial test/

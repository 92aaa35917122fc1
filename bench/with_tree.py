#!/usr/bin/env python3
"""Run a benchmark script with mlopt imported from another checkout.

For before/after comparisons in one environment: make a worktree of the older
commit and run the same (current) benchmark script against each tree, in
fresh processes, alternating::

    git worktree add ../mlopt-old <commit>
    python bench/with_tree.py ../mlopt-old bench/bench_kernels.py conv_rgb maxpool_pad -n 300
    python bench/with_tree.py -            bench/bench_kernels.py conv_rgb maxpool_pad -n 300

``-`` uses the installed (editable) mlopt. The editable install's import
hook would otherwise win over ``sys.path``, so it is removed first.
"""

from __future__ import annotations

import runpy
import sys


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tree, script, *rest = sys.argv[1:]
    if tree != "-":
        sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__.lower()]
        sys.path.insert(0, tree)
    import mlopt

    print(f"mlopt from {mlopt.__file__}", flush=True)
    sys.argv = [script, *rest]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()

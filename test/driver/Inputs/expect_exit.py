"""Run a command and check its exit status: expect_exit.py CODE CMD ARGS...

stdin is passed through; stdout and stderr are passed through too.  Exits 0
when the status is CODE, 1 otherwise (lit's `not` only checks for non-zero).
"""

import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.run(sys.argv[2:]).returncode
if got != want:
    print(f"expect_exit: expected exit status {want}, got {got}", file=sys.stderr)
    sys.exit(1)

"""pytest configuration shared by the whole suite.

Having this file here puts ``test/`` on ``sys.path``, so test modules in the
subdirectories can import the shared helpers beside it (``onnx_models``,
``expected_failures``).
"""

import os

# The compile cache is off for the suite: a test that compiles a model must
# compile it (tests of the cache itself turn it on, with a cache of their own).
os.environ.setdefault("MLOPT_CACHE", "0")

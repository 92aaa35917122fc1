# lit configuration for the example plugin's own FileCheck tests.
# They run the `mlopt` driver, which finds the plugin through its entry point,
# so install it first:  pip install -e examples/plugin
import os
import shutil
from importlib.metadata import entry_points

import lit.formats

config.name = "mlopt-example-plugin"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["lit.cfg.py", "Output"]
config.test_source_root = os.path.dirname(__file__)
config.environment["PATH"] = os.environ.get("PATH", "")
for var in ("HOME", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

for tool in ("mlopt", "filecheck"):
    if shutil.which(tool) is None:
        lit_config.fatal(f"'{tool}' not found on PATH: install mlopt with its test extra")
if not any(ep.value.startswith("mlopt_example_plugin") for ep in entry_points(group="mlopt.plugins")):
    lit_config.fatal("the example plugin is not installed: pip install -e examples/plugin")

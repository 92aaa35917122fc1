# lit configuration for mlopt's FileCheck tests.
import os
import shutil

import lit.formats

config.name = "mlopt"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "conftest.py", "__pycache__"]
config.test_source_root = os.path.dirname(__file__)
config.environment["PATH"] = os.environ.get("PATH", "")
for var in ("HOME", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR"):
    if var in os.environ:
        config.environment[var] = os.environ[var]
config.environment["PYTHONHASHSEED"] = "0"

for tool in ("mlopt", "mlopt-run", "filecheck"):
    if shutil.which(tool) is None:
        lit_config.fatal(f"'{tool}' not found on PATH: install mlopt with its test extra")

config.substitutions.append(("%PYTHON", shutil.which("python3") or "python3"))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
# FileCheck is spelled both ways in tests written for LLVM/MLIR.
config.substitutions.append(("FileCheck", "filecheck"))

"""`mlopt --emit=package`: progress flags, and what its manifest records
(the options with --input-shape, the model hash of the IR it compiled)."""

from __future__ import annotations

import hashlib
import json

import mlopt
from mlopt.data import digits_model_path
from mlopt.tools import mlopt_opt

ARGS = [str(digits_model_path()), "--input-shape", "input=4x64", "--emit=package"]


def test_progress_flags(capsys, tmp_path):
    assert mlopt_opt.main([*ARGS, "-o", str(tmp_path / "a.mlopt"), "--no-progress"]) == 0
    assert capsys.readouterr().err == ""
    assert mlopt_opt.main([*ARGS, "-o", str(tmp_path / "b.mlopt"), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "stages" in err and "affine-to-llvm" in err and "link" in err
    assert mlopt.load(tmp_path / "b.mlopt").num_variants == 1


def test_manifest_records_the_input_shapes_and_the_ir_hash(tmp_path):
    assert mlopt_opt.main([*ARGS, "-o", str(tmp_path / "d.mlopt")]) == 0
    manifest = json.loads((tmp_path / "d.mlopt" / "manifest.json").read_text())
    assert manifest["options"]["input_shapes"] == {"input": [4, 64]}
    assert manifest["inputs"] == [{"name": "input", "dtype": "<f4", "shape": [4, 64]}]
    # the driver compiles the imported module: its hash is that of the module's IR text
    module = mlopt.import_onnx(digits_model_path(), input_shapes={"input": (4, 64)})
    assert manifest["level"] == "onnx"
    assert manifest["model_hash"] == hashlib.sha256(mlopt.print_ir(module).encode()).hexdigest()
    # mlopt.compile of the file: the hash of the file's bytes
    compiled = mlopt.compile(digits_model_path(), input_shapes={"input": (4, 64)})
    saved = json.loads((mlopt.save(compiled, tmp_path / "c.mlopt") / "manifest.json").read_text())
    assert saved["level"] == "onnx-model"
    assert saved["model_hash"] == hashlib.sha256(digits_model_path().read_bytes()).hexdigest()
    assert saved["options"]["input_shapes"] == {"input": [4, 64]}

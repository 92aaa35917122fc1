"""`mlopt-run`: argument handling, input loading, errors, and end-to-end runs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import onnx
import pytest

from onnx_models import save_add_model as _add_model
from mlopt.tools.mlopt_run import UserError, load_inputs, main, onnx_input_specs, random_inputs


# ---------------------------------------------------------------- without the runtime


def test_input_specs_keep_symbolic_dims(tmp_path):
    specs = onnx_input_specs(onnx.load(_add_model(tmp_path)))
    assert [(s.name, s.dtype, s.dims) for s in specs] == [("x", np.float32, ["N", 3]), ("y", np.float32, ["N", 3])]


def test_random_inputs_need_shapes_for_symbolic_dims(tmp_path):
    specs = onnx_input_specs(onnx.load(_add_model(tmp_path)))
    with pytest.raises(UserError, match="--shape x=Nx3"):
        random_inputs(specs, {}, 0)
    a = random_inputs(specs, {"x": (2, 3), "y": (2, 3)}, seed=5)
    b = random_inputs(specs, {"x": (2, 3), "y": (2, 3)}, seed=5)
    assert a["x"].shape == (2, 3) and a["x"].dtype == np.float32
    np.testing.assert_array_equal(a["y"], b["y"])
    with pytest.raises(UserError, match="does not fit"):
        random_inputs(specs, {"x": (2, 4), "y": (2, 3)}, 0)
    with pytest.raises(UserError, match="unknown input"):
        random_inputs(specs, {"q": (1,)}, 0)


def test_load_inputs_by_position_name_and_npz(tmp_path):
    specs = onnx_input_specs(onnx.load(_add_model(tmp_path)))
    x = np.ones((2, 3), np.float32)
    y = np.full((2, 3), 2, np.float32)
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", y)
    inputs, _ = load_inputs([str(tmp_path / "x.npy"), str(tmp_path / "y.npy")], specs)
    np.testing.assert_array_equal(inputs["y"], y)
    inputs, _ = load_inputs([f"y={tmp_path / 'x.npy'}", str(tmp_path / "y.npy")], specs)
    np.testing.assert_array_equal(inputs["y"], x)
    np.testing.assert_array_equal(inputs["x"], y)
    np.savez(tmp_path / "named.npz", y=y, x=x, labels=np.arange(2))
    inputs, extras = load_inputs([str(tmp_path / "named.npz")], specs)
    np.testing.assert_array_equal(inputs["x"], x)
    assert list(extras) == ["labels"]
    np.savez(tmp_path / "pos.npz", x, y)
    inputs, _ = load_inputs([str(tmp_path / "pos.npz")], specs)
    np.testing.assert_array_equal(inputs["y"], y)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: [str(d / "missing.npy")], "no such file"),
        (lambda d: [str(d / "x.npy")], "no data for input"),
        (lambda d: [str(d / "x64.npy"), str(d / "x.npy")], "dtype float64"),
        (lambda d: [str(d / "bad_rank.npy"), str(d / "x.npy")], "has shape"),
        (lambda d: [f"w={d / 'x.npy'}"], "no input 'w'"),
        (lambda d: [str(d / "x.npy")] * 3, "more input files"),
    ],
)
def test_load_inputs_errors(tmp_path, make, message):
    specs = onnx_input_specs(onnx.load(_add_model(tmp_path)))
    np.save(tmp_path / "x.npy", np.ones((2, 3), np.float32))
    np.save(tmp_path / "x64.npy", np.ones((2, 3), np.float64))
    np.save(tmp_path / "bad_rank.npy", np.ones((3,), np.float32))
    with pytest.raises(UserError, match=message):
        load_inputs(make(tmp_path), specs)


def test_missing_model_is_one_line_exit_1(capsys):
    assert main(["nonexistent.onnx"]) == 1
    err = capsys.readouterr().err
    assert err == "mlopt-run: error: nonexistent.onnx: no such file\n"


@pytest.mark.parametrize("argv", [["--bogus"], ["-O7"], ["--bench", "x"]])
def test_argument_errors_exit_1(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("mlopt-run: error:") and err.count("\n") == 1


def test_bad_files_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not a protobuf at all \xff\xfe")
    assert main([str(bad), "--random"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mlopt-run: error: ") and err.count("\n") == 1
    txt = tmp_path / "model.txt"
    txt.write_text("x")
    assert main([str(txt)]) == 1
    assert "expected a .onnx model or a .mlir module" in capsys.readouterr().err
    bad_ir = tmp_path / "bad.mlir"
    bad_ir.write_text('func.func @f(%a: f32) -> f32 {\n  func.return %b : f32\n}\n')
    assert main([str(bad_ir), "--random"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.mlir:2:15: error: use of undeclared SSA value %b" in err


def test_console_script_argument_errors_exit_1():
    for argv in (["--bogus"], ["-O7"], ["m.onnx", "--bench", "x"]):
        proc = subprocess.run(
            [sys.executable, "-m", "mlopt.tools.mlopt_run", *argv], capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 1, (argv, proc.stderr)
        assert proc.stderr.startswith("mlopt-run: error:") and proc.stderr.count("\n") == 1
        assert "Traceback" not in proc.stderr


def test_check_needs_onnx_model(tmp_path, capsys):
    ir = tmp_path / "f.mlir"
    ir.write_text("func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {\n  func.return %a : tensor<2xf32>\n}\n")
    assert main([str(ir), "--random", "--check"]) == 1
    assert "--check compares with onnxruntime" in capsys.readouterr().err



"""`mlopt-run` end to end on the compiled path."""

from __future__ import annotations


import numpy as np
import onnx

from mlopt.data import digits_model_path
from onnx_models import save_add_model as _add_model
from mlopt.tools import mlopt_run
from mlopt.tools.mlopt_run import main, onnx_input_specs, random_inputs


def test_default_runs_the_digits_model(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "accuracy:" in out and "latency (mlopt" in out and "predictions" in out
    acc = float(out.split("accuracy:")[1].split()[0])
    assert acc >= 0.95


def test_random_check_bench_timing_and_save(tmp_path, capsys):
    model = _add_model(tmp_path)
    out_file = tmp_path / "out.npz"
    argv = [str(model), "--random", "--shape", "x=2x3", "--shape", "y=2x3", "--seed", "3",
            "--check", "--bench", "3", "--timing", "-O1", "-o", str(out_file)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "check against onnxruntime: OK" in out
    assert "ratio mlopt/onnxruntime" in out
    assert "compile time per stage" in out
    with np.load(out_file) as saved:
        ref = random_inputs(onnx_input_specs(onnx.load(model)), {"x": (2, 3), "y": (2, 3)}, 3)
        np.testing.assert_allclose(saved["z"], ref["x"] + ref["y"], rtol=1e-6)


def test_check_reports_mismatch_with_exit_1(tmp_path, monkeypatch, capsys):
    """A wrong answer must make --check fail: simulate one by perturbing outputs."""
    model = _add_model(tmp_path, shape=(2, 3))
    real = mlopt_run.run_compiled

    def wrong(*a, **k):
        return {n: v + 1.0 for n, v in real(*a, **k).items()}

    monkeypatch.setattr(mlopt_run, "run_compiled", wrong)
    assert main([str(model), "--random", "--check"]) == 1
    out = capsys.readouterr().out
    assert "MISMATCH" in out and "max abs error 1" in out


def test_digits_model_path_with_inputs_and_check(tmp_path, capsys):
    x = np.random.default_rng(0).uniform(0, 16, (4, 64)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    assert main([str(digits_model_path()), str(tmp_path / "x.npy"), "--check", "-q"]) == 0
    assert "check against onnxruntime: OK" in capsys.readouterr().out


def test_wrong_input_shape_is_a_user_error(tmp_path, capsys):
    np.save(tmp_path / "x.npy", np.ones((4, 63), np.float32))
    assert main([str(digits_model_path()), str(tmp_path / "x.npy")]) == 1
    err = capsys.readouterr().err
    assert "input 'input' has shape [4, 63]" in err and err.count("\n") == 1

"""`mlopt-run`: --version, --info, --entry, --bench 0, every IR level mlopt
emits, error wording, onnxruntime's log kept out of --check."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from onnx import TensorProto, helper, save

from mlopt.data import digits_model_path
from mlopt.tools import mlopt_opt
from mlopt.tools.mlopt_run import main


def _onnx(path, nodes, inputs, outputs, initializers=(), extra_opsets=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(initializers))
    opsets = [helper.make_opsetid("", 17), *extra_opsets]
    save(helper.make_model(graph, opset_imports=opsets), path)
    return path


def _f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def test_version(capsys):
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"mlopt-run \d+\.\d+\.\d+ \(xDSL [0-9.]+, Python [0-9.]+\)\n", out)


def test_info_describes_without_running(capsys):
    assert main(["--info", str(digits_model_path())]) == 0
    out = capsys.readouterr().out
    assert "opsets: ai.onnx 17" in out
    assert re.search(r"^inputs:\n  input +float32 +\[N, 64\]$", out, re.M)
    assert re.search(r"^outputs:\n  probabilities +float32 +\[N, 10\]$", out, re.M)
    assert re.search(r"^  N +input 'input' dim 0, output 'probabilities' dim 0$", out, re.M)
    assert re.search(r"^  Gemm +1$", out, re.M) and "nodes (6 in all, 6 kinds)" in out
    assert "latency" not in out and "compile:" not in out


def test_info_refuses_run_options(capsys):
    assert main(["--info", str(digits_model_path()), "--random"]) == 1
    assert capsys.readouterr().err == (
        "mlopt-run: error: --info describes the model and runs nothing; drop --random\n")


def test_entry_is_an_error_for_onnx(capsys):
    assert main([str(digits_model_path()), "--random", "--shape", "input=1x64", "--entry", "f"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("mlopt-run: error: --entry picks a function of a .mlir module; ")
    assert err.count("\n") == 1


def test_bench_zero_does_not_benchmark(capsys):
    assert main(["--bench", "0"]) == 0  # the bundled model benchmarks 20 runs by default
    out = capsys.readouterr().out
    assert "accuracy:" in out and "latency" not in out


def test_negative_bench_is_an_error(capsys):
    assert main(["--bench", "-1"]) == 1
    assert "--bench N needs N >= 0 (0: no timing), not -1" in capsys.readouterr().err


LEVELS = {
    "onnx": "",
    "tensor": "onnx-shape-inference,convert-onnx-to-tensor",
    "affine": "onnx-shape-inference,convert-onnx-to-tensor,bufferize,convert-linalg-to-affine",
    "llvm": "onnx-to-llvm",
}


@pytest.mark.parametrize("level", LEVELS)
def test_runs_every_level_mlopt_emits(level, tmp_path, capsys):
    ir = tmp_path / f"{level}.mlir"
    argv = [str(digits_model_path()), "--input-shape", "input=2x64", "-o", str(ir)]
    if LEVELS[level]:
        argv += ["-p", LEVELS[level]]
    assert mlopt_opt.main(argv) == 0
    x = np.random.default_rng(1).uniform(0, 16, (2, 64)).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    assert main([str(digits_model_path()), str(tmp_path / "x.npy"), "-o", str(tmp_path / "ref.npz")]) == 0
    assert main([str(ir), str(tmp_path / "x.npy"), "-o", str(tmp_path / "got.npz")]) == 0
    capsys.readouterr()
    with np.load(tmp_path / "ref.npz") as ref, np.load(tmp_path / "got.npz") as got:
        assert list(got) == ["probabilities"]
        np.testing.assert_allclose(got["probabilities"], ref["probabilities"], rtol=1e-5, atol=1e-6)
    assert main(["--info", str(ir)]) == 0
    out = capsys.readouterr().out
    assert f"level: {level}, entry: @digits_mlp" in out
    assert re.search(r"^  input +float32 +\[2, 64\]$", out, re.M)


TWO_FUNCS = """\
func.func @double(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = "onnx.Add"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
func.func @square(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = "onnx.Mul"(%x, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
"""


def test_entry_picks_the_function_of_a_module(tmp_path, capsys):
    ir = tmp_path / "two.mlir"
    ir.write_text(TWO_FUNCS)
    np.save(tmp_path / "x.npy", np.array([3.0, -2.0], np.float32))
    for entry, want in (("double", [6.0, -4.0]), ("square", [9.0, 4.0])):
        assert main([str(ir), str(tmp_path / "x.npy"), "--entry", entry, "-o", str(tmp_path / "o.npz")]) == 0
        with np.load(tmp_path / "o.npz") as got:
            np.testing.assert_array_equal(next(iter(got.values())), want)
    capsys.readouterr()
    assert main([str(ir), str(tmp_path / "x.npy"), "--entry", "cube"]) == 1
    assert capsys.readouterr().err == (
        f"mlopt-run: error: {ir}: --entry: no function @cube with a body in the module "
        "(functions: @double, @square)\n")


def test_entry_of_a_lowered_module_must_be_its_entry(tmp_path, capsys):
    ir = tmp_path / "llvm.mlir"
    assert mlopt_opt.main([str(digits_model_path()), "--input-shape", "input=2x64",
                           "-p", "onnx-to-llvm", "-o", str(ir)]) == 0
    text = ir.read_text()
    ir.write_text(text.replace("llvm.func @digits_mlp", "llvm.func @other() {\n    llvm.return\n  }\n"
                               "  llvm.func @digits_mlp", 1))
    assert main([str(ir), "--random", "--entry", "other"]) == 1
    err = capsys.readouterr().err
    assert "--entry: @other is not the entry of this lowered module: the lowering marked @digits_mlp" in err
    assert main([str(ir), "--random", "--entry", "digits_mlp", "-q"]) == 0


def test_errors_name_the_file_once_without_class_names(tmp_path, capsys):
    model = _onnx(tmp_path / "custom.onnx", [helper.make_node("Frob", ["x"], ["y"], name="n0", domain="foo")],
                  [_f32("x", [2])], [_f32("y", [2])], extra_opsets=[helper.make_opsetid("foo", 1)])
    assert main([str(model), "--random"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"mlopt-run: error: {model}: convert-onnx-to-tensor: node 'n0'")
    assert err.count(str(model)) == 1 and err.count("\n") == 1 and "Error" not in err
    ir = tmp_path / "custom.mlir"
    assert mlopt_opt.main([str(model), "-o", str(ir)]) == 0
    assert main([str(ir), "--random"]) == 1
    err = capsys.readouterr().err
    # an error at a place in the file: reported as mlopt reports it, no "mlopt-run: error:" prefix
    assert re.fullmatch(rf"{re.escape(str(ir))}:3:\d+: error: convert-onnx-to-tensor: node 'n0' .*\n", err)
    assert "Error" not in err


def test_check_output_has_no_onnxruntime_log(tmp_path):
    """onnxruntime warns (in colour, on stderr) about an initializer no node
    uses; mlopt-run --check must not pass that on."""
    model = _onnx(tmp_path / "unused.onnx", [helper.make_node("Relu", ["x"], ["y"], name="r")],
                  [_f32("x", [2])], [_f32("y", [2])],
                  initializers=[helper.make_tensor("unused", TensorProto.FLOAT, [2], [1.0, 2.0])])
    proc = subprocess.run([sys.executable, "-m", "mlopt.tools.mlopt_run", str(model), "--random", "--check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "check against onnxruntime: OK" in proc.stdout
    both = proc.stdout + proc.stderr
    assert "Removing initializer" not in both and "\x1b[" not in both


def test_model_and_inputs_are_printed_before_compiling(capsys, monkeypatch):
    from mlopt.tools import mlopt_run

    seen = {}
    real = mlopt_run.compile_loaded

    def spy(*args, **kwargs):
        seen["before"] = capsys.readouterr().out
        return real(*args, **kwargs)

    monkeypatch.setattr(mlopt_run, "compile_loaded", spy)
    assert main(["--random", "--shape", "input=7x64", "--bench", "0", "-q"]) == 0
    assert re.match(r"model: .*digits_mlp\.onnx \(-O3, \d+ threads?\)\ninput input: shape \[7, 64\] float32\n$",
                    seen["before"])


def test_compile_figure_includes_a_compile_in_the_first_call(capsys):
    # the digits MLP has a symbolic batch: the real compile happens at the first call
    assert main(["--random", "--shape", "input=7x64", "--bench", "0", "-q", "--timing"]) == 0
    out = capsys.readouterr().out
    m = re.search(r"^compile: ([\d.]+) (m?s), ([\d.]+) (m?s) of it in the first call", out, re.M)
    assert m, out
    total = float(m[1]) * (1e-3 if m[2] == "ms" else 1)
    at_call = float(m[3]) * (1e-3 if m[4] == "ms" else 1)
    assert total >= at_call > 0
    stages = re.search(r"^  total +([\d.]+) (m?s)$", out, re.M)
    assert abs(float(stages[1]) * (1e-3 if stages[2] == "ms" else 1) - at_call) < 1e-3 + 0.01 * at_call


def test_progress_goes_to_stderr_only_when_asked(capsys):
    assert main(["--random", "--shape", "input=3x64", "--bench", "0", "-q", "--progress"]) == 0
    err = capsys.readouterr().err
    assert "stages" in err and "affine-to-llvm" in err and "link" in err
    assert main(["--random", "--shape", "input=3x64", "--bench", "0", "-q", "--no-progress"]) == 0
    assert capsys.readouterr().err == ""


def test_compile_cache_hit_and_no_cache(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MLOPT_CACHE", "1")
    monkeypatch.setenv("MLOPT_CACHE_DIR", str(tmp_path))
    args = ["--random", "--shape", "input=5x64", "--bench", "0", "-q"]
    assert main(args) == 0
    assert "compile-cache hit" not in capsys.readouterr().out
    assert main(args) == 0
    assert "a compile-cache hit" in capsys.readouterr().out
    assert main([*args, "--no-cache"]) == 0
    assert "compile-cache hit" not in capsys.readouterr().out

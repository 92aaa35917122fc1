"""`mlopt-run --profile TRACE.json`: the generated code's per-node times as Chrome-trace JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import onnx

from mlopt.tools.mlopt_run import main
from onnx_models import CONV_MLP_NODES as GRAPH_NODES
from onnx_models import conv_mlp_model as _model


def _save(tmp_path) -> str:
    path = tmp_path / "model.onnx"
    onnx.save(_model(), path)
    return str(path)


def test_profile_writes_a_trace_and_prints_the_table(tmp_path, capsys):
    model, trace = _save(tmp_path), tmp_path / "trace.json"
    assert main([model, "--random", "--bench", "3", "-q", "--profile", str(trace)]) == 0
    out = capsys.readouterr().out
    doc = json.loads(trace.read_text())
    events = doc["traceEvents"]
    runs = [e for e in events if e["name"] == "model_run"]
    ops = [e for e in events if e["cat"] == "Op"]
    assert len(runs) == 5  # the first run, bench's warm-up and 3 timed runs
    per_run = len(ops) // len(runs)
    assert per_run >= 3 and len(ops) == per_run * len(runs)  # one event per node or kernel
    assert {n for e in ops for n in e["args"]["nodes"]} == set(GRAPH_NODES)
    assert all(e["ph"] == "X" and e["dur"] >= 0 for e in events)
    assert f"profile: {len(ops)} op events over 5 runs written to {trace}" in out
    table = out.split("written to")[1].splitlines()[1:]
    assert table[0].split()[:2] == ["op", "op"] and table[0].split()[-1] == "share"
    names = {line.split()[0] for line in table[2:] if not line.startswith("top ")}
    assert names == {e["name"] for e in ops}
    assert all(line.split()[2] == "5" for line in table[2 : 2 + len(names)])  # calls


def test_profile_command_line_through_a_subprocess(tmp_path):
    model, trace = _save(tmp_path), tmp_path / "t.json"
    proc = subprocess.run(
        [sys.executable, "-m", "mlopt.tools.mlopt_run", model, "--random", "-q", "--profile", str(trace)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "traceEvents" in json.loads(trace.read_text())
    assert "share" in proc.stdout


def test_profile_to_a_missing_directory_is_one_line_error(tmp_path, capsys):
    model = _save(tmp_path)
    bad = tmp_path / "nowhere" / "t.json"
    assert main([model, "--random", "--profile", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == f"mlopt-run: error: --profile {bad}: directory '{bad.parent}' does not exist\n"
    assert main([model, "--random", "--profile", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err
    assert main(["--info", model, "--profile", str(tmp_path / "t.json")]) == 1
    assert "drop --profile" in capsys.readouterr().err

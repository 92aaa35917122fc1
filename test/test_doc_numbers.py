"""Performance numbers in the docs come from committed bench output, not typing.

docs/performance.md's result tables are rendered by scripts/gen_perf_tables.py
from docs/bench/*.txt (the bench scripts' output, each naming its machine);
this fails when a table was edited by hand or the output changed without
regenerating it, and when a file lacks the machine line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_performance_tables_are_generated_from_bench_output():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_perf_tables.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_bench_output_names_its_machine_and_command():
    files = sorted((ROOT / "docs" / "bench").glob("*.txt"))
    assert {f.name for f in files} >= {"models-1.txt", "models-2.txt", "kernels.txt"}
    for f in files:
        lines = f.read_text().splitlines()
        assert lines[0].startswith("$ python bench/"), f"{f.name}: the first line is the command that made it"
        assert any(ln.startswith("machine: ") for ln in lines[:3]), f"{f.name}: no machine line"


def test_a_hand_edited_number_is_caught(tmp_path, monkeypatch):
    """The check is not vacuous: change one table number and it fails."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import gen_perf_tables as g

    text = g.DOC.read_text()
    rendered = g.render(text)
    assert rendered == text
    start = text.index("<!-- BEGIN models -->")
    row = text.index("| ", text.index("|---", start))
    edited = text[:row] + text[row:].replace("|", "| 9", 2).replace("| 9", "|", 1)
    assert g.render(edited) != edited

"""Performance numbers in the docs come from committed bench output, not typing.

docs/performance.md's result tables (and docs/artifacts.md's cache table) are
rendered by scripts/gen_perf_tables.py from docs/bench/*.txt (the bench
scripts' output, each naming its machine); this fails when a table was edited
by hand or the output changed without regenerating it, and when a file lacks
the machine line.

In the prose of README.md and docs/*.md (outside code blocks, inline code and
the generated blocks), every number with a unit of time, speed or a ratio
(``12 ms``, ``1.5 s``, ``2 minutes``, ``110 GFLOP/s``, ``31 GB/s``, ``1.3x``;
both ends of ``8-13 s``, ``63 to 13 ms`` or ``1.9 ms against 1.6``) must appear in a
``docs/bench/*.txt`` file cited in its paragraph (a list item is a paragraph
of its own).  The few that are settings or constants of the code, not
measurements, are listed in ``NOT_MEASURED`` with the file that defines them;
documents a script writes whole (``GENERATED``) are that script's business.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# written whole by a script of their own, which is where their numbers come from
GENERATED = {"docs/op-coverage.md": "scripts/gen_op_coverage.py"}
DOCS = [ROOT / "README.md", *(p for p in sorted((ROOT / "docs").glob("*.md"))
                              if str(p.relative_to(ROOT)) not in GENERATED)]

# (document, the phrase in it, the file that defines the value, the text there)
NOT_MEASURED = [
    ("docs/user-guide.md", "default 120 s", "test/conformance/conformance_harness.py",
     '"MLOPT_CONFORMANCE_TIMEOUT", "120"'),
    ("docs/design.md", "the copy's ~1.5 ns", "mlopt/passes/onnx_to_tensor/conv.py", "* 0.02 > 1.5"),
]

_NUM = r"~?\d[\d,]*(?:\.\d+)?"
_UNIT = r"(?:ms|s|us|µs|ns|seconds?|minutes?|hours?|[GT]FLOP/s|[kMG]B/s)"
# a number and its unit (a ratio's x written against the number: "1.3x", "0.99×")
MEASUREMENT = re.compile(rf"(?<![\w.^/=+])({_NUM})(?:\s*{_UNIT}|[x×])(?![\w/^])")
# the other end of a range or comparison: "8-13 s", "63 to 13 ms", "1.9 ms against 1.6"
_TO = r"\s*(?:-|–|\.\.|to|against|vs\.?|->|→)\s*"
RANGE_START = re.compile(rf"(?<![\w.^/=+-])({_NUM}){_TO}~?$")
RANGE_END = re.compile(rf"^{_TO}({_NUM})(?![\w.,]*\s*[A-Za-zµ×])")
BENCH_FILE = re.compile(r"docs/bench/[\w.-]+\.txt")
_FENCE = re.compile(r"^\s*```")
_BEGIN, _END = re.compile(r"^<!-- BEGIN [\w-]+ -->"), re.compile(r"^<!-- END [\w-]+ -->")
_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s|^#")


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each prose paragraph: blank lines, headings and
    list items start one; fenced code and generated blocks are left out."""
    out: list[tuple[int, list[str]]] = []
    fence = block = False
    new = True
    for no, line in enumerate(text.splitlines(), 1):
        if _FENCE.match(line):
            fence, new = not fence, True
            continue
        if not fence and _BEGIN.match(line):
            block = True
        if fence or block or not line.strip():
            block = block and not _END.match(line)
            new = True
            continue
        if new or _ITEM.match(line):
            out.append((no, []))
            new = False
        out[-1][1].append(line)
    return [(no, "\n".join(lines)) for no, lines in out]


def _in_file(number: str, text: str) -> bool:
    n = number.lstrip("~").replace(",", "")
    return re.search(rf"(?<![\d.]){re.escape(n)}(?!\d|\.\d)", text) is not None


def unsourced_numbers(text: str, name: str) -> list[str]:
    """What is wrong with the measured numbers in the prose of ``text`` (the
    document ``name``): one line per number with no cited bench file holding
    it, and per cited file that does not exist."""
    problems = []
    allowed = [phrase for doc, phrase, _, _ in NOT_MEASURED if doc == name]
    for no, para in _paragraphs(text):
        sources = {}
        for cited in dict.fromkeys(BENCH_FILE.findall(para)):
            path = ROOT / cited
            if not path.exists():
                problems.append(f"{name}:{no}: cites {cited}, which is not committed")
            sources[cited] = path.read_text() if path.exists() else ""
        prose = para
        for pattern in (r"<!--.*?-->", r"`[^`]*`", r"(?<=\])\([^)]*\)", *map(re.escape, allowed)):
            # comments, inline code, link targets, settings (their line breaks kept)
            prose = re.sub(pattern, lambda m: " " + "\n" * m.group(0).count("\n"), prose, flags=re.S)
        for m in MEASUREMENT.finditer(prose):
            numbers = [m.group(1)]
            left, right = RANGE_START.search(prose[: m.start()]), RANGE_END.match(prose[m.end():])
            if left:
                numbers.insert(0, left.group(1))
            if right:
                numbers.append(right.group(1))
            for n in numbers:
                if not any(_in_file(n, src) for src in sources.values()):
                    where = f"none of {', '.join(sources)} has it" if sources else "no docs/bench/*.txt cited in its paragraph"
                    line = no + prose[: m.start()].count("\n")
                    problems.append(f"{name}:{line}: {n!r} in {m.group(0)!r}: {where}")
    return problems


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


def test_every_measured_number_in_the_prose_has_a_committed_source():
    problems = [p for doc in DOCS for p in unsourced_numbers(doc.read_text(), str(doc.relative_to(ROOT)))]
    assert not problems, "\n".join(
        ["numbers typed into the docs (cite the docs/bench/*.txt file holding each, or drop the number):", *problems]
    )


def test_settings_quoted_with_a_unit_match_the_code():
    for doc, phrase, defined_in, text in NOT_MEASURED:
        assert phrase in (ROOT / doc).read_text(), f"{doc} no longer says {phrase!r}: drop it from NOT_MEASURED"
        assert text in (ROOT / defined_in).read_text(), f"{defined_in} no longer has {text!r} ({doc}: {phrase!r})"


def test_an_unsourced_number_is_caught():
    """The prose check is not vacuous: a typed number fails, a sourced one passes."""
    text = (ROOT / "docs" / "design.md").read_text()
    assert unsourced_numbers(text, "docs/design.md") == []
    for typed in (
        "The new kernel made resnet50 1.3× faster.",
        "Compiling densenet121 takes 8-13 s.",
        "vgg19's FC went from 63 to 13 ms.",
        "Its last convolution is 1.9 ms against 1.6 (`docs/bench/kernels.txt`).",
        "The transposing copy costs ~1.5\n  ns per element.",
        "MatMul runs at 999.9 GFLOP/s (`docs/bench/kernels.txt`).",
        "MatMul runs at 114.9 GFLOP/s (`docs/bench/no-such-run.txt`).",
    ):
        assert unsourced_numbers(text + "\n" + typed + "\n", "docs/design.md"), typed
    for sourced in (
        "MatMul 512^3 runs at 114.9 GFLOP/s, 0.99x of onnxruntime (`docs/bench/kernels.txt`).",
        "A 3x3 convolution on 8x64 inputs, 2 threads.",
        "```\nalexnet 24.3 ms\n```",
    ):
        assert unsourced_numbers(text + "\n" + sourced + "\n", "docs/design.md") == [], sourced

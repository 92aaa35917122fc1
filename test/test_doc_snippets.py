"""The shell, console, Python and TOML snippets of the README and the docs
work as written.

Every fenced block in ``README.md``, ``docs/*.md`` and ``examples/*/README.md``
whose language is ``sh``, ``bash``, ``console``, ``python`` or ``toml`` is one
test case. An HTML comment on the line before the fence says what is done with
it (``<!-- snippet: MODE details -->``, invisible when rendered); without one
the block is run.

``run``
    Shell and console blocks: each command runs with bash in a fresh
    directory holding the files the docs talk about (see ``_write_fixtures``:
    ``model.onnx`` is the bundled digits model, with ``model=add`` a two-input
    ``z = x + y`` model; ``input.mlir``, ``bad.mlir``, ``my_plugin.py``,
    ``clash.py``, ``broken.py``, ``x.npy``, ... and a link to ``examples/``).
    A command must exit 0, unless the docs show an error after it (a
    ``# ...error: ...`` comment line in a shell block, an output line with
    ``error:`` in a console block): then it must fail and print that line
    (``...`` in the docs matches anything, ``/path/`` any directory).
    Python blocks are executed in that directory; the only names they may use
    without defining them are the reader's own data, which the test provides:
    ``x``, ``y``, ``a``, ``b`` (arrays), ``text`` (IR text), ``model_proto``,
    ``node_proto``.
``check``
    For blocks that need a fresh virtualenv, scikit-learn, a model we do not
    ship, minutes of benchmarks or the whole test suite: shell commands must
    pass ``bash -n``, ``mlopt``/``mlopt-run`` command lines must parse with
    the tools' own argument parsers, named scripts and test paths must exist
    in the repository and ``pip install '.[extra]'`` must name an extra of
    ``pyproject.toml``. Python blocks must compile, their imports must import,
    and every name they use must be defined in them (``abridged: A B`` lists
    the names an abridged excerpt leaves out).
``toml``
    Parsed; a ``pyproject.toml`` (one with a ``[project]``) must have a
    ``[build-system]`` and is built into a wheel verbatim, with the example
    plugin's package (pip fetches its build requirements); a dependency on
    mlopt must use mlopt's distribution name.
``skip``
    Not run; the details must say why.

``needs=MODULE`` in the details (``<!-- snippet: run needs=ray -->``) skips
the block, with a reason naming the module, where that optional module is not
installed (Ray: the ``ray`` extra).
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC_FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             *sorted((ROOT / "examples").glob("*/README.md"))]
LANGS = {"sh", "bash", "console", "python", "toml"}
READER_DATA = {"x", "y", "a", "b", "text", "model_proto", "node_proto"}

FENCE = re.compile(r"^(?P<indent>[ ]*)```(?P<lang>[\w-]*)[ ]*\n(?P<body>.*?)^(?P=indent)```[ ]*$",
                   re.S | re.M)
MARK = re.compile(r"<!--\s*snippet:\s*(?P<mode>\w+)(?P<details>.*?)-->\s*$")


@dataclass
class Snippet:
    path: Path
    line: int
    lang: str
    body: str
    mode: str
    details: str
    options: dict[str, str] = field(default_factory=dict)
    abridged: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def collect() -> list[Snippet]:
    out = []
    for path in DOC_FILES:
        text = path.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if m.group("lang") not in LANGS:
                continue
            line = text.count("\n", 0, m.start()) + 1
            before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
            mark = MARK.search(before)
            lang = m.group("lang")
            mode = mark.group("mode") if mark else ("toml" if lang == "toml" else "run")
            details = mark.group("details").strip() if mark else ""
            snip = Snippet(path, line, lang, textwrap.dedent(m.group("body")), mode, details)
            snip.options = dict(re.findall(r"(\w+)=(\w+)", details.split("(")[0]))
            if "abridged:" in details:
                names = details.split("abridged:", 1)[1].split("(")[0]
                snip.abridged = set(names.split())
            out.append(snip)
    return out


SNIPPETS = collect()


def test_snippets_found_and_modes_known():
    assert len(SNIPPETS) >= 30
    for s in SNIPPETS:
        assert s.mode in ("run", "check", "toml", "skip"), s.id
        if s.mode == "skip":
            assert s.details.startswith("("), f"{s.id}: a skipped snippet must say why"


# ------------------------------------------------------------------ fixtures

MLIR = """\
func.func @f(%a: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %b = arith.addi %a, %c0 : i32
  func.return %b : i32
}
"""
BAD_MLIR = """\
func.func @f(%a: f32) -> f32 {
  func.return %b : f32  // expected-error {{use of undeclared SSA value %b}}
}
"""
MY_PLUGIN = '''\
from dataclasses import dataclass

from xdsl.passes import ModulePass

from mlopt.plugins import Plugin


@dataclass(frozen=True)
class MyPass(ModulePass):
    """Do nothing (the README's my-pass)."""

    name = "my-pass"

    def apply(self, ctx, op):
        pass


plugin = Plugin(name="mine", passes=[MyPass])
'''
CLASH = MY_PLUGIN.replace('"my-pass"', '"toy-fold-scale"').replace('name="mine"', 'name="other-toy"')
BROKEN = '''\
"""A plugin whose import fails."""

from mlopt.plugins import Plugin
raise RuntimeError("plugin setup exploded")
'''


def _add_model(path: Path) -> None:
    from onnx import TensorProto, helper, save

    info = [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["N", 3]) for n in "xyz"]
    graph = helper.make_graph([helper.make_node("Add", ["x", "y"], ["z"], name="add0")],
                              "add", info[:2], info[2:])
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


def _write_fixtures(d: Path, model: str) -> None:
    from mlopt.data import digits_model_path

    d.mkdir(parents=True)
    rng = np.random.default_rng(0)
    if model == "add":
        _add_model(d / "model.onnx")
        np.save(d / "x.npy", rng.standard_normal((2, 3)).astype(np.float32))
        np.save(d / "y.npy", rng.standard_normal((2, 3)).astype(np.float32))
        np.savez(d / "inputs.npz", x=np.load(d / "x.npy"), y=np.load(d / "y.npy"))
    else:
        shutil.copy(digits_model_path(), d / "model.onnx")
        np.save(d / "x.npy", rng.uniform(0, 16, (4, 64)).astype(np.float32))
    np.save(d / "short.npy", np.zeros((4, 63), np.float32))
    for name, text in (("input.mlir", MLIR), ("in.mlir", MLIR), ("bad.mlir", BAD_MLIR),
                       ("my_plugin.py", MY_PLUGIN), ("clash.py", CLASH), ("broken.py", BROKEN)):
        (d / name).write_text(text)
    (d / "examples").symlink_to(ROOT / "examples")


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    base = tmp_path_factory.mktemp("snippet-fixtures")
    for model in ("digits", "add"):
        _write_fixtures(base / model, model)
    return base


def _workdir_for(snip: Snippet, templates: Path, tmp_path: Path) -> Path:
    d = tmp_path / "work"
    shutil.copytree(templates / snip.options.get("model", "digits"), d, symlinks=True)
    return d


def _reader_data(model: str) -> dict[str, object]:
    import onnx
    from onnx import helper

    from mlopt.data import digits_model_path

    rng = np.random.default_rng(1)
    if model == "add":
        x = rng.standard_normal((2, 3)).astype(np.float32)
    else:
        x = rng.uniform(0, 16, (2, 64)).astype(np.float32)
    return {
        "x": x,
        "y": rng.standard_normal((2, 3)).astype(np.float32),
        "a": rng.standard_normal((2, 3)).astype(np.float32),
        "b": rng.standard_normal((2, 3)).astype(np.float32),
        "text": MLIR,
        "model_proto": onnx.load(digits_model_path()),
        "node_proto": helper.make_node("Add", ["a", "b"], ["c"]),
    }


# ------------------------------------------------------------------ shell


@dataclass
class Command:
    text: str
    expected_errors: list[str]


def _commands(snip: Snippet) -> list[Command]:
    cmds: list[Command] = []
    lines = snip.body.splitlines()
    if snip.lang == "console":
        for ln in lines:
            if ln.startswith("$ "):
                cmds.append(Command(ln[2:].strip(), []))
            elif cmds and "error:" in ln:
                cmds[-1].expected_errors.append(ln.strip())
        return cmds
    pending = ""
    for ln in lines:
        stripped = ln.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if cmds and "error:" in stripped and not pending:
                cmds[-1].expected_errors.append(stripped.lstrip("#").strip())
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        cmds.append(Command(pending + stripped, []))
        pending = ""
    return cmds


def _pattern(shown: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in shown.split("...")]
    return re.compile(".*".join(parts).replace(re.escape("/path/"), ".*/"))


def _run_shell(snip: Snippet, cwd: Path) -> None:
    env = dict(os.environ, PYTHONHASHSEED="0", COLUMNS="100")
    for cmd in _commands(snip):
        proc = subprocess.run(["bash", "-c", cmd.text], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=600)
        shown = f"{snip.id}: `{cmd.text}` (exit {proc.returncode})\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        if not cmd.expected_errors:
            assert proc.returncode == 0, shown
            continue
        assert proc.returncode != 0, shown
        out_lines = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines()]
        for expected in cmd.expected_errors:
            pat = _pattern(expected)
            assert any(pat.fullmatch(ln) for ln in out_lines), f"{expected!r} not printed by {shown}"
        assert "Traceback" not in proc.stderr, shown


def _simple_commands(line: str) -> list[list[str]]:
    tokens = shlex.split(line, comments=True)
    out, cur = [], []
    for t in tokens:
        if t in ("&&", "||", "|", ";"):
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    return [c for c in out if c]


def _check_path(token: str, where: str) -> None:
    if token.startswith("-") or "=" in token:
        return
    if "/" in token or token.endswith((".py", ".sh")):
        assert (ROOT / token).exists(), f"{where}: {token} does not exist in the repository"


def _check_command(argv: list[str], where: str) -> None:
    from mlopt.tools.mlopt_opt import _make_arg_parser
    from mlopt.tools.mlopt_run import build_parser

    prog, args = argv[0], argv[1:]
    if prog in ("mlopt", "mlopt-run"):
        parser = _make_arg_parser() if prog == "mlopt" else build_parser()
        try:
            parser.parse_args(args)
        except SystemExit as e:
            pytest.fail(f"{where}: `{shlex.join(argv)}` does not parse (exit {e.code})")
    elif prog in ("python", "python3"):
        if args[:2] == ["-m", "pytest"]:
            for a in args[2:]:
                _check_path(a, where)
        elif args and args[0] != "-m":
            _check_path(args[0], where)
    elif prog == "bash":
        _check_path(args[0], where)
    elif prog == "lit":
        for a in args:
            _check_path(a, where)
    elif prog == "pip":
        assert args[0] == "install", where
        extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
        for a in args[1:]:
            m = re.fullmatch(r"\.\[(\w+)\]", a)
            if m:
                assert m.group(1) in extras, f"{where}: no extra '{m.group(1)}' in pyproject.toml"
            elif a != "." and not a.startswith("-"):
                _check_path(a if "/" in a else a + "/", where)
    elif prog not in (".", "source"):
        assert shutil.which(prog), f"{where}: no command '{prog}'"


def _check_shell(snip: Snippet) -> None:
    for cmd in _commands(snip):
        proc = subprocess.run(["bash", "-n", "-c", cmd.text], capture_output=True, text=True)
        assert proc.returncode == 0, f"{snip.id}: `{cmd.text}`: {proc.stderr}"
        for argv in _simple_commands(cmd.text):
            _check_command(argv, snip.id)


# ------------------------------------------------------------------ python


def _undefined_names(tree: ast.AST) -> set[str]:
    bound: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return used - bound - set(dir(builtins)) - {"__file__", "__name__"}


def _python_tree(snip: Snippet) -> ast.Module:
    try:
        return ast.parse(snip.body, filename=snip.id)
    except SyntaxError as e:
        pytest.fail(f"{snip.id}: {e}")


def _check_python(snip: Snippet) -> None:
    tree = _python_tree(snip)
    undefined = _undefined_names(tree) - snip.abridged
    assert not undefined, f"{snip.id}: uses {sorted(undefined)} without defining or importing them"
    imports = ast.Module([n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)], [])
    exec(compile(imports, snip.id, "exec"), {"__name__": "snippet"})


def _run_python(snip: Snippet, cwd: Path, monkeypatch) -> None:
    tree = _python_tree(snip)
    undefined = _undefined_names(tree) - READER_DATA
    assert not undefined, f"{snip.id}: uses {sorted(undefined)} without defining or importing them"
    monkeypatch.chdir(cwd)
    namespace = {"__name__": "snippet", **_reader_data(snip.options.get("model", "digits"))}
    exec(compile(tree, snip.id, "exec"), namespace)


# ------------------------------------------------------------------ toml


def _check_toml(snip: Snippet, tmp_path: Path) -> None:
    data = tomllib.loads(snip.body)
    ours = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
    deps = data.get("project", {}).get("dependencies", [])
    on_mlopt = [d for d in deps if re.match(r"mlopt\b", d)]
    assert all(re.match(rf"{re.escape(ours)}\b", d) for d in on_mlopt), (
        f"{snip.id}: depends on {on_mlopt}; mlopt's distribution is '{ours}'")
    if "project" not in data:
        return
    # a [project] to copy must build as it is: it needs its [build-system] and a version
    assert "build-system" in data, f"{snip.id}: a pyproject.toml without [build-system]"
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "examples" / "plugin" / "mlopt_example_plugin", pkg / "mlopt_example_plugin",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (pkg / "pyproject.toml").write_text(snip.body)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "-w", str(tmp_path / "dist"), str(pkg)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{snip.id}: pip wheel failed:\n{proc.stdout}\n{proc.stderr}"
    import zipfile

    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        eps = next(n for n in z.namelist() if n.endswith(".dist-info/entry_points.txt"))
        assert f"Requires-Dist: {ours}" in z.read(meta).decode()
        assert "[mlopt.plugins]" in z.read(eps).decode()


# ------------------------------------------------------------------ the cases


@pytest.mark.parametrize("snip", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet(snip: Snippet, templates, tmp_path, monkeypatch):
    if snip.mode == "skip":
        pytest.skip(f"{snip.id}: {snip.details}")
    if "needs" in snip.options:
        pytest.importorskip(snip.options["needs"], reason=f"{snip.id} needs {snip.options['needs']}, "
                            "which is not installed")
    if snip.mode == "toml":
        _check_toml(snip, tmp_path)
    elif snip.mode == "check":
        (_check_python if snip.lang == "python" else _check_shell)(snip)
    else:
        cwd = _workdir_for(snip, templates, tmp_path)
        if snip.lang == "python":
            _run_python(snip, cwd, monkeypatch)
        else:
            _run_shell(snip, cwd)

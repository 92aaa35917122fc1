"""Plugins that are not installed: `--load-plugin NAME` finds a package (or
module) in the working directory, and `mlopt.run_pipeline` runs their passes
and pipelines given the registry (or a context made from it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import mlopt
from mlopt.registry import default_registry, set_default_registry

PLUGIN = textwrap.dedent('''
    from dataclasses import dataclass

    from xdsl.passes import ModulePass

    from mlopt.plugins import Plugin


    @dataclass(frozen=True)
    class CalcMark(ModulePass):
        """Mark the module with calc.seen (a test pass)."""

        name = "calc-mark"

        def apply(self, ctx, op):
            from calc_plugin.helper import mark  # a submodule, imported late

            mark(op)


    plugin = Plugin(name="calc", passes=[CalcMark], pipelines={"calc-all": "calc-mark,cse"})
''')
HELPER = textwrap.dedent('''
    from xdsl.dialects.builtin import UnitAttr


    def mark(op):
        op.attributes["calc.seen"] = UnitAttr()
''')
IR = "func.func @f() {\n  func.return\n}\n"


@pytest.fixture
def calc_dir(tmp_path):
    pkg = tmp_path / "calc_plugin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text(PLUGIN)
    (pkg / "helper.py").write_text(HELPER)
    (tmp_path / "calc_module.py").write_text(PLUGIN.replace('name="calc"', 'name="calc-module"')
                                             .replace('"calc-mark"', '"calc-module-mark"')
                                             .replace('"calc-all"', '"calc-module-all"')
                                             .replace("calc-mark,cse", "calc-module-mark,cse"))
    (tmp_path / "in.mlir").write_text(IR)
    return tmp_path


def _mlopt(args, cwd):
    return subprocess.run([sys.executable, "-m", "mlopt.tools.mlopt_opt", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_load_plugin_by_name_from_the_working_directory(calc_dir):
    # the console script's sys.path does not hold the working directory; `-m` does, so
    # take it out to run the way `mlopt` runs
    env_code = ("import sys, os; sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd())]; "
                "from mlopt.tools.mlopt_opt import main; sys.exit(main(sys.argv[1:]))")
    for name, pass_name in (("calc_plugin", "calc-all"), ("calc_module", "calc-module-all")):
        proc = subprocess.run([sys.executable, "-c", env_code, "in.mlir", "--load-plugin", name,
                               "-p", pass_name], cwd=calc_dir, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "builtin.module attributes {calc.seen}" in proc.stdout


def test_load_plugin_name_not_found_anywhere(calc_dir):
    proc = _mlopt(["in.mlir", "--load-plugin", "no_such_calc"], calc_dir)
    assert proc.returncode == 1
    assert proc.stderr == ("mlopt: error: plugin 'no_such_calc' not found: no module 'no_such_calc' "
                           "(give a module name, a .py file or a package directory)\n")


def test_run_pipeline_runs_a_plugin_pass(calc_dir):
    reg = mlopt.build_registry(extra_plugins=[str(calc_dir / "calc_plugin")])
    before = default_registry()
    ctx = mlopt.make_context(reg)
    module = mlopt.parse(IR, ctx)
    mlopt.run_pipeline(module, "calc-mark", ctx)          # the registry of the context
    assert "calc.seen" in module.attributes
    module = mlopt.parse(IR)
    mlopt.run_pipeline(module, "calc-all", registry=reg)  # a plugin pipeline, by registry
    assert "calc.seen" in module.attributes
    assert default_registry() is before                     # the default is left alone
    with pytest.raises(mlopt.UsageError, match="unknown pass 'calc-mark'"):
        mlopt.run_pipeline(mlopt.parse(IR), "calc-mark")   # not installed: not in the default
    set_default_registry(None)

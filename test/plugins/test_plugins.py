"""The plugin API: discovery, registration, clashes, broken plugins, and the
example plugin (examples/plugin) used through the library API."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from onnx import TensorProto, helper

import mlopt
from mlopt.pipeline_parse import parse_pipeline
from mlopt.plugins import Plugin, PluginError, load_plugin_module
from mlopt.registry import RegistryError, build_registry, make_context

HERE = Path(__file__).parent
INPUTS = HERE / "Inputs"
REPO = HERE.parent.parent
EXAMPLE_PKG = REPO / "examples" / "plugin" / "mlopt_example_plugin"

TOY_IR = """
func.func @f(%x: f32, %a: f32, %y: f32) -> f32 {
  %s = toy.scale %x by 2.0 : f32
  %t = toy.scale %s by 1.5 : f32
  %u = toy.scale %t by 1.0 : f32
  %r = toy.axpy %a, %u, %y : f32
  func.return %r : f32
}
"""


def _installed() -> bool:
    return any(ep.name == "toy" for ep in entry_points(group="mlopt.plugins"))


@pytest.fixture(scope="module")
def toy_reg():
    """A registry with the example plugin, installed or not."""
    return build_registry(extra_plugins=[str(EXAMPLE_PKG)])


def _ops(module) -> list[str]:
    return [op.name for op in module.walk()]


# ------------------------------------------------------------ the example plugin


def test_example_plugin_contributions(toy_reg):
    assert toy_reg.dialects["toy"]().name == "toy"
    assert "plugin 'toy'" in toy_reg.dialect_sources["toy"]
    for name in ("toy-fold-scale", "convert-toy-to-arith", "toy-to-arith"):
        assert name in toy_reg.passes
        assert "plugin 'toy'" in toy_reg.pass_sources[name]
    assert [p.name for p in toy_reg.plugins].count("toy") == 1


def test_fold_pass(toy_reg):
    ctx = make_context(toy_reg)
    module = mlopt.parse(TOY_IR, ctx)
    parse_pipeline("toy-fold-scale", toy_reg).apply(ctx, module)
    scales = [op for op in module.walk() if op.name == "toy.scale"]
    assert len(scales) == 1
    assert scales[0].factor_value == 3.0
    assert scales[0].input.name_hint == "x"


def test_named_pipeline_lowers_to_arith(toy_reg):
    ctx = make_context(toy_reg)
    module = mlopt.parse(TOY_IR, ctx)
    parse_pipeline("builtin.module(toy-to-arith)", toy_reg).apply(ctx, module)
    names = _ops(module)
    assert not [n for n in names if n.startswith("toy.")]
    assert names.count("arith.mulf") == 2 and names.count("arith.addf") == 1
    module.verify()


def test_lowering_option_use_fma(toy_reg):
    ctx = make_context(toy_reg)
    module = mlopt.parse(TOY_IR, ctx)
    parse_pipeline("convert-toy-to-arith{use-fma=true}", toy_reg).apply(ctx, module)
    names = _ops(module)
    assert names.count("math.fma") == 1 and "arith.addf" not in names


def test_lowering_is_numerically_right(toy_reg):
    """Interpret the lowered function with xDSL's interpreter."""
    from xdsl.interpreter import Interpreter
    from xdsl.interpreters import arith as arith_i
    from xdsl.interpreters import func as func_i

    ctx = make_context(toy_reg)
    module = mlopt.parse(TOY_IR, ctx)
    parse_pipeline("toy-to-arith", toy_reg).apply(ctx, module)
    interp = Interpreter(module)
    interp.register_implementations(arith_i.ArithFunctions())
    interp.register_implementations(func_i.FuncFunctions())
    from xdsl.dialects.builtin import FloatAttr, f32

    (result,) = interp.call_op("f", tuple(FloatAttr(v, f32) for v in (2.0, 0.5, 1.0)))
    assert result.value.data == pytest.approx(0.5 * (2.0 * 2.0 * 1.5) + 1.0)


@pytest.mark.parametrize(
    "ir, message",
    [
        ('%r = "toy.scale"(%x) <{factor = 2.0 : f64}> : (f32) -> f32',
         "factor type f64 does not match operand type f32"),
        ('%r = "toy.scale"(%x) <{factor = 0x7F800000 : f32}> : (f32) -> f32',
         "factor must be finite"),
        ('%r = "toy.axpy"(%x, %x, %d) : (f32, f32, f64) -> f32',
         "operands and result must have the same type, got f32, f32, f64, f32"),
    ],
)
def test_verifiers(toy_reg, ir, message):
    from xdsl.utils.exceptions import VerifyException

    text = f"func.func @f(%x: f32, %d: f64) {{\n  {ir}\n  func.return\n}}"
    with pytest.raises(VerifyException, match=message):
        mlopt.parse(text, make_context(toy_reg))


def test_custom_assembly_round_trips(toy_reg):
    ctx = make_context(toy_reg)
    printed = mlopt.print_ir(mlopt.parse(TOY_IR, ctx))
    assert "toy.scale %x by 2.000000e+00 : f32" in printed
    assert "toy.axpy %a, %u, %y : f32" in printed
    assert mlopt.print_ir(mlopt.parse(printed, ctx)) == printed


# ---------------------------------------------- installed plugin (entry point)


def test_installed_via_entry_point():
    assert _installed(), "run `pip install -e examples/plugin` (scripts/test.sh does)"
    reg = build_registry()
    assert "toy" in reg.dialects and "toy-to-arith" in reg.passes
    assert "entry point mlopt_example_plugin:plugin of package 'mlopt-example-plugin'" in reg.pass_sources["toy-fold-scale"]


def test_library_api_sees_installed_plugin():
    assert _installed()
    ctx = mlopt.make_context()
    module = mlopt.parse(TOY_IR, ctx)
    mlopt.run_pipeline(module, "toy-to-arith", ctx)
    assert not [n for n in _ops(module) if n.startswith("toy.")]


def test_installed_and_loaded_again_is_not_a_clash():
    assert _installed()
    reg = build_registry(extra_plugins=["mlopt_example_plugin"])
    assert [p.name for p in reg.plugins].count("toy") == 1


# ------------------------------------------------------------ --load-plugin


def test_load_plugin_file_with_factory_and_pipeline():
    reg = build_registry(extra_plugins=[str(INPUTS / "counter.py")])
    assert "counter.py" in reg.pass_sources["count-ops"]
    ctx = make_context(reg)
    module = mlopt.parse("func.func @f(%a: i32) -> i32 { func.return %a : i32 }", ctx)
    # the pipeline names a pass of its own (not installed) plugin
    parse_pipeline("cse-then-count", reg).apply(ctx, module)
    assert module.attributes["count_ops.n"].value.data == 2


def test_load_plugin_module_attr_syntax():
    p = load_plugin_module("mlopt_example_plugin:plugin")
    assert isinstance(p, Plugin) and p.name == "toy"


# ------------------------------------------------------------------- clashes


@pytest.mark.parametrize(
    "plugins, parts",
    [
        (["clash_pass.py"], ["pass 'cse'", "plugin 'clash-pass'", "clash_pass.py", "from xdsl"]),
        (["clash_dialect.py"], ["dialect 'arith'", "clash_dialect.py", "from xdsl"]),
        (
            ["lowering_a.py", "lowering_b.py"],
            ["ONNX lowering for 'custom.Foo'", "plugin 'lowering-a'", "plugin 'lowering-b'"],
        ),
    ],
)
def test_clash_names_both_sources(plugins, parts):
    with pytest.raises(PluginError) as info:
        build_registry(extra_plugins=[str(INPUTS / p) for p in plugins])
    for part in parts:
        assert part in str(info.value)


def test_clash_between_two_plugins_names_both(toy_reg):
    with pytest.raises(PluginError) as info:
        build_registry(extra_plugins=[str(EXAMPLE_PKG), str(INPUTS / "clash_toy.py")])
    msg = str(info.value)
    assert "pass 'toy-fold-scale'" in msg
    assert "plugin 'other-toy'" in msg and "clash_toy.py" in msg
    assert "plugin 'toy'" in msg


def test_pipeline_name_clash():
    class P(Plugin):
        pass

    reg = build_registry()
    with pytest.raises(PluginError, match="pass 'cse' from plugin 'pipes'.*from xdsl"):
        Plugin(name="pipes", pipelines={"cse": "canonicalize"}).register(reg)
    # canonicalize is mlopt's (it adds max-iterations to xDSL's)
    with pytest.raises(PluginError, match="pass 'canonicalize' from plugin 'pipes'.*from mlopt"):
        Plugin(name="pipes", pipelines={"canonicalize": "cse"}).register(reg)


def test_plugin_error_is_a_registry_error():
    assert issubclass(PluginError, RegistryError)


# ----------------------------------------------------------- broken plugins


@pytest.mark.parametrize(
    "spec, parts",
    [
        ("broken_syntax.py", ["cannot load plugin", "SyntaxError", "broken_syntax.py:"]),
        ("broken_raises.py", ["RuntimeError: plugin setup exploded", "broken_raises.py:4"]),
        ("broken_missing_dep.py", ["No module named 'mlopt_no_such_dependency'"]),
        ("broken_no_plugin.py", ["defines neither 'plugin' nor 'mlopt_plugin()'"]),
        ("broken_wrong_type.py", ["does not provide an mlopt.plugins.Plugin (got dict)"]),
        ("broken_pass_instance.py", ["plugin 'instance'", "not a ModulePass subclass",
                                     "give the class, not an instance"]),
        ("broken_pipeline.py", ["plugin 'bad-pipeline'", "pipeline 'my-pipe'",
                                "unknown pass 'no-such-pass'"]),
        ("broken_pipeline_cycle.py", ["contains itself", "pipe-a -> pipe-b -> pipe-a"]),
        ("broken_pipeline_syntax.py", ["pipeline 'pipe'", "unbalanced"]),
        ("broken_factory.py", ["dialect factory failed", "ZeroDivisionError"]),
        ("no_such_file.py", ["not found"]),
    ],
)
def test_broken_plugin_clean_error(spec, parts):
    with pytest.raises(PluginError) as info:
        build_registry(extra_plugins=[str(INPUTS / spec)])
    for part in parts:
        assert part in str(info.value), str(info.value)


def test_unknown_module():
    with pytest.raises(PluginError, match="plugin 'mlopt_no_such_plugin' not found"):
        load_plugin_module("mlopt_no_such_plugin")


def test_missing_attribute():
    with pytest.raises(PluginError, match="has no attribute 'nope'"):
        load_plugin_module("mlopt_example_plugin:nope")


def _fake_dist(tmp_path: Path, module_body: str) -> Path:
    """A directory holding an 'installed' distribution with an mlopt.plugins
    entry point to module `fake_broken_plugin`."""
    (tmp_path / "fake_broken_plugin.py").write_text(textwrap.dedent(module_body))
    info = tmp_path / "fake_broken_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: fake-broken-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[mlopt.plugins]\nbroken = fake_broken_plugin:plugin\n")
    return tmp_path


def _env_with(path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def test_broken_installed_plugin_is_skipped_with_one_warning(tmp_path):
    """A broken installed plugin is reported once, naming it and its error, and
    does not break the registry (nor compiles that do not use it)."""
    path = _fake_dist(tmp_path, "raise ImportError('half-installed')\n")
    code = (
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "from mlopt.registry import build_registry\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    reg = build_registry()\n"
        "    build_registry()\n"
        "print('WARNINGS', len(w), type(w[0].message).__name__)\n"
        "print('MSG', w[0].message)\n"
        "print('BROKEN', list(reg.broken_plugins))\n"
        "print('CORE', 'onnx' in reg.dialects)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env_with(path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "WARNINGS 1 PluginWarning" in out.stdout  # once per process
    assert "MSG cannot load plugin entry point fake_broken_plugin:plugin" in out.stdout
    assert "of package 'fake-broken-plugin'" in out.stdout
    assert "ImportError: half-installed" in out.stdout
    assert "MLOPT_DISABLE_PLUGINS=1" in out.stdout
    assert """BROKEN ["entry point fake_broken_plugin:plugin of package 'fake-broken-plugin'"]""" in out.stdout
    assert "CORE True" in out.stdout
    # ... and the escape hatch silences it
    out = subprocess.run([sys.executable, "-W", "error", "-c", "from mlopt.registry import build_registry\n"
                          "assert not build_registry().broken_plugins\nprint('OK')"],
                         env=_env_with(path, MLOPT_DISABLE_PLUGINS="1"),
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "OK", out.stdout + out.stderr


def test_installed_plugins_still_raises_for_a_broken_one(tmp_path):
    path = _fake_dist(tmp_path, "raise ImportError('half-installed')\n")
    code = (
        "from mlopt.plugins import PluginError, installed_plugins\n"
        "try:\n    installed_plugins()\nexcept PluginError as e:\n    print('ERR', e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env_with(path),
                         capture_output=True, text=True, timeout=60)
    assert "ERR cannot load plugin entry point fake_broken_plugin:plugin" in out.stdout, out.stderr


def test_broken_installed_plugin_cli(tmp_path):
    """`mlopt` with a broken installed plugin: one warning line, then it works."""
    path = _fake_dist(tmp_path, "def plugin():\n    raise KeyError('no config')\n")
    out = subprocess.run(["mlopt", "--list-dialects"], env=_env_with(path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Available dialects:" in out.stdout
    assert out.stderr.startswith("mlopt: warning: plugin entry point fake_broken_plugin:plugin")
    assert "failed to build its Plugin: KeyError: 'no config'" in out.stderr
    assert "fake_broken_plugin.py:2)" in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        # a clash found after its dialect was added: nothing of it may stay behind
        ("from xdsl.ir import Dialect\nfrom xdsl.passes import ModulePass\n"
         "from mlopt.plugins import Plugin\n"
         "class Cse(ModulePass):\n    name = 'cse'\n    def apply(self, ctx, op): pass\n"
         "plugin = Plugin(name='fakebrk', dialects=[Dialect('fakebrk', [], [])], passes=[Cse])\n",
         "pass 'cse' from plugin 'fakebrk'"),
        # a pipeline naming a pass nobody registered
        ("from xdsl.ir import Dialect\nfrom mlopt.plugins import Plugin\n"
         "plugin = Plugin(name='fakebrk', dialects=[Dialect('fakebrk', [], [])],\n"
         "                pipelines={'fakebrk-pipe': 'no-such-pass'})\n",
         "pipeline 'fakebrk-pipe' names unknown pass 'no-such-pass'"),
    ],
)
def test_installed_plugin_that_fails_to_register_leaves_nothing_behind(tmp_path, body, reason):
    path = _fake_dist(tmp_path, body)
    code = (
        "import warnings\n"
        "from mlopt.registry import build_registry\n"
        "with warnings.catch_warnings(record=True) as w:\n"
        "    warnings.simplefilter('always')\n"
        "    reg = build_registry()\n"
        "print('WARN', len(w), w[0].message)\n"
        "print('LEFT', 'fakebrk' in reg.dialects, 'fakebrk-pipe' in reg.passes, reg.pass_sources['cse'])\n"
        "print('PLUGINS', [p.name for p in reg.plugins])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=_env_with(path),
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "WARN 1 " in out.stdout and reason in out.stdout, out.stdout
    assert "LEFT False False mlopt" in out.stdout or "LEFT False False xdsl" in out.stdout, out.stdout
    assert "'fakebrk'" not in out.stdout.split("PLUGINS", 1)[1]


def _custom_op_model(domain: str, op_type: str) -> bytes:
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="relu0")]
    if domain:
        nodes = [helper.make_node(op_type, ["x"], ["y"], domain=domain, name="custom0")]
    opsets = [helper.make_opsetid("", 21)] + ([helper.make_opsetid(domain, 1)] if domain else [])
    return helper.make_model(helper.make_graph(nodes, "g", [x], [y]), opset_imports=opsets).SerializeToString()


def test_broken_installed_plugin_does_not_break_compiles(tmp_path):
    """mlopt-run's quick start and a plain model work; a model with an op only
    a plugin could lower fails naming the broken plugin."""
    path = _fake_dist(tmp_path, "raise ImportError('half-installed')\n")
    (tmp_path / "plain.onnx").write_bytes(_custom_op_model("", ""))
    (tmp_path / "custom.onnx").write_bytes(_custom_op_model("fakebroken", "Foo"))
    env = _env_with(path)
    out = subprocess.run(["mlopt-run"], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "accuracy:" in out.stdout
    assert out.stderr.count("mlopt-run: warning: cannot load plugin entry point fake_broken_plugin") == 1
    out = subprocess.run(["mlopt-run", str(tmp_path / "plain.onnx"), "--random", "-q"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    out = subprocess.run(["mlopt-run", str(tmp_path / "custom.onnx"), "--random"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 1
    err = out.stderr.splitlines()
    assert len(err) == 2 and err[0].startswith("mlopt-run: warning:"), out.stderr
    assert err[1].startswith(f"mlopt-run: error: {tmp_path / 'custom.onnx'}: ")
    assert "'custom0'" in err[1] and "no lowering" in err[1]
    assert "failed to load: cannot load plugin entry point fake_broken_plugin:plugin" in err[1]


# ------------------------------------------------------------ ONNX lowerings


def test_onnx_lowering_registered(toy_reg):
    from xdsl.pattern_rewriter import RewritePattern

    lowering = toy_reg.onnx_lowerings["toy.Scale"]  # from a factory: imported on first use
    assert isinstance(lowering, RewritePattern)
    assert isinstance(lowering.pattern(), RewritePattern)
    assert "plugin 'toy'" in toy_reg.onnx_lowering_sources["toy.Scale"]


ONNX_IR = """
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = "toy.Scale"(%x) {factor = 2.5 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
"""


def test_onnx_lowering_used_by_convert_onnx_to_tensor(toy_reg):
    """A not-installed plugin's lowering is used once its registry is the default."""
    from mlopt.registry import set_default_registry

    previous = set_default_registry(toy_reg)
    try:
        ctx = make_context(toy_reg)
        module = mlopt.parse(ONNX_IR, ctx)
        parse_pipeline("convert-onnx-to-tensor", toy_reg).apply(ctx, module)
    finally:
        set_default_registry(previous)
    names = _ops(module)
    assert "toy.Scale" not in names
    assert names.count("linalg.generic") == 1 and "arith.mulf" in names
    module.verify()


def _toy_scale_model(with_value_info: bool):
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    nodes = [
        helper.make_node("Scale", ["x"], ["s"], domain="toy", name="scale0", factor=2.5),
        helper.make_node("Relu", ["s"], ["y"], name="relu0"),
    ]
    info = [helper.make_tensor_value_info("s", TensorProto.FLOAT, [2, 3])] if with_value_info else []
    graph = helper.make_graph(nodes, "g", [x], [y], value_info=info)
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid("toy", 1)]
    return helper.make_model(graph, opset_imports=opsets)


def test_custom_domain_onnx_model_end_to_end():
    """An ONNX node of the plugin's domain is imported as the plugin's op,
    lowered by its ONNX lowering, compiled to native code and run."""
    import numpy as np

    assert _installed()
    module = mlopt.import_onnx(_toy_scale_model(with_value_info=True))
    assert "toy.Scale" in _ops(module)
    compiled = mlopt.compile(_toy_scale_model(with_value_info=True))
    x = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.0
    (y,) = compiled(x)
    np.testing.assert_allclose(y, np.maximum(x * 2.5, 0.0), rtol=1e-6)


def test_custom_domain_onnx_model_without_shape_is_a_clean_error():
    assert _installed()
    with pytest.raises(Exception, match=r"'toy.Scale' \(node 'scale0'\): needs a static result shape"):
        mlopt.compile(_toy_scale_model(with_value_info=False))


def _one_op_model(op_type: str):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])
    inputs = ["x", "x"] if op_type == "Add" else ["x"]
    node = helper.make_node(op_type, inputs, ["y"], name=f"{op_type.lower()}0")
    graph = helper.make_graph([node], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])


def test_lowering_that_fails_to_load_breaks_only_its_op():
    """A plugin ONNX lowering whose module fails to import: models without that
    op compile; one with it fails with a LoweringError naming the plugin."""
    import numpy as np

    from mlopt.registry import set_default_registry

    calls = []

    def broken_factory():
        calls.append(1)
        raise ImportError("No module named 'heavy_dependency'")

    reg = build_registry()
    Plugin(name="lazybroken", onnx_lowerings={"onnx.Relu": broken_factory}, source="test").register(reg)
    assert not calls  # registering does not import the lowering
    previous = set_default_registry(reg)
    try:
        add = mlopt.compile(_one_op_model("Add"))
        x = np.arange(4, dtype=np.float32)
        np.testing.assert_array_equal(add(x)[0], x + x)
        assert not calls
        with pytest.raises(mlopt.LoweringError) as info:
            mlopt.compile(_one_op_model("Relu"))
    finally:
        set_default_registry(previous)
    msg = str(info.value)
    assert "plugin 'lazybroken' (test)" in msg and "'onnx.Relu' failed to load" in msg
    assert "ImportError: No module named 'heavy_dependency'" in msg
    assert calls == [1]

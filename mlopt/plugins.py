"""The plugin API: third-party dialects, passes, pipelines and ONNX lowerings.

A plugin is a :class:`Plugin` object.  mlopt finds plugins in two ways:

* installed packages that declare an entry point in the group
  ``mlopt.plugins`` pointing at a ``Plugin`` (or a function returning one);
* ``mlopt --load-plugin SPEC`` / ``build_registry(extra_plugins=[SPEC])`` for a
  plugin that is not installed.  ``SPEC`` is a module name (``my_plugin``), a
  ``module:attribute`` reference, a path to a ``.py`` file, or a path to a
  package directory.  Without ``:attribute`` the module must define a
  top-level ``plugin`` (a ``Plugin``) or ``mlopt_plugin()`` returning one.

Everything a plugin contributes is checked when it is registered; any problem
(import error, wrong object, name clash, malformed pipeline) is reported as a
:class:`PluginError` whose message names the plugin and, for a clash, both
sources.  ``PluginError`` is a :class:`~mlopt.registry.RegistryError` and an
:class:`mlopt.PluginError`.

A broken *installed* plugin does not break mlopt: it is skipped, reported once
per process as a :class:`PluginWarning` naming it and the error (the CLIs print
``mlopt: warning: ...``), and recorded in ``Registry.broken_plugins``; models
that do not use its ops compile as before, and an op only it could have lowered
fails with an error naming it.  A plugin named explicitly (``--load-plugin``,
``extra_plugins``) that fails raises PluginError.  An ONNX lowering given as a
factory is called the first time an op of that type is lowered; if it raises,
that lowering fails with an error naming the plugin, and only that one.

Set the environment variable ``MLOPT_DISABLE_PLUGINS=1`` to ignore installed
plugins (plugins given explicitly with ``--load-plugin`` are still loaded).

See ``docs/plugins.md`` for a walk-through.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import os
import sys
import threading
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import RewritePattern

from mlopt.registry import RegistryError

if TYPE_CHECKING:
    from mlopt.registry import Registry

ENTRY_POINT_GROUP = "mlopt.plugins"
DISABLE_ENV_VAR = "MLOPT_DISABLE_PLUGINS"

OnnxLowering = RewritePattern | Callable[[], RewritePattern]


class PluginError(RegistryError):
    """A plugin could not be found, loaded or registered."""


class PluginWarning(UserWarning):
    """An installed plugin failed to load and was skipped."""


@dataclass
class Plugin:
    """What a plugin contributes.

    ``name``: a short identifier used in messages (``"toy"``).
    ``dialects``: Dialect objects (or zero-argument factories returning one).
    ``passes``: ModulePass subclasses; each is registered under its ``name``.
    ``pipelines``: name -> pipeline text (``"toy-fold-scale,canonicalize"`` or
    ``"builtin.module(...)"``), runnable with ``-p NAME`` like any pass.  The
    text may name passes of mlopt, of xDSL and of any loaded plugin.
    ``onnx_lowerings``: ONNX op name (``onnx.Foo`` or ``<domain>.<OpType>``)
    -> a RewritePattern (or a zero-argument factory returning one) that
    rewrites that op to the tensor level during ``convert-onnx-to-tensor``.
    ``description``: one line shown by listings.
    ``source``: where the plugin came from; filled in by the loader.
    """

    name: str
    dialects: Sequence[Dialect | Callable[[], Dialect]] = ()
    passes: Sequence[type[ModulePass]] = ()
    pipelines: Mapping[str, str] = field(default_factory=dict)
    onnx_lowerings: Mapping[str, OnnxLowering] = field(default_factory=dict)
    description: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        """How messages name this plugin: ``plugin 'toy' (entry point ...)``."""
        return f"plugin '{self.name}'" + (f" ({self.source})" if self.source else "")

    def register(self, reg: Registry) -> None:
        """Add everything this plugin contributes to ``reg``.

        Raises PluginError (naming this plugin, and the other source on a
        clash) if a contribution is malformed or a name is already taken.
        """
        if not isinstance(self.name, str) or not self.name:
            raise PluginError(f"a plugin from {self.source or '?'} has no name")
        src = self.label
        saved = _snapshot(reg)
        try:
            dialects = [_check_dialect(d, src) for d in self.dialects]
            passes = [_check_pass(p, src) for p in self.passes]
            pipelines = [_check_pipeline(n, t, src) for n, t in dict(self.pipelines).items()]
            lowerings = [_check_lowering(n, p, src) for n, p in dict(self.onnx_lowerings).items()]
            for dialect in dialects:
                reg.add_dialect(dialect.name, lambda dialect=dialect: dialect, src)
            for p in passes:
                reg.add_pass(p.name, lambda p=p: p, src)
            for name, text in pipelines:
                cls = make_plugin_pipeline_pass(name, text, reg, src)
                reg.add_pass(name, lambda cls=cls: cls, src)
            for op_name, pattern in lowerings:
                reg.add_onnx_lowering(op_name, pattern, src)
        except PluginError:
            _restore(reg, saved)
            raise
        except RegistryError as e:  # a clash: already names both sources
            _restore(reg, saved)
            raise PluginError(str(e)) from e
        except TypeError as e:  # e.g. `passes=SomePass` instead of `[SomePass]`
            _restore(reg, saved)
            raise PluginError(f"{src}: malformed plugin: {e}") from e
        reg.plugins.append(self)


_TABLES = ("dialects", "dialect_sources", "passes", "pass_sources",
           "onnx_lowerings", "onnx_lowering_sources")  # fmt: skip


def _snapshot(reg: Registry) -> dict[str, dict[str, Any]]:
    return {t: dict(getattr(reg, t)) for t in _TABLES}


def _restore(reg: Registry, saved: dict[str, dict[str, Any]]) -> None:
    """Undo a half-done registration (a clash found after some names were added)."""
    for t, table in saved.items():
        current = getattr(reg, t)
        current.clear()
        current.update(table)


def _unregister(reg: Registry, plugin: Plugin) -> None:
    """Remove everything ``plugin`` registered."""
    label = plugin.label
    for names, sources in (("dialects", "dialect_sources"), ("passes", "pass_sources"),
                           ("onnx_lowerings", "onnx_lowering_sources")):
        table, src = getattr(reg, names), getattr(reg, sources)
        for name in [n for n, s in src.items() if s == label]:
            del table[name], src[name]
    reg.plugins[:] = [p for p in reg.plugins if p is not plugin]


# --------------------------------------------------------------------------- checks


def _check_dialect(d: object, src: str) -> Dialect:
    if not isinstance(d, Dialect):
        if not callable(d):
            raise PluginError(f"{src}: {d!r} is not a Dialect (nor a function returning one)")
        try:
            d = d()
        except Exception as e:
            raise PluginError(f"{src}: its dialect factory failed: {_describe(e)}") from e
        if not isinstance(d, Dialect):
            raise PluginError(f"{src}: a dialect factory returned {d!r}, not a Dialect")
    if not isinstance(d.name, str) or not d.name or "." in d.name:
        raise PluginError(f"{src}: bad dialect name {d.name!r}")
    prefix = d.name + "."
    for op in d.operations:
        if not op.name.startswith(prefix):
            raise PluginError(
                f"{src}: op '{op.name}' of dialect '{d.name}' must be named '{prefix}<op>'"
            )
    return d


def _check_pass(p: object, src: str) -> type[ModulePass]:
    if not (inspect.isclass(p) and issubclass(p, ModulePass)):
        hint = " (give the class, not an instance)" if isinstance(p, ModulePass) else ""
        raise PluginError(f"{src}: {p!r} is not a ModulePass subclass{hint}")
    name = getattr(p, "name", None)
    if not isinstance(name, str) or not name:
        raise PluginError(f"{src}: pass class {p.__qualname__} has no 'name'")
    return p


def _check_pipeline(name: object, text: object, src: str) -> tuple[str, str]:
    from mlopt.pipeline_parse import PipelineError, flatten_pipeline

    if not isinstance(name, str) or not name:
        raise PluginError(f"{src}: bad pipeline name {name!r}")
    if not isinstance(text, str) or not text.strip():
        raise PluginError(f"{src}: pipeline '{name}' must be a non-empty pipeline string")
    try:
        flatten_pipeline(text)
    except PipelineError as e:
        raise PluginError(f"{src}: pipeline '{name}': {e}") from e
    return name, text


def _check_lowering(op_name: object, pattern: object, src: str) -> tuple[str, OnnxLowering]:
    if not isinstance(op_name, str) or "." not in op_name:
        raise PluginError(
            f"{src}: ONNX lowering key {op_name!r} must be an op name like 'onnx.Foo'"
        )
    if isinstance(pattern, RewritePattern):
        return op_name, pattern
    if inspect.isclass(pattern) and not issubclass(pattern, RewritePattern):
        raise PluginError(f"{src}: ONNX lowering for '{op_name}' is not a RewritePattern")
    if not callable(pattern):
        raise PluginError(
            f"{src}: ONNX lowering for '{op_name}' must be a RewritePattern "
            f"(or a factory returning one), got {pattern!r}"
        )
    return op_name, LazyLowering(op_name, pattern, src)


class LazyLowering(RewritePattern):
    """A plugin's ONNX lowering given as a factory: the factory is called when
    the first op of that type is lowered (so a lowering module that fails to
    import breaks only the models that use its op, and says which plugin)."""

    def __init__(self, op_name: str, factory: Callable[[], object], source: str):
        self.op_name = op_name
        self.factory = factory
        self.source = source
        self._pattern: RewritePattern | None = None
        self._lock = threading.Lock()

    def pattern(self, op: Any = None) -> RewritePattern:
        """The lowering pattern (built on first use); LoweringError naming the
        plugin (and located at ``op``) if the factory fails."""
        with self._lock:
            if self._pattern is None:
                from mlopt.passes.onnx_to_tensor.common import OpLoweringError

                where = f"the ONNX lowering of {self.source} for '{self.op_name}'"
                try:
                    p = self.factory()
                except Exception as e:
                    raise OpLoweringError(f"{where} failed to load: {_describe(e)}", op) from e
                if not isinstance(p, RewritePattern):
                    raise OpLoweringError(
                        f"{where}: its factory returned {type(p).__name__}, not a RewritePattern", op
                    )
                self._pattern = p
            return self._pattern

    def match_and_rewrite(self, op: Any, rewriter: Any) -> None:
        self.pattern(op).match_and_rewrite(op, rewriter)


def pipeline_pass_names(text: str) -> list[str]:
    """The pass names a pipeline text refers to, in order."""
    from xdsl.utils.arg_spec import parse_pipeline as _xdsl_parse_pipeline

    from mlopt.pipeline_parse import flatten_pipeline

    names: list[str] = []
    for item in flatten_pipeline(text):
        names.extend(spec.name for spec in _xdsl_parse_pipeline(item))
    return names


def check_plugin_pipelines(reg: Registry) -> None:
    """Check that every plugin pipeline only names registered passes, and
    that no pipeline contains itself (directly or through other plugin
    pipelines; mlopt's and xDSL's passes cannot name plugin passes)."""
    graph: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for plugin in reg.plugins:
        assert isinstance(plugin, Plugin)
        for name, text in dict(plugin.pipelines).items():
            try:
                names = pipeline_pass_names(text)
            except Exception as e:
                raise PluginError(f"{plugin.label}: pipeline '{name}': {e}") from e
            for pass_name in names:
                if pass_name not in reg.passes:
                    raise PluginError(
                        f"{plugin.label}: pipeline '{name}' names unknown pass '{pass_name}'"
                    )
            graph[name] = names
            labels[name] = plugin.label

    def visit(stack: list[str]) -> None:
        for sub in graph.get(stack[-1], ()):
            if sub in stack:
                cycle = " -> ".join([*stack, sub])
                raise PluginError(f"{labels[stack[0]]}: pipeline '{stack[0]}' contains itself ({cycle})")
            visit([*stack, sub])

    for name in graph:
        visit([name])


# --------------------------------------------------------------------- pipelines


def make_plugin_pipeline_pass(
    name: str, text: str, reg: Registry, source: str
) -> type[ModulePass]:
    """A ModulePass named ``name`` running ``text``, resolved against ``reg``.

    Resolving against the registry the plugin was registered in (not the
    process-wide default one) lets a pipeline of a ``--load-plugin`` plugin
    name that plugin's own passes.
    """

    def apply(self: ModulePass, ctx: Context, op: builtin.ModuleOp) -> None:
        from mlopt.pipeline_parse import parse_pipeline

        parse_pipeline(text, reg).apply(ctx, op)

    namespace: dict[str, Any] = {
        "name": name,
        "apply": apply,
        "__doc__": f"Pipeline: {text}",
        "pipeline_text": text,
        "__annotations__": {"name": ClassVar[str], "pipeline_text": ClassVar[str]},
    }
    cls = type(f"Pipeline_{name.replace('-', '_')}", (ModulePass,), namespace)
    return dataclass(frozen=True)(cls)


# ----------------------------------------------------------------------- loading


def _library_dirs() -> tuple[str, ...]:
    import sysconfig

    import xdsl

    dirs = {sysconfig.get_paths()["stdlib"], str(Path(xdsl.__file__).parent)}
    return tuple(str(Path(d).resolve()) + os.sep for d in dirs)


def _describe(e: BaseException) -> str:
    """``Type: message (file:line)``, where file:line is the innermost frame of
    the traceback outside the standard library, xDSL and this module: most
    likely the plugin's line that failed."""
    if isinstance(e, SyntaxError) and e.filename:
        return f"SyntaxError: {e.msg} ({e.filename}:{e.lineno})"
    skip = _library_dirs()
    where = ""
    for fr in reversed(traceback.extract_tb(e.__traceback__)):
        fn = fr.filename
        if fn.startswith("<") or fn == __file__:
            continue
        if str(Path(fn).resolve()).startswith(skip):
            continue
        where = f" ({fn}:{fr.lineno})"
        break
    return f"{type(e).__name__}: {e}{where}"


def _as_plugin(obj: object, where: str) -> Plugin:
    if callable(obj) and not isinstance(obj, Plugin):
        try:
            obj = obj()
        except Exception as e:
            raise PluginError(f"plugin {where} failed to build its Plugin: {_describe(e)}") from e
    if not isinstance(obj, Plugin):
        raise PluginError(
            f"plugin {where} does not provide an mlopt.plugins.Plugin (got {type(obj).__name__})"
        )
    if not obj.source:
        obj.source = where
    return obj


def _import_file(path: Path, spec: str):
    """Import a ``.py`` file (under a unique module name) or a package
    directory (under its own name, so its absolute self-imports work)."""
    path = path.resolve()
    is_pkg = path.is_dir()
    target = path / "__init__.py" if is_pkg else path
    if not target.is_file():
        raise PluginError(f"plugin '{spec}': {target} not found")
    if is_pkg:
        mod_name = path.name
        if not mod_name.isidentifier():
            raise PluginError(f"plugin '{spec}': '{mod_name}' is not a valid package name")
    else:
        digest = hashlib.sha1(str(path).encode()).hexdigest()[:8]
        mod_name = f"mlopt_plugin_{path.stem.replace('-', '_')}_{digest}"
    if mod_name in sys.modules:
        existing = sys.modules[mod_name]
        existing_file = getattr(existing, "__file__", None)
        if existing_file and Path(existing_file).resolve() == target:
            return existing
        raise PluginError(
            f"plugin '{spec}': another module named '{mod_name}' is already loaded "
            f"from {existing_file or '?'}"
        )
    kwargs = {"submodule_search_locations": [str(path)]} if is_pkg else {}
    mspec = importlib.util.spec_from_file_location(mod_name, target, **kwargs)
    if mspec is None or mspec.loader is None:
        raise PluginError(f"plugin '{spec}': cannot import {target}")
    module = importlib.util.module_from_spec(mspec)
    sys.modules[mod_name] = module
    try:
        mspec.loader.exec_module(module)
    except BaseException:
        for name in [n for n in sys.modules if n == mod_name or n.startswith(mod_name + ".")]:
            del sys.modules[name]
        raise
    return module


def _import_module_or_from_cwd(name: str):
    """``importlib.import_module(name)``; when no installed module has that name
    but the working directory holds it (``./name/__init__.py`` or ``./name.py``
    for its first component), import it from there, as ``python -c`` would.
    (A console script's ``sys.path`` starts at the script's directory, not the
    working directory, so ``mlopt --load-plugin calc_plugin`` did not find
    ``./calc_plugin/``.) The directory is then appended to ``sys.path`` and
    stays there, last, so that the plugin's late imports of its own modules
    work while installed modules keep precedence."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        top = name.split(".")[0]
        cwd = Path.cwd()
        here = (cwd / top / "__init__.py").is_file() or (cwd / f"{top}.py").is_file()
        if e.name != top or not here:
            raise
    if str(cwd) not in sys.path:
        sys.path.append(str(cwd))
    importlib.invalidate_caches()
    return importlib.import_module(name)


def load_plugin_module(spec: str) -> Plugin:
    """Load a plugin from a module name, ``module:attr``, a ``.py`` file or a
    package directory."""
    if not isinstance(spec, str) or not spec.strip():
        raise PluginError(f"bad plugin name {spec!r}")
    attr: str | None = None
    target = spec
    if ":" in spec and not Path(spec).exists():
        target, attr = spec.rsplit(":", 1)
    try:
        # a dotted name is a module, even if a directory of that name is in
        # the working directory (write ./name for that directory)
        is_path = (
            target.endswith(".py")
            or os.sep in target
            or "/" in target
            or (Path(target).is_dir() and not all(p.isidentifier() for p in target.split(".")))
        )
        if is_path:
            module = _import_file(Path(target), spec)
        else:
            try:
                module = _import_module_or_from_cwd(target)
            except ModuleNotFoundError as e:
                if e.name and (target == e.name or target.startswith(e.name + ".")):
                    raise PluginError(
                        f"plugin '{spec}' not found: no module '{e.name}' "
                        f"(give a module name, a .py file or a package directory)"
                    ) from e
                raise
    except PluginError:
        raise
    except (Exception, SystemExit) as e:  # the plugin's own error is the user's to see
        raise PluginError(f"cannot load plugin '{spec}': {_describe(e)}") from e
    names = (attr,) if attr else ("plugin", "mlopt_plugin")
    for name in names:
        if hasattr(module, name):
            return _as_plugin(getattr(module, name), f"'{spec}'")
    if attr:
        raise PluginError(f"plugin '{spec}': module '{target}' has no attribute '{attr}'")
    raise PluginError(f"plugin '{spec}' defines neither 'plugin' nor 'mlopt_plugin()'")


def _entry_points() -> list[Any]:
    from importlib.metadata import entry_points

    if os.environ.get(DISABLE_ENV_VAR, "") not in ("", "0"):
        return []
    return sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)


def _entry_point_label(ep: Any) -> str:
    dist = getattr(ep, "dist", None)
    pkg = f" of package '{dist.name}'" if dist is not None else ""
    return f"entry point {ep.value}{pkg}"


_SKIP_HINT = f"; set {DISABLE_ENV_VAR}=1 to skip installed plugins"


def _load_entry_point(ep: Any) -> Plugin:
    where = _entry_point_label(ep)
    try:
        obj = ep.load()
    except (Exception, SystemExit) as e:
        raise PluginError(f"cannot load plugin {where}: {_describe(e)}{_SKIP_HINT}") from e
    try:
        return _as_plugin(obj, where)
    except PluginError as e:
        raise PluginError(f"{e}{_SKIP_HINT}") from e


def installed_plugins() -> list[Plugin]:
    """Plugins declared by installed packages (entry-point group ``mlopt.plugins``);
    raises PluginError for the first that fails to load (``register_plugins``
    skips those instead).

    Empty when the environment variable ``MLOPT_DISABLE_PLUGINS`` is set to a
    non-empty value other than ``0``.
    """
    return [_load_entry_point(ep) for ep in _entry_points()]


def load_plugins(extra: Iterable[str] = ()) -> list[Plugin]:
    """Installed plugins followed by the ones named in ``extra``; a plugin
    object reached twice (installed and named again) is kept once."""
    out: list[Plugin] = []
    for p in [*installed_plugins(), *(load_plugin_module(s) for s in extra)]:
        if not any(p is q for q in out):
            out.append(p)
    return out


_REPORTED: set[str] = set()


def _skip(reg: Registry, label: str, message: str) -> None:
    """Record an installed plugin that failed; warn once per process."""
    message = message.removesuffix(_SKIP_HINT)
    reg.broken_plugins[label] = message
    if message not in _REPORTED:
        _REPORTED.add(message)
        warnings.warn(
            PluginWarning(
                f"{message}; skipped, mlopt runs without it "
                f"(set {DISABLE_ENV_VAR}=1 to skip installed plugins)"
            ),
            stacklevel=3,
        )


def broken_plugins_note(reg: Registry | None = None) -> str:
    """``" (note: plugin ... failed to load: ...)"`` for each installed plugin
    that was skipped, to append to a "no lowering" / "unknown op" error."""
    if reg is None:
        from mlopt.registry import default_registry

        reg = default_registry()
    return "".join(f" (note: an installed plugin that may provide it failed to load: {msg})"
                   for msg in reg.broken_plugins.values())


def register_plugins(reg: Registry, extra: Iterable[str] = ()) -> list[Plugin]:
    """Load the installed plugins and ``extra``, register them all in ``reg``
    and check their pipelines; return the plugins registered.

    An installed plugin that fails (to load, to register, or whose pipelines
    name unknown passes) is skipped and recorded in ``reg.broken_plugins``,
    with a PluginWarning; one in ``extra`` raises PluginError."""
    installed: list[Plugin] = []
    for ep in _entry_points():
        try:
            plugin = _load_entry_point(ep)
            plugin.register(reg)
        except PluginError as e:
            _skip(reg, _entry_point_label(ep), str(e))
            continue
        installed.append(plugin)
    explicit: list[Plugin] = []
    for spec in extra:
        plugin = load_plugin_module(spec)
        if any(plugin is q for q in [*installed, *explicit]):
            continue
        plugin.register(reg)
        explicit.append(plugin)
    while True:  # an installed plugin with a bad pipeline is dropped (and may take others with it)
        bad = _first_bad_pipeline(reg, installed)
        if bad is None:
            break
        plugin, message = bad
        _unregister(reg, plugin)
        installed.remove(plugin)
        _skip(reg, plugin.source or plugin.label, message)
    check_plugin_pipelines(reg)  # the explicit ones: raise
    return [*installed, *explicit]


def _first_bad_pipeline(reg: Registry, plugins: list[Plugin]) -> tuple[Plugin, str] | None:
    for plugin in plugins:
        single = _OnePlugin(reg, plugin)
        try:
            check_plugin_pipelines(single)
        except PluginError as e:
            return plugin, str(e)
    return None


@dataclass
class _OnePlugin:
    """``reg`` seen with only ``plugin`` among its plugins (for checking one
    plugin's pipelines against every registered pass)."""

    reg: Any
    plugin: Plugin

    @property
    def plugins(self) -> list[Plugin]:
        return [self.plugin]

    @property
    def passes(self) -> dict[str, Any]:
        return self.reg.passes


class report_plugin_warnings:
    """``with report_plugin_warnings("mlopt"):`` a PluginWarning is printed to
    stderr as one line ``mlopt: warning: ...`` (other warnings as usual)."""

    def __init__(self, prog: str):
        self.prog = prog

    def __enter__(self) -> None:
        self._saved = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
            if isinstance(category, type) and issubclass(category, PluginWarning):
                sys.stderr.write(f"{self.prog}: warning: {message}\n")
            else:
                self._saved(message, category, filename, lineno, file, line)

        warnings.showwarning = show

    def __exit__(self, *exc: object) -> bool:
        warnings.showwarning = self._saved
        return False

"""The plugin API: third-party dialects, passes, pipelines and ONNX lowerings.

A plugin is a :class:`Plugin` object.  mlopt finds plugins in two ways:

* installed packages that declare an entry point in the group
  ``mlopt.plugins`` pointing at a ``Plugin`` (or a function returning one);
* ``mlopt --load-plugin MODULE_OR_FILE.py`` / ``load_plugins(["..."])`` for a
  plugin that is not installed: the module (or file) must define a top-level
  ``plugin`` (a ``Plugin``) or ``mlopt_plugin()`` returning one.

See ``docs/plugins.md`` for a walk-through.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xdsl.ir import Dialect
from xdsl.passes import ModulePass

if TYPE_CHECKING:
    from mlopt.registry import Registry

ENTRY_POINT_GROUP = "mlopt.plugins"


class PluginError(Exception):
    """A plugin could not be found, loaded or registered."""


@dataclass
class Plugin:
    """What a plugin contributes.

    ``dialects``: Dialect objects (or zero-argument factories returning one).
    ``passes``: ModulePass subclasses; each is registered under its ``name``.
    ``pipelines``: name -> pipeline text (``"canonicalize,cse"``), usable with
    ``-p NAME`` like any pass.
    ``onnx_lowerings``: ONNX op name (``onnx.Foo`` or ``my.domain.Foo``) -> a
    RewritePattern that rewrites that op to the tensor level during
    ``convert-onnx-to-tensor``.
    """

    name: str
    dialects: Sequence[Dialect | Callable[[], Dialect]] = ()
    passes: Sequence[type[ModulePass]] = ()
    pipelines: Mapping[str, str] = field(default_factory=dict)
    onnx_lowerings: Mapping[str, object] = field(default_factory=dict)
    source: str = ""

    def register(self, reg: Registry) -> None:
        from mlopt.passes.pipeline import make_pipeline_pass

        src = f"plugin '{self.name}'" + (f" ({self.source})" if self.source else "")
        for d in self.dialects:
            dialect = d if isinstance(d, Dialect) else d()
            reg.add_dialect(dialect.name, lambda dialect=dialect: dialect, src)
        for p in self.passes:
            reg.add_pass(p.name, lambda p=p: p, src)
        for name, text in self.pipelines.items():
            cls = make_pipeline_pass(name, text, f"pipeline from {src}")
            reg.add_pass(name, lambda cls=cls: cls, src)
        for op_name, pattern in self.onnx_lowerings.items():
            reg.add_onnx_lowering(op_name, pattern, src)
        reg.plugins.append(self)


def _as_plugin(obj: object, where: str) -> Plugin:
    if callable(obj) and not isinstance(obj, Plugin):
        obj = obj()
    if not isinstance(obj, Plugin):
        raise PluginError(f"{where} does not provide an mlopt.plugins.Plugin")
    if not obj.source:
        obj.source = where
    return obj


def load_plugin_module(spec: str) -> Plugin:
    """Load a plugin from a module name or a path to a ``.py`` file."""
    try:
        if spec.endswith(".py") or "/" in spec:
            path = Path(spec)
            if not path.is_file():
                raise PluginError(f"plugin file '{spec}' not found")
            mod_name = f"mlopt_plugin_{path.stem}"
            mspec = importlib.util.spec_from_file_location(mod_name, path)
            assert mspec is not None and mspec.loader is not None
            module = importlib.util.module_from_spec(mspec)
            sys.modules[mod_name] = module
            mspec.loader.exec_module(module)
        else:
            module = importlib.import_module(spec)
    except PluginError:
        raise
    except Exception as e:  # a plugin's import error is the user's to see
        raise PluginError(f"cannot load plugin '{spec}': {type(e).__name__}: {e}") from e
    for attr in ("plugin", "mlopt_plugin"):
        if hasattr(module, attr):
            return _as_plugin(getattr(module, attr), spec)
    raise PluginError(f"plugin '{spec}' defines neither 'plugin' nor 'mlopt_plugin()'")


def installed_plugins() -> list[Plugin]:
    """Plugins declared by installed packages (entry-point group ``mlopt.plugins``)."""
    from importlib.metadata import entry_points

    plugins = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        where = f"entry point '{ep.name}' ({ep.value})"
        try:
            obj = ep.load()
        except Exception as e:
            raise PluginError(f"cannot load plugin {where}: {type(e).__name__}: {e}") from e
        plugins.append(_as_plugin(obj, where))
    return plugins


def load_plugins(extra: Iterable[str] = ()) -> list[Plugin]:
    """Installed plugins followed by the ones named in ``extra``."""
    return installed_plugins() + [load_plugin_module(s) for s in extra]

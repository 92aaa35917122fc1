"""The registry of dialects and passes known to mlopt.

Three sources are merged, in this order:

1. everything xDSL provides (``xdsl.dialects.get_all_dialects`` and
   ``xdsl.transforms.get_all_passes``);
2. mlopt's own dialects and passes, which replace an xDSL entry of the same
   name (that is how mlopt fixes an xDSL pass: it registers its own under the
   upstream name);
3. plugins (see :mod:`mlopt.plugins`); a plugin may not reuse a name that is
   already taken, and a clash is reported naming both sources. An installed
   plugin that fails to load is skipped with a warning (``broken_plugins``);
   one named explicitly (``extra_plugins``) raises PluginError.

Every entry is a zero-argument factory, so nothing is imported until used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.ir import Dialect
from xdsl.passes import ModulePass

from mlopt.errors import PluginError

DialectFactory = Callable[[], Dialect]
PassFactory = Callable[[], type[ModulePass]]


class RegistryError(PluginError):
    """A name is registered twice, or an unknown name is looked up."""


@dataclass
class Registry:
    dialects: dict[str, DialectFactory] = field(default_factory=dict)
    passes: dict[str, PassFactory] = field(default_factory=dict)
    dialect_sources: dict[str, str] = field(default_factory=dict)
    pass_sources: dict[str, str] = field(default_factory=dict)
    onnx_lowerings: dict[str, object] = field(default_factory=dict)
    """ONNX op name (``onnx.Conv``, ``mydomain.MyOp``) -> a RewritePattern
    instance (or factory returning one) that lowers it to the tensor level."""
    onnx_lowering_sources: dict[str, str] = field(default_factory=dict)
    plugins: list[object] = field(default_factory=list)
    broken_plugins: dict[str, str] = field(default_factory=dict)
    """Installed plugins that failed to load or register: how each is named
    (its entry point) -> the reason. They contribute nothing; the rest works."""

    def add_dialect(
        self, name: str, factory: DialectFactory, source: str, *, override: bool = False
    ) -> None:
        if name in self.dialects and not override:
            raise RegistryError(
                f"dialect '{name}' from {source} clashes with dialect '{name}' "
                f"from {self.dialect_sources[name]}"
            )
        self.dialects[name] = factory
        self.dialect_sources[name] = source

    def add_pass(
        self, name: str, factory: PassFactory, source: str, *, override: bool = False
    ) -> None:
        if name in self.passes and not override:
            raise RegistryError(
                f"pass '{name}' from {source} clashes with pass '{name}' "
                f"from {self.pass_sources[name]}"
            )
        self.passes[name] = factory
        self.pass_sources[name] = source

    def add_onnx_lowering(self, op_name: str, pattern: object, source: str) -> None:
        if op_name in self.onnx_lowerings:
            raise RegistryError(
                f"ONNX lowering for '{op_name}' from {source} clashes with the one "
                f"from {self.onnx_lowering_sources[op_name]}"
            )
        self.onnx_lowerings[op_name] = pattern
        self.onnx_lowering_sources[op_name] = source


def build_registry(extra_plugins: Iterable[str] = ()) -> Registry:
    """Collect xDSL's, mlopt's and the plugins' dialects and passes.

    ``extra_plugins`` names modules or ``.py`` files to load as plugins in
    addition to the installed ones (``mlopt --load-plugin``).
    """
    from xdsl.dialects import get_all_dialects
    from xdsl.transforms import get_all_passes

    from mlopt.dialects import get_mlopt_dialects
    from mlopt.passes import get_mlopt_passes
    from mlopt.plugins import register_plugins

    reg = Registry()
    for name, factory in get_all_dialects().items():
        reg.add_dialect(name, factory, "xdsl")
    for name, factory in get_all_passes().items():
        reg.add_pass(name, factory, "xdsl")
    for name, factory in get_mlopt_dialects().items():
        reg.add_dialect(name, factory, "mlopt", override=True)
    for name, factory in get_mlopt_passes().items():
        reg.add_pass(name, factory, "mlopt", override=True)
    register_plugins(reg, extra_plugins)
    return reg


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The registry with installed plugins, built once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = build_registry()
    return _DEFAULT


def set_default_registry(registry: Registry | None) -> Registry | None:
    """Make ``registry`` the process-wide default (``None``: rebuild on next use),
    e.g. one built with ``build_registry(extra_plugins=[...])``, so that code
    that consults the default registry (named pipelines, plugin ONNX
    lowerings in convert-onnx-to-tensor) sees those plugins. Returns the
    previous default."""
    global _DEFAULT
    previous, _DEFAULT = _DEFAULT, registry
    return previous


def make_context(
    registry: Registry | None = None, *, allow_unregistered: bool = False
) -> Context:
    """A context in which every registered dialect is available (loaded lazily)."""
    reg = registry or default_registry()
    ctx = Context(allow_unregistered=allow_unregistered)
    for name, factory in reg.dialects.items():
        ctx.register_dialect(name, factory)
    ctx._mlopt_registry = reg  # type: ignore[attr-defined]  # for registry_of
    return ctx


def registry_of(ctx: Context) -> Registry | None:
    """The registry ``make_context`` built ``ctx`` from (None for other contexts)."""
    reg = getattr(ctx, "_mlopt_registry", None)
    return reg if isinstance(reg, Registry) else None

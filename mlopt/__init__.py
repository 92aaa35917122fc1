"""mlopt: an MLIR-style multi-level compiler for ONNX models, on xDSL and LLVM.

Library entry points::

    import mlopt
    ctx = mlopt.make_context()                 # every dialect + plugins
    module = mlopt.parse(text, ctx)            # or mlopt.parse_file(path, ctx)
    mlopt.run_pipeline(module, "canonicalize,cse", ctx)
    print(mlopt.print_ir(module))
    model = mlopt.compile("model.onnx")       # -> CompiledModel (numpy in/out)
    mlopt.save(model, "model.mlopt")           # a package: machine code, weights, manifest
    model = mlopt.load("model.mlopt")          # ... runs without compiling (so does pickle)

Every error these functions raise about their input (a missing or malformed
model, IR that does not parse or verify, an unknown pass, an op without a
lowering, an unknown target CPU, inputs that do not fit the model, a failed
run-time check) is an :class:`MloptError` (see :mod:`mlopt.errors`).
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from mlopt import errors
from mlopt.errors import (
    ArtifactError,
    CompileError,
    IndexOutOfRangeError,
    InputError,
    LoweringError,
    MloptError,
    ModelImportError,
    PluginError,
    RuntimeCheckError,
    TargetError,
    UsageError,
    VerificationError,
    public_errors,
)
from mlopt.registry import Registry, build_registry, default_registry, make_context

if TYPE_CHECKING:
    from mlopt.backends.runtime import CompiledModel

__version__ = "0.1.0"

__all__ = [
    "MloptError",
    "ModelImportError",
    "VerificationError",
    "CompileError",
    "LoweringError",
    "TargetError",
    "InputError",
    "RuntimeCheckError",
    "IndexOutOfRangeError",
    "PluginError",
    "UsageError",
    "ArtifactError",
    "Registry",
    "build_registry",
    "default_registry",
    "make_context",
    "parse",
    "parse_file",
    "print_ir",
    "run_pipeline",
    "import_onnx",
    "compile",
    "save",
    "load",
]


def parse(text: str, ctx: Context | None = None, name: str = "<string>") -> ModuleOp:
    """Parse MLIR text into a verified ``builtin.module``.

    Every op records where it starts in ``text`` (its location), so a parse or
    verifier error names ``name:line:col``: a :class:`VerificationError`
    (``IRParseError``, also an xDSL ``ParseError``, or ``IRVerifyError``, also a
    ``VerifyException``) whose message starts with the failing op's position.
    """
    from xdsl.utils.exceptions import VerifyException

    from mlopt.errors import IRVerifyError
    from mlopt.tools._driver_parser import LocatingParser
    from mlopt.tools.diagnostics import SourceText, failing_op, op_location

    ctx = ctx or make_context()
    parser = LocatingParser(ctx, SourceText(name, text))
    try:
        with public_errors():
            module = parser.parse_module()
    except IRVerifyError as e:  # an attribute or op builder rejected a value: say where
        raise IRVerifyError(f"{parser.current_loc()}: error: {e}") from e.__cause__
    except errors.CompileArgumentError as e:  # ... with a ValueError
        raise IRVerifyError(f"{parser.current_loc()}: error: {e}") from e.__cause__
    try:
        module.verify()
    except VerifyException as e:
        op = failing_op(e, prefer_verify=True)
        loc = op_location(op) if op is not None else None
        raise IRVerifyError(f"{loc or name}: error: {e}") from e
    return module


def parse_file(path: str | Path, ctx: Context | None = None) -> ModuleOp:
    """Parse a ``.mlir`` file (or import a ``.onnx`` model) into a module."""
    path = Path(path)
    if path.suffix == ".onnx":
        return import_onnx(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelImportError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ModelImportError(f"{path}: cannot read: {e}") from e
    return parse(text, ctx, str(path))


def print_ir(op: Any, *, generic: bool = False) -> str:
    """The textual form of ``op``."""
    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue() + "\n"


def run_pipeline(
    module: ModuleOp, pipeline: str, ctx: Context | None = None, registry: Registry | None = None
) -> ModuleOp:
    """Run a textual pass pipeline on ``module`` in place, and return it.

    Pass names are looked up in ``registry``, else in the registry ``ctx`` was
    made from (``make_context(build_registry(extra_plugins=[...]))``: plugins
    that are not installed), else in the default one; while the pipeline runs
    that registry is the default, so plugin pipelines and plugin ONNX lowerings
    resolve through it too.

    A malformed pipeline or unknown pass raises :class:`UsageError`; a pass that
    fails, :class:`CompileError` (or a subclass); IR that no longer verifies,
    :class:`VerificationError`."""
    from mlopt.pipeline_parse import parse_pipeline
    from mlopt.registry import registry_of, set_default_registry

    reg = registry or (registry_of(ctx) if ctx is not None else None) or default_registry()
    ctx = ctx or make_context(reg)
    passes = parse_pipeline(pipeline, reg)
    previous = set_default_registry(reg)
    try:
        with public_errors():
            passes.apply(ctx, module)
    finally:
        set_default_registry(previous)
    return module


def import_onnx(model: Any, input_shapes: dict[str, Any] | None = None) -> ModuleOp:
    """Import an ONNX model (path, bytes or ModelProto) into the onnx dialect.

    ``input_shapes`` (``{"input": (1, 64)}``) fixes the shapes of the named
    inputs, as ``mlopt --input-shape`` does: lowering past the onnx level
    (``onnx-to-llvm``) needs static shapes.
    Raises :class:`ModelImportError` naming the file, node or value at fault."""
    from mlopt.frontends.onnx import import_model

    with public_errors():
        return import_model(model, input_shapes=input_shapes)


def compile(model: Any, **options: Any) -> CompiledModel:
    """Compile an ONNX model (or an onnx-level module) to native code.

    ``model``: a path (``.onnx``, or ``.mlir``), serialized bytes, an
    ``onnx.ModelProto`` or a module; ``options``: see
    :func:`mlopt.backends.runtime.compile_model`. A ``target_cpu`` LLVM does
    not know raises :class:`TargetError` before anything is compiled; every
    other problem with the model or the options is an :class:`MloptError` too.
    """
    from mlopt.backends.runtime import compile_model

    target_cpu = options.get("target_cpu")
    if target_cpu is not None:
        from mlopt.backends.llvm.target import check_target

        check_target(target_cpu)
    from xdsl.dialects.builtin import ModuleOp

    if not isinstance(model, ModuleOp) and not (
        isinstance(model, str | os.PathLike) and Path(model).suffix == ".mlir"
    ):
        hit, digest = _cached_compile(model, options)
        if hit is not None:
            return hit
        from mlopt.frontends.onnx import load_model

        if digest is not None and "content_hash" not in options:
            options["content_hash"] = digest  # a miss: the compile stores under this hash
        model = load_model(model)  # ModelImportError naming the path, or "not a valid ONNX model"
    with public_errors():
        return compile_model(model, **options)


def _cached_compile(model: Any, options: dict[str, Any]) -> tuple[CompiledModel | None, str | None]:
    """The compiled model from the compile cache, found from the file's bytes
    and the options alone (no parse, no import), or None; and the SHA-256 of
    those bytes, the model's hash whether the cache is on or not (None when
    the bytes are not the whole model)."""
    from mlopt.backends import cache

    hashed = cache.model_file_hash(model)
    if hashed is None:
        return None, None
    if not options.get("cache", True) or not cache.cache_enabled():
        return None, hashed[0]
    from mlopt.backends.runtime import resolve_options

    known = ("opt_level", "target_cpu", "fast_math", "pipeline", "input_shapes", "num_threads", "profile")
    if set(options) - set(known) - {"cache", "progress"}:
        return None, hashed[0]  # let compile_model report the unknown option
    with public_errors():
        resolved = resolve_options(**{k: v for k, v in options.items() if k in known})
        key = cache.eager_key(hashed[0], "onnx-model", resolved)
    # the source, if a save with source ever needs it: re-read from the path (not
    # kept in memory), or the caller's bytes
    again = model if isinstance(model, str | os.PathLike) else hashed[1]

    def reload() -> Any:
        from mlopt.frontends.onnx import load_model

        return load_model(again)

    compiled = cache.lookup_compiled(key, reload)
    if compiled is not None:
        compiled.progress = bool(options.get("progress", False))
    return compiled, hashed[0]


def save(compiled: CompiledModel, path: str | os.PathLike[str], **options: Any) -> Path:
    """Write a compiled model as a package directory (``model.mlopt/``): the
    machine code of every compiled variant, its weights (memory-mappable), a
    shared library and C header per variant where a C compiler is found, and a
    manifest (names, dtypes, shapes, target CPU features, versions, hashes).
    See :mod:`mlopt.backends.artifact` and ``docs/artifacts.md``."""
    from mlopt.backends.artifact import save as _save

    with public_errors():
        return _save(compiled, path, **options)


def load(path: str | os.PathLike[str], *, verify: bool = True) -> CompiledModel:
    """Load a package written by :func:`save` or ``mlopt --emit=package``:
    nothing is compiled. Raises :class:`ArtifactError` for a missing or
    corrupt package, or one compiled for CPU features this machine lacks."""
    from mlopt.backends.artifact import load as _load

    with public_errors():
        return _load(path, verify=verify)

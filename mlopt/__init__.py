"""mlopt: an MLIR-style multi-level compiler for ONNX models, on xDSL and LLVM.

Library entry points::

    import mlopt
    ctx = mlopt.make_context()                 # every dialect + plugins
    module = mlopt.parse(text, ctx)            # or mlopt.parse_file(path, ctx)
    mlopt.run_pipeline(module, "canonicalize,cse", ctx)
    print(mlopt.print_ir(module))
    model = mlopt.compile("model.onnx")       # -> CompiledModel (numpy in/out)
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.printer import Printer

from mlopt.registry import Registry, build_registry, default_registry, make_context

if TYPE_CHECKING:
    from mlopt.backends.runtime import CompiledModel

__version__ = "0.1.0"

__all__ = [
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
]


def parse(text: str, ctx: Context | None = None, name: str = "<string>") -> ModuleOp:
    """Parse MLIR text into a verified ``builtin.module``.

    Every op records where it starts in ``text`` (its location), so a parse or
    verifier error names ``name:line:col``: xDSL's ``ParseError``, or a
    ``VerifyException`` whose message starts with the failing op's position.
    """
    from xdsl.utils.exceptions import VerifyException

    from mlopt.tools._driver_parser import LocatingParser
    from mlopt.tools.diagnostics import SourceText, failing_op, op_location

    ctx = ctx or make_context()
    module = LocatingParser(ctx, SourceText(name, text)).parse_module()
    try:
        module.verify()
    except VerifyException as e:
        op = failing_op(e, prefer_verify=True)
        loc = op_location(op) if op is not None else None
        raise VerifyException(f"{loc or name}: error: {e}") from None
    return module


def parse_file(path: str | Path, ctx: Context | None = None) -> ModuleOp:
    """Parse a ``.mlir`` file (or import a ``.onnx`` model) into a module."""
    path = Path(path)
    if path.suffix == ".onnx":
        return import_onnx(path)
    return parse(path.read_text(), ctx, str(path))


def print_ir(op: Any, *, generic: bool = False) -> str:
    """The textual form of ``op``."""
    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue() + "\n"


def run_pipeline(module: ModuleOp, pipeline: str, ctx: Context | None = None) -> ModuleOp:
    """Run a textual pass pipeline on ``module`` in place, and return it."""
    from mlopt.pipeline_parse import parse_pipeline

    ctx = ctx or make_context()
    parse_pipeline(pipeline).apply(ctx, module)
    return module


def import_onnx(model: Any) -> ModuleOp:
    """Import an ONNX model (path, bytes or ModelProto) into the onnx dialect."""
    from mlopt.frontends.onnx import import_model

    return import_model(model)


def compile(model: Any, **options: Any) -> CompiledModel:
    """Compile an ONNX model (or an onnx-level module) to native code."""
    from mlopt.backends.runtime import compile_model

    return compile_model(model, **options)

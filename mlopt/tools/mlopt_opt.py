"""`mlopt`: the opt-style driver (in the manner of mlir-opt and xdsl-opt).

Reads MLIR text (a file or ``-`` for stdin) or an ONNX model, runs a pass
pipeline, and prints the result (or emits ONNX / LLVM IR / assembly / object
code).  User errors (any :class:`mlopt.MloptError`) are reported as
``FILE:LINE:COL: error: message`` with the source line and a caret (or
``FILE: error: message``, ``mlopt: error: message``), naming the file once and
without Python class names, and exit with status 1 (a bad command line too); an
unexpected exception inside mlopt or a plugin is reported as an internal error
(status 2; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlopt import errors as _errors
from mlopt.backends.progress import add_progress_flags, progress_wanted
from mlopt.plugins import report_plugin_warnings

if TYPE_CHECKING:
    from xdsl.context import Context
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.passes import ModulePass

    from mlopt.registry import Registry
    from mlopt.tools.diagnostics import DiagnosticEngine, SourceText

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_INTERNAL_ERROR = 2

SPLIT_MARKER = "// -----"

_ONNX_ELIDE = 16  # mlopt.tools.elide.ONNX_STDOUT_DEFAULT, without importing xDSL here

_EPILOG = """\
examples:
  mlopt input.mlir -p 'builtin.module(canonicalize,cse)'
  mlopt input.mlir -p 'canonicalize,arith-add-fastmath{flags=fast}' -o out.mlir
  mlopt model.onnx -p onnx-shape-inference --print-op-generic
  mlopt tests.mlir --split-input-file --verify-diagnostics
  mlopt model.onnx -p onnx-to-llvm --emit=obj -O2 -o model.o

exit status: 0 on success, 1 on a user error (bad input, pipeline or options),
2 on an internal error (rerun with --debug for a traceback).
"""


class UsageError(_errors.UsageError):
    """A user mistake outside IR text (command line, files, ONNX model):
    reported as ``mlopt: error: ...`` (or ``WHERE: error: ...``), exit 1."""

    def __init__(self, message: str, where: str = "mlopt"):
        super().__init__(message)
        self.where = where


# --------------------------------------------------------------------------- #
# Command line
# --------------------------------------------------------------------------- #


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        """A bad command line is a user error: exit status 1, like mlir-opt."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USER_ERROR, f"mlopt: error: {message}\n")


def _make_arg_parser() -> argparse.ArgumentParser:
    ap = _ArgumentParser(
        prog="mlopt",
        allow_abbrev=False,  # `--target x` must not be taken for `--target-cpu x`
        usage="mlopt [options] [input]",
        description="mlopt modular optimizer driver: parse MLIR (or import ONNX),\n"
        "run a pass pipeline, print or emit the result.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    io = ap.add_argument_group("input and output")
    io.add_argument("input", nargs="?", default="-",
                    help="input .mlir or .onnx file, or '-' for stdin (default)")
    io.add_argument("-o", "--output", default="-", metavar="FILE",
                    help="output file (default stdout); a name ending in .onnx writes an ONNX model")
    io.add_argument("-x", "--import", dest="import_kind", choices=("mlir", "onnx"),
                    help="input format (default: by file extension, else mlir)")
    io.add_argument("--input-shape", action="append", default=[], metavar="NAME=DxDx..",
                    help="static shape for an ONNX graph input (repeatable)")
    io.add_argument("--split-input-file", action="store_true",
                    help=f"split the input at '{SPLIT_MARKER}' lines and process each chunk "
                    "separately; outputs are joined with the same marker")
    io.add_argument("--allow-unregistered-dialect", action="store_true",
                    help="accept operations of unknown dialects")
    io.add_argument("--print-op-generic", "--mlir-print-op-generic", action="store_true",
                    help="print operations in generic form")
    io.add_argument("--print-debuginfo", "--mlir-print-debuginfo", action="store_true",
                    help="print operation locations (loc(...))")
    io.add_argument("--mlir-elide-elementsattrs-if-larger", "--elide-elementsattrs-if-larger",
                    dest="elide_if_larger", type=int, default=None, metavar="N",
                    help="print constants (dense<...>) of more than N elements as "
                    "dense_resource<__elided__>, for reading (such IR does not compile); "
                    "N < 0: print everything. Default: everything, except that ONNX input "
                    f"printed to stdout or dumped with --print-ir-* elides above {_ONNX_ELIDE} "
                    "elements (weights); -o FILE always writes them unless N is given")

    pp = ap.add_argument_group("passes")
    pp.add_argument("-p", "--passes", "--pass-pipeline", dest="passes", default="",
                    metavar="PIPELINE",
                    help="pass pipeline: 'builtin.module(a,b{opt=v})' or short 'a,b{opt=v}'")
    pp.add_argument("--verify-each", action=argparse.BooleanOptionalAction, default=True,
                    help="verify the IR after every pass (default: on). It costs time: a third "
                    "to a half of a run lowering a large model (squeezenet with onnx-to-llvm: "
                    "the 'Verifier' row of --timing); --no-verify-each skips it (the input is "
                    "still verified once)")
    pp.add_argument("--load-plugin", action="append", default=[], metavar="MODULE_OR_FILE",
                    help="load a plugin module or .py file (repeatable)")

    dg = ap.add_argument_group("diagnostics and debugging")
    dg.add_argument("--verify-diagnostics", action="store_true",
                    help="check emitted diagnostics against 'expected-error {{...}}' comments")
    dg.add_argument("--print-ir-before-all", "--mlir-print-ir-before-all", action="store_true",
                    help="print the IR before every pass (to stderr)")
    dg.add_argument("--print-ir-after-all", "--mlir-print-ir-after-all", action="store_true",
                    help="print the IR after every pass (to stderr)")
    dg.add_argument("--print-ir-after-failure", "--mlir-print-ir-after-failure",
                    action="store_true", help="print the IR after a pass fails (to stderr)")
    dg.add_argument("--timing", "--mlir-timing", action="store_true",
                    help="print a per-pass wall-time report (to stderr)")
    dg.add_argument("--debug", action="store_true",
                    help="do not catch exceptions: show Python tracebacks")

    cg = ap.add_argument_group("code generation")
    cg.add_argument("--emit", choices=("mlir", "llvm", "asm", "obj", "shared", "package"),
                    default="mlir",
                    help="output kind (default mlir); others use the LLVM backend; package: a "
                         "directory (-o model.mlopt) that mlopt.load runs without compiling, "
                         "with a shared library and C header (docs/artifacts.md)")
    cg.add_argument("--no-cache", action="store_true",
                    help="--emit=package: do not use the compile cache (MLOPT_CACHE_DIR)")
    add_progress_flags(cg, "--emit=package: show compile stages on stderr")
    cg.add_argument("-O", dest="opt_level", type=int, choices=(0, 1, 2, 3), default=3,
                    metavar="{0,1,2,3}", help="LLVM optimisation level for --emit (default 3)")
    cg.add_argument("--target-cpu", default=None, metavar="CPU",
                    help="LLVM target CPU for --emit (default: host)")

    info = ap.add_argument_group("information")
    info.add_argument("--list-passes", action="store_true",
                      help="list every pass and named pipeline, then exit")
    info.add_argument("--list-dialects", action="store_true",
                      help="list every dialect, then exit")
    info.add_argument("--model-info", action="store_true",
                      help="describe the input (ONNX model or IR): inputs, outputs, dtypes, "
                      "symbolic dimensions, opsets, op histogram; then exit")
    info.add_argument("--version", action="store_true", help="print the version, then exit")
    return ap


# --------------------------------------------------------------------------- #
# Timing
# --------------------------------------------------------------------------- #


@dataclass
class Timer:
    start: float = field(default_factory=time.perf_counter)
    rows: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.rows[name] = self.rows.get(name, 0.0) + seconds

    def report(self) -> str:
        total = time.perf_counter() - self.start
        rest = max(total - sum(self.rows.values()), 0.0)
        bar = "===" + "-" * 73 + "==="
        lines = [
            bar,
            "... Execution time report ...".center(len(bar)).rstrip(),
            bar,
            f"  Total Execution Time: {total:.4f} seconds",
            "",
            "  ----Wall Time----  ----Name----",
        ]

        def row(secs: float, name: str) -> str:
            pct = 100.0 * secs / total if total > 0 else 0.0
            return f"  {secs:8.4f} ({pct:5.1f}%)  {name}"

        for name, secs in self.rows.items():
            lines.append(row(secs, name))
        lines.append(row(rest, "Rest"))
        lines.append(row(total, "Total"))
        return "\n".join(lines) + "\n"


class _TimedSection:
    def __init__(self, timer: Timer | None, name: str):
        self.timer, self.name = timer, name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        if self.timer is not None:
            self.timer.add(self.name, time.perf_counter() - self.t0)


# --------------------------------------------------------------------------- #
# The driver
# --------------------------------------------------------------------------- #


class _ChunkFailed(Exception):
    """Processing of the current chunk stopped after an error diagnostic."""


class Driver:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.timer = Timer() if args.timing else None
        self.registry: Registry | None = None
        self.passes: list[ModulePass] = []
        self.internal_error = False
        self.previous_registry: Registry | None = None
        #: constants above this many elements print elided (None: never); see elide_limits
        self.elide_output: int | None = None
        self.elide_dumps: int | None = None
        self.elided_by_default = 0

    # ---- setup -----------------------------------------------------------

    def build_registry(self) -> Registry:
        from mlopt.plugins import PluginError
        from mlopt.registry import RegistryError, build_registry, set_default_registry

        try:
            reg = build_registry(extra_plugins=self.args.load_plugin)
        except (PluginError, RegistryError) as e:
            if self.args.debug:
                raise
            raise UsageError(str(e)) from e
        # named pipelines (and plugins' pipelines) resolve pass names through the
        # default registry: make it this one, plugins included
        self.previous_registry = set_default_registry(reg)
        self.registry = reg
        return reg

    def build_pipeline(self) -> list[ModulePass]:
        from mlopt.pipeline_parse import PipelineError, parse_pipeline

        assert self.registry is not None
        if not self.args.passes.strip():
            return []
        try:
            pipeline = parse_pipeline(self.args.passes, self.registry)
            return self._expand(list(pipeline.passes), depth=0)
        except PipelineError as e:
            if self.args.debug:
                raise
            raise UsageError(str(e)) from e

    def _expand(self, passes: list[ModulePass], depth: int) -> list[ModulePass]:
        """Replace option-less named pipelines by their passes, so that timing and
        IR dumps show each pass."""
        import dataclasses

        from mlopt.pipeline_parse import PipelineError, parse_pipeline

        if depth > 16:
            raise PipelineError("named pipelines nest too deeply (recursive pipeline?)")
        out: list[ModulePass] = []
        for p in passes:
            text = getattr(type(p), "pipeline_text", None)
            if (isinstance(text, str) and "Pipeline_" in type(p).__name__
                    and not dataclasses.fields(p)):
                sub = parse_pipeline(text, self.registry)
                out.extend(self._expand(list(sub.passes), depth + 1))
            else:
                out.append(p)
        return out

    # ---- reading ----------------------------------------------------------

    def input_name(self) -> str:
        return "<stdin>" if self.args.input == "-" else self.args.input

    def input_kind(self) -> str:
        if self.args.import_kind:
            return self.args.import_kind
        return "onnx" if self.args.input.lower().endswith(".onnx") else "mlir"

    def read_input(self, binary: bool) -> Any:
        try:
            if self.args.input == "-":
                return sys.stdin.buffer.read() if binary else sys.stdin.read()
            with open(self.args.input, "rb" if binary else "r", encoding=None if binary else "utf-8") as f:
                return f.read()
        except OSError as e:
            raise UsageError(f"cannot open input file '{self.args.input}': {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise UsageError(f"input file '{self.args.input}' is not UTF-8 text: {e}") from e

    # ---- one module -------------------------------------------------------

    def make_context(self) -> Context:
        from mlopt.registry import make_context

        return make_context(self.registry, allow_unregistered=self.args.allow_unregistered_dialect)

    def parse_chunk(self, ctx: Context, src: SourceText, engine: DiagnosticEngine) -> ModuleOp:
        from xdsl.utils.exceptions import MultipleSpansParseError, ParseError

        from mlopt.tools._driver_parser import LocatingParser
        from mlopt.tools.diagnostics import Diagnostic

        parser = LocatingParser(ctx, src, engine.positions)
        try:
            with _TimedSection(self.timer, "Parser"):
                return parser.parse_module()
        except ParseError as e:
            if self.args.debug:
                raise
            d = engine.emit("error", e.msg, loc=src.loc(e.span.start))
            if isinstance(e, MultipleSpansParseError):
                ref_text = (e.ref_text or "").strip().rstrip(":")
                for span, msg in e.refs:
                    d.notes.append(Diagnostic("note", msg or ref_text or "see here",
                                              src.loc(span.start)))
            raise _ChunkFailed from e
        except Exception as e:
            # an attribute or op builder raised while parsing: report at the token
            if self.args.debug:
                raise
            engine.emit("error", _exc_message(e), loc=parser.current_loc())
            raise _ChunkFailed from e

    def verify(self, module: ModuleOp, engine: DiagnosticEngine, after_pass: str | None) -> None:
        try:
            with _TimedSection(self.timer, "Verifier"):
                module.verify()
        except Exception as e:
            if self.args.debug:
                raise
            op, loc = engine.locate_exception(e, prefer_verify=True)
            msg = _exc_message(e)
            if op is not None and not msg.startswith(f"'{op.name}' op"):
                msg = f"'{op.name}' op {msg}"
            d = engine.emit("error", msg, op=op or module, loc=loc)
            if d.loc is None:
                d.loc = engine.location_of(module)
            if after_pass is not None:
                d.context.append(f"mlopt: note: the IR produced by pass '{after_pass}' does not verify")
            raise _ChunkFailed from e

    def dump(self, title: str, module: ModuleOp) -> None:
        sys.stderr.write(f"// -----// {title} //----- //\n")
        sys.stderr.write(self.print_module(module, self.elide_dumps))
        sys.stderr.write("\n")
        sys.stderr.flush()

    def run_passes(self, ctx: Context, module: ModuleOp, engine: DiagnosticEngine) -> None:
        from xdsl.utils.exceptions import DiagnosticException

        from mlopt.tools.diagnostics import active_engine

        args = self.args
        for p in self.passes:
            if args.print_ir_before_all:
                self.dump(f"IR Dump Before {p.name}", module)
            n_errors = sum(d.severity == "error" for d in engine.diagnostics)
            try:
                with active_engine(engine), _TimedSection(self.timer, p.name):
                    p.apply(ctx, module)
            except Exception as e:
                if args.debug:
                    raise
                op, loc = engine.locate_exception(e)
                if isinstance(e, DiagnosticException | _errors.MloptError):
                    d = engine.emit("error", _exc_message(e), op=op or module, loc=loc)
                else:
                    d = engine.emit(
                        "error",
                        f"internal error in pass '{p.name}': {_errors.unexpected_error_text(e)}",
                        op=op or module, loc=loc,
                    )
                    d.internal = True
                    d.context.append("mlopt: note: this is a bug in mlopt or a plugin; "
                                     "rerun with --debug for a traceback")
                    self.internal_error = True
                if d.loc is None:
                    d.loc = engine.location_of(module)
                if args.print_ir_after_failure:
                    self.dump(f"IR Dump After {p.name} Failed", module)
                raise _ChunkFailed from e
            if sum(d.severity == "error" for d in engine.diagnostics) > n_errors:
                if args.print_ir_after_failure:
                    self.dump(f"IR Dump After {p.name} Failed", module)
                raise _ChunkFailed
            if args.print_ir_after_all:
                self.dump(f"IR Dump After {p.name}", module)
            if args.verify_each:
                self.verify(module, engine, after_pass=p.name)

    def elide_limits(self) -> None:
        """--mlir-elide-elementsattrs-if-larger, or its default: ONNX input (its
        weights) is elided above _ONNX_ELIDE elements where it is printed for
        reading (stdout, IR dumps), never in an output file."""
        n = self.args.elide_if_larger
        if n is not None:
            self.elide_output = self.elide_dumps = n if n >= 0 else None
        elif self.input_kind() == "onnx":
            self.elide_dumps = _ONNX_ELIDE
            if self.args.output == "-" and self.args.emit == "mlir":
                self.elide_output = _ONNX_ELIDE

    def print_module(self, module: ModuleOp, elide: int | None = None) -> str:
        from io import StringIO

        from mlopt.tools.elide import ElidingPrinter

        out = StringIO()
        printer = ElidingPrinter(stream=out, print_generic_format=self.args.print_op_generic,
                                 print_debuginfo=self.args.print_debuginfo,
                                 elide_if_larger=-1 if elide is None else elide)
        printer.print_op(module)
        out.write("\n")
        if self.args.elide_if_larger is None:
            self.elided_by_default += printer.elided
        return out.getvalue()

    # ---- whole runs -------------------------------------------------------

    def process_text(self, text: str) -> tuple[list[ModuleOp | None], bool]:
        """Parse and transform every chunk; returns the modules (None for failed
        chunks) and whether everything succeeded (diagnostics verified)."""
        from mlopt.tools.diagnostics import (
            DiagnosticEngine,
            SourceManager,
            SourceText,
            parse_expected,
            verify_expected,
            write_diagnostics,
        )

        name = self.input_name()
        sources = SourceManager()
        sources.add(name, text)
        chunks = split_chunks(text) if self.args.split_input_file else [(1, text)]
        ctx = self.make_context()
        modules: list[ModuleOp | None] = []
        ok = True
        for first_line, chunk in chunks:
            engine = DiagnosticEngine(sources)
            src = SourceText(name, "\n" * (first_line - 1) + chunk)
            module: ModuleOp | None = None
            try:
                module = self.parse_chunk(ctx, src, engine)
                self.verify(module, engine, after_pass=None)
                self.run_passes(ctx, module, engine)
                if engine.has_errors():
                    raise _ChunkFailed
            except _ChunkFailed:
                module = None
            modules.append(module)
            if self.args.verify_diagnostics:
                try:
                    expected = parse_expected(chunk, name, first_line)
                except ValueError as e:
                    raise UsageError(str(e)) from e
                problems = verify_expected(expected, engine.diagnostics)
                write_diagnostics(problems, sources)
                ok = ok and not problems
            else:
                write_diagnostics(engine.diagnostics, sources)
                ok = ok and module is not None
        return modules, ok

    def import_onnx(self) -> ModuleOp:
        shapes = parse_input_shapes(self.args.input_shape)
        data = self.read_input(binary=True) if self.args.input == "-" else self.args.input
        try:
            from mlopt.frontends.onnx import ONNXImportError, import_model
        except ImportError as e:
            if self.args.debug:
                raise
            raise UsageError(f"the ONNX importer is not available: {e}") from e
        try:
            with _TimedSection(self.timer, "ONNX import"):
                return import_model(data, input_shapes=shapes or None)
        except ONNXImportError as e:
            if self.args.debug:
                raise
            where = self.input_name()
            msg = str(e)
            if msg.startswith(f"{where}: "):  # name the file once
                msg = msg[len(where) + 2 :]
            raise UsageError(msg, where=where) from e

    def process_onnx(self) -> tuple[list[ModuleOp | None], bool]:
        from mlopt.tools.diagnostics import DiagnosticEngine, write_diagnostics

        module = self.import_onnx()
        engine = DiagnosticEngine()
        engine.default_where = self.input_name()
        ctx = self.make_context()
        try:
            self.verify(module, engine, after_pass=None)
            self.run_passes(ctx, module, engine)
            if engine.has_errors():
                raise _ChunkFailed
        except _ChunkFailed:
            write_diagnostics(engine.diagnostics, engine.sources)
            return [None], False
        write_diagnostics(engine.diagnostics, engine.sources)
        return [module], True

    def model_info(self) -> int:
        """--model-info: describe the input, run nothing."""
        from mlopt.tools.model_info import module_info, onnx_info

        if self.args.passes.strip():
            raise UsageError("--model-info describes the input and runs no passes; drop -p")
        if self.input_kind() == "onnx":
            import onnx

            data = self.read_input(binary=True)
            try:
                model = onnx.load_from_string(data)
            except Exception as e:  # noqa: BLE001 - protobuf's DecodeError and friends
                raise UsageError(f"not a valid ONNX model ({e})", where=self.input_name()) from e
            sys.stdout.write(onnx_info(model, self.input_name()))
            return EXIT_OK
        modules, ok = self.process_text(self.read_input(binary=False))
        if not ok:
            return EXIT_USER_ERROR
        for m in modules:
            if m is not None:
                sys.stdout.write(module_info(m, self.input_name()))
        return EXIT_OK

    def check_output_options(self) -> None:
        """Reject impossible output combinations before doing any work."""
        args = self.args
        out_path = None if args.output == "-" else args.output
        wants_onnx = out_path is not None and out_path.lower().endswith(".onnx")
        if (args.emit != "mlir" or wants_onnx) and args.split_input_file:
            raise UsageError(f"--split-input-file cannot be combined with "
                             f"{'ONNX output' if wants_onnx else '--emit=' + args.emit}")
        if wants_onnx and args.emit != "mlir":
            raise UsageError(f"--emit={args.emit} cannot write an .onnx file")
        if out_path is None and args.emit in ("obj", "shared", "package"):
            raise UsageError(f"--emit={args.emit} needs an output file (-o FILE)")
        if args.target_cpu is not None:
            from mlopt.backends.llvm.target import check_target

            try:
                check_target(args.target_cpu)
            except _errors.TargetError as e:
                raise UsageError(f"--target-cpu: {e}") from e

    def write_output(self, modules: list[ModuleOp | None]) -> None:
        args = self.args
        out_path = None if args.output == "-" else args.output
        wants_onnx = out_path is not None and out_path.lower().endswith(".onnx")
        if args.emit != "mlir" or wants_onnx:
            module = modules[0]
            if module is None:
                return
            with _TimedSection(self.timer, "Output"):
                if wants_onnx:
                    self.write_onnx(module, out_path)
                else:
                    self.emit_native(module, out_path)
            return
        with _TimedSection(self.timer, "Output"):
            before = self.elided_by_default
            text = f"{SPLIT_MARKER}\n".join(
                self.print_module(m, self.elide_output) if m is not None else "" for m in modules
            )
            if self.elided_by_default > before:
                sys.stderr.write(
                    f"mlopt: note: {self.elided_by_default - before} constant(s) of more than "
                    f"{_ONNX_ELIDE} elements printed as dense_resource<__elided__> (the default "
                    "for ONNX input on stdout); --mlir-elide-elementsattrs-if-larger=-1 prints "
                    "them, -o FILE writes them\n")
            if out_path is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            else:
                try:
                    with open(out_path, "w", encoding="utf-8") as f:
                        f.write(text)
                except OSError as e:
                    raise UsageError(f"cannot write output file '{out_path}': {e.strerror}") from e

    def write_onnx(self, module: ModuleOp, path: str) -> None:
        from mlopt.frontends.onnx_export import export_model

        try:
            data = export_model(module).SerializeToString()
        except Exception as e:
            if self.args.debug or not _is_user_error(e):
                raise
            raise UsageError(f"cannot export to ONNX: {_exc_message(e)}", where=self.input_name()) from e
        try:
            with open(path, "wb") as f:
                f.write(data)
        except OSError as e:
            raise UsageError(f"cannot write output file '{path}': {e.strerror}") from e

    def emit_package(self, module: ModuleOp, path: str) -> None:
        """Compile ``module`` (at any level: what is left is lowered with the named
        stages) and save it as a package directory."""
        from mlopt.backends.artifact import save
        from mlopt.backends.runtime import compile_model

        try:
            # --input-shape fixed an ONNX model's shapes at import; given again, they
            # are in the package's options
            onnx_input = self.input_kind() == "onnx"
            shapes = parse_input_shapes(self.args.input_shape) if onnx_input else {}
            compiled = compile_model(module, opt_level=self.args.opt_level,
                                     target_cpu=self.args.target_cpu, cache=not self.args.no_cache,
                                     input_shapes=shapes or None,
                                     progress=progress_wanted(self.args.progress))
            if not compiled.num_variants:
                dims = ", ".join(f"{s.name}: {s.describe_shape()}" for s in compiled.inputs)
                raise UsageError(f"--emit=package needs static input shapes ({dims}); "
                                 "fix them with --input-shape NAME=D0xD1...")
            save(compiled, path)
        except UsageError:
            raise
        except Exception as e:
            if self.args.debug or not _is_user_error(e):
                raise
            raise UsageError(f"cannot emit package: {_exc_message(e)}", where=self.input_name()) from e

    def emit_native(self, module: ModuleOp, path: str | None) -> None:
        kind = self.args.emit
        if kind == "package":
            assert path is not None
            return self.emit_package(module, path)
        try:
            from mlopt.backends.llvm import emit
        except ImportError as e:
            if self.args.debug:
                raise
            raise UsageError(f"the LLVM backend is not available: {e}") from e
        try:
            result = emit(module, kind, opt_level=self.args.opt_level,
                          target_cpu=self.args.target_cpu, output=path)
        except Exception as e:
            if self.args.debug or not _is_user_error(e):
                raise
            raise UsageError(f"cannot emit {kind}: {_exc_message(e)}", where=self.input_name()) from e
        if path is None:
            if isinstance(result, bytes):
                sys.stdout.buffer.write(result)
            elif isinstance(result, str):
                sys.stdout.write(result if result.endswith("\n") else result + "\n")
        else:
            import os

            if not os.path.exists(path) and isinstance(result, (str, bytes)):
                mode = "wb" if isinstance(result, bytes) else "w"
                with open(path, mode) as f:
                    f.write(result)

    def run(self) -> int:
        args = self.args
        if args.version:
            print(version_string())
            return EXIT_OK
        self.build_registry()
        if args.list_passes:
            sys.stdout.write(list_passes(self.registry))
            return EXIT_OK
        if args.list_dialects:
            sys.stdout.write(list_dialects(self.registry))
            return EXIT_OK
        if args.model_info:
            return self.model_info()
        self.check_output_options()
        self.elide_limits()
        self.passes = self.build_pipeline()
        if self.input_kind() == "onnx":
            if args.split_input_file:
                raise UsageError("--split-input-file does not apply to ONNX input")
            modules, ok = self.process_onnx()
        else:
            modules, ok = self.process_text(self.read_input(binary=False))
        # like mlir-opt, a failed run leaves no output file behind (stdout still
        # gets the chunks that succeeded)
        if ok or args.output == "-":
            self.write_output(modules)
        if self.timer is not None:
            sys.stderr.write(self.timer.report())
        if not ok:
            return EXIT_INTERNAL_ERROR if self.internal_error and not args.verify_diagnostics \
                else EXIT_USER_ERROR
        return EXIT_OK


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def _exc_message(e: BaseException) -> str:
    from xdsl.utils.exceptions import DiagnosticException

    msg = str(e).strip()
    if isinstance(e, DiagnosticException | _errors.MloptError) or (msg and _is_user_error(e)):
        return msg or _errors.unexpected_error_text(e)
    return _errors.unexpected_error_text(e)


def _is_user_error(e: BaseException) -> bool:
    from xdsl.utils.exceptions import DiagnosticException

    return isinstance(e, (DiagnosticException, _errors.MloptError, ValueError, NotImplementedError)) or \
        type(e).__name__.endswith(("ExportError", "BackendError", "UnsupportedError"))


def split_chunks(text: str) -> list[tuple[int, str]]:
    """Split at lines starting with ``// -----``; each chunk with its first line number."""
    chunks: list[tuple[int, str]] = []
    cur: list[str] = []
    start = 1
    for i, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith(SPLIT_MARKER):
            chunks.append((start, "\n".join(cur)))
            cur, start = [], i + 1
        else:
            cur.append(line)
    chunks.append((start, "\n".join(cur)))
    return chunks


def parse_input_shapes(specs: Sequence[str]) -> dict[str, tuple[int, ...]]:
    shapes: dict[str, tuple[int, ...]] = {}
    for spec in specs:
        name, sep, dims = spec.rpartition("=")
        try:
            if not sep or not name:
                raise ValueError
            shape = tuple(int(d) for d in dims.replace(",", "x").split("x") if d != "") \
                if dims.strip() else ()
        except ValueError:
            raise UsageError(f"bad --input-shape '{spec}': expected NAME=D0xD1x... "
                             "(e.g. x=1x3x224x224)") from None
        shapes[name] = shape
    return shapes


def version_string(prog: str = "mlopt") -> str:
    from importlib.metadata import PackageNotFoundError, version

    import mlopt

    try:
        xdsl_version = version("xdsl")
    except PackageNotFoundError:
        xdsl_version = "unknown"
    return f"{prog} {mlopt.__version__} (xDSL {xdsl_version}, Python {sys.version.split()[0]})"


def _docstring_line(doc: str | None) -> str:
    for line in (doc or "").strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def _first_doc_line(cls: type) -> str:
    from mlopt.tools.pass_docs import XDSL_PASS_DOCS

    doc = cls.__doc__ or ""
    # dataclasses invent a docstring "Name(field: type = ...)"; that is no doc
    if doc.startswith(cls.__name__ + "("):
        doc = ""
    if line := _docstring_line(doc):
        return line
    if known := XDSL_PASS_DOCS.get(getattr(cls, "name", "")):
        return known
    module = sys.modules.get(cls.__module__)
    return _docstring_line(getattr(module, "__doc__", None))


def _pass_options(cls: type) -> str:
    """``name=default (type)`` for each option (dataclass field) of a pass."""
    import dataclasses

    if not dataclasses.is_dataclass(cls):
        return ""
    parts = []
    for f in dataclasses.fields(cls):
        if not f.init or f.name.startswith("_"):
            continue
        name = f.name.replace("_", "-")
        if isinstance(f.type, str):
            typ = f.type
        else:  # a class by its name; tuple[int, ...], Literal[...], X | None spelled out
            typ = f.type.__name__ if type(f.type) is type else str(f.type).replace("typing.", "")
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            parts.append(f"{name} ({typ}, required)")
            continue
        if isinstance(default, bool):
            default = str(default).lower()
        elif isinstance(default, tuple | list):
            default = ",".join(str(d) for d in default) or "(empty)"
        parts.append(f"{name}={default} ({typ})")
    return ", ".join(parts)


def _source_group(source: str) -> tuple[int, str]:
    """Sort key and heading of a pass's source: mlopt, each plugin, xDSL."""
    if source == "mlopt":
        return (0, "mlopt")
    if source.startswith("plugin"):
        return (1, source)
    if source == "xdsl":
        return (2, "xDSL")
    return (3, source or "unknown")


def list_passes(registry: Registry | None) -> str:
    """Every pass and named pipeline, grouped by where it comes from (mlopt,
    each plugin, xDSL), each with its description and its options."""
    assert registry is not None
    groups: dict[tuple[int, str], list[tuple[str, str, str]]] = {}
    for name in sorted(registry.passes):
        source = registry.pass_sources.get(name, "")
        options = ""
        try:
            cls = registry.passes[name]()
            doc = _first_doc_line(cls)
            text = getattr(cls, "pipeline_text", None)
            if isinstance(text, str) and text not in doc:
                doc = (doc + " " if doc else "") + f"[pipeline: {text}]"
            options = _pass_options(cls)
        except Exception as e:  # a broken pass module must not break the listing
            doc = f"(cannot load: {_errors.unexpected_error_text(e)})"
        groups.setdefault(_source_group(source), []).append(
            (name, doc or "(no description)", options))
    width = min(max((len(n) for rows in groups.values() for n, _, _ in rows), default=0), 40)
    lines = ["Available passes and pipelines, by source "
             "(options: -p 'pass{option=value other=value}'):"]
    for key in sorted(groups):
        lines += ["", f"{key[1]}:"]
        for name, doc, options in groups[key]:
            lines.append(f"  {name:<{width}}  {doc}".rstrip())
            if options:
                lines.append(f"  {'':<{width}}    options: {options}")
    return "\n".join(lines) + "\n"


def list_dialects(registry: Registry | None) -> str:
    assert registry is not None
    names = sorted(registry.dialects)
    width = max((len(n) for n in names), default=0)
    lines = ["Available dialects:"]
    lines += [f"  {n:<{width}}  [{registry.dialect_sources.get(n, '')}]" for n in names]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = _make_arg_parser().parse_args(argv)
    driver = Driver(args)
    try:
        from mlopt.gc_tuning import compile_gc

        with report_plugin_warnings("mlopt"), compile_gc():
            return driver.run()
    except UsageError as e:
        sys.stdout.flush()
        sys.stderr.write(f"{e.where}: error: {e}\n")
        return EXIT_USER_ERROR
    except _errors.MloptError as e:  # raised outside the places that report at a location
        if args.debug:
            raise
        sys.stdout.flush()
        sys.stderr.write(f"mlopt: error: {str(e).strip()}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("mlopt: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (`mlopt ... | head`): not an error; silence the
        # final flush of stdout
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as e:
        if args.debug:
            raise
        sys.stderr.write(
            f"mlopt: internal error: {_errors.unexpected_error_text(e)}\n"
            "mlopt: note: this is a bug in mlopt or a plugin; rerun with --debug for a traceback\n"
        )
        return EXIT_INTERNAL_ERROR
    finally:
        if driver.registry is not None:  # leave the process as we found it
            from mlopt.registry import set_default_registry

            set_default_registry(driver.previous_registry)


if __name__ == "__main__":
    sys.exit(main())

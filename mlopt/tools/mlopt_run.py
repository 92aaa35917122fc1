"""`mlopt-run`: compile a model to native code with mlopt and run it.

Usage::

    mlopt-run                                   # the bundled digits MLP on its samples
    mlopt-run model.onnx x.npy                  # inputs by position (.npy) ...
    mlopt-run model.onnx inputs.npz             # ... or by name (.npz keys, arr_0.. by position)
    mlopt-run model.onnx x=a.npy y=b.npy        # ... or NAME=FILE
    mlopt-run model.onnx --random --shape data=1x3x224x224 --seed 1
    mlopt-run model.onnx --random --check --bench 50 -O2 --timing -o out.npz
    mlopt-run func.mlir --random                # an IR module at any level mlopt emits (onnx .. llvm)
    mlopt-run --info model.onnx                 # inputs, outputs, symbolic dims, opsets, op histogram

Outputs are printed (or saved with ``-o out.npz``, keyed by output name).
``--check`` runs onnxruntime (when installed) on the same inputs and reports the
largest absolute / relative error per output; a mismatch (rtol 1e-3, atol 1e-4)
exits with status 1. ``--bench N`` times N runs (after one warm-up) and prints
median and min latency, and with ``--check`` onnxruntime's and the ratio.
``--timing`` prints the compile time per pipeline stage. ``--profile
TRACE.json`` compiles with ``profile=True``: the generated code times each ONNX
node (or fused kernel) in every run (the first, and the ``--bench`` ones); the
events are written as Chrome-trace/Perfetto JSON and the 10 slowest ops are
printed with their share (:mod:`mlopt.backends.profiling`). ``--info`` prints a
summary of the model (see :mod:`mlopt.tools.model_info`) and runs nothing.
``--entry NAME`` picks the function of a ``.mlir`` module to run; for an ONNX
model (one graph) it is an error.

User errors (missing file, bad model, unsupported op, wrong input, any
:class:`mlopt.MloptError`) are reported as one line ``mlopt-run: error: ...``
naming the model file once, without Python class names, exit status 1 (an
error at a place in a ``.mlir`` file as ``FILE:LINE:COL: error: ...``, as
``mlopt`` reports it); an
unexpected exception (a bug in mlopt or a plugin) as ``mlopt-run: internal
error: ...``, also status 1. ``--traceback`` (or the environment variable
``MLOPT_TRACEBACK=1``) shows the Python traceback instead. ``--check`` needs
onnxruntime: without it mlopt-run says how to install it and exits 1.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mlopt.backends.progress import add_progress_flags, progress_wanted
from mlopt.errors import MloptError, UsageError, unexpected_error_text
from mlopt.plugins import report_plugin_warnings

PROG = "mlopt-run"
CHECK_RTOL = 1e-3
CHECK_ATOL = 1e-4


class UserError(UsageError):
    """A mistake in the command line or its inputs: reported as one line, exit 1."""


# --------------------------------------------------------------------------------------
# Model inputs: names, element types and (possibly symbolic) shapes.


@dataclass
class InputSpec:
    name: str
    dtype: np.dtype
    #: one entry per dimension: an int, or a str for a symbolic / unknown dimension
    dims: list[int | str]

    def describe(self) -> str:
        return f"'{self.name}' [{', '.join(str(d) for d in self.dims)}] {self.dtype}"


def onnx_input_specs(model: Any) -> list[InputSpec]:
    """The graph inputs of an ONNX ModelProto that are not initializers."""
    from onnx import helper

    inits = {init.name for init in model.graph.initializer}
    specs = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        if not vi.type.HasField("tensor_type"):
            raise UserError(f"input '{vi.name}' is not a tensor (sequence/map/optional inputs are not supported)")
        tt = vi.type.tensor_type
        try:
            dtype = np.dtype(helper.tensor_dtype_to_np_dtype(tt.elem_type))
        except Exception as exc:  # noqa: BLE001 - unknown element type
            raise UserError(f"input '{vi.name}' has an unsupported element type ({tt.elem_type})") from exc
        dims: list[int | str] = []
        if tt.HasField("shape"):
            for i, d in enumerate(tt.shape.dim):
                if d.HasField("dim_value"):
                    dims.append(int(d.dim_value))
                else:
                    dims.append(d.dim_param or f"?{i}")
        specs.append(InputSpec(vi.name, dtype, dims))
    return specs


def _element_dtype(elem: Any) -> np.dtype:
    from mlopt.dialects.onnx import to_numpy_dtype

    try:
        return to_numpy_dtype(elem)
    except ValueError:
        raise UserError(f"unsupported element type {elem} in the entry function's signature") from None


def select_entry(module: Any, entry: str) -> None:
    """Make ``@entry`` the function the runtime runs (``--entry``).

    A lowered module (affine or llvm level) runs the function its lowering
    marked ``mlopt.entry``: ``entry`` must be that one. At the onnx and tensor
    levels every other public function is made private, so the runtime picks
    ``@entry``."""
    from xdsl.dialects import func, llvm
    from xdsl.dialects.builtin import StringAttr

    funcs = [op for op in module.ops
             if isinstance(op, func.FuncOp | llvm.FuncOp) and op.body.blocks]
    target = next((f for f in funcs if f.sym_name.data == entry), None)
    if target is None:
        names = ", ".join(f"@{f.sym_name.data}" for f in funcs) or "none"
        raise UserError(f"--entry: no function @{entry} with a body in the module (functions: {names})")
    marked = [f for f in funcs if "mlopt.entry" in f.attributes]
    if marked:
        if target not in marked:
            raise UserError(
                f"--entry: @{entry} is not the entry of this lowered module: the lowering marked "
                f"@{marked[0].sym_name.data} (mlopt.entry), the only function it can run"
            )
        return
    for f in funcs:
        if f is not target and isinstance(f, func.FuncOp):
            f.sym_visibility = StringAttr("private")


def _dims(shape: tuple[int | None, ...] | None) -> list[int | str]:
    return [d if d is not None else f"?{j}" for j, d in enumerate(shape or ())]


def mlir_input_specs(module: Any, entry: str | None = None) -> list[InputSpec]:
    """The inputs the runtime feeds ``module`` (any level mlopt emits: onnx,
    tensor, affine, llvm), from :func:`mlopt.backends.runtime.module_signature`;
    ``entry`` first selects the function (see :func:`select_entry`)."""
    from mlopt.backends.runtime import module_signature

    if entry is not None:
        select_entry(module, entry)
    try:
        sig = module_signature(module)
    except MloptError as e:
        raise UserError(_error_line(e)) from None
    specs = []
    for s in sig.inputs:
        if s.shape is None:
            raise UserError(f"input '{s.name}' of @{sig.entry} is unranked; only ranked inputs can be fed")
        specs.append(InputSpec(s.name, s.dtype, _dims(s.shape)))
    return specs


def parse_shape_overrides(items: list[str]) -> dict[str, tuple[int, ...]]:
    shapes: dict[str, tuple[int, ...]] = {}
    for item in items:
        name, sep, dims = item.rpartition("=")
        if not sep or not name or not dims:
            raise UserError(f"--shape expects NAME=D0xD1x..., got '{item}'")
        try:
            shape = tuple(int(d) for d in dims.lower().split("x")) if dims != "scalar" else ()
        except ValueError:
            raise UserError(f"--shape {item}: dimensions must be integers separated by 'x'") from None
        if any(d < 0 for d in shape):
            raise UserError(f"--shape {item}: dimensions must be >= 0")
        shapes[name] = shape
    return shapes


def random_inputs(
    specs: list[InputSpec], shapes: dict[str, tuple[int, ...]], seed: int
) -> dict[str, np.ndarray]:
    """Random data for every input: normal floats, small non-negative ints, bools."""
    rng = np.random.default_rng(seed)
    unknown = set(shapes) - {s.name for s in specs}
    if unknown:
        names = ", ".join(s.name for s in specs)
        raise UserError(f"--shape names unknown input(s) {', '.join(sorted(unknown))} (inputs: {names})")
    out = {}
    for spec in specs:
        if spec.name in shapes:
            shape = shapes[spec.name]
            if len(shape) != len(spec.dims) or any(
                isinstance(d, int) and d != s for d, s in zip(spec.dims, shape)
            ):
                raise UserError(f"--shape {spec.name}={'x'.join(map(str, shape))} does not fit {spec.describe()}")
        else:
            symbolic = [d for d in spec.dims if not isinstance(d, int)]
            if symbolic:
                raise UserError(
                    f"input {spec.describe()} has symbolic dimensions; "
                    f"give its shape with --shape {spec.name}=" + "x".join("N" if not isinstance(d, int) else str(d) for d in spec.dims)
                )
            shape = tuple(int(d) for d in spec.dims)
        if spec.dtype.kind == "f":
            out[spec.name] = rng.standard_normal(shape).astype(spec.dtype)
        elif spec.dtype.kind in "iu":
            out[spec.name] = rng.integers(0, 10, size=shape).astype(spec.dtype)
        elif spec.dtype.kind == "b":
            out[spec.name] = rng.random(shape) < 0.5
        else:
            raise UserError(f"cannot generate random data for input {spec.describe()}")
    return out


def _load_array_file(path: str) -> Any:
    p = Path(path)
    if not p.exists():
        raise UserError(f"{path}: no such file")
    try:
        return np.load(p, allow_pickle=False)
    except Exception as exc:  # noqa: BLE001
        raise UserError(f"{path}: not a .npy/.npz file ({exc})") from None


def load_inputs(
    items: list[str], specs: list[InputSpec]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Inputs from ``.npy``/``.npz`` files, by position, by .npz key or by NAME=FILE.

    Returns (inputs by name, extra arrays of .npz files that name no input, e.g. labels).
    """
    names = [s.name for s in specs]
    inputs: dict[str, np.ndarray] = {}
    extras: dict[str, np.ndarray] = {}
    position = 0

    def put(name: str, value: np.ndarray, origin: str) -> None:
        if name not in names:
            raise UserError(f"{origin}: the model has no input '{name}' (inputs: {', '.join(names)})")
        if name in inputs:
            raise UserError(f"{origin}: input '{name}' given twice")
        inputs[name] = value

    for item in items:
        name, sep, path = item.partition("=")
        if sep and not Path(item).exists():
            put(name, np.asarray(_load_array_file(path)), item)
            continue
        data = _load_array_file(item)
        if isinstance(data, np.ndarray):
            while position < len(names) and names[position] in inputs:
                position += 1
            if position >= len(names):
                raise UserError(f"{item}: more input files than model inputs ({len(names)})")
            put(names[position], data, item)
            position += 1
            continue
        with data:
            keys = list(data.keys())
            named = [k for k in keys if k in names]
            positional = [k for k in keys if k.startswith("arr_") and k[4:].isdigit()]
            for k in named:
                put(k, data[k], f"{item}[{k}]")
            if not named:
                for k in sorted(positional, key=lambda k: int(k[4:])):
                    idx = int(k[4:])
                    if idx >= len(names):
                        raise UserError(f"{item}: array {k} but the model has {len(names)} input(s)")
                    put(names[idx], data[k], f"{item}[{k}]")
            for k in keys:
                if k not in named and not (not named and k in positional):
                    extras[k] = data[k]
    missing = [n for n in names if n not in inputs]
    if missing:
        raise UserError(
            f"no data for input(s) {', '.join(missing)}: give .npy/.npz files, NAME=FILE, or --random"
        )
    for spec in specs:
        arr = inputs[spec.name]
        if arr.dtype != spec.dtype:
            raise UserError(f"input '{spec.name}' has dtype {arr.dtype}, the model expects {spec.dtype}")
        if len(arr.shape) != len(spec.dims) or any(
            isinstance(d, int) and d != s for d, s in zip(spec.dims, arr.shape)
        ):
            raise UserError(
                f"input '{spec.name}' has shape {list(arr.shape)}, the model expects [{', '.join(map(str, spec.dims))}]"
            )
    return inputs, extras


# --------------------------------------------------------------------------------------
# Loading and compiling


@dataclass
class LoadedModel:
    path: Path
    kind: str  # "onnx" | "mlir"
    obj: Any  # ModelProto or ModuleOp
    specs: list[InputSpec]


def load_model(path: Path, entry: str | None = None) -> LoadedModel:
    if not path.exists():
        raise UserError(f"{path}: no such file")
    if path.suffix == ".onnx":
        if entry is not None:
            raise UserError(f"--entry picks a function of a .mlir module; {path} is an ONNX model "
                            "(one graph, nothing to pick)")
        import onnx

        try:
            model = onnx.load(str(path))
        except Exception as exc:  # noqa: BLE001
            raise UserError(f"{path}: not a valid ONNX model ({exc})") from None
        return LoadedModel(path, "onnx", model, onnx_input_specs(model))
    if path.suffix == ".mlir":
        module = parse_mlir(path)
        try:
            specs = mlir_input_specs(module, entry)
        except UserError as e:
            raise UserError(f"{path}: {e}") from None
        return LoadedModel(path, "mlir", module, specs)
    raise UserError(f"{path}: expected a .onnx model or a .mlir module")


def parse_mlir(path: Path) -> Any:
    """Parse and verify a .mlir file; errors become ``file:line:col: error: ...``."""
    from xdsl.utils.exceptions import ParseError

    from mlopt.registry import make_context
    from mlopt.tools._driver_parser import LocatingParser
    from mlopt.tools.diagnostics import SourceText, failing_op, op_location

    src = SourceText(str(path), path.read_text())
    positions: dict[Any, Any] = {}
    parser = LocatingParser(make_context(), src, positions)
    try:
        module = parser.parse_module()
    except ParseError as e:
        raise UserError(f"{src.loc(e.span.start)}: error: {e.msg}") from None
    except Exception as e:  # noqa: BLE001 - an attribute/op builder raised while parsing
        raise UserError(f"{parser.current_loc()}: error: {_error_line(e)}") from None
    try:
        module.verify()
    except Exception as e:  # noqa: BLE001
        op = failing_op(e, prefer_verify=True)
        loc = op_location(op, positions) if op is not None else None
        msg = re.sub(r"^\S*:\d+:\d+: error: ", "", _error_line(e))
        if op is not None and not msg.startswith(f"'{op.name}'"):
            msg = f"'{op.name}' op {msg}"
        raise UserError(f"{loc or path}: error: {msg}") from None
    return module


def compile_loaded(
    loaded: LoadedModel,
    opt_level: int,
    threads: int | None = None,
    *,
    cache: bool = True,
    progress: bool = False,
    profile: bool = False,
) -> Any:
    import mlopt

    options: dict[str, Any] = {"opt_level": opt_level, "num_threads": threads, "cache": cache,
                               "progress": progress}
    if profile:
        options["profile"] = True
    # an ONNX model by its path: a compile-cache hit is found from the file's bytes
    model = loaded.path if loaded.kind == "onnx" else loaded.obj
    return mlopt.compile(model, **options)


def run_compiled(compiled: Any, inputs: dict[str, np.ndarray], specs: list[InputSpec]) -> dict[str, np.ndarray]:
    """Run ``compiled`` on named inputs; outputs keyed by output name."""
    ordered = [inputs[s.name] for s in specs]
    results = compiled(*ordered)
    if isinstance(results, dict):
        return {str(k): np.asarray(v) for k, v in results.items()}
    if isinstance(results, np.ndarray):
        results = [results]
    names = list(getattr(compiled, "output_names", None) or [])
    if len(names) != len(results):
        names = [f"output_{i}" for i in range(len(results))]
    return {n: np.asarray(r) for n, r in zip(names, results)}


def stage_times(compiled: Any) -> dict[str, float]:
    times = getattr(compiled, "stage_times", None)
    if callable(times):
        times = times()
    return dict(times or {})


# --------------------------------------------------------------------------------------
# Reference check and benchmarking


def onnxruntime_available() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def ort_session(model_path: Path, threads: int = 1) -> Any:
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    opts = ort.SessionOptions()
    # errors only: onnxruntime's warnings (coloured, on stderr: "Removing
    # initializer ...") are about its own graph optimisations, not the check
    opts.log_severity_level = 3
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = threads
    return ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])


def compare(
    got: dict[str, np.ndarray], ref: dict[str, np.ndarray], rtol: float = CHECK_RTOL, atol: float = CHECK_ATOL
) -> tuple[bool, list[str]]:
    """NaN-aware comparison; returns (all match, one report line per output)."""
    ok = True
    lines = []
    for name, r in ref.items():
        r = np.asarray(r)
        if name not in got:
            lines.append(f"  {name}: missing from mlopt's outputs")
            ok = False
            continue
        g = got[name]
        if g.shape != r.shape or g.dtype != r.dtype:
            lines.append(f"  {name}: shape/dtype {list(g.shape)} {g.dtype} != reference {list(r.shape)} {r.dtype}")
            ok = False
            continue
        if r.dtype.kind in "fc":
            g64, r64 = g.astype(np.float64), r.astype(np.float64)
            both_nan = np.isnan(g64) & np.isnan(r64)
            same_inf = np.isinf(r64) & (g64 == r64)
            diff = np.where(both_nan | same_inf, 0.0, np.abs(g64 - r64))
            diff = np.where(np.isnan(diff), np.inf, diff)
            rel = diff / np.maximum(np.abs(r64), np.finfo(np.float64).tiny)
            close = diff <= atol + rtol * np.abs(np.where(np.isfinite(r64), r64, 0.0))
        else:
            diff = (g != r).astype(np.float64)
            rel = diff
            close = g == r
        max_abs = float(diff.max()) if diff.size else 0.0
        max_rel = float(rel.max()) if rel.size else 0.0
        good = bool(np.all(close))
        ok &= good
        lines.append(
            f"  {name}: max abs error {max_abs:.3g}, max rel error {max_rel:.3g} "
            f"({'ok' if good else f'MISMATCH: {int((~np.asarray(close)).sum())} of {r.size} elements'})"
        )
    return ok, lines


def time_runs(fn: Any, n: int) -> tuple[float, float]:
    """Median and min wall time (seconds) of ``n`` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds:.3f} s"


# --------------------------------------------------------------------------------------
# The command


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog=PROG,
        allow_abbrev=False,  # `--thread` is not `--threads`, `--target` not some `--target-*`
        description="Compile a model (.onnx, or a .mlir module) to native code with mlopt and run it. "
        "With no model: the bundled digits classifier on its held-out samples.",
    )
    ap.add_argument("model", nargs="?", help="a .onnx model or a .mlir module (default: the digits MLP)")
    ap.add_argument(
        "inputs",
        nargs="*",
        help="input data: FILE.npy (by position), FILE.npz (by key = input name, or arr_0.. by position), NAME=FILE",
    )
    ap.add_argument("--random", action="store_true", help="feed random data (normal floats, ints in [0, 10), bools)")
    ap.add_argument("--shape", action="append", default=[], metavar="NAME=D0xD1..",
                    help="concrete shape for an input with symbolic dims (with --random); repeatable")
    ap.add_argument("--seed", type=int, default=0, help="seed for --random (default 0)")
    ap.add_argument("-O", dest="opt_level", type=int, choices=range(4), default=3, metavar="{0,1,2,3}",
                    help="optimisation level -O0..-O3 (default 3)")
    ap.add_argument("--threads", type=int, default=None, metavar="N",
                    help="threads for mlopt's kernels and onnxruntime's --check/--bench session "
                    "(default: MLOPT_NUM_THREADS, else the CPUs available)")
    ap.add_argument("-o", "--output", help="save outputs to this .npz (keyed by output name)")
    ap.add_argument("--check", action="store_true",
                    help=f"compare with onnxruntime (rtol {CHECK_RTOL}, atol {CHECK_ATOL}); exit 1 on mismatch")
    ap.add_argument("--bench", type=int, default=None, metavar="N",
                    help="time N runs after a warm-up; report median and min latency "
                    "(0: no timing; default: none, 20 for the bundled digits model)")
    ap.add_argument("--timing", action="store_true", help="report compile time per stage")
    add_progress_flags(ap)
    ap.add_argument("--no-cache", action="store_true",
                    help="compile even if the compile cache (MLOPT_CACHE_DIR) holds the model")
    ap.add_argument("--profile", metavar="TRACE.json",
                    help="time each ONNX node (or fused kernel) in the generated code over every run; "
                    "write a Chrome-trace/Perfetto JSON file and print the 10 slowest ops")
    ap.add_argument("--entry", metavar="FUNC",
                    help="the function of a .mlir module to run (default: the one the runtime picks: "
                    "marked mlopt.entry, else the only public one); an error for .onnx models")
    ap.add_argument("--info", action="store_true",
                    help="print the model's inputs, outputs, dtypes, symbolic dimensions, opsets "
                    "and op histogram, then exit (runs nothing)")
    ap.add_argument("--version", action="store_true", help="print the version, then exit")
    ap.add_argument("--quiet", "-q", action="store_true", help="do not print output values")
    ap.add_argument("--traceback", action="store_true", help="show Python tracebacks for errors (debugging)")
    return ap


def _print_outputs(outputs: dict[str, np.ndarray]) -> None:
    for name, value in outputs.items():
        print(f"{name}: shape {list(value.shape)} {value.dtype}")
        print(np.array2string(value, threshold=64, edgeitems=3, precision=5, max_line_width=100))


def _classification_report(outputs: dict[str, np.ndarray], labels: np.ndarray) -> None:
    first = next(iter(outputs.values()))
    if first.ndim != 2 or labels.ndim != 1 or first.shape[0] != labels.shape[0]:
        return
    preds = first.argmax(axis=1)
    shown = min(20, len(preds))
    print(f"predictions (first {shown}): {' '.join(str(p) for p in preds[:shown])}")
    print(f"labels      (first {shown}): {' '.join(str(int(v)) for v in labels[:shown])}")
    acc = float((preds == labels).mean())
    print(f"accuracy: {acc:.4f} ({int((preds == labels).sum())}/{len(labels)})")


def run(args: argparse.Namespace) -> int:
    if args.version:
        from mlopt.tools.mlopt_opt import version_string

        print(version_string(PROG))
        return 0
    default_model = args.model is None
    input_items = list(args.inputs)
    if default_model:
        from mlopt.data import digits_model_path, digits_samples_path

        model_path = digits_model_path()
        if not args.random and not input_items:
            input_items = [str(digits_samples_path())]
    else:
        model_path = Path(args.model)
    if args.bench is not None and args.bench < 0:
        raise UserError(f"--bench N needs N >= 0 (0: no timing), not {args.bench}")
    if args.info:
        return print_info(model_path, args)
    if args.profile is not None:
        _check_writable(Path(args.profile), "--profile")

    with _about(model_path):
        loaded = load_model(model_path, args.entry)
    if args.random:
        if input_items:
            raise UserError("give either input files or --random, not both")
        inputs, extras = random_inputs(loaded.specs, parse_shape_overrides(args.shape), args.seed), {}
    else:
        if args.shape:
            raise UserError("--shape is for --random (input files carry their shapes)")
        inputs, extras = load_inputs(input_items, loaded.specs)
    if args.check and loaded.kind != "onnx":
        raise UserError("--check compares with onnxruntime and needs a .onnx model")
    if args.check and not onnxruntime_available():
        raise UserError(
            "--check compares with onnxruntime, which is not installed: "
            "install onnxruntime (pip install onnxruntime), or run without --check"
        )

    if args.threads is not None and args.threads < 1:
        raise UserError(f"--threads must be a positive integer, not {args.threads}")
    from mlopt.backends.llvm.threads import default_threads

    try:
        threads = args.threads or default_threads()
    except ValueError as e:
        raise UserError(str(e)) from None
    # what is being compiled, before the compile (which may take a while)
    print(f"model: {model_path} (-O{args.opt_level}, {threads} thread{'s' if threads > 1 else ''})")
    for spec in loaded.specs:
        arr = inputs[spec.name]
        print(f"input {spec.name}: shape {list(arr.shape)} {arr.dtype}")
    sys.stdout.flush()
    progress = progress_wanted(args.progress)
    t0 = time.perf_counter()
    with _about(model_path):
        compiled = compile_loaded(loaded, args.opt_level, threads, cache=not args.no_cache,
                                  progress=progress, profile=args.profile is not None)
    t_compile = time.perf_counter() - t0
    variants = compiled.num_variants
    t0 = time.perf_counter()
    with _about(model_path):
        outputs = run_compiled(compiled, inputs, loaded.specs)
    t_first = time.perf_counter() - t0
    at_call = 0.0
    if compiled.num_variants > variants:  # symbolic shapes or values: compiled in the first call
        at_call = min(t_first, sum(compiled.stage_times.values()))

    if "labels" in extras:
        _classification_report(outputs, np.asarray(extras["labels"]))
    elif not args.quiet and not args.output:
        _print_outputs(outputs)
    if args.output:
        np.savez(args.output, **outputs)
        print(f"outputs saved to {args.output}: {', '.join(outputs)}")

    how = ""
    if "cache-load" in compiled.stage_times:
        how = ", a compile-cache hit"
    elif at_call:
        how = f", {fmt_time(at_call)} of it in the first call (shape- or value-specialised)"
    print(f"compile: {fmt_time(t_compile + at_call)}{how}; first run {fmt_time(t_first - at_call)}")
    if args.timing:
        times = stage_times(compiled)
        if times:
            width = max(len(k) for k in times)
            print("compile time per stage:")
            for stage, sec in times.items():
                print(f"  {stage:<{width}}  {fmt_time(sec)}")
            print(f"  {'total':<{width}}  {fmt_time(sum(times.values()))}")
        else:
            print("compile time per stage: not reported by the runtime")

    status = 0
    sess = None
    if args.check:
        sess = ort_session(model_path, threads)
        if sess is None:
            print("check: onnxruntime is not installed; skipped")
        else:
            ref_names = [o.name for o in sess.get_outputs()]
            ref = dict(zip(ref_names, sess.run(None, inputs)))
            ok, lines = compare(outputs, ref)
            print(f"check against onnxruntime: {'OK' if ok else 'MISMATCH'}")
            for line in lines:
                print(line)
            if not ok:
                status = 1

    ordered = [inputs[s.name] for s in loaded.specs]
    n = args.bench if args.bench is not None else (20 if default_model else 0)
    if n:
        med, best = time_runs(lambda: compiled(*ordered), n)
        batch = next(iter(inputs.values())).shape[0] if default_model and inputs else None
        per = f", {fmt_time(med / batch)} per sample" if batch else ""
        print(f"latency (mlopt, {n} runs): median {fmt_time(med)}, min {fmt_time(best)}{per}")
        if args.bench and sess is not None:
            ort_med, ort_best = time_runs(lambda: sess.run(None, inputs), n)
            print(
                f"latency (onnxruntime, {threads} thread{'s' if threads > 1 else ''}, {n} runs): "
                f"median {fmt_time(ort_med)}, min {fmt_time(ort_best)}"
            )
            print(f"ratio mlopt/onnxruntime: {med / ort_med:.2f}x (median), {best / ort_best:.2f}x (min)")
    if args.profile is not None:
        _report_profile(compiled, Path(args.profile))
    return status


def _check_writable(path: Path, flag: str) -> None:
    """Refuse before compiling a file that cannot be written."""
    if path.is_dir():
        raise UserError(f"{flag} {path}: is a directory; give a file name (e.g. trace.json)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{flag} {path}: directory '{parent}' does not exist")


def _report_profile(compiled: Any, path: Path) -> None:
    """``--profile``: write the trace of every run and print the slowest ops."""
    from mlopt.backends.profiling import profile_table

    events = compiled.profile()
    compiled.write_profile(path)
    runs = sum(1 for e in events if e.cat == "Session")
    ops = sum(1 for e in events if e.cat == "Op")
    print(f"profile: {ops} op events over {runs} run{'s' if runs != 1 else ''} written to {path}")
    print(profile_table(events, top=10))


def print_info(model_path: Path, args: argparse.Namespace) -> int:
    """``--info``: describe the model without compiling or running it."""
    from mlopt.tools.model_info import module_info, onnx_info

    used = [flag for flag, on in (("input files", bool(args.inputs)), ("--random", args.random),
                                  ("--check", args.check), ("--bench", args.bench is not None),
                                  ("-o", bool(args.output)), ("--shape", bool(args.shape)),
                                  ("--profile", args.profile is not None))
            if on]
    if used:
        raise UserError(f"--info describes the model and runs nothing; drop {', '.join(used)}")
    with _about(model_path):
        loaded = load_model(model_path, args.entry) if model_path.suffix != ".mlir" else None
        if loaded is not None:
            sys.stdout.write(onnx_info(loaded.obj, str(model_path)))
        else:
            if not model_path.exists():
                raise UserError(f"{model_path}: no such file")
            module = parse_mlir(model_path)
            if args.entry is not None:
                select_entry(module, args.entry)
            sys.stdout.write(module_info(module, str(model_path)))
    return 0


class _about:
    """``with _about(path):`` an MloptError inside becomes a UserError whose
    message names ``path`` once (unless the message already names it)."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: type | None, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, MloptError) and not isinstance(exc, UserError):
            line = _error_line(exc)
            if self.path not in line:
                line = f"{self.path}: {line}"
            raise UserError(line) from exc
        return False


def _error_line(exc: BaseException) -> str:
    """One line for any failure: user errors verbatim; diagnostics keep their
    ``file:line:col: error: ...`` line; an unexpected exception (a bug) says so."""
    msg = str(exc).strip()
    if isinstance(exc, UserError):
        return msg
    try:  # an error about an op of a parsed .mlir module: report it at the op
        from xdsl.utils.exceptions import DiagnosticException

        from mlopt.tools.diagnostics import failing_op, op_location

        op = failing_op(exc) if isinstance(exc, DiagnosticException) else None
        loc = op_location(op) if op is not None else None
        if loc is not None and msg and str(loc) not in msg:
            return f"{loc}: error: {msg.splitlines()[0]}"
    except Exception:  # noqa: BLE001, S110 - best effort
        pass
    lines = [ln.strip() for ln in msg.splitlines() if ln.strip()]
    for ln in lines:
        if "error" in ln.lower():
            return ln
    if isinstance(exc, MloptError | ValueError | OSError) and lines:
        return lines[0]
    return (f"internal error ({unexpected_error_text(exc)}); this is a bug in mlopt or a plugin, "
            "rerun with --traceback")


_LOCATED = re.compile(r"^\S+:\d+:\d+: error: ")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{PROG}: error: {message} (see {PROG} --help)", file=sys.stderr)
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    show_tb = args.traceback or os.environ.get("MLOPT_TRACEBACK") == "1"
    try:
        with report_plugin_warnings(PROG):
            return run(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - every failure is one line unless --traceback
        if show_tb:
            raise
        line = _error_line(exc)
        # an error at a place in a file is reported as mlopt does: FILE:LINE:COL: error: ...
        print(line if _LOCATED.match(line) else f"{PROG}: error: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

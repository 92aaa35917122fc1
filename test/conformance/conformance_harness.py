"""Running the ONNX backend node tests through mlopt's compiled path.

The cases come from ``onnx.backend.test.case.node`` (``collect_testcases``): the
same ~1,884 models and data sets that ``onnx/backend/test/data/node/*/`` holds
(``model.onnx`` + ``test_data_set_*``); when that data directory exists it is
read instead of regenerating the cases.

Each case is compiled with :mod:`mlopt.backend` (``mlopt.compile``) and run in a
child process (:class:`CaseRunner`), so that a case that hangs is killed after a
time limit and one that crashes the process (e.g. a segfault in generated code)
fails alone; the child lives on between cases, so imports, LLVM initialisation
and the compile cache (keyed by the serialized model) are shared within a run.

Used by ``test_node_conformance.py``, ``scripts/update_expected_failures.py`` and
``scripts/gen_op_coverage.py``.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import multiprocessing
import os
import re
import sys
import time
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))
import expected_failures as _expected_failures  # noqa: E402  (test/expected_failures.py)

#: the suite's one expected-failures file, and this harness's section in it
EXPECTED_FAILURES = _expected_failures.PATH
SECTION = "node-conformance"

RTOL = 1e-3
ATOL = 1e-7  # ONNX's own backend-test tolerance (onnx/backend/test/runner: rtol 1e-3, atol 1e-7)
#: seconds one case (compile + run) may take before it is killed
DEFAULT_TIMEOUT = float(os.environ.get("MLOPT_CONFORMANCE_TIMEOUT", "120"))


@dataclass
class NodeCase:
    name: str
    model_bytes: bytes
    #: [(inputs, expected outputs)]; entries are numpy arrays, lists (sequences) or None
    data_sets: list[tuple[list[Any], list[Any]]]
    op_type: str
    #: absolute tolerance of the comparison (None: :data:`ATOL`); model tests
    #: scale it with the size of the outputs
    atol: float | None = None


@dataclass
class CaseResult:
    name: str
    status: str  # pass | fail | error | timeout | crash
    message: str
    seconds: float

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def reason(self) -> str:
        """A short one-line reason for the expected-failures list."""
        msg = " ".join(self.message.split())
        if len(msg) > 160:
            msg = msg[:157] + "..."
        return f"{self.status}: {msg}" if msg else self.status


# --------------------------------------------------------------------------------------
# Collecting the cases


def _normalize(value: Any) -> Any:
    import onnx
    from onnx import numpy_helper

    if isinstance(value, onnx.TensorProto):
        return numpy_helper.to_array(value)
    if isinstance(value, list | tuple):
        return [_normalize(v) for v in value]
    return value


def _main_op_type(name: str, model: Any) -> str:
    """The op a node test is about: its only node, else the node whose op type the
    test name spells (``test_<op>...``), else the first node."""
    nodes = list(model.graph.node)
    if len(nodes) == 1:
        return nodes[0].op_type
    stem = name[len("test_") :].replace("_", "").lower()
    best = ""
    for n in nodes:
        op = n.op_type.lower()
        if stem.startswith(op) and len(op) > len(best):
            best = n.op_type
    return best or (nodes[0].op_type if nodes else "?")


def _data_dir() -> Path | None:
    import onnx

    d = Path(onnx.__file__).parent / "backend" / "test" / "data" / "node"
    return d if d.is_dir() else None


def _load_from_data_dir(d: Path) -> list[NodeCase]:
    import onnx
    from onnx import numpy_helper

    def load_pb(path: str) -> Any:
        data = Path(path).read_bytes()
        tensor = onnx.TensorProto()
        tensor.ParseFromString(data)
        if tensor.name or tensor.dims or tensor.raw_data or tensor.data_type:
            return numpy_helper.to_array(tensor)
        seq = onnx.SequenceProto()
        seq.ParseFromString(data)
        return [numpy_helper.to_array(t) for t in seq.tensor_values]

    cases = []
    for case_dir in sorted(d.iterdir()):
        model_path = case_dir / "model.onnx"
        if not model_path.exists():
            continue
        model = onnx.load(str(model_path))
        data_sets = []
        for ds in sorted(glob.glob(str(case_dir / "test_data_set_*"))):
            key = lambda p: int(re.findall(r"(\d+)\.pb$", p)[0])  # noqa: E731
            ins = [load_pb(p) for p in sorted(glob.glob(f"{ds}/input_*.pb"), key=key)]
            outs = [load_pb(p) for p in sorted(glob.glob(f"{ds}/output_*.pb"), key=key)]
            data_sets.append((ins, outs))
        cases.append(
            NodeCase(case_dir.name, model.SerializeToString(), data_sets, _main_op_type(case_dir.name, model))
        )
    return cases


_CASES: dict[str, NodeCase] | None = None


def load_cases() -> dict[str, NodeCase]:
    """All node test cases by name (cached per process)."""
    global _CASES
    if _CASES is None:
        d = _data_dir()
        if d is not None:
            cases = _load_from_data_dir(d)
        else:
            from onnx.backend.test.case import node

            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                raw = node.collect_testcases(None)
            cases = [
                NodeCase(
                    c.name,
                    c.model.SerializeToString(),
                    [([_normalize(x) for x in ins], [_normalize(y) for y in outs]) for ins, outs in c.data_sets],
                    _main_op_type(c.name, c.model),
                )
                for c in raw
            ]
        _CASES = {c.name: c for c in cases}
    return _CASES


def load_expected_failures(path: Path | None = None) -> dict[str, str]:
    """The ``[node-conformance]`` section of the suite's one expected-failures
    file (``test/expected_failures.txt``), or of the file at ``path``."""
    return _expected_failures.load(SECTION, path or _expected_failures.PATH)


# --------------------------------------------------------------------------------------
# Comparing outputs


def compare_outputs(outputs: Any, expected: list[Any], rtol: float = RTOL, atol: float = ATOL) -> str | None:
    """None when ``outputs`` match ``expected`` (shape, dtype, values NaN-aware); else why not."""
    outputs = list(outputs)
    if len(outputs) != len(expected):
        return f"{len(outputs)} output(s), expected {len(expected)}"
    for i, (got, ref) in enumerate(zip(outputs, expected)):
        if isinstance(ref, list):
            if not isinstance(got, list | tuple) or len(got) != len(ref):
                return f"output {i}: expected a sequence of {len(ref)} tensors, got {type(got).__name__}"
            for j, (g, r) in enumerate(zip(got, ref)):
                why = compare_outputs([g], [r], rtol, atol)
                if why:
                    return f"output {i}[{j}]: {why}"
            continue
        if ref is None:
            if got is not None:
                return f"output {i}: expected an empty optional"
            continue
        got = np.asarray(got)
        ref = np.asarray(ref)
        if got.shape != ref.shape:
            return f"output {i}: shape {list(got.shape)}, expected {list(ref.shape)}"
        if got.dtype != ref.dtype:
            return f"output {i}: dtype {got.dtype}, expected {ref.dtype}"
        if ref.dtype == object or ref.dtype.kind in "biuSU":
            bad = int(np.sum(got != ref))
            if bad:
                return f"output {i}: {bad} of {ref.size} elements differ"
            continue
        g = got.astype(np.float64) if ref.dtype.kind != "c" else got.astype(np.complex128)
        r = ref.astype(np.float64) if ref.dtype.kind != "c" else ref.astype(np.complex128)
        tol_r = max(rtol, 2**-6) if ref.dtype.name == "bfloat16" else rtol
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.isclose(g, r, rtol=tol_r, atol=atol, equal_nan=True)
        if not np.all(close):
            bad = ~close
            with np.errstate(invalid="ignore", over="ignore"):
                diff = np.abs(g - r)[bad]
            diff = np.where(np.isnan(diff), np.inf, diff)
            return f"output {i}: {int(bad.sum())} of {ref.size} elements differ (max abs diff {float(diff.max()):.3g})"
    return None


# --------------------------------------------------------------------------------------
# Running one case (in the child process)


def _first_line(exc: BaseException) -> str:
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    for ln in lines:
        if "error" in ln.lower():
            return f"{type(exc).__name__}: {ln}"
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


_COMPILE_CACHE: dict[str, Any] = {}


def run_case_inline(
    model_bytes: bytes, data_sets: list[tuple[list[Any], list[Any]]], opt_level: int = 3, atol: float = ATOL
) -> tuple[str, str]:
    """Compile and run one case in this process; (status, message)."""
    import onnx

    import mlopt.backend as backend
    from conformance.poison import no_host_evaluation

    key = f"{opt_level}:{hashlib.sha256(model_bytes).hexdigest()}"
    try:
        rep = _COMPILE_CACHE.get(key)
        if rep is None:
            rep = backend.prepare(onnx.load_from_string(model_bytes), "CPU", opt_level=opt_level)
            if len(_COMPILE_CACHE) > 64:
                _COMPILE_CACHE.clear()
            _COMPILE_CACHE[key] = rep
        for k, (inputs, expected) in enumerate(data_sets):
            with np.errstate(all="ignore"), no_host_evaluation():
                outputs = rep.run(inputs)
            why = compare_outputs(outputs, expected, atol=atol)
            if why:
                return "fail", (f"data set {k}: " if len(data_sets) > 1 else "") + why
    except Exception as exc:  # noqa: BLE001 - any failure of the compiled path is a test failure
        msg = _first_line(exc)
        if os.environ.get("MLOPT_CONFORMANCE_TRACEBACK") == "1":
            msg += "\n" + traceback.format_exc()
        return "error", msg
    return "pass", ""


def _child_main(conn: Any, func: Any = None) -> None:
    func = func or run_case_inline
    import warnings as _w

    _w.simplefilter("ignore")
    while True:
        try:
            msg = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if msg is None:
            return
        model_bytes, data_sets, opt_level, atol = msg
        extra = {} if atol is None else {"atol": atol}
        status, message = func(model_bytes, data_sets, opt_level, **extra)
        conn.send((status, message))


def _preload() -> list[str]:
    mods = ["numpy", "onnx", "mlopt", "mlopt.backend"]
    for extra in ("mlopt.backends.runtime", "mlopt.frontends.onnx", "mlopt.passes.pipelines"):
        with contextlib.suppress(Exception):
            __import__(extra)
            mods.append(extra)
    return mods


class CaseRunner:
    """One long-lived child process that runs cases, restarted after a crash or a
    timeout."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, opt_level: int = 3, func: Any = None):
        """``func(model_bytes, data_sets, opt_level) -> (status, message)`` runs a case
        in the child (default :func:`run_case_inline`; tests substitute others)."""
        self.timeout = timeout
        self.func = func
        self.opt_level = opt_level
        self._ctx = multiprocessing.get_context("forkserver")
        with contextlib.suppress(Exception):
            self._ctx.set_forkserver_preload(_preload())
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_child_main, args=(child, self.func), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(Exception):
                self._proc.kill()
                self._proc.join(5)
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            with contextlib.suppress(Exception):
                self._conn.send(None)
                self._proc.join(2)
        self._kill()

    def run(self, case: NodeCase, timeout: float | None = None) -> CaseResult:
        timeout = self.timeout if timeout is None else timeout
        if self._proc is None or not self._proc.is_alive():
            self._start()
        t0 = time.perf_counter()
        try:
            self._conn.send((case.model_bytes, case.data_sets, self.opt_level, case.atol))
            if not self._conn.poll(timeout):
                self._kill()
                return CaseResult(case.name, "timeout", f"no result after {timeout:g} s", time.perf_counter() - t0)
            status, message = self._conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
            code = self._proc.exitcode if self._proc is not None else None
            if self._proc is not None:
                self._proc.join(5)
                code = self._proc.exitcode
            self._kill()
            what = f"signal {-code}" if isinstance(code, int) and code < 0 else f"exit code {code}"
            return CaseResult(case.name, "crash", f"the process running it died ({what})", time.perf_counter() - t0)
        return CaseResult(case.name, status, message, time.perf_counter() - t0)

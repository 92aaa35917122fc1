"""Poison every way a compiled model could compute its outputs other than by
running mlopt's machine code, for the duration of a call.

``with no_host_evaluation():`` around ``rep.run()`` / ``CompiledModel.__call__``:

* ``onnx.reference.ReferenceEvaluator.run``, mlopt's ``onnx_bridge.reference_eval``
  and ``onnxruntime.InferenceSession.run`` raise :class:`HostEvaluation`
  whenever they are called -- including during a compile that the call
  triggers (a value-specialised variant): the reference evaluator is off the
  run path entirely;
* every numpy ufunc reached as a ``numpy`` module attribute (``np.sin``,
  ``np.add``, ... -- how mlopt's constant evaluator ``passes/onnx_opt/evaluate.py``
  calls them) raises while the call runs. A compile triggered by the call may
  still fold the *shape chain* (the ops computing a Reshape's shape, a Range's
  limit, ... from the call's small inputs) with numpy, so the ufuncs are let
  through inside ``CompiledModel._compile``; there, instead, the constant folder
  is watched, independently of how mlopt marks its shape chains: the constants
  that ``_substitute_values`` adds are recorded, and folding an op that reads
  one (or reads a fold of one) raises unless every use of its results is a
  compile-time operand (``VALUE_OPERANDS``) or feeds only such operands.

Array operators (``a + b``) reach numpy's ufuncs without passing through the
``numpy`` module, so they cannot be poisoned that way; the results are checked
instead: each call must run the compiled entry exactly once, on input buffers
that hold the call's values, and every output it returns must be the very
buffer the entry wrote (not an array computed afterwards, by any means).

What is left running is mlopt's generated code, the runtime's argument
marshalling (``np.asarray``, ``np.empty``) and the shape-chain folding.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np


class HostEvaluation(AssertionError):
    """A model's output would have been computed on the host, not by generated code."""


_state = threading.local()


def _active() -> bool:
    return getattr(_state, "ufuncs", False)


def _raiser(what: str) -> Any:
    def poisoned(*args: Any, **kwargs: Any) -> Any:
        raise HostEvaluation(f"{what} called while a compiled model ran")

    return poisoned


def _poisoned_ufunc(name: str, ufunc: np.ufunc) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _active():
            raise HostEvaluation(f"numpy.{name} called while a compiled model ran")
        return ufunc(*args, **kwargs)

    wrapper.__wrapped__ = ufunc  # type: ignore[attr-defined]
    for attr in ("reduce", "accumulate", "outer", "at", "nin", "nout", "identity", "types", "ntypes"):
        if hasattr(ufunc, attr):
            setattr(wrapper, attr, getattr(ufunc, attr))
    return wrapper


@contextlib.contextmanager
def _patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextlib.contextmanager
def _ufuncs(on: bool) -> Iterator[None]:
    old = _active()
    _state.ufuncs = on
    try:
        yield
    finally:
        _state.ufuncs = old


def _decides_only_shapes(op: Any, seen: dict[int, bool]) -> bool:
    """Whether every use of ``op``'s results is a compile-time operand (see
    ``VALUE_OPERANDS``), a shape-only op, or an op that itself decides only shapes."""
    from mlopt.backends.runtime import _SHAPE_ONLY_OPS, VALUE_OPERANDS

    key = id(op)
    if key in seen:
        return seen[key]
    seen[key] = False  # a cycle (there are none in a graph) would not count
    ok = True
    for r in op.results:
        for use in r.uses:
            user = use.operation
            kind = user.name.split(".", 1)[1] if user.name.startswith("onnx.") else None
            if kind is None:
                ok = False  # func.return or a non-onnx op: the value is data
            elif use.index in VALUE_OPERANDS.get(kind, ()) or kind in _SHAPE_ONLY_OPS:
                continue
            elif not _decides_only_shapes(user, seen):
                ok = False
    seen[key] = ok
    return ok


def _watched_evaluate(evaluate: Any) -> Any:
    """``evaluate`` for the constant folder, refusing to fold data from a call's input.

    The ops reading the constants made from a call's values (recorded by
    ``_tainting_substitution``) may be folded only when their results decide
    nothing but shapes; the users of such a fold's results are watched in turn."""

    def watched(op: Any, inputs: Any, **kwargs: Any) -> Any:
        tainted = getattr(_state, "tainted_users", None)
        if tainted is not None and op in tainted:
            if not _decides_only_shapes(op, {}):
                raise HostEvaluation(f"'{op.name}' would fold a call's input value into the model's data")
            tainted.update(use.operation for r in op.results for use in r.uses)
        return evaluate(op, inputs, **kwargs)

    return watched


def _tainting_substitution(substitute: Any) -> Any:
    """``CompiledModel._substitute_values`` that records the users of the constants it adds."""

    def tainting(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        before = {id(op) for op in fn.walk()}
        result = substitute(self, fn, *args, **kwargs)
        users = _state.tainted_users = set()
        for op in fn.walk():
            if id(op) not in before and op.name == "onnx.Constant":
                users.update(use.operation for use in op.results[0].uses)
        return result

    return tainting


def _recording_specialize(specialize: Any) -> Any:
    """``CompiledModel._specialize`` whose entry records the pointers it is called with."""

    def recording(self: Any, *args: Any, **kwargs: Any) -> Any:
        spec = specialize(self, *args, **kwargs)
        calls = getattr(_state, "native_calls", None)
        if calls is None:  # a compile outside a call (CompiledModel.warm_up ...)
            return spec
        entry = spec.fn

        def fn(*ptrs: Any) -> Any:
            calls.append(ptrs)
            return entry(*ptrs)

        return dataclasses.replace(spec, fn=fn)

    return recording


def _checked_call(call: Any) -> Any:
    """``CompiledModel.__call__`` whose outputs must be what the compiled entry wrote."""

    def checked(self: Any, *arrays: Any, **named: Any) -> Any:
        calls = _state.native_calls = []
        try:
            outputs = call(self, *arrays, **named)
        finally:
            _state.native_calls = None
        if len(calls) != 1:
            raise HostEvaluation(f"a call ran the compiled entry {len(calls)} times, not once")
        ptrs = calls[0]
        with _ufuncs(False):
            given = self._check(self._gather(arrays, named))
        for spec, value, ptr in zip(self.inputs, given, ptrs):
            if value.nbytes and ctypes.string_at(ptr, value.nbytes) != value.tobytes():
                raise HostEvaluation(f"input '{spec.name}' reached the compiled entry with other values")
        written = ptrs[len(given) : len(given) + len(outputs)]
        for name, out, ptr in zip(self.output_names, outputs, written):
            if out.nbytes and out.ctypes.data != ptr:
                raise HostEvaluation(f"output '{name}' is not the buffer the compiled entry wrote")
        return outputs

    return checked


@contextlib.contextmanager
def no_host_evaluation() -> Iterator[None]:
    """Poison host evaluation of a model's outputs (see the module docstring)."""
    import onnx.reference

    import mlopt.passes.onnx_opt.constant_fold as constant_fold
    import mlopt.passes.onnx_opt.onnx_bridge as onnx_bridge
    from mlopt.backends.runtime import CompiledModel

    compile_variant = CompiledModel._compile

    def compile_unpoisoned(self: Any, *args: Any, **kwargs: Any) -> Any:
        with _ufuncs(False):
            try:
                return compile_variant(self, *args, **kwargs)
            finally:
                _state.tainted_users = None

    with contextlib.ExitStack() as stack:
        enter = stack.enter_context
        enter(_patched(onnx.reference.ReferenceEvaluator, "run", _raiser("onnx.reference.ReferenceEvaluator.run")))
        enter(_patched(onnx_bridge, "reference_eval", _raiser("onnx_bridge.reference_eval")))
        try:
            import onnxruntime
        except ImportError:  # pragma: no cover - onnxruntime is a test dependency
            pass
        else:
            enter(_patched(onnxruntime.InferenceSession, "run", _raiser("onnxruntime.InferenceSession.run")))
        enter(_patched(constant_fold, "evaluate", _watched_evaluate(constant_fold.evaluate)))
        enter(_patched(CompiledModel, "_compile", compile_unpoisoned))
        enter(_patched(CompiledModel, "_specialize", _recording_specialize(CompiledModel._specialize)))
        enter(_patched(CompiledModel, "__call__", _checked_call(CompiledModel.__call__)))
        enter(_patched(CompiledModel, "_substitute_values", _tainting_substitution(CompiledModel._substitute_values)))
        for name in dir(np):
            f = getattr(np, name, None)
            if isinstance(f, np.ufunc):
                enter(_patched(np, name, _poisoned_ufunc(name, f)))
        enter(_ufuncs(True))
        yield

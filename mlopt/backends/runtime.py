"""The numpy-level runtime: compile a model once per input-shape signature and call it.

``compile_model`` accepts an ONNX model (path, bytes or ``ModelProto``) or a
module at any level: onnx dialect, tensor level (contract B), affine level
(contract C, entry marked ``mlopt.entry``) or already lowered to the llvm
dialect (by ``convert-func-to-llvm``, which records ``mlopt.arg_types``). It
lowers what is left with the named pipeline stages of
:mod:`mlopt.passes.pipelines`, JIT-compiles with :class:`mlopt.backends.llvm.JITModule`
and calls the entry ``void f(in0*, ..., out0*, ...)`` with the data pointers of
numpy arrays. Outputs are allocated per call; temporaries are ``malloc``ed by the
compiled code per call, so calls are reentrant and may run in parallel threads.

Models with symbolic input dimensions are compiled again for each new
concrete shape signature (cached). ``CompiledModel.stage_times`` reports the
seconds spent in each stage of the latest compilation.

Value specialization. Some operands must be known when the model is compiled
(``convert-onnx-to-tensor`` and shape inference read them as constants): the
axes of the Reduce* ops, Pad's pads/axes, Slice's starts/ends/axes/steps,
Reshape/Expand shapes, Tile repeats, TopK's K, Range's operands, ... (the
table :data:`VALUE_OPERANDS`: ONNX op type -> operand indices). A model may pass
such a value as a graph *input* instead of an initializer. The runtime finds
those inputs once per model (:func:`value_inputs`): the graph inputs from which
such an operand is computed, tracing back through any op except the ones whose
result depends only on their operand's *shape* (Shape, Size, EyeLike). At each
call, such an input with at most :data:`MAX_SPECIALIZED_ELEMENTS` elements of a
numeric or bool dtype is *value-specialised*: its bytes join the input shapes
in the compile-cache key, and at compile time an ``onnx.Constant`` holding the
value (marked ``mlopt.specialized``) feeds the compile-time operands -- and only
them: the ops between the argument and those operands are cloned onto the
constant (marked ``mlopt.shape_chain``), every other use keeps the run-time
argument, and ``onnx-constant-fold`` folds nothing else that reads a specialised
constant. So the value decides shapes and other compile-time parameters while
the data of every output is still computed by the generated code (a Range of
inputs, a window of an input size, Sin(x) of an x that is also a Reshape's
shape); ``onnx.reference`` is switched off for these compiles. The ABI is
unchanged: the caller still passes every input. Larger inputs are not specialised (the
compilation then fails as before if the value is really needed). Models
with such inputs are compiled at the first call, not by ``compile_model``.
At most :data:`MAX_VARIANTS` compiled variants (shape signatures and values
together) are kept per model; beyond that the least recently used one is
dropped (and compiled again if it is needed again). Everything that runs is
machine code compiled by mlopt for that value (``test/conformance/poison.py``
checks it over the node tests).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.ir import Attribute, Operation, SSAValue

from mlopt.backends.llvm import JITModule
from mlopt.backends.llvm.abi import TABLE_ATTR as INDEX_CHECKS_ATTR
from mlopt.backends.llvm.abi import CheckInfo, read_check_table
from mlopt.backends.status import new_status, raise_for_status
from mlopt.errors import CompileArgumentError, InputError, UsageError, public_errors
from mlopt.gc_tuning import compile_gc

if TYPE_CHECKING:  # imported where used: loading an artefact needs none of the compiler
    from xdsl.dialects import func, llvm

__all__ = [
    "CompiledModel",
    "compile_model",
    "InputSpec",
    "VALUE_OPERANDS",
    "MAX_SPECIALIZED_ELEMENTS",
    "MAX_VARIANTS",
    "value_inputs",
]

_REDUCE_OPS = (
    "ReduceSum ReduceMax ReduceMin ReduceMean ReduceProd ReduceL1 ReduceL2 "
    "ReduceLogSum ReduceLogSumExp ReduceSumSquare"
).split()

#: ONNX op type -> indices of the operands whose values must be known at compile
#: time (what ``convert-onnx-to-tensor`` reads with ``require_constant`` /
#: ``constant_array`` and what shape inference needs for static result shapes).
VALUE_OPERANDS: dict[str, tuple[int, ...]] = {
    **{op: (1,) for op in _REDUCE_OPS},
    "Pad": (1, 3),
    "Trilu": (1,),
    "Slice": (1, 2, 3, 4),
    "Reshape": (1,),
    "Expand": (1,),
    "Tile": (1,),
    "Squeeze": (1,),
    "Unsqueeze": (1,),
    "Split": (1,),
    "TopK": (1,),
    "OneHot": (1, 2),
    "Range": (0, 1, 2),
    "ConstantOfShape": (0,),
    "Resize": (1, 2, 3),
    "Upsample": (1,),
    "CenterCropPad": (1,),
    "CumSum": (1,),
    "CumProd": (1,),
    "AffineGrid": (1,),
    "Col2Im": (1, 2),
    "Dropout": (1, 2),
    "HannWindow": (0,),
    "HammingWindow": (0,),
    "BlackmanWindow": (0,),
}

#: ops whose result depends only on the *shape* of their operands: tracing a
#: compile-time value back to the graph inputs stops there
_SHAPE_ONLY_OPS = frozenset({"Shape", "Size", "EyeLike"})

#: inputs with more elements than this are never value-specialised
MAX_SPECIALIZED_ELEMENTS = 1024
#: compiled variants kept per model (least recently used dropped first)
MAX_VARIANTS = 64


@dataclass(frozen=True)
class InputSpec:
    """Name, dtype and shape (None for a symbolic dimension) of a model input/output;
    ``dim_names``: the ONNX name of each symbolic dimension (None where it has none)."""

    name: str
    dtype: np.dtype
    shape: tuple[int | None, ...] | None
    dim_names: tuple[str | None, ...] | None = field(default=None, compare=False)

    def describe_shape(self) -> str:
        if self.shape is None:
            return "any shape"
        dims = ", ".join("?" if d is None else str(d) for d in self.shape)
        return f"({dims}{',' if len(self.shape) == 1 else ''})"


@dataclass
class _Specialization:
    jit: JITModule
    fn: Any
    out_shapes: list[tuple[int, ...]]
    out_dtypes: list[np.dtype]
    stage_times: dict[str, float] = field(default_factory=dict)
    #: the entry's index-check table (node, op type, wraps) when it returns an
    #: error status and takes the status record last; None when it has no checks
    checks: list[CheckInfo] | None = None
    #: the profiled nodes of each timed group (compile_model(profile=True)), else None
    profile_table: list[Any] | None = None


def _tensor_spec(name: str, typ: Attribute) -> InputSpec:
    from mlopt.backends.llvm.translate import numpy_dtype

    if isinstance(typ, TensorType | MemRefType):
        shape = tuple(None if d < 0 else d for d in typ.get_shape())
        return InputSpec(name, numpy_dtype(typ.get_element_type()), shape)
    return InputSpec(name, numpy_dtype(typ), ())


def _detect_level(module: ModuleOp) -> str:
    from xdsl.dialects import func, llvm

    has_func_entry = False
    for op in module.walk():
        dialect = op.dialect_name()
        if dialect in ("onnx", "onnx_ml"):
            return "onnx"
        if isinstance(op, llvm.FuncOp) and "mlopt.entry" in op.attributes:
            return "llvm"
        if isinstance(op, func.FuncOp) and "mlopt.entry" in op.attributes:
            has_func_entry = True
    return "affine" if has_func_entry else "tensor"


def _graph_func(module: ModuleOp) -> func.FuncOp:
    from xdsl.dialects import func

    candidates = [
        op
        for op in module.ops
        if isinstance(op, func.FuncOp)
        and op.body.blocks
        and not (op.sym_visibility is not None and op.sym_visibility.data == "private")
    ]
    for op in candidates:
        if "mlopt.entry" in op.attributes or "onnx.output_names" in op.attributes:
            return op
    if len(candidates) != 1:
        raise CompileArgumentError(
            f"cannot tell which function is the model: the module has {len(candidates)} "
            "public functions and none is marked mlopt.entry"
        )
    return candidates[0]


def _arg_names(fn: func.FuncOp, count: int, prefix: str = "input") -> list[str]:
    names = []
    attrs = fn.arg_attrs.data if fn.arg_attrs is not None else [DictionaryAttr({})] * count
    for i in range(count):
        d = attrs[i].data if i < len(attrs) else {}
        name = d.get("onnx.name") or d.get("mlopt.name")
        names.append(name.data if isinstance(name, StringAttr) else f"{prefix}{i}")
    return names


def _output_names(attrs: Mapping[str, Attribute], count: int) -> list[str]:
    names = attrs.get("onnx.output_names")
    if isinstance(names, ArrayAttr) and len(names.data) == count:
        return [n.data for n in names.data]  # type: ignore[attr-defined]
    return [f"output{i}" for i in range(count)]


def _num_inputs(attrs: Mapping[str, Attribute], total: int) -> int:
    n = attrs.get("mlopt.num_inputs")
    if isinstance(n, IntegerAttr):
        return n.value.data
    raise CompileArgumentError("the entry function has no mlopt.num_inputs attribute")


class CompiledModel:
    """A compiled model: call it with numpy arrays, get numpy arrays back.

    ``model(x, y)`` / ``model(x=..., y=...)`` -> list of outputs in order;
    ``model.run({"x": ...})`` -> dict name -> output.
    """

    #: the run-time profile of each call (compile_model(profile=True)); None: off
    _profiler: Any = None

    def __init__(
        self,
        source: Any,
        level: str,
        inputs: list[InputSpec],
        output_names: list[str],
        output_dtypes: list[np.dtype | None],
        opt_level: int,
        target_cpu: str | None,
    ):
        self._source = source
        self._level = level
        self.inputs = inputs
        self.input_names = [s.name for s in inputs]
        self.output_names = output_names
        self._output_dtypes = output_dtypes
        self.opt_level = opt_level
        self.target_cpu = target_cpu
        self.fast_math = False
        self.pipeline: str | None = None
        self.num_threads = 1
        #: compile_model's input_shapes (sorted, lists), None when not given
        self.input_shapes: dict[str, list[int]] | None = None
        # key: the shape signature, or (shapes, values) when value_input_indices
        self._cache: OrderedDict[Any, _Specialization] = OrderedDict()
        self._lock = threading.Lock()  # held while compiling
        self._lru_lock = threading.Lock()  # short: cache order and eviction
        self.stage_times: dict[str, float] = {}
        #: indices of the inputs that are value-specialised when small (see module doc)
        self.value_input_indices: tuple[int, ...] = ()
        self.max_variants = MAX_VARIANTS
        #: look up and store compiled variants in the on-disk cache (:mod:`.cache`)
        self.cache = True
        #: show compile stages on stderr (:mod:`.progress`); what names the model there
        self.progress = False
        self.label = "model"
        #: the package or pickle this model was loaded from (None: compiled here)
        self.loaded_from: str | None = None
        # a loaded model's source, read only when a new variant must be compiled
        self._source_loader: Any = None
        self._content_hash: str | None = None

    # -- identity, options, pickling ---------------------------------------
    def options(self) -> dict[str, Any]:
        """The compile options that decide the generated code (saved in artefacts)."""
        return {
            "opt_level": self.opt_level,
            "target_cpu": self.target_cpu,
            "fast_math": self.fast_math,
            "pipeline": self.pipeline,
            "num_threads": self.num_threads,
            "profile": self._profiler is not None,
            "input_shapes": self.input_shapes,
        }

    def apply_options(self, options: Mapping[str, Any]) -> None:
        self.opt_level = options.get("opt_level", self.opt_level)
        self.target_cpu = options.get("target_cpu", self.target_cpu)
        self.fast_math = options.get("fast_math", self.fast_math)
        self.pipeline = options.get("pipeline", self.pipeline)
        self.num_threads = options.get("num_threads", self.num_threads)
        self.input_shapes = options.get("input_shapes", self.input_shapes)
        if options.get("profile") and self._profiler is None:
            from mlopt.backends.profiling import Profiler

            self._profiler = Profiler()

    def content_hash(self) -> str:
        """SHA-256 of the model (its serialized ONNX, or its IR text)."""
        if self._content_hash is None:
            import hashlib

            source = self._model_source()
            if self._level == "onnx-model":
                data = source.SerializeToString(deterministic=True)
            else:
                from mlopt import print_ir

                data = print_ir(source).encode()
            self._content_hash = hashlib.sha256(data).hexdigest()
        return self._content_hash

    def _model_source(self) -> Any:
        if self._source is None:
            if self._source_loader is None:
                raise CompileArgumentError(
                    f"this model was loaded from {self.loaded_from} without its source: "
                    "it runs the compiled shapes only"
                )
            self._source = self._source_loader()
        return self._source

    def save(self, path: Any, **options: Any) -> Path:
        """Write a package (see :func:`mlopt.backends.artifact.save`)."""
        from mlopt.backends.artifact import save

        return save(self, path, **options)

    def __reduce__(self) -> Any:
        # pickle = the artefact's bytes: machine code, weights, manifest -- never live handles
        from mlopt.backends.artifact import from_payload, to_payload

        return (from_payload, (to_payload(self),))

    # -- compilation -------------------------------------------------------
    @property
    def is_static(self) -> bool:
        return all(s.shape is not None and None not in s.shape for s in self.inputs)

    def _fix_shapes(self, shapes: Mapping[str, Sequence[int]]) -> None:
        for name in shapes:
            if name not in self.input_names:
                raise CompileArgumentError(
                    f"input_shapes names unknown input '{name}'; the inputs are: "
                    f"{', '.join(self.input_names)}"
                )
        fixed: list[InputSpec] = []
        for spec in self.inputs:
            if spec.name not in shapes:
                fixed.append(spec)
                continue
            shape = tuple(int(d) for d in shapes[spec.name])
            if spec.shape is not None and (
                len(shape) != len(spec.shape)
                or any(d is not None and d != v for d, v in zip(spec.shape, shape))
            ):
                raise CompileArgumentError(
                    f"input_shapes gives input '{spec.name}' shape {shape}, "
                    f"but the model declares {spec.describe_shape()}"
                )
            fixed.append(InputSpec(spec.name, spec.dtype, shape))
        self.inputs = fixed

    def compiled_signatures(self) -> list[tuple[tuple[int, ...], ...]]:
        """The shape signatures compiled (one entry per cached variant, so a
        signature appears once per value-specialised variant)."""
        with self._lru_lock:
            keys = list(self._cache)
        return [k[0] for k in keys] if self.value_input_indices else keys

    @property
    def num_variants(self) -> int:
        """How many compiled variants (shape signatures x specialised values) are cached."""
        return len(self._cache)

    def _value_key(self, inputs: Sequence[np.ndarray]) -> tuple[bytes | None, ...]:
        key: list[bytes | None] = []
        for i in self.value_input_indices:
            a = inputs[i]
            small = a.size <= MAX_SPECIALIZED_ELEMENTS and _is_numeric(a.dtype)
            key.append(a.tobytes() if small else None)
        return tuple(key)

    def _cache_key(self, shapes: tuple[tuple[int, ...], ...], values: tuple[bytes | None, ...]) -> Any:
        return (shapes, values) if self.value_input_indices else shapes

    def _specialize(
        self,
        shapes: tuple[tuple[int, ...], ...],
        values: tuple[bytes | None, ...] = (),
        disk_key: str | None = None,
    ) -> _Specialization:
        key = self._cache_key(shapes, values)
        spec = self._cache.get(key)  # no compile lock on a hit: calls never wait on a compile
        if spec is not None:
            if len(self._cache) > 1:
                with self._lru_lock:
                    if key in self._cache:
                        self._cache.move_to_end(key)
            return spec
        with self._lock:
            spec = self._cache.get(key)
            if spec is None:
                with compile_gc():
                    spec = self._compile(shapes, values, disk_key)
                if self._profiler is not None:
                    self._profiler.bind(spec.jit, spec.profile_table)
                with self._lru_lock:
                    self._cache[key] = spec
                    while len(self._cache) > max(1, self.max_variants):
                        self._cache.popitem(last=False)
                self.stage_times = dict(spec.stage_times)
            return spec

    def _substitute_values(
        self, fn: func.FuncOp, shapes: tuple[tuple[int, ...], ...], values: tuple[bytes | None, ...]
    ) -> None:
        """Give the compile-time operands computed from the value-specialised
        arguments the call's values, and nothing else.

        Each specialised argument gets an ``onnx.Constant`` (marked
        ``mlopt.specialized``) holding its value; the ops between it and the
        operands listed in :data:`VALUE_OPERANDS` are cloned onto the constant
        (the clones marked ``mlopt.shape_chain``) and only those operands are
        redirected. Every other use -- the argument's data flowing to an output
        -- keeps the run-time argument, so output values are still computed by
        the generated code; ``onnx-constant-fold`` folds only the marked chain
        (see :func:`mlopt.passes.onnx_opt.constant_fold.fold_op`)."""
        from mlopt.dialects.onnx import op_class
        from mlopt.dialects.onnx.helpers import dense_attr_from_numpy
        from mlopt.passes.onnx_opt.common import SPECIALIZED_ATTR

        block = fn.body.block
        consts: dict[SSAValue, SSAValue] = {}
        for idx, data in zip(self.value_input_indices, values):
            if data is None:
                continue
            spec = self.inputs[idx]
            array = np.frombuffer(data, dtype=spec.dtype).reshape(shapes[idx])
            arg = block.args[idx]
            typ = arg.type
            elt = typ.get_element_type() if isinstance(typ, TensorType) else None
            value = dense_attr_from_numpy(array, elt)
            const = op_class("Constant").create(
                result_types=[value.type],
                attributes={
                    "value": value,
                    "onnx.name": StringAttr(spec.name),
                    SPECIALIZED_ATTR: UnitAttr(),
                },
            )
            const.results[0].name_hint = arg.name_hint
            if block.first_op is not None:
                block.insert_op_before(const, block.first_op)
            else:
                block.add_op(const)
            consts[arg] = const.results[0]
        if consts:
            _route_value_operands(block, consts)

    def _lowered_module(
        self,
        shapes: tuple[tuple[int, ...], ...],
        times: dict[str, float],
        values: tuple[bytes | None, ...] = (),
        progress: Any = None,
    ) -> ModuleOp:
        from mlopt import make_context
        from mlopt.passes.pipelines import OPT_STAGES, sized_stages, stages_from

        ctx = make_context()
        level = "onnx" if self._level == "onnx-model" else self._level
        at_call = self.value_input_indices and any(v is not None for v in values)
        if self.pipeline is not None:
            stages = [("pipeline", self.pipeline)]
        else:
            stages = stages_from(level)
            if self.opt_level < 2:  # IR-level loop optimisations only at -O2/-O3
                stages = [(name, text) for name, text in stages if name not in OPT_STAGES]
            sized = sized_stages(self.target_cpu, self.num_threads, optimise=self.opt_level >= 2)
            stages = [(name, sized.get(name, text)) for name, text in stages]
        if at_call:  # compiled inside a call: onnx.reference stays off the run path
            stages = [(name, _no_reference(text)) for name, text in stages]
        if self._profiler is not None:
            from mlopt.backends.profiling import profiled_stages

            stages = profiled_stages(stages)
        if progress is not None:
            first = ["import"] if self._level == "onnx-model" else []
            planned = [*first, *(name for name, _ in stages), "translate", "llvm-optimize", "link"]
            progress.plan(planned)
            progress.stage(planned[0])
        t0 = time.perf_counter()
        source = self._model_source()
        if self._level == "onnx-model":
            from mlopt.frontends.onnx import import_model

            named = {s.name: shape for s, shape in zip(self.inputs, shapes)}
            module = import_model(source, input_shapes=named)
            times["import"] = time.perf_counter() - t0
        else:
            module = source.clone()
            if level in ("onnx", "tensor"):
                _set_input_shapes(_graph_func(module), shapes)
        if at_call:
            self._substitute_values(_graph_func(module), shapes, values)
        for stage, text in stages:
            if progress is not None:
                progress.stage(stage)
            t = time.perf_counter()
            _parsed_pipeline(text).apply(ctx, module)
            times[stage] = time.perf_counter() - t
        if self.fast_math:
            _add_fast_math(module)
        return module

    def _compile(
        self,
        shapes: tuple[tuple[int, ...], ...],
        values: tuple[bytes | None, ...] = (),
        disk_key: str | None = None,
    ) -> _Specialization:
        """Compile a variant, or load it from the compile cache (``disk_key``: its
        key there, default :func:`~mlopt.backends.cache.variant_key`)."""
        from mlopt.backends import cache

        if not (self.cache and cache.cache_enabled()):
            return self._compile_here(shapes, values)
        t0 = time.perf_counter()
        key = disk_key or cache.variant_key(self, shapes, values)
        spec = cache.lookup(self, key)
        if spec is not None:
            spec.stage_times = {"cache-load": time.perf_counter() - t0}
            return spec
        spec = self._compile_here(shapes, values)
        t1 = time.perf_counter()
        cache.store(self, key, self._cache_key(shapes, values), spec)
        spec.stage_times["cache-store"] = time.perf_counter() - t1
        return spec

    def _compile_here(
        self, shapes: tuple[tuple[int, ...], ...], values: tuple[bytes | None, ...] = ()
    ) -> _Specialization:
        from mlopt.backends.progress import compile_progress

        with compile_progress(["import"], self.label, self.progress) as progress:
            return self._compile_stages(shapes, values, progress)

    def _compile_stages(
        self, shapes: tuple[tuple[int, ...], ...], values: tuple[bytes | None, ...], progress: Any
    ) -> _Specialization:
        times: dict[str, float] = {}
        module = self._lowered_module(shapes, times, values, progress)
        entry = _llvm_entry(module)
        arg_types = entry.attributes.get("mlopt.arg_types")
        if not isinstance(arg_types, ArrayAttr):
            raise CompileArgumentError("the lowered entry function has no mlopt.arg_types attribute")
        n_in = _num_inputs(entry.attributes, len(arg_types.data))
        checks = _index_checks(entry)
        out_types = list(arg_types.data[n_in : len(arg_types.data) - (checks is not None)])
        if len(out_types) != len(self.output_names):
            raise CompileArgumentError(
                f"the compiled function has {len(out_types)} outputs, "
                f"the model declares {len(self.output_names)}"
            )
        out_shapes: list[tuple[int, ...]] = []
        out_dtypes: list[np.dtype] = []
        for i, t in enumerate(out_types):
            spec = _tensor_spec(self.output_names[i], t)
            assert spec.shape is not None
            out_shapes.append(tuple(int(d or 0) for d in spec.shape))
            declared = self._output_dtypes[i] if i < len(self._output_dtypes) else None
            if declared is not None and declared.itemsize == spec.dtype.itemsize:
                out_dtypes.append(declared)
            else:
                out_dtypes.append(spec.dtype)
        progress.stage("translate")
        jit = JITModule(module, opt_level=self.opt_level, target_cpu=self.target_cpu, on_stage=progress.stage)
        times.update(jit.stage_times)
        fn = jit.function()
        spec = _Specialization(jit, fn, out_shapes, out_dtypes, times, checks)
        if self._profiler is not None:  # the timed groups' nodes (bound by _specialize)
            from mlopt.passes.profile import TABLE_ATTR, read_profile_table

            spec.profile_table = read_profile_table(entry.attributes.get(TABLE_ATTR))
        return spec

    # -- calling -----------------------------------------------------------
    def _check(self, arrays: Sequence[Any]) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for spec, value in zip(self.inputs, arrays):
            if not isinstance(value, np.ndarray):
                try:
                    value = np.asarray(value, dtype=spec.dtype)
                except (TypeError, ValueError) as exc:
                    raise InputError(f"input '{spec.name}': cannot convert to {spec.dtype}: {exc}") from None
            if value.dtype != spec.dtype:
                raise InputError(
                    f"input '{spec.name}': expected dtype {spec.dtype}, got {value.dtype}"
                )
            if spec.shape is not None:
                ok = len(value.shape) == len(spec.shape) and all(
                    d is None or d == v for d, v in zip(spec.shape, value.shape)
                )
                if not ok:
                    raise InputError(
                        f"input '{spec.name}': expected shape {spec.describe_shape()}, "
                        f"got {tuple(value.shape)}"
                    )
            out.append(np.require(value, requirements="C"))  # keeps 0-d arrays 0-d
        return out

    def _gather(self, arrays: Sequence[Any], named: Mapping[str, Any]) -> list[Any]:
        values: list[Any] = list(arrays)
        if len(values) > len(self.inputs):
            raise InputError(
                f"expected {len(self.inputs)} input(s) ({', '.join(self.input_names)}), "
                f"got {len(values)}"
            )
        for name in named:
            if name not in self.input_names:
                raise InputError(
                    f"unknown input '{name}'; the inputs are: {', '.join(self.input_names)}"
                )
            if self.input_names.index(name) < len(values):
                raise InputError(f"input '{name}' given both by position and by name")
        for name in self.input_names[len(values) :]:
            if name not in named:
                raise InputError(
                    f"missing input '{name}': expected {len(self.inputs)} input(s) "
                    f"({', '.join(self.input_names)})"
                )
            values.append(named[name])
        return values

    def __call__(self, *arrays: Any, **named: Any) -> list[np.ndarray]:
        inputs = self._check(self._gather(arrays, named))
        shapes = tuple(tuple(int(d) for d in a.shape) for a in inputs)
        values = self._value_key(inputs) if self.value_input_indices else ()
        with public_errors():  # a shape-specialised compile's errors are MloptErrors
            spec = self._specialize(shapes, values)
        outputs = [np.empty(s, dtype=d) for s, d in zip(spec.out_shapes, spec.out_dtypes)]
        ptrs = [*[a.ctypes.data for a in inputs], *[o.ctypes.data for o in outputs]]
        with self._profiler.recording(spec.jit) if self._profiler is not None else nullcontext():
            if spec.checks is None:
                spec.fn(*ptrs)
            else:  # int32_t entry(..., int64_t status[8]): nonzero when an index check failed
                status = new_status()
                raise_for_status(spec.fn(*ptrs, status.ctypes.data), status, spec.checks)
        return outputs

    # -- profiling (compile_model(profile=True); see mlopt.backends.profiling) --
    def _require_profiler(self) -> Any:
        if self._profiler is None:
            raise UsageError("this model was compiled without profile=True: it has no profile")
        return self._profiler

    def profile(self) -> list[Any]:
        """The :class:`~mlopt.backends.profiling.ProfileEvent`s of the calls so far:
        one per node or fused kernel per call (``cat="Op"``) and one per call
        (``cat="Session"``)."""
        return self._require_profiler().snapshot()

    def write_profile(self, path: str | Path) -> None:
        """Write the events so far to ``path`` as Chrome-trace (Perfetto) JSON."""
        from mlopt.backends.profiling import write_trace

        write_trace(self.profile(), path)

    def clear_profile(self) -> None:
        """Forget the events recorded so far."""
        self._require_profiler().clear()

    def run(self, inputs: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Run with inputs by name; returns ``{output name: array}``."""
        return dict(zip(self.output_names, self(**dict(inputs))))

    def __repr__(self) -> str:
        ins = ", ".join(f"{s.name}: {s.dtype}{s.describe_shape()}" for s in self.inputs)
        return f"<CompiledModel ({ins}) -> ({', '.join(self.output_names)}) -O{self.opt_level}>"


def _add_fast_math(module: ModuleOp) -> None:
    """Allow reassociation and contraction on every llvm float arithmetic op."""
    from xdsl.dialects import llvm

    flags = llvm.FastMathAttr((llvm.FastMathFlag.REASSOC, llvm.FastMathFlag.ALLOW_CONTRACT))
    for op in module.walk():
        if isinstance(op, llvm.AbstractFloatArithOp | llvm.FNegOp):
            op.fastmathFlags = flags


_PIPELINE_CACHE: dict[tuple[int, str], Any] = {}
_PIPELINE_LOCK = threading.Lock()


def _parsed_pipeline(text: str) -> Any:
    """The parsed pass pipeline for ``text`` (parsing costs milliseconds; passes are
    stateless, so one parse serves every compilation)."""
    from mlopt.pipeline_parse import parse_pipeline
    from mlopt.registry import default_registry

    key = (id(default_registry()), text)
    with _PIPELINE_LOCK:
        parsed = _PIPELINE_CACHE.get(key)
        if parsed is None:
            parsed = _PIPELINE_CACHE[key] = parse_pipeline(text)
        return parsed


def _index_checks(entry: llvm.FuncOp) -> list[CheckInfo] | None:
    """The check table of an entry with an error-status return (see
    :mod:`mlopt.passes.index_checks`), None for a plain ``void`` entry."""
    return read_check_table(entry.attributes.get(INDEX_CHECKS_ATTR))


def _llvm_entry(module: ModuleOp) -> llvm.FuncOp:
    from xdsl.dialects import llvm

    for op in module.ops:
        if isinstance(op, llvm.FuncOp) and "mlopt.entry" in op.attributes:
            return op
    raise CompileArgumentError("the lowered module has no function marked mlopt.entry")


def _set_input_shapes(fn: func.FuncOp, shapes: tuple[tuple[int, ...], ...]) -> None:
    """Give the graph function's tensor arguments the concrete ``shapes``."""
    from xdsl.rewriter import Rewriter

    block = fn.body.block
    new_inputs = list(fn.function_type.inputs)
    for i, shape in enumerate(shapes):
        old = new_inputs[i]
        if not isinstance(old, TensorType) or tuple(old.get_shape()) == shape:
            continue
        new = TensorType(old.get_element_type(), shape)
        new_inputs[i] = new
        Rewriter.replace_value_with_new_type(block.args[i], new)
    from xdsl.dialects.builtin import FunctionType

    fn.function_type = FunctionType.from_lists(new_inputs, list(fn.function_type.outputs))


def _graph_nodes(graph: Any) -> list[Any]:
    """The nodes of ``graph`` and of all its subgraphs."""
    nodes: list[Any] = []
    stack = [graph]
    while stack:
        g = stack.pop()
        for node in g.node:
            nodes.append(node)
            for a in node.attribute:
                if a.HasField("g"):
                    stack.append(a.g)
                stack.extend(a.graphs)
    return nodes


def _trace_to_inputs(start: list[Any], producer_of: Any, operands_of: Any, is_input: Any) -> set[Any]:
    """The graph inputs reached from ``start`` going back through producers
    (stopping at ops whose result depends only on an operand's shape)."""
    found: set[Any] = set()
    seen: set[Any] = set()
    work = list(start)
    while work:
        v = work.pop()
        if v in seen:
            continue
        seen.add(v)
        if is_input(v):
            found.add(v)
            continue
        prod = producer_of(v)
        if prod is None:
            continue
        op_type, operands = operands_of(prod)
        if op_type in _SHAPE_ONLY_OPS:
            continue
        work.extend(operands)
    return found


def _no_reference(pipeline: str) -> str:
    """``pipeline`` with ``onnx-constant-fold`` told not to use ``onnx.reference``."""
    import re

    return re.sub(r"onnx-constant-fold(?![-{\w])", "onnx-constant-fold{reference=false}", pipeline)


def _route_value_operands(block: Any, consts: dict[SSAValue, SSAValue]) -> None:
    """Redirect the :data:`VALUE_OPERANDS` operands of the ops in ``block`` that
    depend on the arguments in ``consts`` to clones of their producing ops that
    read the constants instead (see ``CompiledModel._substitute_values``)."""
    from xdsl.rewriter import InsertPoint, Rewriter

    from mlopt.passes.onnx_opt.common import SHAPE_CHAIN_ATTR

    rewriter = Rewriter()
    mapping: dict[SSAValue, SSAValue] = dict(consts)
    depends: dict[SSAValue, bool] = {}

    def onnx_type(op: Operation) -> str:
        return op.name.split(".", 1)[1] if op.dialect_name() == "onnx" else ""

    def depends_on_consts(v: SSAValue) -> bool:
        if v in mapping:
            return True
        if v not in depends:
            owner = v.owner
            depends[v] = (
                isinstance(owner, Operation)
                and onnx_type(owner) not in _SHAPE_ONLY_OPS
                and any(depends_on_consts(o) for o in owner.operands)
            )
        return depends[v]

    def constant_version(v: SSAValue) -> SSAValue:
        if v in mapping or not depends_on_consts(v):
            return mapping.get(v, v)
        owner = v.owner
        assert isinstance(owner, Operation)
        operands = [constant_version(o) for o in owner.operands]
        clone = owner.clone()
        for i, o in enumerate(operands):
            clone.operands[i] = o
        clone.attributes[SHAPE_CHAIN_ATTR] = UnitAttr()
        rewriter.insert_op(clone, InsertPoint.after(owner))
        for r, c in zip(owner.results, clone.results):
            c.name_hint = r.name_hint
            mapping[r] = c
        return mapping[v]

    for op in list(block.ops):
        if SHAPE_CHAIN_ATTR in op.attributes:
            continue
        for k in VALUE_OPERANDS.get(onnx_type(op), ()):
            if k < len(op.operands):
                new = constant_version(op.operands[k])
                if new is not op.operands[k]:
                    op.operands[k] = new


def value_inputs(model_or_func: Any) -> tuple[int, ...]:
    """Indices (among the non-initializer graph inputs, or the graph function's
    arguments) of the inputs whose values some op needs at compile time
    (see :data:`VALUE_OPERANDS`). Accepts an ``onnx.ModelProto`` or the onnx-level
    graph ``func.FuncOp``."""
    from xdsl.dialects import func

    if isinstance(model_or_func, func.FuncOp):
        return _value_inputs_func(model_or_func)
    graph = model_or_func.graph
    initializers = {i.name for i in graph.initializer}
    names = [vi.name for vi in graph.input if vi.name not in initializers]
    index = {n: i for i, n in enumerate(names)}
    nodes = _graph_nodes(graph)
    producers: dict[str, Any] = {}
    for node in nodes:
        for out in node.output:
            if out:
                producers[out] = node
    start: list[str] = []
    for node in nodes:
        if node.domain not in ("", "ai.onnx"):
            continue
        for k in VALUE_OPERANDS.get(node.op_type, ()):
            if k < len(node.input) and node.input[k]:
                start.append(node.input[k])
    found = _trace_to_inputs(
        start,
        producers.get,
        lambda n: (n.op_type, [i for i in n.input if i]),
        lambda v: v in index and v not in producers,
    )
    return tuple(sorted(index[n] for n in found))


def _value_inputs_func(fn: func.FuncOp) -> tuple[int, ...]:
    from xdsl.ir import BlockArgument, OpResult

    if not fn.body.blocks:
        return ()
    block = fn.body.block
    start: list[Any] = []
    for op in fn.walk():
        if op.dialect_name() != "onnx":
            continue
        for k in VALUE_OPERANDS.get(op.name.split(".", 1)[1], ()):
            if k < len(op.operands):
                start.append(op.operands[k])
    found = _trace_to_inputs(
        start,
        lambda v: v.owner if isinstance(v, OpResult) else None,
        lambda op: (op.name.split(".", 1)[-1], list(op.operands)),
        lambda v: isinstance(v, BlockArgument) and v.block is block,
    )
    return tuple(sorted(v.index for v in found))


def _onnx_model(model: Any) -> Any:
    import onnx

    if isinstance(model, onnx.ModelProto):
        return model
    if isinstance(model, bytes | bytearray):
        return onnx.load_from_string(bytes(model))
    return onnx.load(str(model), load_external_data=True)


def _from_onnx(model: Any, opt_level: int, target_cpu: str | None) -> CompiledModel:
    import onnx
    from onnx import helper

    proto = _onnx_model(model)
    graph = proto.graph
    initializers = {i.name for i in graph.initializer}
    inputs: list[InputSpec] = []
    for vi in graph.input:
        if vi.name in initializers:
            continue
        kind = vi.type.WhichOneof("value")
        if kind != "tensor_type":
            raise CompileArgumentError(
                f"input '{vi.name}' is of ONNX type {kind or 'unknown'}: the compiled "
                "path takes tensor inputs only"
            )
        tt = vi.type.tensor_type
        try:
            dtype = np.dtype(helper.tensor_dtype_to_np_dtype(tt.elem_type))
        except (KeyError, TypeError, ValueError):
            names = onnx.TensorProto.DataType
            elem = names.Name(tt.elem_type) if tt.elem_type in names.values() else tt.elem_type
            raise CompileArgumentError(
                f"input '{vi.name}' has element type {elem}, which the compiled path "
                "does not support"
            ) from None
        shape: tuple[int | None, ...] | None = None
        names: tuple[str | None, ...] | None = None
        if tt.HasField("shape"):
            shape = tuple(d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim)
            names = tuple(None if d.HasField("dim_value") else d.dim_param or None for d in tt.shape.dim)
        inputs.append(InputSpec(vi.name, dtype, shape, names if names and any(names) else None))
    out_dtypes: list[np.dtype | None] = []
    for vi in graph.output:
        if vi.type.WhichOneof("value") not in (None, "tensor_type"):
            raise CompileArgumentError(
                f"output '{vi.name}' is of ONNX type {vi.type.WhichOneof('value')}: the "
                "compiled path produces tensor outputs only"
            )
        et = vi.type.tensor_type.elem_type
        out_dtypes.append(np.dtype(helper.tensor_dtype_to_np_dtype(et)) if et else None)
    del onnx
    compiled = CompiledModel(
        proto,
        "onnx-model",
        inputs,
        [o.name for o in graph.output],
        out_dtypes,
        opt_level,
        target_cpu,
    )
    compiled.value_input_indices = _numeric_only(value_inputs(proto), inputs)
    return compiled


def _numeric_only(indices: tuple[int, ...], inputs: Sequence[InputSpec]) -> tuple[int, ...]:
    return tuple(i for i in indices if i < len(inputs) and _is_numeric(inputs[i].dtype))


def _is_numeric(dtype: np.dtype) -> bool:
    """bool/int/float dtypes, including ml_dtypes' bfloat16 (numpy kind 'V')."""
    return dtype.kind in "biuf" or dtype.name == "bfloat16"


@dataclass
class ModuleSignature:
    """What the runtime calls in an IR module, found without compiling it."""

    level: str  #: "onnx", "tensor", "affine" or "llvm"
    entry: str  #: the name of the function that is run
    inputs: list[InputSpec]
    #: names always; dtype and shape from the entry's types (None where not recorded)
    outputs: list[InputSpec]


def module_signature(module: ModuleOp) -> ModuleSignature:
    """The level of ``module``, its entry function, and the inputs and outputs
    the runtime feeds and returns (names, dtypes, shapes with None for a
    symbolic dimension), at any level mlopt emits: the onnx and tensor levels
    (the graph function), the affine level (the ``mlopt.entry`` function with
    out-parameters) and the llvm level (``mlopt.arg_types`` and
    ``mlopt.arg_names`` on the ``llvm.func`` that ``convert-func-to-llvm``
    marks). Raises CompileArgumentError when no entry can be found."""
    level = _detect_level(module)
    if level in ("onnx", "tensor"):
        fn = _graph_func(module)
        ftype = fn.function_type
        names = _arg_names(fn, len(ftype.inputs))
        inputs = [_tensor_spec(n, t) for n, t in zip(names, ftype.inputs)]
        out_names = _output_names(fn.attributes, len(ftype.outputs))
        outputs = [_tensor_spec(n, t) for n, t in zip(out_names, ftype.outputs)]
        return ModuleSignature(level, fn.sym_name.data, inputs, outputs)
    if level == "affine":
        fn = _graph_func(module)
        types = list(fn.function_type.inputs)
        if INDEX_CHECKS_ATTR in fn.attributes:  # lower-index-checks ran: the status record
            types = types[:-1]
        n_in = _num_inputs(fn.attributes, len(types))
        names = _arg_names(fn, len(types))
        attrs = fn.attributes
        entry = fn.sym_name.data
    else:
        fn = _llvm_entry(module)
        arg_types = fn.attributes.get("mlopt.arg_types")
        if not isinstance(arg_types, ArrayAttr):
            raise CompileArgumentError(
                "an llvm-level module needs the mlopt.arg_types attribute on its entry "
                "(written by convert-func-to-llvm)"
            )
        types = list(arg_types.data)
        if _index_checks(fn) is not None:  # the trailing status record
            types = types[:-1]
        n_in = _num_inputs(fn.attributes, len(types))
        arg_names = fn.attributes.get("mlopt.arg_names")
        names = (
            [n.data for n in arg_names.data]  # type: ignore[attr-defined]
            if isinstance(arg_names, ArrayAttr)
            else [f"input{i}" for i in range(len(types))]
        )
        attrs = fn.attributes
        entry = fn.sym_name.data
    inputs = [_tensor_spec(n, t) for n, t in zip(names[:n_in], types[:n_in])]
    out_names = _output_names(attrs, len(types) - n_in)
    outputs = [_tensor_spec(n, t) for n, t in zip(out_names, types[n_in:])]
    return ModuleSignature(level, entry, inputs, outputs)


def _from_module(module: ModuleOp, opt_level: int, target_cpu: str | None) -> CompiledModel:
    sig = module_signature(module)
    level, inputs = sig.level, sig.inputs
    out_names = [o.name for o in sig.outputs]
    # below the tensor level the output dtypes come from the compiled specialisation
    out_dtypes: list[np.dtype | None] = (
        [o.dtype for o in sig.outputs] if level in ("onnx", "tensor") else [None] * len(out_names)
    )
    if level in ("tensor", "affine", "llvm"):
        for s in inputs:
            if s.shape is None or None in s.shape:
                raise CompileArgumentError(
                    f"input '{s.name}': a {level}-level module needs static shapes, "
                    f"got {s.describe_shape()}"
                )
    compiled = CompiledModel(module, level, inputs, out_names, out_dtypes, opt_level, target_cpu)
    if level == "onnx":
        compiled.value_input_indices = _numeric_only(value_inputs(_graph_func(module)), inputs)
    return compiled


def compile_model(
    model_or_module: Any,
    *,
    opt_level: int = 3,
    target_cpu: str | None = None,
    fast_math: bool = False,
    pipeline: str | None = None,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    num_threads: int | None = None,
    cache: bool = True,
    content_hash: str | None = None,
    progress: bool = False,
    profile: bool = False,
) -> CompiledModel:
    """Compile an ONNX model or an mlopt module to native code (see the module docstring).

    Models whose inputs all have static shapes are compiled at once, so errors
    show up here; others are compiled on the first call with each new shape.
    ``fast_math=True`` lets LLVM reassociate and contract floating-point
    arithmetic (vectorised reductions, FMAs): faster, results differ in the last
    bits. Off by default.
    ``pipeline`` replaces the named stages with a pass pipeline of your own
    (it must end in the llvm dialect). ``input_shapes`` fixes the symbolic
    dimensions of the named inputs (then the model is compiled at once).
    ``num_threads``: how many threads the contraction kernels split their outer
    loops over (default ``MLOPT_NUM_THREADS``, else the CPUs available to the
    process); results are the same for every thread count.
    ``cache``: look up and store compiled variants in the on-disk compile cache
    (:mod:`mlopt.backends.cache`; ``MLOPT_CACHE=0`` turns it off everywhere).
    ``content_hash``: the SHA-256 of the model's serialized bytes, when the
    caller has them (saves serializing the model again to key the cache).
    ``progress``: show the compile's stages on stderr as they run (a tqdm bar;
    for this compile and every later one at a call).
    ``profile=True`` makes the generated code time each ONNX node (or fused
    kernel) of every call; see :mod:`mlopt.backends.profiling`
    (``model.profile()``, ``model.write_profile(path)``). Calls of a profiled
    model run one at a time. Off by default: then nothing is added to the code.
    """
    resolved = resolve_options(
        opt_level=opt_level,
        target_cpu=target_cpu,
        fast_math=fast_math,
        pipeline=pipeline,
        input_shapes=input_shapes,
        num_threads=num_threads,
        profile=profile,
    )
    num_threads = resolved["num_threads"]
    if isinstance(model_or_module, ModuleOp):
        compiled = _from_module(model_or_module, opt_level, target_cpu)
    elif isinstance(model_or_module, str | Path) and Path(model_or_module).suffix == ".mlir":
        from mlopt import parse_file

        compiled = _from_module(parse_file(model_or_module), opt_level, target_cpu)
    else:
        compiled = _from_onnx(model_or_module, opt_level, target_cpu)
    compiled.fast_math = fast_math
    compiled.pipeline = pipeline
    compiled.num_threads = num_threads
    compiled.input_shapes = resolved["input_shapes"]
    compiled.cache = bool(cache)
    compiled.progress = bool(progress)
    compiled.label = _label(model_or_module)
    if content_hash is not None:
        compiled._content_hash = content_hash
    if profile:
        from mlopt.backends.profiling import Profiler

        compiled._profiler = Profiler()
    if input_shapes:
        compiled._fix_shapes(input_shapes)
    if compiled.is_static and not compiled.value_input_indices:
        # with value-specialised inputs the values are needed: compiled at the first call
        shapes = tuple(tuple(int(d) for d in s.shape or ()) for s in compiled.inputs)
        key = None
        if compiled.cache:
            from mlopt.backends.cache import cache_enabled, eager_key

            if cache_enabled():
                key = eager_key(compiled.content_hash(), compiled._level, resolved)
        compiled._specialize(shapes, disk_key=key)
    return compiled


def _label(model: Any) -> str:
    """How progress names the model: its file name, else its graph's name."""
    if isinstance(model, str | Path):
        return Path(model).name
    graph = getattr(model, "graph", None)
    return getattr(graph, "name", "") or "model"


def resolve_options(
    *,
    opt_level: int = 3,
    target_cpu: str | None = None,
    fast_math: bool = False,
    pipeline: str | None = None,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    num_threads: int | None = None,
    profile: bool = False,
) -> dict[str, Any]:
    """``compile_model``'s options checked and with their defaults filled in
    (``num_threads`` from ``MLOPT_NUM_THREADS`` or the CPUs): what keys a
    compile in the cache before the model is even parsed."""
    if opt_level not in (0, 1, 2, 3):
        raise CompileArgumentError(f"opt_level must be 0, 1, 2 or 3, not {opt_level!r}")
    from mlopt.backends.llvm.threads import default_threads

    if num_threads is None:
        num_threads = default_threads()
    if not isinstance(num_threads, int) or isinstance(num_threads, bool) or num_threads < 1:
        raise CompileArgumentError(f"num_threads must be a positive integer, not {num_threads!r}")
    if not isinstance(profile, bool):
        raise CompileArgumentError(f"profile must be True or False, not {profile!r}")
    if profile and pipeline is not None:
        raise CompileArgumentError(
            "profile=True needs mlopt's own pipeline stages; it cannot be combined with pipeline="
        )
    shapes = None
    if input_shapes:
        shapes = {str(k): [int(d) for d in v] for k, v in sorted(dict(input_shapes).items())}
    return {
        "opt_level": opt_level,
        "target_cpu": target_cpu,
        "fast_math": bool(fast_math),
        "pipeline": pipeline,
        "input_shapes": shapes,
        "num_threads": num_threads,
        "profile": profile,
    }

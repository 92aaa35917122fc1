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
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    TensorType,
)
from xdsl.ir import Attribute

from mlopt.backends.llvm import JITModule, numpy_dtype

__all__ = ["CompiledModel", "compile_model", "InputSpec"]


@dataclass(frozen=True)
class InputSpec:
    """Name, dtype and shape (None for a symbolic dimension) of a model input/output."""

    name: str
    dtype: np.dtype
    shape: tuple[int | None, ...] | None

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


def _tensor_spec(name: str, typ: Attribute) -> InputSpec:
    if isinstance(typ, TensorType | MemRefType):
        shape = tuple(None if d < 0 else d for d in typ.get_shape())
        return InputSpec(name, numpy_dtype(typ.get_element_type()), shape)
    return InputSpec(name, numpy_dtype(typ), ())


def _detect_level(module: ModuleOp) -> str:
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
        raise ValueError(
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
    raise ValueError("the entry function has no mlopt.num_inputs attribute")


class CompiledModel:
    """A compiled model: call it with numpy arrays, get numpy arrays back.

    ``model(x, y)`` / ``model(x=..., y=...)`` -> list of outputs in order;
    ``model.run({"x": ...})`` -> dict name -> output.
    """

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
        self._cache: dict[tuple[tuple[int, ...], ...], _Specialization] = {}
        self._lock = threading.Lock()
        self.stage_times: dict[str, float] = {}

    # -- compilation -------------------------------------------------------
    @property
    def is_static(self) -> bool:
        return all(s.shape is not None and None not in s.shape for s in self.inputs)

    def _fix_shapes(self, shapes: Mapping[str, Sequence[int]]) -> None:
        for name in shapes:
            if name not in self.input_names:
                raise ValueError(
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
                raise ValueError(
                    f"input_shapes gives input '{spec.name}' shape {shape}, "
                    f"but the model declares {spec.describe_shape()}"
                )
            fixed.append(InputSpec(spec.name, spec.dtype, shape))
        self.inputs = fixed

    def compiled_signatures(self) -> list[tuple[tuple[int, ...], ...]]:
        with self._lock:
            return list(self._cache)

    def _specialize(self, shapes: tuple[tuple[int, ...], ...]) -> _Specialization:
        spec = self._cache.get(shapes)  # lock-free fast path: calls never wait on a compile
        if spec is not None:
            return spec
        with self._lock:
            spec = self._cache.get(shapes)
            if spec is None:
                spec = self._compile(shapes)
                self._cache[shapes] = spec
                self.stage_times = dict(spec.stage_times)
            return spec

    def _lowered_module(
        self, shapes: tuple[tuple[int, ...], ...], times: dict[str, float]
    ) -> ModuleOp:
        from mlopt import make_context
        from mlopt.passes.pipelines import stages_from

        ctx = make_context()
        level = self._level
        t0 = time.perf_counter()
        if level == "onnx-model":
            from mlopt.frontends.onnx import import_model

            named = {s.name: shape for s, shape in zip(self.inputs, shapes)}
            module = import_model(self._source, input_shapes=named)
            level = "onnx"
            times["import"] = time.perf_counter() - t0
        else:
            module = self._source.clone()
            if level in ("onnx", "tensor"):
                _set_input_shapes(_graph_func(module), shapes)
        if self.pipeline is not None:
            stages = [("pipeline", self.pipeline)]
        else:
            stages = stages_from(level)
            if self.opt_level < 2:  # IR-level loop optimisations only at -O2/-O3
                stages = [(name, text) for name, text in stages if name != "tensor-opt"]
        for stage, text in stages:
            t = time.perf_counter()
            _parsed_pipeline(text).apply(ctx, module)
            times[stage] = time.perf_counter() - t
        if self.fast_math:
            _add_fast_math(module)
        return module

    def _compile(self, shapes: tuple[tuple[int, ...], ...]) -> _Specialization:
        times: dict[str, float] = {}
        module = self._lowered_module(shapes, times)
        entry = _llvm_entry(module)
        arg_types = entry.attributes.get("mlopt.arg_types")
        if not isinstance(arg_types, ArrayAttr):
            raise ValueError("the lowered entry function has no mlopt.arg_types attribute")
        n_in = _num_inputs(entry.attributes, len(arg_types.data))
        out_types = list(arg_types.data[n_in:])
        if len(out_types) != len(self.output_names):
            raise ValueError(
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
        jit = JITModule(module, opt_level=self.opt_level, target_cpu=self.target_cpu)
        times.update(jit.stage_times)
        fn = jit.function()
        return _Specialization(jit, fn, out_shapes, out_dtypes, times)

    # -- calling -----------------------------------------------------------
    def _check(self, arrays: Sequence[Any]) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for spec, value in zip(self.inputs, arrays):
            if not isinstance(value, np.ndarray):
                try:
                    value = np.asarray(value, dtype=spec.dtype)
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"input '{spec.name}': cannot convert to {spec.dtype}: {exc}") from None
            if value.dtype != spec.dtype:
                raise ValueError(
                    f"input '{spec.name}': expected dtype {spec.dtype}, got {value.dtype}"
                )
            if spec.shape is not None:
                ok = len(value.shape) == len(spec.shape) and all(
                    d is None or d == v for d, v in zip(spec.shape, value.shape)
                )
                if not ok:
                    raise ValueError(
                        f"input '{spec.name}': expected shape {spec.describe_shape()}, "
                        f"got {tuple(value.shape)}"
                    )
            out.append(np.require(value, requirements="C"))  # keeps 0-d arrays 0-d
        return out

    def _gather(self, arrays: Sequence[Any], named: Mapping[str, Any]) -> list[Any]:
        values: list[Any] = list(arrays)
        if len(values) > len(self.inputs):
            raise ValueError(
                f"expected {len(self.inputs)} input(s) ({', '.join(self.input_names)}), "
                f"got {len(values)}"
            )
        for name in named:
            if name not in self.input_names:
                raise ValueError(
                    f"unknown input '{name}'; the inputs are: {', '.join(self.input_names)}"
                )
            if self.input_names.index(name) < len(values):
                raise ValueError(f"input '{name}' given both by position and by name")
        for name in self.input_names[len(values) :]:
            if name not in named:
                raise ValueError(
                    f"missing input '{name}': expected {len(self.inputs)} input(s) "
                    f"({', '.join(self.input_names)})"
                )
            values.append(named[name])
        return values

    def __call__(self, *arrays: Any, **named: Any) -> list[np.ndarray]:
        inputs = self._check(self._gather(arrays, named))
        shapes = tuple(tuple(int(d) for d in a.shape) for a in inputs)
        spec = self._specialize(shapes)
        outputs = [np.empty(s, dtype=d) for s, d in zip(spec.out_shapes, spec.out_dtypes)]
        spec.fn(*[a.ctypes.data for a in inputs], *[o.ctypes.data for o in outputs])
        return outputs

    def run(self, inputs: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Run with inputs by name; returns ``{output name: array}``."""
        return dict(zip(self.output_names, self(**dict(inputs))))

    def __repr__(self) -> str:
        ins = ", ".join(f"{s.name}: {s.dtype}{s.describe_shape()}" for s in self.inputs)
        return f"<CompiledModel ({ins}) -> ({', '.join(self.output_names)}) -O{self.opt_level}>"


def _add_fast_math(module: ModuleOp) -> None:
    """Allow reassociation and contraction on every llvm float arithmetic op."""
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


def _llvm_entry(module: ModuleOp) -> llvm.FuncOp:
    for op in module.ops:
        if isinstance(op, llvm.FuncOp) and "mlopt.entry" in op.attributes:
            return op
    raise ValueError("the lowered module has no function marked mlopt.entry")


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
        tt = vi.type.tensor_type
        dtype = np.dtype(helper.tensor_dtype_to_np_dtype(tt.elem_type))
        shape: tuple[int | None, ...] | None = None
        if tt.HasField("shape"):
            shape = tuple(d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim)
        inputs.append(InputSpec(vi.name, dtype, shape))
    out_dtypes: list[np.dtype | None] = []
    for vi in graph.output:
        et = vi.type.tensor_type.elem_type
        out_dtypes.append(np.dtype(helper.tensor_dtype_to_np_dtype(et)) if et else None)
    del onnx
    return CompiledModel(
        proto,
        "onnx-model",
        inputs,
        [o.name for o in graph.output],
        out_dtypes,
        opt_level,
        target_cpu,
    )


def _from_module(module: ModuleOp, opt_level: int, target_cpu: str | None) -> CompiledModel:
    level = _detect_level(module)
    if level in ("onnx", "tensor"):
        fn = _graph_func(module)
        ftype = fn.function_type
        names = _arg_names(fn, len(ftype.inputs))
        inputs = [_tensor_spec(n, t) for n, t in zip(names, ftype.inputs)]
        out_names = _output_names(fn.attributes, len(ftype.outputs))
        out_dtypes: list[np.dtype | None] = [
            _tensor_spec(n, t).dtype for n, t in zip(out_names, ftype.outputs)
        ]
    elif level == "affine":
        fn = _graph_func(module)
        types = list(fn.function_type.inputs)
        n_in = _num_inputs(fn.attributes, len(types))
        names = _arg_names(fn, len(types))
        inputs = [_tensor_spec(n, t) for n, t in zip(names[:n_in], types[:n_in])]
        out_names = _output_names(fn.attributes, len(types) - n_in)
        out_dtypes = [None] * len(out_names)
    else:
        entry = _llvm_entry(module)
        arg_types = entry.attributes.get("mlopt.arg_types")
        if not isinstance(arg_types, ArrayAttr):
            raise ValueError(
                "an llvm-level module needs the mlopt.arg_types attribute on its entry "
                "(written by convert-func-to-llvm)"
            )
        types = list(arg_types.data)
        n_in = _num_inputs(entry.attributes, len(types))
        arg_names = entry.attributes.get("mlopt.arg_names")
        names = (
            [n.data for n in arg_names.data]  # type: ignore[attr-defined]
            if isinstance(arg_names, ArrayAttr)
            else [f"input{i}" for i in range(len(types))]
        )
        inputs = [_tensor_spec(n, t) for n, t in zip(names[:n_in], types[:n_in])]
        out_names = _output_names(entry.attributes, len(types) - n_in)
        out_dtypes = [None] * len(out_names)
    if level in ("tensor", "affine", "llvm"):
        for s in inputs:
            if s.shape is None or None in s.shape:
                raise ValueError(
                    f"input '{s.name}': a {level}-level module needs static shapes, "
                    f"got {s.describe_shape()}"
                )
    return CompiledModel(module, level, inputs, out_names, out_dtypes, opt_level, target_cpu)


def compile_model(
    model_or_module: Any,
    *,
    opt_level: int = 3,
    target_cpu: str | None = None,
    fast_math: bool = False,
    pipeline: str | None = None,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
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
    """
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, not {opt_level!r}")
    if isinstance(model_or_module, ModuleOp):
        compiled = _from_module(model_or_module, opt_level, target_cpu)
    elif isinstance(model_or_module, str | Path) and Path(model_or_module).suffix == ".mlir":
        from mlopt import parse_file

        compiled = _from_module(parse_file(model_or_module), opt_level, target_cpu)
    else:
        compiled = _from_onnx(model_or_module, opt_level, target_cpu)
    compiled.fast_math = fast_math
    compiled.pipeline = pipeline
    if input_shapes:
        compiled._fix_shapes(input_shapes)
    if compiled.is_static:
        shapes = tuple(tuple(int(d) for d in s.shape or ()) for s in compiled.inputs)
        compiled._specialize(shapes)
    return compiled

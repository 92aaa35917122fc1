"""The ONNX backend API (``onnx.backend.base.Backend``) on mlopt's compiled path.

Every model is compiled to native code with :func:`mlopt.compile` and run as
such; there is no fallback to onnxruntime, the ONNX reference evaluator or numpy
evaluation of the graph. Only the ``CPU`` device is supported.

    import mlopt.backend as backend
    rep = backend.prepare(model)            # compile once ...
    outputs = rep.run([x])                  # ... run many times (list, dict or one array)
    outputs = backend.run_model(model, [x])
    outputs = backend.run_node(node, [x, y])  # one NodeProto, wrapped in a graph

Keyword options (to ``prepare``/``run_model``/``run_node``): ``opt_level``
(0..3, default 3); ``run_node`` also takes ``opset_version``.

Errors are :class:`mlopt.MloptError` subclasses: ``ModelImportError`` for a
path or bytes that are no ONNX model, ``InputError`` (also a ``ValueError``)
for inputs that do not fit, ``UsageError`` for a device other than the CPU.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import onnx
from onnx import ModelProto, NodeProto, helper
from onnx.backend.base import Backend, BackendRep, Device, DeviceType

from mlopt.errors import InputError, UsageError

__all__ = [
    "MloptBackend",
    "MloptBackendRep",
    "prepare",
    "run_model",
    "run_node",
    "supports_device",
    "is_compatible",
]

_COMPILE_OPTIONS = ("opt_level", "target_cpu")


class DeviceError(UsageError, ValueError):
    """A device other than the CPU was asked for."""


def _compile_options(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    return {k: kwargs[k] for k in _COMPILE_OPTIONS if k in kwargs}


def _graph_input_names(model: ModelProto) -> list[str]:
    inits = {init.name for init in model.graph.initializer}
    return [vi.name for vi in model.graph.input if vi.name not in inits]


class MloptBackendRep(BackendRep):
    """A model compiled by mlopt; ``run`` feeds it numpy arrays."""

    def __init__(self, compiled: Any, input_names: Sequence[str], output_names: Sequence[str]):
        self.compiled = compiled
        self.input_names = list(getattr(compiled, "input_names", None) or input_names)
        self.output_names = list(getattr(compiled, "output_names", None) or output_names)

    def run(self, inputs: Any, **kwargs: Any) -> tuple[np.ndarray, ...]:  # noqa: ARG002
        """Run on ``inputs``: a sequence in graph-input order, a dict by name, or one array.

        Returns the outputs as a tuple of numpy arrays in graph-output order."""
        if isinstance(inputs, np.ndarray):
            inputs = [inputs]
        if isinstance(inputs, Mapping):
            unknown = set(inputs) - set(self.input_names)
            if unknown:
                raise InputError(
                    f"unknown input(s) {', '.join(sorted(unknown))}; the model's inputs are "
                    f"{', '.join(self.input_names)}"
                )
            args = [inputs[n] for n in self.input_names if n in inputs]
            if len(args) != len(self.input_names):
                missing = [n for n in self.input_names if n not in inputs]
                raise InputError(f"missing input(s) {', '.join(missing)}")
        else:
            args = list(inputs)
            if len(args) != len(self.input_names):
                raise InputError(
                    f"the model takes {len(self.input_names)} input(s) "
                    f"({', '.join(self.input_names)}), got {len(args)}"
                )
        results = self.compiled(*[np.asarray(a) for a in args])
        if isinstance(results, Mapping):
            results = [results[n] for n in self.output_names]
        elif isinstance(results, np.ndarray):
            results = [results]
        return tuple(np.asarray(r) for r in results)


class MloptBackend(Backend):
    """ONNX backend that compiles with mlopt (``onnx-to-llvm``) and runs native code."""

    @classmethod
    def supports_device(cls, device: str) -> bool:
        try:
            return Device(device).type == DeviceType.CPU
        except Exception:  # noqa: BLE001 - unparsable device string
            return False

    @classmethod
    def _check_device(cls, device: str) -> None:
        if not cls.supports_device(device):
            raise DeviceError(f"mlopt supports only the CPU device, not '{device}'")

    @classmethod
    def is_compatible(cls, model: ModelProto, device: str = "CPU", **kwargs: Any) -> bool:  # noqa: ARG003
        return cls.supports_device(device)

    @classmethod
    def prepare(cls, model: ModelProto | bytes | str, device: str = "CPU", **kwargs: Any) -> MloptBackendRep:
        """Compile ``model`` (ModelProto, serialized bytes or a path) for the CPU."""
        import mlopt

        cls._check_device(device)
        if not isinstance(model, ModelProto):  # ModelImportError naming the file, or the bytes
            from mlopt.frontends.onnx import load_model

            model = load_model(model)
        compiled = mlopt.compile(model, **_compile_options(kwargs))
        return MloptBackendRep(
            compiled, _graph_input_names(model), [o.name for o in model.graph.output]
        )

    @classmethod
    def run_model(
        cls, model: ModelProto, inputs: Any, device: str = "CPU", **kwargs: Any
    ) -> tuple[np.ndarray, ...]:
        return cls.prepare(model, device, **kwargs).run(inputs)

    @classmethod
    def run_node(
        cls,
        node: NodeProto,
        inputs: Any,
        device: str = "CPU",
        outputs_info: Sequence[tuple[np.dtype, tuple[int, ...]]] | None = None,
        **kwargs: Any,
    ) -> tuple[np.ndarray, ...]:
        """Run one node: it is wrapped in a one-node model and compiled like any model."""
        cls._check_device(device)
        model = node_model(node, inputs, outputs_info, opset_version=kwargs.get("opset_version"))
        if isinstance(inputs, Mapping):
            feeds = dict(inputs)
        else:
            names = [n for n in node.input if n]
            feeds = dict(zip(names, inputs if not isinstance(inputs, np.ndarray) else [inputs]))
        return cls.prepare(model, device, **kwargs).run(feeds)


def node_model(
    node: NodeProto,
    inputs: Any,
    outputs_info: Sequence[tuple[np.dtype, tuple[int, ...]]] | None = None,
    *,
    opset_version: int | None = None,
) -> ModelProto:
    """A model whose graph is ``node`` alone, with inputs typed after ``inputs``."""
    names = [n for n in node.input if n]
    if isinstance(inputs, Mapping):
        arrays = [np.asarray(inputs[n]) for n in names]
    elif isinstance(inputs, np.ndarray):
        arrays = [inputs]
    else:
        arrays = [np.asarray(a) for a in inputs]
    if len(arrays) != len(names):
        raise InputError(f"node {node.name or node.op_type} has {len(names)} input(s), got {len(arrays)}")
    graph_inputs = [
        helper.make_tensor_value_info(n, helper.np_dtype_to_tensor_dtype(a.dtype), a.shape)
        for n, a in zip(names, arrays)
    ]
    graph_outputs = []
    for i, name in enumerate(n for n in node.output if n):
        if outputs_info is not None and i < len(outputs_info):
            dtype, shape = outputs_info[i]
            graph_outputs.append(
                helper.make_tensor_value_info(name, helper.np_dtype_to_tensor_dtype(np.dtype(dtype)), shape)
            )
        else:
            graph_outputs.append(helper.make_empty_tensor_value_info(name))
    graph = helper.make_graph([node], f"{node.op_type.lower()}_node", graph_inputs, graph_outputs)
    domain = node.domain if node.domain not in ("", "ai.onnx") else ""
    version = opset_version or onnx.defs.onnx_opset_version()
    opsets = [helper.make_opsetid("", version if domain == "" else onnx.defs.onnx_opset_version())]
    if domain:
        opsets.append(helper.make_opsetid(domain, onnx.defs.get_schema(node.op_type, domain=domain).since_version))
    model = helper.make_model(graph, opset_imports=opsets)
    if outputs_info is None:
        model = onnx.shape_inference.infer_shapes(model)
        inferred = {vi.name: vi for vi in model.graph.value_info}
        for out in model.graph.output:
            if out.name in inferred:
                out.CopyFrom(inferred[out.name])
    return model


prepare = MloptBackend.prepare
run_model = MloptBackend.run_model
run_node = MloptBackend.run_node
supports_device = MloptBackend.supports_device
is_compatible = MloptBackend.is_compatible

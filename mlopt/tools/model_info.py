"""A summary of a model for people: ``mlopt-run --info MODEL`` and ``mlopt --model-info``.

For an ONNX model: the file's IR version and producer, the opsets it imports,
its inputs and outputs (element type and shape, symbolic dimensions by name),
which symbolic dimensions appear where (the names ``--input-shape`` and
``--shape`` take), the initializers' count and size, and a histogram of the
node op types (nodes of subgraphs included). For a ``.mlir`` module: its level,
the entry function the runtime calls, its inputs and outputs and a histogram of
the operations.
"""

from __future__ import annotations

from collections import Counter
from typing import Any


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    if not rows:
        return [f"{indent}(none)"]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(c.ljust(w) for c, w in zip(r, widths))).rstrip() for r in rows
    ]


def _histogram(counts: Counter[str], what: str) -> list[str]:
    total = sum(counts.values())
    lines = [f"{what} ({total} in all, {len(counts)} kinds):"]
    rows = [(name, str(n)) for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return lines + _table(rows)


def _human_bytes(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


# ----------------------------------------------------------------------------- ONNX


def _onnx_type(tp: Any) -> tuple[str, list[str]]:
    """(element type, dims) of a TypeProto; dims are ints, names, or '?' (unknown)."""
    import numpy as np
    from onnx import TensorProto, helper

    which = tp.WhichOneof("value")
    if which != "tensor_type":
        return (which or "unknown").replace("_type", ""), []
    tt = tp.tensor_type
    try:  # numpy's names, as mlopt-run prints them (float32, int64, bool)
        elem = str(np.dtype(helper.tensor_dtype_to_np_dtype(tt.elem_type)))
    except Exception:  # noqa: BLE001 - no numpy dtype (string, float8, ...): ONNX's name
        elem = TensorProto.DataType.Name(tt.elem_type).lower() if tt.elem_type else "unknown"
    if not tt.HasField("shape"):
        return elem, ["*"]
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(str(d.dim_value))
        elif d.dim_param:
            dims.append(d.dim_param)
        else:
            dims.append("?")
    return elem, dims


def _shape_text(dims: list[str]) -> str:
    if dims == ["*"]:
        return "unranked"
    return "[" + ", ".join(dims) + "]"


def _walk_nodes(graph: Any):
    for node in graph.node:
        yield node
        for attr in node.attribute:
            if attr.HasField("g"):
                yield from _walk_nodes(attr.g)
            for g in attr.graphs:
                yield from _walk_nodes(g)


def onnx_info(model: Any, name: str) -> str:
    import numpy as np
    from onnx import helper

    g = model.graph
    lines = [f"model: {name}"]
    producer = " ".join(x for x in (model.producer_name, model.producer_version) if x)
    lines.append(f"  ONNX IR version {model.ir_version}"
                 + (f", produced by {producer}" if producer else "")
                 + f", graph '{g.name}'")
    opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
    lines.append(f"  opsets: {opsets or '(none)'}")

    inits = {i.name: i for i in g.initializer}
    symbolic: dict[str, list[str]] = {}

    def rows(values: Any, kind: str) -> list[tuple[str, ...]]:
        out = []
        for vi in values:
            elem, dims = _onnx_type(vi.type)
            for axis, d in enumerate(dims):
                if d not in ("*", "?") and not d.isdigit():
                    symbolic.setdefault(d, []).append(f"{kind} '{vi.name}' dim {axis}")
            out.append((vi.name, elem, _shape_text(dims)))
        return out

    graph_inputs = [vi for vi in g.input if vi.name not in inits]
    lines.append("inputs:")
    lines += _table(rows(graph_inputs, "input"))
    lines.append("outputs:")
    lines += _table(rows(g.output, "output"))
    if symbolic:
        lines.append("symbolic dimensions (fix them with mlopt --input-shape / mlopt-run --shape):")
        lines += _table([(d, ", ".join(where)) for d, where in symbolic.items()])
    unknown = any("?" in _onnx_type(vi.type)[1] for vi in graph_inputs)
    if unknown:
        lines.append("  ('?': a dimension without a name or size)")

    n_elems = n_bytes = 0
    for t in g.initializer:
        count = int(np.prod(t.dims)) if t.dims else 1
        n_elems += count
        try:
            n_bytes += count * np.dtype(helper.tensor_dtype_to_np_dtype(t.data_type)).itemsize
        except Exception:  # noqa: BLE001 - strings and exotic types: size unknown
            pass
    lines.append(f"initializers: {len(g.initializer)} ({n_elems} elements, {_human_bytes(n_bytes)})")

    counts: Counter[str] = Counter(
        (f"{n.domain}.{n.op_type}" if n.domain not in ("", "ai.onnx") else n.op_type)
        for n in _walk_nodes(g)
    )
    lines += _histogram(counts, "nodes")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- IR


def _spec_rows(specs: list[Any]) -> list[tuple[str, ...]]:
    rows = []
    for s in specs:
        dtype = str(s.dtype) if s.dtype is not None else "?"
        shape = ("unranked" if s.shape is None
                 else "[" + ", ".join("?" if d is None else str(d) for d in s.shape) + "]")
        rows.append((s.name, dtype, shape))
    return rows


def module_info(module: Any, name: str) -> str:
    from mlopt.backends.runtime import module_signature

    lines = [f"module: {name}"]
    opsets = module.attributes.get("onnx.opset_import")
    try:
        sig = module_signature(module)
    except Exception as e:  # noqa: BLE001 - no runnable entry: still show the ops
        lines.append(f"  no entry the runtime can run: {e}")
        sig = None
    if sig is not None:
        lines.append(f"  level: {sig.level}, entry: @{sig.entry}")
    if opsets is not None:
        from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr

        if isinstance(opsets, DictionaryAttr):
            text = ", ".join(f"{k} {v.value.data if isinstance(v, IntegerAttr) else v}"
                             for k, v in opsets.data.items())
        else:
            text = str(opsets)
        lines.append(f"  opsets: {text}")
    if sig is not None:
        lines.append("inputs:")
        lines += _table(_spec_rows(sig.inputs))
        lines.append("outputs:")
        lines += _table(_spec_rows(sig.outputs))
    counts: Counter[str] = Counter(op.name for op in module.walk() if op is not module)
    lines += _histogram(counts, "operations")
    return "\n".join(lines) + "\n"

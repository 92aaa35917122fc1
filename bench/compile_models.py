#!/usr/bin/env python3
"""Seeded-random-weight ONNX models for the compile-time benchmark
(``bench/bench_compile.py``), built with ``onnx.helper`` only, each family in
two sizes so that linear growth of the compile time can be checked:

* ``gru_tagger_s<S>``: token ids (int64 [1, S]) -> Gather embedding (vocab
  1000, dim 64) -> GRU (hidden 128, one layer) -> MatMul + Add to 20 tags
  -> [1, S, 20]. Default sizes S = 16 and 64.
* ``lstm_classifier_s<S>``: float [1, S, 32] -> LSTM (hidden 128) -> last
  step (the LSTM's ``Y_h``) -> Gemm to 10 classes -> Softmax -> [1, 10].
  Default sizes S = 16 and 64.
* ``transformer_l<L>``: a small encoder on float [1, 32, 128], L layers of:
  Q/K/V MatMul (+ bias) projections, Reshape to 4 heads, Transpose, MatMul,
  scale Mul, Softmax, MatMul, Transpose + Reshape back, output projection,
  Add residual, LayerNormalization, 2-layer MLP (128 -> 512 -> 128, Relu:
  Gelu is opset 20), Add residual, LayerNormalization. Default 2 and 8
  layers (4x the nodes).
* ``dwsep_cnn``: a MobileNet-v1-style depthwise-separable CNN on float
  [1, 3, 224, 224]: a 3x3/2 stem to 32 channels, then 7 blocks of depthwise
  3x3 (``group`` = channels; stride 2 where the channels double) and
  pointwise 1x1 convolutions, each with bias and Relu6 (``Clip`` 0..6), up to
  512 channels at 14x14, GlobalAveragePool, Flatten and Gemm to 1000 classes.
  Its weights are He-scaled (normal * sqrt(2 / fan-in)) so activations stay
  O(1) through the blocks.

Weights are ``np.random.default_rng(seed)`` normal * 0.1 (LayerNormalization
scales 1 + normal * 0.1); opset 17, IR version 8. The sequence length /
layer count is read from the name, so any size can be built (the tests use
tiny ones, e.g. ``gru_tagger_s4``, ``transformer_l1``). Models are written
once to ``bench/.models/`` (git-ignored) and reused.

    python bench/compile_models.py            # build the six, print a summary
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CACHE = Path(__file__).resolve().parent / ".models"
SEED = 20261202
OPSET = 17
IR_VERSION = 8
#: bumped when a builder changes, so stale cached files are not reused
VERSION = 1

#: the benchmark's six models
MODELS = (
    "gru_tagger_s16",
    "gru_tagger_s64",
    "lstm_classifier_s16",
    "lstm_classifier_s64",
    "transformer_l2",
    "transformer_l8",
)

_PATTERN = re.compile(r"^(gru_tagger|lstm_classifier)_s(\d+)$|^(transformer)_l(\d+)$|^(dwsep_cnn)$")


class _Builder:
    """Nodes and seeded initializers of one graph."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}_{self._n}"

    def weight(self, stem: str, shape: tuple[int, ...], *, offset: float = 0.0) -> str:
        arr = (offset + self.rng.standard_normal(shape) * 0.1).astype(np.float32)
        return self.const(stem, arr)

    def const(self, stem: str, arr: np.ndarray) -> str:
        name = self.name(stem)
        self.inits.append(numpy_helper.from_array(arr, name))
        return name

    def op(self, op_type: str, inputs: list[str], n_out: int = 1, **attrs) -> list[str]:
        outs = [self.name(op_type.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=self.name(op_type), **attrs))
        return outs

    def op1(self, op_type: str, inputs: list[str], **attrs) -> str:
        return self.op(op_type, inputs, **attrs)[0]

    def model(self, name: str, inputs, outputs) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, name, inputs, outputs, initializer=self.inits)
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="mlopt-bench"
        )
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model)
        return model


def gru_tagger(seq: int, vocab: int = 1000, dim: int = 64, hidden: int = 128, tags: int = 20,
               seed: int = SEED) -> onnx.ModelProto:
    b = _Builder(seed)
    emb = b.weight("embedding", (vocab, dim))
    x = b.op1("Gather", [emb, "tokens"], axis=0)  # [1, S, dim]
    x = b.op1("Transpose", [x], perm=[1, 0, 2])  # [S, 1, dim]
    w = b.weight("gru_W", (1, 3 * hidden, dim))
    r = b.weight("gru_R", (1, 3 * hidden, hidden))
    bias = b.weight("gru_B", (1, 6 * hidden))
    y, _ = b.op("GRU", [x, w, r, bias], n_out=2, hidden_size=hidden)  # [S, 1, 1, H]
    y = b.op1("Reshape", [y, b.const("shape", np.array([1, seq, hidden], np.int64))])
    y = b.op1("MatMul", [y, b.weight("proj_W", (hidden, tags))])
    b.nodes.append(helper.make_node("Add", [y, b.weight("proj_B", (tags,))], ["tags"], name="Add_out"))
    return b.model(
        f"gru_tagger_s{seq}",
        [helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, seq])],
        [helper.make_tensor_value_info("tags", TensorProto.FLOAT, [1, seq, tags])],
    )


def lstm_classifier(seq: int, features: int = 32, hidden: int = 128, classes: int = 10,
                    seed: int = SEED) -> onnx.ModelProto:
    b = _Builder(seed)
    x = b.op1("Transpose", ["x"], perm=[1, 0, 2])  # [S, 1, F]
    w = b.weight("lstm_W", (1, 4 * hidden, features))
    r = b.weight("lstm_R", (1, 4 * hidden, hidden))
    bias = b.weight("lstm_B", (1, 8 * hidden))
    _, y_h, _ = b.op("LSTM", [x, w, r, bias], n_out=3, hidden_size=hidden)  # Y_h: [1, 1, H], the last step
    h = b.op1("Reshape", [y_h, b.const("shape", np.array([1, hidden], np.int64))])
    logits = b.op1("Gemm", [h, b.weight("fc_W", (classes, hidden)), b.weight("fc_B", (classes,))], transB=1)
    b.nodes.append(helper.make_node("Softmax", [logits], ["probs"], axis=-1, name="Softmax_out"))
    return b.model(
        f"lstm_classifier_s{seq}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, seq, features])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, classes])],
    )


def transformer(layers: int, seq: int = 32, d: int = 128, heads: int = 4, mlp: int = 512,
                seed: int = SEED) -> onnx.ModelProto:
    b = _Builder(seed)
    hd = d // heads
    split = b.const("heads_shape", np.array([1, seq, heads, hd], np.int64))
    merge = b.const("model_shape", np.array([1, seq, d], np.int64))
    scale = b.const("scale", np.array(1.0 / np.sqrt(hd), np.float32))

    def linear(x: str, n_in: int, n_out: int, stem: str) -> str:
        y = b.op1("MatMul", [x, b.weight(f"{stem}_W", (n_in, n_out))])
        return b.op1("Add", [y, b.weight(f"{stem}_B", (n_out,))])

    def layer_norm(x: str, stem: str) -> str:
        g = b.weight(f"{stem}_scale", (d,), offset=1.0)
        return b.op1("LayerNormalization", [x, g, b.weight(f"{stem}_bias", (d,))], axis=-1, epsilon=1e-5)

    x = "x"
    for i in range(layers):
        p = f"l{i}"
        q = b.op1("Transpose", [b.op1("Reshape", [linear(x, d, d, f"{p}_q"), split])], perm=[0, 2, 1, 3])
        k = b.op1("Transpose", [b.op1("Reshape", [linear(x, d, d, f"{p}_k"), split])], perm=[0, 2, 3, 1])
        v = b.op1("Transpose", [b.op1("Reshape", [linear(x, d, d, f"{p}_v"), split])], perm=[0, 2, 1, 3])
        att = b.op1("Softmax", [b.op1("Mul", [b.op1("MatMul", [q, k]), scale])], axis=-1)
        ctx = b.op1("Transpose", [b.op1("MatMul", [att, v])], perm=[0, 2, 1, 3])  # [1, S, heads, hd]
        ctx = b.op1("Reshape", [ctx, merge])
        x = layer_norm(b.op1("Add", [x, linear(ctx, d, d, f"{p}_o")]), f"{p}_ln1")
        hid = b.op1("Relu", [linear(x, d, mlp, f"{p}_fc1")])
        x = layer_norm(b.op1("Add", [x, linear(hid, mlp, d, f"{p}_fc2")]), f"{p}_ln2")
    b.nodes.append(helper.make_node("Identity", [x], ["y"], name="Identity_out"))
    return b.model(
        f"transformer_l{layers}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, seq, d])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, seq, d])],
    )


def dwsep_cnn(seed: int = SEED) -> onnx.ModelProto:
    b = _Builder(seed)

    def conv(x: str, c_in: int, c_out: int, k: int, stride: int, group: int = 1) -> str:
        fan_in = c_in // group * k * k
        w = (b.rng.standard_normal((c_out, c_in // group, k, k)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        bias = (b.rng.standard_normal(c_out) * 0.1).astype(np.float32)
        y = b.op1("Conv", [x, b.const("W", w), b.const("B", bias)], kernel_shape=[k, k],
                  strides=[stride, stride], pads=[k // 2] * 4, group=group)
        return b.op1("Clip", [y, lo, hi])

    lo = b.const("zero", np.array(0.0, np.float32))
    hi = b.const("six", np.array(6.0, np.float32))
    x = conv("x", 3, 32, 3, 2)
    c = 32
    for c_out, stride in ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1)):
        x = conv(x, c, c, 3, stride, group=c)  # depthwise
        x = conv(x, c, c_out, 1, 1)  # pointwise
        c = c_out
    x = b.op1("Flatten", [b.op1("GlobalAveragePool", [x])], axis=1)
    w = (b.rng.standard_normal((1000, c)) * np.sqrt(1.0 / c)).astype(np.float32)
    y = b.op1("Gemm", [x, b.const("fc_W", w), b.weight("fc_B", (1000,))], transB=1)
    b.nodes.append(helper.make_node("Identity", [y], ["y"], name="Identity_out"))
    return b.model(
        "dwsep_cnn",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 224, 224])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1000])],
    )


def is_model(name: str) -> bool:
    return _PATTERN.match(name) is not None


def build(name: str) -> onnx.ModelProto:
    """The model called ``name`` (``gru_tagger_s<S>``, ``lstm_classifier_s<S>``, ``transformer_l<L>``,
    ``dwsep_cnn``)."""
    m = _PATTERN.match(name)
    if m is None:
        raise KeyError(f"unknown compile-bench model {name!r}")
    if m.group(5):
        return dwsep_cnn()
    if m.group(3):
        return transformer(int(m.group(4)))
    size = int(m.group(2))
    return gru_tagger(size) if m.group(1) == "gru_tagger" else lstm_classifier(size)


def model_path(name: str) -> Path:
    """``bench/.models/<name>.v<VERSION>.onnx``, built on first use."""
    path = CACHE / f"{name}.v{VERSION}.onnx"
    if not path.exists():
        model = build(name)
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        onnx.save(model, str(tmp))
        tmp.replace(path)  # atomic: a concurrent reader never sees half a file
    return path


def model_inputs(model: onnx.ModelProto, seed: int = 0) -> dict[str, np.ndarray]:
    """Seeded inputs for the graph inputs: standard-normal floats; integers
    uniform in [0, n), n the row count of the Gather tables they index (else 10)."""
    rng = np.random.default_rng(seed)
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    feeds: dict[str, np.ndarray] = {}
    for vi in g.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        shape = tuple(d.dim_value if d.HasField("dim_value") else 1 for d in tt.shape.dim)
        dtype = helper.tensor_dtype_to_np_dtype(tt.elem_type)
        if np.issubdtype(dtype, np.integer):
            rows = [
                inits[n.input[0]].dims[0]
                for n in g.node
                if n.op_type == "Gather" and len(n.input) > 1 and n.input[1] == vi.name and n.input[0] in inits
            ]
            feeds[vi.name] = rng.integers(0, min(rows) if rows else 10, size=shape).astype(dtype)
        else:
            feeds[vi.name] = rng.standard_normal(shape).astype(dtype)
    return feeds


def main(argv: list[str] | None = None) -> int:
    names = (argv if argv is not None else sys.argv[1:]) or list(MODELS)
    for name in names:
        path = model_path(name)
        model = onnx.load(str(path))
        print(f"{name:<22} {len(model.graph.node):>5} nodes  {path.stat().st_size / 1e6:7.2f} MB  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""RNN, GRU and LSTM lower to one time loop (issue 10): results against
onnxruntime for the attribute and input combinations, and an IR whose size
does not depend on the sequence length."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import mlopt
import onnxruntime as ort

ATOL = 1e-4
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def rnn_model(kind, S, B=3, I=5, H=4, *, direction="forward", lens=None, layout=0,
              init=False, peep=False, attrs=None, seed=0, weights_as_inputs=False):
    """A one-node model; returns (model, feeds)."""
    rng = np.random.default_rng(seed)
    G = GATES[kind]
    D = 2 if direction == "bidirectional" else 1
    inits = [
        numpy_helper.from_array((rng.standard_normal((D, G * H, I)) * 0.5).astype(np.float32), "W"),
        numpy_helper.from_array((rng.standard_normal((D, G * H, H)) * 0.5).astype(np.float32), "R"),
        numpy_helper.from_array((rng.standard_normal((D, 2 * G * H)) * 0.5).astype(np.float32), "B"),
    ]
    names = ["X", "W", "R", "B"]
    xs = (B, S, I) if layout else (S, B, I)
    hs = (B, D, H) if layout else (D, B, H)
    feeds = {"X": rng.standard_normal(xs).astype(np.float32)}
    graph_in = [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(xs))]

    def add_input(name, value):
        names.append(name)
        feeds[name] = value
        elt = TensorProto.INT32 if value.dtype == np.int32 else TensorProto.FLOAT
        graph_in.append(helper.make_tensor_value_info(name, elt, list(value.shape)))

    if lens is not None:
        add_input("L", np.array(lens, np.int32))
    else:
        names.append("")
    if init:
        add_input("h0", rng.standard_normal(hs).astype(np.float32))
        if kind == "LSTM":
            add_input("c0", rng.standard_normal(hs).astype(np.float32))
    elif kind == "LSTM" and peep:
        names += ["", ""]
    if kind == "LSTM" and peep:
        names.append("P")
        inits.append(numpy_helper.from_array(rng.standard_normal((D, 3 * H)).astype(np.float32), "P"))
    while names[-1] == "":
        names.pop()
    outs = ["Y", "Yh"] + (["Yc"] if kind == "LSTM" else [])
    node = helper.make_node(kind, names, outs, hidden_size=H, direction=direction, layout=layout, **(attrs or {}))
    ys = (B, S, D, H) if layout else (S, D, B, H)
    graph_out = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, list(ys))]
    graph_out += [helper.make_tensor_value_info(o, TensorProto.FLOAT, list(hs)) for o in outs[1:]]
    if weights_as_inputs:
        for t in inits:
            a = numpy_helper.to_array(t)
            feeds[t.name] = a
            graph_in.append(helper.make_tensor_value_info(t.name, TensorProto.FLOAT, list(a.shape)))
        inits = []
    g = helper.make_graph([node], "g", graph_in, graph_out, initializer=inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)])
    m.ir_version = 8
    return m, feeds


def reference(model, feeds):
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def check(model, feeds, expected=None, **options):
    if expected is None:
        expected = reference(model, feeds)
    got = mlopt.compile(model, **options)(*feeds.values())
    got = got if isinstance(got, list | tuple) else [got]
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        g = np.asarray(g)
        assert g.shape == e.shape
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=ATOL)


def _lens(S):
    return None if S == 1 else [S, max(1, S // 2), 1]


@pytest.mark.parametrize("S", [1, 7, 17])
@pytest.mark.parametrize("direction", ["forward", "reverse", "bidirectional"])
@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_against_onnxruntime(kind, direction, S):
    """Unequal sequence_lens (steps past a row's length keep the state, Y = 0),
    initial states, LSTM peepholes."""
    check(*rnn_model(kind, S, direction=direction, lens=_lens(S), init=True, peep=True, seed=S))


@pytest.mark.parametrize("direction", ["forward", "bidirectional"])
def test_rnn_against_onnxruntime(direction):
    check(*rnn_model("RNN", 7, direction=direction, lens=[7, 2, 5], init=True))


@pytest.mark.parametrize(
    "kind, attrs",
    [
        ("GRU", {"linear_before_reset": 1}),
        ("GRU", {"clip": 0.5}),
        ("LSTM", {"clip": 0.7}),
        ("GRU", {"activations": ["HardSigmoid", "Relu", "Sigmoid", "Tanh"], "activation_alpha": [0.3], "activation_beta": [0.4]}),
        ("LSTM", {"activations": ["Sigmoid", "Tanh", "Tanh", "HardSigmoid", "Elu", "Softsign"]}),
        ("RNN", {"activations": ["Relu", "Tanh"], "clip": 2.0}),
    ],
)
def test_attributes(kind, attrs):
    check(*rnn_model(kind, 6, direction="bidirectional", lens=[6, 4, 2], init=True, peep=True, attrs=attrs))


@pytest.mark.parametrize(
    "kind, attrs",
    [("GRU", {}), ("GRU", {"linear_before_reset": 1}), ("LSTM", {}), ("RNN", {})],
)
def test_weights_as_inputs(kind, attrs):
    """Weights that are not constants are transposed (and split) at run time."""
    check(*rnn_model(kind, 5, direction="bidirectional", lens=[5, 1, 3], init=True, peep=True,
                     attrs=attrs, weights_as_inputs=True))


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_without_tensor_opt_and_kernels(kind):
    """-O0: the loop body's matmuls and gates as plain loop nests."""
    check(*rnn_model(kind, 6, direction="bidirectional", lens=[6, 2, 4], init=True, peep=True), opt_level=0)


def _layout_reference(kind, S, direction):
    """onnxruntime's CPU kernels take layout 0 only: transpose around it."""
    m0, f0 = rnn_model(kind, S, direction=direction, lens=[S, 3, 1], init=True, peep=True)
    m1, f1 = rnn_model(kind, S, direction=direction, lens=[S, 3, 1], init=True, peep=True, layout=1)
    f0 = {k: (np.transpose(v, (1, 0, 2)) if k in ("X", "h0", "c0") else v) for k, v in f1.items()}
    ref = reference(m0, f0)
    ref = [np.transpose(ref[0], (2, 0, 1, 3))] + [np.transpose(r, (1, 0, 2)) for r in ref[1:]]
    return m1, f1, ref


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_layout_1(kind):
    m, feeds, ref = _layout_reference(kind, 5, "bidirectional")
    check(m, feeds, ref)


def _count_ops(model, stages):
    from mlopt.frontends.onnx import import_model
    from mlopt.passes.pipeline import run_pipeline_text
    from mlopt.passes.pipelines import STAGES
    from mlopt.registry import make_context

    module = import_model(model)
    text = ",".join(t for name, t in STAGES if name in stages)
    run_pipeline_text(make_context(), module, text)
    module.verify()
    return sum(1 for _ in module.walk())


@pytest.mark.parametrize("kind", ["GRU", "LSTM", "RNN"])
def test_ir_size_does_not_grow_with_sequence_length(kind):
    stages = ("onnx-opt", "onnx-to-tensor")
    counts = {
        S: _count_ops(rnn_model(kind, S, direction="bidirectional", lens=[3, 2, 1], init=True, peep=True)[0], stages)
        for S in (8, 64)
    }
    assert counts[8] == counts[64], counts


def test_affine_ir_size_does_not_grow_with_sequence_length():
    stages = ("onnx-opt", "onnx-to-tensor", "tensor-opt", "bufferize", "kernels", "linalg-to-affine")
    counts = {S: _count_ops(rnn_model("GRU", S, H=32, I=16)[0], stages) for S in (8, 64)}
    assert counts[8] == counts[64], counts

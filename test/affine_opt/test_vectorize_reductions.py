"""affine-vectorize-reductions end to end: reductions along the last axis
(ReduceSum/Max/Min/Mean, GlobalAveragePool, Softmax, LayerNormalization) at
sizes around the vector width match onnxruntime, are computed by vector code
(the pass fired), and give the same bits at 1 and 2 threads and run to run."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper

import mlopt
from mlopt.passes.pipelines import sized_stages, stages_from

ort = pytest.importorskip("onnxruntime")

F = TensorProto.FLOAT


def _model(node, shape, out_shape, inits=()):
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", F, list(shape))],
        [helper.make_tensor_value_info("y", F, list(out_shape))], list(inits),
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def _cases():
    for n in (1, 7, 17, 33, 196, 1000):
        axes = helper.make_tensor("axes", TensorProto.INT64, [1], [-1])
        for op in ("ReduceSum", "ReduceMax", "ReduceMin", "ReduceMean"):
            yield f"{op}-{n}", _model(helper.make_node(op, ["x", "axes"], ["y"], keepdims=0), (3, n), (3,), [axes])
        yield f"Softmax-{n}", _model(helper.make_node("Softmax", ["x"], ["y"], axis=-1), (3, n), (3, n))
    yield "GlobalAveragePool-14x14", _model(helper.make_node("GlobalAveragePool", ["x"], ["y"]), (1, 8, 14, 14), (1, 8, 1, 1))
    g = helper.make_tensor("g", F, [100], np.linspace(0.5, 1.5, 100).tolist())
    b = helper.make_tensor("b", F, [100], np.linspace(-1, 1, 100).tolist())
    node = helper.make_node("LayerNormalization", ["x", "g", "b"], ["y"], axis=-1)
    yield "LayerNormalization-100", _model(node, (5, 100), (5, 100), [g, b])


CASES = dict(_cases())


def _affine_text(model) -> str:
    module = mlopt.import_onnx(model)
    sized = sized_stages(None, 1)
    for stage, text in stages_from("onnx"):
        if stage == "affine-to-llvm":
            break
        mlopt.run_pipeline(module, sized.get(stage, text))
    return str(module)


@pytest.mark.parametrize("name", sorted(CASES))
def test_reduction_matches_onnxruntime(name):
    model = CASES[name]
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(3).standard_normal(shape).astype(np.float32) * 4 - 1
    expected = ort.InferenceSession(model.SerializeToString()).run(None, {"x": x})[0]
    one = mlopt.compile(model, num_threads=1)(x)[0]
    np.testing.assert_allclose(one, expected, rtol=1e-5, atol=1e-5)
    two = mlopt.compile(model, num_threads=2)(x)[0]
    assert one.tobytes() == two.tobytes() == mlopt.compile(model, num_threads=1)(x)[0].tobytes()


@pytest.mark.parametrize("name", ["ReduceSum-1000", "ReduceMax-33", "GlobalAveragePool-14x14", "Softmax-196"])
def test_long_reductions_become_vector_code(name):
    text = _affine_text(CASES[name])
    assert "vector.reduction" in text, text


def test_short_reductions_stay_scalar():
    assert "vector.reduction" not in _affine_text(CASES["ReduceSum-7"])


def test_sum_is_not_sequential_but_fixed():
    """The order is the pass's own (per-lane partial sums), not the loop's: a
    sum that cancels catastrophically in order differs from the sequential one."""
    n = 64
    x = np.zeros((1, n), np.float32)
    x[0, 0], x[0, 1], x[0, 32] = 1e8, 1.0, -1e8  # in order: (1e8 + 1) - 1e8 = 0 in f32
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [-1])
    model = _model(helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=0), (1, n), (1,), [axes])
    y = mlopt.compile(model)(x)[0]
    # elements 0 and 32 meet in lane 0 (at 8 or 16 lanes) before element 1 is added
    assert y[0] == 1.0
    assert mlopt.compile(model, opt_level=1)(x)[0][0] == 0.0  # -O1: the sequential loop

"""Corrupted models (random byte flips, random proto-level edits of backend
node models) import or raise ONNXImportError: never another exception, and
never a crash or runaway memory in onnx's C++ passes."""

from __future__ import annotations

import random
import warnings

import onnx
import pytest

from mlopt.frontends.onnx import ONNXImportError, import_model

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from onnx.backend.test.case.node import collect_testcases

    _CASES = sorted(collect_testcases(), key=lambda c: c.name)

_OPS = sorted({s.name for s in onnx.defs.get_all_schemas() if s.domain == ""})


def _mutate(rng: random.Random, m: onnx.ModelProto) -> None:
    g = m.graph
    n = rng.choice(g.node)
    r = rng.random()
    if r < 0.2:
        n.op_type = rng.choice(_OPS)
    elif r < 0.35 and n.input:
        n.input[rng.randrange(len(n.input))] = rng.choice(["", "nope", n.output[0]])
    elif r < 0.5 and n.attribute:
        rng.choice(n.attribute).type = rng.randint(0, 14)
    elif r < 0.6 and g.input:
        rng.choice(g.input).type.tensor_type.elem_type = rng.choice([0, 8, 16, 99])
    elif r < 0.7 and g.input and g.input[0].type.tensor_type.shape.dim:
        g.input[0].type.tensor_type.shape.dim[0].dim_value = rng.choice([-5, 0, 10**12])
    elif r < 0.8 and n.output:
        n.output[rng.randrange(len(n.output))] = rng.choice(["", g.input[0].name if g.input else "q"])
    elif r < 0.9:
        m.opset_import[0].version = rng.choice([1, 7, 9, 30, 0])
    else:
        n.domain = rng.choice(["ai.onnx.ml", "bogus", "ai.onnx"])


@pytest.mark.parametrize("seed", range(4))
def test_proto_level_mutations(seed: int):
    rng = random.Random(seed)
    outcomes = {"ok": 0, "error": 0}
    for _ in range(60):
        m = onnx.ModelProto()
        m.CopyFrom(rng.choice(_CASES).model)
        for _ in range(rng.randint(1, 2)):
            _mutate(rng, m)
        try:
            import_model(m)
            outcomes["ok"] += 1
        except ONNXImportError as e:
            assert str(e) and "\n" not in str(e)
            outcomes["error"] += 1
    assert outcomes["error"] > 0


@pytest.mark.parametrize("name", ["test_loop11", "test_if_seq", "test_conv_with_strides_padding"])
def test_byte_flips(name: str):
    base = next(c for c in _CASES if c.name == name).model.SerializeToString()
    rng = random.Random(name)
    for _ in range(80):
        b = bytearray(base)
        for _ in range(rng.randint(1, 3)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        if rng.random() < 0.2:
            b = b[: rng.randrange(len(b))]
        try:
            import_model(bytes(b))
        except ONNXImportError:
            pass

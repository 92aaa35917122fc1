"""A big module is split by function into parts that LLVM workers compile at
once; the parts' objects link in one engine and compute what the whole does."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import mlopt
from mlopt.backends.llvm import split


def _model():
    rng = np.random.default_rng(0)
    f = TensorProto.FLOAT
    w1 = numpy_helper.from_array(rng.standard_normal((256, 256)).astype(np.float32), "w1")
    w2 = numpy_helper.from_array(rng.standard_normal((256, 96)).astype(np.float32), "w2")
    nodes = [
        helper.make_node("MatMul", ["x", "w1"], ["a"]),
        helper.make_node("Relu", ["a"], ["r"]),
        helper.make_node("MatMul", ["r", "w2"], ["b"]),
        helper.make_node("Softmax", ["b"], ["y"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", f, [192, 256])],
        [helper.make_tensor_value_info("y", f, [192, 96])], initializer=[w1, w2],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_split_parts_link_and_match_the_whole(monkeypatch):
    x = np.random.default_rng(1).standard_normal((192, 256)).astype(np.float32)
    whole = mlopt.compile(_model(), num_threads=2)
    monkeypatch.setattr(split, "MIN_SPLIT_INSTRUCTIONS", 0)
    seen: list[int] = []
    real = split.split_module

    def spy(module, parts):
        out = real(module, max(parts, 2))
        seen.append(len(out))
        return out

    monkeypatch.setattr(split, "split_module", spy)
    parted = mlopt.compile(_model(), num_threads=2)
    assert seen and seen[-1] >= 2  # the entry and its outlined parallel loops
    np.testing.assert_array_equal(parted.run({"x": x})["y"], whole.run({"x": x})["y"])
    # the optimised IR of the parts, linked back into one module, has every function
    spec = next(iter(parted._cache.values()))
    ir = str(spec.jit.llvm_module)
    assert ir.count("define ") >= 2


def test_small_modules_stay_whole():
    from llvmlite import ir

    m = ir.Module("m")
    for name in ("f", "g"):
        fn = ir.Function(m, ir.FunctionType(ir.VoidType(), []), name)
        ir.IRBuilder(fn.append_basic_block()).ret_void()
    assert split.split_module(m, 2) == [str(m)]


def test_private_functions_and_globals_are_shared_across_parts(monkeypatch):
    from llvmlite import ir

    monkeypatch.setattr(split, "MIN_SPLIT_INSTRUCTIONS", 0)
    m = ir.Module("m")
    table = ir.GlobalVariable(m, ir.ArrayType(ir.FloatType(), 2), "table")
    table.initializer = ir.Constant(ir.ArrayType(ir.FloatType(), 2), [1.0, 2.0])
    table.linkage = "private"
    helper_fn = ir.Function(m, ir.FunctionType(ir.FloatType(), []), "helper")
    helper_fn.linkage = "private"
    b = ir.IRBuilder(helper_fn.append_basic_block())
    b.ret(b.load(b.gep(table, [ir.Constant(ir.IntType(64), 0), ir.Constant(ir.IntType(64), 1)])))
    main = ir.Function(m, ir.FunctionType(ir.FloatType(), []), "main")
    b = ir.IRBuilder(main.append_basic_block())
    b.ret(b.call(helper_fn, []))
    parts = split.split_module(m, 2)
    assert len(parts) == 2
    assert sum("define float @\"helper\"" in p for p in parts) == 1
    assert sum("define float @\"main\"" in p for p in parts) == 1
    assert "private" not in "".join(parts)
    assert sum("external global" in p for p in parts) == 1 and sum("[float 0x3ff0" in p for p in parts) == 1

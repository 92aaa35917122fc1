"""Random tensor programs stress bufferize's in-place and reuse decisions.

Each program is a random DAG over 4x4 f32 tensors whose linalg ops take a
random *existing* tensor as their init (often one still used later, or an
input, or one aliased by a reshape view), plus slices and reshapes.  Value
semantics are evaluated with numpy; the compiled result (bufferize ->
convert-linalg-to-affine -> LLVM) must match, and inputs must be unchanged.
"""

from __future__ import annotations

import numpy as np
import pytest

import mlopt
from mlopt.backends.runtime import compile_model

T = "tensor<4x4xf32>"
ID = "affine_map<(d0, d1) -> (d0, d1)>"
TR = "affine_map<(d0, d1) -> (d1, d0)>"
PAR = '["parallel", "parallel"]'


def _generate(seed: int) -> tuple[str, int, list]:
    rng = np.random.default_rng(seed)
    n_in = int(rng.integers(1, 4))
    names = [f"%a{i}" for i in range(n_in)]
    # each entry: python function of the env producing the numpy value
    lines: list[str] = []
    evals: dict[str, object] = {}
    for i in range(n_in):
        evals[names[i]] = ("input", i)
    for k in range(int(rng.integers(3, 12))):
        kind = rng.choice(["neg", "add_into", "acc", "transpose", "insert", "reshape", "fresh"])
        x = names[int(rng.integers(len(names)))]
        y = names[int(rng.integers(len(names)))]
        init = names[int(rng.integers(len(names)))]
        r = f"%v{k}"
        if kind == "fresh":
            lines.append(f"  %e{k} = tensor.empty() : {T}")
            lines.append(
                f"  {r} = linalg.generic {{indexing_maps = [{ID}, {ID}], iterator_types = {PAR}}} ins({x} : {T}) outs(%e{k} : {T}) {{\n"
                f"  ^bb0(%x: f32, %o: f32):\n    %c = arith.constant 1.5 : f32\n    %s = arith.mulf %x, %c : f32\n    linalg.yield %s : f32\n  }} -> {T}"
            )
            evals[r] = ("scale", x)
        elif kind == "neg":
            lines.append(
                f"  {r} = linalg.generic {{indexing_maps = [{ID}, {ID}], iterator_types = {PAR}}} ins({x} : {T}) outs({init} : {T}) {{\n"
                f"  ^bb0(%x: f32, %o: f32):\n    %s = arith.negf %x : f32\n    linalg.yield %s : f32\n  }} -> {T}"
            )
            evals[r] = ("neg", x)
        elif kind == "add_into":
            lines.append(
                f"  {r} = linalg.generic {{indexing_maps = [{ID}, {TR}, {ID}], iterator_types = {PAR}}} ins({x}, {y} : {T}, {T}) outs({init} : {T}) {{\n"
                f"  ^bb0(%x: f32, %y: f32, %o: f32):\n    %s = arith.addf %x, %y : f32\n    linalg.yield %s : f32\n  }} -> {T}"
            )
            evals[r] = ("add_t", x, y)
        elif kind == "acc":
            lines.append(
                f"  {r} = linalg.generic {{indexing_maps = [{TR}, {ID}], iterator_types = {PAR}}} ins({x} : {T}) outs({init} : {T}) {{\n"
                f"  ^bb0(%x: f32, %o: f32):\n    %s = arith.subf %o, %x : f32\n    linalg.yield %s : f32\n  }} -> {T}"
            )
            evals[r] = ("acc", init, x)
        elif kind == "transpose":
            lines.append(
                f"  {r} = linalg.generic {{indexing_maps = [{TR}, {ID}], iterator_types = {PAR}}} ins({x} : {T}) outs({init} : {T}) {{\n"
                f"  ^bb0(%x: f32, %o: f32):\n    linalg.yield %x : f32\n  }} -> {T}"
            )
            evals[r] = ("t", x)
        elif kind == "insert":
            i0, j0 = int(rng.integers(0, 3)), int(rng.integers(0, 2))
            lines.append(f"  %s{k} = tensor.extract_slice {x}[{i0}, {j0}] [2, 2] [1, 1] : {T} to tensor<2x2xf32>")
            lines.append(f"  {r} = tensor.insert_slice %s{k} into {init}[{j0}, {i0}] [2, 2] [2, 1] : tensor<2x2xf32> into {T}")
            evals[r] = ("insert", x, init, i0, j0)
        else:
            lines.append(f"  %f{k} = tensor.collapse_shape {x} [[0, 1]] : {T} into tensor<16xf32>")
            lines.append(f"  {r} = tensor.expand_shape %f{k} [[0, 1]] output_shape [4, 4] : tensor<16xf32> into {T}")
            evals[r] = ("same", x)
        names.append(r)
    n_out = int(rng.integers(1, 4))
    outs = [names[int(rng.integers(len(names)))] for _ in range(n_out)]
    args = ", ".join(f"%a{i}: {T}" for i in range(n_in))
    ir = (
        f"func.func @p({args}) -> ({', '.join([T] * n_out)}) {{\n"
        + "\n".join(lines)
        + f"\n  func.return {', '.join(outs)} : {', '.join([T] * n_out)}\n}}"
    )

    def evaluate(inputs: list[np.ndarray]) -> list[np.ndarray]:
        env: dict[str, np.ndarray] = {}

        def val(name: str) -> np.ndarray:
            if name not in env:
                e = evals[name]
                tag = e[0]
                if tag == "input":
                    env[name] = inputs[e[1]].copy()
                elif tag == "scale":
                    env[name] = val(e[1]) * np.float32(1.5)
                elif tag == "neg":
                    env[name] = -val(e[1])
                elif tag == "add_t":
                    env[name] = val(e[1]) + val(e[2]).T
                elif tag == "acc":
                    env[name] = val(e[1]) - val(e[2]).T
                elif tag == "t":
                    env[name] = val(e[1]).T.copy()
                elif tag == "insert":
                    _, x, init, i0, j0 = e
                    out = val(init).copy()
                    out[j0 : j0 + 4 : 2, i0 : i0 + 2] = val(x)[i0 : i0 + 2, j0 : j0 + 2]
                    env[name] = out
                else:
                    env[name] = val(e[1]).copy()
            return env[name]

        return [val(o) for o in outs]

    return ir, n_in, evaluate


@pytest.mark.parametrize("seed", range(30))
def test_random_program(seed: int) -> None:
    ir, n_in, evaluate = _generate(seed)
    rng = np.random.default_rng(1000 + seed)
    inputs = [rng.standard_normal((4, 4)).astype(np.float32) for _ in range(n_in)]
    saved = [a.copy() for a in inputs]
    module = mlopt.parse(ir)
    got = compile_model(module)(*inputs)
    want = evaluate(saved)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6, err_msg=ir)
    for a, s in zip(inputs, saved):
        np.testing.assert_array_equal(a, s)

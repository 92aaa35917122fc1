"""JIT-run hand-written affine-level IR (contract C) and compare with numpy."""

from __future__ import annotations

import math

import numpy as np
import pytest

import mlopt
from mlopt.backends.runtime import compile_model


def compile_text(text: str, opt_level: int = 3):
    return compile_model(mlopt.parse(text), opt_level=opt_level)


VECADD = """
func.func @vadd(%a: memref<37xf32>, %b: memref<37xf32>, %c: memref<37xf32>)
    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  affine.for %i = 0 to 37 {
    %x = affine.load %a[%i] : memref<37xf32>
    %y = affine.load %b[%i] : memref<37xf32>
    %s = arith.addf %x, %y : f32
    affine.store %s, %c[%i] : memref<37xf32>
  }
  func.return
}
"""


@pytest.mark.parametrize("opt_level", [0, 1, 2, 3])
def test_vector_add(opt_level):
    model = compile_text(VECADD, opt_level)
    a = np.random.rand(37).astype(np.float32)
    b = np.random.rand(37).astype(np.float32)
    (c,) = model(a, b)
    np.testing.assert_array_equal(c, a + b)
    assert model.input_names == ["input0", "input1"]
    assert model.output_names == ["output0"]


MATMUL = """
func.func @mm(%a: memref<5x7xf32>, %b: memref<7x3xf32>, %c: memref<5x3xf32>)
    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 5 {
    affine.for %j = 0 to 3 {
      %r = affine.for %k = 0 to 7 iter_args(%acc = %zero) -> (f32) {
        %x = affine.load %a[%i, %k] : memref<5x7xf32>
        %y = affine.load %b[%k, %j] : memref<7x3xf32>
        %p = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %p : f32
        affine.yield %s : f32
      }
      affine.store %r, %c[%i, %j] : memref<5x3xf32>
    }
  }
  func.return
}
"""


def test_matmul_loop_nest():
    model = compile_text(MATMUL)
    a = np.random.rand(5, 7).astype(np.float32)
    b = np.random.rand(7, 3).astype(np.float32)
    (c,) = model(a, b)
    np.testing.assert_allclose(c, a @ b, rtol=1e-5)


TRANSCENDENTAL = """
func.func @f(%a: memref<16x{T}>, %e: memref<16x{T}>, %t: memref<16x{T}>, %r: memref<16x{T}>)
    attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<16x{T}>
    %0 = math.exp %x : {T}
    %1 = math.tanh %x : {T}
    %2 = math.erf %x : {T}
    affine.store %0, %e[%i] : memref<16x{T}>
    affine.store %1, %t[%i] : memref<16x{T}>
    affine.store %2, %r[%i] : memref<16x{T}>
  }
  func.return
}
"""


@pytest.mark.parametrize("typ,dtype,tol", [("f32", np.float32, 1e-6), ("f64", np.float64, 1e-13)])
def test_exp_tanh_erf(typ, dtype, tol):
    model = compile_text(TRANSCENDENTAL.replace("{T}", typ))
    x = np.linspace(-3, 3, 16).astype(dtype)
    e, t, r = model(x)
    assert e.dtype == dtype
    np.testing.assert_allclose(e, np.exp(x), rtol=tol)
    np.testing.assert_allclose(t, np.tanh(x), rtol=tol, atol=tol)
    np.testing.assert_allclose(r, np.array([math.erf(v) for v in x], dtype=dtype), rtol=tol, atol=tol)


GLOBAL = """
"memref.global"() <{sym_name = "w", sym_visibility = "private", type = memref<2x3xf32>,
  initial_value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>, constant}> : () -> ()
func.func @scale(%x: memref<2x3xf32>, %y: memref<6xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %w = memref.get_global @w : memref<2x3xf32>
  %t = memref.alloc() : memref<2x3xf32>
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 3 {
      %a = affine.load %x[%i, %j] : memref<2x3xf32>
      %b = affine.load %w[%i, %j] : memref<2x3xf32>
      %p = arith.mulf %a, %b : f32
      affine.store %p, %t[%i, %j] : memref<2x3xf32>
    }
  }
  %flat = memref.collapse_shape %t [[0, 1]] : memref<2x3xf32> into memref<6xf32>
  "memref.copy"(%flat, %y) : (memref<6xf32>, memref<6xf32>) -> ()
  memref.dealloc %t : memref<2x3xf32>
  func.return
}
"""


def test_constant_global_alloc_copy():
    model = compile_text(GLOBAL)
    x = np.random.rand(2, 3).astype(np.float32)
    (y,) = model(x)
    w = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    np.testing.assert_array_equal(y, (x * w).reshape(6))


INTS = """
func.func @ints(%a: memref<8xi32>, %b: memref<8xi32>, %q: memref<8xi32>, %r: memref<8xi32>,
                %f: memref<8xi32>, %m: memref<8xi32>, %i64: memref<8xi64>)
    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xi32>
    %y = affine.load %b[%i] : memref<8xi32>
    %0 = arith.divsi %x, %y : i32
    %1 = arith.remsi %x, %y : i32
    %2 = arith.floordivsi %x, %y : i32
    %3 = arith.maxsi %x, %y : i32
    %ix = arith.index_cast %i : index to i64
    %w = arith.extsi %x : i32 to i64
    %4 = arith.muli %w, %ix : i64
    affine.store %0, %q[%i] : memref<8xi32>
    affine.store %1, %r[%i] : memref<8xi32>
    affine.store %2, %f[%i] : memref<8xi32>
    affine.store %3, %m[%i] : memref<8xi32>
    affine.store %4, %i64[%i] : memref<8xi64>
  }
  func.return
}
"""


def test_integer_ops():
    model = compile_text(INTS)
    a = np.array([7, -7, 7, -7, 0, 100, -100, 5], np.int32)
    b = np.array([2, 2, -2, -2, 3, 7, 7, -1], np.int32)
    q, r, f, m, w = model(a, b)
    np.testing.assert_array_equal(q, np.trunc(a / b).astype(np.int32))
    np.testing.assert_array_equal(r, np.fmod(a, b))
    np.testing.assert_array_equal(f, np.floor_divide(a, b))
    np.testing.assert_array_equal(m, np.maximum(a, b))
    np.testing.assert_array_equal(w, a.astype(np.int64) * np.arange(8))


CASTS = """
func.func @casts(%x: memref<4xf32>, %u: memref<4xi8>, %big: memref<4xi64>,
                 %i: memref<4xi32>, %f: memref<4xf64>, %g: memref<4xf32>, %c: memref<4xi1>)
    attributes {mlopt.entry, mlopt.num_inputs = 3 : i64} {
  affine.for %k = 0 to 4 {
    %a = affine.load %x[%k] : memref<4xf32>
    %b = affine.load %u[%k] : memref<4xi8>
    %n = affine.load %big[%k] : memref<4xi64>
    %0 = arith.fptosi %a : f32 to i32
    %1 = arith.uitofp %b : i8 to f64
    %2 = arith.uitofp %n : i64 to f32
    %zero = arith.constant 0.0 : f32
    %3 = arith.cmpf olt, %a, %zero : f32
    affine.store %0, %i[%k] : memref<4xi32>
    affine.store %1, %f[%k] : memref<4xf64>
    affine.store %2, %g[%k] : memref<4xf32>
    affine.store %3, %c[%k] : memref<4xi1>
  }
  func.return
}
"""


def test_casts_and_bool():
    model = compile_text(CASTS)
    x = np.array([-2.7, -0.5, 0.5, 3.9], np.float32)
    u = np.array([0, 1, 200, 255], np.uint8).view(np.int8)
    big = np.array([0, 1, 2**62, -1], np.int64)
    i, f, g, c = model(x, u, big)
    np.testing.assert_array_equal(i, x.astype(np.int32))
    np.testing.assert_array_equal(f, u.view(np.uint8).astype(np.float64))
    np.testing.assert_array_equal(g, big.view(np.uint64).astype(np.float32))
    assert c.dtype == np.bool_
    np.testing.assert_array_equal(c, x < 0)


def test_input_checks_are_clear():
    model = compile_text(VECADD)
    a = np.zeros(37, np.float32)
    with pytest.raises(ValueError, match="input 'input1': expected dtype float32, got float64"):
        model(a, np.zeros(37))
    with pytest.raises(ValueError, match=r"input 'input0': expected shape \(37,\), got \(36,\)"):
        model(np.zeros(36, np.float32), a)
    with pytest.raises(ValueError, match="missing input 'input1'"):
        model(a)
    with pytest.raises(ValueError, match="expected 2 input"):
        model(a, a, a)
    with pytest.raises(ValueError, match="unknown input 'zz'"):
        model(a, zz=a)
    # by name, and non-contiguous inputs are accepted (copied)
    b = np.arange(74, dtype=np.float32)[::2]
    out = model.run({"input0": a, "input1": b})
    np.testing.assert_array_equal(out["output0"], b)


def test_llvm_level_module_and_stage_times():
    module = mlopt.parse(VECADD)
    mlopt.run_pipeline(module, "affine-to-llvm")
    model = compile_model(module)
    a = np.ones(37, np.float32)
    (c,) = model(a, a)
    np.testing.assert_array_equal(c, 2 * a)
    assert {"translate", "llvm-optimize", "codegen"} <= set(model.stage_times)


def test_threads_share_a_compiled_model():
    from concurrent.futures import ThreadPoolExecutor

    model = compile_text(GLOBAL)
    w = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    xs = [np.random.rand(2, 3).astype(np.float32) for _ in range(32)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda x: model(x)[0], xs))
    for x, y in zip(xs, results):
        np.testing.assert_array_equal(y, (x * w).reshape(6))


def test_unlowerable_module_is_a_clear_error():
    text = VECADD.replace("memref<37xf32>", "memref<?xf32>").replace("to 37", "to 3")
    with pytest.raises(Exception, match="static shapes"):
        compile_text(text)


F16 = """
func.func @f(%a: memref<4xf64>, %b: memref<4xf16>, %c: memref<4xf64>, %d: memref<4xf16>)
    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  affine.for %i = 0 to 4 {
    %x = affine.load %a[%i] : memref<4xf64>
    %h = arith.truncf %x : f64 to f16
    %y = affine.load %b[%i] : memref<4xf16>
    %e = arith.extf %y : f16 to f64
    %s = arith.addf %h, %y : f16
    affine.store %e, %c[%i] : memref<4xf64>
    affine.store %s, %d[%i] : memref<4xf16>
  }
  func.return
}
"""


def test_f16_and_f64_to_f16():
    # f64 -> f16 needs a compiler-runtime helper (__truncdfhf2): it must resolve, not crash
    model = compile_text(F16)
    a = np.array([1.0, 65504.0, 1e-8, 0.1])
    b = np.array([1, 2, 3, 0.5], np.float16)
    c, d = model(a, b)
    np.testing.assert_array_equal(c, b.astype(np.float64))
    np.testing.assert_array_equal(d, a.astype(np.float16) + b)


def test_unknown_external_function_is_an_error_not_a_crash():
    text = """
    func.func private @no_such_function_in_this_process(f32) -> f32
    func.func @f(%a: memref<f32>, %b: memref<f32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
      %x = memref.load %a[] : memref<f32>
      %y = func.call @no_such_function_in_this_process(%x) : (f32) -> f32
      memref.store %y, %b[] : memref<f32>
      func.return
    }
    """
    with pytest.raises(Exception, match="no_such_function_in_this_process"):
        compile_text(text)


def test_fast_math_option_reassociates_reductions():
    big = MATMUL.replace("5x7", "8x256").replace("7x3", "256x16").replace("5x3", "8x16")
    big = big.replace("to 5", "to 8").replace("to 7", "to 256").replace("to 3", "to 16")
    exact = compile_model(mlopt.parse(big))
    fast = compile_model(mlopt.parse(big), fast_math=True)
    a = np.random.rand(8, 256).astype(np.float32)
    b = np.random.rand(256, 16).astype(np.float32)
    np.testing.assert_allclose(fast(a, b)[0], a @ b, rtol=1e-4)
    np.testing.assert_allclose(exact(a, b)[0], a @ b, rtol=1e-4)
    # the fast version's IR carries the flags; the default one has none
    assert "reassoc" in str(fast._specialize(((8, 256), (256, 16))).jit.llvm_module)
    assert "reassoc" not in str(exact._specialize(((8, 256), (256, 16))).jit.llvm_module)


def test_concurrent_compilations():
    from concurrent.futures import ThreadPoolExecutor

    texts = [VECADD, MATMUL, GLOBAL, VECADD]
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(compile_text, texts))
    a = np.ones(37, np.float32)
    np.testing.assert_array_equal(models[3](a, a)[0], 2 * a)
    x = np.ones((5, 7), np.float32)
    y = np.ones((7, 3), np.float32)
    np.testing.assert_allclose(models[1](x, y)[0], x @ y)


NAN = """
func.func @nan(%a: memref<4xf32>, %b: memref<4xf32>, %uno: memref<4xi1>, %ord: memref<4xi1>,
               %une: memref<4xi1>, %mx: memref<4xf32>, %mn: memref<4xf32>)
    attributes {mlopt.entry, mlopt.num_inputs = 2 : i64} {
  affine.for %i = 0 to 4 {
    %x = affine.load %a[%i] : memref<4xf32>
    %y = affine.load %b[%i] : memref<4xf32>
    %0 = arith.cmpf uno, %x, %y : f32
    %1 = arith.cmpf ord, %x, %y : f32
    %2 = arith.cmpf une, %x, %y : f32
    %3 = arith.maximumf %x, %y : f32
    %4 = arith.minnumf %x, %y : f32
    affine.store %0, %uno[%i] : memref<4xi1>
    affine.store %1, %ord[%i] : memref<4xi1>
    affine.store %2, %une[%i] : memref<4xi1>
    affine.store %3, %mx[%i] : memref<4xf32>
    affine.store %4, %mn[%i] : memref<4xf32>
  }
  func.return
}
"""


def test_nan_semantics():
    model = compile_text(NAN)
    a = np.array([1.0, np.nan, 3.0, np.nan], np.float32)
    b = np.array([1.0, 2.0, np.nan, np.nan], np.float32)
    uno, ord_, une, mx, mn = model(a, b)
    np.testing.assert_array_equal(uno, np.isnan(a) | np.isnan(b))
    np.testing.assert_array_equal(ord_, ~(np.isnan(a) | np.isnan(b)))
    np.testing.assert_array_equal(une, [False, True, True, True])
    np.testing.assert_array_equal(mx, np.maximum(a, b))  # NaN-propagating
    np.testing.assert_array_equal(mn, np.fmin(a, b))  # NaN-ignoring


BIG_ALLOCA = """
func.func @rev(%a: memref<32768xf32>, %b: memref<32768xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %t = memref.alloca() : memref<32768xf32>
  affine.for %i = 0 to 32768 {
    %v = affine.load %a[%i] : memref<32768xf32>
    affine.store %v, %t[32767 - %i] : memref<32768xf32>
  }
  affine.for %i = 0 to 32768 {
    %v = affine.load %t[%i] : memref<32768xf32>
    affine.store %v, %b[%i] : memref<32768xf32>
  }
  func.return
}
"""


def test_big_alloca_runs_in_small_stack_threads():
    import threading

    model = compile_text(BIG_ALLOCA)
    a = np.random.rand(32768).astype(np.float32)
    results = []
    old = threading.stack_size(64 * 1024)
    try:
        th = threading.Thread(target=lambda: results.append(model(a)[0]))
        th.start()
        th.join()
    finally:
        threading.stack_size(old)
    np.testing.assert_array_equal(results[0], a[::-1])


def test_explicit_vectors():
    from pathlib import Path

    text = (Path(__file__).parent / "Inputs" / "vector_loop.mlir").read_text()
    model = compile_text(text)
    a = np.random.rand(4, 16).astype(np.float32)
    b = np.random.rand(16).astype(np.float32)
    c, s = model(a, b)
    f = a * 2 + b
    np.testing.assert_allclose(c, f, rtol=1e-6)
    np.testing.assert_allclose(s, (f[:, :8] + f[:, 8:]).sum(1) + f[:, 3] + f[:, 11], rtol=1e-5)


def test_entry_named_like_a_libm_function():
    text = TRANSCENDENTAL.replace("{T}", "f64").replace("@f(", "@tanh(")
    model = compile_text(text)
    x = np.linspace(-1, 1, 16)
    np.testing.assert_allclose(model(x)[1], np.tanh(x), rtol=1e-13)


def test_f16_transcendentals_go_through_f32():
    model = compile_text(TRANSCENDENTAL.replace("{T}", "f16"))
    x = np.linspace(-2, 2, 16).astype(np.float16)
    e, t, r = model(x)
    assert t.dtype == np.float16
    ref = x.astype(np.float32)
    np.testing.assert_allclose(e, np.exp(ref).astype(np.float16), rtol=2e-3)
    np.testing.assert_allclose(t, np.tanh(ref).astype(np.float16), rtol=2e-3, atol=1e-3)
    erf = np.array([math.erf(v) for v in ref], np.float32).astype(np.float16)
    np.testing.assert_allclose(r, erf, rtol=2e-3, atol=1e-3)


def test_rank0_input_and_output():
    text = """
    func.func @sq(%a: memref<f32>, %b: memref<f32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
      %x = memref.load %a[] : memref<f32>
      %y = arith.mulf %x, %x : f32
      memref.store %y, %b[] : memref<f32>
      func.return
    }
    """
    model = compile_text(text)
    (y,) = model(np.array(3.0, np.float32))
    assert y.shape == () and y == 9.0
    (y,) = model(np.float32(2.0))  # numpy scalar
    assert y == 4.0


UNUSED_GLOBAL = """
"memref.global"() <{sym_name = "unused", sym_visibility = "private", type = memref<4xf32>,
  initial_value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>, constant}> : () -> ()
func.func @copy(%x: memref<4xf32>, %y: memref<4xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %w = memref.get_global @unused : memref<4xf32>
  affine.for %i = 0 to 4 {
    %a = affine.load %x[%i] : memref<4xf32>
    affine.store %a, %y[%i] : memref<4xf32>
  }
  func.return
}
"""


def test_constant_global_that_llvm_drops_is_not_bound():
    # LLVM removes a constant global nothing reads; binding its weights must not fail.
    model = compile_text(UNUSED_GLOBAL)
    x = np.arange(4, dtype=np.float32)
    (y,) = model(x)
    np.testing.assert_array_equal(y, x)

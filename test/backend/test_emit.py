"""`mlopt.backends.llvm.emit`: LLVM IR, assembly, object files and shared libraries."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

import mlopt
from mlopt.backends.llvm import emit, load_shared, to_llvm_ir, weights_path

TEXT = """
"memref.global"() <{sym_name = "w", sym_visibility = "private", type = memref<8xf32>,
  initial_value = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>, constant}> : () -> ()
func.func @axpy(%x: memref<8xf32>, %y: memref<8xf32>) attributes {mlopt.entry, mlopt.num_inputs = 1 : i64} {
  %w = memref.get_global @w : memref<8xf32>
  %two = arith.constant 2.0 : f32
  affine.for %i = 0 to 8 {
    %a = affine.load %x[%i] : memref<8xf32>
    %b = affine.load %w[%i] : memref<8xf32>
    %p = arith.mulf %a, %two : f32
    %s = arith.addf %p, %b : f32
    affine.store %s, %y[%i] : memref<8xf32>
  }
  func.return
}
"""
W = np.arange(1, 9, dtype=np.float32)


@pytest.fixture
def module():
    m = mlopt.parse(TEXT)
    mlopt.run_pipeline(m, "affine-to-llvm")
    return m


def test_llvm_ir_text(module):
    text = to_llvm_ir(module)
    assert 'define void @"axpy"(ptr noalias' in text
    assert '@"w" = external constant [8 x float]' in text
    assert "8.0" not in text and "8.000000e+00" not in text  # weights are not printed
    optimised = emit(module, "llvm", opt_level=2)
    assert "define void @axpy(" in optimised


def test_asm_and_obj(module, tmp_path):
    asm = emit(module, "asm", opt_level=3)
    assert "axpy:" in asm
    obj = tmp_path / "m.o"
    data = emit(module, "obj", opt_level=1, output=obj)
    assert obj.read_bytes() == data and data[:4] == b"\x7fELF"
    with np.load(weights_path(obj)) as weights:
        np.testing.assert_array_equal(weights["w"], W)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler to link a shared library")
def test_shared_library_runs(module, tmp_path):
    so = tmp_path / "libaxpy.so"
    emit(module, "shared", opt_level=3, output=so)
    assert so.exists() and weights_path(so).exists()
    lib = load_shared(so)
    fn = lib.function("axpy", 2)
    x = np.random.rand(8).astype(np.float32)
    y = np.zeros(8, np.float32)
    fn(x.ctypes.data, y.ctypes.data)
    np.testing.assert_allclose(y, 2 * x + W, rtol=1e-6)


def test_bad_kind_and_opt_level(module):
    with pytest.raises(ValueError, match="unknown emit kind"):
        emit(module, "exe")
    with pytest.raises(ValueError, match="opt_level"):
        emit(module, "llvm", opt_level=7)


def test_unlowered_module_is_rejected():
    m = mlopt.parse(TEXT)
    with pytest.raises(Exception, match="not fully lowered"):
        to_llvm_ir(m)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_shared_library_from_c_with_weight_blob(module, tmp_path):
    """A C program maps the .weights.bin blob, binds it and calls the entry."""
    import subprocess

    so = tmp_path / "libaxpy.so"
    emit(module, "shared", output=so)
    blob = tmp_path / "libaxpy.so.weights.bin"
    assert blob.stat().st_size == 8 * 4
    main_c = tmp_path / "main.c"
    header = (tmp_path / "libaxpy.so.h").read_text()
    assert "void axpy(const float *input0, float *output0);" in header
    assert "input0: input 'input0', float32[8]" in header
    assert "void axpy_bind_weights(const void *blob);" in header
    main_c.write_text(
        """
#include <stdio.h>
#include "libaxpy.so.h"
int main(int argc, char **argv) {
    static float blob[8], x[8], y[8];
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(blob, 4, 8, f) != 8) return 2;
    fclose(f);
    axpy_bind_weights(blob);
    for (int i = 0; i < 8; i++) x[i] = (float)i;
    axpy(x, y);
    for (int i = 0; i < 8; i++) printf("%g ", y[i]);
    return 0;
}
"""
    )
    exe = tmp_path / "main"
    subprocess.run(
        ["cc", "-I", str(tmp_path), "-o", str(exe), str(main_c), str(so), f"-Wl,-rpath,{tmp_path}"],
        check=True,
    )
    out = subprocess.run([str(exe), str(blob)], capture_output=True, text=True, check=True).stdout
    got = np.array([float(v) for v in out.split()], np.float32)
    np.testing.assert_allclose(got, 2 * np.arange(8, dtype=np.float32) + W)


def test_partially_lowered_module_names_the_leftover():
    m = mlopt.parse(TEXT)
    mlopt.run_pipeline(m, "lower-affine,convert-scf-to-cf,convert-arith-to-llvm,convert-func-to-llvm")
    with pytest.raises(Exception, match="not fully lowered to the llvm dialect: found 'memref."):
        to_llvm_ir(m)


def test_target_cpu_selects_the_instruction_set(module):
    import platform

    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("x86-specific CPU names")
    generic = emit(module, "asm", opt_level=3, target_cpu="x86-64")
    assert "ymm" not in generic and "zmm" not in generic  # baseline x86-64: SSE2 only
    avx512 = emit(module, "asm", opt_level=3, target_cpu="skylake-avx512")
    assert "axpy:" in avx512 and "axpy:" in generic

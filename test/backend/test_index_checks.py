"""Bounds-checked index operands: an out-of-range index raises IndexOutOfRangeError
naming the node (JIT and shared library), in-range negative indices match
onnxruntime, constant indices are checked at compile time, OneHot follows ONNX
(all-off rows)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from onnx import TensorProto, helper

import mlopt
from mlopt.backends.runtime import compile_model
from mlopt.errors import IndexOutOfRangeError, MloptError, RuntimeCheckError

ort = pytest.importorskip("onnxruntime")

F, I64, I32 = TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT32


def make(node, inputs, outputs, inits=()):
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs],
        [helper.make_tensor_value_info(n, t, s) for n, t, s in outputs],
        list(inits),
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])


def run_ort(model, *arrays):
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    return sess.run(None, dict(zip(names, arrays)))


OP_TYPES = {"g0": "Gather", "ge": "GatherElements", "gnd": "GatherND", "gb": "GatherND",
            "se": "ScatterElements", "snd": "ScatterND"}


def assert_raises_index(fn, node, index, bound, axis):
    with pytest.raises(IndexOutOfRangeError) as info:
        fn()
    e = info.value
    assert isinstance(e, RuntimeCheckError) and isinstance(e, MloptError)
    assert isinstance(e, mlopt.MloptError) and isinstance(e, mlopt.IndexOutOfRangeError)
    assert (e.node, e.index, e.bound) == (node, index, bound)
    assert str(e) == (
        f"node '{node}' ({OP_TYPES[node]}): index {index} is out of range "
        f"for axis {axis} of size {bound} (valid: {-bound}..{bound - 1})"
    )
    return e


D35 = np.arange(15, dtype=np.float32).reshape(3, 5)


def gather_model(itype=I64, n=4):
    return make(
        helper.make_node("Gather", ["d", "i"], ["y"], axis=1, name="g0"),
        [("d", F, [3, 5]), ("i", itype, [n])],
        [("y", F, [3, n])],
    )


@pytest.mark.parametrize("itype,dt", [(I64, np.int64), (I32, np.int32)])
def test_gather(itype, dt):
    model = gather_model(itype)
    m = compile_model(model)
    good = np.array([0, 4, -1, -5], dtype=dt)
    np.testing.assert_array_equal(m(D35, good)[0], run_ort(model, D35, good)[0])
    e = assert_raises_index(lambda: m(D35, np.array([1, 5, 0, 0], dtype=dt)), "g0", 5, 5, 1)
    assert "node 'g0' (Gather)" in str(e)
    assert_raises_index(lambda: m(D35, np.array([-6, 0, 0, 0], dtype=dt)), "g0", -6, 5, 1)
    # the status is per call: a good call after a failing one succeeds
    np.testing.assert_array_equal(m(D35, good)[0], run_ort(model, D35, good)[0])


def test_gather_far_out_of_range_never_reads_memory():
    m = compile_model(gather_model())
    for bad in (2**40, -(2**40), 2**62, -(2**63)):
        assert_raises_index(lambda: m(D35, np.array([0, 0, 0, bad])), "g0", bad, 5, 1)


def test_first_failure_is_reported():
    m = compile_model(gather_model())
    assert_raises_index(lambda: m(D35, np.array([0, 7, 9, -8])), "g0", 7, 5, 1)


def test_gather_elements():
    model = make(
        helper.make_node("GatherElements", ["d", "i"], ["y"], axis=0, name="ge"),
        [("d", F, [3, 5]), ("i", I64, [2, 5])],
        [("y", F, [2, 5])],
    )
    m = compile_model(model)
    good = np.array([[0, 1, 2, -1, -3], [2, -2, 0, 1, -1]])
    np.testing.assert_array_equal(m(D35, good)[0], run_ort(model, D35, good)[0])
    bad = good.copy()
    bad[1, 3] = 3
    assert_raises_index(lambda: m(D35, bad), "ge", 3, 3, 0)


def test_gather_nd_names_the_axis():
    model = make(
        helper.make_node("GatherND", ["d", "i"], ["y"], name="gnd"),
        [("d", F, [3, 5]), ("i", I64, [3, 2])],
        [("y", F, [3])],
    )
    m = compile_model(model)
    good = np.array([[0, 4], [-1, -5], [2, 0]])
    np.testing.assert_array_equal(m(D35, good)[0], run_ort(model, D35, good)[0])
    assert_raises_index(lambda: m(D35, np.array([[0, 0], [0, 5], [0, 0]])), "gnd", 5, 5, 1)
    assert_raises_index(lambda: m(D35, np.array([[0, 0], [-4, 0], [0, 0]])), "gnd", -4, 3, 0)


def test_gather_nd_batch_dims():
    model = make(
        helper.make_node("GatherND", ["d", "i"], ["y"], batch_dims=1, name="gb"),
        [("d", F, [2, 3, 4]), ("i", I64, [2, 1])],
        [("y", F, [2, 4])],
    )
    d = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    m = compile_model(model)
    good = np.array([[-1], [1]])
    np.testing.assert_array_equal(m(d, good)[0], run_ort(model, d, good)[0])
    assert_raises_index(lambda: m(d, np.array([[0], [3]])), "gb", 3, 3, 1)


def test_scatter_elements():
    model = make(
        helper.make_node("ScatterElements", ["d", "i", "u"], ["y"], axis=1, name="se"),
        [("d", F, [3, 5]), ("i", I64, [3, 2]), ("u", F, [3, 2])],
        [("y", F, [3, 5])],
    )
    m = compile_model(model)
    u = -np.arange(6, dtype=np.float32).reshape(3, 2) - 1
    good = np.array([[0, -1], [2, -3], [4, -5]])
    np.testing.assert_array_equal(m(D35, good, u)[0], run_ort(model, D35, good, u)[0])
    assert_raises_index(lambda: m(D35, np.array([[0, 1], [2, 3], [4, 5]]), u), "se", 5, 5, 1)


def test_scatter_nd():
    model = make(
        helper.make_node("ScatterND", ["d", "i", "u"], ["y"], name="snd"),
        [("d", F, [3, 5]), ("i", I64, [2, 2]), ("u", F, [2])],
        [("y", F, [3, 5])],
    )
    m = compile_model(model)
    u = np.array([100.0, 200.0], dtype=np.float32)
    good = np.array([[-1, -1], [0, -5]])
    np.testing.assert_array_equal(m(D35, good, u)[0], run_ort(model, D35, good, u)[0])
    assert_raises_index(lambda: m(D35, np.array([[0, 0], [3, 0]]), u), "snd", 3, 3, 0)
    assert_raises_index(lambda: m(D35, np.array([[0, -6], [0, 0]]), u), "snd", -6, 5, 1)


def tensor_scatter_model(mode, past, upd, axis):
    model = make(
        helper.make_node("TensorScatter", ["p", "u", "w"], ["y"], mode=mode, axis=axis, name="kv"),
        [("p", F, list(past)), ("u", F, list(upd)), ("w", I64, [past[0]])],
        [("y", F, list(past))],
    )
    model.opset_import[0].version = 24
    return model


@pytest.mark.parametrize("mode", ["linear", "circular"])
@pytest.mark.parametrize("past,upd,axis", [((2, 5, 3), (2, 2, 3), -2), ((3, 2, 7, 4), (3, 2, 3, 4), 2)])
def test_tensor_scatter_write_indices(mode, past, upd, axis):
    """Write indices are checked as onnxruntime checks them: never negative,
    and in linear mode the update must fit (onnxruntime raises on both)."""
    model = tensor_scatter_model(mode, past, upd, axis)
    m = compile_model(model)
    rng = np.random.default_rng(7)
    p = rng.standard_normal(past).astype(np.float32)
    u = rng.standard_normal(upd).astype(np.float32)
    cache, seq = past[axis], upd[axis]
    last = cache - seq if mode == "linear" else 3 * cache  # circular wraps any index
    for w in (np.zeros(past[0], np.int64), np.full(past[0], last), rng.integers(0, last + 1, past[0])):
        np.testing.assert_array_equal(m(p, u, w)[0], run_ort(model, p, u, w)[0])
    bads = [-1] + ([last + 1] if mode == "linear" else [])
    for bad in bads:
        w = np.zeros(past[0], np.int64)
        w[-1] = bad
        with pytest.raises(Exception):  # onnxruntime refuses it too
            run_ort(model, p, u, w)
        with pytest.raises(IndexOutOfRangeError) as info:
            m(p, u, w)
        valid = f"0..{last}" if mode == "linear" else "0 or more"
        assert str(info.value).startswith(
            f"node 'kv' (TensorScatter): write index {bad} is out of range (valid: {valid})"
        )
        assert (info.value.node, info.value.index) == ("kv", bad)


def test_max_unpool_index_out_of_range():
    model = make(
        helper.make_node("MaxUnpool", ["x", "i"], ["y"], kernel_shape=[2, 2], strides=[2, 2], name="mu"),
        [("x", F, [1, 2, 2, 2]), ("i", I64, [1, 2, 2, 2])],
        [("y", F, [1, 2, 4, 4])],
    )
    m = compile_model(model)
    x = -np.arange(1, 9, dtype=np.float32).reshape(1, 2, 2, 2)
    good = np.array([0, 3, 9, 10, 16, 18, 28, 31]).reshape(1, 2, 2, 2)
    np.testing.assert_array_equal(m(x, good)[0], run_ort(model, x, good)[0])
    for bad in (32, -1):
        idx = good.copy()
        idx.flat[5] = bad
        with pytest.raises(Exception):  # onnxruntime: "Index value out of bounds"
            run_ort(model, x, idx)
        with pytest.raises(IndexOutOfRangeError) as info:
            m(x, idx)
        assert str(info.value) == (
            f"node 'mu' (MaxUnpool): index {bad} is out of range for the flattened output "
            "of size 32 (valid: 0..31)"
        )


def test_onehot_out_of_range_is_all_off():
    depth = helper.make_tensor("depth", I64, [], [4])
    vals = helper.make_tensor("vals", F, [2], [0.0, 1.0])
    model = make(
        helper.make_node("OneHot", ["i", "depth", "vals"], ["y"], axis=-1, name="oh"),
        [("i", I64, [5])],
        [("y", F, [5, 4])],
        [depth, vals],
    )
    m = compile_model(model)
    idx = np.array([0, -1, 4, -5, 2**40])
    expect = np.zeros((5, 4), np.float32)
    expect[0, 0] = expect[1, 3] = 1.0  # 4, -5 and 2**40 are outside [-4, 3]: all off
    np.testing.assert_array_equal(m(idx)[0], expect)
    np.testing.assert_array_equal(run_ort(model, idx)[0], expect)


def test_constant_indices_are_checked_at_compile_time():
    bad = helper.make_tensor("i", I64, [2], [1, 5])
    model = make(
        helper.make_node("Gather", ["d", "i"], ["y"], axis=1, name="gc"),
        [("d", F, [3, 5])],
        [("y", F, [3, 2])],
        [bad],
    )
    with pytest.raises(IndexOutOfRangeError) as info:
        compile_model(model)
    assert isinstance(info.value, MloptError)
    assert info.value.node == "gc" and info.value.index == 5 and info.value.bound == 5
    assert "node 'gc'" in str(info.value) and "constant index 5" in str(info.value)
    good = helper.make_tensor("i", I64, [2], [-1, 1])
    model = make(
        helper.make_node("Gather", ["d", "i"], ["y"], axis=1, name="gc"),
        [("d", F, [3, 5])],
        [("y", F, [3, 2])],
        [good],
    )
    np.testing.assert_array_equal(compile_model(model)(D35)[0], D35[:, [4, 1]])


def test_num_threads_2_checks_run_on_the_thread_pool():
    # 2^18 indices in rows of 2^10: convert-linalg-to-affine{threads=2} hands the
    # check loop (and the gather) to the worker pool, which shares the status record
    rows, shape = 4096, [256, 1024]
    model = make(
        helper.make_node("Gather", ["d", "i"], ["y"], axis=0, name="big"),
        [("d", F, [rows, 4]), ("i", I64, shape)],
        [("y", F, [*shape, 4])],
    )
    m = compile_model(model, num_threads=2)
    spec = next(iter(m._cache.values()))
    ir = str(spec.jit.llvm_module)
    par = [f for f in re.split(r"\ndefine ", ir) if "_par" in f.split("(")[0]]
    assert par and any("mlopt_index_check_failed" in f for f in par)
    d = np.random.default_rng(0).standard_normal((rows, 4)).astype(np.float32)
    idx = np.random.default_rng(1).integers(-rows, rows, shape)
    np.testing.assert_array_equal(m(d, idx)[0], d[idx])
    idx[255, 1000] = rows  # in the second thread's half
    idx[200, 3] = -rows - 2
    with pytest.raises(IndexOutOfRangeError) as info:
        m(d, idx)
    assert info.value.node == "big" and info.value.index in (rows, -rows - 2)
    assert f"for axis 0 of size {rows}" in str(info.value)


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler to link a shared library")
def test_shared_library_status(tmp_path):
    from mlopt.backends.llvm import emit, load_shared
    from mlopt.backends.status import new_status, raise_for_status
    from mlopt.frontends.onnx import import_model

    module = import_model(gather_model())
    mlopt.run_pipeline(module, "onnx-to-llvm")
    so = tmp_path / "libgather.so"
    emit(module, "shared", output=so)
    header = (tmp_path / "libgather.so.h").read_text()
    entry = re.search(
        r"int32_t (\w+)\(const float \*d, const int64_t \*i, float \*y, int64_t status\[8\]\);", header
    )
    assert entry, header
    name = entry.group(1)
    assert f'#define {name.upper()}_CHECK_0_NODE "g0" /* Gather; negative indices wrap */' in header
    lib = load_shared(so)
    fn = lib.function(name, 4, returns_status=True)
    out = np.empty((3, 4), np.float32)
    status = new_status()
    assert fn(D35.ctypes.data, np.array([0, 1, 2, -1]).ctypes.data, out.ctypes.data, status.ctypes.data) == 0
    np.testing.assert_array_equal(out, D35[:, [0, 1, 2, 4]])
    rc = fn(D35.ctypes.data, np.array([0, 9, 2, -1]).ctypes.data, out.ctypes.data, status.ctypes.data)
    assert rc == 1 and list(status[:5]) == [1, 0, 9, 5, 1]
    with pytest.raises(IndexOutOfRangeError, match=r"node 'g0' \(Gather\): index 9 is out of range"):
        raise_for_status(rc, status, [("g0", "Gather")])

    # and from C, through the header
    main = tmp_path / "main.c"
    main.write_text(
        f"""#include <stdio.h>
#include "libgather.so.h"
int main(void) {{
  float d[15] = {{0}}, y[12];
  int64_t idx[4] = {{0, 1, -7, 2}};
  int64_t status[8];
  int32_t rc = {name}(d, idx, y, status);
  printf("%d %lld %lld %lld %lld %s\\n", rc, (long long)status[1], (long long)status[2],
         (long long)status[3], (long long)status[4], {name.upper()}_CHECK_0_NODE);
  return 0;
}}
"""
    )
    exe = tmp_path / "main"
    subprocess.run(
        ["cc", "-o", str(exe), str(main), str(so), f"-Wl,-rpath,{tmp_path}"], check=True
    )
    res = subprocess.run([str(exe)], capture_output=True, text=True, check=True)
    assert res.stdout.split() == ["1", "0", "-7", "5", "1", "g0"]


def test_reverse_sequence_lens_past_the_time_axis():
    model = make(
        helper.make_node("ReverseSequence", ["x", "l"], ["y"], batch_axis=1, time_axis=0, name="rs"),
        [("x", F, [4, 2]), ("l", I64, [2])],
        [("y", F, [4, 2])],
    )
    m = compile_model(model)
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    good = np.array([4, 2])
    np.testing.assert_array_equal(m(x, good)[0], run_ort(model, x, good)[0])
    with pytest.raises(IndexOutOfRangeError) as info:
        m(x, np.array([4, 6]))  # reads time positions 5 and 4 of 4
    e = info.value
    assert e.node == "rs" and e.bound == 4 and e.index in (4, 5)
    assert "node 'rs' (ReverseSequence)" in str(e) and "(valid: 0..3)" in str(e)


@pytest.mark.parametrize("op", ["NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss"])
def test_loss_target_out_of_range(op):
    model = make(
        helper.make_node(op, ["x", "t"], ["y"], reduction="sum", ignore_index=-1, name="loss"),
        [("x", F, [3, 4]), ("t", I64, [3])],
        [("y", F, [])],
    )
    m = compile_model(model)
    x = -np.arange(12, dtype=np.float32).reshape(3, 4) / 10
    good = np.array([3, -1, 0])  # -1 is ignore_index
    np.testing.assert_allclose(m(x, good)[0], run_ort(model, x, good)[0], rtol=1e-6)
    for bad in (4, -2):  # class indices do not wrap
        with pytest.raises(IndexOutOfRangeError) as info:
            m(x, np.array([0, bad, 1]))
        assert (info.value.node, info.value.index, info.value.bound) == ("loss", bad, 4)
        assert f"node 'loss' ({op}): index {bad} is out of range for axis 1 of size 4 (valid: 0..3)" == str(info.value)


def test_rotary_embedding_position_ids():
    b, s, h, dh, max_pos = 1, 3, 2, 4, 5
    model = make(
        helper.make_node("RotaryEmbedding", ["x", "c", "s", "p"], ["y"], num_heads=h, name="rope"),
        [("x", F, [b, s, h * dh]), ("c", F, [max_pos, dh // 2]), ("s", F, [max_pos, dh // 2]), ("p", I64, [b, s])],
        [("y", F, [b, s, h * dh])],
    )
    model.opset_import[0].version = 23
    rng = np.random.default_rng(0)
    x = rng.standard_normal((b, s, h * dh)).astype(np.float32)
    c = rng.standard_normal((max_pos, dh // 2)).astype(np.float32)
    sn = rng.standard_normal((max_pos, dh // 2)).astype(np.float32)
    m = compile_model(model)
    good = np.array([[0, 4, 2]])
    np.testing.assert_allclose(m(x, c, sn, good)[0], run_ort(model, x, c, sn, good)[0], rtol=1e-5, atol=1e-6)
    for bad in (5, -1):
        with pytest.raises(IndexOutOfRangeError) as info:
            m(x, c, sn, np.array([[0, bad, 1]]))
        assert (info.value.node, info.value.index, info.value.bound) == ("rope", bad, max_pos)
        assert "(valid: 0..4)" in str(info.value)


@pytest.mark.parametrize("num_threads", [1, 2])
def test_checked_gathers_feeding_matmul_kernels(num_threads):
    # GatherElements fuses into its consumer, Gather's check loop does not; both
    # feed contraction kernels; two nodes -> two check ids, each named on failure
    nodes = [
        helper.make_node("GatherElements", ["d", "i"], ["g"], axis=1, name="ge"),
        helper.make_node("MatMul", ["g", "w"], ["y"], name="mm"),
        helper.make_node("Gather", ["e", "j"], ["h"], axis=0, name="emb"),
        helper.make_node("MatMul", ["h", "w"], ["z"], name="mm2"),
    ]
    vi = helper.make_tensor_value_info
    graph = helper.make_graph(
        nodes, "g",
        [vi("d", F, [64, 64]), vi("i", I64, [64, 64]), vi("w", F, [64, 64]), vi("e", F, [100, 64]), vi("j", I64, [64])],
        [vi("y", F, [64, 64]), vi("z", F, [64, 64])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    rng = np.random.default_rng(0)
    args = [
        rng.standard_normal((64, 64)).astype(np.float32), rng.integers(-64, 64, (64, 64)),
        rng.standard_normal((64, 64)).astype(np.float32), rng.standard_normal((100, 64)).astype(np.float32),
        rng.integers(-100, 100, 64),
    ]
    m = compile_model(model, num_threads=num_threads)
    for got, want in zip(m(*args), run_ort(model, *args)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    bad = list(args)
    bad[1] = bad[1].copy()
    bad[1][5, 5] = 64
    with pytest.raises(IndexOutOfRangeError, match=r"^node 'ge' \(GatherElements\): index 64 is out of range for axis 1 of size 64"):
        m(*bad)
    bad = list(args)
    bad[4] = bad[4].copy()
    bad[4][3] = -101
    with pytest.raises(IndexOutOfRangeError, match=r"^node 'emb' \(Gather\): index -101 is out of range for axis 0 of size 100"):
        m(*bad)


GUARD_PAGE_SCRIPT = r"""
import ctypes, mmap, sys
import numpy as np
from onnx import helper, TensorProto
from mlopt.backends.runtime import compile_model
from mlopt.errors import IndexOutOfRangeError

page = mmap.PAGESIZE
buf = mmap.mmap(-1, 2 * page)
base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
libc = ctypes.CDLL(None, use_errno=True)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
assert libc.mprotect(base + page, page, 0) == 0  # PROT_NONE: any access faults
rows, cols = 5, 4
d = np.frombuffer(buf, np.float32, rows * cols, page - rows * cols * 4).reshape(rows, cols)
d[:] = np.arange(rows * cols).reshape(rows, cols)
graph = helper.make_graph(
    [helper.make_node("Gather", ["d", "i"], ["y"], axis=0, name="g")], "g",
    [helper.make_tensor_value_info("d", TensorProto.FLOAT, [rows, cols]),
     helper.make_tensor_value_info("i", TensorProto.INT64, [3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, cols])])
m = compile_model(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)]))
print(m(d, np.array([4, -5, 0]))[0][0, 0])
for bad in (rows, rows + 1, 1 << 20):  # the rows just past the data are in the guard page
    try:
        m(d, np.array([0, bad, 1]))
    except IndexOutOfRangeError as e:
        print(e.index)
"""


def test_out_of_range_never_touches_a_guard_page():
    # data ends exactly at a PROT_NONE page: reading one row past it would kill the process
    res = subprocess.run(
        [sys.executable, "-c", GUARD_PAGE_SCRIPT], capture_output=True, text=True, timeout=600
    )
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["16.0", "5", "6", str(1 << 20)]


def test_grid_sample_non_finite_coordinates_stay_in_bounds():
    # NaN, inf and 1e30 grid coordinates are clamped before the float -> int
    # conversion (fptosi of them is poison); with zeros padding they sample 0
    model = make(
        helper.make_node("GridSample", ["x", "g"], ["y"], mode="nearest", padding_mode="zeros", name="gs"),
        [("x", F, [1, 1, 3, 3]), ("g", F, [1, 1, 5, 2])],
        [("y", F, [1, 1, 1, 5])],
    )
    model.opset_import[0].version = 20
    x = np.arange(9, dtype=np.float32).reshape(1, 1, 3, 3) + 1
    grid = np.array([[[[np.nan, 0], [np.inf, 0], [-np.inf, 0.5], [1e30, -1e30], [0.3, -0.2]]]], np.float32)
    y = compile_model(model)(x, grid)[0]
    np.testing.assert_array_equal(y.ravel(), [0, 0, 0, 0, 5])
    finite = grid[:, :, 4:, :]
    model2 = make(
        helper.make_node("GridSample", ["x", "g"], ["y"], mode="nearest", padding_mode="zeros", name="gs"),
        [("x", F, [1, 1, 3, 3]), ("g", F, [1, 1, 1, 2])],
        [("y", F, [1, 1, 1, 1])],
    )
    model2.opset_import[0].version = 20
    np.testing.assert_array_equal(compile_model(model2)(x, finite)[0], run_ort(model2, x, finite)[0])


def test_concurrent_calls_have_their_own_status():
    # ctypes releases the GIL: good and bad calls run at the same time from two
    # threads; each call's status record is its own
    import threading

    m = compile_model(gather_model())
    good, bad = np.array([0, 4, -1, -5]), np.array([0, 0, 0, 5])
    want = D35[:, [0, 4, 4, 0]]
    errors: list[str] = []

    def run_good():
        for _ in range(300):
            if not np.array_equal(m(D35, good)[0], want):
                errors.append("wrong result")

    def run_bad():
        for _ in range(300):
            try:
                m(D35, bad)
                errors.append("no error")
            except IndexOutOfRangeError as e:
                if e.index != 5:
                    errors.append(str(e))

    threads = [threading.Thread(target=run_good), threading.Thread(target=run_bad)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_gather_scalar_index():
    model = make(
        helper.make_node("Gather", ["d", "i"], ["y"], axis=1, name="g0"),
        [("d", F, [3, 5]), ("i", I64, [])],
        [("y", F, [3])],
    )
    m = compile_model(model)
    np.testing.assert_array_equal(m(D35, np.array(-2))[0], run_ort(model, D35, np.array(-2))[0])
    assert_raises_index(lambda: m(D35, np.array(5)), "g0", 5, 5, 1)

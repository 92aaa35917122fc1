"""onnx-mlir's versioned and extension ops compile (through onnx-upgrade) and
compute what their ONNX definitions say."""

from __future__ import annotations

import numpy as np

import mlopt

IR = """
func.func @main_graph(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<1xi64>, tensor<2x3x4x4xf32>, tensor<2x3x2x2xf32>, tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>, tensor<2x3x4x4xf32>) {
  %0 = "onnx.ReduceMeanV13"(%x) <{axes = [3], keepdims = 0 : si64}> : (tensor<2x3x4x4xf32>) -> tensor<2x3x4xf32>
  %1 = "onnx.Dim"(%x) {axis = 1 : si64} : (tensor<2x3x4x4xf32>) -> tensor<1xi64>
  %2 = "onnx.SoftmaxV11"(%x) {axis = 1 : si64} : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  %3 = "onnx.MaxPoolSingleOut"(%x) {kernel_shape = [2, 2], strides = [2, 2]} : (tensor<2x3x4x4xf32>) -> tensor<2x3x2x2xf32>
  %4 = "onnx.BatchNormalizationInferenceMode"(%x, %s, %s, %s, %s) {epsilon = 1.000000e-03 : f32} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  %5 = "onnx.UpsampleAndPad"(%x) {pads = [1, 0, 0, 1], strides = [2, 2]} : (tensor<2x3x4x4xf32>) -> tensor<2x3x8x8xf32>
  %6 = "onnx.ClipV6"(%x) {max = 5.000000e-01 : f32, min = -5.000000e-01 : f32} : (tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32>
  onnx.Return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3x4xf32>, tensor<1xi64>, tensor<2x3x4x4xf32>, tensor<2x3x2x2xf32>, tensor<2x3x4x4xf32>, tensor<2x3x8x8xf32>, tensor<2x3x4x4xf32>
}
"""


def test_upgraded_ops_compute_their_onnx_meaning():
    module = mlopt.parse(IR, mlopt.make_context())
    model = mlopt.compile(module)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4, 4)).astype(np.float32)
    s = rng.uniform(0.5, 1.5, 3).astype(np.float32)
    mean, dim, soft, pool, bn, up, clip = model(x, s)
    np.testing.assert_allclose(mean, x.mean(3), rtol=1e-5, atol=1e-6)
    assert dim.tolist() == [3]
    flat = x.reshape(2, 48)
    e = np.exp(flat - flat.max(1, keepdims=True))
    np.testing.assert_allclose(soft, (e / e.sum(1, keepdims=True)).reshape(x.shape), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(pool, x.reshape(2, 3, 2, 2, 2, 2).max((3, 5)), rtol=1e-6)
    c = s.reshape(1, 3, 1, 1)
    np.testing.assert_allclose(bn, (x - c) / np.sqrt(c + 1e-3) * c + c, rtol=1e-5, atol=1e-5)
    spread = np.zeros((2, 3, 7, 7), np.float32)
    spread[:, :, ::2, ::2] = x
    np.testing.assert_array_equal(up, np.pad(spread, ((0, 0), (0, 0), (1, 0), (0, 1))))
    np.testing.assert_array_equal(clip, np.clip(x, -0.5, 0.5))

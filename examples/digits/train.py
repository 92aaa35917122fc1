"""Train the digits MLP example and export it to ONNX.

A two-layer perceptron (64 -> 64 -> 10) is trained with plain numpy (full-batch
Adam on a cross-entropy loss) on scikit-learn's bundled 8x8 digits data set.
The result is written as an ONNX model built with ``onnx.helper``::

    input [N, 64] --Gemm(W1, b1)--> Relu --MatMul(W2)--> Add(b2) --> Softmax --> probabilities [N, 10]

Pixels are scaled to [0, 1] inside the model (a ``Mul`` by 1/16), so the model
takes the raw 0..16 pixel values of ``sklearn.datasets.load_digits``.

Outputs (written next to this script and, as package data, to ``mlopt/data/``):

* ``digits_mlp.onnx`` — the model;
* ``samples.npz`` — held-out samples: ``input`` (float32 [100, 64]) and
  ``labels`` (int64 [100]).

Run: ``python examples/digits/train.py`` (needs the ``examples`` extra:
scikit-learn). Training is seeded, so reruns give the same model.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
PACKAGE_DATA = HERE.parent.parent / "mlopt" / "data"

HIDDEN = 64
CLASSES = 10
NUM_SAMPLES = 100


def load_data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The digits data, split into train and held-out sets (raw pixels 0..16)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = digits.data.astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    n_test = 360
    return x[n_test:], y[n_test:], x[:n_test], y[:n_test]


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def forward(params: dict[str, np.ndarray], x: np.ndarray):
    h_pre = x @ params["w1"] + params["b1"]
    h = np.maximum(h_pre, 0.0)
    return h_pre, h, softmax(h @ params["w2"] + params["b2"])


def train(
    x: np.ndarray, y: np.ndarray, *, seed: int, epochs: int, lr: float, weight_decay: float
) -> dict[str, np.ndarray]:
    """Full-batch Adam on softmax cross-entropy; ``x`` is already scaled to [0, 1]."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = {
        "w1": rng.normal(0.0, np.sqrt(2.0 / d), (d, HIDDEN)),
        "b1": np.zeros(HIDDEN),
        "w2": rng.normal(0.0, np.sqrt(2.0 / HIDDEN), (HIDDEN, CLASSES)),
        "b2": np.zeros(CLASSES),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    onehot = np.eye(CLASSES)[y]
    x = x.astype(np.float64)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        h_pre, h, p = forward(params, x)
        dz2 = (p - onehot) / n
        grads = {"w2": h.T @ dz2 + weight_decay * params["w2"], "b2": dz2.sum(0)}
        dh = dz2 @ params["w2"].T
        dh[h_pre <= 0] = 0.0
        grads["w1"] = x.T @ dh + weight_decay * params["w1"]
        grads["b1"] = dh.sum(0)
        for k, g in grads.items():
            m[k] = beta1 * m[k] + (1 - beta1) * g
            v[k] = beta2 * v[k] + (1 - beta2) * g * g
            m_hat = m[k] / (1 - beta1**step)
            v_hat = v[k] / (1 - beta2**step)
            params[k] -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return {k: p.astype(np.float32) for k, p in params.items()}


def build_model(params: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The ONNX graph of the trained MLP (opset 17, symbolic batch dimension)."""
    inits = [
        numpy_helper.from_array(np.array([1.0 / 16.0], dtype=np.float32), "scale"),
        numpy_helper.from_array(params["w1"], "fc1.weight"),
        numpy_helper.from_array(params["b1"], "fc1.bias"),
        numpy_helper.from_array(params["w2"], "fc2.weight"),
        numpy_helper.from_array(params["b2"], "fc2.bias"),
    ]
    nodes = [
        helper.make_node("Mul", ["input", "scale"], ["scaled"], name="scale_pixels"),
        helper.make_node(
            "Gemm", ["scaled", "fc1.weight", "fc1.bias"], ["fc1"], name="fc1", alpha=1.0, beta=1.0
        ),
        helper.make_node("Relu", ["fc1"], ["relu1"], name="relu1"),
        helper.make_node("MatMul", ["relu1", "fc2.weight"], ["fc2_mm"], name="fc2_matmul"),
        helper.make_node("Add", ["fc2_mm", "fc2.bias"], ["logits"], name="fc2_bias"),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "digits_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 64])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", CLASSES])],
        initializer=inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17)],
        producer_name="mlopt-examples-digits",
        doc_string="MLP classifier for the 8x8 digits data set (raw pixel values 0..16).",
    )
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--out-dir", type=Path, default=HERE)
    ap.add_argument(
        "--no-package-data",
        action="store_true",
        help="do not copy the model and samples into mlopt/data/",
    )
    args = ap.parse_args(argv)

    x_train, y_train, x_test, y_test = load_data(args.seed)
    params = train(
        x_train / 16.0,
        y_train,
        seed=args.seed,
        epochs=args.epochs,
        lr=args.lr,
        weight_decay=args.weight_decay,
    )
    for name, x, y in (("train", x_train, y_train), ("held-out", x_test, y_test)):
        acc = (forward(params, x / 16.0)[2].argmax(1) == y).mean()
        print(f"{name} accuracy: {acc:.4f} ({len(y)} samples)")

    model = build_model(params)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    model_path = args.out_dir / "digits_mlp.onnx"
    samples_path = args.out_dir / "samples.npz"
    onnx.save(model, model_path)
    np.savez(
        samples_path,
        input=x_test[:NUM_SAMPLES].astype(np.float32),
        labels=y_test[:NUM_SAMPLES].astype(np.int64),
    )
    print(f"wrote {model_path} and {samples_path}")
    if not args.no_package_data:
        PACKAGE_DATA.mkdir(parents=True, exist_ok=True)
        for path in (model_path, samples_path):
            shutil.copyfile(path, PACKAGE_DATA / path.name)
        print(f"copied both to {PACKAGE_DATA}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""An example out-of-tree mlopt plugin.

It contributes the ``toy`` dialect (``toy.scale``, ``toy.axpy``), the passes
``toy-fold-scale`` and ``convert-toy-to-arith``, the named pipeline
``toy-to-arith``, and a lowering for the custom-domain ONNX op ``toy.Scale``.
mlopt finds it through the entry point declared in ``pyproject.toml``; before
installing, try it with ``mlopt --load-plugin path/to/mlopt_example_plugin``.
"""

from __future__ import annotations

from mlopt.plugins import Plugin

from mlopt_example_plugin.dialect import Toy
from mlopt_example_plugin.fold import ToyFoldScalePass
from mlopt_example_plugin.to_arith import ConvertToyToArithPass


def _lower_onnx_scale():
    """The ONNX lowering, imported on first use: every mlopt run imports
    installed plugins, so keep what runs at import time light."""
    from mlopt_example_plugin.onnx_lowering import LowerOnnxScale

    return LowerOnnxScale()


plugin = Plugin(
    name="toy",
    description="the toy dialect: toy.scale / toy.axpy and their lowering to arith",
    dialects=[Toy],
    passes=[ToyFoldScalePass, ConvertToyToArithPass],
    pipelines={
        "toy-to-arith": "toy-fold-scale,convert-toy-to-arith,canonicalize,cse",
    },
    onnx_lowerings={"toy.Scale": _lower_onnx_scale},
)

"""``convert-onnx-to-tensor``: ONNX ops -> linalg.generic / tensor / arith / math.

Layout (one module per op family; the pass is in :mod:`.convert`):

* :mod:`.common` -- the shared, stable helpers: the ``@lowering("OpType",
  honours=...)`` registry and its attribute gate, :class:`~.common.Emitter` (collects the replacement ops, reports
  errors naming the node), :func:`~.common.generic` (a ``linalg.generic`` in
  destination-passing style), :func:`~.common.map_elementwise` (numpy
  broadcasting), :func:`~.common.reduce_generic`, :class:`~.common.Body` (scalar
  builders with float / signed / unsigned / bool semantics), reshapes and
  slices, ``constant_array``/``require_constant`` for compile-time operands;
* :mod:`.constants`, :mod:`.elementwise`, :mod:`.matmul`, :mod:`.conv`,
  :mod:`.pooling`, :mod:`.normalization`, :mod:`.reduction`, :mod:`.shape`,
  :mod:`.gather`, :mod:`.misc`, :mod:`.loss`, :mod:`.rnn` -- the families.

Adding an op: write ``@lowering("MyOp", honours=("axis", ...)) def
lower_my_op(em, op): ...`` in the module of its family (a new module must be
listed in ``convert.FAMILIES``), returning the replacement value(s) for the op's
results (``None`` for an absent optional result); raise ``em.fail("...")`` for
what cannot be compiled. ``honours`` lists the attributes the lowering
implements (or rejects itself); the pass rejects any other attribute that has a
non-default value, and ``test_attribute_coverage.py`` checks every attribute of
the op's schema. Add a lit test in ``test/onnx_to_tensor/`` and, for anything
numeric, a case in ``test_differential.py``. Plugins register lowerings for their own op names
with ``Registry.add_onnx_lowering`` instead.
"""

from mlopt.passes.onnx_to_tensor.convert import ConvertOnnxToTensor, supported_op_names

__all__ = ["ConvertOnnxToTensor", "supported_op_names"]

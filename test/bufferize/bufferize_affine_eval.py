"""Run a function at contract level C (affine + memref) on numpy arrays with
xDSL's interpreter.  For tests only: small inputs, slow."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects import affine, arith, func, memref
from xdsl.dialects.builtin import FloatAttr, MemRefType, ModuleOp
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls
from xdsl.interpreters import register_implementations
from xdsl.interpreters.builtin import scalar_attr, xtype_for_el_type
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr

import mlopt


@register_impls
class _ViewFunctions(InterpreterFunctions):
    """collapse/expand_shape of contiguous buffers: same data, new shape."""

    @impl(memref.CollapseShapeOp)
    def run_collapse(self, interpreter: Interpreter, op: memref.CollapseShapeOp, args: Any):
        return (ShapedArray(args[0].data_ptr, list(op.result.type.get_shape())),)

    @impl(memref.ExpandShapeOp)
    def run_expand(self, interpreter: Interpreter, op: memref.ExpandShapeOp, args: Any):
        return (ShapedArray(args[0].data_ptr, list(op.result.type.get_shape())),)


    @impl(affine.ForOp)
    def run_for(self, interpreter: Interpreter, op: affine.ForOp, args: Any):
        """affine.for with constant bounds and iter_args."""
        lo = op.lowerBoundMap.data.eval([], [])[0]
        hi = op.upperBoundMap.data.eval([], [])[0]
        carried = tuple(args)
        for i in range(lo, hi, op.step.value.data):
            iv = scalar_attr(i, op.body.block.args[0].type, interpreter.index_bitwidth)
            carried = tuple(interpreter.run_ssacfg_region(op.body, (iv, *carried)))
        return carried

    @impl(arith.NegfOp)
    def run_negf(self, interpreter: Interpreter, op: arith.NegfOp, args: Any):
        return (FloatAttr(-args[0].value.data, op.result.type),)

    @impl(arith.SIToFPOp)
    def run_sitofp(self, interpreter: Interpreter, op: arith.SIToFPOp, args: Any):
        return (FloatAttr(float(args[0].value.data), op.result.type),)


def _to_shaped(a: np.ndarray, t: MemRefType) -> ShapedArray:
    xtype = xtype_for_el_type(t.get_element_type(), 64)
    data = [x.item() for x in a.reshape(-1)]
    return ShapedArray(TypedPtr.new(data, xtype=xtype), list(t.get_shape()))


def run_level_c(module: ModuleOp, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Call the ``mlopt.entry`` function of ``module`` and return its out-params."""
    fn = next(
        op for op in module.walk() if isinstance(op, func.FuncOp) and "mlopt.entry" in op.attributes
    )
    n_in = fn.attributes["mlopt.num_inputs"].value.data
    types = list(fn.function_type.inputs.data)
    assert len(inputs) == n_in
    args = [_to_shaped(np.asarray(a), t) for a, t in zip(inputs, types[:n_in])]
    outs = []
    for t in types[n_in:]:
        dtype = np.float64 if "f" in str(t.get_element_type()) else np.int64
        outs.append(_to_shaped(np.zeros(t.get_shape(), dtype), t))
    interp = Interpreter(module)
    register_implementations(interp, mlopt.make_context())
    interp.register_implementations(_ViewFunctions(), override=True)
    interp.call_op(fn, (*args, *outs))
    return [np.array(o.data, dtype=np.float64).reshape(o.shape) for o in outs]

"""`convert-func-to-llvm`: ``func.func``/``call``/``return`` -> ``llvm.*``.

Memref parameters become bare ``!llvm.ptr``; ``index`` becomes ``i64``. The
entry function (unit attribute ``mlopt.entry``) gets the plain C ABI
``void name(ptr, ptr, ...)``, exported under the function's name (suffixed
``_mlopt`` by the pass declaring a C function of the same name, e.g. ``tanh``), with
``noalias`` on every pointer parameter (the runtime passes distinct buffers),
which lets LLVM vectorise without runtime alias checks. ``private`` functions
get internal linkage, others external. ``mlopt.*`` attributes are kept on the
``llvm.func``. All blocks of a converted function get llvm-typed arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, func, llvm
from xdsl.dialects.builtin import ArrayAttr, DictionaryAttr, IntegerAttr, StringAttr, UnitAttr
from xdsl.ir import SSAValue, Attribute, Operation
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import PatternRewriter, PatternRewriteWalker, RewritePattern

from mlopt.passes.to_llvm.common import (
    PTR,
    LLVMLoweringError,
    convert_block_args,
    convert_type,
    describe,
    llvm_func_type,
    replace_with_llvm,
    to_llvm_operands,
)


def _arg_names(op: func.FuncOp) -> list[str] | None:
    if op.arg_attrs is None:
        return None
    names: list[str] = []
    outputs = op.attributes.get("onnx.output_names")
    n_in = op.attributes.get("mlopt.num_inputs")
    for i, attrs in enumerate(op.arg_attrs.data):
        if (
            isinstance(outputs, ArrayAttr)
            and isinstance(n_in, IntegerAttr)
            and 0 <= i - n_in.value.data < len(outputs.data)
        ):
            names.append(outputs.data[i - n_in.value.data].data)  # type: ignore[attr-defined]
            continue
        name = attrs.data.get("onnx.name") or attrs.data.get("mlopt.name")
        names.append(name.data if isinstance(name, StringAttr) else f"arg{i}")
    return names


class FuncToLLVMPattern(RewritePattern):
    def __init__(self) -> None:
        self.cache: dict[SSAValue, SSAValue] = {}

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /):
        match op:
            case func.FuncOp():
                self._func(op, rewriter)
            case func.ReturnOp():
                args = to_llvm_operands(rewriter, op, op.arguments, self.cache)
                if len(args) > 1:
                    raise LLVMLoweringError(f"multiple results are not supported at {describe(op)}")
                rewriter.replace(op, [llvm.ReturnOp(args[0] if args else None)], [])
            case func.CallOp():
                args = to_llvm_operands(rewriter, op, op.arguments, self.cache)
                results = [convert_type(r.type, op) for r in op.res]
                if len(results) > 1:
                    raise LLVMLoweringError(f"multiple results are not supported at {describe(op)}")
                call = llvm.CallOp(
                    op.callee, *args, return_type=results[0] if results else None
                )
                new_results = [call.returned] if call.returned is not None else []
                replace_with_llvm(rewriter, op, [call], new_results)  # type: ignore[arg-type]
            case _:
                return

    def _func(self, op: func.FuncOp, rewriter: PatternRewriter) -> None:
        ftype = op.function_type
        inputs = [convert_type(t, op) for t in ftype.inputs]
        outputs = [convert_type(t, op) for t in ftype.outputs]
        llvm_type = llvm_func_type(inputs, outputs)
        is_entry = "mlopt.entry" in op.attributes
        private = op.sym_visibility is not None and op.sym_visibility.data == "private"
        has_body = bool(op.body.blocks)
        linkage = "internal" if (private and has_body and not is_entry) else "external"
        extra = {
            k: v for k, v in op.attributes.items() if k.startswith(("mlopt.", "onnx.output_names"))
        }
        if is_entry:
            # keep the memref-level signature: the runtime reads shapes/dtypes from it
            extra["mlopt.arg_types"] = ArrayAttr(list(ftype.inputs))
            names = _arg_names(op)
            if names is not None:
                extra["mlopt.arg_names"] = ArrayAttr([StringAttr(n) for n in names])
        other: dict[str, Attribute | None] = {}
        if is_entry:
            arg_attrs: list[Attribute] = []
            for t in inputs:
                d: dict[str, Attribute] = {}
                if t == PTR:
                    d["llvm.noalias"] = UnitAttr()
                arg_attrs.append(DictionaryAttr(d))
            other["arg_attrs"] = ArrayAttr(arg_attrs)
        body = rewriter.move_region_contents_to_new_regions(op.body)
        for block in body.blocks:
            convert_block_args(block)
        new = llvm.FuncOp(
            op.sym_name,
            llvm_type,
            linkage=llvm.LinkageAttr(linkage),
            body=body,
            other_props=other,
            extra_attrs=extra,
        )
        rewriter.replace(op, [new], [])


@dataclass(frozen=True)
class ConvertFuncToLLVMPass(ModulePass):
    """func.func/call/return -> llvm.func/call/return (C ABI over data pointers)."""

    name = "convert-func-to-llvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PatternRewriteWalker(FuncToLLVMPattern(), apply_recursively=False).rewrite_module(op)

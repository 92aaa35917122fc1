"""`lower-index-checks`: ``mlopt.check_index`` -> arith/scf, and the entry's error status.

Accepts the affine level (after ``convert-linalg-to-affine``, before
``outline-parallel-loops``). For every function containing a check (it must be
an entry, ``mlopt.entry``):

* a trailing argument ``%status: memref<8xi64>`` is added (the C ABI's
  ``int64_t *status``; see :data:`STATUS_WORDS`) and the function returns
  ``i32``: ``status[0]`` after the body ran, 0 when every check passed. The
  entry clears ``status[0]`` first; the other words are only written on a
  failure;
* each ``mlopt.check_index %i, %bound, %axis`` becomes one unsigned compare and
  a select (``n = i < 0 ? i + bound : i``; ``bad = n >=u bound``; result
  ``bad ? 0 : n``) and, under ``scf.if %bad``, a call of
  ``@mlopt_index_check_failed(%status, id, i, bound, axis)``, whose body the LLVM
  translation provides (:func:`mlopt.backends.llvm.translate`): an atomic
  compare-and-swap of ``status[0]`` from 0 to :data:`STATUS_INDEX_OUT_OF_RANGE`;
  the thread that wins stores ``status[1..4] = id, i, bound, axis``. So the
  first failure is recorded whole even when loops run on several threads
  (``outline-parallel-loops`` passes ``%status`` to the outlined bodies like any
  captured buffer). Execution continues with index 0, which is in range: no
  index value can make the code read or write out of bounds;
* the table of check ids is recorded as the function attribute
  ``mlopt.index_checks = [["<node>", "<op type>", "wrap"|"nowrap"], ...]``
  (``id`` is the position; ``nowrap``: an ``unsigned`` check, negative indices
  are out of range); ``convert-func-to-llvm`` keeps it on the ``llvm.func``, the
  runtime and the C header read it (:func:`read_check_table`).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, func, memref, scf
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    FunctionType,
    IndexType,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    StringAttr,
    i32,
    i64,
)
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from mlopt.backends.llvm.abi import STATUS_WORDS, TABLE_ATTR
from mlopt.dialects.mlopt import CheckIndexOp
from mlopt.errors import CompileError
from mlopt.tools.diagnostics import OpDiagnosticError

STATUS_TYPE = MemRefType(i64, [STATUS_WORDS])
FAIL_FN = "mlopt_index_check_failed"


class IndexCheckError(OpDiagnosticError, CompileError):
    """An index check this pass cannot lower (reported at the op's location)."""


def _const(value: int, typ, ops: list[Operation]) -> SSAValue:
    c = arith.ConstantOp(IntegerAttr(value, typ))
    ops.append(c)
    return c.result


def _lower_check(op: CheckIndexOp, status: SSAValue, check_id: int) -> None:
    ops: list[Operation] = []
    i, bound, axis = op.index, op.bound, op.axis
    zero = _const(0, IndexType(), ops)
    n = i
    if op.unsigned is None:
        neg = arith.CmpiOp(i, zero, "slt")
        wrapped = arith.AddiOp(i, bound)
        sel = arith.SelectOp(neg, wrapped, i)
        ops += [neg, wrapped, sel]
        n = sel.result
    bad = arith.CmpiOp(n, bound, "uge")
    ops.append(bad)
    then: list[Operation] = []
    args = [status, _const(check_id, i64, then)]
    for v in (i, bound, axis):
        cast = arith.IndexCastOp(v, i64)
        then.append(cast)
        args.append(cast.result)
    then += [func.CallOp(FAIL_FN, args, []), scf.YieldOp()]
    safe = arith.SelectOp(bad, zero, n)
    ops += [scf.IfOp(bad, [], then), safe]
    Rewriter.replace_op(op, ops, [safe.result])


def _add_status(fn: func.FuncOp) -> SSAValue:
    if fn.function_type.outputs.data:
        raise IndexCheckError(
            fn,
            f"lower-index-checks: @{fn.sym_name.data} already returns a value; "
            "an entry with index checks returns the error status",
        )
    block = fn.body.blocks[0]
    status = block.insert_arg(STATUS_TYPE, len(block.args))
    fn.function_type = FunctionType.from_lists([*fn.function_type.inputs.data, STATUS_TYPE], [i32])
    if fn.arg_attrs is not None:
        fn.arg_attrs = ArrayAttr(
            [*fn.arg_attrs.data, DictionaryAttr({"mlopt.name": StringAttr("status")})]
        )
    ops: list[Operation] = []
    idx0 = _const(0, IndexType(), ops)
    ops.append(memref.StoreOp.get(_const(0, i64, ops), status, [idx0]))
    if block.first_op is None:
        block.add_ops(ops)
    else:
        block.insert_ops_before(ops, block.first_op)
    for ret in [o for o in fn.walk() if isinstance(o, func.ReturnOp)]:
        code_ops: list[Operation] = []
        load = memref.LoadOp.get(status, [_const(0, IndexType(), code_ops)])
        code = arith.TruncIOp(load.res, i32)
        code_ops += [load, code]
        Rewriter.replace_op(ret, [*code_ops, func.ReturnOp(code)])
    return status


def _enclosing_func(op: Operation) -> func.FuncOp | None:
    p = op.parent_op()
    while p is not None and not isinstance(p, func.FuncOp):
        p = p.parent_op()
    return p


@dataclass(frozen=True)
class LowerIndexChecksPass(ModulePass):
    """mlopt.check_index -> compare/select + failure record; entry gets the status argument."""

    name = "lower-index-checks"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        groups: dict[func.FuncOp, list[CheckIndexOp]] = {}
        for inner in op.walk():
            if isinstance(inner, CheckIndexOp):
                fn = _enclosing_func(inner)
                if fn is None or "mlopt.entry" not in fn.attributes:
                    where = f"@{fn.sym_name.data}" if fn is not None else "outside any function"
                    raise IndexCheckError(
                        inner,
                        f"lower-index-checks: mlopt.check_index in {where}; index checks "
                        "are only supported in an entry function (mlopt.entry)",
                    )
                groups.setdefault(fn, []).append(inner)
        if not groups:
            return
        for fn, checks in groups.items():
            status = _add_status(fn)
            table: dict[tuple[str, str, str], int] = {}
            for check in checks:
                wrap = "nowrap" if check.unsigned is not None else "wrap"
                key = (check.node.data, check.op_type.data, wrap)
                check_id = table.setdefault(key, len(table))
                _lower_check(check, status, check_id)
            fn.attributes[TABLE_ATTR] = ArrayAttr(
                [ArrayAttr([StringAttr(c) for c in key]) for key in table]
            )
        if not any(isinstance(o, func.FuncOp) and o.sym_name.data == FAIL_FN for o in op.ops):
            decl = func.FuncOp.external(FAIL_FN, [STATUS_TYPE, i64, i64, i64, i64], [])
            op.body.block.add_op(decl)

"""``llvm.fptosi``, ``llvm.fptoui`` and ``llvm.uitofp``, which xDSL's llvm dialect lacks.

The first two are LLVM's plain float-to-integer conversions (poison out of
range); the kernels' epilogues convert vectors with all three.
`convert-arith-to-llvm` uses them for a conversion whose operand is clamped to
the integer type's range (a QuantizeLinear), where the saturating intrinsics
it uses otherwise (``llvm.fptosi.sat``) are scalarised by LLVM's x86 backend.
``mlopt.dialects.get_mlopt_dialects`` registers xDSL's llvm dialect with these
two ops added (docs/upstream.md); ``translate`` emits them.
"""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.llvm import GenericCastOp
from xdsl.ir import Dialect
from xdsl.irdl import irdl_op_definition


@irdl_op_definition
class FPToSIOp(GenericCastOp):
    name = "llvm.fptosi"


@irdl_op_definition
class FPToUIOp(GenericCastOp):
    name = "llvm.fptoui"


@irdl_op_definition
class UIToFPOp(GenericCastOp):
    name = "llvm.uitofp"


def llvm_dialect() -> Dialect:
    """xDSL's llvm dialect with ``llvm.fptosi`` / ``llvm.fptoui`` / ``llvm.uitofp``."""
    base = llvm.LLVM
    ops = list(base.operations)
    ops += [op for op in (FPToSIOp, FPToUIOp, UIToFPOp) if op not in ops]
    return Dialect(base.name, ops, list(base.attributes))

"""llvm dialect -> llvmlite IR, built on ``xdsl.backend.llvm``.

xDSL's ``convert_op`` translates most llvm-dialect ops; this module drives it
function by function and adds what mlopt needs on top:

* function linkage (``internal`` helpers) and parameter attributes;
* weights: an ``llvm.mlir.global`` holding a dense constant is *not* written
  into the LLVM IR. With ``weights="external"`` it becomes an external
  declaration whose address the JIT binds to a numpy buffer; with
  ``weights="indirect"`` (object files / shared libraries) the code reads the
  address from an exported pointer variable ``<name>__ptr`` that the loader
  sets before the first call (the JIT does so too: its objects are the ones a
  saved artefact or a shared library holds); ``weights="inline"`` keeps the
  data in the IR;
* zero-initialised internal globals (uninitialised ``memref.global``);
* the body of ``mlopt_index_check_failed`` (declared by ``lower-index-checks``):
  an atomic compare-and-swap of ``status[0]`` from 0 to the error code, and, by
  the thread that wins, ``status[1..4] = check id, index, bound, axis``;
* clear errors naming the op that cannot be translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import llvmlite.ir as ir
import numpy as np
from xdsl.backend.llvm.convert_op import convert_op as xdsl_convert_op
from xdsl.backend.llvm.convert_op import create_constant
from xdsl.backend.llvm.convert_type import convert_type
from xdsl.dialects import builtin, llvm
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
)
from xdsl.ir import Block, Operation, SSAValue

from mlopt.backends.llvm.abi import (
    STATUS_INDEX_OUT_OF_RANGE,
    WEIGHT_PTR_SUFFIX,
    CheckInfo,
    LLVMTranslationError,
    read_check_table,
    weight_offsets,
)
from mlopt.dialects.llvm_casts import FPToSIOp, FPToUIOp, UIToFPOp
from mlopt.passes.index_checks import FAIL_FN as INDEX_FAIL_FN


_ARG_FLAGS = {
    "llvm.noalias": "noalias",
    "llvm.nonnull": "nonnull",
    "llvm.noundef": "noundef",
    "llvm.readonly": "readonly",
    "llvm.writeonly": "writeonly",
}


def numpy_dtype(typ: object) -> np.dtype:
    """The numpy dtype of a scalar element type."""
    if isinstance(typ, builtin.Float16Type):
        return np.dtype(np.float16)
    if isinstance(typ, builtin.BFloat16Type):
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    if isinstance(typ, builtin.Float32Type):
        return np.dtype(np.float32)
    if isinstance(typ, builtin.Float64Type):
        return np.dtype(np.float64)
    if isinstance(typ, builtin.IndexType):
        return np.dtype(np.int64)
    if isinstance(typ, IntegerType):
        width = typ.width.data
        if width == 1:
            return np.dtype(np.bool_)
        unsigned = typ.signedness.data == builtin.Signedness.UNSIGNED
        if width in (8, 16, 32, 64):
            return np.dtype(f"{'u' if unsigned else 'i'}{width // 8}")
    raise LLVMTranslationError(f"no numpy dtype for element type {typ}")


def dense_to_numpy(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """The data of a dense attribute as a C-contiguous numpy array (no copy if possible)."""
    elem = attr.get_element_type()
    shape = tuple(attr.get_shape())
    raw = attr.data.data
    if isinstance(elem, IntegerType) and elem.width.data == 1:
        flat = np.frombuffer(raw, dtype=np.uint8) != 0
    else:
        flat = np.frombuffer(raw, dtype=numpy_dtype(elem))
    n = int(np.prod(shape)) if shape else 1
    if flat.size == 1 and n != 1:
        return np.full(shape, flat[0], dtype=flat.dtype)
    if flat.size != n:
        raise LLVMTranslationError(f"dense attribute holds {flat.size} values for shape {shape}")
    return flat.reshape(shape)


@dataclass
class Translation:
    """An llvmlite module plus the weights it expects to be bound at load time."""

    module: ir.Module
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    entry: str | None = None
    entry_num_args: int = 0
    #: the entry returns an ``int32_t`` error status and its last argument is
    #: the ``int64_t status[8]`` record (it has index checks)
    entry_status: bool = False
    #: check id -> (node name, op type, wraps) of the entry's index checks
    index_checks: list[CheckInfo] = field(default_factory=list)


def _declare_function(op: llvm.FuncOp, module: ir.Module) -> ir.Function:
    ftype = op.function_type
    fnty = ir.FunctionType(
        convert_type(ftype.output),
        [convert_type(t) for t in ftype.inputs],
        var_arg=ftype.is_variadic,
    )
    fn = ir.Function(module, fnty, name=op.sym_name.data)
    if op.body.blocks and op.linkage.linkage.data in ("internal", "private"):
        fn.linkage = "internal"
    if op.arg_attrs is not None:
        for arg, attrs in zip(fn.args, op.arg_attrs.data):
            for name in attrs.data:
                if name in _ARG_FLAGS:
                    arg.add_attribute(_ARG_FLAGS[name])
    fn.attributes.add("nounwind")
    return fn


class _FunctionTranslator:
    def __init__(self, op: llvm.FuncOp, fn: ir.Function, indirect: dict[str, ir.GlobalVariable]):
        self.op = op
        self.fn = fn
        self.indirect = indirect

    def run(self) -> None:
        blocks: dict[Block, ir.Block] = {}
        values: dict[SSAValue, ir.Value] = {}
        all_blocks = list(self.op.body.blocks)
        for i, block in enumerate(all_blocks):
            blocks[block] = self.fn.append_basic_block(name=f"bb{i}")
        for arg, llvm_arg in zip(all_blocks[0].args, self.fn.args):
            values[arg] = llvm_arg
        for block in all_blocks[1:]:
            builder = ir.IRBuilder(blocks[block])
            for arg in block.args:
                values[arg] = builder.phi(convert_type(arg.type))
        for block in all_blocks:
            builder = ir.IRBuilder(blocks[block])
            if blocks[block].instructions:
                builder.position_after(blocks[block].instructions[-1])
            for inner in block.ops:
                self.convert(inner, builder, values, blocks)

    def convert(
        self,
        op: Operation,
        builder: ir.IRBuilder,
        values: dict[SSAValue, ir.Value],
        blocks: dict[Block, ir.Block],
    ) -> None:
        if isinstance(op, llvm.AddressOfOp):
            name = op.global_name.root_reference.data
            if name in self.indirect:
                # set before the first call and never during one: LLVM may hoist the load
                load = builder.load(self.indirect[name], typ=ir.PointerType())
                load.set_metadata("invariant.load", builder.module.add_metadata([]))
                values[op.result] = load
                return
        if isinstance(op, FPToSIOp | FPToUIOp | UIToFPOp):
            conv = {FPToSIOp: builder.fptosi, FPToUIOp: builder.fptoui, UIToFPOp: builder.uitofp}[type(op)]
            values[op.result] = conv(values[op.arg], convert_type(op.result.type))
            return
        if isinstance(op, llvm.AllocaOp) and op.alignment is not None:
            instr = builder.alloca(convert_type(op.elem_type), size=values[op.size])
            instr.align = op.alignment.value.data
            values[op.res] = instr
            return
        try:
            xdsl_convert_op(op, builder, values, blocks)
        except NotImplementedError as exc:
            raise LLVMTranslationError(
                f"cannot translate '{op.name}' in @{self.op.sym_name.data} to LLVM IR: {exc}"
            ) from None
        except KeyError as exc:
            raise LLVMTranslationError(
                f"cannot translate '{op.name}' in @{self.op.sym_name.data}: "
                f"operand or symbol {exc} is undefined"
            ) from None


def translate_module(
    module: ModuleOp, *, weights: str = "external", triple: str | None = None
) -> Translation:
    """Translate an llvm-dialect module (see the module docstring for ``weights``)."""
    if weights not in ("external", "indirect", "inline"):
        raise ValueError(f"weights must be external, indirect or inline, not {weights!r}")
    out = ir.Module(name="mlopt")
    if triple is None:
        from llvmlite import binding

        triple = binding.get_default_triple()
    else:
        from mlopt.backends.llvm.target import check_triple

        check_triple(triple)  # TargetError for an architecture this LLVM lacks
    out.triple = triple
    result = Translation(out)
    indirect: dict[str, ir.GlobalVariable] = {}
    funcs: list[tuple[llvm.FuncOp, ir.Function]] = []

    for op in module.ops:
        if isinstance(op, llvm.GlobalOp):
            _translate_global(op, out, weights, result, indirect)
        elif isinstance(op, llvm.FuncOp):
            funcs.append((op, _declare_function(op, out)))
        else:
            bad = [o for o in op.walk() if o.dialect_name() != "llvm"]
            name = bad[0].name if bad else op.name
            raise LLVMTranslationError(
                f"module is not fully lowered to the llvm dialect: found '{name}'"
            )
    for op, fn in funcs:
        _check_lowered(op)
        if "mlopt.entry" in op.attributes:
            result.entry = op.sym_name.data
            result.entry_num_args = len(op.function_type.inputs)
            table = read_check_table(op.attributes.get("mlopt.index_checks"))
            if table is not None:
                result.entry_status = True
                result.index_checks = table
        if op.sym_name.data == INDEX_FAIL_FN and not op.body.blocks:
            _define_index_failure(fn)
        if op.body.blocks:
            _FunctionTranslator(op, fn, indirect).run()
    if indirect:
        _add_bind_function(out, result, indirect)
    return result


def bind_function_name(translation: Translation) -> str:
    return f"{translation.entry or 'mlopt'}_bind_weights"


def _add_bind_function(
    out: ir.Module, result: Translation, indirect: dict[str, ir.GlobalVariable]
) -> None:
    """``void <entry>_bind_weights(const void *blob)``: point every weight into ``blob``."""
    fn = ir.Function(
        out, ir.FunctionType(ir.VoidType(), [ir.PointerType()]), name=bind_function_name(result)
    )
    builder = ir.IRBuilder(fn.append_basic_block("entry"))
    i8 = ir.IntType(8)
    for name, offset in weight_offsets(result.weights).items():
        addr = builder.gep(fn.args[0], [ir.Constant(ir.IntType(64), offset)], source_etype=i8)
        builder.store(addr, indirect[name])
    builder.ret_void()


def _define_index_failure(fn: ir.Function) -> None:
    """``void mlopt_index_check_failed(i64 *status, i64 id, i64 index, i64 bound, i64 axis)``."""
    fn.linkage = "internal"
    fn.attributes.add("cold")
    fn.attributes.add("noinline")
    i64 = ir.IntType(64)
    status, *fields = fn.args
    builder = ir.IRBuilder(fn.append_basic_block("entry"))
    pair = builder.cmpxchg(
        status, ir.Constant(i64, 0), ir.Constant(i64, STATUS_INDEX_OUT_OF_RANGE), "acq_rel", "monotonic"
    )
    with builder.if_then(builder.extract_value(pair, 1)):
        for k, v in enumerate(fields, 1):
            builder.store(v, builder.gep(status, [ir.Constant(i64, k)], source_etype=i64))
    builder.ret_void()


def _check_lowered(op: llvm.FuncOp) -> None:
    foreign = [o for o in op.walk() if o is not op and o.dialect_name() != "llvm"]
    if not foreign:
        return
    real = [o for o in foreign if not isinstance(o, builtin.UnrealizedConversionCastOp)]
    if real:
        raise LLVMTranslationError(
            f"@{op.sym_name.data} is not fully lowered to the llvm dialect: "
            f"found '{real[0].name}'"
        )
    cast = foreign[0]
    raise LLVMTranslationError(
        f"@{op.sym_name.data} still converts {cast.operands[0].type} to "
        f"{cast.results[0].type} (builtin.unrealized_conversion_cast): some op using it "
        "was not lowered; run the full affine-to-llvm pipeline"
    )


def _translate_global(
    op: llvm.GlobalOp,
    out: ir.Module,
    weights: str,
    result: Translation,
    indirect: dict[str, ir.GlobalVariable],
) -> None:
    name = op.sym_name.data
    typ = convert_type(op.global_type)
    value = op.value
    addrspace = op.addr_space.value.data
    if isinstance(value, DenseIntOrFPElementsAttr) and weights != "inline":
        data = np.ascontiguousarray(dense_to_numpy(value))
        result.weights[name] = data
        if weights == "external":
            gv = ir.GlobalVariable(out, typ, name=name, addrspace=addrspace)
            gv.linkage = "external"
            gv.global_constant = op.constant is not None
        else:
            ptr = ir.GlobalVariable(out, ir.PointerType(), name=name + WEIGHT_PTR_SUFFIX)
            ptr.initializer = ir.Constant(ir.PointerType(), None)
            indirect[name] = ptr
        return
    gv = ir.GlobalVariable(out, typ, name=name, addrspace=addrspace)
    linkage = op.linkage.linkage.data
    if value is None:
        if linkage in ("internal", "private"):
            gv.initializer = ir.Constant(typ, None)
            gv.linkage = "internal"
        else:
            gv.linkage = "external"
    else:
        if isinstance(value, StringAttr):
            raw = value.data.encode()
            gv.initializer = ir.Constant(ir.ArrayType(ir.IntType(8), len(raw)), bytearray(raw))
        elif isinstance(value, DenseIntOrFPElementsAttr):
            flat = dense_to_numpy(value).reshape(-1)
            if not isinstance(typ, ir.ArrayType):
                raise LLVMTranslationError(f"global @{name}: dense value needs an array type")
            if isinstance(typ.element, ir.IntType):
                gv.initializer = ir.Constant(typ, [int(x) for x in flat])
            else:
                gv.initializer = ir.Constant(typ, [float(x) for x in flat])
        elif isinstance(value, IntegerAttr | builtin.FloatAttr):
            gv.initializer = create_constant(op.global_type, value)
        else:
            raise LLVMTranslationError(f"global @{name}: unsupported initial value")
        if linkage in ("internal", "private"):
            gv.linkage = "internal"
    gv.global_constant = op.constant is not None
    if op.alignment is not None:
        gv.align = op.alignment.value.data

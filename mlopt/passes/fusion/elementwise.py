"""`linalg-fuse-elementwise`: fuse elementwise producers into their consumers.

Accepts the tensor level (``linalg.generic`` on tensors).  A producer
``linalg.generic`` P is fused into a consumer ``linalg.generic`` C that reads
P's result as an input when

* every iterator of P is parallel and P has one result, all of whose uses are
  inputs of C read through the same map (a producer used elsewhere is kept as
  is: fusing it would compute it more than once);
* P's output indexing map is a permutation, and so is C's map for the operand
  (each element of P is computed exactly once by C — no broadcast fusion);
* P's body does not read its output argument (or reads it: P's init tensor then
  becomes an input of the fused op);
* the fused op's loop ranges are still given by its operands' shapes (every
  loop dim a plain result of some map): a broadcasting P (``(d0) -> ()``) read
  by a reduction over d0 is the only operand bounding d0, and stays unfused.

The fused op has C's iterators, outputs and results; its inputs are C's other
inputs followed by P's inputs with composed indexing maps
``P_in ∘ P_out⁻¹ ∘ C_in`` (an operand already present with the same map is
reused); its body is P's body (``linalg.index`` renumbered into C's dims)
followed by C's, C's argument for the operand replaced by P's yielded value.
C may have reduction iterators (e.g. ReduceSum of an elementwise expression).
Chains (Add -> Relu -> Mul ...) collapse into one op, so the affine lowering
emits one loop nest and no intermediate buffers.

An input that is a splat ``arith.constant`` (a rank-0 scale or zero point of
the quantized ops, a broadcast constant) becomes an ``arith.constant`` scalar
at the start of the body, as MLIR's ``FoldScalarOrSplatConstant`` does, when
the other operands still give every loop's range: the contraction kernels
fuse an epilogue whose operands are scalars or tensors of the output's shape,
and a ``memref<f32>`` of one constant is neither.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith, tensor
from xdsl.dialects.builtin import (
    AffineMapAttr,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    ShapedType,
    TensorType,
)
from xdsl.dialects.linalg.attrs import IteratorType
from xdsl.dialects.linalg.ops import GenericOp, IndexOp, YieldOp
from xdsl.ir import Attribute, Block, Region, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from mlopt.passes.node_names import merge_nodes


def _is_permutation(m: AffineMap) -> bool:
    if m.num_symbols or len(m.results) != m.num_dims:
        return False
    seen = set()
    for e in m.results:
        if not isinstance(e, AffineDimExpr) or e.position in seen:
            return False
        seen.add(e.position)
    return True


def _element_type(t: Attribute) -> Attribute:
    return t.get_element_type() if isinstance(t, ShapedType) else t


def _fusable_producer(consumer: GenericOp, index: int) -> GenericOp | None:
    value = consumer.inputs[index]
    producer = value.owner
    if not isinstance(producer, GenericOp) or producer is consumer:
        return None
    if len(producer.res) != 1 or not isinstance(value.type, TensorType):
        return None
    # Every use is an input of the consumer, read through one and the same map.
    reads = [k for k, v in enumerate(consumer.inputs) if v is value]
    if value.uses.get_length() != len(reads):
        return None
    c_maps = consumer.indexing_maps.data
    if any(c_maps[k] != c_maps[index] for k in reads):
        return None
    if any(it.data != IteratorType.PARALLEL for it in producer.iterator_types.data):
        return None
    maps = [m.data for m in producer.indexing_maps.data]
    if not _is_permutation(maps[-1]):
        return None
    if any(m.num_symbols for m in maps):
        return None
    if not _is_permutation(consumer.indexing_maps.data[index].data):
        return None
    if producer.parent_block() is not consumer.parent_block():
        return None
    return producer


def _loop_ranges_known(maps: list[AffineMap]) -> bool:
    """Every loop dim is a plain result of some map, so the operand shapes give
    each loop's range (xDSL's ``get_shapes_to_loops_map``: the concatenated maps
    have an inverse permutation)."""
    joined = AffineMap(maps[0].num_dims, 0, tuple(e for m in maps for e in m.results))
    return joined.inverse_permutation() is not None


def _generic_like(op: GenericOp, inputs: list[SSAValue], block: Block, maps: list[AffineMap]) -> GenericOp:
    """A generic with ``op``'s outputs, iterators, results and attributes and
    the given inputs, body and indexing maps."""
    new = GenericOp(
        inputs,
        list(op.outputs),
        Region(block),
        [AffineMapAttr(m) for m in maps],
        op.iterator_types,
        [r.type for r in op.res],
        op.doc,
        op.library_call,
    )
    for name, attr in op.attributes.items():
        new.attributes[name] = attr
    return new


def _fuse(consumer: GenericOp, index: int, producer: GenericOp, rewriter: PatternRewriter) -> bool:
    """Fuse ``producer`` into ``consumer``; False (and nothing changed) when the
    fused op's loop ranges could not be read from its operands' shapes."""
    c_maps = [m.data for m in consumer.indexing_maps.data]
    p_maps = [m.data for m in producer.indexing_maps.data]
    n_c_in = len(consumer.inputs)
    n_p_in = len(producer.inputs)
    # P's dims as expressions of C's dims (a permutation).
    p_out_inv = p_maps[n_p_in].inverse_permutation()
    assert p_out_inv is not None
    p_dims_in_c = p_out_inv.compose(c_maps[index])

    new_inputs: list[SSAValue] = []
    new_maps: list[AffineMap] = []

    def add_input(v: SSAValue, m: AffineMap) -> int:
        for k, (v2, m2) in enumerate(zip(new_inputs, new_maps)):
            if v2 is v and m2 == m:
                return k
        new_inputs.append(v)
        new_maps.append(m)
        return len(new_inputs) - 1

    fused_reads = [k for k, v in enumerate(consumer.inputs) if v is consumer.inputs[index]]
    c_arg_slot: dict[int, int] = {}
    for k in range(n_c_in):
        if k not in fused_reads:
            c_arg_slot[k] = add_input(consumer.inputs[k], c_maps[k])
    p_body = producer.body.block
    p_arg_slot: dict[int, int] = {}
    for k in range(n_p_in):
        p_arg_slot[k] = add_input(producer.inputs[k], p_maps[k].compose(p_dims_in_c))
    p_out_arg = p_body.args[n_p_in]
    if p_out_arg.uses:
        p_arg_slot[n_p_in] = add_input(producer.outputs[0], p_maps[n_p_in].compose(p_dims_in_c))
    # The fused operand may be the only one that bounds a loop (P broadcasts along
    # it: P's inputs do not use that dim); dropping it would leave the loop unbounded.
    if not _loop_ranges_known([*new_maps, *c_maps[n_c_in:]]):
        return False

    arg_types = [_element_type(v.type) for v in new_inputs]
    c_body = consumer.body.block
    out_arg_types = [a.type for a in c_body.args[n_c_in:]]
    block = Block(arg_types=[*arg_types, *out_arg_types])

    mapping: dict[SSAValue, SSAValue] = {}
    for k, slot in p_arg_slot.items():
        mapping[p_body.args[k]] = block.args[slot]
    fused_value: SSAValue | None = None
    for op in p_body.ops:
        if isinstance(op, YieldOp):
            fused_value = mapping.get(op.operands[0], op.operands[0])
            continue
        if isinstance(op, IndexOp):
            expr = p_dims_in_c.results[op.dim.value.data]
            assert isinstance(expr, AffineDimExpr)
            idx = IndexOp(expr.position)
            block.add_op(idx)
            mapping[op.result] = idx.result
            continue
        clone = op.clone(value_mapper=mapping)
        block.add_op(clone)
    assert fused_value is not None

    mapping = {}
    for k, slot in c_arg_slot.items():
        mapping[c_body.args[k]] = block.args[slot]
    for k in fused_reads:
        mapping[c_body.args[k]] = fused_value
    for k, arg in enumerate(c_body.args[n_c_in:]):
        mapping[arg] = block.args[len(new_inputs) + k]
    for op in c_body.ops:
        block.add_op(op.clone(value_mapper=mapping))

    fused = _generic_like(consumer, new_inputs, block, [*new_maps, *c_maps[n_c_in:]])
    merge_nodes(fused, [producer, consumer])  # mlopt.nodes: every node it covers
    rewriter.replace_op(consumer, fused)
    init_owner = producer.outputs[0].owner
    rewriter.erase_op(producer)
    if isinstance(init_owner, tensor.EmptyOp) and not init_owner.tensor.uses:
        rewriter.erase_op(init_owner)
    return True


class FuseElementwiseProducer(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        if any(not isinstance(r.type, TensorType) for r in op.res):
            return
        for index in range(len(op.inputs)):
            producer = _fusable_producer(op, index)
            if producer is not None and _fuse(op, index, producer, rewriter):
                return


def _splat_scalar(v: SSAValue) -> FloatAttr | IntegerAttr | None:
    """The element of ``v`` when it is a splat ``arith.constant`` tensor."""
    owner = v.owner
    if not isinstance(owner, arith.ConstantOp) or not isinstance(v.type, TensorType):
        return None
    value = owner.value
    if not isinstance(value, DenseIntOrFPElementsAttr):
        return None
    raw = bytes(value.data.data)  # a byte comparison: the weights are large
    count = len(value)
    if count == 0 or len(raw) % count:
        return None
    width = len(raw) // count
    if count > 1 and raw[width : 2 * width] != raw[:width]:  # most weights: no copy
        return None
    if raw != raw[:width] * count:
        return None
    element = next(value.iter_attrs())
    return element if isinstance(element, FloatAttr | IntegerAttr) else None


class FoldSplatConstantInputs(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: GenericOp, rewriter: PatternRewriter) -> None:
        if any(not isinstance(r.type, TensorType) for r in op.res):
            return
        n_in = len(op.inputs)
        maps = [m.data for m in op.indexing_maps.data]
        folded = {k: c for k, v in enumerate(op.inputs) if (c := _splat_scalar(v)) is not None}
        if not folded:
            return
        kept = [k for k in range(n_in) if k not in folded]
        if not _loop_ranges_known([*(maps[k] for k in kept), *maps[n_in:]]):
            return
        old = op.body.block
        block = Block(arg_types=[old.args[k].type for k in kept] + [a.type for a in old.args[n_in:]])
        mapping: dict[SSAValue, SSAValue] = {}
        for k, c in folded.items():
            const = arith.ConstantOp(c, old.args[k].type)
            block.add_op(const)
            mapping[old.args[k]] = const.result
        for new_k, k in enumerate(kept):
            mapping[old.args[k]] = block.args[new_k]
        for k, arg in enumerate(old.args[n_in:]):
            mapping[arg] = block.args[len(kept) + k]
        for inner in old.ops:
            block.add_op(inner.clone(value_mapper=mapping))
        new = _generic_like(op, [op.inputs[k] for k in kept], block, [*(maps[k] for k in kept), *maps[n_in:]])
        constants = [op.inputs[k].owner for k in folded]
        rewriter.replace_op(op, new)
        for c in constants:
            if isinstance(c, arith.ConstantOp) and not c.result.uses:
                rewriter.erase_op(c)


@dataclass(frozen=True)
class LinalgFuseElementwisePass(ModulePass):
    """Fuse all-parallel ``linalg.generic`` producers into consuming ``linalg.generic``s.

    Tensor level in, tensor level out; see the module docstring for the rules.
    """

    name = "linalg-fuse-elementwise"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        patterns = GreedyRewritePatternApplier([FoldSplatConstantInputs(), FuseElementwiseProducer()])
        PatternRewriteWalker(patterns, apply_recursively=True).rewrite_module(op)

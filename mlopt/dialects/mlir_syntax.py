"""Current upstream MLIR's custom syntax for the xDSL 0.75 ops mlopt emits.

MLIR (LLVM 21 and later) parses an op's inherent attributes in its custom form
only where the op's assembly format puts them ("strict properties"), so the
attribute-dictionary spellings xDSL 0.75 prints no longer parse there, and
xDSL does not parse what MLIR prints instead:

* fast-math flags: ``llvm.fmul %a, %b fastmath<contract> : f32`` (xDSL:
  ``{fastmathFlags = #llvm.fastmath<contract>}``), likewise on the other
  float arithmetic ops, ``llvm.fneg``, ``llvm.fcmp``, ``llvm.select`` and the
  ``llvm.intr.*`` math intrinsics (``llvm.intr.fma(%a, %b, %c) fastmath<fast>
  : ...``);
* ``llvm.load``/``llvm.store`` properties: ``llvm.load %p <alignment = 4> :
  ...`` and ``llvm.store %v, %p atomic monotonic <alignment = 8, nontemporal>``
  (xDSL: ``{alignment = 4 : i64}``; xDSL's store also dropped ``atomic``);
* ``memref.global``, which xDSL prints and parses only in the generic form:
  MLIR prints ``memref.global "private" constant @c : memref<10xf32> =
  dense<...> {alignment = 64 : i64}``.

The llvm ops get a printer that writes MLIR's form and a parser that reads
it; the parsers still accept the old attribute-dictionary spellings, so
mlopt's earlier output keeps parsing. ``memref.global`` gets a parser only
and is still printed in the generic form (MLIR parses that too). In the
generic form, upstream's ``llvm.mlir.global`` ``tls_mode`` and
``llvm.getelementptr`` ``noWrapFlags`` inbounds bit are read too, and an
inbounds GEP mlopt builds sets that bit (below). Imported by
:mod:`mlopt.dialects` (and so by every context :func:`mlopt.make_context`
builds). See docs/upstream.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.dialects import llvm, memref
from xdsl.dialects.builtin import IntegerAttr, MemRefType, StringAttr, TensorType, UnitAttr, i64
from xdsl.ir import Attribute, Operation
from xdsl.irdl import IRDLOperation
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.printer import Printer

_FASTMATH = "fastmathFlags"
_NO_FLAGS = llvm.FastMathAttr(None)


def _mark(fn: Callable[..., object]) -> Callable[..., object]:
    fn._mlopt_mlir_syntax = True  # type: ignore[attr-defined]
    return fn


# -- fast-math flags -------------------------------------------------------


def _print_fastmath(op: IRDLOperation, printer: Printer) -> None:
    flags = op.properties.get(_FASTMATH)
    if isinstance(flags, llvm.FastMathAttr) and flags != _NO_FLAGS:
        if len(flags.data) == len(llvm.FastMathFlag):
            names = "fast"
        else:  # in the enum's order, separated as MLIR does
            names = ", ".join(f.value for f in llvm.FastMathFlag if f in flags.data)
        printer.print_string(f" fastmath<{names}>")


def _parse_fastmath(parser: Parser) -> llvm.FastMathAttr | None:
    if parser.parse_optional_keyword("fastmath") is None:
        return None
    return llvm.FastMathAttr(llvm.FastMathAttr.parse_parameter(parser))


def _print_attr_dict(op: IRDLOperation, printer: Printer, skip: Sequence[str] = ()) -> None:
    """The op's attributes, then its other non-default properties, as one
    dictionary (xDSL's ParsePropInAttrDict spelling)."""
    op_def = type(op).get_irdl_definition()
    attrs = dict(op.attributes)
    for name, value in op.properties.items():
        if name in skip or name == _FASTMATH:
            continue
        prop = op_def.properties.get(name)
        if prop is not None and getattr(prop, "default_value", None) == value:
            continue
        attrs[name] = value
    printer.print_op_attributes(attrs)


def _split_attr_dict(
    op_type: type[IRDLOperation], attrs: dict[str, Attribute], fastmath: llvm.FastMathAttr | None
) -> tuple[dict[str, Attribute], dict[str, Attribute]]:
    """(properties, attributes) of a parsed attribute dictionary: the entries
    that name a property of the op are properties (the old spelling
    ``{fastmathFlags = ...}`` included)."""
    props_def = op_type.get_irdl_definition().properties
    props = {k: v for k, v in attrs.items() if k in props_def}
    rest = {k: v for k, v in attrs.items() if k not in props_def}
    if fastmath is not None:
        props[_FASTMATH] = fastmath
    props.setdefault(_FASTMATH, _NO_FLAGS)
    return props, rest


def _parse_types(parser: Parser, n: int) -> list[Attribute]:
    types = [parser.parse_type()]
    for _ in range(n - 1):
        parser.parse_punctuation(",")
        types.append(parser.parse_type())
    return types


def _install(
    cls: type[IRDLOperation], print_fn: Callable[..., None] | None, parse_fn: Callable[..., object]
) -> None:
    """Replace ``cls``'s custom parser (and printer, unless ``print_fn`` is None)."""
    if getattr(cls.__dict__.get("parse"), "_mlopt_mlir_syntax", False):
        return
    if print_fn is not None:
        cls.print = _mark(print_fn)  # type: ignore[method-assign]
    parse_fn = _mark(parse_fn)
    cls.parse = classmethod(parse_fn)  # type: ignore[method-assign,assignment]


def _operand_list_op(
    n_operands: int, parenthesised: bool, n_types: int | None
) -> tuple[Callable[..., None], Callable[..., object]]:
    """Printer and parser of ``op %a, %b [fastmath<..>] attr-dict : T`` (one
    type for operands and result), of ``llvm.select``'s ``... : i1, T``
    (``n_types=2``), or with ``parenthesised`` of the intrinsics'
    ``op(%a, %b) [fastmath<..>] attr-dict : (T, T) -> T``."""

    def print_op(self: IRDLOperation, printer: Printer) -> None:
        if parenthesised:
            printer.print_string("(")
        else:
            printer.print_string(" ")
        printer.print_list(self.operands, printer.print_ssa_value)
        if parenthesised:
            printer.print_string(")")
        _print_fastmath(self, printer)
        _print_attr_dict(self, printer)
        printer.print_string(" : ")
        if parenthesised:
            printer.print_function_type([o.type for o in self.operands], [r.type for r in self.results])
        elif n_types is None:
            printer.print_attribute(self.results[0].type)
        else:  # select: the condition's type, then the result's
            printer.print_list([self.operands[0].type, self.results[0].type], printer.print_attribute)

    def parse_op(cls: type[IRDLOperation], parser: Parser) -> IRDLOperation:
        pos = parser.pos
        if parenthesised:
            parser.parse_punctuation("(")
        operands: list[UnresolvedOperand] = parser.parse_comma_separated_list(
            Parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        if parenthesised:
            parser.parse_punctuation(")")
        fastmath = _parse_fastmath(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        if parenthesised:
            ft = parser.parse_function_type()
            in_types, out_types = list(ft.inputs.data), list(ft.outputs.data)
        elif n_types is None:
            t = parser.parse_type()
            in_types, out_types = [t] * n_operands, [t]
        else:
            cond_t, t = _parse_types(parser, 2)
            in_types, out_types = [cond_t, t, t], [t]
        if len(operands) != n_operands and not parenthesised:
            parser.raise_error(f"expected {n_operands} operands", pos, parser.pos)
        resolved = parser.resolve_operands(operands, in_types, pos)
        props, rest = _split_attr_dict(cls, attrs, fastmath)
        return cls.create(operands=resolved, result_types=out_types, properties=props, attributes=rest)

    return print_op, parse_op


def _print_fcmp(self: llvm.FCmpOp, printer: Printer) -> None:
    flag = llvm.FCmpPredicateFlag.from_int(self.predicate.value.data)
    printer.print_string(f' "{flag}" ')
    printer.print_ssa_value(self.lhs)
    printer.print_string(", ")
    printer.print_ssa_value(self.rhs)
    _print_fastmath(self, printer)
    printer.print_op_attributes(self.attributes)
    printer.print_string(" : ")
    printer.print_attribute(self.lhs.type)


def _parse_fcmp(cls: type[llvm.FCmpOp], parser: Parser) -> llvm.FCmpOp:
    pos = parser.pos
    predicate = IntegerAttr(llvm.FCmpPredicateFlag(parser.parse_str_literal()).to_int(), i64)
    lhs = parser.parse_unresolved_operand()
    parser.parse_punctuation(",")
    rhs = parser.parse_unresolved_operand()
    fastmath = _parse_fastmath(parser)
    attrs = parser.parse_optional_attr_dict()
    parser.parse_punctuation(":")
    t = parser.parse_type()
    operands = parser.resolve_operands([lhs, rhs], [t, t], pos)
    props, rest = _split_attr_dict(cls, attrs, fastmath)
    props["predicate"] = predicate
    return cls.create(operands=operands, result_types=[llvm.i1], properties=props, attributes=rest)


# -- load / store ----------------------------------------------------------

# MLIR prints the properties that its format does not spell out as
# ``<name = value, unit-name>``, integers without their type.
_INT_PROPS = {"alignment": i64, "ordering": i64}


def _print_mem_props(printer: Printer, props: dict[str, Attribute], names: Sequence[str]) -> None:
    items: list[str] = []
    for name in names:
        value = props.get(name)
        if value is None:
            continue
        if isinstance(value, UnitAttr):
            items.append(name)
        elif isinstance(value, IntegerAttr):
            items.append(f"{name} = {value.value.data}")
    if items:
        printer.print_string(" <" + ", ".join(items) + ">")


def _parse_mem_props(parser: Parser) -> dict[str, Attribute]:
    props: dict[str, Attribute] = {}
    if parser.parse_optional_punctuation("<") is None:
        return props

    def parse_item() -> None:
        name = parser.parse_identifier()
        if parser.parse_optional_punctuation("=") is None:
            props[name] = UnitAttr()
        elif name in _INT_PROPS:
            props[name] = IntegerAttr(parser.parse_integer(), _INT_PROPS[name])
        else:
            props[name] = parser.parse_attribute()

    parser.parse_comma_separated_list(Parser.Delimiter.NONE, parse_item)
    parser.parse_punctuation(">")
    return props


def _print_ordering(printer: Printer, ordering: Attribute | None) -> None:
    if isinstance(ordering, IntegerAttr) and ordering.value.data != 0:
        printer.print_string(f" atomic {llvm.ATOMIC_ORDERING_KEYWORDS[ordering.value.data]}")


def _parse_ordering(parser: Parser) -> int:
    if parser.parse_optional_keyword("atomic") is None:
        return 0
    kw = parser.parse_identifier()
    for value, name in llvm.ATOMIC_ORDERING_KEYWORDS.items():
        if name == kw:
            return value
    parser.raise_error(f"unknown atomic ordering '{kw}'")


def _old_mem_attrs(attrs: dict[str, Attribute], props: dict[str, Attribute], names: Sequence[str]) -> None:
    """Move xDSL's old ``{alignment = 4 : i64}`` spellings into the properties."""
    for name in names:
        if name in attrs:
            props[name] = attrs.pop(name)


def _print_load(self: llvm.LoadOp, printer: Printer) -> None:
    printer.print_string(" ")
    if "volatile_" in self.properties:
        printer.print_string("volatile ")
    printer.print_ssa_value(self.ptr)
    _print_ordering(printer, self.properties.get("ordering"))
    _print_mem_props(printer, self.properties, ("alignment", "nontemporal"))
    printer.print_op_attributes(self.attributes)
    printer.print_string(" : ")
    printer.print_attribute(self.ptr.type)
    printer.print_string(" -> ")
    printer.print_attribute(self.dereferenced_value.type)


def _parse_load(cls: type[llvm.LoadOp], parser: Parser) -> llvm.LoadOp:
    pos = parser.pos
    volatile = parser.parse_optional_keyword("volatile") is not None
    ptr = parser.parse_unresolved_operand()
    ordering = _parse_ordering(parser)
    props = _parse_mem_props(parser)
    attrs = dict(parser.parse_optional_attr_dict())
    _old_mem_attrs(attrs, props, ("alignment", "nontemporal"))
    parser.parse_punctuation(":")
    ptr_type = parser.parse_type()
    parser.parse_punctuation("->")
    result_type = parser.parse_type()
    props["ordering"] = IntegerAttr(ordering, i64)
    if volatile:  # xDSL's load has no volatile property: the verifier says so
        props["volatile_"] = UnitAttr()
    (operand,) = parser.resolve_operands([ptr], [ptr_type], pos)
    return cls.create(operands=[operand], result_types=[result_type], properties=props, attributes=attrs)


def _print_store(self: llvm.StoreOp, printer: Printer) -> None:
    printer.print_string(" ")
    if self.volatile_ is not None:
        printer.print_string("volatile ")
    printer.print_ssa_value(self.value)
    printer.print_string(", ")
    printer.print_ssa_value(self.ptr)
    _print_ordering(printer, self.ordering)
    _print_mem_props(printer, self.properties, ("alignment", "nontemporal"))
    printer.print_op_attributes(self.attributes)
    printer.print_string(" : ")
    printer.print_attribute(self.value.type)
    printer.print_string(", ")
    printer.print_attribute(self.ptr.type)


def _parse_store(cls: type[llvm.StoreOp], parser: Parser) -> llvm.StoreOp:
    pos = parser.pos
    volatile = parser.parse_optional_keyword("volatile") is not None
    value = parser.parse_unresolved_operand()
    parser.parse_punctuation(",")
    ptr = parser.parse_unresolved_operand()
    ordering = _parse_ordering(parser)
    props = _parse_mem_props(parser)
    attrs = dict(parser.parse_optional_attr_dict())
    _old_mem_attrs(attrs, props, ("alignment", "nontemporal"))
    parser.parse_punctuation(":")
    value_type = parser.parse_type()
    parser.parse_punctuation(",")
    ptr_type = parser.parse_type()
    props["ordering"] = IntegerAttr(ordering, i64)
    if volatile:
        props["volatile_"] = UnitAttr()
    operands = parser.resolve_operands([value, ptr], [value_type, ptr_type], pos)
    return cls.create(operands=operands, properties=props, attributes=attrs)


# -- memref.global ---------------------------------------------------------


def _parse_global(cls: type[memref.GlobalOp], parser: Parser) -> memref.GlobalOp:
    props: dict[str, Attribute] = {}
    # xDSL requires the visibility; MLIR omits it for a public global
    props["sym_visibility"] = StringAttr(parser.parse_optional_str_literal() or "public")
    if parser.parse_optional_keyword("constant") is not None:
        props["constant"] = UnitAttr()
    props["sym_name"] = StringAttr(parser.parse_symbol_name().data)
    parser.parse_punctuation(":")
    typ = parser.parse_type()
    if not isinstance(typ, MemRefType):
        parser.raise_error("memref.global: expected a memref type")
    props["type"] = typ
    if parser.parse_optional_punctuation("=") is not None:
        if parser.parse_optional_keyword("uninitialized") is not None:
            props["initial_value"] = UnitAttr()
        elif parser.parse_optional_keyword("dense") is not None:
            # MLIR writes the initial value without its type (the memref's shape
            # and element type as a tensor)
            tensor = TensorType(typ.get_element_type(), typ.get_shape())
            props["initial_value"] = parser.parse_dense_int_or_fp_elements_attr(tensor)
            if parser.parse_optional_punctuation(":") is not None:
                pos = parser.pos
                if parser.parse_type() != tensor:
                    parser.raise_error(
                        f"memref.global: the initial value's type must be {tensor}", pos, parser.pos
                    )
        else:
            props["initial_value"] = parser.parse_attribute()
    attrs = dict(parser.parse_optional_attr_dict())
    if "alignment" in attrs:
        props["alignment"] = attrs.pop("alignment")
    order = ("sym_name", "type", "initial_value", "sym_visibility", "constant", "alignment")
    props = {name: props[name] for name in order if name in props}  # as mlopt's bufferize builds them
    return cls.create(properties=props, attributes=attrs)


# -- the generic form ---------------------------------------------------------
#
# Upstream's generic form spells two properties differently from xDSL:
# ``llvm.mlir.global`` has ``tls_mode = 0 : i64`` (xDSL: the unit
# ``thread_local_``), ``llvm.getelementptr`` keeps ``inbounds`` in
# ``noWrapFlags`` (bit 0; xDSL: the unit ``inbounds``, which the LLVM
# translation reads); mlopt's inbounds GEPs carry both.

_TLS_MODE = "tls_mode"
_GEP_INBOUNDS = 1
_GEP_INBOUNDS_FLAGS = 3  # MLIR's `inbounds`: the inbounds and nusw bits


def _upstream_generic_properties(op: Operation) -> None:
    if isinstance(op, llvm.GlobalOp) and _TLS_MODE in op.properties:
        mode = op.properties.pop(_TLS_MODE)
        if not (isinstance(mode, IntegerAttr) and mode.value.data == 0):
            op.properties["thread_local_"] = UnitAttr()
    elif isinstance(op, llvm.GEPOp):
        flags = op.properties.get("noWrapFlags")
        if isinstance(flags, IntegerAttr) and flags.value.data & _GEP_INBOUNDS:
            op.properties["inbounds"] = UnitAttr()


def _install_gep_flags() -> None:
    """An inbounds GEP built by xDSL also carries the inbounds bits in
    ``noWrapFlags`` (3: inbounds and nusw, as MLIR's ``inbounds``), so the
    generic form tells upstream it is inbounds."""
    original = llvm.GEPOp.__init__
    if getattr(original, "_mlopt_mlir_syntax", False):
        return

    def init(self: llvm.GEPOp, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        flags = self.properties.get("noWrapFlags")
        if self.inbounds is not None and isinstance(flags, IntegerAttr):
            self.properties["noWrapFlags"] = IntegerAttr(flags.value.data | _GEP_INBOUNDS_FLAGS, flags.type)

    llvm.GEPOp.__init__ = _mark(init)  # type: ignore[method-assign]


def _install_generic_fix() -> None:
    original = Parser._parse_generic_operation  # pyright: ignore[reportPrivateUsage]
    if getattr(original, "_mlopt_mlir_syntax", False):
        return

    def parse_generic(self: Parser, op_type: type[Operation]) -> Operation:
        op = original(self, op_type)
        _upstream_generic_properties(op)
        return op

    Parser._parse_generic_operation = _mark(parse_generic)  # type: ignore[method-assign]


def install() -> None:
    """Give the ops their MLIR syntax (idempotent)."""
    from xdsl.dialects.llvm import AbstractFloatArithOp

    binary = [
        c
        for c in vars(llvm).values()
        if isinstance(c, type) and issubclass(c, AbstractFloatArithOp) and c is not AbstractFloatArithOp
    ]
    for cls in binary:
        _install(cls, *_operand_list_op(2, False, None))
    _install(llvm.FNegOp, *_operand_list_op(1, False, None))
    _install(llvm.SelectOp, *_operand_list_op(3, False, 2))
    intrinsic_format = "`(` operands `)` attr-dict `:` functional-type(operands, results)"
    for cls in vars(llvm).values():
        if (
            isinstance(cls, type)
            and issubclass(cls, IRDLOperation)
            and cls.__module__ == llvm.__name__
            and hasattr(cls, "name")
            and isinstance(getattr(cls, "name", None), str)
        ):
            op_def = cls.get_irdl_definition()
            if _FASTMATH in op_def.properties and op_def.assembly_format == intrinsic_format:
                _install(cls, *_operand_list_op(len(op_def.operands), True, None))
    _install(llvm.FCmpOp, _print_fcmp, _parse_fcmp)
    _install(llvm.LoadOp, _print_load, _parse_load)
    _install(llvm.StoreOp, _print_store, _parse_store)
    # parsed in MLIR's custom form, still printed in the generic form (which
    # MLIR parses too)
    _install(memref.GlobalOp, None, _parse_global)
    _install_generic_fix()
    _install_gep_flags()


install()


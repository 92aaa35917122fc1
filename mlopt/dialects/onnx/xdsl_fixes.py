"""Small fixes to xDSL 0.75 that the onnx dialect relies on.

* A hexadecimal literal in a float ``dense<[...]>`` list is the bit pattern of
  the float, as in MLIR (xDSL's printer writes NaN/inf that way, but its
  parser read the literal as an integer value, so NaN became 2.1e9).
* Inherent attributes written as properties in the generic form (below).
* ImplicitBuilder used from several threads at once (at the end).
"""

from __future__ import annotations

from xdsl.dialects.builtin import AnyFloat
from xdsl.parser.attribute_parser import AttrParser

_Element = AttrParser._TensorLiteralElement  # pyright: ignore[reportPrivateUsage]
_original_to_type = _Element.to_type


def _to_type_with_hex_floats(self, parser, type):  # type: ignore[no-untyped-def]
    if (
        isinstance(type, AnyFloat)
        and isinstance(self.value, int)
        and not isinstance(self.value, bool)
        and not self.is_negative
        and self.span.text[:2] in ("0x", "0X")
    ):
        size = type.compile_time_size
        if self.value < (1 << (8 * size)):
            return type.unpack(self.value.to_bytes(size, "little"), 1)[0]
    return _original_to_type(self, parser, type)


if not getattr(_Element.to_type, "_mlopt_fixed", False):
    _to_type_with_hex_floats._mlopt_fixed = True  # type: ignore[attr-defined]
    _Element.to_type = _to_type_with_hex_floats  # type: ignore[method-assign]


# * The generic form of an op whose inherent attributes xDSL declares as
#   attributes (``attr_def``) but MLIR stores as properties: current MLIR (and
#   onnx-mlir) prints them as ``"onnx.Gemm"(...) <{alpha = ...}>``, and
#   xDSL's parser only moves attributes into properties, not the other way,
#   so the op failed to verify ("property 'alpha' is not defined").  A
#   property the op declares only as an attribute is moved to the attributes.
from xdsl.irdl import IRDLOperation  # noqa: E402
from xdsl.parser import Parser  # noqa: E402

_original_parse_generic = Parser._parse_generic_operation  # pyright: ignore[reportPrivateUsage]


def _parse_generic_with_attr_properties(self, op_type):  # type: ignore[no-untyped-def]
    op = _original_parse_generic(self, op_type)
    if op.properties and isinstance(op, IRDLOperation):
        op_def = type(op).get_irdl_definition()
        for name in list(op.properties):
            if name not in op_def.properties and name in op_def.attributes:
                op.attributes[name] = op.properties.pop(name)
    return op


if not getattr(Parser._parse_generic_operation, "_mlopt_fixed", False):  # pyright: ignore[reportPrivateUsage]
    _parse_generic_with_attr_properties._mlopt_fixed = True  # type: ignore[attr-defined]
    Parser._parse_generic_operation = _parse_generic_with_attr_properties  # type: ignore[method-assign]


# ImplicitBuilder across threads (xDSL 0.75): entering an implicit builder
# while no builder is active *in this thread* wraps Operation.__post_init__,
# and leaving restores what it saw. Two threads interleaving their builders
# chain two wrappers, so one op is inserted twice ("Can't add to a block an
# operation already attached to a block"), or restore the other thread's
# wrapper after it left. Concurrent compiles hit it. Fix: one wrapper,
# installed once; "restoring" re-installs that same wrapper. Its callback
# reads the builder of the calling thread only (thread-local in xDSL).
import threading as _threading

import xdsl.builder as _builder
from xdsl.ir import Operation as _Operation

_post_init_lock = _threading.Lock()
_post_init_wrapper: list[object] = []


def _override_post_init_once():  # type: ignore[no-untyped-def]
    with _post_init_lock:
        if not _post_init_wrapper:
            original = _Operation.__post_init__

            def post_init_then_insert(self):  # type: ignore[no-untyped-def]
                original(self)
                _builder._op_init_callback(self)  # pyright: ignore[reportPrivateUsage]

            _Operation.__post_init__ = post_init_then_insert  # type: ignore[method-assign]
            _post_init_wrapper.append(post_init_then_insert)
        return _post_init_wrapper[0]


_builder._override_operation_post_init = _override_post_init_once  # pyright: ignore[reportPrivateUsage]

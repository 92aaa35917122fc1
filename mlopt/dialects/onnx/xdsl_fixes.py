"""Small fixes to xDSL 0.75 that the onnx dialect relies on.

* A hexadecimal literal in a float ``dense<[...]>`` list is the bit pattern of
  the float, as in MLIR (xDSL's printer writes NaN/inf that way, but its
  parser read the literal as an integer value, so NaN became 2.1e9).
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

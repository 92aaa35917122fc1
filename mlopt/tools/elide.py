"""Printing IR with large constants elided, as MLIR's
``--mlir-elide-elementsattrs-if-larger=N`` does.

A dense elements attribute (``dense<...>``, a weight) with more than ``N``
elements, other than a splat (``dense<1.0>``, already short), prints as ``dense_resource<__elided__> : TYPE``: the type stays, the
data goes. Elided IR is for reading: it cannot be compiled or exported. At the
onnx and tensor levels it still parses and verifies (a resource without data);
xDSL's ``memref.global`` (affine level) rejects a resource as its initial
value. ``N < 0`` elides nothing.
"""

from __future__ import annotations

from typing import Any

from xdsl.dialects.builtin import DenseIntOrFPElementsAttr
from xdsl.ir import Attribute
from xdsl.printer import Printer

ELIDED = "dense_resource<__elided__>"

#: ``mlopt model.onnx`` (ONNX input printed to stdout) elides constants with more
#: elements than this unless --mlir-elide-elementsattrs-if-larger says otherwise;
#: small shape and axis constants stay readable.
ONNX_STDOUT_DEFAULT = 16


class ElidingPrinter(Printer):
    """A Printer that elides dense elements attributes larger than ``elide_if_larger``."""

    def __init__(self, *args: Any, elide_if_larger: int = -1, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.elide_if_larger = elide_if_larger
        #: how many attributes were elided so far
        self.elided = 0

    def print_attribute(self, attribute: Attribute) -> None:
        if (self.elide_if_larger >= 0 and isinstance(attribute, DenseIntOrFPElementsAttr)
                and attribute.get_type().element_count() > self.elide_if_larger
                and not attribute.is_splat()):  # dense<1.0> is short: kept, as MLIR keeps it
            self.elided += 1
            self.print_string(f"{ELIDED} : ")
            super().print_attribute(attribute.get_type())
            return
        super().print_attribute(attribute)

"""Bufferization: the tensor level (contract B) to memrefs (contract C)."""

from mlopt.passes.bufferize.bufferize import BufferizePass

__all__ = ["BufferizePass"]

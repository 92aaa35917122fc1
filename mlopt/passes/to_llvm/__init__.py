"""Conversions from the scf/cf + memref + arith/math level to the llvm dialect.

One pass per source dialect (``convert-{arith,math,memref,func,cf}-to-llvm``);
each can run alone, bridging type changes with unrealized casts, and
``reconcile-unrealized-casts`` cleans up after the last one.
"""

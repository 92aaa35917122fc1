"""A plugin whose dialect reuses the name `arith`."""
from xdsl.ir import Dialect

from mlopt.plugins import Plugin

plugin = Plugin(name="clash-dialect", dialects=[Dialect("arith", [])])

from xdsl.transforms.canonicalize import CanonicalizePass

from mlopt.plugins import Plugin

plugin = Plugin(name="instance", passes=[CanonicalizePass()])

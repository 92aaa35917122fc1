from mlopt.plugins import Plugin

def _setup():
    raise RuntimeError("plugin setup exploded")

_setup()
plugin = Plugin(name="never")

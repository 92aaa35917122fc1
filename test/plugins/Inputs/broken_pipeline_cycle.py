from mlopt.plugins import Plugin

plugin = Plugin(name="cycle", pipelines={"pipe-a": "cse,pipe-b", "pipe-b": "pipe-a"})

from mlopt.plugins import Plugin

plugin = Plugin(name="bad-pipeline", pipelines={"my-pipe": "canonicalize,no-such-pass"})

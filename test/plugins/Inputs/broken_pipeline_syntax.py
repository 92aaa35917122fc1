from mlopt.plugins import Plugin

plugin = Plugin(name="bad-syntax", pipelines={"pipe": "builtin.module(cse"})

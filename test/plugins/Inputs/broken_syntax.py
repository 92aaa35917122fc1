from mlopt.plugins import Plugin

plugin = Plugin(name="broken"

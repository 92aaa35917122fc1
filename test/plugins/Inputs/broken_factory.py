from mlopt.plugins import Plugin

def mlopt_plugin():
    return Plugin(name="bad-dialect", dialects=[lambda: 1 / 0])

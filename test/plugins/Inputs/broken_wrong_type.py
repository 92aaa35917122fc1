plugin = {"name": "not-a-plugin"}

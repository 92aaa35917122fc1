"""Registers driver_plugin's passes a second time (for the clash test)."""

import importlib.util
import pathlib

_spec = importlib.util.spec_from_file_location(
    "driver_plugin_for_copy", pathlib.Path(__file__).with_name("driver_plugin.py")
)
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
plugin = _mod.plugin.__class__(name=_mod.plugin.name, passes=list(_mod.plugin.passes))

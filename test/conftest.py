"""pytest configuration shared by the whole suite.

Having this file here puts ``test/`` on ``sys.path``, so test modules in the
subdirectories can import the shared helpers beside it (``onnx_models``,
``expected_failures``).
"""

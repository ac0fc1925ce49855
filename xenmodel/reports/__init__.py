"""The reports layer: results, traces and models rendered as text, JSON, ITF JSON and HTML.

It reads the language's data (IR, Result, Trace) and renders it; it imports no engine and no CLI module,
and no engine imports it (tests/test_layering.py).
"""

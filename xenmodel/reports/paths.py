"""Paths in what xenmodel writes for others: never an absolute path the user did not type.

A model path is kept as the user gave it (the loader only normalises it, and an included file's path
is built from its includer's), except that an absolute path under the working directory is written
relative to it: a trace file or a JSON result shared with a colleague does not show the author's
directories. An absolute path outside the working directory was typed as such and stays.
"""
from __future__ import annotations

import dataclasses
import os

from xenmodel.result import Result
from xenmodel.source import Span
from xenmodel.trace import Trace


def portable(path: str) -> str:
    """`path`, relative to the working directory when it is absolute and under it."""
    if not os.path.isabs(path):
        return path
    try:
        rel = os.path.relpath(path, os.getcwd())
    except ValueError:  # another drive (Windows)
        return path
    return path if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def portable_span(span: Span | None) -> Span | None:
    return None if span is None else dataclasses.replace(span, file=portable(span.file))


def portable_trace(trace: Trace) -> Trace:
    v = trace.violation
    if v is None or v.span is None:
        return trace
    return dataclasses.replace(trace, violation=dataclasses.replace(v, span=portable_span(v.span)))


def portable_result(result: Result) -> Result:
    """The result with its model path and its violation's span made portable (the renderers' input)."""
    trace = None if result.trace is None else portable_trace(result.trace)
    return dataclasses.replace(result, model=portable(result.model), trace=trace)

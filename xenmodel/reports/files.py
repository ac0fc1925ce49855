"""Counterexample files: a result's trace written as ITF JSON, text or HTML.

The format follows the file name: `.itf.json` or `.json` -> ITF JSON, `.html`/`.htm` -> the HTML
timeline, `.txt` -> text; any other suffix -> ITF JSON. Files are written atomically: a temporary file
in the same directory, then os.replace. A file that cannot be written raises DiagnosticError (XM603).
"""
from __future__ import annotations

import os
import tempfile
from typing import Any

from xenmodel import __version__
from xenmodel import ir
from xenmodel.diagnostics import Diagnostic, DiagnosticError
from xenmodel.trace import Result, Trace
from xenmodel.tracetext import trace_text

from . import itf


def format_of(path: str) -> str:
    low = path.lower()
    if low.endswith((".html", ".htm")):
        return "html"
    if low.endswith(".txt"):
        return "text"
    return "itf"


def render_itf(model: ir.Model, result: Result, timestamp: bool = False) -> str:
    doc = itf.to_itf(model, result.trace, engine=result.engine, status=result.status, seed=result.seed,
                     source=result.model, instance=result.instance, consts=result.consts or None,
                     timestamp=timestamp, version=__version__)
    return itf.dumps(doc)


def header_lines(model: ir.Model, result: Result) -> list[str]:
    consts = ", ".join(f"{k}={const_text(v)}" for k, v in (result.consts or dict(model.consts)).items())
    lines = [f"model {model.name} ({result.model or model.path})"
             + (f", instance {result.instance}" if result.instance else "")]
    if consts:
        lines.append(f"constants: {consts}")
    lines.append(f"engine: {result.engine}, status: {result.status}"
                 + (f", seed: {result.seed}" if result.seed is not None else ""))
    return lines


def render_text(model: ir.Model, result: Result) -> str:
    """The step-by-step table of xenmodel.tracetext (action, arguments, @ref, changed variables, violation)."""
    return "\n".join(header_lines(model, result) + ["", trace_text(model, result.trace)]) + "\n"


def render(path: str, model: ir.Model, result: Result) -> str:
    fmt = format_of(path)
    if fmt == "html":
        from .html import render_html
        return render_html(model, result, itf_json=render_itf(model, result))
    if fmt == "text":
        return render_text(model, result)
    return render_itf(model, result)


def atomic_write(path: str, text: str) -> None:
    """Write text to path through a temporary file in the same directory and os.replace."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would have created it (mkstemp makes it 0600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_trace(path: str, model: ir.Model, result: Result) -> None:
    """Write result.trace to path in the format its suffix names (atomically).

    A file that cannot be written is reported as a diagnostic (DiagnosticError, XM603), not a traceback.
    """
    if result.trace is None:
        return
    text = render(path, model, result)
    try:
        atomic_write(path, text)
    except OSError as err:
        raise DiagnosticError([Diagnostic("XM603", f"cannot write the trace file {path}: {err.strerror or err}",
                                          None)])


def result_of(model: ir.Model, trace: Trace, doc: dict) -> Result:
    """The Result a trace file describes (its "#meta"), for showing or converting it."""
    meta = doc.get("#meta") or {}
    status = meta.get("status")
    if status not in ("holds", "violated", "unknown", "bounded", "sampled"):
        status = "violated" if trace.violation is not None else "unknown"
    seed = meta.get("seed")
    return Result(status, str(meta.get("engine") or "import"), str(meta.get("source") or model.path),
                  model.instance, dict(model.consts), trace, seed=seed if isinstance(seed, int) else None)


def const_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)

"""Counterexample files: a result's trace written as ITF JSON, text or HTML.

The format follows the file name: `.itf.json` or `.json` -> ITF JSON, `.html`/`.htm` -> the HTML
timeline, `.txt` -> text; any other suffix -> ITF JSON. Files are written atomically: a temporary file
in the same directory, then os.replace. A file that cannot be written raises DiagnosticError (XM603).

`check_output` runs before any search: the path must not exist or be a regular file (a device node, FIFO,
socket, directory or symbolic link is refused, XM605: os.replace would put a file in its place), and its
directory must take a new file. The same test is repeated just before os.replace.
"""
from __future__ import annotations

import os
import stat
import tempfile
from typing import Any

from xenmodel import __version__, ir
from xenmodel.diagnostics import Diagnostic, DiagnosticError
from xenmodel.result import Result, Status
from xenmodel.safetext import escape, int_text
from xenmodel.trace import Trace
from xenmodel.tracetext import trace_text

from . import itf
from .paths import portable_result
from .results import steps_text
from .why import why_text, why_violation


def format_of(path: str) -> str:
    low = path.lower()
    if low.endswith((".html", ".htm")):
        return "html"
    if low.endswith(".txt"):
        return "text"
    return "itf"


def render_itf(model: ir.Model, result: Result, timestamp: bool = False) -> str:
    assert result.trace is not None, "only a result with a trace is written to a file"
    doc = itf.to_itf(model, result.trace, engine=result.engine, status=result.status, seed=result.seed,
                     source=result.model, instance=result.instance, consts=dict(result.consts) or None,
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
    assert result.trace is not None, "only a result with a trace is written to a file"
    header = [escape(line) for line in header_lines(model, result)]
    why = why_violation(model, result.trace)
    reasons = [escape(line) for line in why_text(why)] if why is not None else []
    return "\n".join(header + ["", trace_text(model, result.trace)] + reasons) + "\n"


def render(path: str, model: ir.Model, result: Result) -> str:
    result = portable_result(result)  # no absolute path the user did not type (reports/paths.py)
    fmt = format_of(path)
    if fmt == "html":
        from .html import render_html
        return render_html(model, result, itf_json=render_itf(model, result))
    if fmt == "text":
        return render_text(model, result)
    return render_itf(model, result)


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _cannot_write(path: str, err: OSError) -> DiagnosticError:
    return DiagnosticError([Diagnostic("XM603", f"cannot write the trace file {path}: {err.strerror or err}", None)])


def refuse_special(path: str) -> None:
    """XM605 when path exists and is not a regular file (symbolic links are not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise _cannot_write(path, err) from err
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise DiagnosticError([Diagnostic(
            "XM605", f"{path} exists and is {kind}: the trace file is written only to a new or a regular file",
            None, help="give the path of a new file (or of a regular file to replace)")])


def check_output(path: str) -> None:
    """Before the run: refuse a special file (XM605) or a directory that takes no new file (XM603)."""
    refuse_special(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:  # the one sure test that the directory takes a file is to make one
        fd, probe = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise _cannot_write(path, err) from err


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
        refuse_special(path)  # again: it may have changed since check_output
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_trace(path: str, model: ir.Model, result: Result) -> str | None:
    """Write result.trace to path in the format its suffix names (atomically); return the line to print,
    `wrote PATH (FORMAT, N step(s))` (None when there is no trace, so nothing was written).

    A file that cannot be written is reported as a diagnostic (DiagnosticError: XM603, XM605, or XM606 for
    a value too large for the format), not a traceback; no temporary file is left behind.
    """
    if result.trace is None:
        return None
    try:
        text = render(path, model, result)
    except itf.TraceFileError as err:
        diag = Diagnostic(err.code, f"cannot write the trace file {path}: {err.message}", None)
        raise DiagnosticError([diag]) from err
    try:
        atomic_write(path, text)
    except OSError as err:
        raise _cannot_write(path, err) from err
    return escape(f"wrote {path} ({format_of(path)}, {steps_text(result.trace)})")


def result_of(model: ir.Model, trace: Trace, doc: dict[Any, Any]) -> Result:
    """The Result a trace file describes (its "#meta"), for showing or converting it."""
    meta = doc.get("#meta") or {}
    status = meta.get("status")
    if status not in tuple(Status):
        status = "violated" if trace.violation is not None else "unknown"
    seed = meta.get("seed")
    return Result(Status(status), str(meta.get("engine") or "import"), str(meta.get("source") or model.path),
                  model.instance, dict(model.consts), trace, seed=seed if isinstance(seed, int) else None)


def const_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return int_text(v)

"""Counterexample files: write a result's trace (ITF JSON, text, HTML) and the `xenmodel trace` commands.

The CLI calls `write_trace(path, model, result)` for `--trace-out FILE`, and `replay_command`,
`show_command`, `export_command` for `xenmodel trace replay|show|export`, passing its own model loader
(this module never imports the front end). The format follows the file name: `.itf.json` or `.json`
-> ITF JSON, `.html`/`.htm` -> the HTML timeline, `.txt` -> text; any other suffix -> ITF JSON.
Files are written atomically: a temporary file in the same directory, then os.replace.

Exit codes of the commands: 0 the trace is valid (replay) or was shown/converted, 2 the trace file or
the model is unusable (XM601-XM604 for the trace; the model's own diagnostics otherwise).
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Callable

import click

from xenmodel import __version__
from xenmodel import ir
from xenmodel.diagnostics import Diagnostic, DiagnosticError, Note, render_all
from xenmodel.report import trace_json, trace_text
from xenmodel.trace import ReplayError, Result, Trace, replay

from . import itf

EXIT_OK, EXIT_ERROR = 0, 2


# ------------------------------------------------------------------ rendering and writing
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
    consts = ", ".join(f"{k}={_const_text(v)}" for k, v in (result.consts or dict(model.consts)).items())
    lines = [f"model {model.name} ({result.model or model.path})"
             + (f", instance {result.instance}" if result.instance else "")]
    if consts:
        lines.append(f"constants: {consts}")
    lines.append(f"engine: {result.engine}, status: {result.status}"
                 + (f", seed: {result.seed}" if result.seed is not None else ""))
    return lines


def render_text(model: ir.Model, result: Result) -> str:
    """The step-by-step table of xenmodel.report (action, arguments, @ref, changed variables, violation)."""
    return "\n".join(header_lines(model, result) + ["", trace_text(model, result.trace)]) + "\n"


def render(path: str, model: ir.Model, result: Result) -> str:
    fmt = format_of(path)
    if fmt == "html":
        from .html_trace import render_html
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


def _const_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


# ------------------------------------------------------------------ the `trace` commands
Loader = Callable[..., Any]


class _Failed(Exception):
    def __init__(self, diags: list[Diagnostic]) -> None:
        self.diags = diags


def _diag(err: itf.TraceFileError | ReplayError, trace_file: str) -> Diagnostic:
    if isinstance(err, ReplayError):
        return Diagnostic(err.code, f"{trace_file}: {err.message}", None,
                          help="the trace is not a run of this model: was it made from another version of "
                               "the model, or with other constants?")
    return Diagnostic(err.code, err.message if err.code == "XM603" else f"{trace_file}: {err.message}", None,
                      help=err.help)


def _emit(diags: list[Diagnostic], fmt: str) -> int:
    if fmt == "json":
        click.echo(json.dumps({"status": "error", "diagnostics": [d.to_json() for d in diags]}, indent=2))
    else:
        click.echo(render_all(diags), err=True)
        click.echo(f"{sum(1 for d in diags if d.severity == 'error')} error(s)", err=True)
    return EXIT_ERROR


def _load(model_file: str, trace_file: str, fmt: str, load: Loader) -> tuple[ir.Model, Trace, dict]:
    """Read the trace, load the model with the trace's instance and constants, decode the trace."""
    try:
        doc = itf.read(trace_file)
        instance, consts = itf.binding(doc)
    except itf.TraceFileError as err:
        raise _Failed([_diag(err, trace_file)])
    const_opts = tuple(f"{k}={_const_text(v)}" for k, v in consts.items())
    try:
        model = load(model_file, instance, const_opts, fmt).model
    except DiagnosticError as err:
        binding_codes = {"XM301", "XM302", "XM303", "XM305"}
        if any(d.code in binding_codes for d in err.diagnostics):
            notes = tuple(Note(d.message, d.span) for d in err.diagnostics)
            raise _Failed([Diagnostic(
                "XM604", f"{trace_file}: the trace's instance or constants do not fit {model_file}", None, notes,
                help="the trace's \"#meta\" names the instance and constants it was made with")])
        raise
    try:
        trace = itf.from_itf(model, doc)
    except itf.TraceFileError as err:
        raise _Failed([_diag(err, trace_file)])
    made_from = (doc.get("#meta") or {}).get("model")
    if made_from is not None and made_from != model.name and fmt != "json":
        click.echo(render_all([Diagnostic(
            "XM604", f"{trace_file} was made from model `{made_from}`, not `{model.name}`", None,
            severity="warning")]), err=True)
    return model, trace, doc


def _result_of(model: ir.Model, trace: Trace, doc: dict) -> Result:
    meta = doc.get("#meta") or {}
    status = meta.get("status")
    if status not in ("holds", "violated", "unknown", "bounded", "sampled"):
        status = "violated" if trace.violation is not None else "unknown"
    seed = meta.get("seed")
    return Result(status, str(meta.get("engine") or "import"), str(meta.get("source") or model.path),
                  model.instance, dict(model.consts), trace, seed=seed if isinstance(seed, int) else None)


def replay_command(model_file: str, trace_file: str, fmt: str, load: Loader) -> int:
    """`xenmodel trace replay`: 0 when every step is a legal transition and every state matches."""
    try:
        model, trace, _ = _load(model_file, trace_file, fmt, load)
        try:
            replay(model, trace)
        except ReplayError as err:
            raise _Failed([_diag(err, trace_file)])
    except _Failed as failed:
        return _emit(failed.diags, fmt)
    v = trace.violation
    if fmt == "json":
        click.echo(json.dumps({"status": "ok", "model": model.name, "trace": trace_file, "steps": len(trace),
                               "violation": trace_json(model, trace)["violation"]}, indent=2))
    else:
        what = "no violation is claimed" if v is None else \
            f"it ends in {v.kind if v.kind == v.name else f'{v.kind} {v.name}'}, as it says"
        click.echo(f"ok: {trace_file} replays on model {model.name}"
                   + (f" [instance {model.instance}]" if model.instance else "")
                   + f": {len(trace)} step(s), every one a legal transition; {what}")
    return EXIT_OK


def show_command(model_file: str, trace_file: str, load: Loader) -> int:
    """`xenmodel trace show`: the trace as text (it is decoded and checked against the model's types)."""
    try:
        model, trace, doc = _load(model_file, trace_file, "text", load)
    except _Failed as failed:
        return _emit(failed.diags, "text")
    click.echo(render_text(model, _result_of(model, trace, doc)), nl=False)
    return EXIT_OK


def export_command(model_file: str, trace_file: str, out: str, load: Loader) -> int:
    """`xenmodel trace export`: replay the trace, then write it in the format OUT's suffix names."""
    try:
        model, trace, doc = _load(model_file, trace_file, "text", load)
        try:
            replay(model, trace)
        except ReplayError as err:
            raise _Failed([_diag(err, trace_file)])
    except _Failed as failed:
        return _emit(failed.diags, "text")
    try:
        write_trace(out, model, _result_of(model, trace, doc))
    except DiagnosticError as err:
        return _emit(err.diagnostics, "text")
    click.echo(f"wrote {out} ({format_of(out)}, {len(trace)} step(s))")
    return EXIT_OK

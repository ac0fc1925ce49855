"""`xenmodel trace replay|show|export`: counterexample files read back, checked and converted.

Exit codes: 0 the trace is valid (replay) or was shown/converted, 2 the trace file or the model is
unusable (XM601-XM604 for the trace; the model's own diagnostics otherwise).
"""
from __future__ import annotations

import json
import sys
from typing import Any

import click

from xenmodel import ir
from xenmodel.diagnostics import Diagnostic, DiagnosticError, Note, render_all
from xenmodel.reports import itf
from xenmodel.reports.files import const_text, format_of, render_text, result_of, write_trace
from xenmodel.reports.results import trace_json
from xenmodel.safetext import escape
from xenmodel.trace import ReplayError, Trace, replay

from .common import EXIT_ERROR, EXIT_OK, cli, emit_error, format_option, load, output_path


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
    emit_error(diags, fmt)
    return EXIT_ERROR


def _read(model_file: str, trace_file: str, fmt: str) -> tuple[ir.Model, Trace, dict[str, Any]]:
    """Read the trace, load the model with the trace's instance and constants, decode the trace."""
    try:
        doc = itf.read(trace_file)
        instance, consts = itf.binding(doc)
    except itf.TraceFileError as err:
        raise _Failed([_diag(err, trace_file)]) from err
    const_opts = tuple(f"{k}={const_text(v)}" for k, v in consts.items())
    try:
        model = load(model_file, instance, const_opts, fmt).model
    except DiagnosticError as err:
        binding_codes = {"XM301", "XM302", "XM303", "XM305"}
        if any(d.code in binding_codes for d in err.diagnostics):
            notes = tuple(Note(d.message, d.span) for d in err.diagnostics)
            raise _Failed([Diagnostic(
                "XM604", f"{trace_file}: the trace's instance or constants do not fit {model_file}", None, notes,
                help="the trace's \"#meta\" names the instance and constants it was made with")]) from err
        raise
    try:
        trace = itf.from_itf(model, doc)
    except itf.TraceFileError as err:
        raise _Failed([_diag(err, trace_file)]) from err
    made_from = (doc.get("#meta") or {}).get("model")
    if made_from is not None and made_from != model.name and fmt != "json":
        click.echo(render_all([Diagnostic(
            "XM604", f"{trace_file} was made from model `{made_from}`, not `{model.name}`", None,
            severity="warning")]), err=True)
    return model, trace, doc


def _replayed(model_file: str, trace_file: str, fmt: str) -> tuple[ir.Model, Trace, dict[str, Any]]:
    model, trace, doc = _read(model_file, trace_file, fmt)
    try:
        replay(model, trace)
    except ReplayError as err:
        raise _Failed([_diag(err, trace_file)]) from err
    return model, trace, doc


@cli.group()
def trace() -> None:
    """Export, show and replay counterexample traces (ITF JSON, text, HTML)."""


@trace.command("replay")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
@format_option
def trace_replay(model_file: str, trace_file: str, fmt: str) -> None:
    """Check that TRACE_FILE is a legal run of MODEL_FILE (instance and constants from the trace)."""
    try:
        model, trace, _ = _replayed(model_file, trace_file, fmt)
    except _Failed as failed:
        sys.exit(_emit(failed.diags, fmt))
    v = trace.violation
    if fmt == "json":
        click.echo(json.dumps({"status": "ok", "model": model.name, "trace": trace_file, "steps": len(trace),
                               "violation": trace_json(model, trace)["violation"]}, indent=2))
    else:
        what = "no violation is claimed" if v is None else \
            f"it ends in {v.kind if v.kind == v.name else f'{v.kind} {v.name}'}, as it says"
        click.echo(escape(f"ok: {trace_file} replays on model {model.name}"
                          + (f" [instance {model.instance}]" if model.instance else "")
                          + f": {len(trace)} step(s), every one a legal transition; {what}"))
    sys.exit(EXIT_OK)


@trace.command("show")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
@format_option
def trace_show(model_file: str, trace_file: str, fmt: str) -> None:
    """Print TRACE_FILE step by step: action, arguments, @ref and the variables that changed."""
    try:
        model, trace, doc = _read(model_file, trace_file, fmt)
    except _Failed as failed:
        sys.exit(_emit(failed.diags, fmt))
    if fmt == "json":
        click.echo(json.dumps({"status": "ok", "model": model.name, "trace_file": trace_file,
                               **trace_json(model, trace)}, indent=2, default=str))
    else:
        click.echo(render_text(model, result_of(model, trace, doc)), nl=False)
    sys.exit(EXIT_OK)


@trace.command("export")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
@click.option("--trace-out", default=None, type=click.Path(dir_okay=False), callback=output_path,
              help="Output file; the format follows the suffix: .itf.json, .html or .txt.")
@click.option("--out", "-o", "out", default=None, type=click.Path(dir_okay=False), callback=output_path,
              hidden=True, help="The old name of --trace-out.")
@format_option
def trace_export(model_file: str, trace_file: str, trace_out: str | None, out: str | None, fmt: str) -> None:
    """Convert TRACE_FILE (ITF JSON) to another format (the trace is replayed first)."""
    if (trace_out is None) == (out is None):
        raise click.UsageError("give the output file once, with --trace-out FILE")
    target = trace_out or out
    assert target is not None
    try:
        model, trace, doc = _replayed(model_file, trace_file, fmt)
    except _Failed as failed:
        sys.exit(_emit(failed.diags, fmt))
    try:
        line = write_trace(target, model, result_of(model, trace, doc))
    except DiagnosticError as err:
        sys.exit(_emit(err.diagnostics, fmt))
    if fmt == "json":
        click.echo(json.dumps({"status": "ok", "wrote": target, "format": format_of(target), "steps": len(trace),
                               "files": [target]}, indent=2))
    else:  # the one `wrote` line every command prints for a file it wrote (reports.files.write_trace)
        click.echo(line or escape(f"wrote {target}"))
    sys.exit(EXIT_OK)

"""What every command shares: the group and its error handling, the common options, model loading,
engine options, progress display and printing a result.

The public names here are the commands' toolkit:
- `cli`: the command group; each module of this package adds its command(s) to it.
- `instance_options`, `format_option`, `timeout_option`: option decorators every command shares;
  `output_path`: the callback that checks a --trace-out/--out path before the run.
- `load`: model loading with the shared options (`--const`, `--instance`, `--limit`, `--root`).
- `engine_options`: the options the user gave, as one `EngineOptions` (unset = the engine's default);
  `engine_available`: around an engine's lazy import;
- `progress_printer`: the one progress display, for `ProgressUpdate`s and plain lines alike.
- `finish`: write the counterexample, print the result, exit with its code; `emit_error`: print diagnostics.

Exit codes: 0 every property holds (or the bounded/sampled run found nothing), 1 a violation,
2 an error in the model, on the command line (including an option the chosen engine does not
support) or in the configuration, 3 unknown, or bounded/sampled with --require-complete, 70 an
internal error.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeVar

import click

from xenmodel import __version__, ir
from xenmodel.diagnostics import Diagnostic, DiagnosticError, render_all
from xenmodel.frontend import Bound, load_model, parse_const_options
from xenmodel.limits import parse_limit_options
from xenmodel.result import EngineOptions, OptionError, ProgressUpdate, Status
from xenmodel.safetext import escape
from xenmodel.selection import Selection
from xenmodel.trace import Result

EXIT_OK, EXIT_VIOLATION, EXIT_ERROR, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 70

F = TypeVar("F", bound=Callable[..., Any])


def emit_error(diags: list[Diagnostic], fmt: str) -> None:
    """Print diagnostics: as a JSON error document on stdout, or rendered on stderr with a count."""
    if fmt == "json":
        click.echo(json.dumps({"status": "error", "diagnostics": [d.to_json() for d in diags]}, indent=2))
    elif fmt == "sarif":
        from xenmodel.reports.sarif import errors_sarif
        click.echo(json.dumps(errors_sarif(diags, EXIT_ERROR), indent=2))
    else:
        click.echo(render_all(diags), err=True)
        n = sum(1 for d in diags if d.severity == "error")
        if n:
            click.echo(f"{n} error(s)", err=True)


SARIF_COMMANDS = ("check", "prove", "simulate", "test")  # the commands with a verdict on properties


def _remember_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value == "sarif" and ctx.info_name not in SARIF_COMMANDS:
        raise click.BadParameter(f"sarif is for {', '.join(SARIF_COMMANDS)} only")
    ctx.meta["xenmodel.format"] = value  # so errors raised later are printed in the same format
    return value


def format_option(f: F) -> F:
    """--format text|json|sarif (sarif: check, prove, simulate and test)."""
    return click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
                        show_default=True, callback=_remember_format, is_eager=True,
                        help="Output for people (text) or machines (json; sarif 2.1.0 for code scanning, "
                             "check/prove/simulate/test only).")(f)


def timeout_option(f: F) -> F:
    """--timeout SECONDS for the whole run."""
    return click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None,
                        help="Seconds for the whole run (every phase); then the result is unknown, or for "
                             "check --engine explicit bounded by the last level completed.")(f)


def max_depth_option(help: str) -> Callable[[F], F]:
    """--max-depth N, the one name of the depth bound (--depth, BMC's old name, is an alias)."""
    return click.option("--max-depth", "--depth", "max_depth", type=click.IntRange(0), default=None, help=help)


def deadlock_option(f: F) -> F:
    """--deadlock/--no-deadlock, on by default in every engine: a state where nothing can happen is
    almost always a modelling mistake, and a property that holds only because the run stops is vacuous."""
    return click.option("--deadlock/--no-deadlock", default=None,
                        help="Report a reachable state with no enabled action as a violation (default: on, "
                             "in every engine: such a state is almost always a modelling mistake).")(f)


def trace_out_option(f: F) -> F:
    """--trace-out FILE: where the counterexample goes (format by suffix), checked before the run."""
    return click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=output_path,
                        help="Write the counterexample to this file (.itf.json, .html or .txt).")(f)


def instance_options(f: F) -> F:
    """--const, --instance, --limit and --root: which model `load` builds."""
    f = click.option("--const", "consts", multiple=True, metavar="NAME=VALUE",
                     help="Override one constant (repeatable), e.g. --const NPCPU=3.")(f)
    f = click.option("--instance", "-i", default=None, metavar="NAME",
                     help="Pick a declared instance (default: the one named `default`, if any).")(f)
    # --limit and --root reach `load` through ctx.meta, so the commands' signatures need not change
    f = click.option("--limit", multiple=True, metavar="NAME=VALUE", expose_value=False,
                     callback=lambda ctx, _, v: ctx.meta.__setitem__("xenmodel.limits", v),
                     help="Change a size limit (repeatable), e.g. --limit sort_size=1000000 (docs: Limits).")(f)
    f = click.option("--root", default=None, type=click.Path(file_okay=False), expose_value=False,
                     callback=lambda ctx, _, v: ctx.meta.__setitem__("xenmodel.root", v),
                     help="The directory includes may not leave (default: the nearest directory above the "
                          "model holding .git or pyproject.toml, else the model's own).")(f)
    return f


def load(path: str, instance: str | None, consts: tuple[str, ...], fmt: str, extra: tuple[str, ...] = ()) -> Bound:
    """Load and check the model at `path` with the shared options; warnings are printed (text only)."""
    values = parse_const_options(consts)
    meta = click.get_current_context().meta
    bound = load_model(path, instance, values, extra=extra, root=meta.get("xenmodel.root"),
                       limits=parse_limit_options(meta.get("xenmodel.limits", ())))
    if bound.warnings and fmt != "json" and not meta.get("xenmodel.quiet"):
        click.echo(render_all(bound.warnings), err=True)
    return bound


def output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback of --trace-out and --out: the path is checked before the run, so a bad one costs no search."""
    if value is not None:
        from xenmodel.reports.files import check_output
        check_output(value)
    return value


@contextlib.contextmanager
def engine_available(name: str, package: str = "checkers") -> Iterator[None]:
    """Around an engine's (lazy) import: a build without it is a usage error, not an internal error."""
    try:
        yield
    except ModuleNotFoundError as err:
        if err.name and (err.name == package or err.name.startswith(package + ".")):
            raise click.UsageError(
                f"the {name} engine is not available in this build ({err.name} is missing)") from None
        raise


class ProgressPrinter(Protocol):
    def __call__(self, update: ProgressUpdate | str) -> None: ...


PROGRESS_FIRST, PROGRESS_EVERY = 2.0, 5.0  # seconds: the first log line, then one line per this many


class LogProgress:
    """Progress for a log (stderr not a terminal, or JSON output): one whole line per PROGRESS_EVERY
    seconds, the first after PROGRESS_FIRST, TLC style (`progress: explicit: search, depth 7, ...`).
    The clock is injectable so a test need not wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, first: float | None = None,
                 every: float | None = None) -> None:
        self.clock = clock
        self.every = PROGRESS_EVERY if every is None else every
        self.next = clock() + (PROGRESS_FIRST if first is None else first)

    def __call__(self, update: ProgressUpdate | str) -> None:
        now = self.clock()
        if now < self.next:
            return
        self.next = now + self.every
        from xenmodel.reports.results import progress_text
        click.echo("progress: " + progress_text(update), err=True)


def progress_printer(fmt: str, quiet: bool = False, tty: bool | None = None) -> ProgressPrinter | None:
    """The one progress display, for the engines' ProgressUpdates and the plain lines of engines not yet
    moved to them: on a terminal (text output) one line rewritten in place with click (rich is not
    needed for one line); otherwise a rate-limited line in the log (LogProgress). Always on stderr, so
    JSON on stdout stays clean; none with --quiet."""
    if quiet:
        return None
    if fmt != "text" or not (sys.stderr.isatty() if tty is None else tty):
        return LogProgress()
    from xenmodel.reports.results import progress_text

    def show(update: ProgressUpdate | str) -> None:
        click.echo("\r" + progress_text(update)[:150].ljust(80), err=True, nl=False)
    return show


def engine_options(fmt: str, **given: Any) -> EngineOptions:
    """The options the user gave (None: not given, the engine's default) and the progress display."""
    quiet = bool(click.get_current_context().meta.get("xenmodel.quiet"))
    return EngineOptions(**given, progress=progress_printer(fmt, quiet))


class _Cli(click.Group):
    """Turns model errors into diagnostics (exit 2), unsupported engine options into usage errors (exit 2)
    and anything unexpected into exit 70."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagnosticError as err:
            emit_error(err.diagnostics, ctx.meta.get("xenmodel.format", "text"))
            ctx.exit(EXIT_ERROR)
        except OptionError as err:
            raise click.UsageError(str(err)) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_UNKNOWN)
        except Exception as err:  # an internal error: say so plainly, keep the traceback for bug reports
            click.echo(escape(f"xenmodel: internal error: {type(err).__name__}: {err}"), err=True)
            if os.environ.get("XENMODEL_DEBUG"):
                traceback.print_exc()
            else:
                click.echo("(set XENMODEL_DEBUG=1 to see the traceback, and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xenmodel")
def cli() -> None:
    """xenmodel: check a formal model of the Xen hypervisor.

    Exit codes: 0 nothing violated (holds, bounded or sampled: the first line of the output says which),
    1 violation, 2 error in the model, command line or configuration, 3 unknown (or bounded/sampled with
    --require-complete), 70 internal error. Settings may also come from [tool.xenmodel] in pyproject.toml
    (`xenmodel config` shows them). Reference: docs/cli.md.
    """


def finish(model: ir.Model, result: Result, fmt: str, trace_out: str | None, reproduce: str | None = None) -> None:
    """Write the counterexample to trace_out, print the result, exit with its exit code.

    When the file cannot be written the result is printed all the same (nothing found is lost), the
    diagnostic follows, and the exit code is 2: the command did not do all it was asked. With
    --require-complete a bounded or sampled result exits 3. When --inv/--skip chose properties, the
    output names what was checked and what was skipped (the line after the verdict; "properties" in JSON).
    """
    from xenmodel.reports.files import write_trace
    from xenmodel.reports.results import result_json, result_text
    meta = click.get_current_context().meta
    if sys.stderr.isatty() and fmt == "text":
        click.echo("\r" + " " * 80 + "\r", err=True, nl=False)
    failed: list[Diagnostic] = []
    wrote: dict[str, str] = {}  # path -> its `wrote` line (stderr in text, "files" in JSON)
    if trace_out and result.trace is not None:
        try:
            wrote[trace_out] = write_trace(trace_out, model, result) or ""
        except DiagnosticError as err:
            failed = err.diagnostics
    sel: Selection | None = meta.get("xenmodel.selection")
    incomplete = bool(meta.get("xenmodel.require_complete")) and result.status in (Status.BOUNDED, Status.SAMPLED)
    why = f"--require-complete: the result is {result.status}, not complete (exit {EXIT_UNKNOWN})"
    if fmt == "json":
        data = result_json(model, result, reproduce, list(wrote))
        if sel is not None:
            data["properties"] = {"checked": list(sel.checked), "skipped": list(sel.skipped)}
        if incomplete:
            data["incomplete"] = why
        if failed:
            data["diagnostics"] = [d.to_json() for d in failed]
        click.echo(json.dumps(data, indent=2, default=str))
    elif fmt == "sarif":
        from xenmodel.reports.sarif import result_sarif
        click.echo(json.dumps(result_sarif(model, result, list(wrote), failed), indent=2))
    else:
        text = result_text(model, result, reproduce)
        if sel is not None and sel.asked:
            head, _, rest = text.partition("\n")
            text = "\n".join([head, escape(selection_text(sel))] + ([rest] if rest else []))
        click.echo(text)
        for line in wrote.values():
            click.echo(line, err=True)
        if incomplete:
            click.echo(why, err=True)
        if failed:
            emit_error(failed, fmt)
    sys.exit(EXIT_ERROR if failed else EXIT_UNKNOWN if incomplete else result.exit_code)


def selection_text(sel: Selection) -> str:
    checked = f"checked {len(sel.checked)} ({', '.join(sel.checked)})" if sel.checked else "checked no property"
    skipped = f"skipped {len(sel.skipped)} ({', '.join(sel.skipped)})" if sel.skipped else "skipped none"
    return f"properties: {checked}; {skipped}; asserts, model errors and deadlock (when on) as always"

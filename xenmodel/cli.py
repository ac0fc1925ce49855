"""The `xenmodel` command line: the one module that sees both the language and the engines.

Exit codes: 0 every property holds (or the bounded/sampled run found nothing), 1 a violation,
2 an error in the model or on the command line, 3 unknown or incomplete, 70 an internal error.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from typing import Any, Callable

import click

from . import __version__
from .diagnostics import Diagnostic, DiagnosticError, render_all
from .frontend import Bound, load_model, parse_const_options
from .loader import load

EXIT_OK, EXIT_VIOLATION, EXIT_ERROR, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 70

# engine name -> "module:function"; modules live in checkers/ and are imported only when used,
# so an engine's dependencies (z3, hypothesis) cost nothing to the commands that do not use it.
ENGINES = {
    "explicit": "checkers.explicit:check",
    "bmc": "checkers.bmc:check",
    "induction": "checkers.induction:prove",
    "kind": "checkers.induction:prove_k",
    "hypothesis": "checkers.hypothesis_machine:run_options",
}


def _engine(name: str) -> Callable:
    target = ENGINES[name]
    module, func = target.split(":")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name and (err.name == module or module.startswith(err.name + ".")):
            raise click.UsageError(f"the {name} engine is not available in this build ({module} is missing)")
        raise
    return getattr(mod, func)


def _emit_error(diags: list[Diagnostic], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"status": "error", "diagnostics": [d.to_json() for d in diags]}, indent=2))
    else:
        click.echo(render_all(diags), err=True)
        n = sum(1 for d in diags if d.severity == "error")
        if n:
            click.echo(f"{n} error(s)", err=True)


def _warn(diags: list[Diagnostic], fmt: str) -> None:
    if diags and fmt != "json":
        click.echo(render_all(diags), err=True)


def _remember_format(ctx: click.Context, param, value: str) -> str:
    ctx.meta["xenmodel.format"] = value  # so errors raised later are printed in the same format
    return value


def _format_option(f):
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        show_default=True, callback=_remember_format, is_eager=True,
                        help="Output for people (text) or machines (json).")(f)


def _instance_options(f):
    f = click.option("--const", "consts", multiple=True, metavar="NAME=VALUE",
                     help="Override one constant (repeatable), e.g. --const NPCPU=3.")(f)
    f = click.option("--instance", "-i", default=None, metavar="NAME",
                     help="Pick a declared instance (default: the one named `default`, if any).")(f)
    return f


def _load(path: str, instance: str | None, consts: tuple[str, ...], fmt: str,
          extra: tuple[str, ...] = ()) -> Bound:
    values = parse_const_options(consts)
    bound = load_model(path, instance, values, extra=extra)
    _warn(bound.warnings, fmt)
    return bound


class _Cli(click.Group):
    """Turns model errors into diagnostics (exit 2) and anything unexpected into exit 70."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagnosticError as err:
            fmt = ctx.meta.get("xenmodel.format", "text")
            _emit_error(err.diagnostics, fmt)
            ctx.exit(EXIT_ERROR)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_UNKNOWN)
        except Exception as err:  # an internal error: say so plainly, keep the traceback for bug reports
            click.echo(f"xenmodel: internal error: {type(err).__name__}: {err}", err=True)
            if os.environ.get("XENMODEL_DEBUG"):
                traceback.print_exc()
            else:
                click.echo("(set XENMODEL_DEBUG=1 to see the traceback, and please report it)", err=True)
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xenmodel")
def cli() -> None:
    """xenmodel: check a formal model of the Xen hypervisor.

    Exit codes: 0 holds, 1 violation, 2 error in the model or command line, 3 unknown, 70 internal error.
    """


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@_format_option
def parse(file: str, instance: str | None, consts: tuple[str, ...], fmt: str) -> None:
    """Parse and type-check FILE (with its includes); print errors or a one-line summary."""
    model = _load(file, instance, consts, fmt).model
    summary = {"status": "ok", "model": model.name, "file": file, "instance": model.instance,
               "vars": len(model.vars), "actions": len(model.actions),
               "invariants": len(model.invariants), "lemmas": len(model.lemmas)}
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(f"ok: model {model.name}: {len(model.vars)} variable(s), {len(model.actions)} action(s), "
                   f"{len(model.invariants)} invariant(s), {len(model.lemmas)} lemma(s)"
                   + (f" [instance {model.instance}]" if model.instance else ""))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@_format_option
def explain(file: str, instance: str | None, consts: tuple[str, ...], fmt: str) -> None:
    """Describe FILE: constants, sorts, variables, actions with their Xen references, properties."""
    from .explain import explain_json, explain_text
    loaded = load(file)
    model = _load(file, instance, consts, fmt).model
    if fmt == "json":
        click.echo(json.dumps(explain_json(model, loaded), indent=2))
    else:
        click.echo(explain_text(model, loaded))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--steps", default=100, show_default=True, type=click.IntRange(0), help="Steps per run.")
@click.option("--runs", default=10, show_default=True, type=click.IntRange(1), help="Number of random runs.")
@click.option("--seed", default=0, show_default=True, type=int, help="Seed; the same seed gives the same runs.")
@click.option("--deadlock/--no-deadlock", default=True, show_default=True,
              help="Report a state with no enabled action as a violation.")
@click.option("--semantics", type=click.Choice(["compiled", "reference"]), default="compiled",
              show_default=True, help="Walk the compiled transition relation (fast) or the reference "
              "interpreter (slow, the definition). Traces are replayed through the reference either way.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds for the whole run before giving up with status unknown.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@_format_option
def simulate(file: str, instance, consts, steps: int, runs: int, seed: int, deadlock: bool, semantics: str,
             timeout, trace_out: str | None, fmt: str) -> None:
    """Random walks through FILE, checking every property at every state (a sample, not a proof)."""
    from .simulate import simulate as run
    model = _load(file, instance, consts, fmt).model
    progress = _progress_printer(fmt, lambda r, s: f"run {r}/{runs}, {s} steps")
    sem = None
    if semantics == "compiled":
        sem = importlib.import_module("checkers.compiled_semantics").compiled_or_none(model)
    result = run(model, steps, runs, seed, deadlock=deadlock, progress=progress, semantics=sem, timeout=timeout)
    _finish(model, result, fmt, trace_out)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--engine", type=click.Choice(["explicit", "bmc"]), default="explicit", show_default=True,
              help="explicit: exhaustive breadth-first search; bmc: Z3 bounded model checking.")
@click.option("--depth", type=click.IntRange(0), default=10, show_default=True, help="BMC: the depth bound.")
@click.option("--max-states", type=click.IntRange(1), default=None, help="Explicit: stop after this many states.")
@click.option("--max-depth", type=click.IntRange(0), default=None, help="Explicit: explore only to this depth.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds for the whole run before giving up with status unknown.")
@click.option("--deadlock/--no-deadlock", default=True, show_default=True,
              help="Report a reachable state with no enabled action as a violation.")
@click.option("--symmetry/--no-symmetry", default=True, show_default=True,
              help="Explicit: reduce states under permutations of `symmetric` sorts.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@_format_option
def check(file: str, instance, consts, engine: str, depth: int, max_states, max_depth, timeout, deadlock: bool,
          symmetry: bool, trace_out, fmt: str) -> None:
    """Check every invariant and lemma of FILE (and asserts, model errors and deadlock)."""
    model = _load(file, instance, consts, fmt).model
    run = _engine(engine)
    opts = {"depth": depth, "max_states": max_states, "max_depth": max_depth, "timeout": timeout,
            "deadlock": deadlock, "symmetry": symmetry,
            "progress": _progress_printer(fmt, lambda line: line)}
    result = run(model, opts)
    _finish(model, result, fmt, trace_out)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--lemmas", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Model files with lemmas (they include FILE and add `lemma`s); repeatable.")
@click.option("--engine", type=click.Choice(["induction", "kind"]), default="induction", show_default=True,
              help="induction: initiation and consecution per action and property; kind: k-induction.")
@click.option("--k", "k", type=click.IntRange(1), default=2, show_default=True, help="k for --engine kind.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds for the whole run before giving up with status unknown.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None,
              help="Write the counterexample to induction to this file.")
@_format_option
def prove(file: str, instance, consts, lemmas, engine: str, k: int, timeout, trace_out, fmt: str) -> None:
    """Prove every invariant and lemma of FILE for all reachable states of the instance (Z3)."""
    model = _load(file, instance, consts, fmt, extra=tuple(lemmas)).model
    run = _engine(engine)
    result = run(model, {"k": k, "timeout": timeout, "progress": _progress_printer(fmt, lambda line: line)})
    _finish(model, result, fmt, trace_out)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--max-examples", type=click.IntRange(1), default=100, show_default=True,
              help="Hypothesis: number of test cases.")
@click.option("--steps", type=click.IntRange(1), default=50, show_default=True,
              help="Hypothesis: steps per test case (stateful_step_count).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed; printed with every failure.")
@click.option("--deadlock/--no-deadlock", default=False, show_default=True,
              help="Fail a run that reaches a state with no enabled action.")
@click.option("--shrink", type=click.Choice(["hypothesis", "model"]), default="hypothesis", show_default=True,
              help="hypothesis: Hypothesis's shrinker, then deletion of unneeded steps; model: only the "
                   "deletion (much faster on long runs; the trace is still replayed and minimal by deletion).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds for the whole run before giving up with status unknown.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None,
              help="Write the shrunk counterexample to this file.")
@_format_option
def test(file: str, instance, consts, max_examples: int, steps: int, seed: int, deadlock: bool, shrink: str,
         timeout, trace_out, fmt: str) -> None:
    """Run FILE as a Hypothesis stateful test: random action sequences, shrunk on failure."""
    model = _load(file, instance, consts, fmt).model
    run = _engine("hypothesis")
    result = run(model, {"max_examples": max_examples, "steps": steps, "seed": seed, "deadlock": deadlock,
                         "shrink": shrink, "timeout": timeout, "progress": _progress_printer(fmt, lambda line: line)})
    _finish(model, result, fmt, trace_out)


@cli.group()
def trace() -> None:
    """Export, show and replay counterexample traces (ITF JSON, text, HTML)."""


def _trace_module():
    try:
        return importlib.import_module("checkers.export")
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("checkers"):
            raise click.UsageError("trace files are not available in this build (checkers.export is missing)")
        raise


@trace.command("replay")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
@_format_option
def trace_replay(model_file: str, trace_file: str, fmt: str) -> None:
    """Check that TRACE_FILE is a legal run of MODEL_FILE (instance and constants from the trace)."""
    sys.exit(_trace_module().replay_command(model_file, trace_file, fmt, _load))


@trace.command("show")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
def trace_show(model_file: str, trace_file: str) -> None:
    """Print TRACE_FILE step by step: action, arguments, @ref and the variables that changed."""
    sys.exit(_trace_module().show_command(model_file, trace_file, _load))


@trace.command("export")
@click.argument("model_file", type=click.Path(dir_okay=False))
@click.argument("trace_file", type=click.Path(dir_okay=False))
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False),
              help="Output file; the format follows the suffix: .itf.json, .html or .txt.")
def trace_export(model_file: str, trace_file: str, out: str) -> None:
    """Convert TRACE_FILE (ITF JSON) to another format."""
    sys.exit(_trace_module().export_command(model_file, trace_file, out, _load))


def _progress_printer(fmt: str, render: Callable[..., str]) -> Callable[..., None] | None:
    """A one-line progress display on stderr (only for a terminal and only for text output)."""
    if fmt == "json" or not sys.stderr.isatty():
        return None

    def show(*args) -> None:
        click.echo("\r" + render(*args)[:150].ljust(80), err=True, nl=False)
    return show


def _finish(model, result, fmt: str, trace_out: str | None) -> None:
    from .report import result_json, result_text
    if sys.stderr.isatty() and fmt != "json":
        click.echo("\r" + " " * 80 + "\r", err=True, nl=False)
    if trace_out and result.trace is not None:
        _write_trace(model, result, trace_out)
    if fmt == "json":
        click.echo(json.dumps(result_json(model, result), indent=2, default=str))
    else:
        click.echo(result_text(model, result))
    sys.exit(result.exit_code)


def _write_trace(model, result, path: str) -> None:
    try:
        export = importlib.import_module("checkers.export")
    except ModuleNotFoundError:
        from .report import trace_text
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(trace_text(model, result.trace) + "\n")
        os.replace(tmp, path)
        return
    export.write_trace(path, model, result)


def main() -> None:
    cli(prog_name="xenmodel")


if __name__ == "__main__":
    main()

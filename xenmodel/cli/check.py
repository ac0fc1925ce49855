"""`xenmodel check`: exhaustive explicit-state search (checkers.explicit) or Z3 BMC (checkers.smt.bmc)."""
from __future__ import annotations

from collections.abc import Callable

import click

from xenmodel import ir
from xenmodel.result import EngineOptions, Result

from .common import (
    cli,
    deadlock_option,
    engine_available,
    engine_options,
    finish,
    format_option,
    instance_options,
    load,
    max_depth_option,
    timeout_option,
    trace_out_option,
)
from .coverage import coverage_option, explained
from .settings import configured, run_options, selected


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@click.option("--engine", type=click.Choice(["explicit", "bmc"]), default="explicit", show_default=True,
              help="explicit: exhaustive breadth-first search; bmc: Z3 bounded model checking.")
@max_depth_option("Explore only to this depth (explicit: default unbounded; bmc: default 10).")
@click.option("--max-states", type=click.IntRange(1), default=None, help="Explicit: stop after this many states.")
@timeout_option
@deadlock_option
@click.option("--symmetry/--no-symmetry", default=None,
              help="Explicit: reduce states under permutations of `symmetric` sorts (default: on).")
@coverage_option
@trace_out_option
@run_options
@format_option
def check(file: str, instance: str | None, consts: tuple[str, ...], engine: str, max_depth: int | None,
          max_states: int | None, timeout: float | None, deadlock: bool | None, symmetry: bool | None,
          coverage: bool, trace_out: str | None, fmt: str, **shared: object) -> None:
    """Check every invariant and lemma of FILE (and asserts, model errors and deadlock)."""
    p = configured(file)
    bound = load(file, p["instance"], p["consts"], fmt)
    model = selected(bound.model, p)
    run: Callable[[ir.Model, EngineOptions], Result]  # either engine's entry point
    with engine_available(engine):
        if engine == "bmc":
            from checkers.smt.bmc import check as run
        else:
            from checkers.explicit import check as run
    if p["coverage"] and engine != "explicit":
        raise click.UsageError(f"the {engine} engine does not count coverage (--coverage is for --engine explicit)")
    options = engine_options(fmt, max_states=p["max_states"], max_depth=p["max_depth"], timeout=p["timeout"],
                             deadlock=p["deadlock"], symmetry=p["symmetry"], coverage=p["coverage"] or None)
    result = explained(bound, model, run(model, options), p["coverage"])
    finish(model, result, fmt, trace_out)

"""`xenmodel check`: exhaustive explicit-state search (checkers.explicit) or Z3 BMC (checkers.smt.bmc)."""
from __future__ import annotations

from collections.abc import Callable

import click

from xenmodel import ir
from xenmodel.result import EngineOptions, Result

from .common import (
    cli,
    engine_available,
    engine_options,
    finish,
    format_option,
    instance_options,
    load,
    output_path,
    timeout_option,
)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@click.option("--engine", type=click.Choice(["explicit", "bmc"]), default="explicit", show_default=True,
              help="explicit: exhaustive breadth-first search; bmc: Z3 bounded model checking.")
@click.option("--depth", type=click.IntRange(0), default=None, help="BMC: the depth bound (default: 10).")
@click.option("--max-states", type=click.IntRange(1), default=None, help="Explicit: stop after this many states.")
@click.option("--max-depth", type=click.IntRange(0), default=None,
              help="Explicit: explore only to this depth (BMC: the same as --depth).")
@timeout_option
@click.option("--deadlock/--no-deadlock", default=None,
              help="Report a reachable state with no enabled action as a violation (default: on).")
@click.option("--symmetry/--no-symmetry", default=None,
              help="Explicit: reduce states under permutations of `symmetric` sorts (default: on).")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=output_path,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@format_option
def check(file: str, instance: str | None, consts: tuple[str, ...], engine: str, depth: int | None,
          max_states: int | None, max_depth: int | None, timeout: float | None, deadlock: bool | None,
          symmetry: bool | None, trace_out: str | None, fmt: str) -> None:
    """Check every invariant and lemma of FILE (and asserts, model errors and deadlock)."""
    # --depth is BMC's name for its bound, which EngineOptions calls max_depth like the explicit engine's
    if depth is not None and engine != "bmc":
        raise click.UsageError(f"the {engine} engine does not support --depth (its depth bound is --max-depth)")
    if depth is not None and max_depth is not None and depth != max_depth:
        raise click.UsageError("--depth and --max-depth are the same bound for bmc: give one")
    model = load(file, instance, consts, fmt).model
    run: Callable[[ir.Model, EngineOptions], Result]  # either engine's entry point
    with engine_available(engine):
        if engine == "bmc":
            from checkers.smt.bmc import check as run
        else:
            from checkers.explicit import check as run
    options = engine_options(fmt, max_states=max_states, max_depth=max_depth if depth is None else depth,
                             timeout=timeout, deadlock=deadlock, symmetry=symmetry)
    finish(model, run(model, options), fmt, trace_out)

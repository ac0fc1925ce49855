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


def _cluster_address(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """`ray` or `ray://HOST:PORT`; anything else is a usage error before the model is read."""
    if value is None or value == "ray":
        return value
    rest = value.removeprefix("ray://")
    host, _, port = rest.rpartition(":")
    if rest == value or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{value!r}: expected `ray` (a Ray started here) or `ray://HOST:PORT` "
                                 "(a Ray cluster's client address, e.g. ray://10.0.0.5:10001)")
    return value


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
@click.option("--por/--no-por", default=None,
              help="Explicit: partial-order reduction, a stubborn subset of each state's successors (default: on "
                   "where sound; off with temporal properties, symmetry, --max-depth or --max-states).")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Explicit: partitions of the search, each in its own process (default: 1, this process); "
                   "the same result as one.")
@click.option("--cluster", default=None, callback=_cluster_address, metavar="ray|ray://HOST:PORT",
              help="Explicit: run the partitions as Ray actors, on a Ray started here (`ray`) or on a Ray cluster "
                   "(default: none; needs the `cluster` extra).")
@coverage_option
@trace_out_option
@run_options
@format_option
def check(file: str, instance: str | None, consts: tuple[str, ...], engine: str, max_depth: int | None,
          max_states: int | None, timeout: float | None, deadlock: bool | None, symmetry: bool | None,
          por: bool | None, workers: int | None, cluster: str | None, coverage: bool, trace_out: str | None,
          fmt: str, **shared: object) -> None:
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
                             deadlock=p["deadlock"], symmetry=p["symmetry"], por=p["por"], workers=workers,
                             cluster=cluster, coverage=p["coverage"] or None)
    result = explained(bound, model, run(model, options), p["coverage"])
    finish(model, result, fmt, trace_out)

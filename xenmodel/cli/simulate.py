"""`xenmodel simulate`: random walks (xenmodel.simulate), over the compiled transition relation by default;
a counterexample is shortened with the minimiser `test` uses (checkers.hypothesis_shrink) unless --no-shrink."""
from __future__ import annotations

import dataclasses
from typing import Any

import click

from xenmodel import ir
from xenmodel.deadline import Deadline
from xenmodel.result import Result, Status

from .common import (
    cli,
    deadlock_option,
    engine_available,
    engine_options,
    finish,
    format_option,
    instance_options,
    load,
    timeout_option,
    trace_out_option,
)
from .settings import configured, run_options, selected


def explore_options(f: Any) -> Any:
    """--explore and --ignore-weights: how simulate and test choose the next step (xenmodel.explore)."""
    f = click.option("--ignore-weights", is_flag=True, default=False,
                     help="Choose as if no action had a @weight (what the model's weights were tuned for "
                          "stays out of the sample).")(f)
    return click.option("--explore", type=click.Choice(["uniform", "guided", "branch"]), default=None,
                        help="uniform (the default): by @weight, else uniformly; guided: swarm subsets of "
                             "actions per run, preferring actions taken least and states not seen yet, "
                             "@weight ignored, steps by instance size; branch: guided, also preferring "
                             "actions and arguments whose branch arms no step took yet.")(f)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@click.option("--steps", default=None, type=click.IntRange(0),
              help="Steps per run (default: 100; with --explore guided or branch, by instance size, 100 to 1000).")
@click.option("--runs", default=None, type=click.IntRange(1), help="Number of random runs (default: 10).")
@click.option("--seed", default=None, type=int, help="Seed; the same seed gives the same runs (default: 0).")
@deadlock_option
@click.option("--semantics", type=click.Choice(["compiled", "reference"]), default="compiled",
              show_default=True, help="Walk the compiled transition relation (fast) or the reference "
              "interpreter (slow, the definition). Traces are replayed through the reference either way.")
@click.option("--shrink/--no-shrink", default=True, show_default=True,
              help="Shorten a counterexample by deleting the steps it does not need (as `test` does).")
@click.option("--swarm", type=click.IntRange(1), default=None,
              help="Run N worker processes, each with its own seed, preferred actions and walk length, "
                   "--runs runs each, until the first violation (default: none, one process).")
@explore_options
@timeout_option
@trace_out_option
@run_options
@format_option
def simulate(file: str, instance: str | None, consts: tuple[str, ...], steps: int | None, runs: int | None,
             seed: int | None, deadlock: bool | None, semantics: str, shrink: bool, swarm: int | None,
             explore: str | None, ignore_weights: bool, timeout: float | None, trace_out: str | None, fmt: str,
             **shared: object) -> None:
    """Random walks through FILE, checking every property at every state (a sample, not a proof)."""
    from xenmodel.simulate import run
    p = configured(file)
    model = selected(load(file, p["instance"], p["consts"], fmt).model, p)
    options = engine_options(fmt, steps=p["steps"], runs=p["runs"], seed=p["seed"], deadlock=p["deadlock"],
                             timeout=p["timeout"], explore=explore, ignore_weights=ignore_weights or None)
    dl = Deadline(p["timeout"])  # --timeout is the whole run: the walk and the shortening
    if swarm is not None:
        with engine_available("swarm"):
            from checkers.swarm import run as run_swarm
        result = run_swarm(model, options, swarm, reference=semantics == "reference")
        if shrink and result.status == Status.VIOLATED:
            result = shortened(model, result, dl)
        finish(model, result, fmt, trace_out)
        return
    sem = None
    if semantics == "compiled":
        with engine_available("compiled"):
            from checkers.explicit.compiled_semantics import compiled_or_none
        sem = compiled_or_none(model)
    result = run(model, options, semantics=sem)
    if shrink and result.status == Status.VIOLATED:
        result = shortened(model, result, dl)
    finish(model, result, fmt, trace_out)


def shortened(model: ir.Model, result: Result, dl: Deadline) -> Result:
    """The violation's trace with the steps it does not need deleted (the minimiser `test` uses,
    checkers.hypothesis_shrink.minimize_within, replayed); the message counts steps by the one convention
    (the actions taken; docs/traces.md). When the run's time is up first, the trace stays as found, and
    the output says so."""
    with engine_available("shrinking"):
        from checkers.hypothesis_shrink import minimize_within
    trace = result.trace
    assert trace is not None
    short, cut = minimize_within(model, trace, dl)
    if cut == "interrupt":
        raise KeyboardInterrupt  # the command's Ctrl-C handling, as before the shortening was shared
    if cut == "timeout":
        return dataclasses.replace(result, messages=(
            *result.messages, f"timed out while shortening: the trace is as found ({len(trace)} step(s))"))
    if len(short) == len(trace):
        return result
    found, now = len(trace), len(short)  # the one convention: actions taken (docs/traces.md)
    stats = {**result.stats, "found_length": found, "length": now}
    return dataclasses.replace(result, trace=short, stats=stats, messages=(
        *result.messages, f"shortened from {found} to {now} step(s) by deleting unneeded steps "
                          "(--no-shrink keeps the walk as found)"))


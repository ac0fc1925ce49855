"""`xenmodel test`: the model as a Hypothesis stateful test (checkers.hypothesis_machine)."""
from __future__ import annotations

import shlex

import click

from xenmodel.result import Status

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
from .simulate import explore_options


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@click.option("--max-examples", type=click.IntRange(1), default=None,
              help="Hypothesis: number of test cases (default: 100).")
@click.option("--steps", type=click.IntRange(1), default=None,
              help="Hypothesis: steps per test case (stateful_step_count; default: 50; with --explore guided or "
                   "branch, by instance size, 50 to 100).")
@click.option("--seed", type=int, default=None, help="Seed; printed with every failure (default: 0).")
@deadlock_option
@click.option("--shrink", type=click.Choice(["hypothesis", "model"]), default=None,
              help="hypothesis (the default): Hypothesis's shrinker, then deletion of unneeded steps; model: only "
                   "the deletion (much faster on long runs; the trace is still replayed and minimal by deletion).")
@explore_options
@timeout_option
@trace_out_option
@run_options
@format_option
def test(file: str, instance: str | None, consts: tuple[str, ...], max_examples: int | None, steps: int | None,
         seed: int | None, deadlock: bool | None, shrink: str | None, explore: str | None, ignore_weights: bool,
         timeout: float | None, trace_out: str | None, fmt: str, **shared: object) -> None:
    """Run FILE as a Hypothesis stateful test: random action sequences, shrunk on failure."""
    p = configured(file)
    max_examples, steps, seed, deadlock = p["max_examples"], p["steps"], p["seed"], p["deadlock"]
    model = selected(load(file, p["instance"], p["consts"], fmt).model, p)
    with engine_available("hypothesis"):
        from checkers.hypothesis_machine import run_options as run
    # deadlock on unless turned off, as in every engine (the Hypothesis engine's own default is off)
    options = engine_options(fmt, max_examples=max_examples, steps=steps, seed=seed,
                             deadlock=True if deadlock is None else deadlock, shrink=shrink, timeout=p["timeout"],
                             explore=explore, ignore_weights=ignore_weights or None)
    result = run(model, options)
    reproduce = None
    if result.status == Status.VIOLATED:  # the options given again, with the seed that failed
        argv = ["xenmodel", "test", model.path] + (["--instance", model.instance] if model.instance else [])
        argv += [f"--const={c}" for c in p["consts"]] + [f"--inv={i}" for i in p["inv"]]
        argv += [f"--skip={i}" for i in p["skip"]] + ["--seed", str(result.seed)]
        argv += ["--max-examples", str(max_examples)] if max_examples is not None else []
        argv += ["--steps", str(steps)] if steps is not None else []
        argv += ["--no-deadlock"] if deadlock is False else []
        argv += ["--shrink", shrink] if shrink is not None else []
        argv += ["--explore", explore] if explore is not None else []
        argv += ["--ignore-weights"] if ignore_weights else []
        reproduce = shlex.join(argv)
    finish(model, result, fmt, trace_out, reproduce)

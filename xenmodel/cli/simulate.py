"""`xenmodel simulate`: random walks (xenmodel.simulate), over the compiled transition relation by default."""
from __future__ import annotations

import click

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
@click.option("--steps", default=None, type=click.IntRange(0), help="Steps per run (default: 100).")
@click.option("--runs", default=None, type=click.IntRange(1), help="Number of random runs (default: 10).")
@click.option("--seed", default=None, type=int, help="Seed; the same seed gives the same runs (default: 0).")
@click.option("--deadlock/--no-deadlock", default=None,
              help="Report a state with no enabled action as a violation (default: on).")
@click.option("--semantics", type=click.Choice(["compiled", "reference"]), default="compiled",
              show_default=True, help="Walk the compiled transition relation (fast) or the reference "
              "interpreter (slow, the definition). Traces are replayed through the reference either way.")
@timeout_option
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=output_path,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@format_option
def simulate(file: str, instance: str | None, consts: tuple[str, ...], steps: int | None, runs: int | None,
             seed: int | None, deadlock: bool | None, semantics: str, timeout: float | None, trace_out: str | None,
             fmt: str) -> None:
    """Random walks through FILE, checking every property at every state (a sample, not a proof)."""
    from xenmodel.simulate import run
    model = load(file, instance, consts, fmt).model
    sem = None
    if semantics == "compiled":
        with engine_available("compiled"):
            from checkers.explicit.compiled_semantics import compiled_or_none
        sem = compiled_or_none(model)
    options = engine_options(fmt, steps=steps, runs=runs, seed=seed, deadlock=deadlock, timeout=timeout)
    finish(model, run(model, options, semantics=sem), fmt, trace_out)

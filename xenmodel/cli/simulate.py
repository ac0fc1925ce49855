"""`xenmodel simulate`: random walks (xenmodel.simulate), over the compiled transition relation by default."""
from __future__ import annotations

import click

from .common import (_finish, _format_option, _instance_options, _load, _output_file, _progress_printer, _timeout_option, cli,
                     engine_available)


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
@_timeout_option
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=_output_file,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@_format_option
def simulate(file: str, instance, consts, steps: int, runs: int, seed: int, deadlock: bool, semantics: str,
             timeout: float | None, trace_out: str | None, fmt: str) -> None:
    """Random walks through FILE, checking every property at every state (a sample, not a proof)."""
    from xenmodel.simulate import simulate as run
    model = _load(file, instance, consts, fmt).model
    progress = _progress_printer(fmt, lambda r, s: f"run {r}/{runs}, {s} steps")
    sem = None
    if semantics == "compiled":
        with engine_available("compiled"):
            from checkers.explicit.compiled_semantics import compiled_or_none
        sem = compiled_or_none(model)
    result = run(model, steps, runs, seed, deadlock=deadlock, progress=progress, semantics=sem, timeout=timeout)
    _finish(model, result, fmt, trace_out)

"""`xenmodel test`: the model as a Hypothesis stateful test (checkers.hypothesis_machine)."""
from __future__ import annotations

import shlex

import click

from .common import (_finish, _format_option, _instance_options, _load, _output_file, _progress_printer, _timeout_option, cli,
                     engine_available)


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
@_timeout_option
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=_output_file,
              help="Write the shrunk counterexample to this file.")
@_format_option
def test(file: str, instance, consts, max_examples: int, steps: int, seed: int, deadlock: bool, shrink: str,
         timeout: float | None, trace_out, fmt: str) -> None:
    """Run FILE as a Hypothesis stateful test: random action sequences, shrunk on failure."""
    model = _load(file, instance, consts, fmt).model
    with engine_available("hypothesis"):
        from checkers.hypothesis_machine import run_options as run
    result = run(model, {"max_examples": max_examples, "steps": steps, "seed": seed, "deadlock": deadlock,
                         "shrink": shrink, "timeout": timeout, "progress": _progress_printer(fmt, lambda line: line)})
    reproduce = None
    if result.status == "violated":
        argv = ["xenmodel", "test", model.path] + (["--instance", model.instance] if model.instance else [])
        argv += [f"--const={c}" for c in consts]
        argv += ["--seed", str(result.seed), "--max-examples", str(max_examples), "--steps", str(steps)]
        argv += (["--deadlock"] if deadlock else []) + (["--shrink", shrink] if shrink != "hypothesis" else [])
        reproduce = shlex.join(argv)
    _finish(model, result, fmt, trace_out, reproduce)

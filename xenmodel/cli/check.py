"""`xenmodel check`: exhaustive explicit-state search (checkers.explicit) or Z3 BMC (checkers.smt.bmc)."""
from __future__ import annotations

from typing import Any

import click

from .common import (_finish, _format_option, _instance_options, _load, _output_file, _progress_printer, _timeout_option, cli,
                     engine_available)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--engine", type=click.Choice(["explicit", "bmc"]), default="explicit", show_default=True,
              help="explicit: exhaustive breadth-first search; bmc: Z3 bounded model checking.")
@click.option("--depth", type=click.IntRange(0), default=10, show_default=True, help="BMC: the depth bound.")
@click.option("--max-states", type=click.IntRange(1), default=None, help="Explicit: stop after this many states.")
@click.option("--max-depth", type=click.IntRange(0), default=None, help="Explicit: explore only to this depth.")
@_timeout_option
@click.option("--deadlock/--no-deadlock", default=True, show_default=True,
              help="Report a reachable state with no enabled action as a violation.")
@click.option("--symmetry/--no-symmetry", default=True, show_default=True,
              help="Explicit: reduce states under permutations of `symmetric` sorts.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=_output_file,
              help="Write the counterexample to this file (.itf.json, .html or .txt).")
@_format_option
def check(file: str, instance, consts, engine: str, depth: int, max_states, max_depth, timeout, deadlock: bool,
          symmetry: bool, trace_out, fmt: str) -> None:
    """Check every invariant and lemma of FILE (and asserts, model errors and deadlock)."""
    model = _load(file, instance, consts, fmt).model
    run: Any  # the engines' option and result types differ until every engine takes EngineOptions
    with engine_available(engine):
        if engine == "bmc":
            from checkers.smt.bmc import check as run
        else:
            from checkers.explicit import check as run
    opts = {"depth": depth, "max_states": max_states, "max_depth": max_depth, "timeout": timeout,
            "deadlock": deadlock, "symmetry": symmetry if engine == "explicit" else None,
            "progress": _progress_printer(fmt, lambda line: line)}
    result = run(model, opts)
    _finish(model, result, fmt, trace_out)

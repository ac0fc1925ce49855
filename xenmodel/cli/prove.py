"""`xenmodel prove`: induction or k-induction with Z3 (checkers.smt.induction)."""
from __future__ import annotations

import click

from .common import (_finish, _format_option, _instance_options, _load, _output_file, _progress_printer, _timeout_option, cli,
                     engine_available)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_instance_options
@click.option("--lemmas", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Model files with lemmas (they include FILE and add `lemma`s); repeatable.")
@click.option("--engine", type=click.Choice(["induction", "kind"]), default="induction", show_default=True,
              help="induction: initiation and consecution per action and property; kind: k-induction.")
@click.option("--k", "k", type=click.IntRange(1), default=2, show_default=True, help="k for --engine kind.")
@_timeout_option
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=_output_file,
              help="Write the counterexample to induction to this file.")
@_format_option
def prove(file: str, instance, consts, lemmas, engine: str, k: int, timeout, trace_out, fmt: str) -> None:
    """Prove every invariant and lemma of FILE for all reachable states of the instance (Z3)."""
    model = _load(file, instance, consts, fmt, extra=tuple(lemmas)).model
    with engine_available(engine):
        if engine == "kind":
            from checkers.smt.induction import prove_k as run
        else:
            from checkers.smt.induction import prove as run
    result = run(model, {"k": k if engine == "kind" else None, "timeout": timeout,
                         "progress": _progress_printer(fmt, lambda line: line)})
    _finish(model, result, fmt, trace_out)

"""`xenmodel prove`: induction or k-induction with Z3 (checkers.smt.induction)."""
from __future__ import annotations

import os

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
@click.option("--lemmas", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Model files with lemmas (they include FILE and add `lemma`s); repeatable.")
@click.option("--engine", type=click.Choice(["induction", "kind"]), default="induction", show_default=True,
              help="induction: initiation and consecution per action and property; kind: k-induction.")
@click.option("--k", "k", type=click.IntRange(1), default=None, help="k for --engine kind (default: 2).")
@timeout_option
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes for --engine induction (default: the number of cores).")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where --engine induction keeps proved obligations (default: $XDG_CACHE_HOME/xenmodel/prove).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of proved obligations.")
@click.option("--trace-out", type=click.Path(dir_okay=False), default=None, callback=output_path,
              help="Write the counterexample to induction to this file.")
@format_option
def prove(file: str, instance: str | None, consts: tuple[str, ...], lemmas: tuple[str, ...], engine: str,
          k: int | None, timeout: float | None, workers: int | None, cache_dir: str | None, no_cache: bool,
          trace_out: str | None, fmt: str) -> None:
    """Prove every invariant and lemma of FILE for all reachable states of the instance (Z3)."""
    model = load(file, instance, consts, fmt, extra=tuple(lemmas)).model
    with engine_available(engine):
        if engine == "kind":
            from checkers.smt.induction import prove_k as run
        else:
            from checkers.smt.induction import prove as run
            from checkers.smt.proof_cache import default_directory
            workers = workers or os.cpu_count() or 1
            cache_dir = None if no_cache else cache_dir or default_directory()
    opts = engine_options(fmt, k=k, timeout=timeout, workers=workers, cache_dir=cache_dir)
    finish(model, run(model, opts), fmt, trace_out)

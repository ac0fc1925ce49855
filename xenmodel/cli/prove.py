"""`xenmodel prove`: induction or k-induction with Z3 (checkers.smt.induction)."""
from __future__ import annotations

import dataclasses
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
    timeout_option,
    trace_out_option,
)
from .settings import configured, run_options, selected


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
@trace_out_option
@click.option("--certify", "certify_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Also write every proof obligation as an SMT-LIB 2 file, with manifest.json, into DIR "
                   "(re-check them with `xenmodel certify DIR`); --engine induction only; implies --no-cache.")
@run_options
@format_option
def prove(file: str, instance: str | None, consts: tuple[str, ...], lemmas: tuple[str, ...], engine: str,
          k: int | None, timeout: float | None, workers: int | None, cache_dir: str | None, no_cache: bool,
          trace_out: str | None, certify_dir: str | None, fmt: str, **shared: object) -> None:
    """Prove every invariant and lemma of FILE for all reachable states of the instance (Z3).

    Deadlock is not a property and is not checked by prove (use check). With --inv, every lemma stays
    (proved too, and assumed in the pre-state); only --skip removes a lemma.
    """
    if certify_dir is not None and engine != "induction":
        raise click.UsageError("--certify writes the obligations of --engine induction only")
    p = configured(file)
    model = selected(load(file, p["instance"], p["consts"], fmt, extra=tuple(p["lemmas"])).model, p,
                     keep_lemmas=True)
    with engine_available(engine):
        if engine == "kind":
            from checkers.smt.induction import prove_k as run
        else:
            from checkers.smt.induction import prove as run
            from checkers.smt.proof_cache import default_directory
            workers = workers or os.cpu_count() or 1
            # --certify records the prover's own answer per obligation in the manifest: no cached answers
            cache_dir = None if no_cache or certify_dir else cache_dir or default_directory()
    opts = engine_options(fmt, k=k, timeout=p["timeout"], workers=workers, cache_dir=cache_dir)
    if certify_dir is None:
        finish(model, run(model, opts), fmt, trace_out)
        return
    from checkers.certify.writer import Verdicts, write  # the prover's answers go into the manifest
    verdicts = Verdicts(opts.progress)
    result = run(model, dataclasses.replace(opts, progress=verdicts))
    try:
        write(model, certify_dir, verdicts.by_query, result.status)
    except OSError as err:
        raise click.UsageError(f"--certify {certify_dir}: {err.strerror or err}") from None
    finish(model, result, fmt, trace_out)

"""`xenmodel infer`: find the lemmas that make the targets inductive (checkers.infer; docs/proofs.md).

The command owns the front end the engine needs (`_Front`: a lemma file's text -> the checked model),
writes the lemma file, and proves it again with `prove`'s engine before it says "proved": the verdict
is the proof of the written file, never the search's own belief.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from collections.abc import Sequence
from typing import Any

import click

from xenmodel import ir
from xenmodel.frontend import load_model, parse_const_options
from xenmodel.limits import parse_limit_options
from xenmodel.safetext import escape

from .common import (
    EXIT_UNKNOWN,
    cli,
    engine_available,
    finish,
    format_option,
    instance_options,
    load,
    progress_printer,
    timeout_option,
)

ENGINES = ("template", "pdr")


class _Front:
    """Lemma texts -> the model at the target (or filter) instance with them added, as `prove --lemmas`
    would load a file holding them."""

    def __init__(self, file: str, instance: str | None, filter_instance: str | None, consts: tuple[str, ...],
                 targets: tuple[str, ...]) -> None:
        meta = click.get_current_context().meta
        self.file = os.path.abspath(file)
        self.instances = {"target": instance, "filter": filter_instance}
        self.consts = parse_const_options(consts)
        self.targets = targets
        self.root = meta.get("xenmodel.root")
        self.limits = parse_limit_options(meta.get("xenmodel.limits", ()))
        self.has_filter = filter_instance is not None

    def text(self, lemmas: Sequence[tuple[str, str]], include: str) -> str:
        return f'include "{include}"\n' + "".join(f"lemma {n}: {t}\n" for n, t in lemmas)

    def model(self, lemmas: Sequence[tuple[str, str]], where: str) -> ir.Model:
        path = os.path.join(os.path.dirname(self.file), "xenmodel-infer-candidates.xm")
        m = load_model(path, self.instances[where], self.consts, text=self.text(lemmas, os.path.basename(self.file)),
                       limits=self.limits, root=self.root).model
        if self.targets:
            mine = {n for n, _ in lemmas}
            m = dataclasses.replace(m, properties=tuple(p for p in m.properties
                                                        if p.name in self.targets or p.name in mine))
        return m


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@instance_options
@click.option("--target", "targets", multiple=True, metavar="NAME",
              help="An invariant or lemma to make inductive (repeatable; default: every one, and the asserts).")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False), default=None, metavar="LEMMAS.xm",
              help="Write the lemma file here (default: print it).")
@click.option("--engine", type=click.Choice(ENGINES), default="template", show_default=True,
              help="template: candidates from a grammar, filtered, Houdini, minimised; pdr: Z3's Spacer.")
@click.option("--filter-instance", default=None, metavar="NAME",
              help="A smaller instance whose reachable states also filter the candidates (default: `small` "
                   "when the model declares it and it is not the target instance).")
@click.option("--max-states", type=click.IntRange(1), default=None,
              help="States the filter's search visits per instance (default: 50000).")
@timeout_option
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Worker processes for the induction queries (default: the number of cores).")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where proved induction queries are kept, shared with `prove` (default: "
                   "$XDG_CACHE_HOME/xenmodel/prove).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of proved induction queries.")
@click.option("--quiet", "-q", is_flag=True, default=False, help="No progress and no warnings on stderr.")
@format_option
def infer(file: str, instance: str | None, consts: tuple[str, ...], targets: tuple[str, ...], out: str | None,
          engine: str, filter_instance: str | None, max_states: int | None, timeout: float | None,
          workers: int | None, cache_dir: str | None, no_cache: bool, quiet: bool, fmt: str) -> None:
    """Find lemmas that make FILE's invariants (or the --target ones) inductive, and write them as a
    lemma file that `xenmodel prove FILE --lemmas LEMMAS.xm` proves.

    Exit 0 proved (the written file was proved again), 1 a target is false in a reachable state (the
    trace), 3 not found (the targets still not inductive, their CTIs and the lemmas found so far).
    """
    ctx = click.get_current_context()
    ctx.meta["xenmodel.quiet"] = quiet
    bound = load(file, instance, consts, fmt)
    names = [p.name for p in bound.model.properties]
    unknown = [t for t in targets if t not in names]
    if unknown:
        raise click.UsageError(f"--target {', '.join(unknown)}: no invariant or lemma of that name in {file} "
                               f"(there are: {', '.join(names) or 'none'})")
    if filter_instance is None and "small" in bound.loaded.instances and bound.model.instance != "small":
        filter_instance = "small"
    elif filter_instance is not None and filter_instance not in bound.loaded.instances:
        raise click.UsageError(f"--filter-instance {filter_instance}: no such instance in {file}")
    progress = progress_printer(fmt, quiet)
    say = (lambda line: progress(line)) if progress else (lambda line: None)
    front = _Front(file, instance, filter_instance, consts, targets)
    if engine == "pdr":
        _pdr(bound.model, targets or tuple(names), timeout, out, fmt)
        return
    with engine_available("infer"):
        from checkers.infer.engine import Settings
        from checkers.infer.engine import infer as run
        from checkers.smt.proof_cache import default_directory
    cache_dir = None if no_cache else cache_dir or default_directory()
    settings = Settings(workers=workers or os.cpu_count() or 1, timeout=timeout,
                        max_states=max_states or Settings.max_states, cache_dir=cache_dir)
    outcome = run(front, settings, say)
    if outcome.status == "violated":
        assert outcome.violation is not None
        res = outcome.violation
        finish(outcome.model or bound.model, res, fmt, None)
    command = _command(file, instance, consts, targets, out, filter_instance, max_states)
    rename = {lem.name: f"inferred_{i + 1}" for i, lem in enumerate(outcome.lemmas)}

    def renamed(why: str) -> str:
        target, _, action = why.partition(" / ")
        if target in outcome.candidate_names and target not in rename:
            target = "a candidate refuted later"  # kept for a while, then dropped by Houdini's rule
        return f"{rename.get(target, target)} / {action}"

    lemmas = [(rename[lem.name], lem.text, tuple(dict.fromkeys(renamed(r) for r in lem.removes)))
              for lem in outcome.lemmas]
    include = os.path.relpath(os.path.abspath(file), os.path.dirname(os.path.abspath(out))) if out else file
    text = lemma_file(bound.model.name, include, command, lemmas, outcome.status,
                      " ".join([file, *(f"--inv {t}" for t in targets)]), out)
    proof = None
    if outcome.status == "proved":
        spent = float(str(outcome.stats.get("seconds", 0)))
        proof = _prove(front, [(n, t) for n, t, _ in lemmas], settings.workers,
                       None if timeout is None else max(timeout - spent, 10.0), cache_dir)
    status = "proved" if proof is not None and proof.status == "holds" else "unknown"
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    _report(outcome, lemmas, text, proof, status, out, fmt, rename)
    sys.exit(0 if status == "proved" else EXIT_UNKNOWN)


def _command(file: str, instance: str | None, consts: tuple[str, ...], targets: tuple[str, ...], out: str | None,
             filter_instance: str | None, max_states: int | None) -> str:
    """The command that made the file, from the options that change what it finds."""
    words = ["xenmodel", "infer", file]
    for flag, value in (("--instance", instance), ("--filter-instance", filter_instance), ("-o", out),
                        ("--max-states", max_states)):
        if value is not None:
            words += [flag, str(value)]
    for flag, values in (("--const", consts), ("--target", targets)):
        for v in values:
            words += [flag, v]
    return " ".join(shlex.quote(w) for w in words)


def lemma_file(model: str, include: str, command: str, lemmas: Sequence[tuple[str, str, tuple[str, ...]]],
               status: str, prove_args: str, out: str | None) -> str:
    head = [f"/// Lemmas inferred by `{command}` (template engine).",
            f"/// Prove them with: xenmodel prove {prove_args} --lemmas {out or 'THIS_FILE'}"]
    if status != "proved":
        head.append("/// Incomplete: these lemmas do NOT make every target inductive (infer answered unknown).")
    lines = [*head, f"model {model}_inferred", "", f'include "{include}"', ""]
    for name, text, removes in lemmas:
        lines.append(f"/// Removes the counterexamples to induction of: {', '.join(removes)}.")
        lines.append(f"lemma {name}: {text}")
        lines.append("")
    return "\n".join(lines)


def _prove(front: _Front, lemmas: list[tuple[str, str]], workers: int, timeout: float | None,
           cache_dir: str | None) -> Any:
    """The written file's proof: the same model `prove FILE --lemmas OUT` loads, proved by induction
    (with `prove`'s cache of proved obligations, as `prove` uses it, unless --no-cache)."""
    from checkers.smt.induction import prove
    model = front.model(lemmas, "target")
    return prove(model, {"workers": workers, "timeout": timeout, "cache_dir": cache_dir})


def _report(outcome: Any, lemmas: Sequence[tuple[str, str, tuple[str, ...]]], text: str, proof: Any, status: str,
            out: str | None, fmt: str, rename: dict[str, str]) -> None:
    from xenmodel.semantics import show_state
    from xenmodel.tracetext import trace_text
    failures = outcome.failures if status != "proved" or proof is None else []
    if proof is not None and proof.status != "holds":
        reason = f"the inferred lemmas did not prove: {proof.reason}"
    else:
        reason = outcome.reason
    if fmt == "json":
        click.echo(json.dumps({
            "status": status, "reason": None if status == "proved" else reason, "output": out,
            "lemmas": [{"name": n, "text": t, "removes": list(r)} for n, t, r in lemmas],
            "failures": [{"target": rename.get(f.target, f.target), "action": f.action, "answer": f.answer,
                          "reason": f.reason,
                          "cti": None if f.trace is None else [show_state(outcome.model, s.state)
                                                               for s in f.trace.steps]}
                         for f in failures],
            "stats": outcome.stats}, indent=2, default=str))
        return
    if status == "proved":
        st = outcome.stats
        click.echo(f"proved: {len(lemmas)} lemma(s) make the targets inductive ({st.get('candidates')} candidates, "
                   f"{st.get('refuted')} refuted, {st.get('queries')} queries, {st.get('seconds')} s; the written "
                   "file proved again)")
    else:
        click.echo(escape(f"unknown: {reason}"))
        for f in failures:
            click.echo(escape(f"  not inductive: {rename.get(f.target, f.target)} / {f.action} ({f.answer})"))
        if failures and failures[0].trace is not None:
            click.echo("the first counterexample to induction (step 0 is a pre-state, not an initial state):")
            click.echo(trace_text(outcome.model, failures[0].trace))
        click.echo(f"lemmas found so far: {len(lemmas)}")
    if out:
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text)


def _pdr(model: ir.Model, targets: Sequence[str], timeout: float | None, out: str | None, fmt: str) -> None:
    """--engine pdr: Z3's Spacer on the same transition relation (checkers.infer.pdr)."""
    with engine_available("pdr"):
        from checkers.infer.pdr import run_pdr
    res = run_pdr(model, list(targets), timeout)
    if out and res.lemmas_text is not None:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(res.lemmas_text)
        click.echo(f"wrote {out}", err=True)
    elif out:
        out = None  # nothing to write: no invariant, or one the language cannot say (the detail says which)
        click.echo("no lemma file written: pdr found no invariant it could write in the language", err=True)
    if fmt == "json":
        click.echo(json.dumps({"status": res.status, "seconds": res.seconds, "detail": res.detail, "output": out,
                               "lemmas_text": res.lemmas_text}))
    else:
        click.echo(escape(f"{res.status}: {res.detail} ({res.seconds:.1f} s)"))
    sys.exit({"proved": 0, "violated": 1}.get(res.status, EXIT_UNKNOWN))

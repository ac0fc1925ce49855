"""`xenmodel instances FILE`: each declared instance with its constants, sort sizes and, with --measure,
the size of its state space measured by the explicit engine within a budget.

A size is only ever measured, never estimated: without --measure none is shown; a search that ran out of
its budget gives a lower bound ("at least N states, to depth D") and one that finished the exact count.
The measuring search leaves out the properties and deadlock (they would stop it at a violation); a
model error or failed assert still stops it, and the output says so.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any

import click

from xenmodel.deadline import Deadline
from xenmodel.frontend import load_model, parse_const_options
from xenmodel.result import EngineOptions, Status
from xenmodel.safetext import escape
from xenmodel.types import SortT

from .common import cli, engine_available, format_option, load, progress_printer


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--const", "consts", multiple=True, metavar="NAME=VALUE",
              help="Override one constant in every instance (repeatable).")
@click.option("--measure", is_flag=True, default=False,
              help="Count each instance's reachable states with the explicit engine (within the budget below).")
@click.option("--max-states", type=click.IntRange(1), default=200_000, show_default=True,
              help="With --measure: the state budget per instance.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=60.0, show_default=True,
              help="With --measure: seconds for the whole run; each instance gets the time left.")
@format_option
def instances(file: str, consts: tuple[str, ...], measure: bool, max_states: int, timeout: float, fmt: str) -> None:
    """List the instances FILE declares: constants, sort sizes and (with --measure) state-space sizes."""
    bound = load(file, None, consts, fmt)
    names: list[str | None] = [*sorted(bound.loaded.instances)] or [None]
    rows = []
    dl = Deadline(timeout)
    for name in names:
        model = bound.model if name == bound.model.instance else load_model(
            file, name, parse_const_options(consts), root=click.get_current_context().meta.get("xenmodel.root")).model
        row: dict[str, Any] = {
            "instance": name, "consts": dict(model.consts),
            "sorts": {t.name: t.size for t in model.types if isinstance(t, SortT)}, "size": None}
        left = dl.remaining()
        if measure and left is not None and left > 0:
            row["size"] = _measure(model, max_states, left, fmt)
        elif measure:
            row["size"] = {"exact": False, "states": None, "depth": None, "up_to_symmetry": False,
                           "stopped": f"--timeout {timeout:g} s ran out before this instance"}
        rows.append(row)
    if fmt == "json":
        click.echo(json.dumps({"model": bound.model.name, "file": file, "instances": rows}, indent=2, default=str))
        return
    for r in rows:
        consts_text = ", ".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in r["consts"].items())
        sorts = ", ".join(f"{k}: {v}" for k, v in r["sorts"].items())
        click.echo(escape(f"{r['instance'] or '(declared values)'}: {consts_text or 'no constants'}"
                          + (f"; sorts {sorts}" if sorts else "")))
        click.echo(escape(f"  states: {_size_text(r['size'])}" if measure else
                          "  states: not measured (--measure counts them)"))


def _measure(model: Any, max_states: int, timeout: float, fmt: str) -> dict[str, Any]:
    with engine_available("explicit"):
        from checkers.explicit import check
    plain = dataclasses.replace(model, properties=())
    # the full search (no partial-order reduction): the count is of every reachable state
    r = check(plain, EngineOptions(max_states=max_states, timeout=timeout, deadlock=False, por=False,
                                   progress=progress_printer(fmt, bool(click.get_current_context().meta.get(
                                       "xenmodel.quiet")))))
    states, depth = r.stats.get("states"), r.stats.get("depth")
    sym = r.stats.get("symmetry")
    reduced = isinstance(sym, dict) and "off" not in sym  # then the count is of states up to symmetry
    if r.status == Status.HOLDS:
        return {"exact": True, "states": states, "depth": depth, "up_to_symmetry": reduced}
    timed_out = any("--timeout" in m for m in r.messages)
    why = {Status.BOUNDED: "--timeout ran out" if timed_out else "the --max-states budget ran out",
           Status.VIOLATED: "a model error or failed assert stopped the search"}.get(r.status,
                                                                                     r.reason or "the search stopped")
    return {"exact": False, "states": states, "depth": depth, "up_to_symmetry": reduced, "stopped": why}


def _size_text(size: dict[str, Any]) -> str:
    if size["states"] is None:
        return f"not measured ({size['stopped']})"
    sym = " up to symmetry" if size["up_to_symmetry"] else ""
    if size["exact"]:
        return f"{size['states']:,} reachable{sym} (exhaustive; the deepest at depth {size['depth']})"
    return f"at least {size['states']:,}{sym}, to depth {size['depth']} ({size['stopped']})"

"""`check --coverage` and the explained "never enabled" line.

The explicit engine counts, per action, the transitions it fired and the new states they found
(stats["coverage"]), and when every reachable state was explored it names the actions never enabled
(stats["never_enabled"], one warning line). The engine sees only the IR, where constants are already
values; the CLI still has the declarations, so it adds to that line the constants each such action's
`require`s read (a feature switch set to false is the usual reason an action can never fire).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from xenmodel import ast as A
from xenmodel import ir
from xenmodel.frontend import Bound
from xenmodel.result import Result

F = TypeVar("F", bound=Callable[..., Any])
NEVER = "warning: "  # the start of the engine's never-enabled line


def coverage_option(f: F) -> F:
    return click.option("--coverage", is_flag=True, default=False,
                        help="Explicit: print a table of how often each action fired and the new states it "
                             "found (in JSON: stats.coverage).")(f)


def explained(bound: Bound, model: ir.Model, result: Result, table: bool) -> Result:
    """The result with the never-enabled line naming the constants the actions' requires read, and
    (with `table`) the per-action coverage table as a message."""
    never: list[str] = list(result.stats.get("never_enabled") or [])
    messages = list(result.messages)
    if never:
        reads = _require_consts(bound, model)
        names = [n + (f" (its require reads {', '.join(reads[n])})" if reads.get(n) else "") for n in never]
        line = f"warning: {len(never)} action(s) never enabled in any reachable state: {', '.join(names)}"
        messages = [line if m.startswith(NEVER) and "never enabled" in m else m for m in messages]
    cov = result.stats.get("coverage")
    if table:
        if not isinstance(cov, dict):
            raise click.UsageError(f"the {result.engine} engine does not count coverage (--coverage is for "
                                   "--engine explicit)")
        messages.append(coverage_table(cov))
    return dataclasses.replace(result, messages=tuple(messages))


def coverage_table(cov: dict[str, dict[str, int]]) -> str:
    width = max([len("action")] + [len(a) for a in cov])
    rows = [f"{'action'.ljust(width)}  {'fired':>12}  {'new states':>12}"]
    for name, c in cov.items():
        rows.append(f"{name.ljust(width)}  {c['generated']:>12,}  {c['distinct']:>12,}")
    return "coverage (transitions fired and new states found, per action):\n" + "\n".join(rows)


def _require_consts(bound: Bound, model: ir.Model) -> dict[str, list[str]]:
    """Per action, `NAME = value` of each constant its top-level requires read."""
    values = dict(model.consts)
    out: dict[str, list[str]] = {}
    for decl in bound.loaded.decls:
        if not isinstance(decl, A.ActionDecl):
            continue
        params = {p.name for p in decl.params}
        seen: list[str] = []
        for stmt in decl.body:
            if isinstance(stmt, A.Require):
                for name in _names(stmt.cond):
                    if name in values and name not in params and name not in seen:
                        seen.append(name)
        out[decl.name] = [f"{n} = {str(values[n]).lower() if isinstance(values[n], bool) else values[n]}"
                          for n in seen]
    return out


def _names(node: Any) -> Iterator[str]:
    """Every Name read in a syntax-tree expression."""
    if isinstance(node, A.Name):
        yield node.id
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            yield from _names(getattr(node, f.name))
    elif isinstance(node, tuple):
        for x in node:
            yield from _names(x)

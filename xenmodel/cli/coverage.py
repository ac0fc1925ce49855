"""`check --coverage` and the explained "never enabled" line.

The explicit engine counts, per action, the transitions it fired and the new states they found
(stats["coverage"]), and when every reachable state was explored it names the actions never enabled
(stats["never_enabled"], one warning line). The engine sees only the IR, where constants are already
values; the CLI still has the declarations, so it adds to that line the constants each such action's
`require`s read (a feature switch set to false is the usual reason an action can never fire).

With --coverage the engine also runs its branch-coverage pass (checkers/explicit/coverage.py): per
action the states in which it is enabled, and per branch point (xenmodel/coverage.py) how often each
arm was taken; this module renders both tables, a branch never taken marked and named by file:line:col.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

from xenmodel import ast as A
from xenmodel import ir
from xenmodel.frontend import Bound
from xenmodel.reports.paths import portable
from xenmodel.result import Result

F = TypeVar("F", bound=Callable[..., Any])
NEVER = "warning: "  # the start of the engine's never-enabled line


def coverage_option(f: F) -> F:
    return click.option("--coverage", is_flag=True, default=False,
                        help="Explicit: print per action how often it was enabled and fired and the new states it "
                             "found, and per branch (require, if, assert, choose, result recorded) how often "
                             "each arm was taken (in JSON: stats.coverage, stats.branches); a slower extra "
                             "pass over every state.")(f)


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
        branches = [dict(b, file=portable(b["file"])) for b in result.stats.get("branches") or []]
        messages.append(coverage_table(cov, branches))
        if branches:
            messages.append(branch_table(branches))
        stats = dict(result.stats, branches=branches) if branches else result.stats
        return dataclasses.replace(result, messages=tuple(messages), stats=stats)
    return dataclasses.replace(result, messages=tuple(messages))


def coverage_table(cov: dict[str, dict[str, int]], branches: list[dict[str, Any]]) -> str:
    """Per action: transitions fired, new states, states where enabled, and branch arms taken / in all."""
    arms: dict[str, list[int]] = {}
    for b in branches:
        for action in b["actions"]:
            counts = arms.setdefault(action, [0, 0])
            counts[0] += sum(1 for n in b["arms"].values() if n > 0)
            counts[1] += len(b["arms"])
    width = max([len("action")] + [len(a) for a in cov])
    extra = branches != [] or any("enabled" in c for c in cov.values())
    head = f"{'action'.ljust(width)}  {'fired':>12}  {'new states':>12}"
    rows = [head + (f"  {'enabled':>12}  {'arms taken':>10}" if extra else "")]
    for name, c in cov.items():
        row = f"{name.ljust(width)}  {c['generated']:>12,}  {c['distinct']:>12,}"
        if extra:
            taken, total = arms.get(name, [0, 0])
            row += f"  {c.get('enabled', 0):>12,}  {f'{taken}/{total}':>10}"
        rows.append(row)
    title = ("transitions fired, new states found, states where enabled, branch arms taken" if extra
             else "transitions fired and new states found")
    return f"coverage ({title}, per action):\n" + "\n".join(rows)


def branch_table(branches: list[dict[str, Any]]) -> str:
    """Every branch point with the count of each arm; an arm never taken is marked `NEVER`."""
    taken = sum(1 for b in branches for n in b["arms"].values() if n > 0)
    total = sum(len(b["arms"]) for b in branches)
    never = [(b, arm) for b in branches for arm, n in b["arms"].items() if n == 0]
    locs = [f"{b['file']}:{b['line']}:{b['col']}" for b in branches]
    width = max([len("location")] + [len(x) for x in locs])
    cells = [", ".join(f"{arm} {n:,}" if n else f"{arm} NEVER" for arm, n in b["arms"].items()) for b in branches]
    arms_width = max([len("arms (times taken)")] + [len(c) for c in cells])
    lines = [f"branch coverage: {taken} of {total} arm(s) taken"]
    if never:
        lines.append(f"never taken ({len(never)}):")
        lines += [f"  {b['file']}:{b['line']}:{b['col']}  {b['kind']} {arm}  ({', '.join(b['actions'])})"
                  for b, arm in never]
    lines.append("branches (times each arm was taken):")
    lines.append(f"{'location'.ljust(width)}  {'kind':<7}  {'arms (times taken)'.ljust(arms_width)}  actions")
    for loc, b, cell in zip(locs, branches, cells, strict=True):
        lines.append(f"{loc.ljust(width)}  {b['kind']:<7}  {cell.ljust(arms_width)}  {', '.join(b['actions'])}")
    return "\n".join(lines)


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

"""`check --coverage`: branch coverage and "times enabled", by a pass after the search.

The compiled transition relation (codegen*.py) counts only transitions fired per action. With
--coverage, once the search is over, every stored state (each reached state, or its canonical
representative under symmetry) has every action instance run again through the reference semantics
with a `xenmodel.coverage.Coverage` hook, which counts each outcome of each branch point (require held /
failed, each arm of each if, each assert checked, each choose that picked, each result recorded).

An action's outcomes depend only on the variables it reads (and the shape of those it writes in part),
so its events are computed once per projection of the state onto them and counted again for every
state with that projection: the counts are those of running every state, at a fraction of the cost.

Under symmetry this is still every branch that any reached state takes: a permutation of a state and of
an action's arguments takes the same branches, and every action instance of the representative is run.
A search that stopped early (a violation, a bound, a timeout) gives the coverage of the states it
stored, and the pass says so. The pass is the reference semantics over the whole state space: several
times slower than the search itself (docs/cli.md).
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from xenmodel import ir, ir_walk
from xenmodel import semantics as S
from xenmodel.coverage import Coverage, Point
from xenmodel.result import EngineOptions, ProgressUpdate, Result, Status

from .search import ENGINE, PROGRESS_EVERY, Search


def with_branch_coverage(model: ir.Model, search: Search, result: Result) -> Result:
    """The result with stats["branches"] (every branch point and the count of each arm) and, per action
    in stats["coverage"], "enabled": the number of stored states in which it has an enabled path."""
    cov = Coverage(model)
    enabled, started = _pass(model, search, cov, saturate=False)
    stats: dict[str, Any] = dict(result.stats)
    per_action = {name: dict(c) for name, c in dict(stats.get("coverage") or {}).items()}
    for a, e in zip(model.actions, enabled, strict=True):
        per_action.setdefault(a.name, {"distinct": 0, "generated": 0})["enabled"] = e
    stats["coverage"] = per_action
    stats["branches"] = cov.to_json()
    taken, total = cov.totals()
    stats["branch_coverage"] = {"taken": taken, "arms": total, "states": len(search.states),
                                "seconds": round(time.perf_counter() - started, 3)}
    messages = list(result.messages)
    if result.status != Status.HOLDS:
        messages.append(f"note: branch coverage of the {len(search.states):,} state(s) stored before the search "
                        "stopped, not of every reachable state")
    return dataclasses.replace(result, stats=stats, messages=tuple(messages))


def arms_taken(model: ir.Model, known_dead: Callable[[Point, str], bool] | None = None) -> tuple[Result, Coverage]:
    """The search's result and a Coverage in which every arm taken in some reachable state has a count
    above 0 (the counts themselves are not totals): an action is no longer run once every arm of every
    branch point it contains was taken, or is one the caller knows to be dead (`known_dead`; such an
    arm may then show 0 although a later state takes it). This is what makes the question "was every
    arm taken?" fast enough for a test (tests/test_spec_coverage.py)."""
    search = Search(model, EngineOptions(deadlock=False))
    result = search.run()
    cov = Coverage(model)
    _pass(model, search, cov, saturate=True, known_dead=known_dead)
    return result, cov


def _pass(model: ir.Model, search: Search, cov: Coverage, saturate: bool,
          known_dead: Callable[[Point, str], bool] | None = None) -> tuple[list[int], float]:
    """Run every action instance of every stored state through the instrumented semantics (see the module
    doc); returns the per-action counts of states where it was enabled, and the start time."""
    S.initial_states(model, cover=cov)
    cov.tally(cov.events)
    enabled = [0] * len(model.actions)
    arg_lists = [list(S.param_tuples(a)) for a in model.actions]
    own = [cov.points_of(a.name) for a in model.actions]
    live = list(range(len(model.actions)))
    # an action's branches depend only on the variables it reads (and on the shape of those it writes
    # in part): its events are computed once per projection of the state onto them
    depends = [sorted(_depends(a)) for a in model.actions]
    memo: list[dict[tuple[Any, ...], tuple[bool, tuple[Any, ...]]]] = [{} for _ in model.actions]
    started = last = time.perf_counter()
    n = len(search.states)
    for i in range(n):
        state = search.value(i)
        for k in live:
            action = model.actions[k]
            key = tuple([state[ix] for ix in depends[k]])
            known = memo[k].get(key)
            if known is None:
                cov.events = []
                hit = False
                for args in arg_lists[k]:
                    if S.successors_of(model, action, args, state, cover=cov):
                        hit = True
                known = memo[k][key] = (hit, tuple(cov.events))
            enabled[k] += known[0]
            cov.tally(known[1])
        if saturate and i % 64 == 0:  # an action whose every arm was taken has nothing left to show
            live = [k for k in live if any(c == 0 and not (known_dead and known_dead(p, arm))
                                           for p in own[k] for arm, c in p.arms.items())]
            if not live:
                break
        now = time.perf_counter()
        if search.progress is not None and now - last >= PROGRESS_EVERY:
            last = now
            search.progress(ProgressUpdate(ENGINE, "branch coverage", now - started, states=n, done=i + 1,
                                           total=n))
    return enabled, started


def _depends(action: ir.Action) -> frozenset[int]:
    """The variables whose values can decide a branch of `action`: those it reads, and those it writes
    in part (a seq element's index is checked against the old length)."""
    partial = frozenset(ir.lvalue_path(n.target)[0].index for n in ir_walk.walk(action.body)
                        if isinstance(n, ir.Assign) and not isinstance(n.target, ir.LVar))
    return ir_walk.vars_read(action.body) | partial

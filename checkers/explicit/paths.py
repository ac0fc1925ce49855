"""A path of stored states turned into a trace: each step labelled by the reference semantics.

The search stores states only (canonical ones under symmetry), not the transitions between them; the
trace asks the reference semantics for the first initial state, then for the first transition from
each state to the next, that lands on the stored one (up to symmetry). Used by the single-process
search (search.py) and by the partitioned one (partitioned.py), whose paths cross partitions.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.trace import TraceStep

from .store import State


def label_path(model: ir.Model, canon: Callable[[State], State] | None, path: Sequence[State]) -> list[TraceStep]:
    """The trace steps (init first) through `path`, a list of stored state values from an initial state."""
    same = canon or (lambda s: s)
    first = None
    for o in S.initial_states(model):
        if isinstance(o, S.Step) and same(o.state) == path[0]:
            first = TraceStep("init", (), o.picks, o.state)
            break
    if first is None:
        raise RuntimeError("explicit: internal error: no initial state matches the trace's first state")
    steps = [first]
    cur = first.state
    for target in path[1:]:
        hit = None
        for o in S.successors(model, cur):
            if isinstance(o, S.Step) and same(o.state) == target:
                hit = o
                break
        if hit is None:
            raise RuntimeError("explicit: internal error: a stored transition is not a transition of the "
                               "reference semantics")
        steps.append(TraceStep(hit.action, hit.args, hit.picks, hit.state))
        cur = hit.state
    return steps

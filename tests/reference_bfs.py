"""A plain breadth-first search over the reference semantics (xenmodel.semantics), for differential tests.

It shares nothing with the explicit engine (no compiled code, no store, no symmetry): states are the
reference interpreter's tuples in a Python set. `bfs(model, deadlock=True, max_states=...)` returns a
RefResult with every reachable state (when it completes), and, for a model with a violation, the
shortest counterexample length and every violation kind found at that length (an engine may report any
one of them: which one comes first depends on the order of the search).

Lengths follow xenmodel.trace: a property broken in a state of depth d, or a deadlock there, is a
trace of length d; a model error or failed assert raised by a step out of a state of depth d is length
d + 1; an error in init, or no initial state at all, is length 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xenmodel import semantics as S
from xenmodel.result import Violation


@dataclass
class RefResult:
    status: str  # holds | violated | too-big
    states: set = field(default_factory=set)  # every reachable state (complete only for "holds")
    length: int | None = None  # shortest counterexample length
    kinds: set = field(default_factory=set)  # violation kinds at that length
    depth: int = 0  # the greatest depth of a reachable state (for "holds")


def bfs(model, deadlock: bool = True, max_states: int = 20000) -> RefResult:
    inits = S.initial_states(model)
    errs = {Violation.of_error(o).kind for o in inits if isinstance(o, S.StepError)}
    if errs:
        return RefResult("violated", length=0, kinds=errs)
    if not inits:  # no initial state: every engine reports it, with or without deadlock checking
        return RefResult("violated", length=0, kinds={"deadlock"})
    seen: set = set()
    level: list = []
    for o in inits:
        if o.state not in seen:
            seen.add(o.state)
            level.append(o.state)
    d = 0
    pending: set = set()  # kinds of errors raised by steps out of the previous level (length d)
    while level:
        kinds = set(pending)
        for s in level:
            for p, err in S.check_properties(model, s):
                kinds.add(Violation.of_property(p, err).kind)
        nxt: list = []
        pending = set()
        for s in level:
            moved = False
            for o in S.successors(model, s):
                moved = True
                if isinstance(o, S.StepError):
                    pending.add(Violation.of_error(o).kind)
                elif o.state not in seen:
                    seen.add(o.state)
                    nxt.append(o.state)
            if not moved and deadlock:
                kinds.add("deadlock")
        if kinds:
            return RefResult("violated", seen, length=d, kinds=kinds)
        if len(seen) > max_states:
            return RefResult("too-big", seen)
        if not nxt and pending:
            return RefResult("violated", seen, length=d + 1, kinds=pending)
        if not nxt:
            return RefResult("holds", seen, depth=d)
        level = nxt
        d += 1
    raise AssertionError("unreachable")

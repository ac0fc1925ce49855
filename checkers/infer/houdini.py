"""Houdini's rule, applied lazily: which candidates a counterexample to induction refutes.

Classic Houdini asks the consecution of every candidate in rounds and drops those that fail, until the
rest is inductive. Here the rule is applied to the CTIs the CTI-guided selection (minimise.py) meets
anyway: a CTI whose pre-state satisfies the targets and EVERY candidate still in the pool, and whose
post-state breaks some of them, proves that no inductive subset of the pool contains those (the
pre-state satisfies every subset, and the step leaves it); they are refuted, for the rest of the run.
If such a CTI breaks a target (or raises an error) instead, no subset of the pool makes the targets
inductive at all: the answer is unknown, and it is final for this grammar. So the selection never
asks the consecution of a candidate it does not keep, where a Houdini round asks every one (on
spec/sched.xm: 400 candidates x 20 actions per round).
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from xenmodel import ir

from .obligations import Failure

ModelOf = Callable[[Sequence[str]], ir.Model]  # the model with these candidates (by name) as lemmas


def refuted(failing: Callable[[tuple[object, ...]], set[str]], failure: Failure, pool: Collection[str]) -> set[str]:
    """The candidates of `pool` a CTI refutes: those false in its post-state (`failing`: the names of the
    properties false in a state, evaluate.failing_fn). The caller guarantees
    that the pre-state satisfies every candidate of the pool. None for an error CTI or a target's CTI
    whose post-state satisfies every candidate."""
    if failure.trace is None or len(failure.trace.steps) < 2:
        return set()
    post = failure.trace.steps[-1].state
    return failing(tuple(post)) & set(pool)

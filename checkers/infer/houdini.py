"""Houdini: the largest subset of the candidates that is inductive together with the targets.

Each round asks every consecution of the targets and the surviving candidates (obligations.py). A
counterexample to induction (CTI) of any of them has a post-state that breaks the property asked and
often more candidates: every candidate false in the post-state (reference semantics) is dropped, and the
round is repeated. It ends when a round drops nothing: then the survivors are inductive relative to the
targets and themselves, except where a target itself still fails (a CTI no candidate is false in, or an
error CTI: its pre-state satisfies every survivor). Those failures are returned: with them the targets
are not proved by this candidate set, and minimisation is not attempted.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from xenmodel import ir
from xenmodel import semantics as S

from .obligations import Asker, Failure

ModelOf = Callable[[Sequence[str]], ir.Model]  # the model with these candidates (by name) as lemmas


@dataclass(frozen=True)
class HoudiniResult:
    survivors: tuple[str, ...]
    failures: tuple[Failure, ...]  # the targets' failures left (empty: targets + survivors inductive)
    rounds: int
    model: ir.Model  # the model with the survivors


def houdini(model_of: ModelOf, names: Sequence[str], targets: Sequence[str], asker: Asker,
            say: Callable[[str], None]) -> HoudiniResult:
    alive = list(names)
    rounds = 0
    while True:
        rounds += 1
        model = model_of(alive)
        failures = asker.failures(model, set(targets) | set(alive))
        living = set(alive)
        dropped: set[str] = set()
        left: list[Failure] = []
        for f in failures:
            if f.target in living and f.answer != "sat":
                dropped.add(f.target)  # not proved (unknown): not kept
                continue
            hit = _false_after(model, f, living)
            dropped |= hit
            if not hit:
                left.append(f)
        say(f"houdini round {rounds}: {len(alive)} candidates, {len(dropped)} dropped, "
            f"{len(left)} target failure(s)")
        if not dropped or asker.out_of_time():
            kept = [n for n in alive if n not in dropped]
            return HoudiniResult(tuple(kept), tuple(left), rounds, model if not dropped else model_of(kept))
        alive = [n for n in alive if n not in dropped]


def _false_after(model: ir.Model, f: Failure, living: set[str]) -> set[str]:
    """The candidates false in the CTI's post-state (none for an error CTI, which has no post-state)."""
    if f.trace is None or len(f.trace.steps) < 2:
        return set()
    return {p.name for p, _ in S.check_properties(model, f.trace.steps[-1].state) if p.name in living}

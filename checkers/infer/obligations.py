"""Asking consecution obligations of a model with candidate lemmas (checkers/smt's queries, discharge,
workers), remembering what was proved.

A proof of consecution(A, P) assuming the properties X stays a proof under any superset of X (more
assumptions, fewer pre-states), so an unsat answer is remembered under (A, P, X) and reused for every
later query (A, P, Y) with X a subset of Y: minimisation only adds lemmas, and Houdini's rounds reuse
the answers whose slice lost nothing. With a cache directory, `prove`'s cache of proved obligations
(checkers/smt/proof_cache.py: keyed by the canonical IR of the action, the property and the assumed
properties) is read before a query and written after an unsat one, so a second run on an unchanged
model asks only what was sat or unknown (only unsat answers are ever stored).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from checkers.smt.discharge import TIME_UP, Outcome, Task
from checkers.smt.proof_cache import ProofCache
from checkers.smt.queries import Obligation, obligations
from checkers.smt.workers import SessionPool
from xenmodel import ir
from xenmodel.trace import Trace

ERRORS = "model errors and asserts"  # the target name of the consecution-errors obligations


@dataclass(frozen=True)
class Failure:
    """A consecution that did not prove: a CTI (sat, with its trace) or an unknown answer."""
    action: str
    target: str  # the property, or ERRORS
    answer: str  # "sat" | "unknown" | "unsupported"
    trace: Trace | None
    reason: str | None


@dataclass
class Asker:
    runner: SessionPool  # over the model with every candidate; each query set is asked of a view of it
    end: float | None  # monotonic deadline
    proved: dict[tuple[str, str], list[frozenset[str]]] = field(default_factory=dict)
    asked: int = 0
    on_answer: Callable[[str], None] | None = None
    cache_dir: str | None = None
    from_cache: int = 0

    def _known(self, ob: Obligation) -> bool:
        key = (ob.action or "", ob.prop or ERRORS)
        have = frozenset(ob.assumed)
        return any(x <= have for x in self.proved.get(key, ()))

    def failures(self, model: ir.Model, props: Collection[str]) -> list[Failure]:
        """Ask consecution of every property in `props` (and the errors obligations) for every action of
        `model` (a view of the runner's model: runner.session.view); the ones that did not prove, in
        obligation order."""
        chosen = [ob for ob in obligations(model) if not ob.skipped and ob.kind.startswith("consecution")
                  and (ob.kind == "consecution-errors" or ob.prop in props) and not self._known(ob)]
        cache = ProofCache(self.cache_dir, model) if self.cache_dir else None
        keys: dict[int, str] = {}
        if cache is not None:
            left = []
            for ob in chosen:
                keys[ob.index] = cache.key(ob)
                if cache.proved(keys[ob.index]):
                    self.from_cache += 1
                    self.proved.setdefault((ob.action or "", ob.prop or ERRORS), []).append(frozenset(ob.assumed))
                else:
                    left.append(ob)
            chosen = left
        by_action: dict[str, list[Obligation]] = {}
        for ob in chosen:
            by_action.setdefault(ob.action or "", []).append(ob)
        tasks = [Task(a, tuple(obs)) for a, obs in by_action.items()]
        outs: dict[int, Outcome] = {}

        def arrived(out: Outcome) -> None:
            outs[out.index] = out
            if self.on_answer is not None:
                self.on_answer(f"induction query {self.asked + len(outs)}: {out.answer} in {out.seconds:.3f}s")

        if tasks:
            self.runner.run(model, tasks, self.end, arrived)
        self.asked += len(outs)
        result: list[Failure] = []
        for ob in chosen:
            out = outs.get(ob.index)
            target = ob.prop or ERRORS
            if out is None:
                result.append(Failure(ob.action or "", target, "unknown", None, TIME_UP))
            elif out.answer == "unsat":
                self.proved.setdefault((ob.action or "", target), []).append(frozenset(ob.assumed))
                if cache is not None and not out.resliced:
                    cache.store(keys[ob.index], ob.label, out.seconds)
            else:
                result.append(Failure(ob.action or "", target, out.answer, out.trace, out.reason))
        return result

    def out_of_time(self) -> bool:
        return self.end is not None and time.monotonic() >= self.end

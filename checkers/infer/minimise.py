"""Selection: the fewest candidates that make the targets inductive, chosen by CTIs (as endive does).

Start from the targets alone. Each round asks the consecutions of the targets and of the lemmas kept so
far; every CTI's pre-state satisfies all of them. The candidate false in the most of this round's
pre-states is kept (ties: the smaller, then the earlier), with the CTIs it removes (by target and
action) as its reason, until every CTI of the round is removed. Kept lemmas become properties, so
their own CTIs are removed the same way. It ends when a round has no CTI: then targets + kept are
inductive (the caller proves the written file again with `prove`). A CTI whose pre-state breaks no
candidate left refutes the candidates its post-state breaks (Houdini's rule, houdini.py): they leave
the pool, and the kept ones among them are dropped; if it breaks a target instead, no subset of the
candidates can prove the targets and the answer is unknown. A lemma is kept only for a CTI no lemma
kept before removes, so each kept lemma removes a CTI the others do not when it is chosen.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xenmodel import ir

from .evaluate import failing_fn
from .houdini import ModelOf, refuted
from .obligations import Asker, Failure


@dataclass(frozen=True)
class Kept:
    name: str
    removes: tuple[str, ...]  # "target / action" of the CTIs it removed when it was chosen


@dataclass(frozen=True)
class MinimiseResult:
    kept: tuple[Kept, ...]
    failures: tuple[Failure, ...]  # left when it could not finish (unknown answers, time, a target stuck)
    refuted: int  # candidates refuted by Houdini's rule


def minimise(model_of: ModelOf, pool_model: ir.Model, candidates: Sequence[str], sizes: Mapping[str, int],
             targets: Sequence[str], asker: Asker, say: Callable[[str], None]) -> MinimiseResult:
    kept: list[Kept] = []
    order = {n: i for i, n in enumerate(candidates)}
    pool = set(candidates)
    failing = failing_fn(pool_model)
    while True:
        names = [k.name for k in kept]
        failures = asker.failures(model_of(names), set(targets) | set(names))
        if not failures:
            return MinimiseResult(tuple(kept), (), len(candidates) - len(pool))
        if any(f.answer != "sat" or f.trace is None for f in failures) or asker.out_of_time():
            return MinimiseResult(tuple(kept), tuple(failures), len(candidates) - len(pool))
        # which candidates of the pool each CTI's pre-state breaks (the kept ones hold there: assumed)
        falsified: list[set[str]] = []
        for f in failures:
            assert f.trace is not None
            pre = f.trace.steps[0].state
            falsified.append({n for n in failing(tuple(pre)) if n in pool and n not in names})
        # a pre-state that breaks no candidate: Houdini's rule (houdini.py)
        gone: set[str] = set()
        stuck: list[Failure] = []
        for f, fs in zip(failures, falsified, strict=True):
            if not fs:
                hit = refuted(failing, f, pool)
                if f.target in pool and hit:
                    gone |= hit
                else:
                    stuck.append(f)
        if stuck:
            return MinimiseResult(tuple(kept), tuple(stuck), len(candidates) - len(pool))
        if gone:
            pool -= gone
            kept = [k for k in kept if k.name not in gone]
            say(f"houdini: {len(gone)} candidate(s) refuted, {len(pool)} left, {len(kept)} kept")
            continue
        open_ = set(range(len(failures)))
        while open_:
            score: dict[str, int] = {}
            for i in open_:
                for n in falsified[i]:
                    score[n] = score.get(n, 0) + 1
            best = min(score, key=lambda n: (-score[n], sizes.get(n, 0), order[n]))
            removed = sorted(i for i in open_ if best in falsified[i])
            kept.append(Kept(best, tuple(dict.fromkeys(f"{failures[i].target} / {failures[i].action}"
                                                       for i in removed))))
            open_ -= set(removed)
        say(f"minimise: {len(kept)} lemma(s) kept")

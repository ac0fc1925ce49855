"""Minimisation: the fewest Houdini survivors that make the targets inductive, chosen by CTIs (as endive).

Start from the targets alone. Each round asks the consecutions of the targets and of the lemmas kept so
far; every CTI's pre-state satisfies all of them. Since targets + survivors is inductive, some survivor
is false in that pre-state (otherwise its post-state would satisfy them all): the survivor false in the
most of this round's pre-states is kept (ties: the smaller, then the earlier), with the CTIs it removes
(by target and action) as its reason, until every CTI of the round is removed. Kept lemmas become
properties, so their own CTIs are removed the same way. It ends when a round has no CTI: then targets
+ kept are inductive (the caller proves the written file again with `prove`). A lemma is kept only for a
CTI no lemma kept before removes, so each kept lemma removes a CTI the others do not at the time it is
chosen.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from xenmodel import ir
from xenmodel import semantics as S

from .houdini import ModelOf
from .obligations import Asker, Failure


@dataclass(frozen=True)
class Kept:
    name: str
    removes: tuple[str, ...]  # "target / action" of the CTIs it removed when it was chosen


@dataclass(frozen=True)
class MinimiseResult:
    kept: tuple[Kept, ...]
    failures: tuple[Failure, ...]  # left when it could not finish (unknown answers, time, no survivor)


def minimise(model_of: ModelOf, survivors_model: ir.Model, survivors: Sequence[str], sizes: Mapping[str, int],
             targets: Sequence[str], asker: Asker, say: Callable[[str], None]) -> MinimiseResult:
    kept: list[Kept] = []
    order = {n: i for i, n in enumerate(survivors)}
    while True:
        names = [k.name for k in kept]
        failures = asker.failures(model_of(names), set(targets) | set(names))
        if not failures:
            return MinimiseResult(tuple(kept), ())
        if any(f.answer != "sat" or f.trace is None for f in failures) or asker.out_of_time():
            return MinimiseResult(tuple(kept), tuple(failures))
        # which survivors each CTI's pre-state breaks
        falsified: list[set[str]] = []
        for f in failures:
            assert f.trace is not None
            pre = f.trace.steps[0].state
            falsified.append({p.name for p, _ in S.check_properties(survivors_model, pre)
                              if p.name in order and p.name not in names})
        open_ = set(range(len(failures)))
        while open_:
            score: dict[str, int] = {}
            for i in open_:
                for n in falsified[i]:
                    score[n] = score.get(n, 0) + 1
            if not score:
                return MinimiseResult(tuple(kept), tuple(failures[i] for i in sorted(open_)))
            best = min(score, key=lambda n: (-score[n], sizes.get(n, 0), order[n]))
            removed = sorted(i for i in open_ if best in falsified[i])
            kept.append(Kept(best, tuple(dict.fromkeys(f"{failures[i].target} / {failures[i].action}"
                                                       for i in removed))))
            open_ -= set(removed)
        say(f"minimise: {len(kept)} lemma(s) kept")

"""`xenmodel infer`'s template engine: grammar -> filter -> Houdini -> minimisation.

The engine never parses: candidates are source text, and the caller's `Frontend` turns a list of named
lemma texts into the checked model (at the target instance, or at the filter instance) with those
lemmas added, exactly as `prove FILE --lemmas OUT` will load them. So every candidate is type-checked by
the front end and the written file is what was proved.

Steps (each module's comment says more):
  1. reachable states at the target instance (BFS up to `max_states`, random walks) and at the filter
     instance when there is one (BFS); a target false there ends the run with that violation;
  2. the atoms of every scope (grammar.py) evaluated on those states; the units and implications that
     held everywhere become candidates (candidates.py), at most `cap`;
  3. CTI-guided selection (minimise.py) over every candidate: the fewest lemmas that make the targets
     inductive, each chosen because it is false in a CTI's pre-state; a CTI whose pre-state breaks no
     candidate refutes the candidates its post-state breaks (Houdini's rule, houdini.py), or, when it
     breaks a target, ends the run as unknown (no subset of the candidates can prove it), with the
     targets' CTIs and the lemmas kept so far.
The verdict `proved` here means "targets + lemmas passed every consecution query"; the CLI writes the
file and proves it again with `prove` before it says so.
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from checkers.smt.workers import SessionPool
from xenmodel import ir
from xenmodel.result import Result

from .candidates import Candidate, candidates, conditioned
from .filter import CompiledAtom, Table, atom_body, explore, observe, walks
from .grammar import Grammar, ScopeAtoms
from .grammar_pointers import pointer_pairs
from .minimise import minimise
from .obligations import Asker, Failure
from .sums import sum_candidates

Where = Literal["target", "filter"]


class Frontend(Protocol):
    """The caller's front end: the model at an instance with these (name, text) lemmas added."""

    def model(self, lemmas: Sequence[tuple[str, str]], where: Where) -> ir.Model: ...

    @property
    def has_filter(self) -> bool: ...


@dataclass(frozen=True)
class Settings:
    workers: int = 1
    timeout: float | None = None
    max_states: int = 50_000  # BFS bound per instance
    walks: int = 20
    walk_depth: int = 60
    cap: int = 5000  # candidates in all (2000 and 600 before candidates.aliases)
    cap_per_scope: int = 1500
    cap_conditioned: int = 1200  # `A && B => L` candidates in all (candidates.conditioned), beyond `cap`
    cache_dir: str | None = None  # prove's cache of proved obligations (obligations.py); None: no cache


@dataclass(frozen=True)
class Lemma:
    name: str
    text: str
    removes: tuple[str, ...]  # "target / action" of the CTIs it removed


@dataclass
class InferOutcome:
    status: Literal["proved", "violated", "unknown"]
    lemmas: list[Lemma] = field(default_factory=list)
    violation: Result | None = None
    failures: list[Failure] = field(default_factory=list)
    reason: str = ""
    stats: dict[str, object] = field(default_factory=dict)
    model: ir.Model | None = None  # the model the violation's or the failures' traces belong to
    candidate_names: frozenset[str] = frozenset()  # the internal names of every candidate


def infer(front: Frontend, settings: Settings, say_: Callable[[str], None] = lambda _: None) -> InferOutcome:
    started = time.monotonic()

    def say(line: str) -> None:
        say_(f"{line} ({time.monotonic() - started:.1f} s)")

    end = None if settings.timeout is None else started + settings.timeout
    stats: dict[str, object] = {}

    def left() -> float | None:
        return None if end is None else max(end - time.monotonic(), 1.0)

    base = front.model((), "target")
    targets = [p.name for p in base.properties]
    # 1. reachable states
    where: list[tuple[Where, list[tuple[object, ...]]]] = []
    instances: list[Where] = ["target", "filter"] if front.has_filter else ["target"]
    for w in instances:
        m = base if w == "target" else front.model((), "filter")
        ex = explore(m, settings.max_states, left())
        if ex.violated is not None:
            return InferOutcome("violated", violation=ex.violated, reason="a target is false in a reachable state",
                                stats={"seconds": round(time.monotonic() - started, 3)}, model=m)
        states = ex.states + (walks(m, settings.walks, settings.walk_depth) if w == "target" else [])
        stats[f"states_{w}"] = len(states)
        stats[f"complete_{w}"] = ex.complete
        where.append((w, states))
    say(f"filter: {', '.join(f'{len(s)} states at the {w} instance' for w, s in where)}")
    # 2. atoms, observations, candidates
    grammar = Grammar(base)
    scoped: list[ScopeAtoms] = [sa for sa in (grammar.atoms(s) for s in grammar.scopes()) if sa.atoms]
    texts: list[tuple[str, str]] = []
    for si, sa in enumerate(scoped):
        for ai, a in enumerate(sa.atoms):
            texts.append((f"infer_atom_{si}_{ai}", sa.scope.prefix() + a.pos))
            if a.guard:
                texts.append((f"infer_guard_{si}_{ai}", sa.scope.prefix() + a.guard))
    observations: list[set[tuple[bool | None, ...]]] = [set() for _ in scoped]
    for w, states in where:
        model = front.model(texts, w)
        props = {p.name: p for p in model.properties}
        projections: dict[tuple[int, ...], list[tuple[object, ...]]] = {}  # scopes reading the same variables
        for si, sa in enumerate(scoped):
            depth = len(sa.scope.binders)
            compiled: list[CompiledAtom] = []
            for ai in range(len(sa.atoms)):
                g = props.get(f"infer_guard_{si}_{ai}")
                compiled.append(CompiledAtom(atom_body(props[f"infer_atom_{si}_{ai}"], depth),
                                             None if g is None else atom_body(g, depth)))
            observe(model, sa, compiled, states, observations[si], projections)
    found: list[Candidate] = []
    extra: list[list[Candidate]] = []  # two conditions, per scope: a budget of their own, after the others
    for sa, obs in zip(scoped, observations, strict=True):
        table = Table(sa.atoms, obs)
        found.extend(candidates(sa.scope, table, settings.cap_per_scope))
        # three literals: two conditions in scopes of one variable, pointer pairs in scopes of two
        extra.append(conditioned(sa.scope, table) if len(sa.scope.binders) < 2 else pointer_pairs(sa.scope, table))
    found.sort(key=lambda c: (c.size, c.text))
    # the scopes take turns (each list is smallest first), so no scope's small ones crowd out the rest
    turns = [c for row in itertools.zip_longest(*extra) for c in row if c is not None]
    found = list(dict.fromkeys(found))[:settings.cap] + list(dict.fromkeys(turns))[:settings.cap_conditioned]
    found += sum_candidates(front, grammar, where)  # sums.py: `t == p1 + p2 + ...`, beyond the caps
    stats["atoms"] = sum(len(sa.atoms) for sa in scoped)
    stats["candidates"] = len(found)
    say(f"candidates: {len(found)} from {stats['atoms']} atoms in {len(scoped)} scopes")
    # internal names; the caller renames the lemmas it writes (Lemma.removes names targets and lemmas)
    text_of = {f"infer_candidate_{i + 1}": c.text for i, c in enumerate(found)}
    sizes = {f"infer_candidate_{i + 1}": c.size for i, c in enumerate(found)}
    # the model is loaded once, with every candidate; the model with some of them as lemmas is a view of
    # it (the same IR, fewer properties), and the induction queries of every round share its encodings
    runner = SessionPool(front.model([(n, text_of[n]) for n in text_of], "target"), settings.workers)

    def model_of(names: Sequence[str]) -> ir.Model:
        return runner.session.view([*targets, *names])

    asker = Asker(runner, end, on_answer=say, cache_dir=settings.cache_dir)

    def done(status: Literal["proved", "unknown"], lemmas: list[Lemma], failures: Sequence[Failure],
             reason: str) -> InferOutcome:
        stats.update(queries=asker.asked, from_cache=asker.from_cache, seconds=round(time.monotonic() - started, 3))
        return InferOutcome(status, lemmas, failures=list(failures), reason=reason, stats=stats,
                            model=model_of([lem.name for lem in lemmas]), candidate_names=frozenset(text_of))

    # 3. CTI-guided selection, with Houdini's rule on the CTIs no candidate removes
    everything = list(text_of)
    try:
        sel = minimise(model_of, runner.session.model, everything, sizes, targets, asker, say)
    finally:
        runner.close()
    stats["refuted"] = sel.refuted
    lemmas = [Lemma(k.name, text_of[k.name], k.removes) for k in sel.kept]
    if sel.failures:
        why = ("time ran out" if asker.out_of_time() else
               "an induction query was not answered" if any(f.answer != "sat" for f in sel.failures) else
               "the targets are not inductive with any subset of the candidates")
        return done("unknown", lemmas, sel.failures, why)
    return done("proved", lemmas, (), "")


"""Candidate lemmas: the units and implications of a scope's literals that held on every observation.

A candidate is source text (`forall p: PCpu :: curr[p] != none => st[get(curr[p])] == running`), so the
lemma file `infer` writes is readable and is type-checked by the front end like any lemma. Implications
are listed once per contrapositive pair; an implication is left out when its consequent holds alone or
its antecedent never holds (the unit says it better), and when its literals leave a variable of the
scope unused (a smaller scope has it). The smallest candidates come first; `cap` bounds the total.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from .filter import Literal, Table
from .grammar import Atom, Scope


@dataclass(frozen=True)
class Candidate:
    text: str
    size: int
    scope: str


def _lit_text(a: Atom, positive: bool) -> str:
    return a.pos if positive else a.neg


def _render(scope: Scope, antecedents: list[str], consequent: str) -> str:
    ante: list[str] = []
    for part in scope.distinct() + antecedents:
        if part not in ante and part != consequent:
            ante.append(part)
    body = f"{' && '.join(ante)} => {consequent}" if ante else consequent
    return scope.prefix() + body


def candidates(scope: Scope, table: Table, cap: int) -> list[Candidate]:
    atoms = table.atoms
    full = frozenset(b.name for b in scope.binders)
    out: list[Candidate] = []
    units: set[tuple[int, bool]] = set()
    for i, a in enumerate(atoms):
        for pos in (True, False):
            lit = Literal(i, pos)
            if table.holds(lit) and not table.never(lit):
                units.add((i, pos))
                if a.vars == full:
                    out.append(Candidate(_render(scope, [a.guard] if a.guard else [], _lit_text(a, pos)), a.size,
                                         scope.label()))
    for i, j in itertools.combinations(range(len(atoms)), 2):
        a, b = atoms[i], atoms[j]
        if a.vars | b.vars != full or (a.subject is not None and a.subject == b.subject):
            continue  # a smaller scope says it; or `t == c1 => t != c2`, true of every state
        for pa, pb in itertools.product((True, False), repeat=2):
            la, lb = Literal(i, pa), Literal(j, pb)
            # implied by a unit, or vacuous: the unit or the smaller scope says it
            if (j, pb) in units or (i, not pa) in units or (i, pa) in units or (j, not pb) in units:
                continue
            if table.never(la) or not table.implies(la, lb):
                continue
            ante = [g for g in (a.guard, b.guard) if g] + [_lit_text(a, pa)]
            out.append(Candidate(_render(scope, ante, _lit_text(b, pb)), a.size + b.size, scope.label()))
            if len(out) >= cap * 4:
                break
    out.sort(key=lambda c: (c.size, c.text))
    return out[:cap]

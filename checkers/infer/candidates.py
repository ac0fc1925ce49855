"""Candidate lemmas: the units and implications of a scope's literals that held on every observation.

A candidate is source text (`forall p: PCpu :: curr[p] != none => st[get(curr[p])] == running`), so the
lemma file `infer` writes is readable and is type-checked by the front end like any lemma. Implications
are listed once per contrapositive pair; an implication is left out when its consequent holds alone or
its antecedent never holds (the unit says it better), and when its literals leave a variable of the
scope unused (a smaller scope has it). The smallest candidates come first; `cap` bounds the total.
Aliases (atoms the observations cannot tell from an earlier atom or its negation, `aliases`) are
paired only with their class's first atom, both ways; the other implications name the first atom.

`conditioned` adds implications of two conditions, `forall k :: A && B => L` (`mig_committed() &&
mig_dst == READY => dst_mem[p] == susp_mem[p]`, `phase == FINAL && !tosend[p] => dst_mem[p] ==
susp_mem[p]`): each condition a positive atom of no scope variable (a condition on the global state: a
bool, a def, an enum equality) or a flag of the scope's variable (a bool term or a bool def's call,
either sign), L a literal over the whole scope, in scopes of at most one variable; only where neither
condition alone implies L. Bounds: the first MAX_CONDS global conditions and MAX_FLAGS flags of the
scope, MAX_CONDITIONED candidates per scope.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from .filter import Literal, Table
from .grammar import Atom, Scope

MAX_CONDS = 64  # global conditions (positive atoms of no scope variable) paired per scope
MAX_CONDITIONED = 400  # `A && B => L` candidates per scope
MAX_FLAGS = 16  # flags of the scope's variable (each with both signs) used as conditions
ALIASES = True  # pair only the first atom of each class of aliases (see candidates)


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


def aliases(table: Table) -> dict[int, tuple[int, bool]]:
    """Atom -> (the first atom of its class, same sign?), for every atom whose literals hold on exactly
    the observations where another atom's (or its negation's) do: guard-free atoms of the same
    variables, at least one observation each way (a unit is not an alias). A class's first atom is its
    smallest (then the earliest)."""
    classes: dict[tuple[int, int, frozenset[str]], list[tuple[int, bool]]] = {}
    for i, a in enumerate(table.atoms):
        t, f = table.true[i], table.false[i]
        if a.guard is not None or not t or not f:
            continue
        key, same = ((t, f), True) if t <= f else ((f, t), False)
        classes.setdefault((*key, a.vars), []).append((i, same))
    out: dict[int, tuple[int, bool]] = {}
    for members in classes.values():
        first, sign = min(members, key=lambda m: (table.atoms[m[0]].size, m[0]))
        for i, same in members:
            if i != first:
                out[i] = (first, same == sign)
    return out


def candidates(scope: Scope, table: Table, cap: int) -> list[Candidate]:
    atoms = table.atoms
    full = frozenset(b.name for b in scope.binders)
    out: list[Candidate] = []
    # an alias (an atom the observations cannot tell from an earlier one, or from its negation) is
    # paired with its class's first atom only, both ways: `alias => first`, `first => alias`; every
    # other implication names the first atom, and with those two says what the alias would
    alias = aliases(table) if ALIASES else {}
    for j, (i, same) in alias.items():
        a, b = atoms[i], atoms[j]
        if a.vars == full:
            for pa in (True, False):
                pb = pa if same else not pa
                out.append(Candidate(_render(scope, [_lit_text(a, pa)], _lit_text(b, pb)), a.size + b.size,
                                     scope.label()))
                out.append(Candidate(_render(scope, [_lit_text(b, pb)], _lit_text(a, pa)), a.size + b.size,
                                     scope.label()))
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
        if i in alias or j in alias:
            continue  # said with the class's first atom (above)
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


def conditioned(scope: Scope, table: Table) -> list[Candidate]:
    """`forall scope :: A && B => L` that held on every observation (see the module comment); scopes of
    one variable at most (grammar_pointers.py has the three-literal family of two-variable scopes)."""
    if len(scope.binders) > 1:
        return []
    atoms = table.atoms
    full = frozenset(b.name for b in scope.binders)
    conds = [(i, True) for i, a in enumerate(atoms) if not a.vars and a.guard is None and table.true[i]][:MAX_CONDS]
    if full:
        flags = [i for i, a in enumerate(atoms) if a.flag and a.vars == full and a.guard is None][:MAX_FLAGS]
        conds += [(i, pos) for i in flags for pos in (True, False)]
    ends = [(k, pos) for k, a in enumerate(atoms) if a.vars == full for pos in (True, False)]

    def bits(i: int, pos: bool) -> int:
        return (table.true if pos else table.false)[i]

    out: list[Candidate] = []
    for (i, pi), (j, pj) in itertools.combinations(conds, 2):
        a, b = atoms[i], atoms[j]
        if i == j or (a.subject is not None and a.subject == b.subject):
            continue  # `x && !x`, `t == c1 && t == c2`: never
        ti, tj = bits(i, pi), bits(j, pj)
        both = ti & tj
        if not both or both in (ti, tj):
            continue  # never together, or one implies the other: a single condition says it
        for k, pos in ends:
            if k in (i, j):
                continue
            broken = (table.false if pos else table.true)[k]
            if not broken or both & broken or not ti & broken or not tj & broken:
                continue  # a unit, broken, or one condition is enough
            c = atoms[k]
            ante = [g for g in (c.guard,) if g] + [_lit_text(a, pi), _lit_text(b, pj)]
            out.append(Candidate(_render(scope, ante, _lit_text(c, pos)), a.size + b.size + c.size, scope.label()))
    out.sort(key=lambda c: (c.size, c.text))
    return out[:MAX_CONDITIONED]

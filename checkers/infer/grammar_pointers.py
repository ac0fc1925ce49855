"""Pointer pairs under a condition: `forall a, b :: C && t1 == a => t2 != b` (two-variable scopes).

A table indexed by two sorts whose entries point at another entry of the table (a record with one field
of each index sort, `tab[a][b].peer_a`, `tab[a][b].peer_b`) often needs "an entry of kind C never points
at itself", or "an entry of kind C that points back in one coordinate does in the other". Neither is an
implication of two atoms: `t1 == a => t2 != b` is false of the default entry (kind FREE, both fields at
the sort's first value) at a == S(0), b == T(0), and `C => t2 != b` is false of an entry of kind C
pointing at another a with the same b. It takes three literals, and the two-condition family
(candidates.conditioned) covers only scopes of at most one variable.

The family, per scope of two variables a, b (grammar.py's atoms of that scope, so over the model's
declared types only):

  - pointer atoms: `t == k` for k a variable of the scope, mentioning both variables (grammar.py lists
    them for every term of k's sort or option of it: `tab[a][b].peer_a == a`, `owner[b] == a`; not
    `x[S(0)].f == a`, an entry outside the scope's);
  - conditions C: a positive atom `t == c` of a constant c (an enum member, `none`, a bound, `S(0)`)
    or a flag (a bool term or a bool def's call, either sign), those mentioning both variables first,
    at most MAX_POINTER_CONDS (a flag's two signs count two);
  - candidates `C && P1 => L`, P1 a pointer atom (positive), L a pointer atom of another term (either
    sign; `C && P1 => !P2` and `C && P2 => !P1` say the same and are listed once); kept only when they
    held on every observation, C && P1 was observed, and neither C alone nor P1 alone implies L on the
    observations (else an implication of two atoms says it). At most MAX_POINTER_CANDS per scope, the
    smallest first.

So `forall d: Dom, e: Port :: chan[d][e].state == BOUND && chan[d][e].peer_dom == d =>
chan[d][e].peer_port != e` (a bound port is never its own peer), tests/fixtures/infer_ptr.xm.
"""
from __future__ import annotations

import itertools

from .candidates import Candidate, _render
from .filter import Table
from .grammar import Scope

MAX_POINTER_CONDS = 32  # conditions C per scope
MAX_POINTER_CANDS = 64  # candidates per scope


def pointer_pairs(scope: Scope, table: Table) -> list[Candidate]:
    """The family's candidates of one scope of two variables (see the module comment)."""
    binders = tuple(b.name for b in scope.binders)
    if len(binders) != 2:
        return []
    atoms = table.atoms
    full = frozenset(binders)
    # pointer atoms of the scope's entries: `t == k` mentioning both variables (`tab[a][b].peer == a`)
    term: dict[int, str] = {}  # pointer atom -> its term t
    for i, a in enumerate(atoms):
        if a.subject is None and not a.flag and a.vars == full:
            for k in binders:
                if a.pos.endswith(f" == {k}"):
                    term[i] = a.pos[:-len(f" == {k}")]
    pointers = list(term)
    if len(pointers) < 2:
        return []
    conds: list[tuple[int, bool]] = []
    for whole in (True, False):  # the conditions mentioning both variables first
        for i, a in enumerate(atoms):
            if (a.vars == full) != whole or i in pointers or not (a.subject is not None or a.flag):
                continue
            conds.extend([(i, True), (i, False)] if a.flag else [(i, True)])
    conds = conds[:MAX_POINTER_CONDS]

    def true(i: int, pos: bool) -> int:
        return (table.true if pos else table.false)[i]

    out: list[Candidate] = []
    for ci, cpos in conds:
        c = atoms[ci]
        tc = true(ci, cpos)
        if not tc:
            continue
        for p1, p2 in itertools.permutations(pointers, 2):
            a1, a2 = atoms[p1], atoms[p2]
            if term[p1] == term[p2]:
                continue  # one term equal to both variables
            both = tc & table.true[p1]
            if not both:
                continue
            for lpos in (True, False):
                if not lpos and p2 < p1:
                    continue  # `C && P2 => !P1` is this one
                broken = true(p2, not lpos)
                if both & broken or not tc & broken or not table.true[p1] & broken:
                    continue  # broken, or C alone or P1 alone implies L
                ante = [g for g in (c.guard, a1.guard, a2.guard) if g] + [c.pos if cpos else c.neg, a1.pos]
                out.append(Candidate(_render(scope, ante, a2.pos if lpos else a2.neg),
                                     c.size + a1.size + a2.size, scope.label()))
    out.sort(key=lambda x: (x.size, x.text))
    return list(dict.fromkeys(out))[:MAX_POINTER_CANDS]

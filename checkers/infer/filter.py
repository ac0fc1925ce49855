"""Reachable states, and the candidates that hold on all of them (the filter of `xenmodel infer`).

States come from the explicit engine's breadth-first search (checkers/explicit/search.py, without
symmetry, up to a number of states: a search cut short still gives reachable states) and from random
walks over the compiled transition relation (deeper states than the BFS reaches in large instances).
The search also checks the targets: a target false in a reachable state is reported as the search's
violation (a replayed trace), before any lemma is looked for.

The atoms of a scope (grammar.py) are evaluated on every state and every binding of the scope's
variables with the reference semantics; the distinct tuples of atom values are the observations. A
literal is a bitset over the observations (where it is true, where it is false; a guarded atom whose
guard is false is neither), and an implication L1 => L2 survives when no observation makes L1 true
and L2 false. So the filter costs states x bindings x atoms evaluations, not states x candidates.
"""
from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from checkers.explicit.compiled_semantics import compiled_or_none
from checkers.explicit.runtime import Unsupported
from checkers.explicit.search import Search
from xenmodel import ir, ir_walk
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError
from xenmodel.result import EngineOptions, Result, Status
from xenmodel.types import values

from .evaluate import compile_scope
from .grammar import Atom, ScopeAtoms

State = tuple[object, ...]


@dataclass
class Explored:
    states: list[State]
    complete: bool  # every reachable state is in `states`
    violated: Result | None  # a target false in a reachable state (from the search)


def explore(model: ir.Model, max_states: int, timeout: float | None) -> Explored:
    """Breadth-first search of `model` (whose properties are the targets), up to max_states states."""
    # every reachable state (no reduction): each one can refute a candidate
    opts = EngineOptions(max_states=max_states, deadlock=False, symmetry=False, por=False, timeout=timeout)
    search = Search(model, opts)
    res = search.run()
    if res.status == Status.VIOLATED:
        return Explored([], False, res)
    states = [search.value(i) for i in range(len(search.states))]
    return Explored(states, res.status == Status.HOLDS, None)


def walks(model: ir.Model, count: int, depth: int, seed: int = 0) -> list[State]:
    """States of `count` random walks of up to `depth` steps (fixed seed: the same states every run)."""
    rng = random.Random(seed)
    compiled = compiled_or_none(model)
    inits = [o.state for o in S.initial_states(model) if isinstance(o, S.Step)]
    out: list[State] = []
    for _ in range(count if inits else 0):
        state = rng.choice(inits)
        for _ in range(depth):
            succ = compiled.successors(state) if compiled is not None else list(S.successors(model, state))
            steps = [s for s in succ if isinstance(s, S.Step)]
            if not steps:
                break
            state = rng.choice(steps).state
            out.append(tuple(state))
    return out


Body = tuple[ir.Expr, tuple[ir.Quant, ...]]  # an atom's expression and the quantifiers binding it


@dataclass(frozen=True)
class CompiledAtom:
    core: Body
    guard: Body | None


def atom_body(prop: ir.Property, depth: int) -> Body:
    """The body of `forall x1, ..., xd :: body` and its quantifiers, outermost first."""
    e = prop.expr
    quants: list[ir.Quant] = []
    while len(quants) < depth:
        assert isinstance(e, ir.Quant), "an atom lemma is a forall over the scope's variables"
        quants.append(e)
        e = e.body
    return e, tuple(quants)


def observe(model: ir.Model, sa: ScopeAtoms, compiled: Sequence[CompiledAtom], states: Sequence[State],
            into: set[tuple[bool | None, ...]],
            projections: dict[tuple[int, ...], list[State]] | None = None) -> None:
    """Add to `into` the tuple of atom values of every state and binding of the scope's variables:
    compiled (evaluate.py), or with the reference semantics where the compiler does not take an atom.
    `projections`: the caller's memo of the distinct projections of these same `states` (by the
    variables kept), shared by the scopes that read the same variables."""
    if not compiled:
        return
    domains = [values(q.domain) for q in compiled[0].core[1]]
    bindings = [b for b in itertools.product(*domains) if not (sa.scope.same_sort and b[0] == b[1])]
    try:
        fast = compile_scope(model, [(a.core, a.guard) for a in compiled])
    except Unsupported:
        fast = None
    # the atoms of a scope often read a few of the variables: states that agree on those give the same
    # observations, so each projection is evaluated once (the others read as None: never evaluated)
    read = ir_walk.vars_read(tuple(e for a in compiled for body in (a.core, a.guard) if body for e in (body[0],)))
    if len(read) < len(model.vars):
        keep = tuple(sorted(read))
        if projections is not None and keep in projections:
            states = projections[keep]
        else:
            states = project(states, keep, len(model.vars))
            if projections is not None:
                projections[keep] = states
    if fast is not None:
        fast(states, bindings, into)
        return
    for state in states:
        for b in bindings:
            into.add(tuple(_value(a, state, b) for a in compiled))


def project(states: Sequence[State], keep: Sequence[int], width: int) -> list[State]:
    """The distinct projections of `states` on the variables `keep`, the others None (never read)."""
    distinct = dict.fromkeys(tuple(st[i] for i in keep) for st in states)
    return [_widen(p, keep, width) for p in distinct]


def _widen(values_: tuple[object, ...], keep: Sequence[int], width: int) -> State:
    out: list[object] = [None] * width
    for i, v in zip(keep, values_, strict=True):
        out[i] = v
    return tuple(out)


def _eval(body: Body, state: State, binding: tuple[object, ...]) -> object:
    expr, quants = body
    return S.eval_expr(expr, state, {q.uid: v for q, v in zip(quants, binding, strict=True)})


def _value(a: CompiledAtom, state: State, binding: tuple[object, ...]) -> bool | None:
    try:
        if a.guard is not None and not _eval(a.guard, state, binding):
            return None
        return bool(_eval(a.core, state, binding))
    except ModelError:
        return None


def _columns(bits: np.ndarray) -> list[int]:
    """Each column of a boolean matrix as an int (bit i: row i, in some fixed order)."""
    packed = np.ascontiguousarray(np.packbits(bits, axis=0).T)
    return [int.from_bytes(row.tobytes(), "big") for row in packed]


@dataclass(frozen=True)
class Literal:
    atom: int
    positive: bool


class Table:
    """The literals of one scope as bitsets over its observations."""

    def __init__(self, atoms: Sequence[Atom], observations: Iterable[tuple[bool | None, ...]]) -> None:
        # one column of bits per atom, packed by numpy (None reads as NaN: neither true nor false); the
        # order of the observations is irrelevant
        obs = list(observations)
        self.atoms = atoms
        grid = np.array(obs, dtype=np.float64).reshape(len(obs), len(atoms))
        self.true = _columns(grid == 1.0)
        self.false = _columns(grid == 0.0)

    def holds(self, lit: Literal) -> bool:
        return not (self.false if lit.positive else self.true)[lit.atom]

    def never(self, lit: Literal) -> bool:
        return not (self.true if lit.positive else self.false)[lit.atom]

    def implies(self, a: Literal, b: Literal) -> bool:
        ta = (self.true if a.positive else self.false)[a.atom]
        fb = (self.false if b.positive else self.true)[b.atom]
        return not (ta & fb)

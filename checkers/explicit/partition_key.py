"""Which part of a state decides its owner in the partitioned search (partition.py): the *partition key*.

With the owner a hash of the whole state, a successor has its parent's owner by chance only (1 in n:
every transition changes some component), so most states have parents in several partitions and are
generated, checked and sent by each of them: on S1 (3,2,3) with 2 partitions, 3.48 million states new
to a partition's expansion for 1.86 million states, so only the per-transition work is divided by n.
Hashing only components that few transitions change keeps more successors with their parent's owner,
where the partition's own set deduplicates them (`pend[1]` on S1: 2.98 million; docs/performance.md).

The key is a set of *cells*: a whole variable, or one element of a map variable (its value is a tuple,
one element per key, in every state; a seq's length varies, so it is taken whole). It is chosen by
measurement on a sample of the state space: a few seeded random walks from the initial states, every
successor of every state visited, up to EDGES successors (`sample`; deterministic, so every run of a
model with the same n chooses the same key; about 0.05 s on S1, 0.6 s on spec/xen.xm, while the workers
start). Greedily, the cell whose addition changes the fewest sampled transitions is
added until the owners of the sampled states are balanced (the busiest gets at most BALANCE times its
share of the states and SPREAD times its share of the key values seen, for one of a few starting values
of the hash); a key that changes more than MAX_CHANGED of the
transitions, or that never balances within MAX_CELLS cells, is not worth it: the whole state is the key
then. The key only decides where a state is kept; the search's results (counts, traces) do not depend
on it (partition.py).
"""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.types import MapT

from .model_code import ModelCode
from .runtime import Unsupported
from .store import State

Cell = tuple[int, int | None]  # (variable index, element index; None: the whole variable)


class Key(NamedTuple):
    """The cells hashed (in order), and the hash's starting value: a few values of a small key (a bool:
    two) fall into n owners unevenly for some starting values; `choose` tries SALTS of them."""
    cells: tuple[Cell, ...]
    salt: int = 0


SALTS = 8

WALKS, STEPS = 24, 120  # the sample: walks from the initial states (one ends at a deadlock), steps each
EDGES = 12_000  # ... until this many successors are sampled (a model with many transitions per state)
BALANCE = 1.5  # the busiest owner's sampled states over an even share, at most (walks sample unevenly)
SPREAD = 1.25  # ... and its share of the key values seen, at most
MAX_CHANGED = 0.3  # a key changed by more of the sampled transitions is not worth it
MAX_CELLS = 4


def whole_state(model: ir.Model) -> Key:
    return Key(tuple((ix, None) for ix in range(len(model.vars))))


def describe(model: ir.Model, key: Key) -> str:
    """The key for the output: `whole state`, or its cells (`pend[0]`: the first element of map `pend`)."""
    if key.cells == whole_state(model).cells:
        return "whole state"
    return ", ".join(model.vars[ix].name + ("" if k is None else f"[{k}]") for ix, k in key.cells)


def project(key: Key, ix: int, value: Any) -> Any:
    """What of variable ix's value the key hashes (None: nothing of it; for the whole state, the value)."""
    ks = [k for j, k in key.cells if j == ix]
    if not ks:
        return None
    if None in ks:
        return value
    return tuple(value[k] for k in ks)


def sample(model: ir.Model, canon: Callable[[State], State] | None,
           firsts: list[State]) -> list[tuple[State, list[State]]]:
    """States visited by seeded random walks (canonical under symmetry), each with all its successors."""
    try:
        fn, _ = ModelCode(model).build_list()

        def succ(s: State) -> list[State]:
            return [t[3] for t in fn(s) if t[0] != "error"]
    except Unsupported:
        def succ(s: State) -> list[State]:
            return [o.state for o in S.successors(model, s) if not isinstance(o, S.StepError)]
    rng = random.Random(0)
    out: list[tuple[State, list[State]]] = []
    edges = 0
    for w in range(WALKS):
        s = firsts[w % len(firsts)]
        for _ in range(STEPS):
            nxt = succ(s)
            if canon is not None:
                nxt = [canon(t) for t in nxt]
            out.append((s, nxt))
            edges += len(nxt)
            if edges >= EDGES:
                return out
            if not nxt:
                break
            s = nxt[rng.randrange(len(nxt))]
    return out


def choose(model: ir.Model, n: int, seen: list[tuple[State, list[State]]],
           owner: Callable[[Key, State], int]) -> Key:
    """The partition key for n partitions from the sample `seen` (see the module docstring); `owner(key,
    state)` is the owner partition.py computes."""
    whole = whole_state(model)
    edges = [(s, t) for s, ts in seen for t in ts]
    states = list(dict.fromkeys(s for s, _ in seen))
    if n < 2 or not edges or len(states) < 20 * n:
        return whole
    cells: list[Cell] = []
    for ix in range(len(model.vars)):
        cells.append((ix, None))
        # a map's value is a tuple with one element per key, in every state (types.default)
        if isinstance(model.vars[ix].type, MapT) and len(states[0][ix]) > 1:
            cells += [(ix, k) for k in range(len(states[0][ix]))]

    # per cell, which sampled transitions change it
    changes = {c: np.zeros(len(edges), bool) for c in cells}
    for e, (s, t) in enumerate(edges):
        for ix, (a, b) in enumerate(zip(s, t, strict=True)):
            if a != b:
                changes[(ix, None)][e] = True
                if (ix, 0) in changes:
                    for k, (x, y) in enumerate(zip(a, b, strict=True)):
                        if x != y:
                            changes[(ix, k)][e] = True

    def cell_of(c: Cell, s: State) -> Any:
        return s[c[0]] if c[1] is None else s[c[0]][c[1]]

    def order(c: Cell) -> tuple[int, int]:
        return c[0], -1 if c[1] is None else c[1]

    key: list[Cell] = []
    changed = np.zeros(len(edges), bool)
    for _ in range(MAX_CELLS):
        # a cell of a variable taken whole already adds nothing
        best = min((c for c in cells if c not in key and (c[0], None) not in key),
                   key=lambda c: (int(np.count_nonzero(changed | changes[c])), order(c)), default=None)
        if best is None:
            break
        key = [c for c in key if c[0] != best[0]] if best[1] is None else key
        key.append(best)
        changed |= changes[best]
        if np.count_nonzero(changed) > MAX_CHANGED * len(edges):
            return whole
        cs = tuple(sorted(key, key=order))
        # one state per key value seen: the sample's frequencies lean to the walks' starts, and a key of a
        # few values (two bools: 4 into 3 owners) cannot be even however often each value occurs
        values = list({tuple(cell_of(c, s) for c in cs): s for s in states}.values())
        for salt in range(SALTS):
            cand = Key(cs, salt)
            load, spread = [0] * n, [0] * n
            for s in states:
                load[owner(cand, s)] += 1
            for s in values:
                spread[owner(cand, s)] += 1
            if max(load) <= BALANCE * len(states) / n and max(spread) <= SPREAD * len(values) / n:
                return cand
    return whole

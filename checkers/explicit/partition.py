"""One partition of a hash-partitioned breadth-first search: the states one worker owns.

Worker w of n owns the states whose stable hash is w mod n (`owner`). The search is level-synchronous
(partitioned.py drives it): for level d every partition expands its states of depth d with the
compiled BFS step of the single-process search (model_code.build_bfs: the same successor code, store
and incremental property checks), over a set of every state it owns or has generated, and sends each
new successor to its owner as an entry (state, parent rank, sibling number, parent index); then every
owner takes the entries sent to it (`absorb`), keeps the states it has never seen, and they become its
part of level d+1.

The order of the single-process search. One process discovers states in BFS order: level d+1 in the
order of (position of the parent in level d, order of the transition in the parent's expansion). A
state's *rank* is its position in that order, as a number: an initial state's rank is its place
among the initial states; a state of level d+1 whose first discoverer is a parent of rank r has rank
r * R_d + k, where k is its number among the new states that parent's expansion appended (in
transition order) and R_d exceeds every such k (the radix: the maximum over all partitions, which the
driver passes to the next `expand`). A parent belongs to one partition, so the states discovered by
one parent are numbered by one worker, in the single process's order; and the ranks of one level
compare exactly as one process's positions do, whichever partition holds the states. So every choice
the single process makes by "first found" is made here by "least rank":
  - the parent a state records is its discoverer of least rank: the same parent;
  - the violation reported is the one of least rank (a deadlock of level d before anything found
    while expanding it, as search.py does).
Each partition expands its states in rank order, so the first time it generates a state is its own
least discoverer; the owner keeps the least over all senders.

States are opaque here: hashable, picklable values of the compiled successor function, kept as the
values in a store.Store with raw=True: the packed component ids of the single-process search are numbered
in the order one process meets the values, so they mean nothing in another process.
"""
from __future__ import annotations

import resource
import time
import zlib
from array import array
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S

from .model_code import ExpandFn, ModelCode, SuccFn
from .reference_step import reference_expand
from .runtime import Unsupported
from .store import State, Store

# an entry sent to a state's owner: (state, parent rank, sibling number, parent's index there * n + its partition)
Entry = tuple[State, int, int, int]
Batch = list[Entry]  # what one partition sends one owner after expanding a level
_KEY = itemgetter(1, 2)  # an entry's (parent rank, sibling number)
NONE_HASH = 0x1545F4914F6CDD1D  # None hashes by address in CPython < 3.12: not the same in two processes
_MINUS_ONE = 0x0F3D5B79A2C4E6B1  # hash(-1) is hash(-2)
_WRAP = 2**61 - 1  # the modulus of Python's int hash


def stable_hash(v: Any) -> int:
    """A hash of a value that every process computes alike (hash() of None and of str is not stable).
    Values are ints, bools, None, strs and bytes, tuples and frozensets of values. Python's int hash
    is the int itself, except that -1 hashes as -2 and ints beyond 2^61 wrap: those get their own
    numbers, so that values of one variable do not collide systematically (SharedIds checks anyway)."""
    t = type(v)
    if t is int or t is bool:
        if -_WRAP < v < _WRAP:
            return _MINUS_ONE if v == -1 else int(v)
        return hash((_WRAP, zlib.crc32(str(v).encode()), v % _WRAP))
    if t is tuple:
        return hash(tuple([stable_hash(x) for x in v]))
    if v is None:
        return NONE_HASH
    if t is frozenset:
        return hash(frozenset([stable_hash(x) for x in v]))
    if t is str or t is bytes:
        return zlib.crc32(v.encode() if isinstance(v, str) else v)
    raise TypeError(f"explicit: a state component of type {t.__name__} cannot be partitioned")


def owner_of(state: State, n: int, cache: dict[Any, int]) -> int:
    """The partition (of n) that owns `state`; `cache` keeps each component's stable hash."""
    parts = []
    for c in state:
        h = cache.get(c)
        if h is None:
            h = cache[c] = stable_hash(c)
        parts.append(h)
    return hash(tuple(parts)) % n


class Partition:
    """The states one worker owns, and its part of each level's expansion (see the module docstring)."""

    def __init__(self, model: ir.Model, wid: int, n: int, symmetry: bool, deadlock: bool) -> None:
        self.model, self.wid, self.n, self.deadlock = model, wid, n, deadlock
        self.notes: list[str] = []
        self.canon: Callable[[State], State] | None = None
        if symmetry:
            from .symmetry import make_canonicaliser
            self.canon, _ = make_canonicaliser(model)
        # states are kept as value tuples: the packed ids of store.Store are local to one process
        self.store = Store(len(model.vars), raw=True)
        self.code = ModelCode(model)
        self.expand_fn = self._compiled()
        self._succ: SuccFn | None = None  # the list-sink successor function: for deadlock scans only
        na = len(model.actions)
        self.gen = [0] * na  # transitions taken out of this partition's states, per action
        self.dist = [0] * na  # states new to this partition's expansions, per action that found them
        self.states: list[State] = []  # owned states, level by level; each level in rank order
        self.owned: set[State] = set()
        self.known: set[State] = set()  # every state owned or generated here: not sent twice
        # per owned state, its parent: index there * n + partition (-1: an initial state)
        self.parent = array("q")
        self.keys: list[tuple[int, int]] = []  # (parent rank, sibling number) of each state of the newest level
        self.lo = 0  # the newest level is states[lo:]
        self.hashes: dict[Any, int] = {}  # the stable hash of each component value met here

    def _compiled(self) -> ExpandFn:
        try:
            fn, _ = self.code.build_bfs(self.store, self.canon, None, self.deadlock)
            return fn
        except Unsupported as err:
            self.notes.append(f"note: the compiled engine cannot take this model ({err}); the search runs on "
                              "the reference semantics instead (slower)")
            return self._reference_expand

    def _reference_expand(self, states: list[State], lo: int, hi: int, seen: Any,
                          parent: Any) -> tuple[str, Any, Any, Any]:
        """build_bfs's `_expand` contract through the reference semantics."""
        n = len(self.model.actions)
        return reference_expand(self.model, self.store, self.canon, self.deadlock, None, states, lo, hi, seen, parent,
                                [0] * n, [0] * n)

    def _has_successor(self, key: State) -> bool:
        if self._succ is None:
            try:
                self._succ, _ = self.code.build_list()
            except Unsupported:
                model = self.model
                self._succ = lambda state: list(S.successors(model, state))
        return bool(self._succ(self.store.decode(key)))

    def owner(self, key: State) -> int:
        """The partition that owns the stored state `key` (owner_of of its values: the same number)."""
        return owner_of(key, self.n, self.hashes)

    # ------------------------------------------------------------ one level
    def seed(self, entries: list[tuple[State, int]]) -> None:
        """The initial states this partition owns, with their ranks (their order among all of them)."""
        for state, rank in sorted(entries, key=lambda e: e[1]):
            key = self.store.encode(state)
            self.owned.add(key)
            self.known.add(key)
            self.states.append(key)
            self.parent.append(-1)
            self.keys.append((rank, 0))

    def expand(self, radix: int) -> tuple[list[Batch], dict[str, Any]]:
        """Expand the newest level, whose keys become ranks with `radix` (see the module docstring).
        Returns the batch for each owner (the states' values and their ranks), and what the expansion
        found, each the least of this partition: `deadlock` (rank, index), `error` (rank, index) of a
        state with a model error, `inv` (rank of the parent, its index, the state's values, property
        index) of a new state that breaks a property; and `radix` (for the next level)."""
        lo, m = self.lo, len(self.states) - self.lo
        ranks = [r * radix + k for r, k in self.keys]
        scratch = self.states[lo:]  # the level, then the new states the expansion appends
        par = array("q")
        status, info, gen, dist = self.expand_fn(scratch, 0, m, self.known, par)
        for a in range(len(gen)):
            self.gen[a] += gen[a]
            self.dist[a] += dist[a]
        found: dict[str, Any] = {"deadlock": None, "error": None, "inv": None}
        stop = None
        if status == "deadlock":
            found["deadlock"] = (ranks[info], lo + info)
        elif status == "error":
            stop = info[0]
            found["error"] = (ranks[stop], lo + stop)
        elif status == "inv":
            stop = par[info[0] - m]
            found["inv"] = (ranks[stop], lo + stop, self.store.decode(scratch[info[0]]), info[1])
        if stop is not None and self.deadlock:  # a deadlock later in the level is a shorter trace
            j = next((j for j in range(stop + 1, m) if not self._has_successor(scratch[j])), None)
            if j is not None:
                found["deadlock"] = (ranks[j], lo + j)
        entries: list[list[Entry]] = [[] for _ in range(self.n)]
        owner, n, me = self.owner, self.n, self.wid
        prev, sib, most = -1, 0, 0
        for x in range(m, len(scratch)):
            t, j = scratch[x], par[x - m]
            sib = sib + 1 if j == prev else 0
            prev = j
            if sib > most:
                most = sib
            entries[owner(t)].append((t, ranks[j], sib, (lo + j) * n + me))
        found["radix"] = most + 1
        return entries, found

    def absorb(self, batches: list[Batch]) -> int:
        """Keep the new states of the entries (batches[w]: what partition w sent), each with its least
        (parent rank, sibling number), in that order, as this partition's next level; their number.
        Each batch is in that order already (expansion order), so the sort only merges them."""
        entries: list[Entry] = []
        for batch in batches:
            entries += batch
        entries.sort(key=_KEY)
        owned, known, states, parent, keys = self.owned, self.known, self.states, self.parent, []
        self.lo = len(states)
        for t, prank, sib, pref in entries:
            if t in owned:
                continue
            owned.add(t)
            known.add(t)
            states.append(t)
            parent.append(pref)
            keys.append((prank, sib))
        self.keys = keys
        return len(states) - self.lo

    def level(self, batches: list[Batch], found: dict[str, Any]) -> dict[str, Any]:
        """A level's report: what `expand` found, the new states absorbed here, the counts."""
        return {**found, "new": self.absorb(batches), **self.counts()}

    def scan_deadlocks(self, radix: int) -> tuple[int, int] | None:
        """(rank, index) of the least deadlock of the newest level, which is not expanded (the last level
        of --max-depth)."""
        if not self.deadlock:
            return None
        for j, (r, k) in enumerate(self.keys):
            if not self._has_successor(self.states[self.lo + j]):
                return r * radix + k, self.lo + j
        return None

    def step_back(self, i: int) -> tuple[State, int, int]:
        """The state (values) at index i and its parent's (partition, index); (-1, -1) for an initial state."""
        p = self.parent[i]
        return self.store.decode(self.states[i]), (-1 if p < 0 else p % self.n), (-1 if p < 0 else p // self.n)

    def counts(self) -> dict[str, Any]:
        """This partition's totals: transitions and states per action, CPU seconds, peak memory."""
        return {"gen": list(self.gen), "dist": list(self.dist), "cpu": time.process_time(),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

"""One partition of a hash-partitioned breadth-first search: the states one worker owns.

Worker w of n owns the states whose owner hash (`owner_of`: a mix of the stable hashes of the part of
the state the partition key takes, partition_key.py) is w mod n. The search is level-synchronous
(partitioned.py drives it). For level d every partition
  1. `expand`s its states of depth d with the single-process search's compiled BFS step
     (model_code.build_bfs: the same successor code, memo tables and incremental property checks) on
     the same packed states (store.Store: one int per state), over a set `known` of the states it owns.
     The step tests each successor not in `known` for its owner (`OwnerTest`: a table per value of the
     key's variables): one of this partition's is stored, added to `known` and checked as in one
     process; another's is only listed for its owner, which stores and checks it. So a state is stored
     and checked by its owner only, whoever generates it (with the whole state as the key, where a
     successor is another's about as often as not, the step keeps every new state instead, so that a
     state generated here again is not sent again: the senders then check what they send);
  2. splits the new successors by owner, over the whole level at once with numpy, and sends each
     owner one batch: packed ints, keys and parent links as int64 arrays (a few buffers per level and
     owner to pickle, not a tuple per state);
  3. `absorb`s the batches sent to it. Another process's packed ints carry that process's component
     ids (a Store numbers values in the order one process meets them), so each batch comes with the
     component values its sender numbered since its last batch to this owner; the owner keeps, per
     sender and variable, an array from the sender's ids to its own and translates a whole batch with
     a few array operations. It keeps the states it had not seen, each with its least key, in key
     order, as its part of level d+1, and checks the properties on those new to it that their senders
     did not check;
  4. `settle`s: the partitions exchange the sorted keys of their new levels, and each computes its
     states' positions in the whole level (searchsorted), which the next level's keys are made of.

The order of the single-process search. One process discovers states in BFS order: level d+1 in the
order of (position of the parent in level d, order of the transition in the parent's expansion). A
state's *key* is (position of its parent in level d, its number among the new states that parent's
expansion appended here), packed as position * RADIX + number. A parent belongs to one partition, so
the states one parent discovers are numbered by one worker in the single process's order, and the
keys of one level compare as one process's discovery order does, whichever partition holds them. So
every choice the single process makes by "first found" is made here by "least key" or "least
position":
  - the parent a state records is its discoverer of least key: the same parent;
  - the violation reported is the violating new state of least key, or a model error while expanding
    a state of lesser position (a deadlock of level d before anything found while expanding it, as
    search.py does). A partition's step stops at its first violation, after it listed for their owners
    the successors it generated before it: so the least key of any violating state is among those
    generated, and its owner, which checks it, settles it.
Each partition expands its states in position order, so the first time it generates a state is its
own least discoverer; the owner keeps the least over all senders.
"""
from __future__ import annotations

import functools
import resource
import time
import zlib
from array import array
from collections.abc import Callable
from typing import Any

import numpy as np

from xenmodel import ir
from xenmodel import semantics as S

from .model_code import CheckFn, ExpandFn, ModelCode, SuccFn
from .partition_key import Key, project, whole_state
from .reference_step import first_failing, reference_expand
from .runtime import Unsupported
from .store import State, Store, rss_bytes

RADIX_BITS = 24  # a key is parent position * 2**24 + sibling number: positions up to 2**39 fit an int64
RADIX = 1 << RADIX_BITS
INT64_BITS = 62  # packed states up to this wide are int64 arrays; wider ones object arrays (Python ints: slower)
NONE_HASH = 0x1545F4914F6CDD1D  # None hashes by address in CPython < 3.12: not the same in two processes
_MINUS_ONE = 0x0F3D5B79A2C4E6B1  # hash(-1) is hash(-2)
_WRAP = 2**61 - 1  # the modulus of Python's int hash
_M64 = 2**64 - 1
_MULT = 0x9E3779B97F4A7C15  # the owner hash: h = h * _MULT + component hash, then a final mix
_MIX, _MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB  # splitmix64's finaliser: every bit of h reaches the low ones
# what partition w sends owner j for a level: packed states (w's ids), keys, parent links
# ((index in w) * n + w), and per variable the values w numbered since its last batch to j
Payload = tuple[Any, Any, Any, list[list[Any]] | None]


def stable_hash(v: Any) -> int:
    """A hash of a value that every process computes alike (hash() of None and of str is not stable).
    Values are ints, bools, None, strs and bytes, tuples and frozensets of values. Python's int hash
    is the int itself, except that -1 hashes as -2 and ints beyond 2^61 wrap: those get their own
    numbers, so that values of one variable do not collide systematically."""
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


def _mix(h: int) -> int:
    h ^= h >> 30
    h = h * _MIX & _M64
    h ^= h >> 27
    h = h * _MIX2 & _M64
    return h ^ h >> 31


_PLANS: dict[Key, list[tuple[int, tuple[int, ...] | None]]] = {}


def owner_of(state: State, n: int, key: Key, cache: dict[Any, int]) -> int:
    """The partition (of n) that owns the state with values `state`: a hash of what `key` takes of it
    (partition_key.py); `cache` keeps the stable hashes. Partition._owners computes the same number on
    packed states, over arrays."""
    h = key.salt
    plan = _PLANS.get(key)
    if plan is None:  # per variable of the key, in order: the elements it takes (None: the whole value)
        plan = _PLANS[key] = []
        for ix in sorted({ix for ix, _ in key.cells}):
            ks = [k for j, k in key.cells if j == ix]
            plan.append((ix, None if None in ks else tuple(k for k in ks if k is not None)))
    for ix, elems in plan:  # (ix, project(key, ix, state[ix])), without its look-ups
        v = state[ix]
        c = (ix, v if elems is None else tuple([v[k] for k in elems]))
        x = cache.get(c)
        if x is None:
            x = cache[c] = stable_hash(c[1]) & _M64
        h = (h * _MULT + x) & _M64
    return _mix(h) % n


class OwnerTest:
    """The owner of a new state inside the compiled step (model_code.Owner): per value of the bits of the
    partition key's variables in a packed state (`bits`), the owner (owner_of), looked up once per value.
    With the whole state as the key, `bits` is 0 and every state is this partition's: the step keeps
    every new state, as without the test (with such a key a successor is another partition's about as
    often as not, and the set of states generated here saves sending it twice)."""

    def __init__(self, store: Store, me: int, n: int) -> None:
        self.store, self.me, self.n = store, me, n
        self.bits = 0
        self.table: dict[int, int] = {0: me}
        self.key: Key | None = None
        self.cache: dict[Any, int] = {}

    def set_key(self, key: Key, whole: bool) -> None:
        self.key = key
        self.bits = 0 if whole else self.store.bits({ix for ix, _ in key.cells})
        self.table = {0: self.me} if whole else {}

    def miss(self, t: int) -> int:
        assert self.key is not None
        o = self.table[t & self.bits] = owner_of(self.store.decode(t), self.n, self.key, self.cache)
        return o


class Partition:
    """The states one worker owns, and its part of each level's expansion (see the module docstring)."""

    def __init__(self, model: ir.Model, wid: int, n: int, symmetry: bool, deadlock: bool) -> None:
        self.model, self.wid, self.n, self.deadlock = model, wid, n, deadlock
        self.notes: list[str] = []
        self.canon: Callable[[State], State] | None = None
        if symmetry:
            from .symmetry import make_canonicaliser
            self.canon, _ = make_canonicaliser(model)
        nv = len(model.vars)
        types = [v.type for v in model.vars]
        # the compiled step takes packed states, but value tuples under symmetry (as search.py): those
        # are packed for the exchange only, by `wire` (the store itself otherwise)
        self.store = Store(nv, raw=self.canon is not None, types=types)
        self.wire = Store(nv, types=types) if self.store.raw else self.store
        self.dt: Any = np.int64 if sum(self.wire.width) <= INT64_BITS else object
        self.code = ModelCode(model)
        # the compiled step's owner test (packed states only): another partition's new states are not
        # stored nor checked here but sent to their owner, which checks those new to it (`absorb`)
        self.owner_test = OwnerTest(self.store, wid, n) if not self.store.raw else None
        self._check: CheckFn | None = None  # every property of a state (values)
        self.pending_inv: State | None = None  # the step's violating new state (packed), until `absorb`
        self.expand_fn = self._compiled()
        self._succ: SuccFn | None = None  # the list-sink successor function: for deadlock scans only
        na = len(model.actions)
        self.gen = [0] * na  # transitions taken out of this partition's states, per action
        self.dist = [0] * na  # states its expansions stored as new, per action that found them
        # the states routed (those new here, and those listed for another partition), and of those,
        # the ones sent to another partition
        self.routed = self.away = 0
        self.states: list[State] = []  # owned states (packed), level by level; each level in key order
        # every state owned here, and those generated here in the level being expanded (with the owner
        # test, only this partition's; without it, every state generated here: not sent twice). A state
        # this partition owns is in it iff it is owned already or was generated here in the level being
        # expanded: so no set of owned states
        self.known: set[State] = set()
        self.parent = array("q")  # per owned state, its parent: index there * n + partition (-1: initial)
        self.lo = 0  # the newest level is states[lo:]
        self.keys = np.zeros(0, np.int64)  # the keys of the newest level, ascending
        self.pos = np.zeros(0, np.int64)  # the positions of the newest level's states in the whole level
        self.found: dict[str, Any] = {}
        self.key: Key = whole_state(model)  # what of a state decides its owner (partition_key.py; set by seed)
        self.key_vars: list[int] = list(range(nv))  # the variables the key takes something of
        self.hash = [np.zeros(0, np.uint64) for _ in range(nv)]  # per variable and id: its key part's stable hash
        self.sent = [[0] * nv for _ in range(n)]  # per owner and variable: the ids whose values it was sent
        self.maps = [[np.zeros(0, np.int64) for _ in range(nv)] for _ in range(n)]  # sender's id -> own id
        # CPU seconds per phase of this partition's work (the start: interpreter, imports, compilation)
        self.phases: dict[str, float] = {"start": time.process_time()}
        # the resident memory this process had before the partition (a forked worker's, shared with the
        # driver, which counts it: set by pool.py), and the most since, sampled after each level
        self.base_rss = self.peak_rss = 0

    def _compiled(self) -> ExpandFn:
        try:
            fn, _ = self.code.build_bfs(self.store, self.canon, None, self.deadlock, owner=self.owner_test)
            return fn
        except Unsupported as err:
            self.owner_test = None
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

    # ------------------------------------------------------------ packed states as arrays
    def _fields(self, a: Any) -> list[Any]:
        """The component ids of the packed states `a`, one int64 array per variable."""
        st = self.wire
        out = [(a >> off) & mask for off, mask in zip(st.off, st.mask, strict=True)]
        return out if self.dt is np.int64 else [f.astype(np.int64) for f in out]

    def _owners(self, fields: list[Any]) -> Any:
        """owner_of of the states whose ids are `fields` (numpy's uint64 arithmetic wraps as & _M64 does)."""
        key = self.key
        for ix in self.key_vars:
            vals = self.wire.vals[ix]
            have = len(self.hash[ix])
            if have < len(vals):
                more = np.array([stable_hash(project(key, ix, v)) & _M64 for v in vals[have:]], np.uint64)
                self.hash[ix] = np.concatenate([self.hash[ix], more])
        h = np.full(len(fields[0]) if fields else 0, key.salt, np.uint64)
        for ix in self.key_vars:
            h = h * np.uint64(_MULT) + self.hash[ix][fields[ix]]
        h ^= h >> np.uint64(30)
        h *= np.uint64(_MIX)
        h ^= h >> np.uint64(27)
        h *= np.uint64(_MIX2)
        h ^= h >> np.uint64(31)
        return (h % np.uint64(self.n)).astype(np.int64)

    def _pack(self, fields: list[Any]) -> Any:
        out = np.zeros(len(fields[0]) if fields else 0, self.dt)
        for ix, f in enumerate(fields):
            out |= (f if self.dt is np.int64 else f.astype(object)) << self.wire.off[ix]
        return out

    # ------------------------------------------------------------ one level
    def seed(self, entries: list[tuple[State, int]], key: Key) -> None:
        """The initial states this partition owns (values), with their positions among all of them; the
        partition key every partition uses."""
        self.key, self.key_vars = key, sorted({ix for ix, _ in key.cells})
        if self.owner_test is not None:
            self.owner_test.set_key(key, key.cells == whole_state(self.model).cells)
        entries = sorted(entries, key=lambda e: e[1])
        for state, _ in entries:
            key = self.store.encode(state)
            self.known.add(key)
            self.states.append(key)
            self.parent.append(-1)
        self.keys = self.pos = np.array([r for _, r in entries], np.int64)

    def expand(self) -> list[Payload]:
        """Expand the newest level; what it found is kept for `settle`: each the least of this partition:
        `deadlock` (position, index), `error` (position, index) of a state with a model error, `inv`
        (key, parent's partition, parent's index, the state's values, property index) of a new state
        that breaks a property (settled by `absorb`: the least key of such a state found here or sent
        here unchecked). Returns the batch for each owner."""
        lo, m, pos = self.lo, len(self.states) - self.lo, self.pos
        self.pending_inv = None
        # the new states are appended to `states`, then taken off: the step's index _i stays the number
        # of states expanded here (its memo tables' hit rate is judged by it)
        states = self.states
        par = array("q")
        t0 = time.process_time()
        status, info, gen, dist = self.expand_fn(states, lo, lo + m, self.known, par)
        t1 = time.process_time()
        self.phases["step"] = self.phases.get("step", 0.0) + t1 - t0
        scratch = states[lo:]
        del states[lo + m:]
        for a in range(len(gen)):
            self.gen[a] += gen[a]
            self.dist[a] += dist[a]
        found: dict[str, Any] = {"deadlock": None, "error": None, "inv": None}
        stop = None
        inv_row = None
        if status == "deadlock":
            found["deadlock"] = (int(pos[info - lo]), info)
        elif status == "error":
            stop = info[0] - lo
            found["error"] = (int(pos[stop]), lo + stop)
        elif status == "inv":
            stop = par[info[0] - lo - m] - lo
            inv_row = (info[0] - lo - m, info[1])
        if stop is not None and self.deadlock:  # a deadlock later in the level is a shorter trace
            j = next((j for j in range(stop + 1, m) if not self._has_successor(scratch[j])), None)
            if j is not None:
                found["deadlock"] = (int(pos[j]), lo + j)
        self.found = found
        out, keys, pref = self._route(scratch[m:], par, lo)
        if inv_row is not None:  # its key here; `absorb` finds its least
            r, pix = inv_row
            found["inv"] = (int(keys[r]), int(pref[r] % self.n), int(pref[r] // self.n),
                            self.store.decode(scratch[m + r]), pix)
            self.pending_inv = scratch[m + r]
        self.phases["route"] = self.phases.get("route", 0.0) + time.process_time() - t1
        return out

    def _route(self, new: list[State], par: Any, lo: int) -> tuple[list[Payload], Any, Any]:
        """The batch for each owner of the new states `new`, found by the parents par (indices; ~index:
        a state of another partition, by the owner test); and the states' keys and parent links."""
        pos = self.pos
        enc = self.wire.encode
        a = np.array(new if self.wire is self.store else [enc(t) for t in new], self.dt)
        pj = np.frombuffer(par, np.int64) if len(par) else np.zeros(0, np.int64)
        foreign = pj < 0
        pj = np.where(foreign, ~pj, pj) - lo
        # sibling number: the place among the new states of one parent (pj is ascending)
        idx = np.arange(len(pj), dtype=np.int64)
        starts = np.ones(len(pj), bool)
        starts[1:] = pj[1:] != pj[:-1]
        sib = idx - np.maximum.accumulate(np.where(starts, idx, 0)) if len(pj) else idx
        if len(sib) and int(sib.max()) >= RADIX:
            raise RuntimeError(f"explicit: a state with more than {RADIX} new successors cannot be partitioned")
        keys = pos[pj] * RADIX + sib
        pref = (lo + pj) * self.n + self.wid
        fields = self._fields(a)
        own = self._owners(fields)
        mine = own == self.wid
        # the compiled owner test and this one are the same function
        if np.any(foreign & mine) or (self.skips_foreign and not np.all(foreign | mine)):
            raise RuntimeError("explicit: internal error: the step's owner test disagrees with the routing's")
        out: list[Payload] = []
        self.routed += len(own)
        self.away += int(np.count_nonzero(own != self.wid))
        for j in range(self.n):
            sel = own == j
            vals = None
            if j != self.wid:  # the values j has not been sent yet
                done = self.sent[j]
                vals = [v[done[ix]:] for ix, v in enumerate(self.wire.vals)]
                self.sent[j] = [len(v) for v in self.wire.vals]
            out.append((a[sel], keys[sel], pref[sel], vals))
        return out, keys, pref

    def absorb(self, got: list[Payload]) -> Any:
        """Keep the new states of the batches (got[w]: what partition w sent), each with its least key,
        in key order, as this partition's next level; returns their keys (ascending)."""
        t0 = time.process_time()
        keys = self._absorb(got)
        self.phases["absorb"] = self.phases.get("absorb", 0.0) + time.process_time() - t0
        return keys

    def _absorb(self, got: list[Payload]) -> Any:
        parts, ks, ps, mine = [], [], [], []
        for w, (a, keys, pref, vals) in enumerate(got):
            if w != self.wid and vals is not None:
                maps = self.maps[w]
                for ix, vs in enumerate(vals):
                    if vs:
                        ids = np.array([self.wire.new(ix, v) for v in vs], np.int64)
                        maps[ix] = np.concatenate([maps[ix], ids])
                if len(a):
                    a = self._pack([maps[ix][f] for ix, f in enumerate(self._fields(a))])
            parts.append(a)
            ks.append(keys)
            ps.append(pref)
            mine.append(np.full(len(a), w == self.wid))
        a, keys, pref, me = np.concatenate(parts), np.concatenate(ks), np.concatenate(ps), np.concatenate(mine)
        order = np.argsort(keys, kind="stable")
        a, keys, pref, me = a[order], keys[order], pref[order], me[order]
        _, first, inv = np.unique(a, return_index=True, return_inverse=True)  # each state's least key
        # generated here in this level: new to `known` when generated, so not owned yet
        here = np.zeros(len(first), bool)
        here[inv[me]] = True
        by_key = np.argsort(first)
        first, keep = first[by_key], here[by_key]
        a, keys, pref = a[first], keys[first], pref[first]
        cand = a.tolist() if self.wire is self.store else [self.wire.decode(t) for t in a.tolist()]
        known = self.known
        other = np.flatnonzero(~keep)  # only sent here: new unless owned already
        fresh: list[int] = []
        if len(other):
            rows: list[int] = other.tolist()
            flags = [cand[i] not in known for i in rows]
            fresh = [i for i, f in zip(rows, flags, strict=True) if f]
            known.update([cand[i] for i in fresh])
            keep[other] = flags
        self._settle_inv(cand, keys, pref, fresh)
        new = cand if keep.all() else [cand[i] for i in np.flatnonzero(keep).tolist()]
        self.lo = len(self.states)
        self.states.extend(new)
        self.parent.extend(pref[keep].tolist())
        self.keys = keys[keep]
        return self.keys

    def _settle_inv(self, cand: list[State], keys: Any, pref: Any, fresh: list[int]) -> None:
        """found["inv"]: the least key of a violating new state, of those the step checked here (its
        discoverer of least key may be another partition's) and of those new here that their senders
        did not check (`fresh`: rows of cand, in key order; with the owner test only)."""
        inv = self.found.get("inv")
        if inv is not None and self.pending_inv is not None:
            # kept here (owned by this partition): its least key over every discoverer
            r = next((i for i, c in enumerate(cand) if c == self.pending_inv), None)
            if r is not None:
                inv = (int(keys[r]), int(pref[r] % self.n), int(pref[r] // self.n), inv[3], inv[4])
        self.pending_inv = None
        if self.skips_foreign and fresh:
            check = self._checker()
            for r in fresh:
                if inv is not None and int(keys[r]) >= inv[0]:
                    break
                state = self.store.decode(cand[r]) if self.wire is self.store else cand[r]
                failed = check(state)
                if failed is not None:
                    inv = (int(keys[r]), int(pref[r] % self.n), int(pref[r] // self.n), state, failed[0])
                    break
        self.found["inv"] = inv

    @property
    def skips_foreign(self) -> bool:
        """Do the senders leave the states they send unchecked? (the owner test with a partition key)"""
        return self.owner_test is not None and self.owner_test.bits != 0

    def _checker(self) -> CheckFn:
        """check(state values) -> None | (property index, error): the first property the state breaks."""
        if self._check is None:
            try:
                self._check = self.code.build_props()
            except Unsupported:
                self._check = functools.partial(first_failing, self.model)
        return self._check

    def settle(self, all_keys: list[Any]) -> dict[str, Any]:
        """The positions of the new level's states in the whole level (all_keys[w]: partition w's keys);
        the level's report: what `expand` found, the new states, the counts."""
        t0 = time.process_time()
        pos = np.arange(len(self.keys), dtype=np.int64)
        for w, k in enumerate(all_keys):
            if w != self.wid and len(k):
                pos += np.searchsorted(k, self.keys)
        self.pos = pos
        self.phases["settle"] = self.phases.get("settle", 0.0) + time.process_time() - t0
        return {**self.found, "new": len(self.keys), **self.counts()}

    def scan_deadlocks(self) -> tuple[int, int] | None:
        """(position, index) of the least deadlock of the newest level, which is not expanded (the last
        level of --max-depth)."""
        if not self.deadlock:
            return None
        for j in range(len(self.states) - self.lo):
            if not self._has_successor(self.states[self.lo + j]):
                return int(self.pos[j]), self.lo + j
        return None

    def step_back(self, i: int) -> tuple[State, int, int]:
        """The state (values) at index i and its parent's (partition, index); (-1, -1) for an initial state."""
        p = self.parent[i]
        return self.store.decode(self.states[i]), (-1 if p < 0 else p % self.n), (-1 if p < 0 else p // self.n)

    def counts(self) -> dict[str, Any]:
        """This partition's totals: transitions and states per action, CPU seconds, peak memory."""
        return {"gen": list(self.gen), "dist": list(self.dist), "routed": self.routed, "away": self.away,
                "owned": len(self.states),
                "cpu": time.process_time(), "phases": dict(self.phases),
                "peak_mb": self._peak_mb()}

    def _peak_mb(self) -> float:
        """The peak resident memory of this partition in MB: without a base, the process's (getrusage);
        with one (a forked worker: getrusage would count the driver's peak, which a forked child
        inherits), the most sampled after a level, less the base."""
        if not self.base_rss:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.peak_rss = max(self.peak_rss, rss_bytes())
        return max(0, self.peak_rss - self.base_rss) / 2**20

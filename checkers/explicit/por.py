"""Partial-order reduction for the explicit search: from each state, only the successors of a *stubborn
set* of action instances are stored, not those of every enabled instance (Valmari, "Stubborn sets for
reduced state space generation", 1991; the conditions are the strong stubborn sets of Valmari and
Hansen, "Stubborn set intuition explained", 2017). The static relations are in por_deps.py; the search
calls the function `Reducer.expand_with` returns in place of the compiled expansion (search.py,
`_compiled`).

In a state s, with E the enabled instances, a set S of instances (and of the virtual transitions of the
property conjuncts, see por_deps) is the closure of one enabled seed:
  C0  S holds an enabled instance when s has a successor (the seed);
  C1  an enabled instance of S brings everything it is dependent on; a disabled instance or a property
      conjunct of S brings a necessary enabling set (in this state: por_deps' guards and tests);
  C3  the cycle proviso, in a BFS form: if no successor by S is at the next level (a new state, or one
      found earlier while expanding this level), s is expanded fully. Then every state that is not
      fully expanded has a reduced edge to the next level, and following such edges cannot go on for
      ever: it ends at a fully expanded state. (Compare the BFS provisos of Bosnacki, Leue and
      Lluch-Lafuente, "Partial-order reduction in directed model checking", SPIN 2002, and Evangelista
      and Pajault, "Solving the ignoring problem for partial order reduction", STTT 2010.)
Up to SEEDS enabled seeds are tried, those with the fewest static dependents first; the S with the
fewest enabled instances wins (the first on ties).

Why nothing is lost (tests/test_por*.py check it against the full search). Every state the reduced
search reaches has *all* its transitions computed (only the stored successors are reduced), so a model
error, a failed assert or a deadlock of a reached state is found as in the full search; a property is
checked in every state stored. Say from a reached state s a path u1..un leads to a state where an
instance t raises, or a property conjunct c is false or raises (then t = t_c, "active" there). Let S be
the set of s.
  - some u_i in S: take the first, u_k. It is enabled in s (else its enabling set, in S, would hold an
    earlier u_j), and u1..u_{k-1}, not in S, are independent of it; so u_k, then the others, reaches
    the same states: from the successor by u_k, in S, a path one step shorter leads to the violation.
  - t in S and no u_i in S: if t is active in s, it raises in s (t reads no cell the u_i write: they
    would be dependent on it), found there; a conjunct is never active in a stored state. If t is
    inactive in s, its enabling set is in S and some u_i is in it, since t became active: the case
    above.
  - neither: every enabled instance t0 of S is independent of every u_i and of t, so from t0(s), a
    reached state, u1..un still leads to a violation. By C3 this repeats only until a fully expanded
    state, where u1 is in the set: the path shortens. By induction on n, a violation is reached.
Deadlocks are kept by C0 and C1 alone (the classic result).
What is not kept: shortest counterexamples (a reduced path may be longer), the depth of a state (so a
search stopped early gives no depth bound once a transition was left out: `unknown`, not `bounded`),
temporal properties (they need stronger provisos: the reduction is off) and symmetry (their combination
is not argued here: the reduction is off).
"""
from __future__ import annotations

import math
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError
from xenmodel.result import EngineOptions
from xenmodel.types import cardinality

from .model_code import ExpandFn, SuccFn
from .por_deps import Relations, relations
from .store import State, Store

# The probe: the first PROBE states are expanded fully while counting what the reduction would leave
# out; if that is less than MIN_GAIN of their transitions, the rest of the search is the plain compiled
# one (faster per state, and exact: depth bounds, shortest counterexamples). The tests set both to 0.
PROBE = 2000
# the probe also ends after this many steps of the closures (a measure of its cost that, unlike a clock,
# gives the same run every time: about 5 s of CPU on spec/xen.xm)
PROBE_WORK = 150_000
MIN_GAIN = 0.2
MAX_INSTANCES = 20_000  # action instances at most (the relations are computed per instance)
SEEDS = 6  # enabled seeds tried per state (each costs one closure)
MEMO = 1 << 20  # memoised necessary enabling sets at most (then the memo starts again)
LONGER = ("note: the reduced search's counterexample may be longer than the shortest; rerun with --no-por "
          "for the shortest")
UNBOUNDED = ("note: under partial-order reduction the levels searched are not a depth bound of the model "
             "(a reduced path may be longer than the shortest); rerun with --no-por for a bounded result")


def off_reason(model: ir.Model, opts: EngineOptions, symmetric: bool) -> str | None:
    """Why the reduction is off for this run (None: it is on)."""
    if opts.get("por", True) is False:
        return "--no-por"
    if model.temporals:
        return ("temporal properties: partial-order reduction does not preserve liveness without "
                "stronger provisos")
    if symmetric:
        return "symmetry reduction is on: its combination with partial-order reduction is not argued sound here"
    if opts.coverage:
        return "--coverage: the branch counts are over every reachable state, which a reduced search does not store"
    if opts.max_depth is not None:
        return "--max-depth: the bound is on the model's depth, which a reduced search does not keep"
    if opts.max_states is not None:
        return "--max-states: the bound is on the model's depth, which a reduced search does not keep"
    if not model.actions:
        return "no actions"
    instances = sum(math.prod(cardinality(p.type) for p in a.params) for a in model.actions)
    if instances > MAX_INSTANCES:
        return f"{instances:,} action instances (more than {MAX_INSTANCES:,}: the relations would cost too much)"
    return None


class Reducer:
    """The reduced expansion (the contract of model_code.ModelCode.build_bfs's `_expand`) and its counts."""

    def __init__(self, model: ir.Model, store: Store, deadlock: bool, level_start: Any) -> None:
        self.rel: Relations = relations(model)
        self.nactions = len(model.actions)
        self.store = store
        self.deadlock = deadlock
        self.level_start = level_start  # () -> index of the first state of the level being found
        self.reduced = 0  # states expanded with a proper subset of their transitions
        self.full = 0  # states expanded fully
        self.pruned = 0  # transitions computed but not followed
        self.proviso = 0  # expansions made full by the cycle proviso
        self.work = 0  # steps of the closures so far
        self.probing = PROBE > 0  # expanding fully, counting what would be left out
        self.would_prune = 0
        self.computed = 0  # transitions computed while probing
        self.switched: str | None = None  # why the compiled full expansion took over
        self._fresh: set[State] = set()  # states found at the level being found
        self._fresh_from = -1
        self._nes_memo: dict[tuple[Any, ...], int] = {}
        # seeds are tried in this order: the fewest static dependents first
        self.order = sorted(range(self.rel.instances), key=lambda t: (self.rel.dep[t].bit_count(), t))

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reduced_expansions": self.reduced, "full_expansions": self.full,
               "pruned_transitions": self.pruned, "cycle_proviso": self.proviso}
        if self.switched:
            out["switched"] = self.switched
        return out

    # ------------------------------------------------------------ the stubborn sets
    def stubborn(self, enabled: int, state: State) -> int:
        """The enabled instances of the smallest stubborn set (over every enabled seed) in `state`, whose
        enabled instances are `enabled` (a bitmask)."""
        best = enabled
        memo: dict[int, int] = {}
        tried = 0
        for t in self.order:
            low = 1 << t
            if not enabled & low:
                continue
            if tried == SEEDS:
                break
            tried += 1
            got = self._closure(low, enabled, best.bit_count(), state, memo)
            if got is not None and got.bit_count() < best.bit_count():
                best = got
                if best.bit_count() == 1:
                    break
        return best

    def _closure(self, seed: int, enabled: int, limit: int, state: State, memo: dict[int, int]) -> int | None:
        """C1's closure of `seed`: its enabled part, or None once it has `limit` enabled instances."""
        dep = self.rel.dep
        have = todo = seed
        while todo:
            low = todo & -todo
            todo ^= low
            x = low.bit_length() - 1
            self.work += 1
            if enabled & low:
                new = dep[x]
            else:
                got = memo.get(x)
                new = memo[x] = self._nes(x, state) if got is None else got
            new &= ~have
            if new:
                have |= new
                todo |= new
                if (have & enabled).bit_count() >= limit:
                    return None
        return have & enabled

    def _nes(self, x: int, state: State) -> int:
        """A necessary enabling set of the disabled instance (or property conjunct) x in `state`: the
        one of its first false leading require conjunct (or first true disjunct) when there is one
        (por_deps), else the static one. It depends on the variables x's guards read only: memoised."""
        key = (x, *[state[v] for v in self.rel.guard_vars[x]])
        got = self._nes_memo.get(key)
        if got is None:
            if len(self._nes_memo) >= MEMO:
                self._nes_memo.clear()
            got = self._nes_memo[key] = self._nes_eval(x, state)
        return got

    def _nes_eval(self, x: int, state: State) -> int:
        rel = self.rel
        if x < rel.instances and rel.guards[x]:
            env = dict(rel.params[x])
            try:
                for uid, e, nes in rel.guards[x]:
                    if uid >= 0:
                        env[uid] = S.eval_expr(e, state, env)
                    elif not S.eval_expr(e, state, env):
                        return nes
            except ModelError:
                pass  # raising here would make x active, not disabled: keep to the static set
        elif x >= rel.instances:
            steps, env = rel.tests[x - rel.instances]
            try:
                for e, neg, nes in steps:
                    if bool(S.eval_expr(e, state, env)) != neg:
                        return nes
            except ModelError:
                pass
        return rel.nes[x]

    # ------------------------------------------------------------ the expansion
    def expand_with(self, succ_list: SuccFn, check_all: Any, full_expand: ExpandFn) -> ExpandFn:
        def expand(states: list[State], lo: int, hi: int, seen: Any, parent: Any) -> tuple[str, Any, Any, Any]:
            if self.switched:
                return full_expand(states, lo, hi, seen, parent)
            gen = [0] * self.nactions
            dist = [0] * self.nactions
            try:
                for i in range(lo, hi):
                    stop = self._one(i, states, seen, parent, gen, dist, succ_list, check_all)
                    if stop is not None:
                        return stop[0], stop[1], gen, dist
            except BaseException as err:  # Ctrl-C, --timeout, out of memory: the caller reports the counts
                err.counts = (gen, dist)  # type: ignore[attr-defined]
                raise
            if self.probing and (self.full >= PROBE or self.work >= PROBE_WORK):
                self._probed()
            return "done", hi, gen, dist
        return expand

    def _probed(self) -> None:
        """The probe is over: go on reduced, or with the plain compiled search when the gain is small.
        Either is sound: a prefix of fully expanded states changes none of the conditions."""
        self.probing = False
        gain = self.would_prune / self.computed if self.computed else 0.0
        if gain < MIN_GAIN:
            self.switched = (f"the reduction would leave out {gain:.0%} of the transitions of the first "
                             f"{self.full} states (less than {MIN_GAIN:.0%}): the plain search took over")

    def _one(self, i: int, states: list[State], seen: Any, parent: Any, gen: list[int], dist: list[int],
             succ_list: SuccFn, check_all: Any) -> tuple[str, Any] | None:
        value = self.store.decode(states[i])
        outs = succ_list(value)
        # a model error ends the list (the transitions before it come first, as in the plain search)
        error = outs.pop() if outs and outs[-1][0] == "error" else None
        if not outs:
            return self._error(i, error) if error is not None else ("deadlock", i) if self.deadlock else None
        index = self.rel.index
        bits = [1 << index[(o[0], o[1])] for o in outs]
        enabled = 0
        for b in bits:
            enabled |= b
        chosen = self.stubborn(enabled, value)
        start = self.level_start()
        if start != self._fresh_from:
            self._fresh, self._fresh_from = set(), start
        encode = self.store.encode
        if error is not None:
            chosen = enabled  # the search stops here: the same successors, in the same order, as without
        elif self.probing:
            self.computed += len(outs)
            self.would_prune += sum(1 for b in bits if not chosen & b)
            chosen = enabled
        if chosen != enabled:
            picked = [(o, encode(o[3])) for o, b in zip(outs, bits, strict=True) if chosen & b]
            fresh = self._fresh
            if not any(k not in seen or k in fresh for _, k in picked):
                self.proviso += 1  # C3: no edge to the next level
                picked = [(o, encode(o[3])) for o in outs]
        else:
            picked = [(o, encode(o[3])) for o in outs]
        if len(picked) < len(outs):
            self.reduced += 1
            self.pruned += len(outs) - len(picked)
        else:
            self.full += 1
        checks = self.rel.checks
        for o, key in picked:
            aid = o[0]
            gen[aid] += 1
            if key in seen:
                continue
            seen.add(key)
            self._fresh.add(key)
            states.append(key)
            parent.append(i)
            dist[aid] += 1
            if checks >> aid & 1:  # the parent satisfied every property; this action may change some
                r = check_all(o[3])
                if r is not None:
                    return "inv", (len(states) - 1, r[0], r[1])
        return None if error is None else self._error(i, error)

    @staticmethod
    def _error(i: int, error: Any) -> tuple[str, Any]:
        _, aid, args, picks, err = error
        assert isinstance(err, ModelError)
        return "error", (i, aid, args, picks, err)

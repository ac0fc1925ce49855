"""The explicit-state model checker: breadth-first search over every reachable state of an instance.

`check(model, opts) -> Result`. opts (EngineOptions, or a dict of its fields): max_states, max_depth,
timeout (seconds), deadlock (default True), symmetry (default True: canonicalise under permutations of
`symmetric` sorts), progress (None or a Progress, sent a ProgressUpdate about once a second), coverage
(a branch-coverage pass after the search: coverage.py). Any other option set is refused (OptionError).

How it works (see codegen.py in this package for the code generator):
  - the transition relation is compiled once into one Python function that expands a range of the
    state list: every transition's next state is built, tested for membership in `seen` (a set of
    state tuples, or of canonical tuples under symmetry), and a new state is appended to `states`
    with its parent's index in `parent` (an array of ints), and checked against every property whose
    variables the transition may have written (the parent satisfied all of them);
  - `states` is the BFS queue and the trace store at once: levels are index ranges;
  - a violation is turned into the shortest trace by following parent links, then every step is
    labelled (action, args, picks) by asking the reference semantics for the first transition from the
    previous state to the next (up to symmetry), and the trace is replayed with xenmodel.trace.replay.

Shortest counterexamples: states are discovered in BFS order, so the first violating state found has
the least depth; an error raised by a transition out of a state of depth d gives a trace of d+1 steps.
A deadlock at depth d is found when that state is expanded; to keep traces shortest, when a violation
of length d+1 is found while expanding level d, the rest of level d is still scanned for deadlocks.

A model with temporal properties: without symmetry the search also records every transition (the
liveness graph), and liveness.py checks the temporals once every safety property holds.

Where the compiler cannot take a model (runtime.Unsupported: a construct it lacks, or code
nested deeper than CPython accepts), the same search runs on the reference semantics, with a note.
A run is cut short in any phase (compilation, the initial states, one long expansion, the trace) by
--timeout (SIGALRM), Ctrl-C, running out of memory or Python's recursion limit: the result is
`unknown`, naming the phase, with the statistics so far.
"""
from __future__ import annotations

import gc
import resource
import signal
import threading
import time
from array import array
from collections.abc import Callable, Mapping
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError
from xenmodel.result import EngineOptions, ProgressUpdate, Result, Status, Violation
from xenmodel.trace import Trace, TraceStep, replay

from .liveness_graph import Graph
from .model_code import CheckFn, ExpandFn, ModelCode
from .paths import label_path
from .por import LONGER, UNBOUNDED, Reducer, off_reason
from .reference_step import first_failing, reference_expand
from .runtime import Unsupported
from .store import State, Store, bytes_per_state, rss_bytes

ENGINE = "explicit"
CHUNK = 4096  # states expanded between two looks at the clock
PROGRESS_EVERY = 1.0  # seconds between two progress lines
STORE = "ids"  # "ids": states as packed component ids (an int); "raw": as value tuples
SUPPORTED = frozenset({"max_states", "max_depth", "timeout", "deadlock", "symmetry", "por", "coverage"})


class _Deadline(BaseException):
    """Raised by the SIGALRM handler when --timeout expires, in whatever phase the search is in (a
    BaseException, so that no `except Exception` in generated or reference code can swallow it)."""


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Search:
    """One breadth-first search; its fields are the statistics a run reports."""

    def __init__(self, model: ir.Model, opts: EngineOptions):
        self.model = model
        self.opts = opts
        self.max_states = opts.max_states
        self.max_depth = opts.max_depth
        self.timeout = opts.timeout
        self.deadlock = opts.get("deadlock", True)
        self.progress = opts.progress
        self.messages: list[str] = []
        self.canon = None
        self.sym_info: dict[str, Any] | None = None
        if opts.get("symmetry", True):
            from .symmetry import make_canonicaliser
            # canon is None when the reduction would be unsound (or too costly): then the search is the
            # plain one, and the output says why
            self.canon, self.sym_info = make_canonicaliser(model)
            if self.sym_info is not None and "off" in self.sym_info:
                self.messages.append(self.sym_info["off"])
        # partial-order reduction (por.py): off where it would not be sound, with the reason
        self.por: Reducer | None = None
        self.por_off = off_reason(model, opts, self.canon is not None)
        if self.por_off is not None and opts.por is True:  # asked for by name: say why not
            self.messages.append(f"note: partial-order reduction is off: {self.por_off}")
        self.code = ModelCode(model)
        # the liveness pass's graph, recorded by this search when it stores real states (no symmetry)
        self.graph: Graph | None = Graph(model) if model.temporals and self.canon is None else None
        na = len(model.actions)
        self.gen = [0] * na
        self.dist = [0] * na
        self.store = Store(len(model.vars), raw=self.canon is not None or STORE == "raw",
                           types=[v.type for v in model.vars])
        self.states: list[State] = []  # stored states: packed component ids (see store.Store)
        self.parent = array("i")
        self.seen: set[State] | dict[State, int] = {} if self.graph is not None else set()
        self.depth = 0
        self.level_starts = [0]
        self.started = time.perf_counter()
        self.cpu_started = time.process_time()
        self.rss_started = rss_bytes()
        self.init_count = 0
        self._enabled: Callable[[State], bool] | None = None  # "any transition?", built for the first deadlock test
        self.phase = "compilation"  # what the run is doing: named by a timeout, Ctrl-C or running out of memory

    # ------------------------------------------------------------ result helpers
    def stats(self) -> dict[str, Any]:
        secs = time.perf_counter() - self.started
        transitions = sum(self.gen)
        n = len(self.states)
        st: dict[str, Any] = {
            "states": n,
            "generated": transitions + self.init_count,
            "transitions": transitions,
            "depth": self.depth,
            "queue": max(0, n - self.level_starts[-1]) if self.level_starts else 0,
            "seconds": round(secs, 3),
            "cpu_seconds": round(time.process_time() - self.cpu_started, 3),
            "states_per_second": round(n / secs) if secs > 0 else None,
            "peak_memory_mb": _peak_mb(),
            "coverage": {a.name: {"distinct": d, "generated": g}
                         for a, d, g in zip(self.model.actions, self.dist, self.gen, strict=True)},
        }
        if n >= 1000:  # (fewer states do not grow the resident set measurably; the key's presence is fixed)
            st["bytes_per_state"] = bytes_per_state(self.rss_started, n)
        if self.sym_info is not None:
            st["symmetry"] = dict(self.sym_info)
        st["por"] = self.por.stats() if self.por is not None else {"off": self.por_off}
        return st

    def _reduced(self) -> bool:
        """Did partial-order reduction leave out a transition so far (then depths are not the model's)?"""
        return self.por is not None and self.por.reduced > 0

    def result(self, status: Status, trace: Trace | None = None, bound: int | None = None,
               reason: str | None = None) -> Result:
        stats = self.stats()
        msgs = list(self.messages)
        # coverage warnings only when every reachable state was explored: a search stopped early (a
        # violation, --timeout, --max-states, --max-depth) has not seen the states that enable the rest
        never = [a.name for a, g in zip(self.model.actions, self.gen, strict=True) if g == 0]
        if never and status == Status.HOLDS and not self._reduced():
            stats["never_enabled"] = never
            msgs.append(f"warning: {len(never)} action(s) never enabled in any reachable state: {', '.join(never)}")
        if status == Status.VIOLATED and self._reduced():
            msgs.append(LONGER)
        m = tuple(msgs)
        return Result.of_search(self.model, ENGINE, status, stats, m, trace, bound, reason)

    # ------------------------------------------------------------ the search
    def run(self) -> Result:
        # the search allocates millions of small tuples and frees none: the cyclic collector would
        # rescan them again and again for nothing (there are no cycles), so it is off meanwhile
        was_enabled = gc.isenabled()
        gc.disable()
        alarm = self._arm_deadline()
        try:
            return self._run()
        except (KeyboardInterrupt, _Deadline, MemoryError, RecursionError) as err:
            return self.stopped(err)
        finally:
            if alarm is not None:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, alarm)
            if was_enabled:
                gc.enable()

    def stopped(self, err: BaseException) -> Result:
        """unknown, with the phase and the statistics so far, for a run cut short by `err`."""
        counts = getattr(err, "counts", None)  # the counts of an expansion cut short (see build_bfs)
        if counts is not None:
            for a, (g, d) in enumerate(zip(*counts, strict=True)):
                self.gen[a] += g
                self.dist[a] += d
        where = f"in phase `{self.phase}` (statistics so far)"
        if self.phase == "counterexample reconstruction":
            where += "; a violation was found, its trace was not finished"
        if isinstance(err, KeyboardInterrupt):
            return self.result(Status.UNKNOWN, reason=f"interrupted (Ctrl-C) {where}")
        if isinstance(err, _Deadline):
            if self.phase == "search":  # like --max-states: the levels completed are a bound
                bounded = self.bounded_at_stop(f"--timeout {self.timeout:g} s")
                if bounded is not None:
                    return bounded
            return self.result(Status.UNKNOWN, reason=f"timeout after {self.timeout:g} s {where}")
        if isinstance(err, MemoryError):
            self.seen = set()  # free the largest table, so that the result can still be built
            return self.result(Status.UNKNOWN, reason=f"out of memory {where}; try --max-states or a smaller instance")
        return self.result(Status.UNKNOWN, reason=f"the model nests too deeply for Python's recursion limit {where}")

    def _arm_deadline(self) -> Any:
        """Make --timeout interrupt every phase, even one long step (a compile, the initial states, one
        state with millions of successors): SIGALRM at the deadline raises _Deadline, as Ctrl-C raises
        KeyboardInterrupt. Returns the previous handler, or None where there is no alarm (not the main
        thread, or no SIGALRM): there the clock is still read between chunks of states."""
        if (self.timeout is None or not hasattr(signal, "setitimer")
                or threading.current_thread() is not threading.main_thread()):
            return None

        def expired(signum: int, frame: object) -> None:
            raise _Deadline()
        previous = signal.signal(signal.SIGALRM, expired)
        left = self.started + self.timeout - time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
        return previous

    def _run(self) -> Result:
        model = self.model
        self.phase = "initial-state enumeration"
        inits = S.initial_states(model)
        self.init_count = len(inits)
        for o in inits:
            if isinstance(o, S.StepError):
                # an error in the init block: the trace is the failing init, confirmed by replay
                trace = Trace((), Violation.of_error(o))
                replay(model, trace)
                return self.result(Status.VIOLATED, trace)
        if not inits:
            return self.result(Status.VIOLATED, Trace((), Violation.deadlock(no_initial_state=True)))
        self.phase = "compilation"
        check_all, expand = self._compiled()
        self.phase = "initial-state checks"
        for o in inits:
            s = o.state if self.canon is None else self.canon(o.state)
            key = self.store.encode(s)
            if key in self.seen:
                continue
            if isinstance(self.seen, dict):
                self.seen[key] = len(self.states)
            else:
                self.seen.add(key)
            self.states.append(key)
            self.parent.append(-1)
            r = check_all(s)
            if r is not None:
                self.phase = "counterexample reconstruction"
                return self.violation_state(len(self.states) - 1, r[0], r[1])
        self.phase = "search"
        self.level_starts = [0, len(self.states)]
        if self.max_depth == 0:
            return self.bounded_by_depth()
        lo = 0
        chunk = min(256, CHUNK)
        last_report = time.perf_counter()
        deadline = None if self.timeout is None else self.started + self.timeout
        while True:
            hi_level = self.level_starts[-1]
            if lo == hi_level:  # the level is done
                if len(self.states) == hi_level:
                    return self.result(Status.HOLDS)  # nothing new: the state space is exhausted
                self.depth += 1  # the depth of the level about to be expanded
                self.level_starts.append(len(self.states))
                if self.max_depth is not None and self.depth >= self.max_depth:
                    return self.bounded_by_depth()
                continue
            hi = min(hi_level, lo + chunk)
            t0 = time.perf_counter()
            status, info, gen, dist = expand(self.states, lo, hi, self.seen, self.parent)
            took = time.perf_counter() - t0
            # keep a chunk near a tenth of a second, so the clock is looked at often enough
            if took > 0.2 and chunk > 16:
                chunk //= 2
            elif took < 0.05 and chunk < CHUNK:
                chunk *= 2
            for a in range(len(gen)):
                self.gen[a] += gen[a]
                self.dist[a] += dist[a]
            if status == "done":
                lo = hi
            elif status == "limit":
                return self.bounded_by_states()
            else:
                self.phase = "counterexample reconstruction"
            if status == "inv":
                idx, pix, err = info
                self.depth += 1
                return self.violation_state(idx, pix, err)
            elif status == "error":
                i, aid, args, picks, err = info
                return self.violation_error(i, aid, args, picks, err)
            elif status == "deadlock":
                return self.violation_deadlock(info)
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                return self.stopped(_Deadline())
            if self.progress is not None and now - last_report >= PROGRESS_EVERY:
                last_report = now
                secs = now - self.started
                self.progress(ProgressUpdate(ENGINE, "search", secs, depth=self.depth, states=len(self.states),
                                             queue=len(self.states) - lo, transitions=sum(self.gen),
                                             message=f"{len(self.states) / secs:,.0f} states/s"))

    def _compiled(self) -> tuple[CheckFn, ExpandFn]:
        """(check_all, expand): compiled, or the reference semantics' where the compiler cannot take
        the model (a construct it lacks, or generated code nested deeper than Python accepts)."""
        try:
            check_all = self.code.build_props()
            expand, self.source = self.code.build_bfs(self.store, self.canon, self.max_states, self.deadlock,
                                                      self.graph)
            if self.por_off is None:  # the reduced expansion: a stubborn subset of every state's successors
                succ_list, _ = self.code.build_list()
                self.por = Reducer(self.model, self.store, self.deadlock, lambda: self.level_starts[-1])
                expand = self.por.expand_with(succ_list, check_all, expand)
            return check_all, expand
        except Unsupported as err:
            self.graph, self.seen = None, set()  # the liveness pass builds its graph itself
            self.por, self.por_off = None, "the search runs on the reference semantics"
            self.messages.append(f"note: the compiled engine cannot take this model ({err}); the search "
                                 "runs on the reference semantics instead (slower)")
            return self._reference_check, self._reference_expand

    def _reference_check(self, state: State) -> tuple[int, ModelError | None] | None:
        return first_failing(self.model, state)

    def _reference_expand(self, states: list[State], lo: int, hi: int, seen: set[State] | dict[State, int],
                          parent: Any) -> tuple[str, Any, Any, Any]:
        """The compiled `_expand` (see compile.ModelCode.build_bfs) through the reference semantics."""
        assert isinstance(seen, set)  # no edges are recorded on this path
        n = len(self.model.actions)
        gen, dist = [0] * n, [0] * n
        try:
            return reference_expand(self.model, self.store, self.canon, self.deadlock, self.max_states, states, lo, hi,
                                    seen, parent, gen, dist)
        except BaseException as err:  # Ctrl-C, --timeout, out of memory: report the counts so far
            err.counts = (gen, dist)  # type: ignore[attr-defined]
            raise

    def bounded_by_states(self) -> Result:
        """--max-states reached while expanding level `depth` (finding states of depth+1)."""
        return self.bounded_at_stop(f"--max-states {self.max_states}") or self.result(
            Status.UNKNOWN, reason=f"--max-states {self.max_states} reached before the initial states were expanded")

    def bounded_at_stop(self, what: str) -> Result | None:
        """The search stopped (by `what`: --max-states or --timeout) while expanding level `depth`.

        Every state of depth <= depth was found and checked, and every transition out of a state of
        depth < depth. Deadlocks of the unexpanded states of level `depth` are not known, so with
        deadlock checking on the honest bound is depth - 1 (None when that is below 0).
        """
        b = self.depth - 1 if self.deadlock else self.depth
        if b < 0:
            return None
        if self._reduced():
            self.messages.append(UNBOUNDED)
            return None
        self.messages.append(f"note: stopped at {what} while expanding level {self.depth}; the bound is the "
                             "last level checked completely")
        return self.result(Status.BOUNDED, bound=b)

    def bounded_by_depth(self) -> Result:
        """--max-depth reached: every state of depth <= max_depth was found and checked, every
        transition out of a shallower state too; the last level is scanned for deadlocks only."""
        self.phase = "deadlock scan of the last level"
        if self.deadlock:
            first, last_report = self.level_starts[-2], time.perf_counter()
            for i in range(first, len(self.states)):
                if not self._has_successor(i):
                    return self.violation_deadlock(i)
                if self.progress is not None and i % 256 == 0 and time.perf_counter() - last_report >= PROGRESS_EVERY:
                    last_report = time.perf_counter()  # this scan can take as long as the search: say so
                    self.progress(ProgressUpdate(ENGINE, self.phase, last_report - self.started, depth=self.depth,
                                                 states=len(self.states), done=i - first,
                                                 total=len(self.states) - first))
        return self.result(Status.BOUNDED, bound=self.depth)

    def value(self, i: int) -> State:
        """The state (values) stored at index i."""
        return self.store.decode(self.states[i])

    def _has_successor(self, i: int) -> bool:
        if self._enabled is None:
            try:
                self._enabled = self.code.build_enabled()  # stops at the first transition
            except Unsupported:
                self._enabled = lambda state: any(True for _ in S.successors(self.model, state))
        return self._enabled(self.value(i))

    # ------------------------------------------------------------ counterexamples
    def _path(self, idx: int) -> list[int]:
        out = []
        while idx >= 0:
            out.append(idx)
            idx = self.parent[idx]
        out.reverse()
        return out

    def _depth_of(self, idx: int) -> int:
        return len(self._path(idx)) - 1

    def trace_to(self, idx: int) -> list[TraceStep]:
        """Label the path to state idx with actual transitions of the reference semantics."""
        return label_path(self.model, self.canon, [self.value(i) for i in self._path(idx)])

    def _finish_trace(self, trace: Trace) -> Result:
        replay(self.model, trace)  # a ReplayError here is an internal error: let it propagate
        return self.result(Status.VIOLATED, trace)

    def _deadlock_before(self, i: int) -> int | None:
        """A deadlock state of the same level as state i, after it (a shorter counterexample)."""
        if not self.deadlock:
            return None
        level_end = len(self.states)
        for k in range(len(self.level_starts) - 1):
            if self.level_starts[k] <= i < self.level_starts[k + 1]:
                level_end = self.level_starts[k + 1]
        for j in range(i + 1, level_end):
            if not self._has_successor(j):
                return j
        return None

    def violation_state(self, idx: int, pix: int, err: ModelError | None) -> Result:
        # a new state of depth d+1 found while expanding level d: a deadlock later in level d is shorter
        par = self.parent[idx]
        if par >= 0:
            dl = self._deadlock_before(par)
            if dl is not None:
                self.depth = self._depth_of(dl)
                return self.violation_deadlock(dl)
        steps = self.trace_to(idx)
        last = steps[-1].state
        failed = S.check_properties(self.model, last)
        prop = self.model.properties[pix]
        match = [f for f in failed if f[0].name == prop.name]
        if not match:
            raise RuntimeError(f"explicit: internal error: `{prop.name}` holds in the reconstructed state")
        return self._finish_trace(Trace(tuple(steps), Violation.of_property(*match[0])))

    def violation_error(self, i: int, aid: int, args: tuple[Any, ...], picks: tuple[Any, ...],
                        err: ModelError) -> Result:
        dl = self._deadlock_before(i)
        if dl is not None:
            self.depth = self._depth_of(dl)
            return self.violation_deadlock(dl)
        steps = self.trace_to(i)
        last = steps[-1].state
        if self.canon is None:
            action = self.model.actions[aid]
            v = Violation.of_error(S.StepError(action.name, args, picks, err, last))
        else:
            first = next((o for o in S.successors(self.model, last) if isinstance(o, S.StepError)), None)
            if first is None:
                raise RuntimeError("explicit: internal error: no model error from the reconstructed state")
            v = Violation.of_error(first)
        self.depth = len(steps) - 1
        return self._finish_trace(Trace(tuple(steps), v))

    def violation_deadlock(self, i: int) -> Result:
        steps = self.trace_to(i)
        self.depth = len(steps) - 1
        return self._finish_trace(Trace(tuple(steps), Violation.deadlock()))


def check(model: ir.Model, opts: EngineOptions | Mapping[str, Any] | None = None) -> Result:
    """Exhaustive breadth-first search of `model` (see the module docstring for opts)."""
    options = EngineOptions.of(opts)
    if options.workers is not None or options.cluster is not None:
        from .partitioned import check as partitioned  # --workers, --cluster: partitions of the search
        return partitioned(model, options)
    options.refuse_unsupported(ENGINE, SUPPORTED)
    search = Search(model, options)
    result = search.run()
    if options.coverage:
        from .coverage import with_branch_coverage  # --coverage: a pass over the stored states
        result = with_branch_coverage(model, search, result)
    if not model.temporals:
        return result
    from .liveness import after_safety  # the liveness pass: on the full graph, after safety
    return after_safety(model, options, search, result)

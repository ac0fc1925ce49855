"""The partitioned breadth-first search: `check --workers N` and `--cluster ray`.

The driver of a level-synchronous search over N partitions (partition.py: the states each worker owns,
and why the keys and positions make every choice equal to the single-process search's). The transport that runs the
partitions is separate: pool.py (worker processes of this machine), ray_backend.py (Ray actors). For
each level the driver asks every partition to expand its states and exchange the successors with their
owners, waits for the N reports (looking at the clock and sending progress meanwhile), and decides:

  - a deadlock in the level expanded (the least position over all partitions) ends the search: its trace
    is the shortest; otherwise the least of the model errors found while expanding it and of the
    violating new states (by the position of the state expanded) ends it: the single-process search's first violation;
  - no new state: the state space is exhausted, the properties hold;
  - --max-states: the run stops after the level in which the count reached it (the counts may pass it
    by one level's states; the bound is the one a single process reports);
  - --max-depth k: after level k is found, its states are scanned for deadlocks.
--timeout and Ctrl-C stop the workers; a timeout during the search is bounded by the last level
checked completely, as in search.py. The counterexample is rebuilt by following parent links across
partitions, labelled by the reference semantics (paths.py) and replayed.
"""
from __future__ import annotations

import dataclasses
import resource
import time
from typing import Any, Protocol

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.result import EngineOptions, OptionError, ProgressUpdate, Result, Status, Violation
from xenmodel.trace import Trace, TraceStep, replay

from .partition import RADIX_BITS, owner_of
from .partition_key import Key, choose, describe, sample, whole_state
from .paths import label_path
from .store import State

ENGINE = "explicit"
SUPPORTED = frozenset({"max_states", "max_depth", "timeout", "deadlock", "symmetry", "workers", "cluster"})
PROGRESS_EVERY = 1.0  # seconds between two progress lines while a level is expanded
UNEVEN = 1.25  # a partition holding more than this times an even share of the states is noted in the output
Report = dict[str, Any]


class Pending(Protocol):
    """Replies the transport is waiting for: one per partition, in partition order."""

    def wait(self, seconds: float) -> list[Any] | None: ...


class Transport(Protocol):
    """Runs N partitions (partition.Partition) somewhere; see pool.py and ray_backend.py."""
    n: int
    name: str  # for the output: "2 worker processes", "Ray, 2 actors"

    def start(self, model: ir.Model, symmetry: bool, deadlock: bool) -> Pending: ...
    def level(self) -> Pending: ...  # expand, exchange, absorb, settle (partition.py) on every partition
    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> Pending: ...
    def close(self) -> None: ...


class WorkerFailed(RuntimeError):
    """A partition raised: `kind` is "memory" for MemoryError, else "error" (its traceback is the text)."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind


class _Timeout(Exception):
    pass


def check(model: ir.Model, options: EngineOptions) -> Result:
    """The explicit engine with `options.workers` partitions (in processes, or on Ray for
    `options.cluster`); one worker and no cluster is the single-process search."""
    options.refuse_unsupported(ENGINE, SUPPORTED)
    if model.temporals:
        skips = " ".join(f"--skip {t.name}" for t in model.temporals)
        raise OptionError("--workers and --cluster do not check temporal properties (the liveness pass needs "
                          f"the whole state graph in one process): run without them, or leave them out: {skips}")
    if options.cluster is None and (options.workers or 1) <= 1:  # one worker: the single-process search
        from .search import check as single
        return single(model, dataclasses.replace(options, workers=None))
    transport: Transport
    if options.cluster is None:
        from .pool import ProcessTransport
        transport = ProcessTransport(options.get("workers", 1))
    else:
        from .ray_backend import RayTransport
        transport = RayTransport(options.cluster, options.workers)
    return PartitionedSearch(model, options, transport).run()


class PartitionedSearch:
    """The driver of one partitioned search (see the module docstring)."""

    def __init__(self, model: ir.Model, opts: EngineOptions, transport: Transport, key: Key | None = None) -> None:
        """`key`: the partition key (partition_key.py); None: chosen on a sample of the model."""
        self.model, self.opts, self.t = model, opts, transport
        self.forced = key
        self.deadlock: bool = opts.get("deadlock", True)
        self.symmetry: bool = opts.get("symmetry", True)
        self.messages: list[str] = []
        self.canon = None
        self.sym_info: dict[str, Any] | None = None
        if self.symmetry:
            from .symmetry import make_canonicaliser
            self.canon, self.sym_info = make_canonicaliser(model)
            if self.sym_info is not None and "off" in self.sym_info:
                self.messages.append(self.sym_info["off"])
        self.started = time.perf_counter()
        self.cpu_started = time.process_time()
        self.deadline = None if opts.timeout is None else self.started + opts.timeout
        self.phase = "initial-state enumeration"
        self.depth = 0
        self.total = 0  # states found so far
        self.level_size = 0  # states of the level being expanded
        self.init_count = 0
        self.reports: list[Report] = []  # the latest report of every partition (their counts)
        self.key: Key = whole_state(model)

    # ------------------------------------------------------------ the run
    def run(self) -> Result:
        try:
            return self._run()
        except KeyboardInterrupt:
            return self.unknown("interrupted (Ctrl-C)")
        except _Timeout:
            if self.phase == "search":  # the levels completed are a bound, as in search.py
                bounded = self.bounded_at_stop(f"--timeout {self.opts.timeout:g} s")
                if bounded is not None:
                    return bounded
            return self.unknown(f"timeout after {self.opts.timeout:g} s")
        except WorkerFailed as err:
            if err.kind != "memory":
                raise
            return self.unknown("out of memory", "; try --max-states or a smaller instance")
        finally:
            self.t.close()

    def _run(self) -> Result:
        model = self.model
        inits = S.initial_states(model)
        self.init_count = len(inits)
        firsts: list[State] = []
        seen: set[State] = set()
        for o in inits:
            if isinstance(o, S.StepError):
                trace = Trace((), Violation.of_error(o))
                replay(model, trace)
                return self.result(Status.VIOLATED, trace)
            s = o.state if self.canon is None else self.canon(o.state)
            if s in seen:
                continue
            seen.add(s)
            firsts.append(s)
            failed = S.check_properties(model, s)
            if failed:
                self.phase = "counterexample reconstruction"
                self.total = len(firsts)
                return self.finish(label_path(model, self.canon, [s]), Violation.of_property(*failed[0]))
        if not inits:
            return self.result(Status.VIOLATED, Trace((), Violation.deadlock(no_initial_state=True)))
        self.total = self.level_size = len(firsts)
        self.phase = "compilation"
        started = self.t.start(model, self.symmetry, self.deadlock)
        n, cache = self.t.n, dict[Any, int]()
        # chosen while the workers start and compile
        self.key = self.forced or choose(model, n, sample(model, self.canon, firsts),
                                         lambda k, s: owner_of(s, n, k, cache))
        for notes in self.wait(started):
            self.messages.extend(m for m in notes if m not in self.messages)
        seeds: list[list[tuple[State, int]]] = [[] for _ in range(n)]
        for pos, s in enumerate(firsts):
            seeds[owner_of(s, n, self.key, cache)].append((s, pos))
        self.wait(self.t.call("seed", [(sd, self.key) for sd in seeds]))
        self.phase = "search"
        if self.opts.max_depth == 0:
            return self.bounded_by_depth()
        while True:
            self.reports = self.wait(self.t.level())
            decided = self.decide(self.reports)
            if decided is not None:
                return decided
            new = sum(r["new"] for r in self.reports)
            if new == 0:
                self.level_size = 0
                return self.result(Status.HOLDS)  # nothing new: the state space is exhausted
            self.total += new
            self.level_size = new
            limit = self.opts.max_states
            if limit is not None and self.total >= limit:
                return self.bounded_at_stop(f"--max-states {limit}") or self.result(
                    Status.UNKNOWN, reason=f"--max-states {limit} reached before the initial states were expanded")
            self.depth += 1
            if self.opts.max_depth is not None and self.depth >= self.opts.max_depth:
                return self.bounded_by_depth()

    def decide(self, reports: list[Report]) -> Result | None:
        """The violation found while expanding level `depth`, if any (see the module docstring)."""
        deadlocks = [(r["deadlock"][0], w, r["deadlock"][1]) for w, r in enumerate(reports) if r["deadlock"]]
        if deadlocks:
            _, w, i = min(deadlocks)
            return self.violation(w, i, None)
        # a model error while expanding the state at a position, or a violating new state by its key (the
        # position of its discoverer, then its place among that one's successors); two partitions never
        # expand the same state. A state sent by the discoverer of a model error was generated before it
        events: list[tuple[tuple[int, int, int], int, int, State | None, int]] = [
            ((r["error"][0], 1, 0), w, r["error"][1], None, -1) for w, r in enumerate(reports) if r["error"]]
        events += [((r["inv"][0] >> RADIX_BITS, 0, r["inv"][0]), r["inv"][1], r["inv"][2], r["inv"][3], r["inv"][4])
                   for r in reports if r["inv"]]
        if not events:
            return None
        _, w, i, state, pix = min(events, key=lambda e: e[0])
        return self.violation(w, i, pix, state)

    def wait(self, pending: Pending) -> list[Any]:
        """The replies, sending progress about once a second and stopping at the deadline."""
        last = time.perf_counter()
        while True:
            step = PROGRESS_EVERY
            if self.deadline is not None:
                step = min(step, max(self.deadline - time.perf_counter(), 0.0))
            got = pending.wait(step)
            if got is not None:
                return got
            now = time.perf_counter()
            if self.deadline is not None and now >= self.deadline:
                raise _Timeout()
            if self.opts.progress is not None and now - last >= PROGRESS_EVERY:
                last = now
                secs = now - self.started
                gen = sum(sum(r["gen"]) for r in self.reports)
                self.opts.progress(ProgressUpdate(ENGINE, self.phase, secs, depth=self.depth, states=self.total,
                                                  queue=self.level_size, transitions=gen,
                                                  message=f"{self.total / secs:,.0f} states/s, {self.t.name}"))

    # ------------------------------------------------------------ bounds
    def bounded_at_stop(self, what: str) -> Result | None:
        """Stopped by `what` while expanding level `depth`: every state of depth <= depth was found and
        checked; with deadlock checking on, the last level's deadlocks are not known (search.py's rule)."""
        b = self.depth - 1 if self.deadlock else self.depth
        if b < 0:
            return None
        self.messages.append(f"note: stopped at {what} while expanding level {self.depth}; the bound is the "
                             "last level checked completely")
        return self.result(Status.BOUNDED, bound=b)

    def bounded_by_depth(self) -> Result:
        self.phase = "deadlock scan of the last level"
        scans = self.wait(self.t.call("scan_deadlocks", [()] * self.t.n))
        found = [(r[0], w, r[1]) for w, r in enumerate(scans) if r is not None]
        if found:
            _, w, i = min(found)
            return self.violation(w, i, None)
        return self.result(Status.BOUNDED, bound=self.depth)

    # ------------------------------------------------------------ counterexamples
    def violation(self, w: int, i: int, pix: int | None, last: State | None = None) -> Result:
        """The trace to state i of partition w: a deadlock there (pix None), a model error out of it
        (pix -1), or property pix broken by `last`, a successor of it."""
        self.phase = "counterexample reconstruction"
        path: list[State] = [] if last is None else [last]
        while w >= 0:
            state, w, i = self.wait(self.t.call("step_back", [(i,) if k == w else None for k in range(self.t.n)]))[w]
            path.append(state)
        path.reverse()
        steps = label_path(self.model, self.canon, path)
        last = steps[-1].state
        if pix is None:
            v = Violation.deadlock()
        elif pix < 0:
            first = next((o for o in S.successors(self.model, last) if isinstance(o, S.StepError)), None)
            if first is None:
                raise RuntimeError("explicit: internal error: no model error from the reconstructed state")
            v = Violation.of_error(first)
        else:
            name = self.model.properties[pix].name
            match = [f for f in S.check_properties(self.model, last) if f[0].name == name]
            if not match:
                raise RuntimeError(f"explicit: internal error: `{name}` holds in the reconstructed state")
            v = Violation.of_property(*match[0])
        return self.finish(steps, v)

    def finish(self, steps: list[TraceStep], v: Violation) -> Result:
        trace = Trace(tuple(steps), v)
        replay(self.model, trace)  # a ReplayError here is an internal error: let it propagate
        self.depth = len(steps) - 1
        return self.result(Status.VIOLATED, trace)

    # ------------------------------------------------------------ results
    def stats(self) -> dict[str, Any]:
        secs = time.perf_counter() - self.started
        na = len(self.model.actions)
        gen = [sum(r["gen"][a] for r in self.reports) for a in range(na)]
        dist = [sum(r["dist"][a] for r in self.reports) for a in range(na)]
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        st: dict[str, Any] = {
            "states": self.total,
            "generated": sum(gen) + self.init_count,
            "transitions": sum(gen),
            "depth": self.depth,
            "queue": self.level_size,
            "seconds": round(secs, 3),
            # the driver's and every worker's CPU time; the memory of all the processes together
            "cpu_seconds": round(time.process_time() - self.cpu_started + sum(r["cpu"] for r in self.reports), 3),
            "states_per_second": round(self.total / secs) if secs > 0 else None,
            "peak_memory_mb": round(own + sum(r["peak_mb"] for r in self.reports), 1),
            "coverage": {a.name: {"distinct": d, "generated": g}
                         for a, d, g in zip(self.model.actions, dist, gen, strict=True)},
            "workers": self.t.n,
            "worker_cpu_seconds": [round(r["cpu"], 3) for r in self.reports],
            # per worker, CPU seconds per phase (start-up, compiled step, routing, exchange, absorbing,
            # settling) and the wall-clock seconds it waited for the others ("idle")
            "worker_phases": [{k: round(v, 3) for k, v in r["phases"].items()} for r in self.reports],
            "partition_key": describe(self.model, self.key),
            # of the states a partition's expansion routes (those it stores as new, and those it lists for
            # another partition: partition.py), the share sent to another partition; and how many were sent
            "sent_away": round(sum(r["away"] for r in self.reports)
                               / max(1, sum(r["routed"] for r in self.reports)), 3),
            "states_sent": sum(r["away"] for r in self.reports),
        }
        if self.sym_info is not None:
            st["symmetry"] = dict(self.sym_info)
        return st

    def unknown(self, why: str, hint: str = "") -> Result:
        where = f"in phase `{self.phase}` (statistics so far)"
        if self.phase == "counterexample reconstruction":
            where += "; a violation was found, its trace was not finished"
        return self.result(Status.UNKNOWN, reason=f"{why} {where}{hint}")

    def result(self, status: Status, trace: Trace | None = None, bound: int | None = None,
               reason: str | None = None) -> Result:
        stats = self.stats()
        msgs = list(self.messages)
        owned = [r["owned"] for r in self.reports]
        if owned and sum(owned) >= 1000 * len(owned) and max(owned) > UNEVEN * sum(owned) / len(owned):
            shares = ", ".join(f"{100 * o / sum(owned):.0f}%" for o in owned)
            msgs.append(f"note: the partitions hold uneven shares of the states ({shares}): the busiest sets the "
                        f"pace; the partition key ({stats['partition_key']}) was chosen on a sample of the model")
        never = [a.name for a, c in zip(self.model.actions, stats["coverage"].values(), strict=True)
                 if c["generated"] == 0]
        if never and status == Status.HOLDS:  # only when every reachable state was explored (search.py)
            stats["never_enabled"] = never
            msgs.append(f"warning: {len(never)} action(s) never enabled in any reachable state: {', '.join(never)}")
        m = tuple(msgs)
        return Result.of_search(self.model, ENGINE, status, stats, m, trace, bound, reason)

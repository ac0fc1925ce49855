"""Partitions in worker processes of this machine: the transport of `check --workers N` (and, for tests and
measurements, InProcessTransport: the partitions one after the other in this process).

Each worker is a forked process where that is safe (Linux, and this process runs no other thread: a fork
copies no thread, so a lock another thread held would stay held in the child), else a spawned one. A forked
worker starts with this process's modules imported: a spawned one starts a new interpreter, imports numpy and
the engine and re-imports the main module (a command-line script, a benchmark: all it imports), 0.25-0.30 s of
CPU per worker on S1 (docs/performance.md), which a forked one saves. A forked worker resets the signal
handlers it inherits and closes the pipes of the workers forked before it (so that each pipe ends when the
driver's end closes). Each receives the model pickled once (ir.Model is a tree of frozen dataclasses),
compiles it itself, and serves the driver's commands on a pipe: start, seed, level, scan_deadlocks, step_back
(partition.Partition's methods). For a level, the workers exchange their successor batches (numpy arrays: one
pickle of a few buffers per owner), then their new levels' keys, directly, each through the inbox queue of its
owner, so the states never pass through the driver; only counts and the violations found come back to it.
Workers ignore SIGINT: on Ctrl-C the driver reports and stops them. `close` stops them on every exit path (and
they are daemons: they end with the parent).
"""
from __future__ import annotations

import gc
import multiprocessing
import pickle
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_any
from typing import Any

from xenmodel import ir

from .partition import Partition
from .partitioned import WorkerFailed
from .store import rss_bytes


class _Exchange:
    """All-to-all exchange through the inbox queues: what worker `wid` sends each other worker, and
    what it receives from each. Messages are tagged by phase: a faster worker's keys may arrive
    before a slower worker's batch of the same level."""

    def __init__(self, wid: int, inboxes: list[Any]) -> None:
        self.wid, self.inboxes = wid, inboxes
        self.early: dict[tuple[str, int], Any] = {}

    def all_to_all(self, tag: str, out: list[Any]) -> list[Any]:
        n, wid = len(self.inboxes), self.wid
        for j in range(n):
            if j != wid:
                self.inboxes[j].put((tag, wid, out[j]))
        got: list[Any] = [None] * n
        got[wid] = out[wid]
        for w in range(n):
            if w != wid:
                got[w] = self.early.pop((tag, w), None)
        while any(got[w] is None for w in range(n) if w != wid):
            t, w, value = self.inboxes[wid].get()
            if t == tag:
                got[w] = value
            else:
                self.early[(t, w)] = value
        return got


def _timed(part: Partition, exchange: Any, tag: str, out: list[Any]) -> list[Any]:
    """An exchange, its CPU (pickling, sending, receiving) and its idle time (waiting for the other
    workers: wall-clock less CPU) added to the partition's phases."""
    c0, w0 = time.process_time(), time.perf_counter()
    got: list[Any] = exchange(tag, out)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    ph = part.phases
    ph["exchange"] = ph.get("exchange", 0.0) + cpu
    ph["idle"] = ph.get("idle", 0.0) + max(0.0, wall - cpu)
    return got


def _serve(wid: int, n: int, conn: Connection, inboxes: list[Any], inherited: list[Connection]) -> None:
    """A worker's loop: one reply ("ok", value) / ("memory" | "error", text) per command. `inherited`:
    the driver's ends of the pipes to the workers forked so far, this one's included (closed here)."""
    for c in inherited:
        c.close()
    base = rss_bytes() if inherited else 0  # forked: the driver's pages, counted in its own figure
    for sig in (signal.SIGTERM, signal.SIGALRM):  # a forked worker inherits the driver's handlers
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C and stops the workers
    # the partition allocates millions of small objects and frees none: the cyclic collector would
    # rescan them again and again for nothing (as search.py, it is off; this process does nothing else)
    gc.disable()
    part: Partition | None = None
    ex = _Exchange(wid, inboxes)
    while True:
        try:
            msg = conn.recv()
        except EOFError:  # the driver is gone
            return
        op = msg[0]
        if op == "stop":
            return
        try:
            if op == "start":
                part = Partition(pickle.loads(msg[1]), wid, n, msg[2], msg[3])
                part.base_rss = base
                reply: Any = part.notes
            elif op == "level":
                assert part is not None
                out = part.expand()
                keys = part.absorb(_timed(part, ex.all_to_all, "states", out))
                reply = part.settle(_timed(part, ex.all_to_all, "keys", [keys] * n))
            else:
                reply = getattr(part, op)(*msg[1])
            conn.send(("ok", reply))
        except MemoryError:
            conn.send(("memory", "out of memory"))
        except Exception:
            conn.send(("error", f"worker {wid}: {traceback.format_exc()}"))


class _Replies:
    """One reply from each asked worker (None for a worker not asked)."""

    def __init__(self, conns: list[Connection], asked: list[bool]) -> None:
        self.conns = conns
        self.replies: list[Any] = [None] * len(conns)
        self.waiting = {c: w for w, (c, a) in enumerate(zip(conns, asked, strict=True)) if a}

    def wait(self, seconds: float) -> list[Any] | None:
        end = time.monotonic() + seconds
        while self.waiting:
            left = end - time.monotonic()
            if left <= 0:
                return None
            for c in wait_any(list(self.waiting), timeout=left):
                assert isinstance(c, Connection)
                w = self.waiting.pop(c)
                try:
                    kind, value = c.recv()
                except (EOFError, OSError):
                    raise WorkerFailed("error", f"worker process {w} exited unexpectedly") from None
                if kind != "ok":
                    raise WorkerFailed(kind, value)
                self.replies[w] = value
        return self.replies


def start_method() -> str:
    """"fork" where it is safe (see the module docstring), else "spawn". Threads are counted by the
    threading module: one started below it (pytest-xdist's execnet starts its I/O thread so) is not seen."""
    if sys.platform == "linux" and threading.active_count() == 1:
        return "fork"
    return "spawn"


class InProcessTransport:
    """N partitions run one after the other in this process (the transport protocol of partitioned.py):
    for tests, which compare many models cheaply, and for measuring each partition's work without the
    processes' start-up, idle time and contention (bench/bench_workers.py --in-process). The model and
    every batch sent to another partition go through pickle, as between processes."""

    def __init__(self, n: int) -> None:
        self.n, self.name = n, f"{n} partitions in this process"
        self.parts: list[Partition] = []

    def start(self, model: ir.Model, symmetry: bool, deadlock: bool) -> _Done:
        blob = pickle.dumps(model)
        self.parts = [Partition(pickle.loads(blob), w, self.n, symmetry, deadlock) for w in range(self.n)]
        return _Done([p.notes for p in self.parts])

    def level(self) -> _Done:
        outs = [p.expand() for p in self.parts]
        keys = [p.absorb([outs[s][w] if s == w else pickle.loads(pickle.dumps(outs[s][w])) for s in range(self.n)])
                for w, p in enumerate(self.parts)]
        return _Done([p.settle(keys) for p in self.parts])

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> _Done:
        return _Done([None if a is None else getattr(p, method)(*a) for p, a in zip(self.parts, args, strict=True)])

    def close(self) -> None:
        pass


class _Done:
    """Replies already there (InProcessTransport)."""

    def __init__(self, value: list[Any]) -> None:
        self.value = value

    def wait(self, seconds: float) -> list[Any]:
        return self.value


class ProcessTransport:
    """N worker processes on this machine (see the module docstring)."""

    def __init__(self, n: int, method: str | None = None) -> None:
        """`method`: "fork" or "spawn"; None: start_method()'s choice."""
        self.n, self.method = n, method
        self.name = f"{n} worker processes"
        self.procs: list[Any] = []
        self.conns: list[Connection] = []
        self.inboxes: list[Any] = []

    def start(self, model: ir.Model, symmetry: bool, deadlock: bool) -> _Replies:
        ctx: Any = multiprocessing.get_context(self.method or start_method())
        self.inboxes = [ctx.Queue() for _ in range(self.n)]
        for wid in range(self.n):
            mine, theirs = ctx.Pipe()
            before = [*self.conns, mine] if ctx.get_start_method() == "fork" else []
            p = ctx.Process(target=_serve, args=(wid, self.n, theirs, self.inboxes, before), daemon=True,
                            name=f"xenmodel-explicit-{wid}")
            p.start()
            theirs.close()
            self.procs.append(p)
            self.conns.append(mine)
        blob = pickle.dumps(model)
        for c in self.conns:
            c.send(("start", blob, symmetry, deadlock))
        return _Replies(self.conns, [True] * self.n)

    def level(self) -> _Replies:
        for c in self.conns:
            c.send(("level",))
        return _Replies(self.conns, [True] * self.n)

    def call(self, method: str, args: list[tuple[Any, ...] | None]) -> _Replies:
        for c, a in zip(self.conns, args, strict=True):
            if a is not None:
                c.send((method, a))
        return _Replies(self.conns, [a is not None for a in args])

    def close(self) -> None:
        for c in self.conns:
            try:
                c.send(("stop",))
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 1.0
        for p in self.procs:
            p.join(max(deadline - time.monotonic(), 0.0))
            if p.is_alive():  # busy in a level (a timeout, Ctrl-C, a failure elsewhere): stop it
                p.terminate()
                p.join(1.0)
                if p.is_alive():
                    p.kill()
                    p.join()
        for q in self.inboxes:
            q.cancel_join_thread()  # batches nobody will read must not hold this process at exit
            q.close()
        for c in self.conns:
            c.close()
        self.procs, self.conns, self.inboxes = [], [], []

"""Partitions in worker processes of this machine: the transport of `check --workers N`.

Each worker is a spawned process (it shares nothing with the parent: no inherited signal handlers,
threads or hash seeds) that receives the model pickled once (ir.Model is a tree of frozen dataclasses),
compiles it itself, and serves the driver's commands on a pipe: start, seed, level, scan_deadlocks,
step_back (partition.Partition's methods). For a level, the workers exchange their successor batches
(numpy arrays: one pickle of a few buffers per owner), then their new levels' keys, directly, each
through the inbox queue of its owner, so the states never pass through the driver; only counts and
the violations found come back to it. Workers ignore SIGINT: on Ctrl-C the driver
reports and stops them. `close` stops them on every exit path (and they are daemons: they end with
the parent).
"""
from __future__ import annotations

import gc
import multiprocessing
import pickle
import signal
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_any
from typing import Any

from xenmodel import ir

from .partition import Partition
from .partitioned import WorkerFailed


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


def _serve(wid: int, n: int, conn: Connection, inboxes: list[Any]) -> None:
    """A worker's loop: one reply ("ok", value) / ("memory" | "error", text) per command."""
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
                reply: Any = part.notes
            elif op == "level":
                assert part is not None
                keys = part.absorb(ex.all_to_all("states", part.expand()))
                reply = part.settle(ex.all_to_all("keys", [keys] * n))
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


class ProcessTransport:
    """N worker processes on this machine (see the module docstring)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.name = f"{n} worker processes"
        self.procs: list[Any] = []
        self.conns: list[Connection] = []
        self.inboxes: list[Any] = []

    def start(self, model: ir.Model, symmetry: bool, deadlock: bool) -> _Replies:
        ctx = multiprocessing.get_context("spawn")
        self.inboxes = [ctx.Queue() for _ in range(self.n)]
        for wid in range(self.n):
            mine, theirs = ctx.Pipe()
            p = ctx.Process(target=_serve, args=(wid, self.n, theirs, self.inboxes), daemon=True,
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

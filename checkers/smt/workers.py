"""Running proof tasks (discharge.py) in this process or in worker processes.

Workers are started with `spawn`: Z3 contexts are not safe to fork once threads exist, and a spawned
worker shares nothing with the parent. Each worker receives the model pickled once (ir.Model is a tree
of frozen dataclasses and pickles; the engine never goes back to the source, so it does not import the
parser) and ignores SIGINT: on Ctrl-C the parent stops the pool itself and reports what was done.

Results do not depend on the number of workers or on the order tasks finish in: every task builds its
own encoding and asks each obligation on fresh solvers, and the caller orders the outcomes by
obligation. The deadline is an instant of the monotonic clock (shared by the processes of one machine):
each worker gives Z3 only the time left, and the parent stops waiting at the deadline and terminates
the pool (a worker may be inside a long encoding, which no Z3 timeout reaches).
"""
from __future__ import annotations

import multiprocessing
import pickle
import signal
import time
from collections.abc import Callable, Sequence
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S

from .discharge import Outcome, Session, Task, run_task

OnOutcome = Callable[[Outcome], None]
# Starting workers costs about a second (a fresh interpreter, Z3, the model): below this many
# obligations to ask the work stays in this process.
MIN_POOL_OBLIGATIONS = 100

_model: ir.Model | None = None  # a worker's model, set once by _start
_session: Session | None = None  # a SessionPool worker's encodings, set once by _start_session


def _start(blob: bytes) -> None:
    global _model
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and terminates the pool
    _model = pickle.loads(blob)


def _work(job: tuple[Task, float | None]) -> list[Outcome]:
    task, end = job
    assert _model is not None
    with S.recursion_headroom(_model):
        return run_task(_model, task, end)


def _start_session(blob: bytes) -> None:
    global _session
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _session = Session(pickle.loads(blob))


def _work_session(job: tuple[Task, tuple[str, ...], float | None]) -> list[Outcome]:
    task, names, end = job
    assert _session is not None
    with S.recursion_headroom(_session.model):
        return run_task(_session.view(names), task, end, session=_session)


def run_tasks(model: ir.Model, tasks: Sequence[Task], workers: int, end: float | None,
              on_outcome: OnOutcome) -> None:
    """Run every task, calling on_outcome for each obligation's outcome as it arrives. In this process
    when workers <= 1, there is one task or fewer than MIN_POOL_OBLIGATIONS obligations; else in a pool
    of min(workers, tasks) processes. Returns
    when every task is done or the deadline `end` passed (the tasks not done then are simply not
    reported); KeyboardInterrupt propagates after the pool is stopped."""
    if workers <= 1 or len(tasks) <= 1 or sum(len(t.obligations) for t in tasks) < MIN_POOL_OBLIGATIONS:
        for task in tasks:
            if end is not None and time.monotonic() >= end:
                return
            run_task(model, task, end, on_outcome)
        return
    ctx = multiprocessing.get_context("spawn")
    pool: Any = ctx.Pool(min(workers, len(tasks)), initializer=_start, initargs=(pickle.dumps(model),))
    try:
        pending = pool.imap_unordered(_work, [(t, end) for t in tasks])
        for _ in tasks:
            wait = None if end is None else max(end - time.monotonic(), 0.0) + 0.5
            try:
                outs = pending.next(wait)
            except multiprocessing.TimeoutError:
                return  # the deadline passed: the finally terminates the workers
            for o in outs:
                on_outcome(o)
        pool.close()
    finally:
        pool.terminate()
        pool.join()


class SessionPool:
    """run_tasks for a caller that asks many task sets of views of one model (discharge.Session): the
    encodings are kept across calls, in this process and in worker processes that live until `close`
    (each loads the model once and keeps its own Session, so an action is encoded once per worker that
    meets it). The answers are those of run_tasks on the view: each obligation is still asked on fresh
    solvers over the same terms."""

    def __init__(self, model: ir.Model, workers: int) -> None:
        self.session = Session(model)
        self.workers = workers
        self._pool: Any = None

    def run(self, view: ir.Model, tasks: Sequence[Task], end: float | None, on_outcome: OnOutcome) -> None:
        """As run_tasks(view, tasks, ...); `view` is self.session.view(some names)."""
        if self.workers <= 1 or len(tasks) <= 1 or sum(len(t.obligations) for t in tasks) < MIN_POOL_OBLIGATIONS:
            for task in tasks:
                if end is not None and time.monotonic() >= end:
                    return
                run_task(view, task, end, on_outcome, self.session)
            return
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ctx.Pool(self.workers, initializer=_start_session,
                                  initargs=(pickle.dumps(self.session.model),))
        names = tuple(p.name for p in view.properties)
        try:
            pending = self._pool.imap_unordered(_work_session, [(t, names, end) for t in tasks])
            for _ in tasks:
                wait = None if end is None else max(end - time.monotonic(), 0.0) + 0.5
                try:
                    outs = pending.next(wait)
                except multiprocessing.TimeoutError:
                    self.close()  # the deadline passed: a worker may be inside a long encoding
                    return
                for o in outs:
                    on_outcome(o)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

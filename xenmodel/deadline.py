"""The `--timeout` of a whole run: one wall-clock deadline that every engine and every phase honours.

Engines look at the deadline at their natural points (before each solver query, giving Z3 only the
time left; every few steps of a walk). Phases that run long in plain Python without such a point
(enumerating a huge init block, encoding one huge action, a single slow Hypothesis step) are cut by
`armed()`: a SIGALRM at the deadline raises OutOfTime wherever the main thread is. OutOfTime is a
BaseException so that no `except Exception` on the way (Hypothesis treats those as test failures)
swallows it; the engine that armed the deadline catches it and reports unknown with its statistics.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OutOfTime(BaseException):
    """The run's deadline passed."""


class Deadline:
    """`seconds` from now (None: no limit)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.end = None if seconds is None else time.perf_counter() + seconds

    def remaining(self) -> float | None:
        return None if self.end is None else self.end - time.perf_counter()

    def expired(self) -> bool:
        return self.end is not None and time.perf_counter() >= self.end

    def check(self) -> None:
        if self.expired():
            raise OutOfTime()

    @contextmanager
    def armed(self) -> Iterator[None]:
        """Raise OutOfTime in the main thread when the deadline passes (elsewhere, or without
        setitimer, only the engines' own checks apply). Nested arming keeps the outer alarm."""
        global _armed
        if self.end is None or _armed or threading.current_thread() is not threading.main_thread() \
                or not hasattr(signal, "setitimer"):
            yield
            return

        live = [True]  # cleared first thing on the way out: a late alarm then raises nothing

        def fire(signum: int, frame: FrameType | None) -> None:
            if live[0]:
                raise OutOfTime()
        old = signal.signal(signal.SIGALRM, fire)
        _armed = True
        armed_at = time.perf_counter()
        old_timer = (0.0, 0.0)
        try:
            # it fires again every REPEAT seconds: a raise inside a destructor or a gc callback is swallowed
            old_timer = signal.setitimer(signal.ITIMER_REAL, max(self.remaining() or 0.0, 0.001), REPEAT)
            yield
        finally:
            live[0] = False
            try:  # the alarm may still fire right here: the handler is restored all the same
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, old)
                _armed = False
                if old_timer[0] > 0:  # someone else's alarm (pytest-timeout, say) goes on, less the time spent
                    signal.setitimer(signal.ITIMER_REAL,
                                     max(old_timer[0] - (time.perf_counter() - armed_at), 0.001), old_timer[1])


_armed = False  # an alarm is set (by an engine's run; one at a time)
REPEAT = 0.05  # seconds between two alarms once the deadline has passed

"""`--timeout` on the explicit engine now reports `bounded` with the last level completed (issue 16), as
`--max-states` does: the bound is a claim ("no violation up to depth b"), checked here against the plain
reference BFS on generated models, with the search's clock replaced by one that advances a step per look
so that the deadline strikes at every possible point of the search, deterministically."""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

import checkers.explicit.search as search
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelgen import generate  # noqa: E402
from reference_bfs import bfs  # noqa: E402


class FakeTime:
    """perf_counter advances one "second" per call: the deadline falls after a fixed number of looks."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        self.now += 1.0
        return self.now

    process_time = staticmethod(time.process_time)


@pytest.mark.parametrize("seed", range(40))
def test_a_timeout_bound_never_hides_a_shorter_violation(seed, monkeypatch):
    src = generate(random.Random(f"timeout:{seed}"))
    try:
        model = load_model("<t>.xm", text=src).model
    except DiagnosticError:
        pytest.skip("refused by a rule (the acceptance rate is tested in test_campaigns.py)")
    monkeypatch.setattr(search, "CHUNK", 1)  # one state per expansion: many points to stop at
    for deadlock in (True, False):
        ref = bfs(model, deadlock=deadlock)
        for ticks in (4, 6, 9, 14, 25):
            monkeypatch.setattr(search, "time", FakeTime())
            r = search.check(model, {"timeout": float(ticks), "deadlock": deadlock, "symmetry": False})
            if r.status == "bounded":
                assert ref.status == "holds" or ref.length > r.bound, (src, ticks, deadlock, r.bound, ref)
            elif r.status == "holds":
                assert ref.status == "holds", src
            elif r.status == "violated":
                assert ref.status == "violated", src

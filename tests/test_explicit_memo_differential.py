"""The explicit engine's memo tables (checkers/explicit/bfs_code.py: successors per tuple of the ids of
the variables an action touches, property verdicts per tuple of the ids they read) change nothing but
the time: on generated models the search with them gives the same status, counts, per-action coverage,
depth and trace as without them, and the same verdict and shortest length as the plain reference BFS.
MEMO_CHECK = 1 looks at the hit rate at every other insertion, so tables are also switched off mid-run."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

import checkers.explicit.bfs_code as bfs_code
from checkers.explicit import check
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.result import ViolationKind

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelgen import generate  # noqa: E402
from reference_bfs import bfs  # noqa: E402


def _run(model, deadlock):
    r = check(model, {"deadlock": deadlock, "symmetry": False})
    st = r.stats
    trace = None if r.trace is None else ([(s.action, s.args, s.picks, s.state) for s in r.trace.steps],
                                          r.trace.violation)
    return r.status, st["states"], st["transitions"], st["depth"], st["coverage"], trace


@pytest.mark.parametrize("seed", range(60))
def test_memo_changes_nothing_but_time(seed, monkeypatch):
    src = generate(random.Random(f"memo:{seed}"))
    try:
        model = load_model("<t>.xm", text=src).model
    except DiagnosticError:
        pytest.skip("refused by a rule (the acceptance rate is tested in test_campaigns.py)")
    for deadlock in (True, False):
        monkeypatch.setattr(bfs_code, "MEMO", False)
        plain = _run(model, deadlock)
        monkeypatch.setattr(bfs_code, "MEMO", True)
        for every in (65535, 1):
            monkeypatch.setattr(bfs_code, "MEMO_CHECK", every)
            assert _run(model, deadlock) == plain, (src, deadlock, every)
        ref = bfs(model, deadlock=deadlock)
        if ref.status == "holds":
            assert plain[0] == "holds" and plain[1] == len(ref.states), src
        elif ref.status == "violated":
            steps, violation = plain[5]
            # an error raised by a step is one step longer than the trace of states before it (no steps:
            # the violation is in init)
            step_error = violation.kind in (ViolationKind.MODEL_ERROR, ViolationKind.ASSERT)
            length = len(steps) - 1 + step_error if steps else 0
            assert plain[0] == "violated" and length == ref.length and violation.kind in ref.kinds, src

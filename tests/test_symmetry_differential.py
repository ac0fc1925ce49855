"""Symmetry reduction against the full search, on random models with symmetric sorts (issue 14).

For each generated model (tests/modelgen.py, always with a symmetric sort in the state): the explicit
engine with and without symmetry gives the same verdict and shortest counterexample length, and when
the model holds, the reduced search stores exactly one state per orbit of the full state space (the
distinct canonical forms, under checkers/explicit/symmetry.py, of the states the full search reaches).
The generator also writes the order-dependent loops of issue 14: for those the symmetry rule
(checkers/explicit/symmetry_rule.py) turns the reduction off, and the "reduced" search must then equal the full one.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checkers import explicit
from checkers.explicit.symmetry import make_canonicaliser
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelgen import generate  # noqa: E402
from reference_bfs import bfs  # noqa: E402


def _length(res):
    t = res.trace
    if not t.steps:
        return 0
    return len(t) + (1 if t.violation.kind in ("assert", "model-error") else 0)


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2 ** 32))
def test_symmetry_reduction_matches_the_full_search(seed):
    src = generate(random.Random(seed), sym_prob=1.0)
    try:
        model = load_model("<sym>.xm", text=src).model
    except DiagnosticError:
        assume(False)  # refused by a rule (the acceptance rate is tested in test_campaigns.py)
    canon, info = make_canonicaliser(model)  # canon is None when the symmetry rule turns the reduction off
    full = explicit.check(model, {"symmetry": False})
    reduced = explicit.check(model, {"symmetry": True})
    assert reduced.status == full.status, src
    if full.status == "violated":
        assert _length(reduced) == _length(full), src
        return
    ref = bfs(model)
    assert ref.status == "holds" and len(ref.states) == full.stats["states"], src
    orbits = len(ref.states) if canon is None else len({canon(s) for s in ref.states})
    assert reduced.stats["states"] == orbits, src

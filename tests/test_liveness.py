"""Liveness: the lasso judge (xenmodel.liveness, through trace.replay), the explicit engine's fair-cycle
search on fixtures (tests/fixtures/liveness/), the CLI's text, JSON and ITF output of a lasso, and a
differential test of the SCC search against a brute force over every state subset of small generated
models."""
from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from checkers import explicit
from checkers.explicit import liveness as LV
from checkers.explicit.liveness_graph import Graph
from xenmodel import ir
from xenmodel import liveness as L
from xenmodel import semantics as S
from xenmodel.cli import cli
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.reports import itf
from xenmodel.trace import ReplayError, Trace, TraceStep, replay

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelgen import generate  # noqa: E402

FIX = "tests/fixtures/liveness"
HAVE_SCIPY = LV.fast(Graph(load_model(f"{FIX}/weak.xm").model)) is not None


@pytest.fixture(params=["python", "numpy"])
def path(request, monkeypatch):
    """Both implementations of the fair-component search: Python (small graphs) and numpy/scipy."""
    if request.param == "numpy":
        if not HAVE_SCIPY:
            pytest.skip("numpy/scipy not installed (the `liveness` extra)")
        monkeypatch.setattr(LV, "FAST_FROM", 0)
    return request.param


def check(name: str, **opts):
    model = load_model(f"{FIX}/{name}.xm").model
    return model, explicit.check(model, {"deadlock": False, **opts})


@pytest.mark.parametrize("name, status, prop", [
    ("weak", "holds", None),
    ("weak_unfair", "violated", "reaches_two"),
    ("strong", "holds", None),
    ("strong_weak", "violated", "finishes"),
    ("deadlock", "violated", "reaches_three"),
    ("served", "holds", None),
    ("served_starved", "violated", "served"),
])
def test_fixture_verdicts(name: str, status: str, prop: str | None, path: str) -> None:
    model, r = check(name)
    assert r.status == status
    if status == "holds":
        assert set(r.stats["liveness"]["properties"].values()) == {"holds"}
        return
    t = r.trace
    assert t.violation.kind == "temporal" and t.violation.name == prop and t.violation.code == "XM245"
    assert t.loop is not None
    replay(model, t)  # the judge: the lasso violates the property under every fairness condition


def test_lasso_shapes() -> None:
    model, r = check("deadlock")  # x: 0 -> 1, then the deadlock stutters
    assert [s.state for s in r.trace.steps] == [(0,), (1,)] and r.trace.loop == 1 and r.trace.closing is None
    model, r = check("served_starved")
    assert r.trace.violation.instance == (1,)  # p1 starves
    assert r.trace.closing is not None and r.trace.closing.state == r.trace.steps[r.trace.loop].state


def test_each_shape_on_weak_unfair() -> None:
    model = load_model(f"{FIX}/weak_unfair.xm").model
    for t in model.temporals:  # every one fails on the toggle-only lasso
        only = dataclasses.replace(model, temporals=(t,))
        r = explicit.check(only, {"deadlock": False})
        assert r.status == "violated" and r.trace.violation.name == t.name
    fair = load_model(f"{FIX}/weak.xm").model
    assert explicit.check(fair, {"deadlock": False}).status == "holds"


def test_the_judge_refuses_an_unfair_or_non_violating_lasso() -> None:
    unfair_model, r = check("weak_unfair")
    fair_model = load_model(f"{FIX}/weak.xm").model
    with pytest.raises(ReplayError, match="not fair: inc\\(\\) has weak fairness"):
        replay(fair_model, r.trace)  # the toggle loop never takes inc, which is always enabled
    # a lasso through x == 2 does not violate `eventually x == 2`
    s0, s1, s2 = (0, False), (1, False), (2, False)
    steps = (TraceStep("init", (), (), s0), TraceStep("inc", (), (), s1), TraceStep("inc", (), (), s2),
             TraceStep("toggle", (), (), (2, True)))
    t = Trace(steps, r.trace.violation, 2, TraceStep("toggle", (), (), s2))
    with pytest.raises(ReplayError, match="does not violate reaches_two"):
        replay(unfair_model, t)
    # a closing step that is not a transition, and a stutter on a state that is not a deadlock
    bad = dataclasses.replace(r.trace, closing=TraceStep("inc", (), (), r.trace.steps[r.trace.loop].state))
    with pytest.raises(ReplayError, match="closing step"):
        replay(unfair_model, bad)
    with pytest.raises(ReplayError, match="not a deadlock"):
        replay(unfair_model, dataclasses.replace(r.trace, closing=None))


def test_symmetry_is_off_for_temporals() -> None:
    src = ("symmetric sort P = p[2]\nvar on: P -> bool\nfair weak action flip(p: P) { on[p] := !on[p] }\n"
           "temporal t: forall p: P :: always eventually on[p]\n")
    model = load_model("<m>.xm", text=src).model
    r = explicit.check(model, {"deadlock": False})
    assert r.status == "holds" and r.stats["liveness"]["states"] == 4
    assert any("without symmetry" in m for m in r.messages)


def test_cli_text_json_itf(tmp_path: Path) -> None:
    out = tmp_path / "lasso.itf.json"
    res = CliRunner().invoke(cli, ["check", f"{FIX}/served_starved.xm", "--no-deadlock", "--trace-out", str(out)])
    assert res.exit_code == 1, res.output
    assert "-- loop starts here (state 1) --" in res.output and "violated[XM245]: temporal served" in res.output
    assert "-- back to state 1: the loop repeats forever --" in res.output
    doc = json.loads(out.read_text())
    assert doc["loop"] == 1 and doc["#meta"]["closing"]["action"] == "release"
    assert doc["#meta"]["violation"]["instance"] == {"p": "p1"}
    model = load_model(f"{FIX}/served_starved.xm").model
    back = itf.from_itf(model, itf.loads(out.read_text(), "<mem>"))
    replay(model, back)
    assert back.loop == 1 and back.violation.instance == (1,)
    # without "#meta".closing (a trace of another tool) the closing step is searched for
    del doc["#meta"]["closing"]
    again = itf.from_itf(model, doc)
    replay(model, again)
    res = CliRunner().invoke(cli, ["trace", "replay", f"{FIX}/served_starved.xm", str(out)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["check", f"{FIX}/served_starved.xm", "--no-deadlock", "--format", "json"])
    j = json.loads(res.output)
    assert j["trace"]["loop"] == 1 and j["trace"]["closing"]["action"] == "release"
    res = CliRunner().invoke(cli, ["check", f"{FIX}/served.xm", "--no-deadlock"])
    assert res.exit_code == 0, res.output
    html = tmp_path / "lasso.html"
    res = CliRunner().invoke(cli, ["check", f"{FIX}/served_starved.xm", "--no-deadlock", "--trace-out", str(html)])
    page = html.read_text()
    assert res.exit_code == 1 and "the loop starts here" in page and "back to step 1: the loop repeats" in page
    assert page.count('class="inloop"') == 3  # the two steps of the loop after state 1, and the closing step


# ------------------------------------------------------------------ differential: SCC search vs brute force
def brute_force(model: ir.Model, t: ir.Temporal, args: tuple) -> bool | None:
    """Whether a fair behaviour violates the instance, by enumerating every set C of reachable states
    that is strongly connected through its inner edges: the closed walk over all of C's inner edges
    is the fairest cycle on C (it takes every instance C can take), so a fair violating cycle exists
    iff some such C is fair and fits the shape. None for graphs too large to enumerate."""
    inits = [o.state for o in S.initial_states(model) if isinstance(o, S.Step)]
    if not inits:
        return None
    states, edges = list(dict.fromkeys(inits)), {}
    k = 0
    while k < len(states):
        outs = list(S.successors(model, states[k]))
        if any(isinstance(o, S.StepError) for o in outs):
            return None
        edges[k] = {(states.index(o.state) if o.state in states else (states.append(o.state) or len(states) - 1),
                     (o.action, o.args)) for o in outs}
        if not edges[k]:
            edges[k] = {(k, None)}  # a deadlock stutters
        k += 1
        if len(states) > 9:
            return None
    n = len(states)
    env = L.env_of(t, args)
    try:
        p = [bool(S.eval_expr(t.p, s, env)) for s in states]
        q = [bool(S.eval_expr(t.q, s, env)) for s in states] if t.q is not None else [False] * n
    except S.ModelError:
        return None
    en = [{lab for _, lab in edges[i] if lab is not None} for i in range(n)]
    fair = [(a.name, tuple(x), a.fairness) for a in model.fair_actions for x in S.param_tuples(a)]

    def reach(src: set, ok) -> set:
        seen, todo = set(src), list(src)
        while todo:
            v = todo.pop()
            for w, _ in edges[v]:
                if w not in seen and ok(w):
                    seen.add(w)
                    todo.append(w)
        return seen

    for mask in range(1, 1 << n):
        c = {i for i in range(n) if mask >> i & 1}
        inner = [(i, w, lab) for i in c for w, lab in edges[i] if w in c]
        if not inner or any(reach({i}, c.__contains__) != c for i in c):
            continue
        taken = {lab for _, _, lab in inner}
        if any((name, x) not in taken and (all((name, x) in en[i] for i in c) if f == ir.Fairness.WEAK
                                          else any((name, x) in en[i] for i in c)) for name, x, f in fair):
            continue
        kind = t.kind
        if kind == ir.TemporalKind.EVENTUALLY_ALWAYS:
            ok = any(not p[i] for i in c)
        elif kind == ir.TemporalKind.ALWAYS:
            ok = bool(reach({i for i in range(n) if not p[i]}, lambda w: True) & c)
        elif kind == ir.TemporalKind.LEADS_TO:
            ok = all(not q[i] for i in c) and bool(
                reach({i for i in range(n) if p[i] and not q[i]}, lambda w: not q[w]) & c)
        elif kind == ir.TemporalKind.EVENTUALLY:
            ok = all(not p[i] for i in c) and bool(
                reach({i for i in range(len(dict.fromkeys(inits))) if not p[i]}, lambda w: not p[w]) & c)
        else:  # always eventually
            ok = all(not p[i] for i in c)
        if ok:
            return True
    return False


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2 ** 32))
def test_scc_search_matches_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    src = generate(rng, n_props=2, sym_prob=0.0)
    try:
        model = load_model("<live>.xm", text=src).model
    except DiagnosticError:
        assume(False)
    assume(len(model.properties) == 2)
    p, q = (x.expr if rng.random() < 0.5 else ir.Unary(ir.UnOp.NOT, x.expr, x.expr.type) for x in model.properties)
    fair = [rng.choice([None, ir.Fairness.WEAK, ir.Fairness.STRONG]) for _ in model.actions]
    actions = tuple(dataclasses.replace(a, fairness=f) for a, f in zip(model.actions, fair, strict=True))
    kind = rng.choice(list(ir.TemporalKind))
    t = ir.Temporal("t", (), None, kind, p, q if kind == ir.TemporalKind.LEADS_TO else None)
    model = dataclasses.replace(model, actions=actions, properties=(), temporals=(t,))
    expected = brute_force(model, t, ())
    assume(expected is not None)
    r = explicit.check(model, {"deadlock": False})
    assume(r.status != "unknown")  # a predicate that raises a model error
    assume(r.trace is None or r.trace.violation.kind == "temporal")  # not a safety violation (no initial state)
    assert r.status == ("violated" if expected else "holds"), (src, kind, fair)
    if expected:
        replay(model, r.trace)
    if HAVE_SCIPY:  # the numpy/scipy path (used on large graphs) agrees, on the same small graphs
        saved, LV.FAST_FROM = LV.FAST_FROM, 0
        try:
            fast = explicit.check(model, {"deadlock": False})
        finally:
            LV.FAST_FROM = saved
        assert fast.status == r.status, (src, kind, fair)


def test_unknown_when_a_predicate_raises_or_time_runs_out(monkeypatch) -> None:
    src = "var o: int[0..1]?\naction a() { o := 1 }\ntemporal t: eventually get(o) == 1\n"
    r = explicit.check(load_model("<m>.xm", text=src).model, {"deadlock": False})
    assert r.status == "unknown" and "temporal t: evaluating it raised XM501" in r.reason

    def expired(self):
        raise LV.Timeout()
    monkeypatch.setattr(LV.Checker, "_tick", expired)
    model = load_model(f"{FIX}/served.xm").model
    r = explicit.check(model, {"deadlock": False, "timeout": 60})
    assert r.status == "unknown" and r.reason.startswith("timeout after 60 s while checking the temporal")
    res = CliRunner().invoke(cli, ["check", f"{FIX}/served.xm", "--no-deadlock", "--timeout", "60"])
    assert res.exit_code == 3, res.output


def test_explain_lists_fairness_and_temporals() -> None:
    res = CliRunner().invoke(cli, ["explain", f"{FIX}/served_starved.xm"])
    assert res.exit_code == 0
    assert "      weak fairness (per instance)" in res.output and "  temporal served: leads to (forall p)" in res.output


def test_safety_first_and_bounded_runs_say_the_temporals_were_not_checked() -> None:
    model = load_model(f"{FIX}/deadlock.xm").model
    r = explicit.check(model)  # deadlock checking on: the deadlock is the violation
    assert r.status == "violated" and r.trace.violation.kind == "deadlock"
    r = explicit.check(model, {"deadlock": False, "max_depth": 0})
    assert r.status == "bounded" and any("were not checked" in m for m in r.messages)

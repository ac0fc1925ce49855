"""The explicit-state engine: exact counts, shortest counterexamples, coverage, deadlock, limits, symmetry,
and state-by-state equality of the compiled successor function with the reference semantics."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import deque
from pathlib import Path

import pytest

from checkers.explicit import check
from checkers.explicit import search as explicit
from checkers.explicit.model_code import ModelCode
from xenmodel import semantics as S
from xenmodel.frontend import load_model
from xenmodel.result import EngineOptions
from xenmodel.trace import replay

from helpers import model_from_text, reference_bfs

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
BENCH = ROOT / "bench" / "models"


def load(path, **consts):
    return load_model(str(path), None, consts).model


def run(model, **opts):
    opts.setdefault("deadlock", True)
    return check(model, opts)


# ------------------------------------------------------------------ compiled == reference
def _ref_outcomes(model, state):
    out = []
    for o in S.successors(model, state):
        if isinstance(o, S.StepError):
            out.append(("error", o.action, o.args, o.picks, o.error.code, o.error.message, o.error.span))
            break  # the engine stops at the first error: only the prefix up to it must agree
        out.append((o.action, o.args, o.picks, o.state))
    return out


def _compiled_outcomes(code, fn, state):
    out = []
    for o in fn(state):
        if o[0] == "error":
            err = o[4]
            out.append(("error", code.action_names[o[1]], o[2], o[3], err.code, err.message, err.span))
            break
        out.append((code.action_names[o[0]], o[1], o[2], o[3]))
    return out


def _differential(model, limit):
    code = ModelCode(model)
    fn, _ = code.build_list()
    seen, queue = set(), deque()
    for o in S.initial_states(model):
        if isinstance(o, S.Step) and o.state not in seen:
            seen.add(o.state)
            queue.append(o.state)
    n = errors = 0
    while queue and n < limit:
        s = queue.popleft()
        n += 1
        want = _ref_outcomes(model, s)
        got = _compiled_outcomes(code, fn, s)
        assert got == want, f"state {s}: compiled successors differ from the reference"
        errors += sum(1 for o in want if o[0] == "error")
        # explore through every successor, errors included (the rest of the reference's list too)
        for o in S.successors(model, s):
            if isinstance(o, S.Step) and o.state not in seen:
                seen.add(o.state)
                queue.append(o.state)
    return n, errors


@pytest.mark.parametrize("path,consts,limit", [
    (FIX / "explicit_counter.xm", {}, 100),
    (FIX / "explicit_choose.xm", {}, 1200),
    (FIX / "explicit_sym.xm", {}, 400),
    (FIX / "explicit_sym_bug.xm", {}, 400),
    (FIX / "sched_small.xm", {}, 400),
    (BENCH / "s1.xm", {"D": 2, "V": 2, "P": 2}, 800),
    (BENCH / "s1_bug.xm", {"D": 2, "V": 2, "P": 2}, 800),
    (BENCH / "s1_sym.xm", {"D": 2, "V": 2, "P": 2}, 800),
])
def test_compiled_successors_equal_reference(path, consts, limit):
    model = load(path, **consts)
    n, errors = _differential(model, limit)
    assert n > 5
    if path.name == "explicit_choose.xm":
        assert errors > 10  # model errors inside and after a choose were compared too


@pytest.mark.slow
def test_s1_differential_covers_the_whole_state_space():
    n, _ = _differential(load(BENCH / "s1.xm", D=2, V=2, P=2), 10_000)
    assert n == 5856


# ------------------------------------------------------------------ counts, coverage, deadlock
def test_counter_counts_and_coverage():
    r = run(load(FIX / "explicit_counter.xm"), deadlock=False)
    assert r.status == "holds"
    st = r.stats
    assert (st["states"], st["transitions"], st["depth"], st["generated"]) == (10, 12, 6, 13)
    assert st["coverage"] == {"incx": {"distinct": 3, "generated": 6},
                              "incy": {"distinct": 6, "generated": 6},
                              "never": {"distinct": 0, "generated": 0}}
    assert "warning: 1 action(s) never enabled in any reachable state: never" in r.messages
    assert st["never_enabled"] == ["never"]
    assert not any("`incx`" in m for m in r.messages)
    for key in ("seconds", "cpu_seconds", "states_per_second", "peak_memory_mb"):
        assert key in st


def test_states_are_packed_ints_and_bytes_per_state_is_reported():
    # S1 (2,2,2) packs into one int of 33 bits per state: st (3**4 = 81 values: 7 bits), pend (16: 4 bits),
    # curr (5**2 = 25: 5 bits), rq (341**2 = 116,281 seqs: 17 bits); the memory a state takes is reported
    model = load(ROOT / "bench" / "models" / "s1.xm", D=2, V=2, P=2)
    search = explicit.Search(model, EngineOptions.of({"deadlock": False}))
    r = search.run()
    assert r.status == "holds" and r.stats["states"] == 5856
    assert search.store.width == [7, 4, 5, 17]
    assert all(isinstance(s, int) and 0 <= s < 1 << 33 for s in search.states)
    assert search.value(0) == S.initial_states(model)[0].state


def test_bytes_per_state_is_the_growth_of_the_resident_set_over_the_states():
    # the search's tables are what grows the resident set (the search frees none of them)
    out = subprocess.run([sys.executable, "-m", "xenmodel", "check", str(ROOT / "bench" / "models" / "s1.xm"),
                          "--no-deadlock", "--const", "P=3", "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    stats = json.loads(out.stdout)["stats"]
    assert out.returncode == 0 and stats["states"] == 16560
    assert 20 <= stats["bytes_per_state"] <= 2000, stats


def test_counter_deadlock_is_found_with_a_shortest_trace():
    model = load(FIX / "explicit_counter.xm")
    r = run(model)
    assert r.status == "violated"
    assert r.trace.violation.kind == "deadlock"
    assert len(r.trace) == 6
    assert r.trace.steps[-1].state == (3, 3)
    replay(model, r.trace)


def test_shortest_invariant_counterexample():
    text = (FIX / "explicit_counter.xm").read_text().replace("invariant ordered: y <= x",
                                                             "invariant low: x + y <= 4")
    model = model_from_text(text)
    r = run(model, deadlock=False)
    assert r.status == "violated" and r.trace.violation.name == "low"
    assert len(r.trace) == 5
    _, ref = reference_bfs(model, deadlock=False)
    assert len(ref) == len(r.trace)
    replay(model, r.trace)


def test_fixture_counts_equal_the_reference_bfs():
    for name in ("explicit_counter.xm", "explicit_sym.xm", "sched_small.xm"):
        model = load(FIX / name)
        n, ref_trace = reference_bfs(model, deadlock=False)
        r = run(model, deadlock=False, symmetry=False)
        assert ref_trace is None and r.status == "holds", name
        assert r.stats["states"] == n, name


def test_model_error_trace_is_shortest_and_replays():
    model = load(FIX / "explicit_choose.xm")
    r = run(model, deadlock=False)
    assert r.status == "violated"
    v = r.trace.violation
    assert v.kind == "model-error" and v.code == "XM504"
    action, args, picks = v.failing
    assert action == "push" and picks and picks[0][0] == "v"
    _, ref = reference_bfs(model, deadlock=False)
    assert len(ref) == len(r.trace) == 2
    assert ref.violation.failing == v.failing
    replay(model, r.trace)


# ------------------------------------------------------------------ S1
def test_s1_222_counts():
    r = run(load(BENCH / "s1.xm", D=2, V=2, P=2), deadlock=False)
    assert r.status == "holds"
    assert (r.stats["states"], r.stats["transitions"], r.stats["depth"]) == (5856, 24142, 29)
    assert r.messages == ()
    cov = r.stats["coverage"]
    assert sum(c["generated"] for c in cov.values()) == 24142
    assert sum(c["distinct"] for c in cov.values()) == 5856 - 1


def test_s1_222_deadlock_on_by_default():
    model = load(BENCH / "s1.xm", D=2, V=2, P=2)
    r = check(model, {})
    assert r.status == "violated" and r.trace.violation.kind == "deadlock"
    last = r.trace.steps[-1].state
    assert all(x == 2 for x in last[0]) and not any(last[1])  # every vcpu blocked, nothing pending
    _, ref = reference_bfs(model, deadlock=True)
    assert len(r.trace) == len(ref) == 8


def test_s1_bug_shortest_counterexample():
    model = load(BENCH / "s1_bug.xm", D=2, V=2, P=2)
    r = run(model, deadlock=False)
    assert r.status == "violated" and r.trace.violation.name == "I3"
    assert len(r.trace) == 5
    assert r.trace.steps[-1].action == "steal"
    replay(model, r.trace)


# ------------------------------------------------------------------ limits
def test_max_depth_is_bounded():
    model = load(BENCH / "s1.xm", D=2, V=2, P=2)
    r = run(model, max_depth=5)
    assert r.status == "bounded" and r.bound == 5 and r.stats["depth"] == 5
    assert r.headline() == "bounded: no violation up to depth 5"
    # the deadlock is 8 steps away: a bound of 8 finds it
    assert run(model, max_depth=8).status == "violated"


def test_max_states_bound_is_the_last_complete_level():
    model = load(BENCH / "s1.xm", D=2, V=2, P=2)
    full = run(model, deadlock=False, max_depth=3)
    n3 = full.stats["states"]
    r = run(model, deadlock=False, max_states=n3 + 3)  # cuts level 4 short
    assert r.status == "bounded" and r.bound == 3
    assert r.stats["states"] == n3 + 3
    r = run(model, deadlock=True, max_states=n3 + 3)
    assert r.status == "bounded" and r.bound == 2  # deadlocks of level 3 were not all looked for


def test_timeout_gives_unknown_with_stats(monkeypatch):
    monkeypatch.setattr(explicit, "CHUNK", 16)
    model = load(BENCH / "s1.xm", D=2, V=2, P=2)
    r = run(model, deadlock=False, timeout=1e-9)
    assert r.status == "unknown" and "timeout" in r.reason and "in phase" in r.reason
    assert r.stats["states"] < 5856  # the alarm may stop it before the first state (every phase counts)


def test_interrupt_gives_unknown_with_stats(monkeypatch):
    monkeypatch.setattr(explicit, "CHUNK", 16)
    monkeypatch.setattr(explicit, "PROGRESS_EVERY", 0.0)
    lines = []

    def progress(update):
        lines.append(update)
        if len(lines) == 3:
            raise KeyboardInterrupt

    r = run(load(BENCH / "s1.xm", D=2, V=2, P=2), deadlock=False, progress=progress)
    assert r.status == "unknown" and "interrupted" in r.reason
    assert r.stats["states"] > 0
    # progress is a ProgressUpdate with the states and the depth so far
    assert len(lines) == 3 and lines[0].states is not None and lines[0].depth is not None


# ------------------------------------------------------------------ symmetry
def test_symmetry_reduces_and_verdicts_agree():
    model = load(FIX / "explicit_sym.xm")
    on = run(model, deadlock=False, symmetry=True)
    off = run(model, deadlock=False, symmetry=False)
    assert on.status == off.status == "holds"
    assert off.stats["states"] == 188
    assert on.stats["states"] == 37
    assert on.stats["symmetry"] == {"sorts": {"Proc": 3}, "group_order": 6}
    assert "symmetry" not in off.stats


def test_symmetry_bug_found_with_the_same_length():
    model = load(FIX / "explicit_sym_bug.xm")
    on = run(model, deadlock=False, symmetry=True)
    off = run(model, deadlock=False, symmetry=False)
    assert on.status == off.status == "violated"
    assert on.trace.violation.name == off.trace.violation.name == "mutex"
    assert len(on.trace) == len(off.trace) == 4
    replay(model, on.trace)
    replay(model, off.trace)


def test_s1_sym_is_the_same_graph_and_reduces():
    model = load(BENCH / "s1_sym.xm", D=2, V=2, P=2)
    off = run(model, deadlock=False, symmetry=False)
    on = run(model, deadlock=False, symmetry=True)
    assert (off.stats["states"], off.stats["transitions"]) == (5856, 24142)
    assert on.status == "holds" and on.stats["states"] == 1491
    assert on.stats["symmetry"]["group_order"] == 4
    # the deadlock is found with and without symmetry, at the same distance
    d_on, d_off = run(model, symmetry=True), run(model, symmetry=False)
    assert d_on.trace.violation.kind == d_off.trace.violation.kind == "deadlock"
    assert len(d_on.trace) == len(d_off.trace) == 8


# ------------------------------------------------------------------ determinism and the CLI
def test_same_run_same_result():
    model = load(BENCH / "s1_bug.xm", D=2, V=2, P=2)
    a, b = run(model, deadlock=False), run(model, deadlock=False)
    assert a.trace == b.trace and a.stats["states"] == b.stats["states"]


def test_cli_json_carries_the_stats():
    proc = subprocess.run([sys.executable, "-m", "xenmodel", "check", str(BENCH / "s1.xm"), "--no-deadlock",
                           "--format", "json"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "holds" and out["engine"] == "explicit"
    assert out["stats"]["states"] == 5856 and out["stats"]["coverage"]["send"]["generated"] > 0


def test_an_option_the_engine_does_not_take_is_refused():
    from xenmodel.result import EngineOptions, OptionError
    model = model_from_text("model m\nvar x: bool\naction a() { x := !x }\n")
    with pytest.raises(OptionError, match="explicit engine does not support --seed"):
        check(model, {"seed": 1})
    with pytest.raises(OptionError, match="unknown engine option"):
        check(model, {"depth": 3})  # BMC's bound: the explicit engine's is max_depth
    assert check(model, EngineOptions(max_depth=1)).status == "bounded"

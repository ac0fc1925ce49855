"""`simulate --swarm N` (checkers/swarm.py): N worker processes with their own seeds, preferred actions and
walk lengths, stopping at the first violation, deterministic for the seed."""
from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

from checkers.swarm import Plan, Preferring, plans, run
from xenmodel.result import EngineOptions
from xenmodel.simulate import ReferenceSemantics

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import ROOT, model_from_text, run_cli  # noqa: E402

BUG = str(ROOT / "spec/bugs/ctxsw-no-flush.xm")


def test_the_same_seed_gives_the_same_worker_run_and_trace():
    args = ("simulate", BUG, "-i", "small", "--swarm", "3", "--runs", "50", "--seed", "1", "--format", "json")
    code1, out1, _ = run_cli(*args)
    code2, out2, _ = run_cli(*args)
    assert code1 == code2 == 1
    one, two = json.loads(out1), json.loads(out2)
    assert one["trace"] == two["trace"]
    assert one["stats"]["found_by"] == two["stats"]["found_by"]
    assert "load_clean_state" in one["headline"]
    assert any(m.startswith(f"found by swarm worker {one['stats']['found_by']['worker']} (seed ")
               for m in one["messages"])
    assert not multiprocessing.active_children()


def test_no_violation_is_a_sample_of_every_workers_runs():
    model = model_from_text("model m\nvar x: int[0..3]\ninit { x := 0 }\naction inc() { require x < 3\n x := x + 1 }\n"
                            "action dec() { require x > 0\n x := x - 1 }\ninvariant small: x <= 3\n")
    r = run(model, EngineOptions(runs=4, steps=10), 2)
    assert r.status == "sampled" and r.stats["runs"] == 8 and r.stats["swarm"] == 2
    assert "no violation in 2 swarm workers x 4 random run(s)" in r.reason


def test_worker_zero_walks_as_simulate_does():
    model = model_from_text("model m\nvar x: int[0..3]\ninit { x := 0 }\naction inc() { require x < 3\n x := x + 1 }\n")
    ps = plans(model, 4, 7, 100)
    assert ps[0] == Plan(0, 7, None, 100)
    assert ps == plans(model, 4, 7, 100)  # a function of the seed only
    assert all(p.actions is None or set(p.actions) <= {"inc"} for p in ps)


def test_preferred_actions_never_make_a_false_deadlock():
    model = model_from_text("model m\nvar x: int[0..3]\ninit { x := 0 }\naction inc() { require x < 3\n x := x + 1 }\n"
                            "action reset() { require x == 3\n x := 0 }\n")
    sem = Preferring(ReferenceSemantics(model), ["inc"])
    assert [o.action for o in sem.successors((3,))] == ["reset"]  # inc is not enabled: any transition
    assert [o.action for o in sem.successors((1,))] == ["inc"]


def test_a_timeout_is_unknown_and_stops_the_workers():
    r = run(model_from_text("model m\nvar x: int[0..1]\ninit { x := 0 }\naction flip() { x := 1 - x }\n"),
            EngineOptions(runs=10**9, steps=1000, timeout=4.0), 2)
    assert r.status == "unknown" and r.reason.startswith("timed out after 4 s:")
    assert not multiprocessing.active_children()


def test_swarm_zero_is_a_usage_error():
    code, _, err = run_cli("simulate", BUG, "-i", "small", "--swarm", "0")
    assert code == 2 and "Invalid value for '--swarm': 0 is not in the range x>=1." in err


# ------------------------------------------------------------------ guided walks (xenmodel.explore)
NEEDLE = str(ROOT / "tests/fixtures/needle.xm")


def _needle():
    from xenmodel.frontend import load_model
    return load_model(NEEDLE).model


def test_guided_finds_the_needle_that_uniform_misses_within_the_same_budget():
    from xenmodel import simulate
    model = _needle()
    budget = dict(runs=10, steps=100, seed=0, deadlock=False)
    uniform = simulate.run(model, budget)
    guided = simulate.run(model, {**budget, "explore": "guided"})
    assert uniform.status == "sampled" and uniform.stats["runs"] == 10
    assert guided.status == "violated" and guided.stats["runs"] <= 10
    assert guided.trace is not None and guided.trace.steps[-1].state[0] == 5  # x reached 5
    assert "below_five" in guided.headline()


def test_guided_walks_are_deterministic_and_replay():
    from xenmodel import simulate
    from xenmodel.trace import replay
    model = _needle()
    opts = dict(runs=10, steps=100, seed=3, deadlock=False, explore="guided")
    one, two = simulate.run(model, opts), simulate.run(model, opts)
    assert one.status == two.status == "violated"
    assert one.trace == two.trace and one.stats["steps"] == two.stats["steps"]
    replay(model, one.trace)  # the rebuilt trace is a run of the reference semantics


def test_swarm_subsets_are_a_function_of_the_generator():
    import random

    from xenmodel.explore import Guide, swarm_subset
    names = [f"a{i}" for i in range(12)]
    first = [swarm_subset(random.Random(f"7:{r}"), names) for r in range(20)]
    assert first == [swarm_subset(random.Random(f"7:{r}"), names) for r in range(20)]
    assert len(set(first)) > 10  # the runs do differ from each other
    g = Guide(_needle())
    assert g.start(random.Random("1:1"), 1) == Guide(_needle()).start(random.Random("1:1"), 1)
    assert g.start(random.Random("1:0"), 0) == frozenset(g.names)  # even runs: every action


def test_ignore_weights_is_the_model_without_weights():
    from xenmodel import ir, simulate
    from xenmodel.explore import unweighted
    from xenmodel.frontend import load_model
    model = load_model(str(ROOT / "tests/fixtures/weights.xm")).model
    assert ir.action_weights(model) is not None and ir.action_weights(unweighted(model)) is None
    opts = dict(runs=5, steps=30, seed=2, deadlock=False)
    assert simulate.run(model, {**opts, "ignore_weights": True}).trace == \
        simulate.run(unweighted(model), opts).trace


def test_guided_swarm_workers_are_deterministic():
    model = _needle()
    opts = EngineOptions(runs=5, steps=100, seed=1, deadlock=False, explore="guided")
    one, two = run(model, opts, 2), run(model, opts, 2)
    assert one.status == two.status == "violated"
    assert one.trace == two.trace and one.stats["found_by"] == two.stats["found_by"]
    assert not multiprocessing.active_children()


def test_cli_explore_guided_and_a_bad_strategy():
    code, out, _ = run_cli("simulate", NEEDLE, "--explore", "guided", "--no-deadlock", "--format", "json")
    assert code == 1
    assert json.loads(out)["status"] == "violated"
    code, out, _ = run_cli("simulate", NEEDLE, "--no-deadlock")
    assert code == 0  # uniform, 10 runs of 100 steps: a sample
    code, _, err = run_cli("simulate", NEEDLE, "--explore", "wide")
    assert code == 2 and "'wide' is not one of 'uniform', 'guided', 'branch'" in err

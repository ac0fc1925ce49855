"""The model as a Hypothesis state machine (checkers.hypothesis_machine) and `xenmodel test`."""
from __future__ import annotations

import json
import os
from collections import deque

import pytest
from click.testing import CliRunner
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from checkers.hypothesis_machine import (
    ModelFailure,
    machine_name,
    make_settings,
    minimize_trace,
    run,
    run_options,
    state_machine,
)
from checkers.testing import model_test
from checkers.testing import state_machine as public_state_machine
from xenmodel import semantics as S
from xenmodel.cli import cli
from xenmodel.frontend import load_model
from xenmodel.trace import Trace, TraceStep, replay

HERE = os.path.dirname(__file__)
FIX = os.path.join(HERE, "fixtures")


def fixture(name: str, instance=None):
    return load_model(os.path.join(FIX, name), instance).model


def shortest_violation(model, deadlock: bool = False) -> tuple[int, str]:
    """BFS over the reference semantics: the length of the shortest trace to any violation, and its kind
    (for a model error, the number of transitions before the failing step, as Trace.__len__ counts)."""
    seen = set()
    frontier = deque()
    for o in S.initial_states(model):
        if isinstance(o, S.StepError):
            return 0, "model-error"
        if o.state not in seen:
            seen.add(o.state)
            frontier.append((o.state, 0))
    while frontier:
        state, d = frontier.popleft()
        if S.check_properties(model, state):
            return d, "invariant"
        outs = list(S.successors(model, state))
        if any(isinstance(o, S.StepError) for o in outs):
            return d, "error"
        if not outs and deadlock:
            return d, "deadlock"
        for o in outs:
            if o.state not in seen:
                seen.add(o.state)
                frontier.append((o.state, d + 1))
    raise AssertionError("no violation is reachable")


# ----------------------------------------------------------------- the class
def test_class_name_is_stable_unique_and_a_state_machine():
    m1 = fixture("sched_small.xm", "small")
    m2 = fixture("sched_small.xm", "default")
    c1, c1b, c2 = state_machine(m1), state_machine(fixture("sched_small.xm", "small")), state_machine(m2)
    assert issubclass(c1, RuleBasedStateMachine)
    assert c1.__name__ == c1b.__name__ == machine_name(m1)  # same model, same name (a new load too)
    assert c1.__name__ != c2.__name__                       # another instance, another name
    assert c1.__name__.startswith("XenModel_sched_small_small_")
    assert machine_name(m1, deadlock=True) != machine_name(m1)


def test_one_rule_per_action_and_one_invariant_per_property():
    m = fixture("sched_small.xm", "small")
    cls = state_machine(m)
    rules = {r.function.__name__ for r in cls.setup_state().rules}
    assert {"dispatch", "block", "wake"} <= rules
    assert rules - {"dispatch", "block", "wake"} == {"deadlocked", "any_action"}
    invs = {i.function.__name__ for i in cls.setup_state().invariants}
    assert invs == {"invariant_runs_once", "invariant_queued_once"}


def test_clean_model_samples_and_is_deterministic():
    m = fixture("sched_small.xm", "small")
    r1 = run(m, max_examples=15, steps=20, seed=3)
    r2 = run(m, max_examples=15, steps=20, seed=3)
    assert r1.status == "sampled" and r1.exit_code == 0
    assert r1.stats["steps"] > 50
    assert r1.stats["distinct_states"] > 5
    assert (r1.stats["steps"], r1.stats["distinct_states"]) == (r2.stats["steps"], r2.stats["distinct_states"])


# ----------------------------------------------------------------- failures, shrinking
def test_seeded_violation_is_found_and_shrunk_to_the_shortest():
    m = fixture("hyp_seeded.xm")
    shortest, kind = shortest_violation(m)
    assert (shortest, kind) == (4, "invariant")
    r = run(m, max_examples=200, steps=10, seed=0)
    assert r.status == "violated" and r.exit_code == 1
    t = r.trace
    replay(m, t)
    assert t.violation.kind == "invariant" and t.violation.name == "safe"
    assert len(t) == shortest
    assert r.stats["hypothesis_shrunk_length"] >= len(t)
    assert [s.action for s in t.steps[1:]].count("arm") == 1
    assert r.seed == 0 and "--seed" not in r.messages[0]  # the engine returns the seed; the CLI says how to rerun


def test_same_seed_same_trace():
    m = fixture("hyp_error.xm")
    a = run(m, max_examples=50, steps=6, seed=7)
    b = run(m, max_examples=50, steps=6, seed=7)
    assert a.trace is not None and a.trace == b.trace
    assert a.stats["hypothesis_shrunk_length"] == b.stats["hypothesis_shrunk_length"]


def test_failed_assert_reports_the_models_message_and_span():
    m = fixture("hyp_assert.xm")
    shortest, _ = shortest_violation(m)
    r = run(m, max_examples=200, steps=8, seed=1)
    assert r.status == "violated"
    v = r.trace.violation
    assert v.kind == "assert" and v.message == "bump overflowed the budget"
    assert v.span is not None and v.span.short().startswith(os.path.join(FIX, "hyp_assert.xm"))
    assert v.failing[0] == "bump"
    assert len(r.trace) == shortest == 2
    assert r.trace.steps[0].state[2] == 2  # the initial state with start = 2 is the shortest way


def test_model_error_after_a_choose_pick():
    m = fixture("hyp_error.xm")
    r = run(m, max_examples=100, steps=10, seed=0)
    assert r.status == "violated"
    v = r.trace.violation
    assert v.kind == "model-error" and v.code == "XM501" and "none" in v.message
    assert v.failing[0] == "use"
    assert len(r.trace) == shortest_violation(m)[0] == 1  # take(keep=false), then use() fails
    assert r.trace.steps[1].picks == (("keep", False),)


def test_deadlock_ends_the_run_cleanly_or_fails_it_when_asked():
    m = fixture("hyp_deadlock.xm")
    r = run(m, max_examples=20, steps=10, seed=0)
    assert r.status == "sampled"  # never Hypothesis's "no progress can be made"
    assert r.stats["deadlocked_runs"] > 0
    r = run(m, max_examples=20, steps=10, seed=0, deadlock=True)
    assert r.status == "violated" and r.trace.violation.kind == "deadlock"
    assert len(r.trace) == 2 == shortest_violation(m, deadlock=True)[0]


def test_model_failure_message_has_the_trace():
    m = fixture("hyp_seeded.xm")
    cls = state_machine(m)
    with pytest.raises(ModelFailure) as info:
        run_state_machine_as_test(cls, settings=make_settings(max_examples=200, steps=10, derandomize=True))
    text = str(info.value)
    assert "invariant safe" in text and "step 1:" in text and "arm(x=2)" in text
    replay(m, info.value.trace)


def test_minimize_trace_deletes_unneeded_steps():
    m = fixture("hyp_seeded.xm")
    init = S.initial_states(m)[0]
    state = init.state
    from xenmodel.trace import TraceStep, Violation
    steps = [TraceStep("init", (), (), state)]
    for name, args in [("inc_b", ()), ("reset", ()), ("inc_a", ()), ("inc_a", ()), ("inc_a", ()),
                       ("arm", (2,)), ("inc_b", ())]:
        out = S.successors_of(m, m.action(name), args, state)[0]
        state = out.state
        steps.append(TraceStep(name, args, (), state))
    prop = m.properties[0]
    t = Trace(tuple(steps), Violation("invariant", "safe", "x", prop.span))
    replay(m, t)
    small = minimize_trace(m, t)
    replay(m, small)
    assert len(small) == 4


# ----------------------------------------------------------------- public API, pytest, CLI
def test_public_state_machine_from_a_path_runs_as_a_testcase():
    cls = public_state_machine(os.path.join(FIX, "sched_small.xm"), instance="small", max_examples=5, steps=5)
    assert cls.TestCase.settings.max_examples == 5
    run_state_machine_as_test(cls, settings=cls.TestCase.settings)


test_sched_small_model = pytest.mark.xenmodel(instance="small", max_examples=10, steps=10)(
    model_test(os.path.join(FIX, "sched_small.xm")))


def test_model_test_fails_with_the_trace():
    fn = model_test(os.path.join(FIX, "hyp_seeded.xm"), max_examples=200, steps=10)

    class Node:
        def get_closest_marker(self, name):
            return None

    class Config:
        def getoption(self, name):
            raise ValueError(name)

    class Request:
        node, config = Node(), Config()
    with pytest.raises(ModelFailure, match="arm"):
        fn(Request())


def test_cli_test_command_text_and_json():
    runner = CliRunner()
    path = os.path.join(FIX, "hyp_seeded.xm")
    res = runner.invoke(cli, ["test", path, "--max-examples", "200", "--steps", "10", "--seed", "0"])
    assert res.exit_code == 1, res.output
    assert "violated" in res.output and "arm(x=2)" in res.output and "seed: 0" in res.output
    assert f"reproduce with: xenmodel test {path} --seed 0 --max-examples 200 --steps 10\n" in res.output
    res = runner.invoke(cli, ["test", path, "--max-examples", "200", "--steps", "10", "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.stdout)  # stderr may carry progress lines
    assert data["status"] == "violated" and data["engine"] == "hypothesis"
    assert data["trace"]["length"] == 4 and data["seed"] == 0
    assert data["reproduce"] == f"xenmodel test {path} --seed 0 --max-examples 200 --steps 10"
    res = runner.invoke(cli, ["test", os.path.join(FIX, "sched_small.xm"), "-i", "small", "--max-examples", "5",
                              "--steps", "5"])
    assert res.exit_code == 0 and "sampled" in res.output


def test_run_options_keys():
    m = fixture("hyp_deadlock.xm")
    r = run_options(m, {"max_examples": 5, "steps": 5, "seed": 1, "deadlock": True})
    assert r.status == "violated" and r.engine == "hypothesis"


# ----------------------------------------------------------------- @weight and --shrink model
def _weights_models():
    path = os.path.join(FIX, "weights.xm")
    text = open(path).read()
    weighted = load_model(path, None).model
    uniform = load_model(path, None, text=text.replace("@weight(1)\n", "")).model
    return weighted, uniform


def test_weight_is_read_from_the_attribute():
    weighted, uniform = _weights_models()
    assert [(a.name, a.weight) for a in weighted.actions] == [("rare", 1), ("common", 10)]
    assert {a.weight for a in uniform.actions} == {10}


def test_simulate_picks_transitions_by_weight():
    from xenmodel.simulate import simulate
    weighted, uniform = _weights_models()
    # 200 steps: about 18 `rare` steps with the weights, about 100 without (seed fixed: deterministic)
    assert simulate(weighted, 200, 3, seed=0).status == "sampled"
    assert simulate(uniform, 200, 3, seed=0).status == "violated"


def test_light_action_rule_runs_its_action_only_when_the_draw_says_so():
    weighted, _ = _weights_models()
    cls = state_machine(weighted)
    m = cls()
    init = S.initial_states(weighted)[0]
    m._enter(TraceStep("init", (), init.picks, init.state))
    m.rare(k=10)  # 10 mod 10 = 0 < weight 1: the rare action
    assert [s.action for s in m.trace_steps[1:]] == ["rare"]
    m.rare(k=25)  # 25 mod 10 = 5 >= 1: an any_action step instead, weighted: draw 2 of (1 + 10) -> common
    assert [s.action for s in m.trace_steps[1:]] == ["rare", "common"]
    m.any_action(k=0)  # weighted any_action: draw 0 of (1 + 10) -> rare
    m.any_action(k=1)  # draw 1 -> common
    assert [s.action for s in m.trace_steps[1:]] == ["rare", "common", "rare", "common"]


REFUSALS = """model refusals
var n: int[0..9] = 0
/// Refused with nothing recorded: each of its ten argument tuples leaves the state as it was.
action poke(i: int[0..9]) {
  require i >= 0
}
action step() {
  require n < 9
  n := n + 1
}
@weight(1)
action rare() {
  require n < 9
  n := 9
}
"""


def test_weighted_any_action_counts_a_target_once_not_once_per_refusal():
    """A target state weighs as its heaviest action, not the sum of the outcomes reaching it: the ten
    no-op `poke` tuples (one target, the state itself) are one choice of weight 10, beside `step` (10)
    and `rare` (1). Summing made the self-loop 100 of 111 and starved the real steps."""
    model = load_model("refusals.xm", None, text=REFUSALS).model
    m = state_machine(model)()
    init = S.initial_states(model)[0]
    m._enter(TraceStep("init", (), init.picks, init.state))
    drawn = [m._any(k).action for k in range(21 * 10)]  # ten full rounds of the weighted draw
    assert {a: drawn.count(a) for a in ("poke", "step", "rare")} == {"poke": 100, "step": 100, "rare": 10}


def test_a_rule_takes_only_steps_that_change_something():
    """`poke` only stutters: its rule is disabled (a refusal that records nothing does not crowd out the
    real steps), while any_action still counts the stutter as one choice; where only the stutter is left
    (n = 9) the run goes on through any_action rather than stopping as deadlocked."""
    model = load_model("refusals.xm", None, text=REFUSALS).model
    cls = state_machine(model)
    rules = {r.function.__name__: r for r in cls.setup_state().rules}
    m = cls()
    init = S.initial_states(model)[0]
    m._enter(TraceStep("init", (), init.picks, init.state))

    def valid():
        return [n for n in ("poke", "step", "rare", "any_action", "deadlocked")
                if all(p(m) for p in rules[n].preconditions)]
    assert valid() == ["step", "rare", "any_action"]
    m._enter(TraceStep("rare", (), (), (9,)))
    assert valid() == ["any_action"]
    m.any_action(k=3)
    assert m.trace_steps[-1].action == "poke" and m.state == (9,)
    r = run(model, max_examples=30, steps=30, seed=0, deadlock=True)
    assert r.status == "sampled" and r.stats["deadlocked_runs"] == 0


def test_shrink_model_leaves_out_hypothesis_shrinker():
    m = fixture("hyp_seeded.xm")
    r = run(m, max_examples=200, steps=10, seed=0, shrink="model")
    assert r.status == "violated"
    replay(m, r.trace)
    assert len(r.trace) == 4  # the deletion pass alone reaches the shortest here
    assert "Hypothesis's shrinker off" in r.messages[0]
    with pytest.raises(ValueError):
        make_settings(shrink="both")
    runner = CliRunner()
    path = os.path.join(FIX, "hyp_seeded.xm")
    res = runner.invoke(cli, ["test", path, "--max-examples", "200", "--steps", "10", "--shrink", "model"])
    assert res.exit_code == 1 and "arm(x=2)" in res.output, res.output
    assert "reproduce with: xenmodel test" in res.output and " --shrink model\n" in res.output
    res = runner.invoke(cli, ["test", path, "--shrink", "never"])
    assert res.exit_code == 2 and "--shrink" in res.output


# ------------------------------------------------------------------ guided test cases (xenmodel.explore)
NEEDLE = os.path.join(os.path.dirname(__file__), "fixtures", "needle.xm")


@pytest.mark.parametrize("explore", ["guided", "branch"])
def test_guided_machine_finds_the_needle_deterministically(explore):
    model = load_model(NEEDLE).model
    opts = dict(seed=0, max_examples=50, deadlock=False, shrink="model", explore=explore)
    one, two = run_options(model, opts), run_options(model, opts)
    assert one.status == two.status == "violated"
    assert one.trace == two.trace and len(one.trace) == 5  # bump five times, minimised
    assert one.stats["test_cases"] == two.stats["test_cases"]
    replay(model, one.trace)


def test_guided_machine_is_a_different_class_and_ignores_weights():
    from xenmodel.explore import unweighted
    model = load_model(os.path.join(os.path.dirname(__file__), "fixtures", "weights.xm")).model
    guided = state_machine(model, explore="guided")
    assert guided.__name__ != state_machine(model).__name__  # the example database keys them apart
    assert guided.model == unweighted(model)
    with pytest.raises(ValueError, match="strategy must be one of"):
        state_machine(model, explore="wide")


def test_cli_test_explore_guided_reproduce_line():
    result = CliRunner().invoke(cli, ["test", NEEDLE, "--explore", "guided", "--ignore-weights", "--no-deadlock",
                                      "--shrink", "model"])
    assert result.exit_code == 1
    assert "--explore guided --ignore-weights" in result.output
    assert "invariant below_five: does not hold" in result.output

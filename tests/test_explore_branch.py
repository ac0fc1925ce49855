"""`--explore branch` (xenmodel/explore.py, checkers/hypothesis_guided.py): branch arms from the
coverage hook, a corpus of runs to resume in simulate, hypothesis.target() on the arms per test case."""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from checkers import hypothesis_guided
from checkers.explicit.compiled_semantics import compiled_or_none
from checkers.hypothesis_machine import run_options, state_machine
from xenmodel import explore, simulate
from xenmodel import semantics as S
from xenmodel.frontend import load_model
from xenmodel.trace import replay

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import ROOT, run_cli  # noqa: E402

COMBO = str(ROOT / "tests/fixtures/combo.xm")
NEEDLE = str(ROOT / "tests/fixtures/needle.xm")
BUDGET = dict(runs=50, steps=100, seed=4, deadlock=False)


def _combo():
    return load_model(COMBO).model


def test_branch_opens_the_lock_that_uniform_and_guided_miss_at_the_same_budget_and_seed():
    model = _combo()
    sem = compiled_or_none(model)
    assert sem is not None
    uniform = simulate.run(model, {**BUDGET, "explore": "uniform"}, semantics=sem)
    guided = simulate.run(model, {**BUDGET, "explore": "guided"}, semantics=sem)
    branch = simulate.run(model, {**BUDGET, "explore": "branch"}, semantics=sem)
    assert (uniform.status, uniform.stats["runs"], uniform.stats["steps"]) == ("sampled", 50, 5000)
    assert (guided.status, guided.stats["runs"], guided.stats["steps"]) == ("sampled", 50, 5000)
    assert guided.reason == "no violation in 50 random run(s) (guided) of up to 100 steps (a sample, not a proof)"
    assert (branch.status, branch.stats["runs"], branch.stats["steps"]) == ("violated", 32, 3101)
    assert branch.headline() == "violated: invariant locked: does not hold"
    assert branch.trace is not None and len(branch.trace) == 26 and branch.trace.steps[-1].state == (4, 10)
    # every arm of the lock taken by then: 7 ifs x 2 arms; one corpus entry per step that took new arms
    assert (branch.stats["branch_arms_taken"], branch.stats["branch_arms"], branch.stats["corpus"]) == (14, 14, 8)
    assert "branch_arms" not in guided.stats and "branch_arms" not in uniform.stats
    replay(model, branch.trace)  # simulate replayed it already; the reference agrees step by step


@pytest.mark.parametrize("mode", explore.STRATEGIES)
@pytest.mark.parametrize("semantics", ["compiled", "reference"])
def test_same_seed_same_result_and_trace_in_every_mode(mode, semantics):
    model = _combo()
    runs = []
    for _ in range(2):
        sem = compiled_or_none(model) if semantics == "compiled" else None
        runs.append(simulate.run(model, {**BUDGET, "seed": 3, "explore": mode}, semantics=sem))
    one, two = runs
    assert (one.status, one.stats["runs"], one.stats["steps"]) == (two.status, two.stats["runs"], two.stats["steps"])
    assert one.trace == two.trace


def test_compiled_and_reference_walks_agree_in_branch_mode():
    model = _combo()
    compiled = simulate.run(model, {**BUDGET, "explore": "branch"}, semantics=compiled_or_none(model))
    reference = simulate.run(model, {**BUDGET, "explore": "branch"})
    assert compiled.trace == reference.trace and compiled.stats["runs"] == reference.stats["runs"] == 32


def test_arms_of_an_instance_are_the_arms_its_enabled_paths_take():
    model = _combo()
    arms = explore.Arms(model)
    init = S.initial_states(model)[0].state
    kinds = {i: (p.kind, p.location().rsplit("/", 1)[-1]) for i, p in enumerate(arms.cov.points)}
    right = arms.of("press", (3,), init)
    wrong = arms.of("press", (4,), init)
    assert sorted((kinds[i][1], arm) for i, arm in right) == [("combo.xm:18:3", "then"), ("combo.xm:19:5", "then")]
    assert sorted((kinds[i][1], arm) for i, arm in wrong) == [("combo.xm:18:3", "then"), ("combo.xm:19:5", "else")]
    needle = load_model(NEEDLE).model
    held = explore.Arms(needle).of("bump", (), (0, 0))
    assert {arm for _, arm in held} == {"held"}
    assert explore.Arms(needle).of("bump", (), (5, 0)) == frozenset()  # a failed require is no step's arm


def test_a_corpus_entry_is_kept_for_each_step_that_took_a_new_arm():
    from xenmodel.deadline import Deadline
    model = _combo()
    guide = explore.make_guide(model, "branch")
    assert isinstance(guide, explore.BranchGuide)
    assert guide.resume(random.Random(0)) == []  # an empty corpus: the run starts afresh
    done = {"runs": 0, "steps": 0, "deadlocks": 0}
    sem = simulate.ReferenceSemantics(model)
    assert simulate._walks(model, sem, None, guide, 100, 1, 0, False, None, Deadline(None), done) is None
    assert len(guide.corpus[0]) == 2  # the first step takes arms no step took before
    # each entry is a walk from an initial state whose last step took an arm the ones before it had not
    covered: set[explore.Arm] = set()
    for entry in guide.corpus:
        state = S.initial_states(model)[entry[0]].state
        for k in entry[1:-1]:
            state = sem.successors(state)[k].state
        last = sem.successors(state)[entry[-1]]
        new = guide.arm_sets.of(last.action, last.args, state)
        assert not new <= covered
        covered |= new
    assert covered == guide.covered and len(guide.corpus) <= len(covered)
    assert explore.make_guide(model, "uniform") is None
    with pytest.raises(ValueError, match="strategy must be one of"):
        explore.make_guide(model, "wide")


def test_branch_machine_reports_the_arms_it_took_as_a_target(monkeypatch):
    seen: list[tuple[str, float]] = []
    monkeypatch.setattr(hypothesis_guided.hypothesis, "target",
                        lambda score, label="": seen.append((label, score)) or score)
    model = _combo()
    r = run_options(model, dict(seed=0, max_examples=5, deadlock=False, shrink="model", explore="branch"))
    assert r.status == "sampled"
    labels = {label for label, _ in seen}
    assert labels == {"distinct actions", "distinct states", "branch arms"}
    assert max(score for label, score in seen if label == "branch arms") >= 4  # both arms of two ifs at least
    assert state_machine(model, explore="branch").__name__ != state_machine(model, explore="guided").__name__


def test_cli_simulate_and_test_explore_branch():
    code, out, _ = run_cli("simulate", COMBO, "--explore", "branch", "--runs", "50", "--seed", "4",
                           "--no-deadlock", "--format", "json")
    assert code == 1
    res = json.loads(out)
    assert res["headline"] == "violated: invariant locked: does not hold"
    assert len(res["trace"]["steps"]) - 1 == 4  # shortened from the walk's 26 steps to the four digits
    code, out, _ = run_cli("test", NEEDLE, "--explore", "branch", "--no-deadlock", "--shrink", "model")
    assert code == 1 and "--explore branch" in out and "invariant below_five: does not hold" in out



def _same(grouped):
    """Outcomes comparable across two runs (a ModelError compares by identity: compare its message)."""
    return [(args, [(o.action, o.args, o.picks, o.state, str(getattr(o, "error", ""))) for o in outs])
            for args, outs in grouped]


@pytest.mark.parametrize("fixture", ["combo.xm", "needle.xm", "hyp_queue.xm", "explicit_choose.xm"])
def test_outcomes_computed_with_the_coverage_hook_are_the_plain_outcomes(fixture):
    """The branch machine gets its outcomes from Arms.run: the hook must not change them."""
    from checkers.hypothesis_core import Core
    model = load_model(str(ROOT / "tests/fixtures" / fixture)).model
    plain, hooked = Core(model, False, 0), Core(model, False, 0, explore.Arms(model))
    frontier = [o.state for o in S.initial_states(model) if isinstance(o, S.Step)]
    seen = set(frontier)
    while frontier and len(seen) < 200:
        state = frontier.pop()
        for a in model.actions:
            got = hooked.grouped(hooked.entry(state), state, a)
            assert _same(got) == _same(plain.grouped(plain.entry(state), state, a))
            for _, outs in got:
                for o in outs:
                    if isinstance(o, S.Step) and o.state not in seen:
                        seen.add(o.state)
                        frontier.append(o.state)
    assert len(seen) > 1

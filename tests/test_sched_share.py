"""G32 (docs/properties.md): the CPU share of vcpus that never block follows their domains' weights.

A statistical property, not an invariant, so no engine checks it: each test takes the explicit engine's
shortest path to tests/fixtures/sched_share.xm's start state (every vcpu up and runnable, the weights
set), then walks only the timer tick, schedule() and the end of a migration (no vcpu ever blocks), with
a seeded random choice among them, and counts whose tick each one is. Every step of the walk is checked
as the engines check one for model errors and failed asserts (credit1's `work_conserving` among them),
and every invariant of spec/sched.xm is checked every CHECK_EVERY steps and at the end.
"""
from __future__ import annotations

import random
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from checkers import explicit
from checkers.explicit.compiled_semantics import compiled_or_none
from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.frontend import load_model

FIXTURE = str(Path(__file__).resolve().parent / "fixtures" / "sched_share.xm")
WALKED = ("csched_tick", "schedule", "vcpu_migrate_finish")
CHECK_EVERY = 97  # steps between two full property checks (every state would triple the test's time)


@cache
def _start(instance: str, consts: tuple[tuple[str, bool], ...]) -> tuple[ir.Model, tuple[object, ...]]:
    model = load_model(FIXTURE, instance, dict(consts)).model
    result = explicit.check(model, {"deadlock": False})
    assert result.status == "violated" and result.trace.violation.name == "start_state", result.reason
    return model, tuple(result.trace.steps[-1].state)


def walk(instance: str, ticks: int, seed: int, **consts: bool) -> tuple[Counter[int], Counter[int]]:
    """(ticks per vcpu, ticks per pcpu) over a walk of `ticks` timer ticks."""
    model, state = _start(instance, tuple(sorted(consts.items())))
    step = compiled_or_none(model)
    assert step is not None
    names = [v.name for v in model.vars]
    cur = names.index("cur")

    def broken(st: tuple[object, ...]) -> list[str]:
        return [q.name for q, _ in S.check_properties(model, st) if q.name != "start_state"]

    rng = random.Random(seed)
    by_vcpu: Counter[int] = Counter()
    by_pcpu: Counter[int] = Counter()
    n = 0
    while sum(by_vcpu.values()) < ticks:
        outs = [o for o in step.successors(state) if o.action in WALKED]
        errors = [o for o in outs if isinstance(o, S.StepError)]
        assert not errors, f"{errors[0].action}{errors[0].args}: {errors[0].error}"
        assert outs, f"no tick, schedule or migration enabled in {dict(zip(names, state, strict=True))}"
        o = rng.choice(outs)
        if o.action == "csched_tick":
            p = o.args[0]
            by_pcpu[p] += 1
            by_vcpu[state[cur][p]] += 1
        state = o.state
        n += 1
        if n % CHECK_EVERY == 0:
            assert not broken(state), broken(state)
    assert not broken(state), broken(state)
    return by_vcpu, by_pcpu


def shares(counts: Counter[int]) -> dict[int, float]:
    total = sum(counts.values())
    return {k: v / total for k, v in sorted(counts.items())}


def test_one_pcpu_weight_two_gets_two_thirds():
    """Two domains of one vcpu on one pcpu, weights 1 and 2, Xen's credit figures (3 ticks per
    accounting period): the walk has no choice left, and the shares are exactly 1/3 and 2/3."""
    by_vcpu, _ = walk("one_pcpu", 3000, seed=0)
    got = shares(by_vcpu)
    assert got[0] == pytest.approx(1 / 3, abs=0.002) and got[1] == pytest.approx(2 / 3, abs=0.002), got


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_pcpus_weights_one_one_two(seed):
    """Three vcpus on two pcpus, weights 1, 1, 2: the weight-2 vcpu's fair share is a whole pcpu (half of
    all ticks), the others a quarter each; both pcpus tick (the tick's migrate_running moves a vcpu to
    the pcpu left idle)."""
    by_vcpu, by_pcpu = walk("two_pcpus", 12_000, seed, SHARE_HEAVY=True, SCHED_WEIGHT_OPS=True)
    got = shares(by_vcpu)
    assert got == pytest.approx({0: 0.25, 1: 0.25, 2: 0.5}, abs=0.02), got
    assert shares(by_pcpu) == pytest.approx({0: 0.5, 1: 0.5}, abs=0.01), by_pcpu


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_two_pcpus_equal_weights(seed):
    by_vcpu, by_pcpu = walk("two_pcpus", 12_000, seed)
    assert shares(by_vcpu) == pytest.approx({0: 1 / 3, 1: 1 / 3, 2: 1 / 3}, abs=0.02), by_vcpu
    assert set(by_pcpu) == {0, 1}


def test_without_migrate_running_an_idle_pcpu_stays_idle():
    """Without credit1's migrate_running (csched_unit_acct), the model's idle pcpu has no tick of its own
    and no wake tickles it: the three vcpus share one pcpu while the other idles (the gap the tick's
    migration closes; docs/model.md)."""
    by_vcpu, by_pcpu = walk("two_pcpus", 3000, seed=0, SCHED_MIGRATE_RUNNING=False)
    assert set(by_pcpu) == {0}
    assert shares(by_vcpu) == pytest.approx({0: 1 / 3, 1: 1 / 3, 2: 1 / 3}, abs=0.01)

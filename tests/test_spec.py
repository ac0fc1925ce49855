"""The Xen model (spec/) under every engine: what issues 7-10 ask in "Done when".

- every subsystem file holds under the explicit engine at `small`, with its exact state count and depth,
  and under BMC at `default` to the depth recorded in BMC_DEFAULT (no violation or deadlock in any run
  of that many steps);
- every bug variant in spec/bugs/: the explicit engine reports the stated property with the shortest
  trace length; BMC at depth = that length finds a violation of exactly that length (BMC asks depth 0,
  1, ... in turn and stops at the first, so this also proves no shorter trace exists, i.e. the explicit
  trace is the shortest); the Hypothesis machine finds a stated violation within HYP_BUDGET (a variant
  it misses is xfail(strict=True) with the measured reason);
- the liveness variants (a temporal property): the explicit engine reports the lasso (its length and
  loop), BMC's lasso search finds one at that depth (the fewest states: `bmc_length` where shorter than
  the explicit one), and the Hypothesis machine, which does not check temporal properties, says so in
  its result instead of passing the variant;
- induction with the lemmas of proofs/ at `default`, per subsystem and for the whole model (spec/xen.xm
  with proofs/xen.xm; recorded exceptions are strict xfails, and the exact list of failing (action,
  property) pairs is asserted separately);
- spec/xen.xm parses and has no violation up to depth 4 under the explicit engine.

BMC assertion on depth: checkers/smt/bmc.py's query at depth k covers both a property broken in s_k and an
erroring transition out of s_k, and the explicit engine's trace length counts the transitions before
the violating state or the failing step, so --depth = length for both kinds.

The data (state counts, lengths, measured seconds, which runs are slow) is in tests/spec_expectations.py.
Runs slower than the thresholds there are @pytest.mark.slow (`pytest -m slow tests/test_spec.py`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from xenmodel.frontend import load_model
from xenmodel.trace import replay

from spec_expectations import (
    BMC_DEFAULT,
    BMC_DEFAULT_FAST_S,
    BMC_FAST_S,
    BMC_LASSO_SMALL,
    BUGS,
    BUGS_INSTANCES,
    EXPLICIT_FAST_S,
    EXTRA_INSTANCES,
    HYP_BUDGET,
    HYP_FAST_S,
    HYP_TEMPORAL_BUDGET,
    PROOFS,
    SUBSYSTEMS,
    XEN_DEPTH4,
    XEN_DIRTY,
    Bug,
    BugsInstance,
)

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec"
BUG_DIR = SPEC / "bugs"
PROOF_DIR = ROOT / "proofs"


def _load(path: Path, instance: str, extra: tuple[str, ...] = ()):
    return load_model(str(path), instance, {}, extra=extra).model


def _matches(v, expected: str) -> bool:
    parts = expected.split(":", 2)
    if v is None or v.kind != parts[0] or v.name != parts[1]:
        return False
    return len(parts) < 3 or parts[2] in v.message


def _describe(result) -> str:
    v = result.trace.violation if result.trace is not None else None
    where = f"{v.kind} {v.name}: {v.message}" if v is not None else "no violation"
    n = len(result.trace) if result.trace is not None else None
    return f"status {result.status}, {where}, length {n}, reason {result.reason!r}"


def _slow_if(cond: bool, *marks):
    return [pytest.mark.slow, *marks] if cond else list(marks)


# ---------------------------------------------------------------- subsystems at `small`
@pytest.mark.parametrize("sub", [pytest.param(s, id=s.name, marks=_slow_if(s.slow)) for s in SUBSYSTEMS])
def test_subsystem_holds_at_small(sub):
    from checkers import explicit
    model = _load(SPEC / f"{sub.name}.xm", "small")
    result = explicit.check(model, {"deadlock": sub.deadlock})
    assert result.status == "holds", _describe(result)
    assert (result.stats["states"], result.stats["depth"]) == (sub.states, sub.depth), (
        f"spec/{sub.name}.xm at small: {result.stats['states']} states, depth {result.stats['depth']}; "
        f"recorded {sub.states}, depth {sub.depth} (a semantic change? update spec_expectations.py)")


@pytest.mark.parametrize("x", [pytest.param(x, id=f"{x.file}-{x.instance}", marks=_slow_if(x.seconds > EXPLICIT_FAST_S))
                               for x in EXTRA_INSTANCES])
def test_extra_instance_holds(x):
    """Instances chosen for bugs rather than speed (two grant references, grant v2), checked exhaustively."""
    from checkers import explicit
    model = _load(SPEC / f"{x.file}.xm", x.instance)
    result = explicit.check(model, {"deadlock": True})
    assert result.status == "holds", _describe(result)
    assert (result.stats["states"], result.stats["depth"]) == (x.states, x.depth), (
        f"spec/{x.file}.xm at {x.instance}: {result.stats['states']} states, depth {result.stats['depth']}")


# ---------------------------------------------------------------- instances chosen for bugs (exhaustive)
@pytest.mark.slow
@pytest.mark.parametrize("b", BUGS_INSTANCES, ids=lambda b: f"{b.subsystem}-{b.instance}")
def test_instance_chosen_for_bugs_is_checked_exhaustively(b: BugsInstance) -> None:
    from checkers import explicit
    result = explicit.check(_load(SPEC / f"{b.subsystem}.xm", b.instance), {"deadlock": True})
    # the whole graph was searched (queue empty): every invariant held in each of its states
    assert (result.stats["states"], result.stats["depth"], result.stats["queue"]) == (b.states, b.depth, 0), (
        _describe(result))
    if b.temporal is None:
        assert result.status == "holds", _describe(result)
    else:
        assert result.status == "violated" and result.trace is not None, _describe(result)
        assert _matches(result.trace.violation, f"temporal:{b.temporal}"), _describe(result)
        assert len(result.trace) == b.lasso, _describe(result)


# ---------------------------------------------------------------- subsystems at `default` (BMC)
@pytest.mark.parametrize("b", [pytest.param(b, id=b.subsystem, marks=_slow_if(b.seconds > BMC_DEFAULT_FAST_S))
                               for b in BMC_DEFAULT])
def test_subsystem_bmc_at_default(b):
    from checkers.smt import bmc
    model = _load(SPEC / f"{b.subsystem}.xm", "default")
    # the safety bound: the lasso search for the temporal properties (as deep, far slower) is left out
    # here; BMC_LASSO_SMALL bounds it
    result = bmc.check(model, {"depth": b.depth, "deadlock": True}, temporals=False)
    assert result.status == "bounded" and result.bound == b.depth, _describe(result)
    assert result.trace is None


@pytest.mark.parametrize("b", [pytest.param(b, id=b.subsystem, marks=_slow_if(b.seconds > BMC_DEFAULT_FAST_S))
                               for b in BMC_LASSO_SMALL])
def test_subsystem_bmc_lasso_search_at_small(b):
    from checkers.smt import lasso
    from xenmodel.deadline import Deadline
    model = _load(SPEC / f"{b.subsystem}.xm", "small")
    dl = Deadline(None)
    with dl.armed():
        result = lasso.search(model, b.depth, dl)
    assert result.status == "bounded" and result.bound == b.depth, _describe(result)
    assert result.messages[0].endswith(f"no lasso of at most {b.depth + 1} states violates one under fairness")


def test_every_subsystem_has_a_bmc_bound():
    assert sorted(b.subsystem for b in BMC_DEFAULT) == sorted(s.name for s in SUBSYSTEMS)


# ---------------------------------------------------------------- bug variants
def _bug_path(bug: Bug) -> Path:
    return BUG_DIR / f"{bug.variant}.xm"


def test_every_bug_variant_is_listed():
    on_disk = sorted(p.stem for p in BUG_DIR.glob("*.xm"))
    assert on_disk == sorted(b.variant for b in BUGS)


@pytest.mark.parametrize("bug", [pytest.param(b, id=b.variant, marks=_slow_if(b.explicit_s > EXPLICIT_FAST_S))
                                 for b in BUGS])
def test_bug_explicit(bug):
    from checkers import explicit
    model = _load(_bug_path(bug), bug.instance)
    result = explicit.check(model, {"deadlock": False})
    assert result.status == "violated", _describe(result)
    v = result.trace.violation
    assert _matches(v, bug.violation), f"expected {bug.violation}; got {_describe(result)}"
    assert len(result.trace) == bug.length, _describe(result)
    assert bool(v.failing) == (v.kind in ("assert", "model-error"))
    assert result.trace.loop == bug.loop, _describe(result)  # a lasso exactly for a temporal property


@pytest.mark.parametrize("bug", [pytest.param(b, id=b.variant, marks=_slow_if(b.bmc_s > BMC_FAST_S)) for b in BUGS])
def test_bug_bmc_at_shortest_depth(bug):
    from checkers.smt import bmc
    model = _load(_bug_path(bug), bug.instance)
    length = bug.bmc_length if bug.bmc_length is not None else bug.length
    result = bmc.check(model, {"depth": length, "deadlock": False})
    assert result.status == "violated", _describe(result)
    v = result.trace.violation
    accepted = (bug.violation, *bug.also)
    assert any(_matches(v, a) for a in accepted), f"expected one of {accepted}; got {_describe(result)}"
    # BMC answers the first depth with a violation: a trace of exactly `length` steps means none is
    # shorter, so the explicit engine's trace is a shortest one. For a lasso BMC's is the one with the
    # fewest states, which may be shorter than the explicit engine's (shortest prefix, short cycle).
    assert len(result.trace) == length, _describe(result)
    assert result.trace.loop == (bug.bmc_loop if bug.bmc_length is not None else bug.loop), _describe(result)
    replay(model, result.trace)


@pytest.mark.parametrize("bug", [b for b in BUGS if b.holds_at is not None], ids=lambda b: b.variant)
def test_bug_needs_its_instance(bug: Bug) -> None:
    """A variant written for an instance chosen for bugs holds, exhaustively, at the smaller instance."""
    from checkers import explicit
    assert bug.holds_at is not None
    result = explicit.check(_load(_bug_path(bug), bug.holds_at), {"deadlock": False})
    assert result.status == "holds", _describe(result)


def _hyp_marks(b: Bug):
    marks = []
    if b.hyp_missed is not None:
        marks.append(pytest.mark.xfail(strict=True, reason=b.hyp_missed))
    return _slow_if(b.hyp_s > HYP_FAST_S, *marks)


@pytest.mark.parametrize("bug", [pytest.param(b, id=b.variant, marks=_hyp_marks(b)) for b in BUGS
                                 if not b.violation.startswith("temporal:")])
def test_bug_hypothesis(bug):
    from checkers import hypothesis_machine
    model = _load(_bug_path(bug), bug.instance)
    result = hypothesis_machine.run_options(model, dict(HYP_BUDGET))
    assert result.status == "violated", _describe(result)
    v = result.trace.violation
    accepted = (bug.violation, *bug.also)
    assert any(_matches(v, a) for a in accepted), f"expected one of {accepted}; got {_describe(result)}"
    # a random run is no shorter than the shortest counterexample
    assert len(result.trace) >= bug.length, _describe(result)
    replay(model, result.trace)


@pytest.mark.parametrize("bug", [b for b in BUGS if b.violation.startswith("temporal:")], ids=lambda b: b.variant)
def test_bug_hypothesis_says_it_does_not_check_temporal_properties(bug):
    from checkers import hypothesis_machine
    model = _load(_bug_path(bug), "small")
    result = hypothesis_machine.run_options(model, dict(HYP_TEMPORAL_BUDGET))
    assert result.status == "sampled", _describe(result)
    names = ", ".join(t.name for t in model.temporals)
    assert result.messages == (f"temporal properties not checked: {names} (finite random runs; `xenmodel check` "
                               "checks them)",)


# ---------------------------------------------------------------- induction with proofs/
def _proof_marks(p):
    marks = []
    if not p.holds:
        marks.append(pytest.mark.xfail(strict=True, reason=f"recorded: {p.reason}"))
    return _slow_if(p.slow, *marks)


_PROVED: dict = {}


def _prove(p):
    """One induction run per (subsystem, instance), shared by the two tests that look at it."""
    key = (p.subsystem, p.instance)
    if key not in _PROVED:
        _PROVED[key] = _prove_now(p)
    return _PROVED[key]


def _prove_now(p):
    from checkers.smt import induction
    lemmas = p.lemmas or next(s for s in SUBSYSTEMS if s.name == p.subsystem).proofs
    model = _load(SPEC / f"{p.subsystem}.xm", p.instance, extra=(str(PROOF_DIR / f"{lemmas}.xm"),))
    return induction.prove(model, {"timeout": None, "workers": os.cpu_count()})


@pytest.mark.parametrize("p", [pytest.param(p, id=f"{p.subsystem}-{p.instance}", marks=_proof_marks(p))
                               for p in PROOFS])
def test_induction_with_lemmas(p):
    result = _prove(p)
    assert result.status == "holds", _describe(result) + "; " + "; ".join(result.messages[:5])


@pytest.mark.parametrize("p", [pytest.param(p, id=f"{p.subsystem}-{p.instance}", marks=_slow_if(p.slow))
                               for p in PROOFS if not p.holds])
def test_induction_exceptions_are_exactly_the_recorded_ones(p):
    """Where induction does not prove everything, the failing (action, property) pairs are exactly the
    recorded ones: a new non-inductive property, or a fixed one, changes this list."""
    result = _prove(p)
    assert result.status == "unknown", _describe(result)
    assert result.reason == p.reason
    failures = tuple(m for m in result.messages if m.startswith("not inductive:"))
    assert failures == p.failures


# ---------------------------------------------------------------- the composed model
def test_xen_parses():
    for instance in ("small", "default", "large"):
        model = _load(SPEC / "xen.xm", instance)
        assert model.name == "xen" and model.instance == instance
        assert model.invariants and model.actions


@pytest.mark.slow
@pytest.mark.parametrize("races,depth,states", XEN_DIRTY, ids=lambda x: str(x))
def test_xen_dirty_marking_bounded(races: bool, depth: int, states: int) -> None:
    """H56 holds in the composition where its variants break it, as deep as their traces."""
    from checkers import explicit
    model = load_model(str(SPEC / "xen.xm"), "dirty", {"GNT_RACES": races}).model
    result = explicit.check(model, {"deadlock": False, "max_depth": depth})
    assert result.status == "bounded", _describe(result)
    assert (result.stats["states"], result.stats["depth"]) == (states, depth)


def test_xen_explicit_bounded_depth_4():
    from checkers import explicit
    model = _load(SPEC / "xen.xm", "small")
    result = explicit.check(model, {"max_depth": 4, "deadlock": True})
    assert result.status == "bounded" and result.bound == 4, _describe(result)
    assert result.trace is None
    assert result.stats["states"] == XEN_DEPTH4, "states up to depth 4 of spec/xen.xm small changed"


# ---------------------------------------------------------------- liveness needs the fairness Xen gives
@pytest.mark.parametrize(("sub", "unfair", "temporal"), [
    ("evtchn", "evtchn_guest_upcall", "evtchn_event_delivered"),
    ("migration", "mig_stop_and_copy", "mig_precopy_terminates"),
    ("domain", "domain_kill_continue", "dying_becomes_dead"),
])
def test_a_temporal_property_fails_without_its_fairness(sub, unfair, temporal):
    """Each temporal property holds at `small` (test_subsystem_holds_at_small) and fails, as a lasso,
    once the Xen guarantee behind it (an action's fairness) is taken away: the fairness is not decoration."""
    import dataclasses

    from checkers import explicit
    model = _load(SPEC / f"{sub}.xm", "small")
    actions = tuple(dataclasses.replace(a, fairness=None) if a.name == unfair else a for a in model.actions)
    model = dataclasses.replace(model, actions=actions, temporals=(model.temporal(temporal),))
    result = explicit.check(model, {"deadlock": False})
    assert result.status == "violated", _describe(result)
    assert result.trace.violation.name == temporal and result.trace.loop is not None
    replay(model, result.trace)

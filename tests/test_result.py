"""Typed results and options: exit codes per status, one constructor per outcome, no silently ignored option."""
from __future__ import annotations

import pytest

from xenmodel.result import EngineOptions, OptionError, Result, Status, Violation, ViolationKind
from xenmodel.trace import Trace, TraceStep


class _Model:
    path, instance, consts = "m.xm", "small", (("N", 2),)


def test_exit_codes_follow_the_status():
    assert {s: s.exit_code for s in Status} == {
        Status.HOLDS: 0, Status.VIOLATED: 1, Status.BOUNDED: 0, Status.SAMPLED: 0, Status.UNKNOWN: 3}


def test_constructors_fill_the_identity_from_the_model():
    r = Result.bounded(_Model(), "explicit", 4, {"states": 10})  # type: ignore[arg-type]
    assert (r.status, r.engine, r.model, r.instance, dict(r.consts), r.bound) == (
        Status.BOUNDED, "explicit", "m.xm", "small", {"N": 2}, 4)
    with pytest.raises(AttributeError):
        r.status = Status.HOLDS  # type: ignore[misc]


def test_a_violated_result_needs_a_violation():
    no_violation = Trace((TraceStep("init", (), (), ()),))
    with pytest.raises(ValueError):
        Result.violated(_Model(), "explicit", no_violation)  # type: ignore[arg-type]
    t = Trace((TraceStep("init", (), (), ()),), Violation.deadlock())
    r = Result.violated(_Model(), "explicit", t)  # type: ignore[arg-type]
    assert r.exit_code == 1 and r.trace is not None and r.trace.violation is not None
    assert r.trace.violation.kind is ViolationKind.DEADLOCK and r.trace.violation.code == "XM510"


def test_an_engine_refuses_options_it_would_ignore():
    opts = EngineOptions(max_states=100, symmetry=False, timeout=5.0)
    opts.refuse_unsupported("explicit", frozenset({"max_states", "symmetry", "timeout"}))
    with pytest.raises(OptionError, match=r"the bmc engine does not support --max-states, --symmetry"):
        opts.refuse_unsupported("bmc", frozenset({"timeout", "max_depth", "deadlock"}))
    assert EngineOptions().get("deadlock", True) is True
    assert EngineOptions(deadlock=False).get("deadlock", True) is False


def test_plain_dict_options_convert_and_unknown_names_are_refused():
    assert EngineOptions.of(None) == EngineOptions()
    opts = EngineOptions(max_depth=3)
    assert EngineOptions.of(opts) is opts
    assert EngineOptions.of({"max_depth": 3, "deadlock": False}) == EngineOptions(max_depth=3, deadlock=False)
    with pytest.raises(OptionError, match=r"unknown engine option\(s\): depht"):
        EngineOptions.of({"depht": 3})


def test_positional_results_coerce_status_and_messages():
    r = Result("holds", "explicit", "m.xm", None, {}, messages=["a", "b"])  # type: ignore[arg-type]
    assert r.status is Status.HOLDS and r.messages == ("a", "b") and r.exit_code == 0
    assert r.headline() == "holds: every property holds in every reachable state"
    with pytest.raises(ValueError):
        Result("proved", "explicit", "m.xm", None, {})  # type: ignore[arg-type]


def test_violation_constructors():
    from xenmodel import ir
    from xenmodel.model_errors import assert_failed, division_by_zero
    from xenmodel.semantics import StepError
    from xenmodel.types import BOOL

    v = Violation("invariant", "safe", "x")  # type: ignore[arg-type]
    assert v.kind is ViolationKind.INVARIANT
    err = Violation.of_error(StepError("send", (1,), (("c", 0),), assert_failed("boom", None), ()))
    assert (err.kind, err.name, err.code, err.failing) == (ViolationKind.ASSERT, "XM507", "XM507",
                                                           ("send", (1,), (("c", 0),)))
    assert Violation.of_error(StepError("init", (), (), division_by_zero("/", None), ())).kind \
        is ViolationKind.MODEL_ERROR
    prop = ir.Property("lemma", "ok", ir.Lit(True, BOOL), doc="Nothing breaks.\nMore.")
    assert Violation.of_property(prop, None).message == "does not hold (Nothing breaks.)"
    bad = Violation.of_property(prop, division_by_zero("%", None))
    assert (bad.kind, bad.message) == (ViolationKind.LEMMA, "evaluating it raised XM506: modulo by zero")
    t = Trace((TraceStep("init", (), (), ()),), bad)
    assert Result.violated(_Model(), "bmc", t).headline() == (  # type: ignore[arg-type]
        "violated: lemma ok: evaluating it raised XM506: modulo by zero")


def test_simulate_takes_typed_options_and_refuses_the_rest():
    from xenmodel.simulate import run

    from helpers import model_from_text

    model = model_from_text("model m\nvar x: int[0..3]\naction inc() {\n  require x < 3\n  x := x + 1\n}\n"
                            "invariant small: x < 3\n")
    seen = []
    r = run(model, EngineOptions(steps=5, runs=2, seed=1, progress=seen.append))
    assert r.status is Status.VIOLATED and r.seed == 1
    assert seen and seen[0].engine == "simulate" and seen[0].total == 2
    assert run(model, {"steps": 1, "runs": 1}).status is Status.SAMPLED
    with pytest.raises(OptionError, match="the simulate engine does not support --max-states"):
        run(model, {"max_states": 10})

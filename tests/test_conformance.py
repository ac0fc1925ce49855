"""Conformance testing (checkers.conformance): the worked event-channel example and the harness itself."""
from __future__ import annotations

import os
import sys

import pytest

from checkers.conformance import (
    NOT_APPLICABLE,
    Adapter,
    AdapterError,
    ConformanceFailure,
    check_conformance,
    first_difference,
    from_python,
    to_python,
)
from checkers.hypothesis_machine import ModelFailure
from xenmodel.frontend import load_model
from xenmodel.trace import replay
from xenmodel.types import EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
sys.path.insert(0, EXAMPLES)

import evtchn_conformance  # noqa: E402
from evtchn_impl import EventChannels  # noqa: E402


# ----------------------------------------------------------------- the worked example
def test_evtchn_implementation_conforms():
    report = evtchn_conformance.run(False, "small", max_examples=40, steps=20, seed=0)
    assert report.ok, report.text()
    assert report.stats["calls"] > 300
    assert "no mismatch" in report.text()


def test_broken_evtchn_is_caught_with_a_readable_report():
    # 1,000: how many test cases a run needs moves with the code (docs/testing.md, "What same seed, same
    # run covers"); it stops at the first failure, usually within the first few hundred
    report = evtchn_conformance.run(True, "small", max_examples=1000, steps=20, seed=0)
    assert not report.ok
    f = report.failure
    assert isinstance(f, ConformanceFailure) and f.kind == "state"
    assert f.call[0] == "close"
    assert f.variable == "chan" and f.path.endswith("].state")
    assert (f.model_value, f.impl_value) == ("ECS_UNBOUND", "ECS_INTERDOMAIN")
    replay(f.model, f.trace)
    assert [s.action for s in f.trace.steps[1:]].count("bind_interdomain") >= 1
    text = report.text()
    assert "first differing variable: `chan`" in text and "call (after step" in text and "seed: 0" in text


def test_wrong_error_code_is_reported_as_a_result_mismatch():
    class WrongCode(EventChannels):
        def send(self, caller, port):  # -ENOENT instead of -EINVAL for a port beyond the table
            if port >= len(self.domains[caller].ports):
                return -2
            return super().send(caller, port)
    model = load_model(evtchn_conformance.MODEL, "small").model
    report = check_conformance(model, evtchn_conformance.EvtchnAdapter(model, WrongCode), max_examples=100,
                               steps=10, seed=0)
    f = report.failure
    assert isinstance(f, ConformanceFailure) and f.kind == "result" and f.variable == "rc"
    assert (f.model_value, f.impl_value) == ("RC_EINVAL", "RC_ENOENT")
    assert f.call[0] == "send" and len(f.trace) == 0


# ----------------------------------------------------------------- refusals (a guarded model)
QUEUE = os.path.join(ROOT, "tests", "fixtures", "hyp_queue.xm")


class Full(Exception):
    pass


class Queue:
    def __init__(self, cap):
        self.cap, self.items = cap, []

    def push(self, x):
        if len(self.items) >= self.cap:
            raise Full()
        self.items.append(x)

    def pop(self):
        return self.items.pop(0) if self.items else -11  # -EAGAIN


class QueueAdapter(Adapter):
    def __init__(self, impl=Queue, cap=2):
        self.impl, self.cap = impl, cap

    def make(self):
        return self.impl(self.cap)

    def push(self, q, x):
        return q.push(x)

    def pop(self, q):
        return q.pop()

    def refused(self, action, args, ret):
        return isinstance(ret, Full) or ret == -11

    def abstract(self, q):
        return {"q": list(q.items)}


def test_guarded_model_refusals_pass():
    model = load_model(QUEUE).model
    report = check_conformance(model, QueueAdapter(), max_examples=30, steps=15, seed=0)
    assert report.ok, report.text()
    assert report.stats["refusals_checked"] > 10


def test_accepting_a_call_the_model_forbids_is_caught():
    class Unbounded(Queue):
        def push(self, x):
            self.items.append(x)
    model = load_model(QUEUE).model
    report = check_conformance(model, QueueAdapter(Unbounded), max_examples=100, steps=15, seed=0)
    f = report.failure
    assert isinstance(f, ConformanceFailure) and f.kind == "accepted" and f.call[0] == "push"
    assert len(f.trace) == 2  # shrunk: two pushes fill the queue, the third must be refused


def test_refusing_an_enabled_call_is_caught():
    class Tiny(Queue):
        def push(self, x):
            if self.items:
                raise Full()
            self.items.append(x)
    model = load_model(QUEUE).model
    f = check_conformance(model, QueueAdapter(Tiny), max_examples=100, steps=15, seed=0).failure
    assert isinstance(f, ConformanceFailure) and f.kind == "refused" and len(f.trace) == 1


def test_state_change_on_refusal_is_caught():
    class Leaky(Queue):
        def push(self, x):
            if len(self.items) >= self.cap:
                self.items.pop(0)
                raise Full()
            self.items.append(x)
    model = load_model(QUEUE).model
    f = check_conformance(model, QueueAdapter(Leaky), max_examples=100, steps=15, seed=0).failure
    assert isinstance(f, ConformanceFailure) and f.kind == "changed"


def test_not_applicable_and_model_failures():
    class OnlyPush(QueueAdapter):
        pop = None  # not applicable: never drawn

    model = load_model(QUEUE).model
    report = check_conformance(model, OnlyPush(), max_examples=10, steps=5, seed=0, check_refusals=False)
    assert report.ok and report.stats["calls"] > 0

    class Skip(QueueAdapter):
        def pop(self, q):
            return NOT_APPLICABLE
    report = check_conformance(model, Skip(), max_examples=10, steps=10, seed=0)
    assert report.ok and report.stats["not_applicable"] > 0

    bad = load_model(os.path.join(ROOT, "tests", "fixtures", "hyp_seeded.xm")).model

    class Counter(Adapter):
        def make(self):
            return {"a": 0, "b": 0, "flag": False}

        def abstract(self, s):
            return dict(s)

        def inc_a(self, s):
            s["a"] += 1

        def inc_b(self, s):
            s["b"] += 1

        def reset(self, s):
            s.update(a=0, b=0, flag=False)

        def arm(self, s, x):
            if s["a"] < 2:
                raise ValueError("not armed")
            s["flag"] = x == 2
    report = check_conformance(bad, Counter(), max_examples=200, steps=10, seed=0)
    assert isinstance(report.failure, ModelFailure)  # the model's own invariant breaks first
    assert report.failure.violation.name == "safe"


def test_adapter_mistakes_are_named():
    model = load_model(QUEUE).model

    class Typo(QueueAdapter):
        def abstract(self, q):
            return {"queue": q.items}
    with pytest.raises(AdapterError, match="variable `queue`"):
        check_conformance(model, Typo(), max_examples=2, steps=2)

    class Nothing(Adapter):
        pass
    with pytest.raises(AdapterError, match="no action"):
        check_conformance(model, Nothing(), max_examples=2, steps=2)


# ----------------------------------------------------------------- values
def test_friendly_values_round_trip_and_differences():
    dom = SortT("Dom", "dom", 2)
    st = EnumT("St", ("A", "B"))
    rec = RecordT("R", (("s", st), ("n", IntT(0, 3)), ("o", OptionT(dom))))
    t = MapT(dom, MapT(IntT(0, 1), rec))
    v = ((( 0, 1, None), (1, 3, 1)), ((0, 0, 0), (0, 0, None)))
    friendly = to_python(t, v)
    assert friendly[1][0] == {"s": "A", "n": 0, "o": 0}
    assert from_python(t, friendly) == v
    assert from_python(t, {"dom0": friendly[0], "dom1": friendly[1]}) == v
    assert from_python(SetT(st), {"B"}) == frozenset({1})
    assert from_python(SeqT(IntT(0, 9), 3), [1, 2]) == (1, 2)
    with pytest.raises(AdapterError, match="outside"):
        from_python(IntT(0, 3), 7)
    with pytest.raises(AdapterError, match="members"):
        from_python(st, "C")
    with pytest.raises(AdapterError, match="keys missing"):
        from_python(t, {0: friendly[0]})
    w = ((( 0, 1, None), (1, 2, 1)), ((0, 0, 0), (0, 0, None)))
    assert first_difference(t, v, w, "x") == ("x[dom0][1].n", IntT(0, 3), 3, 2)

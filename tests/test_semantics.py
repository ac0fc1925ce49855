"""The reference semantics: enumeration order, sequential statements, model errors, replay."""
from __future__ import annotations

import pytest

from xenmodel import semantics as S
from xenmodel.trace import ReplayError, Trace, TraceStep, replay

from helpers import fixture, model_from_text, reference_bfs

COUNTER = """
model counter
const MAX: int[1..5] = 3
var n: int[0..MAX]
var flag: bool
action inc() { require n < MAX  n := n + 1 }
action toggle(b: bool) { flag := b }
"""


def test_successor_order_is_actions_then_params():
    m = model_from_text(COUNTER)
    (init,) = S.initial_states(m)
    outs = list(S.successors(m, init.state))
    assert [(o.action, o.args) for o in outs] == [("inc", ()), ("toggle", (False,)), ("toggle", (True,))]


def test_later_statements_see_earlier_writes():
    m = model_from_text("""
model seq
var a: int[0..9]
var b: int[0..9]
action step() { a := 2  b := a + 1  a := b * 2 }
""")
    (init,) = S.initial_states(m)
    (o,) = S.successors(m, init.state)
    assert o.state == (6, 3)


def test_choose_makes_one_transition_per_value_with_picks():
    m = model_from_text("""
model ch
enum Color { red, green, blue }
var c: Color
action paint() { choose x: Color where x != red { c := x } }
""")
    (init,) = S.initial_states(m)
    outs = list(S.successors(m, init.state))
    assert [(o.picks, o.state) for o in outs] == [((("x", 1),), (1,)), ((("x", 2),), (2,))]


def test_choose_with_no_value_disables_the_path():
    m = model_from_text("""
model ch
var x: int[0..3]
action a() { choose v: int[0..3] where v > 5 { x := v } }
action b() { x := 1 }
""")
    (init,) = S.initial_states(m)
    assert [o.action for o in S.successors(m, init.state)] == ["b"]


def test_model_error_in_one_choice_does_not_hide_the_others():
    m = model_from_text("""
model ch
var x: int[0..2]
action a() { choose v: int[0..3] { x := v } }
""")
    (init,) = S.initial_states(m)
    outs = list(S.successors(m, init.state))
    assert [type(o).__name__ for o in outs] == ["Step", "Step", "Step", "StepError"]
    assert outs[3].error.code == "XM503" and outs[3].picks == (("v", 3),)


@pytest.mark.parametrize("expr,code", [
    ("get(o)", "XM501"), ("head(q)", "XM502"), ("q[2]", "XM505"), ("3 / z", "XM506"), ("3 % z", "XM506"),
])
def test_model_errors_have_codes_and_spans(expr, code):
    m = model_from_text(f"""
model errs
var o: bool?
var q: seq<bool, 3>
var z: int[0..1]
var out: int[0..3]
var b: bool
action a() {{ let v = {expr}
  b := true }}
""")
    (init,) = S.initial_states(m)
    (o,) = S.successors(m, init.state)
    assert isinstance(o, S.StepError) and o.error.code == code
    assert o.error.span is not None and o.error.span.text() == expr


def test_insert_and_remove_at():
    m = model_from_text("""
model ins
var q: seq<int[0..9], 3> = [1, 3]
action a() { q := remove_at(insert(q, 1, 2), 0) }
""")
    (init,) = S.initial_states(m)
    (o,) = S.successors(m, init.state)
    assert o.state == ((2, 3),)


def test_sequence_capacity_is_checked_on_insert():
    m = model_from_text("""
model ins
var q: seq<bool, 1> = [true]
action a() { q := insert(q, 0, false) }
""")
    (init,) = S.initial_states(m)
    (o,) = S.successors(m, init.state)
    assert isinstance(o, S.StepError) and o.error.code == "XM504"


def test_foreach_visits_values_in_order():
    m = model_from_text("""
model fe
sort P = p[3]
var order: seq<P, 3>
init { foreach x: P { order := order ++ [x] } }
action noop() { order := order }
""")
    (init,) = S.initial_states(m)
    assert init.state == ((0, 1, 2),)


def test_init_may_have_several_states():
    m = model_from_text("""
model many
var x: int[0..3]
init { choose v: int[0..3] where v % 2 == 0 { x := v } }
action a() { x := x }
""")
    assert [o.state for o in S.initial_states(m)] == [(0,), (2,)]


def test_fixture_state_counts():
    assert reference_bfs(fixture("sched_small.xm", "small"), deadlock=False)[0] == 9  # 3 runstates per vcpu
    assert reference_bfs(fixture("features.xm", "small"), deadlock=False)[0] == 6480


def test_replay_accepts_legal_and_rejects_illegal_traces():
    m = model_from_text(COUNTER)
    (init,) = S.initial_states(m)
    s1 = (1, False)
    good = Trace((TraceStep("init", (), (), init.state), TraceStep("inc", (), (), s1)))
    replay(m, good)
    with pytest.raises(ReplayError) as err:
        replay(m, Trace((TraceStep("init", (), (), init.state), TraceStep("inc", (), (), (2, False)))))
    assert err.value.index == 1 and "`n`" in err.value.message
    with pytest.raises(ReplayError):
        replay(m, Trace((TraceStep("init", (), (), (3, True)),)))
    with pytest.raises(ReplayError) as err:
        replay(m, Trace((TraceStep("init", (), (), init.state), TraceStep("dec", (), (), s1))))
    assert err.value.code == "XM604"


def test_reference_bfs_finds_shortest_invariant_violation():
    m = model_from_text(COUNTER + "invariant small: n < 2\n")
    n, trace = reference_bfs(m)
    assert trace is not None and len(trace) == 2 and trace.violation.name == "small"
    replay(m, trace)

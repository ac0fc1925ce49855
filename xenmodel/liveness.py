"""The reference semantics of temporal properties under fairness, on lassos.

A behaviour is infinite; a lasso is a finite prefix s_0..s_n whose cycle s_loop..s_n repeats forever
(the last state's successor is s_loop, by `Trace.closing`, or the last state is a deadlock that
stutters). This module says what engines must agree on: the instances of a temporal property, when an
action instance is enabled, when a cycle is fair, and when a lasso violates a property instance
(`lasso_problem`, the judge `trace.replay` calls for every temporal violation).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import ir
from . import semantics as S
from .types import show, values

if TYPE_CHECKING:
    from .trace import Trace

State = tuple[Any, ...]


def env_of(t: ir.Temporal, args: Sequence[Any]) -> dict[int, Any]:
    """The environment binding the temporal's params to one instance's values."""
    return {p.uid: a for p, a in zip(t.params, args, strict=True)}


def instances(t: ir.Temporal) -> list[tuple[Any, ...]]:
    """Every instance of `t`: tuples of its params' values, the first varying slowest, where `where` holds."""
    out = []
    for args in itertools.product(*(values(p.type) for p in t.params)):
        if t.where is None or S.eval_expr(t.where, (), env_of(t, args)):
            out.append(tuple(args))
    return out


def instance_text(t: ir.Temporal, args: Sequence[Any]) -> str:
    """`name` or `name(v=vcpu0, ...)`: how reports name an instance."""
    if not t.params:
        return t.name
    return f"{t.name}(" + ", ".join(f"{p.name}={show(p.type, a)}" for p, a in zip(t.params, args, strict=True)) + ")"


_HOW = {
    ir.TemporalKind.EVENTUALLY: "its predicate never holds",
    ir.TemporalKind.ALWAYS: "its predicate fails in a state",
    ir.TemporalKind.ALWAYS_EVENTUALLY: "its predicate fails in every state of the loop",
    ir.TemporalKind.EVENTUALLY_ALWAYS: "its predicate fails in a state of the loop, again and again",
    ir.TemporalKind.LEADS_TO: "its premise holds and its conclusion never holds from then on",
}


def violation_message(t: ir.Temporal, args: Sequence[Any]) -> str:
    """The message of a lasso that violates instance `args` of `t` (the same for every engine)."""
    doc = " ".join(t.doc.split())
    what = instance_text(t, args) + (f" ({doc})" if doc else "")
    return f"fails on a fair behaviour (the lasso): {_HOW[t.kind]}; {what}"


def holds(e: ir.Expr, state: State, env: dict[int, Any]) -> bool:
    """A state predicate in a state (a ModelError propagates: engines decide what it means)."""
    return bool(S.eval_expr(e, state, env))


def enabled(model: ir.Model, action: ir.Action, args: tuple[Any, ...], state: State) -> bool:
    """The instance action(args) has a transition from `state` (a path ending in a model error is none)."""
    return any(isinstance(o, S.Step) for o in S.successors_of(model, action, args, state))


def deadlocked(model: ir.Model, state: State) -> bool:
    """No transition at all from `state`: behaviours stutter there forever."""
    return not any(isinstance(o, S.Step) for o in S.successors(model, state))


def fairness_problem(model: ir.Model, cycle: Sequence[State], taken: set[tuple[str, tuple[Any, ...]]]) -> str | None:
    """None when the cycle (its states, and the action instances its transitions take) satisfies
    every fairness condition; else the first unfair instance. Weak: taken, or disabled in some state
    of the cycle; strong: taken, or disabled in every state of the cycle."""
    for action in model.fair_actions:
        for args in S.param_tuples(action):
            if (action.name, tuple(args)) in taken:
                continue
            on = [enabled(model, action, tuple(args), s) for s in cycle]
            unfair = all(on) if action.fairness == ir.Fairness.WEAK else any(on)
            if unfair:
                what = "always" if action.fairness == ir.Fairness.WEAK else "infinitely often"
                return (f"the cycle is not fair: {action.name}({S.show_args(action, tuple(args))}) has "
                        f"{action.fairness} fairness, is enabled {what} on it and never taken")
    return None


def violates(t: ir.Temporal, args: Sequence[Any], states: Sequence[State], loop: int) -> bool:
    """Whether the infinite behaviour states[0..], then states[loop..] forever, violates instance `args` of `t`."""
    env = env_of(t, args)
    p = [holds(t.p, s, env) for s in states]
    cycle = p[loop:]
    match t.kind:
        case ir.TemporalKind.EVENTUALLY:
            return not any(p)
        case ir.TemporalKind.ALWAYS:
            return not all(p)
        case ir.TemporalKind.ALWAYS_EVENTUALLY:
            return not any(cycle)
        case ir.TemporalKind.EVENTUALLY_ALWAYS:
            return not all(cycle)
        case ir.TemporalKind.LEADS_TO:
            assert t.q is not None  # the front end gives leads-to a conclusion
            q = [holds(t.q, s, env) for s in states]
            if any(q[loop:]):
                return False  # Q holds infinitely often: every P state is followed by a Q state
            # some P state after which Q never holds: the last Q state comes before it
            last_q = max((i for i, x in enumerate(q) if x), default=-1)
            return any(p[last_q + 1:])
    raise AssertionError(t.kind)  # every kind is a case above


def lasso_problem(model: ir.Model, trace: Trace) -> str | None:
    """The judge of a temporal counterexample whose steps (and closing step) have been replayed:
    None when the lasso violates the named property instance and every fairness condition holds on
    its cycle; otherwise why not."""
    v = trace.violation
    if v is None or trace.loop is None:
        return "a temporal violation needs a lasso (a trace with a loop)"
    t = model.temporal(v.name)
    if t is None:
        return f"the model has no temporal property `{v.name}`"
    if tuple(v.instance) not in instances(t):
        return f"{v.name}: {list(v.instance)} is not an instance of its parameters"
    states = [s.state for s in trace.steps]
    cycle_steps = list(trace.steps[trace.loop + 1:]) + ([trace.closing] if trace.closing is not None else [])
    taken = {(s.action, tuple(s.args)) for s in cycle_steps}
    try:
        if not violates(t, v.instance, states, trace.loop):
            return f"the lasso does not violate {instance_text(t, v.instance)}"
    except S.ModelError as err:
        return f"evaluating {instance_text(t, v.instance)} on the lasso raised {err.code}: {err.message}"
    return fairness_problem(model, states[trace.loop:], taken)

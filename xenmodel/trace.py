"""The trace type every engine shares, and replay through the reference semantics.

A trace is a list of steps; step 0 is the initial state (action "init"). Each later step records the
action, its argument values and its picks (the values of the `choose`s met, in order), so a trace
replays without search. A trace may end in a violation:
  - "invariant" / "lemma": the last state breaks the named property;
  - "model-error" / "assert": the step `failing` taken from the last state raises that error;
  - "deadlock": no action is enabled in the last state.
  - "temporal": the trace is a lasso: `loop` is the index of the state where its cycle starts, and
    `closing` the step from the last state back to that state (None: the last state is a deadlock and
    stutters forever, so `loop` is the last index); the named temporal property instance fails on it
    under fairness (judged by `liveness.lasso_problem`).

`Result` and `Violation` live in result.py; they are re-exported here so existing imports keep working.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, assert_never

from . import ir
from . import semantics as S
from .liveness import deadlocked, lasso_problem
from .result import Result, Violation, ViolationKind, first_sentence
from .types import show

__all__ = ["ReplayError", "Result", "Trace", "TraceStep", "Violation", "first_sentence", "replay"]


@dataclass(frozen=True)
class TraceStep:
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    state: tuple[Any, ...]


@dataclass(frozen=True)
class Trace:
    steps: tuple[TraceStep, ...]
    violation: Violation | None = None
    loop: int | None = None  # lasso start, for liveness counterexamples
    closing: TraceStep | None = None  # the lasso's step from the last state back to steps[loop]

    def __len__(self) -> int:
        """The number of transitions (a trace with only the initial state has length 0)."""
        return max(0, len(self.steps) - 1)

    def __bool__(self) -> bool:
        # a trace of length 0 (a violation in an initial state) is still a trace
        return True


class ReplayError(Exception):
    """A trace that the model does not allow: the index of the first bad step and why."""

    def __init__(self, index: int, message: str, code: str = "XM601") -> None:
        super().__init__(message)
        self.index = index
        self.message = message
        self.code = code


def _step_with(outcomes: Iterable[S.Step | S.StepError], picks: tuple[tuple[str, Any], ...],
               state: tuple[Any, ...] | None = None) -> S.Step | None:
    """The first enabled outcome with these picks (and this state, when given)."""
    for o in outcomes:
        if isinstance(o, S.Step) and tuple(o.picks) == tuple(picks) and (state is None or o.state == state):
            return o
    return None


def _error_with(outcomes: Iterable[S.Step | S.StepError], picks: tuple[Any, ...]) -> S.StepError | None:
    """The first erroring outcome with these picks."""
    for o in outcomes:
        if isinstance(o, S.StepError) and tuple(o.picks) == tuple(picks):
            return o
    return None


def _diff(model: ir.Model, want: tuple[Any, ...], got: tuple[Any, ...]) -> str:
    for v, a, b in zip(model.vars, want, got, strict=False):
        if a != b:
            return f"variable `{v.name}` is {show(v.type, a)} in the trace but {show(v.type, b)} in the model"
    return "the states differ"


def replay(model: ir.Model, trace: Trace, from_initial: bool = True) -> None:
    """Check that every step is a legal transition and the violation really happens. Raises ReplayError.

    With from_initial=False the first state may be any state (a counterexample to induction starts
    from a state that satisfies the properties but need not be reachable): only the steps are checked.
    """
    if not trace.steps:
        v = trace.violation
        if v is not None and v.failing is not None and v.failing[0] == "init":
            # the init block itself fails: there is no state, only the error to confirm
            err = _error_with(S.initial_states(model), v.failing[2])
            if err is None or err.error.code != v.code:
                raise ReplayError(0, f"the init block does not raise {v.code}")
            return
        if v is not None and v.kind == ViolationKind.DEADLOCK:
            # a model without any initial state: every engine reports it (its properties would hold vacuously)
            if any(isinstance(o, S.Step) for o in S.initial_states(model)):
                raise ReplayError(0, "the trace has no initial state, but the model has one")
            return
        raise ReplayError(0, "the trace has no initial state")
    first = trace.steps[0]
    inits = [o for o in S.initial_states(model) if isinstance(o, S.Step)] if from_initial else []
    if from_initial and (first.action != "init" or not any(o.state == first.state for o in inits)):
        if inits and len(inits) == 1:
            raise ReplayError(0, "the first state is not an initial state: "
                              + _diff(model, first.state, inits[0].state), "XM602")
        raise ReplayError(0, "the first state is not an initial state of the model", "XM602")
    prev = first.state
    for i, step in enumerate(trace.steps[1:], start=1):
        action = model.action(step.action)
        if action is None:
            raise ReplayError(i, f"step {i}: the model has no action `{step.action}`", "XM604")
        if len(step.args) != len(action.params):
            raise ReplayError(i, f"step {i}: `{step.action}` takes {len(action.params)} argument(s)", "XM604")
        outcomes = S.successors_of(model, action, step.args, prev)
        if not any(isinstance(o, S.Step) for o in outcomes):
            raise ReplayError(i, f"step {i}: {step.action}({S.show_args(action, step.args)}) is not enabled")
        hit = _step_with(outcomes, step.picks, step.state)
        if hit is None:
            same_picks = _step_with(outcomes, step.picks)
            if same_picks is not None:
                raise ReplayError(i, f"step {i}: {step.action}: " + _diff(model, step.state, same_picks.state), "XM602")
            raise ReplayError(i, f"step {i}: {step.action}({S.show_args(action, step.args)}) has no path with "
                                 f"picks {list(step.picks)}")
        prev = step.state
    if trace.loop is not None:
        _replay_closing(model, trace, prev)
    v = trace.violation
    if v is None:
        return
    last = len(trace.steps) - 1
    match v.kind:
        case ViolationKind.INVARIANT | ViolationKind.LEMMA:
            failed = [p.name for p, _ in S.check_properties(model, prev)]
            if v.name not in failed:
                raise ReplayError(last, f"the last state does not break `{v.name}`")
        case ViolationKind.ASSERT | ViolationKind.MODEL_ERROR:
            if v.failing is None:
                raise ReplayError(last, f"the {v.kind} violation names no failing step")
            name, args, picks = v.failing
            action = model.action(name)
            if action is None:
                raise ReplayError(last, f"the model has no action `{name}`", "XM604")
            err = _error_with(S.successors_of(model, action, args, prev), picks)
            if err is None or err.error.code != v.code:
                raise ReplayError(last, f"{name}({S.show_args(action, args)}) does not raise {v.code} "
                                        "from the last state")
        case ViolationKind.DEADLOCK:
            if next(iter(S.successors(model, prev)), None) is not None:
                raise ReplayError(last, "the last state is not a deadlock: an action is enabled")
        case ViolationKind.TEMPORAL:
            problem = lasso_problem(model, trace)
            if problem is not None:
                raise ReplayError(last, problem)
        case _:
            assert_never(v.kind)


def _replay_closing(model: ir.Model, trace: Trace, last_state: tuple[Any, ...]) -> None:
    """A lasso's closing: a legal step from the last state back to the loop state, or a deadlock stutter."""
    last = len(trace.steps) - 1
    loop = trace.loop
    assert loop is not None
    if not 0 <= loop <= last:
        raise ReplayError(last, f"the loop index {loop} is not the index of a state")
    step = trace.closing
    if step is None:
        if loop != last or not deadlocked(model, last_state):
            raise ReplayError(last, "the lasso has no closing step, and its last state is not a deadlock "
                                    "that stutters onto itself")
        return
    if step.state != trace.steps[loop].state:
        raise ReplayError(last, f"the closing step does not lead back to state {loop}", "XM602")
    action = model.action(step.action)
    if action is None or len(step.args) != len(action.params):
        raise ReplayError(last, f"the closing step names no action of the model: `{step.action}`", "XM604")
    if _step_with(S.successors_of(model, action, step.args, last_state), step.picks, step.state) is None:
        raise ReplayError(last, f"the closing step {step.action}({S.show_args(action, step.args)}) is not a "
                                f"transition from the last state to state {loop}")


# One constructor per violation cause lives on Violation; these names are kept for existing callers.

"""The trace type every engine shares, the one result type, and replay through the reference semantics.

A trace is a list of steps; step 0 is the initial state (action "init"). Each later step records the
action, its argument values and its picks (the values of the `choose`s met, in order), so a trace
replays without search. A trace may end in a violation:
  - "invariant" / "lemma": the last state breaks the named property;
  - "model-error" / "assert": the step `failing` taken from the last state raises that error;
  - "deadlock": no action is enabled in the last state.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import ir
from . import semantics as S
from .source import Span
from .types import show


@dataclass(frozen=True)
class TraceStep:
    action: str
    args: tuple[Any, ...]
    picks: tuple[tuple[str, Any], ...]
    state: tuple


@dataclass(frozen=True)
class Violation:
    kind: str  # invariant | lemma | assert | model-error | deadlock
    name: str  # the property's name, the error code, or "deadlock"
    message: str
    span: Span | None = None
    failing: tuple[str, tuple, tuple] | None = None  # (action, args, picks) of the erroring step
    code: str = "XM509"


@dataclass(frozen=True)
class Trace:
    steps: tuple[TraceStep, ...]
    violation: Violation | None = None
    loop: int | None = None  # lasso start, for liveness counterexamples

    def __len__(self) -> int:
        """The number of transitions (a trace with only the initial state has length 0)."""
        return max(0, len(self.steps) - 1)

    def __bool__(self) -> bool:
        # a trace of length 0 (a violation in an initial state) is still a trace
        return True


@dataclass
class Result:
    """What every engine returns.

    status: holds (proved, or exhausted), violated, unknown (could not decide; `reason` says why),
    bounded (no violation up to depth `bound`), sampled (random runs found nothing; not a proof).
    """
    status: str
    engine: str
    model: str
    instance: str | None
    consts: dict[str, Any]
    trace: Trace | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    bound: int | None = None  # for "bounded": no violation up to this depth
    reason: str | None = None  # for "unknown"
    messages: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return {"holds": 0, "violated": 1, "unknown": 3, "bounded": 0, "sampled": 0}[self.status]

    def headline(self) -> str:
        if self.status == "holds":
            return "holds: every property holds in every reachable state"
        if self.status == "bounded":
            return f"bounded: no violation up to depth {self.bound}"
        if self.status == "sampled":
            return f"sampled: {self.reason}"
        if self.status == "unknown":
            return f"unknown: {self.reason or 'the engine could not decide'}"
        v = self.trace.violation if self.trace is not None else None
        if v is None:
            return "violated"
        what = v.kind if v.kind == v.name else f"{v.kind} {v.name}"
        return f"violated: {what}: {v.message}"


class ReplayError(Exception):
    """A trace that the model does not allow: the index of the first bad step and why."""

    def __init__(self, index: int, message: str, code: str = "XM601") -> None:
        super().__init__(message)
        self.index = index
        self.message = message
        self.code = code


def _match(outcomes, picks, state=None, error: bool = False):
    for o in outcomes:
        if error != isinstance(o, S.StepError):
            continue
        if tuple(o.picks) != tuple(picks):
            continue
        if state is not None and o.state != state:
            continue
        return o
    return None


def _diff(model: ir.Model, want: tuple, got: tuple) -> str:
    for v, a, b in zip(model.vars, want, got):
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
            err = _match(S.initial_states(model), v.failing[2], error=True)
            if err is None or err.error.code != v.code:
                raise ReplayError(0, f"the init block does not raise {v.code}")
            return
        if v is not None and v.kind == "deadlock":
            # a model without any initial state: every engine reports it (its properties would hold vacuously)
            if any(isinstance(o, S.Step) for o in S.initial_states(model)):
                raise ReplayError(0, "the trace has no initial state, but the model has one")
            return
        raise ReplayError(0, "the trace has no initial state")
    first = trace.steps[0]
    inits = [o for o in S.initial_states(model) if isinstance(o, S.Step)] if from_initial else []
    if from_initial and (first.action != "init" or not any(o.state == first.state for o in inits)):
        if inits and len(inits) == 1:
            raise ReplayError(0, "the first state is not an initial state: " + _diff(model, first.state, inits[0].state),
                              "XM602")
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
        hit = _match(outcomes, step.picks, step.state)
        if hit is None:
            same_picks = _match(outcomes, step.picks)
            if same_picks is not None:
                raise ReplayError(i, f"step {i}: {step.action}: " + _diff(model, step.state, same_picks.state), "XM602")
            raise ReplayError(i, f"step {i}: {step.action}({S.show_args(action, step.args)}) has no path with "
                                 f"picks {list(step.picks)}")
        prev = step.state
    v = trace.violation
    if v is None:
        return
    last = len(trace.steps) - 1
    if v.kind in ("invariant", "lemma"):
        failed = [p.name for p, _ in S.check_properties(model, prev)]
        if v.name not in failed:
            raise ReplayError(last, f"the last state does not break `{v.name}`")
    elif v.kind in ("assert", "model-error"):
        name, args, picks = v.failing
        action = model.action(name)
        if action is None:
            raise ReplayError(last, f"the model has no action `{name}`", "XM604")
        err = _match(S.successors_of(model, action, args, prev), picks, error=True)
        if err is None or err.error.code != v.code:
            raise ReplayError(last, f"{name}({S.show_args(action, args)}) does not raise {v.code} from the last state")
    elif v.kind == "deadlock":
        if next(iter(S.successors(model, prev)), None) is not None:
            raise ReplayError(last, "the last state is not a deadlock: an action is enabled")
    else:
        raise ReplayError(last, f"unknown violation kind {v.kind}")


def first_sentence(doc: str) -> str:
    """The doc comment's first sentence, which may run over several lines."""
    words: list[str] = []
    for line in doc.splitlines():
        if not line.strip():
            break
        words.append(line.strip())
        if line.rstrip().endswith("."):
            break
    return " ".join(words)


def violation_of_error(err: S.StepError) -> Violation:
    kind = "assert" if err.error.code == "XM507" else "model-error"
    return Violation(kind, err.error.code, err.error.message, err.error.span,
                     failing=(err.action, err.args, err.picks), code=err.error.code)


def violation_of_property(prop: ir.Property, error: S.ModelError | None) -> Violation:
    if error is not None:
        return Violation(prop.kind, prop.name, f"evaluating it raised {error.code}: {error.message}",
                         error.span or prop.span)
    doc = first_sentence(prop.doc)
    return Violation(prop.kind, prop.name, f"does not hold ({doc})" if doc else "does not hold", prop.span)

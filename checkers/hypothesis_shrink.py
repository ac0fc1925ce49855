"""A failed Hypothesis run of a model: the failure it raises, and the model-level shrinking.

`ModelFailure` carries the run as a replayed `Trace`; `minimize_trace` deletes the steps the
violation does not need and looks for one-transition shortcuts, working on the model's trace rather
than on Hypothesis's choice sequence. `replay_checked` is the replay both use.
"""
from __future__ import annotations

from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.trace import Trace, TraceStep, Violation, replay
from xenmodel.tracetext import trace_text

__all__ = ["ModelFailure", "minimize_trace", "replay_checked"]


class ModelFailure(AssertionError):
    """The model broke in a Hypothesis run: `trace` ends in `violation` (replayed, so it is real).

    `trace` is the run as Hypothesis left it; `minimized()` deletes the steps the violation does not
    need (see minimize_trace) and is what the message shows, rendered lazily (Hypothesis raises many
    of these while it shrinks, and prints only the last).
    """

    def __init__(self, model: ir.Model, trace: Trace, seed: int | None = None, *,
                 minimized: Trace | None = None, found_length: int | None = None) -> None:
        super().__init__(f"{trace.violation.kind} {trace.violation.name}" if trace.violation else "model failure")
        self.model = model
        self.trace = trace
        self.violation = trace.violation
        self.seed = seed
        self._min = minimized
        self.found_length = len(trace) if found_length is None else found_length

    @classmethod
    def of_result(cls, model: ir.Model, result: Any) -> ModelFailure:
        """The failure of a violated `run()` result: its (minimized) trace and seed, and the length
        Hypothesis shrank the run to (in its stats)."""
        trace = result.trace
        assert trace is not None and trace.violation is not None, "not a violated result"
        found = result.stats.get("hypothesis_shrunk_length", len(trace))
        return cls(model, trace, result.seed, minimized=trace, found_length=found)

    def minimized(self) -> Trace:
        if self._min is None:
            with S.recursion_headroom(self.model):
                t = minimize_trace(self.model, self.trace)
                replay_checked(self.model, t)
            self._min = t
        return self._min

    def render(self) -> str:
        t = self.minimized()
        v = t.violation
        where = f" ({v.span.short()})" if v is not None and v.span is not None else ""
        head = f"{v.kind} {v.name}: {v.message}{where}" if v is not None else "model failure"
        lines = [head, f"counterexample ({len(t)} step(s); Hypothesis shrank the run to {self.found_length}):",
                 trace_text(self.model, t)]
        if self.seed is not None:
            lines.append(f"seed: {self.seed}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()



def replay_checked(model: ir.Model, trace: Trace) -> None:
    """Replay through the reference semantics; a ReplayError is an internal error and escapes loudly.
    A failure of the init block itself leaves no state to replay from (xenmodel.trace.replay needs an
    initial state), so such a trace is checked by re-running initial_states instead."""
    if trace.steps:
        replay(model, trace)
        return
    v = trace.violation
    outs = S.initial_states(model)
    if v is not None and v.kind == "deadlock":
        assert not outs, "internal error: the model has an initial state"
    else:
        assert v is not None and any(isinstance(o, S.StepError) and o.error.code == v.code for o in outs), \
            "internal error: the init block does not fail as reported"



def _violates(model: ir.Model, state: tuple[Any, ...], v: Violation) -> bool:
    if v.kind in ("invariant", "lemma"):
        return any(p.name == v.name for p, _ in S.check_properties(model, state))
    if v.kind == "deadlock":
        return next(iter(S.successors(model, state)), None) is None
    return False


def _attempt(model: ir.Model, init: TraceStep, labels: list[Any], v: Violation) -> Trace | None:
    """Re-run the (action, args, picks) labels from init's state; the trace if it reaches violation v
    (possibly before the last label), else None (a label is disabled or nothing breaks)."""
    steps = [init]
    state = init.state
    if _violates(model, state, v):
        return Trace(tuple(steps), v)
    for name, args, picks in labels:
        action = model.action(name)
        assert action is not None, f"internal error: no action {name}"
        hit = None
        for o in S.successors_of(model, action, args, state):
            if tuple(o.picks) == tuple(picks):
                hit = o
                break
        if hit is None:
            return None
        if isinstance(hit, S.StepError):
            if v.kind in ("assert", "model-error") and hit.error.code == v.code:
                return Trace(tuple(steps), Violation.of_error(hit))
            return None
        steps.append(TraceStep(hit.action, hit.args, hit.picks, hit.state))
        state = hit.state
        if _violates(model, state, v):
            return Trace(tuple(steps), v)
    return None


def minimize_trace(model: ir.Model, trace: Trace, budget: int = 20_000) -> Trace:
    """Delete chunks of steps (halving the chunk size down to single steps, and again until nothing
    can go) while the same violation still happens, then look for a one-transition shortcut (a
    transition from a state of the trace to a later one, or straight to the violation), and repeat.
    Hypothesis's shrinker works on its choice sequence and can get stuck where deleting one step
    changes which rules are enabled later. The result is a local minimum, not necessarily the
    shortest trace; the caller replays it. `budget` bounds the re-runs of each deletion pass."""
    if trace.violation is None or not trace.steps:
        return trace
    while True:
        t = _delete_steps(model, trace, budget)
        t2 = _shortcut(model, t)
        if t2 is None:
            return t
        trace = t2


def _shortcut(model: ir.Model, trace: Trace) -> Trace | None:
    """One transition from some state of the trace that skips ahead: to a later state of the trace (at
    least two steps on), to a state breaking the property, or into the same failing step. The first
    such shortcut, as a shorter trace, or None."""
    v = trace.violation
    assert v is not None
    states = [s.state for s in trace.steps]
    last = {st: j for j, st in enumerate(states)}
    n = len(trace)
    for i, state in enumerate(states[:-1] if v.failing is None else states):
        for o in S.successors(model, state):
            if isinstance(o, S.StepError):
                if v.kind in ("assert", "model-error") and o.error.code == v.code and i < n:
                    return Trace(trace.steps[:i + 1], Violation.of_error(o))
                continue
            step = TraceStep(o.action, o.args, o.picks, o.state)
            if v.kind in ("invariant", "lemma", "deadlock") and i + 1 < n and _violates(model, o.state, v):
                return Trace(trace.steps[:i + 1] + (step,), v)
            j = last.get(o.state)
            if j is not None and j > i + 1:
                return Trace(trace.steps[:i + 1] + (step,) + trace.steps[j + 1:], v)
    return None


def _delete_steps(model: ir.Model, trace: Trace, budget: int) -> Trace:
    v = trace.violation
    assert v is not None
    labels = [(s.action, s.args, s.picks) for s in trace.steps[1:]]
    if v.failing is not None:
        labels.append(v.failing)
    best = trace
    tries = 0
    changed = True
    while changed and tries < budget:
        changed = False
        size = max(1, len(labels) // 2)
        while size >= 1 and tries < budget:
            i = 0
            while i < len(labels) and tries < budget:
                tries += 1
                cand = labels[:i] + labels[i + size:]
                t = _attempt(model, trace.steps[0], cand, v)
                if t is not None and len(t) < len(best) or (t is not None and len(t) == len(best)
                                                              and len(cand) < len(labels)):
                    best = t
                    labels = [(s.action, s.args, s.picks) for s in t.steps[1:]]
                    if t.violation is not None and t.violation.failing is not None:
                        labels.append(t.violation.failing)
                    changed = True
                else:
                    i += 1
            size //= 2
    return best


def minimize_within(model: ir.Model, trace: Trace, dl: Deadline) -> tuple[Trace, str | None]:
    """minimize_trace within what is left of the run's time; on a timeout or Ctrl-C the trace as it was
    and why the deletion was cut short ("timeout" or "interrupt")."""
    try:
        with dl.armed(), S.recursion_headroom(model):
            dl.check()
            t = minimize_trace(model, trace)
            replay_checked(model, t)
    except OutOfTime:
        return trace, "timeout"
    except KeyboardInterrupt:
        return trace, "interrupt"
    return t, None

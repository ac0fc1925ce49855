"""Random walks through the reference semantics, checking every property in every visited state.

Each run starts from an initial state picked at random and takes up to `steps` transitions, each
chosen among all enabled transitions (every action, argument tuple and pick) with probability in
proportion to its action's @weight: uniformly when no action has one. The walk is fully determined by
the seed: run r uses random.Random(f"{seed}:{r}").
"""
from __future__ import annotations

import random
import time
from typing import Callable

from . import ir
from . import semantics as S
from .trace import Result, Trace, TraceStep, Violation, replay, violation_of_error, violation_of_property


class ReferenceSemantics:
    """The interface a walk uses; checkers.compiled_semantics provides a compiled one."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model

    def successors(self, state: tuple) -> list:
        return list(S.successors(self.model, state))

    def failing(self, state: tuple):
        failed = S.check_properties(self.model, state)
        return failed[0] if failed else None


def simulate(model: ir.Model, steps: int, runs: int, seed: int, deadlock: bool = True,
             progress: Callable[[int, int], None] | None = None, consts: dict | None = None,
             semantics=None) -> Result:
    """Random walks; `semantics` (default: the reference interpreter) gives successors and properties."""
    sem = semantics or ReferenceSemantics(model)
    weights = ir.action_weights(model)
    started = time.perf_counter()
    total_steps = 0
    deadlocks = 0
    for r in range(runs):
        rng = random.Random(f"{seed}:{r}")
        inits = S.initial_states(model)
        pick = rng.choice(inits) if inits else None
        trace: list[TraceStep] = []
        violation: Violation | None = None
        if pick is None:
            violation = Violation("deadlock", "deadlock", "the model has no initial state", None, code="XM510")
        elif isinstance(pick, S.StepError):
            violation = violation_of_error(pick)
        else:
            trace.append(TraceStep("init", (), pick.picks, pick.state))
        state = pick.state if isinstance(pick, S.Step) else None
        for _ in range(steps + 1):
            if violation is not None:
                break
            failed = sem.failing(state)
            if failed:
                violation = violation_of_property(*failed)
                break
            if len(trace) > steps:
                break
            outs = sem.successors(state)
            if not outs:
                if deadlock:
                    violation = Violation("deadlock", "deadlock", "no action is enabled", None, code="XM510")
                else:
                    deadlocks += 1
                break
            o = rng.choice(outs) if weights is None else rng.choices(outs, [weights[x.action] for x in outs])[0]
            if isinstance(o, S.StepError):
                violation = violation_of_error(o)
                break
            trace.append(TraceStep(o.action, o.args, o.picks, o.state))
            state = o.state
            total_steps += 1
        if progress:
            progress(r + 1, total_steps)
        if violation is not None:
            t = Trace(tuple(trace), violation)
            replay(model, t)
            return Result("violated", "simulate", model.path, model.instance, dict(consts or model.consts), t,
                          _stats(started, total_steps, r + 1, deadlocks, _name(sem)), seed=seed)
    return Result("sampled", "simulate", model.path, model.instance, dict(consts or model.consts), None,
                  _stats(started, total_steps, runs, deadlocks, _name(sem)), seed=seed,
                  reason=f"no violation in {runs} random run(s) of up to {steps} steps (a sample, not a proof)")


def _stats(started: float, total_steps: int, runs: int, deadlocks: int, semantics_name: str) -> dict:
    secs = time.perf_counter() - started
    return {"runs": runs, "steps": total_steps, "seconds": round(secs, 3),
            "semantics": semantics_name,
            "steps_per_second": round(total_steps / secs) if secs > 0 else None,
            "deadlocked_runs": deadlocks}


def _name(sem) -> str:
    return "reference" if isinstance(sem, ReferenceSemantics) else "compiled"

"""Random walks through the reference semantics, checking every property in every visited state.

Each run starts from an initial state picked at random and takes up to `steps` transitions. How the
next transition is chosen among all enabled ones (every action, argument tuple and pick) is the
strategy (xenmodel.explore):

- "uniform" (the default): with probability in proportion to its action's @weight, uniformly when no
  action has one;
- "guided": coverage-guided swarm walks. Every other run keeps a random half of the actions (swarm
  testing: leaving actions out reaches states a walk over all of them rarely visits) and takes only
  their transitions while one is enabled; half of the steps prefer the actions taken least so far in
  this simulate call and transitions into states not seen yet. @weight is ignored (the novelty takes its
  place), and the default --steps grows with the instance (explore.default_steps);
- "branch": guided, also preferring actions and argument tuples whose branch arms (xenmodel/coverage.py)
  no step of this simulate call has taken yet. The compiled semantics has no coverage hook, so each
  step taken (and each instance weighed) is also run through the reference semantics for its arms.
  Half of the runs after the first start where an earlier run first took an arm (the choices that
  led there taken again, explore.BranchGuide), so a bug several rare arms deep is reached arm by arm.

The walk is fully determined by the seed: run r uses random.Random(f"{seed}:{r}"), and the guided
counts are updated run after run in one process. A timeout or Ctrl-C ends the walk with status unknown
and the statistics so far.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from . import explore, ir
from . import semantics as S
from .deadline import Deadline, OutOfTime
from .model_errors import ModelError
from .result import EngineOptions, ProgressUpdate, Result, Violation, temporals_unchecked
from .trace import Trace, TraceStep, replay

State = tuple[Any, ...]
Failure = tuple[ir.Property, ModelError | None]
RunProgress = Callable[[int, int], None]  # (complete runs, steps so far)


class WalkSemantics(Protocol):
    """What a walk asks of a semantics: the transitions out of a state, and the first property it breaks."""

    def successors(self, state: State) -> Sequence[S.Step | S.StepError]: ...

    def failing(self, state: State) -> Failure | None: ...


class ReferenceSemantics:
    """The interface a walk uses; checkers.explicit.compiled_semantics provides a compiled one."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model

    def successors(self, state: State) -> list[S.Step | S.StepError]:
        return list(S.successors(self.model, state))

    def failing(self, state: State) -> Failure | None:
        failed = S.check_properties(self.model, state)
        return failed[0] if failed else None


ENGINE = "simulate"
SUPPORTED = frozenset({"steps", "runs", "seed", "deadlock", "timeout", "explore", "ignore_weights"})  # and progress
DEFAULT_STEPS, DEFAULT_RUNS, DEFAULT_SEED = 100, 10, 0


def run(model: ir.Model, options: EngineOptions | Mapping[str, Any] | None = None,
        semantics: WalkSemantics | None = None) -> Result:
    """`simulate` with typed options: an option the walk does not take is refused (OptionError), and
    progress goes to `options.progress` as ProgressUpdates (done = complete runs of total, transitions
    = steps so far)."""
    opts = EngineOptions.of(options)
    opts.refuse_unsupported(ENGINE, SUPPORTED)
    runs: int = opts.get("runs", DEFAULT_RUNS)
    progress: RunProgress | None = None
    if opts.progress is not None:
        report, started = opts.progress, time.perf_counter()

        def progress(done: int, steps: int) -> None:
            report(ProgressUpdate(ENGINE, "walk", round(time.perf_counter() - started, 3), transitions=steps,
                                  done=done, total=runs))
    strategy: str = opts.get("explore", explore.UNIFORM)
    if opts.get("ignore_weights", False):
        model = explore.unweighted(model)
    steps = opts.get("steps", explore.default_steps(model) if strategy != explore.UNIFORM else DEFAULT_STEPS)
    return simulate(model, steps, runs, opts.get("seed", DEFAULT_SEED), deadlock=opts.get("deadlock", True),
                    progress=progress, semantics=semantics, timeout=opts.timeout, strategy=strategy)


def simulate(model: ir.Model, steps: int, runs: int, seed: int, deadlock: bool = True,
             progress: RunProgress | None = None, semantics: WalkSemantics | None = None,
             timeout: float | None = None, strategy: str = explore.UNIFORM) -> Result:
    """Random walks; `semantics` (default: the reference interpreter) gives successors and properties;
    `strategy` uniform, guided or branch (the module docstring).
    `timeout`: seconds for the whole run; then, or on Ctrl-C, the result is unknown with the statistics
    so far (a walk that found nothing is not a sample of the requested size)."""
    sem = semantics or ReferenceSemantics(model)
    weights = ir.action_weights(model)
    guide = explore.make_guide(model, strategy)
    started = time.perf_counter()
    dl = Deadline(timeout)
    done = {"runs": 0, "steps": 0, "deadlocks": 0}
    if runs < 1:  # nothing was sampled: not a "sampled" verdict
        return Result.unknown(model, ENGINE, f"no run was asked for (runs = {runs})",
                              _stats(started, 0, 0, 0, _name(sem)), seed=seed)

    def stopped(why: str) -> Result:
        return Result.unknown(model, ENGINE, f"{why}: {done['runs']} complete run(s) of {runs} and {done['steps']} "
                                             "steps, no violation so far (statistics so far)",
                              {**_stats(started, done["steps"], done["runs"], done["deadlocks"], _name(sem)),
                               **(guide.summary() if guide is not None else {})}, seed=seed)
    try:
        with dl.armed(), S.recursion_headroom(model):
            failed = _walks(model, sem, weights, guide, steps, runs, seed, deadlock, progress, dl, done)
    except OutOfTime:
        return stopped(f"timed out after {timeout:g} s")
    except KeyboardInterrupt:
        return stopped("interrupted (Ctrl-C)")
    stats = _stats(started, done["steps"], done["runs"], done["deadlocks"], _name(sem))
    stats.update(guide.summary() if guide is not None else {})
    if failed is not None:
        # the walk kept only the index of each choice (a long walk's states would fill the memory): take
        # those choices again, keeping the steps. It takes no longer than the first time, so a timeout
        # is overrun at most twofold.
        with S.recursion_headroom(model):
            t = _rebuild(model, sem, failed)
            if t.steps:  # a failing or empty init block has no state to replay from: it came from initial_states
                replay(model, t)
        return Result.violated(model, ENGINE, t, stats, seed=seed)
    # finite random runs say nothing about infinite behaviours: say so rather than stay silent
    how = "" if guide is None else f" ({strategy})"
    return Result.sampled(model, ENGINE, f"no violation in {runs} random run(s){how} of up to {steps} steps (a "
                                         "sample, not a proof)", seed, stats,
                          messages=temporals_unchecked(model, "finite random runs"))


CHECK_EVERY = 256  # steps between two looks at the deadline (the alarm covers the main thread anyway)


def _walks(model: ir.Model, sem: WalkSemantics, weights: dict[str, int] | None, guide: explore.Guide | None,
           steps: int, runs: int, seed: int, deadlock: bool, progress: RunProgress | None, dl: Deadline,
           done: dict[str, int]) -> tuple[list[int], Violation] | None:
    """The runs, counting into `done`; the choices and violation of the first run that ends in one, or None."""
    for r in range(runs):
        out = _walk(model, sem, weights, guide, steps, random.Random(f"{seed}:{r}"), r, deadlock, dl, done)
        done["runs"] = r + 1
        if progress:
            progress(r + 1, done["steps"])
        if out is not None:
            return out
    return None


def _walk(model: ir.Model, sem: WalkSemantics, weights: dict[str, int] | None, guide: explore.Guide | None,
          steps: int, rng: random.Random, r: int, deadlock: bool, dl: Deadline,
          done: dict[str, int]) -> tuple[list[int], Violation] | None:
    """Run number r (counted into `done`): None if it ends without a violation, else the index of every choice
    it made (the initial state first, then one per step, into the list of outcomes) and its violation."""
    inits = S.initial_states(model)
    choices: list[int] = guide.resume(rng) if guide is not None else []
    violation: Violation | None = None
    if inits and not choices:
        choices.append(rng.randrange(len(inits)))
    pick = inits[choices[0]] if inits else None
    if pick is None:
        violation = Violation.deadlock(no_initial_state=True)
    elif isinstance(pick, S.StepError):
        violation = Violation.of_error(pick)
    state: State = pick.state if isinstance(pick, S.Step) else ()  # (no state: the violation ends the walk)
    for k in choices[1:]:  # a resumed run: the corpus entry's steps, checked when first taken
        state = sem.successors(state)[k].state
    kept = guide.start(rng, r) if guide is not None else frozenset()
    for i in range(steps + 1):
        if violation is not None:
            break
        if i % CHECK_EVERY == CHECK_EVERY - 1:
            dl.check()
        failed = sem.failing(state)
        if failed:
            violation = Violation.of_property(*failed)
            break
        if i == steps:
            break
        outs = sem.successors(state)
        if not outs:
            if deadlock:
                violation = Violation.deadlock()
            else:
                done["deadlocks"] = done.get("deadlocks", 0) + 1
            break
        if guide is not None:
            k = guide.choose(rng, outs, kept, state)
            if guide.new_arm() and len(choices) <= explore.CORPUS_DEPTH * steps:
                guide.keep(choices + [k])
        elif weights is None:
            k = rng.randrange(len(outs))
        else:
            k = rng.choices(range(len(outs)), [weights[x.action] for x in outs])[0]
        choices.append(k)
        o = outs[k]
        if isinstance(o, S.StepError):
            violation = Violation.of_error(o)
            break
        state = o.state
        done["steps"] = done.get("steps", 0) + 1
    return None if violation is None else (choices, violation)


def _rebuild(model: ir.Model, sem: WalkSemantics, failed: tuple[list[int], Violation]) -> Trace:
    """The trace of a failed run from its choices: the same outcomes taken again, keeping each step."""
    choices, violation = failed
    if not choices:  # no initial state
        return Trace((), violation)
    pick = S.initial_states(model)[choices[0]]
    if not isinstance(pick, S.Step):  # a failing init block has no state to replay from
        return Trace((), violation)
    trace = [TraceStep("init", (), pick.picks, pick.state)]
    state = pick.state
    for k in choices[1:]:
        o = sem.successors(state)[k]
        if isinstance(o, S.StepError):
            break
        trace.append(TraceStep(o.action, o.args, o.picks, o.state))
        state = o.state
    return Trace(tuple(trace), violation)


def _stats(started: float, total_steps: int, runs: int, deadlocks: int, semantics_name: str) -> dict[str, Any]:
    secs = time.perf_counter() - started
    return {"runs": runs, "steps": total_steps, "seconds": round(secs, 3),
            "semantics": semantics_name,
            "steps_per_second": round(total_steps / secs) if secs > 0 else None,
            "deadlocked_runs": deadlocks}


def _name(sem: WalkSemantics) -> str:
    return "reference" if isinstance(sem, ReferenceSemantics) else "compiled"

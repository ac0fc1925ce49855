"""Any model as a Hypothesis stateful test: a `RuleBasedStateMachine` built from the bound IR.

The machine follows the reference semantics (xenmodel.semantics) exactly (a state's outcomes come
from the compiled transition relation where it gives the same ones: checkers.hypothesis_core):

- one `@initialize` rule draws one of the model's initial states;
- one `@rule` per action; its precondition is "the action has an enabled outcome that changes the
  state (or fails) in this state", and its body draws an index into the list of those outcomes
  (argument tuple plus choose-picks, in the documented enumeration order, grouped by target state).
  Nothing is filtered, so no generated test case is thrown away, and shrinking moves toward the
  first outcome. An outcome that leaves the state as it is (a refused call that records nothing) is
  left to `any_action`, so that in a model with many such refusals they do not crowd out real steps;
- every invariant and lemma is an `@invariant`, skipped by its precondition once it was checked true
  in the state (the compiled checker checks them all at once in a new state: checkers.hypothesis_core);
- a model error or failed assert on the drawn path fails the test with the model's message and span;
- a deadlocked state enables exactly one rule, `deadlocked`: with deadlock checking on it fails the
  test, otherwise it is a stutter step (the run cannot leave that state anyway), so Hypothesis never
  reports "no progress can be made";
- one more rule, `any_action`, draws among every enabled outcome of every action. It keeps runs
  going when swarm testing (Hypothesis's per-test-case rule subsets, left on) happens to switch off
  all the actions enabled in some state;
- with `@weight`s in the model, `any_action` counts each target state by the weight of the heaviest
  action leading there (one choice per state, as without weights), and the rule
  of an action lighter than the heaviest runs it only in that proportion of its draws (see
  _action_rule); without weights the machine is exactly as above.
- explore="guided" or "branch" (`xenmodel test --explore guided|branch`; xenmodel.explore): @weight
  is ignored; each test case draws a swarm subset of actions at init, `any_action` draws among the kept
  actions preferring those taken least, states not visited and ("branch") branch arms not taken in this
  test case, the rule of a left-out action defers to that draw, and teardown reports
  `hypothesis.target()` scores (checkers.hypothesis_guided). Everything depends on the test case's own
  draws only, so Hypothesis replays it exactly.

A failure raises `ModelFailure` (an AssertionError) that carries the run as an
`xenmodel.trace.Trace`, already replayed through the reference semantics; its message is the trace
printed step by step with action names and arguments. `run_options` is the `xenmodel test` engine.

Extension point: `state_machine(model, extension=...)` takes a `MachineExtension`, whose hooks run
something beside the model (checkers.conformance runs an implementation). The hooks see the machine
through its public members only: `state`, `trace_steps`, `core`, `model`, `take_outcome(o)`,
`outcomes_by_args(action)`, `per_state(key, compute)` and `is_deadlocked()`; rules draw `CHOICE` and
`pick` with it (checkers.hypothesis_core).

Modules: checkers.hypothesis_core (per-state work and the draws), checkers.hypothesis_guided (the
guided draws), checkers.hypothesis_shrink (ModelFailure and the model-level shrinking), this one (the
class and `run`).
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis import settings as Settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, Unsatisfiable
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from xenmodel import explore as X
from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.result import EngineOptions, Progress, ProgressUpdate, Result, Violation, temporals_unchecked
from xenmodel.trace import Trace, TraceStep

from .hypothesis_core import CHOICE, Core, draw_one, group_by_target, pick, pick_weighted
from .hypothesis_guided import CaseGuide
from .hypothesis_shrink import ModelFailure, minimize_trace, minimize_within, replay_checked

__all__ = ["ModelFailure", "MachineExtension", "state_machine", "machine_name", "rule_name", "make_settings",
           "minimize_trace", "group_by_target", "run", "run_options", "SUPPORTED"]

ENGINE = "hypothesis"


class MachineExtension:
    """Hooks `state_machine(model, extension=...)` calls to run something beside the model.

    Subclass it and override what you need; every default leaves the machine as it is. A hook gets
    the machine instance and uses its public members (see the module docstring)."""

    tag: str = ""  # goes into the class name: the example database keys the extended machine apart
    any_action: bool = False  # keep the any_action rule (an extended machine drops it by default)

    def applicable(self, action: ir.Action) -> bool:
        """Whether the machine gets a rule for `action` (default: every action)."""
        return True

    def start(self, machine: Any) -> None:
        """A test case starts (the machine was just built)."""

    def init(self, machine: Any, outcome: S.Step) -> S.Step:
        """The initial state the run starts from, given the one drawn (default: that one)."""
        return outcome

    def action_rule(self, action: ir.Action) -> Any:
        """The rule (a function decorated with `rule`, e.g. taking k=CHOICE) of an applicable action,
        or None for the machine's own."""
        return None

    def stuck(self, machine: Any) -> bool:
        """No other rule can run in this state (default: the state is deadlocked)."""
        return bool(machine.is_deadlocked())

    def extra_rules(self) -> dict[str, Any]:
        """More rules (and invariants) for the class, by name."""
        return {}


# ------------------------------------------------------------------ the class
_IDENT = re.compile(r"[^0-9A-Za-z_]")
_RESERVED = set(dir(RuleBasedStateMachine)) | {"init", "deadlocked", "any_action", "state", "trace_steps", "core",
                                               "model", "take_outcome", "outcomes_by_args", "per_state",
                                               "is_deadlocked"}


def machine_name(model: ir.Model, deadlock: bool = False, tag: str = "", explore: str = X.UNIFORM) -> str:
    """A class name that is stable across runs and processes and unique per model, instance, constants
    and options: the example database keys stateful tests on it."""
    body = repr((model.name, model.instance, model.consts, model.vars, model.init, model.actions,
                 model.properties, deadlock, tag) + ((explore,) if explore != X.UNIFORM else ()))
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    inst = _IDENT.sub("_", model.instance) if model.instance else "base"
    return f"XenModel_{_IDENT.sub('_', model.name)}_{inst}_{digest}"


def rule_name(action_name: str) -> str:
    """The rule method of an action: its own name unless that collides with the machine's attributes."""
    if action_name in _RESERVED or action_name.startswith("_"):
        return "action_" + action_name
    return action_name


def state_machine(model: ir.Model, *, deadlock: bool = False, memo: int = 100_000,
                  settings: Settings | None = None, extension: MachineExtension | None = None,
                  explore: str = X.UNIFORM) -> type[RuleBasedStateMachine]:
    """A `RuleBasedStateMachine` subclass that runs `model` (see the module docstring).

    deadlock: fail a run that reaches a state with no enabled action (default: stutter there).
    memo: how many states' outcomes to keep between steps and test cases (0: recompute every time).
    settings: put on the class's `TestCase` (for `TestX = state_machine(m).TestCase` in a test file).
    extension: hooks run beside the model (MachineExtension).
    explore: "uniform", "guided" or "branch" (the module docstring; guided and branch ignore @weight).
    The class also has `.core` (counters in `.core.stats`) and `.model`.
    """
    X.check_strategy(explore)
    guided = explore != X.UNIFORM
    if guided:
        model = X.unweighted(model)
    core = Core(model, deadlock, memo, X.Arms(model) if explore == X.BRANCH else None)
    # the heaviest action; with all weights equal no action is lighter and no rule ever defers
    top = max((a.weight for a in model.actions), default=ir.DEFAULT_WEIGHT)
    ext = extension
    name = machine_name(model, deadlock, "" if ext is None else ext.tag, explore)
    ns: dict[str, Any] = {"__module__": __name__, "__qualname__": name, "core": core, "model": model,
                          "__doc__": f"Hypothesis state machine of model `{model.name}`"
                                     + (f" (instance {model.instance})" if model.instance else "")}

    def __init__(self: Any) -> None:
        RuleBasedStateMachine.__init__(self)
        self.state = None  # the current state (a tuple), None before init
        self.trace_steps = []  # list[TraceStep]
        self._entry = None  # the current state's Entry
        self._deadlock_counted = False
        self._guide = CaseGuide(core, model) if guided else None  # this test case's guided counts
        core.stats["test_cases"] += 1
        if ext is not None:
            ext.start(self)

    def __repr__(self: Any) -> str:
        if self.state is None:
            return f"{name}(before init)"
        return f"{name}({S.show_state(model, self.state)})"

    def _fail(self: Any, violation: Any) -> None:  # a trace.Violation (result.Violation once P-D merges them)
        trace = Trace(tuple(self.trace_steps), violation)
        with core.headroom():
            replay_checked(model, trace)
        failure = ModelFailure(model, trace)
        if core.first_failure is None:
            core.first_failure = failure
        raise failure

    def _enter(self: Any, step: TraceStep) -> None:
        core.deadline.check()
        if self._guide is not None:
            self._guide.entered(step.action, step.args, self.state, step.state)
        self.trace_steps.append(step)
        self.state = step.state
        self._entry = core.entry(step.state)
        if len(self.trace_steps) > 1:
            core.stats["steps"] += 1
        core.seen.add(step.state)
        if len(self.trace_steps) - 1 > core.max_depth:
            core.max_depth = len(self.trace_steps) - 1

    def take_outcome(self: Any, o: S.Step | S.StepError) -> None:
        """Move to the outcome's state (an error outcome fails the run with its violation)."""
        if isinstance(o, S.StepError):
            self._fail(Violation.of_error(o))
        self._enter(TraceStep(o.action, o.args, o.picks, o.state))

    def outcomes_by_args(self: Any, action: ir.Action) -> list[tuple[tuple[Any, ...], list[Any]]]:
        """[(args, outcomes)] of `action` in this state for every parameter tuple (outcomes may be empty)."""
        return core.grouped(self._entry, self.state, action)

    def per_state(self: Any, key: Any, compute: Callable[[], Any]) -> Any:
        """compute(), cached with this state's other per-state work under `key`."""
        extra = self._entry.extra
        if key not in extra:
            extra[key] = compute()
        return extra[key]

    def _any(self: Any, k: int) -> Any:
        """Any enabled outcome of any action: uniform, or by @weight when the model has weights, or
        guided (checkers.hypothesis_guided)."""
        if self._guide is not None:
            return self._guide.choose(k, self._entry, self.state)
        groups = core.all_outcomes(self._entry, self.state)
        if core.weights is None:
            return pick(k, groups)
        return pick_weighted(k, groups, core.group_weights(self._entry, self.state))

    def _deferred(self: Any, action: ir.Action) -> bool:
        """Guided: the action is left out of this test case's subset and a kept action is enabled."""
        return self._guide is not None and self._guide.deferred(action, self._entry, self.state)

    def teardown(self: Any) -> None:
        if self._guide is not None and self.state is not None:  # scores Hypothesis's target phase climbs
            self._guide.report()

    def is_deadlocked(self: Any) -> bool:
        """No action of the model is enabled in this state."""
        return self.state is not None and not core.enabled(self._entry, self.state)

    ns.update(__init__=__init__, __repr__=__repr__, _fail=_fail, _enter=_enter, take_outcome=take_outcome,
              outcomes_by_args=outcomes_by_args, per_state=per_state, _any=_any,
              _deferred=_deferred, teardown=teardown, is_deadlocked=is_deadlocked)

    @initialize(data=st.data())
    def init(self: Any, data: Any) -> None:
        if not core.inits:
            self._fail(Violation.deadlock(no_initial_state=True))
        if self._guide is not None:  # this test case's swarm subset of actions
            self._guide.draw_subset(data)
        o = draw_one(data, core.inits, "init")
        if isinstance(o, S.StepError):
            self._fail(Violation.of_error(o))
        if ext is not None:
            o = ext.init(self, o)
        self._enter(TraceStep("init", (), o.picks, o.state))
    ns["init"] = init

    for action in model.actions:
        if ext is not None and not ext.applicable(action):
            continue
        ns[rule_name(action.name)] = (ext is not None and ext.action_rule(action)) or _action_rule(action, top)

    def _stuck(self: Any) -> bool:
        """No other rule can run: a deadlock (or, in a conformance machine, no applicable call left)."""
        if self.state is None:
            return False
        return ext.stuck(self) if ext is not None else self.is_deadlocked()
    ns["_stuck"] = _stuck

    @precondition(lambda self: self._stuck())
    @rule()
    def deadlocked(self: Any) -> None:
        if core.deadlock and self.is_deadlocked():
            self._fail(Violation.deadlock())
        if not self._deadlock_counted:
            self._deadlock_counted = True
            core.stats["deadlocked_runs"] += 1
    ns["deadlocked"] = deadlocked

    if ext is None or ext.any_action:
        @precondition(lambda self: self.state is not None and core.enabled(self._entry, self.state))
        @rule(k=CHOICE)
        def any_action(self: Any, k: Any) -> None:
            self.take_outcome(self._any(k))
        ns["any_action"] = any_action
    if ext is not None:
        ns.update(ext.extra_rules())

    for prop in model.properties:
        ns[f"{prop.kind}_{prop.name}"] = _property_check(prop)

    cls: Any = type(name, (RuleBasedStateMachine,), ns)
    if settings is not None:
        cls.TestCase.settings = settings
    machine: type[RuleBasedStateMachine] = cls
    return machine



def _action_rule(action: ir.Action, top: int) -> Any:
    """The rule of one action. Hypothesis picks among enabled rules uniformly, so an action weighing
    less than the heaviest (weight < top) runs only when k says so (k % top < weight, which shrinking
    toward k = 0 keeps true); otherwise the step is a weighted pick among every action, like
    any_action. Guided, an action left out of the test case's subset defers to any_action's draw."""
    weight = action.weight

    def body(self: Any, k: Any) -> None:
        if (weight < top and k % top >= weight) or self._deferred(action):
            self.take_outcome(self._any(k // top))
            return
        self.take_outcome(pick(k, self.core.moves(self._entry, self.state, action)))
    body.__name__ = rule_name(action.name)
    body.__qualname__ = body.__name__
    body.__doc__ = action.doc or f"action {action.name}"
    name = action.name

    def enabled(self: Any) -> bool:  # Hypothesis asks every rule's, many times a step: the memo first
        if self.state is None:
            return False
        m = self._entry.moves.get(name)
        return bool(m if m is not None else self.core.moves(self._entry, self.state, action))
    return precondition(enabled)(rule(k=CHOICE)(body))


def _property_check(prop: ir.Property) -> Any:
    """The @invariant of one property. Its precondition skips a property already checked true in this
    state before Hypothesis's per-invariant bookkeeping (which cost more than the check); the first
    check in a new state asks the compiled checker about every property at once (Core.holds)."""
    name = prop.name

    def check(self: Any) -> None:
        if self.core.holds(self._entry, self.state):
            return
        try:
            with self.core.headroom():
                ok = S.eval_expr(prop.expr, self.state, {})
        except S.ModelError as err:
            self._fail(Violation.of_property(prop, err))
        if not ok:
            self._fail(Violation.of_property(prop, None))
        self._entry.passed.add(name)
    check.__name__ = f"{prop.kind}_{prop.name}"
    check.__qualname__ = check.__name__
    check.__doc__ = prop.doc or f"{prop.kind} {prop.name}"
    return invariant()(precondition(lambda self: self.state is not None and name not in self._entry.passed)(check))



# ------------------------------------------------------------------ running it
SHRINKERS = ("hypothesis", "model")


def make_settings(max_examples: int = 100, steps: int = 50, derandomize: bool = False,
                  database: Any = None, verbosity: Verbosity = Verbosity.quiet, shrink: str = "hypothesis",
                  **extra: Any) -> Settings:
    """The settings `xenmodel test` uses: no deadline, no health checks, one bug reported, no database
    unless given, no explain phase (it re-runs the failure many times for little gain here).
    shrink="model" leaves out Hypothesis's shrink phase: on a run tens of steps long it can replay the
    machine thousands of times, while minimize_trace works on the model's trace directly."""
    if shrink not in SHRINKERS:
        raise ValueError(f"shrink must be one of {SHRINKERS}, not {shrink!r}")
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    if shrink == "hypothesis":
        phases.append(Phase.shrink)
    return Settings(max_examples=max_examples, stateful_step_count=steps, deadline=None,
                    derandomize=derandomize, database=database, report_multiple_bugs=False,
                    suppress_health_check=list(HealthCheck), verbosity=verbosity, phases=phases, **extra)


def run(model: ir.Model, *, max_examples: int = 100, steps: int = 50, seed: int | None = 0,
        deadlock: bool = False, derandomize: bool = False, memo: int = 100_000,
        progress: Progress | None = None, machine: type | None = None,
        minimize: bool = True, shrink: str = "hypothesis", timeout: float | None = None,
        explore: str = X.UNIFORM) -> Result:
    """Run the model's state machine once under Hypothesis and return the shared Result.
    shrink: "hypothesis" (Hypothesis's shrinker, then minimize_trace) or "model" (minimize_trace only).
    timeout: seconds for the whole run (generation, shrinking and minimize_trace); then, or on Ctrl-C,
    the result is unknown with the statistics so far, or violated with the unshrunk trace if a failure
    was already found. A violated result's failure, as raised in a test: ModelFailure.of_result.
    explore: "uniform", "guided" or "branch" (state_machine; ignored when `machine` is given)."""
    dl = Deadline(timeout)
    started = time.perf_counter()
    try:  # building the machine enumerates the initial states, and machine_name hashes the model's repr
        with dl.armed(), S.recursion_headroom(model):
            cls = machine or state_machine(model, deadlock=deadlock, memo=memo, explore=explore)
    except (OutOfTime, KeyboardInterrupt) as err:
        why = f"timed out after {timeout:g} s" if isinstance(err, OutOfTime) else "interrupted (Ctrl-C)"
        return Result.unknown(model, ENGINE, f"{why} while enumerating the initial states",
                              {"test_cases": 0, "seconds": round(time.perf_counter() - started, 3)}, seed=seed)
    core: Core = cls.core  # type: ignore[attr-defined]
    core.reset_stats(dl)

    def factory() -> RuleBasedStateMachine:
        core.deadline.check()
        m: RuleBasedStateMachine = cls()
        if progress is not None and core.stats["test_cases"] % 10 == 0:
            progress(ProgressUpdate(ENGINE, "testing", time.perf_counter() - started,
                                    done=core.stats["test_cases"], total=max_examples,
                                    message=f"{core.stats['steps']} steps"))
        return m
    if seed is not None and not derandomize:
        factory = hypothesis.seed(seed)(factory)  # run_state_machine_as_test takes the factory's seed
    opts = make_settings(max_examples, steps, derandomize, shrink=shrink)
    failure: ModelFailure | None = None
    try:
        with dl.armed(), S.recursion_headroom(model):
            run_as_test(factory, settings=opts)
    except ModelFailure as err:
        failure = err
    except OutOfTime:
        return _stopped(model, core, started, seed, f"timed out after {timeout:g} s")
    except KeyboardInterrupt:
        return _stopped(model, core, started, seed, "interrupted (Ctrl-C)")
    except Flaky as err:
        if dl.expired():  # the deadline struck while Hypothesis replayed a failure: not a flaky model
            return _stopped(model, core, started, seed, f"timed out after {timeout:g} s")
        return Result.unknown(model, ENGINE, f"Hypothesis could not reproduce a failure (flaky): {err}",
                              _stats(core, started), seed=seed)
    except Unsatisfiable as err:
        return Result.unknown(model, ENGINE, f"no valid test case: {err}", _stats(core, started), seed=seed)
    stats = _stats(core, started)
    if failure is None:
        what = (f"no violation in {stats['test_cases']} Hypothesis test case(s) of up to {steps} "
                f"steps (a sample, not a proof)")
        # finite random runs say nothing about infinite behaviours: say so rather than stay silent
        unchecked = temporals_unchecked(model, "finite random runs")
        return dataclasses.replace(Result.sampled(model, ENGINE, what, 0, stats, messages=unchecked), seed=seed)
    trace = failure.trace
    with S.recursion_headroom(model):
        replay_checked(model, trace)
    stats["hypothesis_shrunk_length"] = len(trace)
    cut: str | None = None
    if minimize:
        trace, cut = minimize_within(model, trace, dl)
    stats["length"] = len(trace)
    found = (f"shrunk by Hypothesis to {stats['hypothesis_shrunk_length']} step(s)" if shrink == "hypothesis"
             else f"found at {stats['hypothesis_shrunk_length']} step(s) (Hypothesis's shrinker off)")
    # the seed is in the Result; the front door that knows its own options says how to run it again
    if cut:
        why = f"timed out after {timeout:g} s" if cut == "timeout" else "interrupted (Ctrl-C)"
        msg = f"{why} while shrinking: {found}, not by deleting unneeded steps"
    else:
        msg = found + (f", then to {len(trace)} by deleting unneeded steps" if minimize else "")
    return Result.violated(model, ENGINE, trace, stats, seed=seed, messages=(msg,))




def _stopped(model: ir.Model, core: Core, started: float, seed: int | None, why: str) -> Result:
    """The run ended early: unknown with the statistics so far, or, when a failure was already found
    (Hypothesis was shrinking it), violated with that failure's trace as found (replayed, not shrunk)."""
    stats = _stats(core, started)
    f = core.first_failure
    if f is None:
        return Result.unknown(model, ENGINE, f"{why}: {stats['test_cases']} test case(s) and {stats['steps']} "
                              "steps, no violation so far (statistics so far)", stats, seed=seed)
    stats["length"] = len(f.trace)
    return Result.violated(model, ENGINE, f.trace, stats, seed=seed,
                           messages=(f"{why} while shrinking: the counterexample is as found, not shrunk",))


def _stats(core: Core, started: float) -> dict[str, Any]:
    secs = time.perf_counter() - started
    s: dict[str, Any] = dict(core.stats)
    s.update(distinct_states=len(core.seen), max_depth=core.max_depth, seconds=round(secs, 3),
             steps_per_second=round(s["steps"] / secs) if secs > 0 else None)
    return s


# Hypothesis's runner, typed for mypy (it has no annotations)
run_as_test: Callable[..., None] = run_state_machine_as_test

# the EngineOptions `xenmodel test` takes; any other one set is refused
SUPPORTED = frozenset({"max_examples", "steps", "seed", "deadlock", "shrink", "timeout", "explore",
                       "ignore_weights"})
DEFAULT_STEPS = 50


def run_options(model: ir.Model, opts: EngineOptions | Mapping[str, Any]) -> Result:
    """The `xenmodel test` engine: max_examples, steps, seed, deadlock, shrink, timeout, explore,
    ignore_weights (and progress, a callable given one line of text). Any other option set raises
    OptionError (result.py). Guided, the default steps grow with the instance (explore.default_case_steps)."""
    o = EngineOptions.of(opts)
    o.refuse_unsupported(ENGINE, SUPPORTED)
    explore: str = o.get("explore", X.UNIFORM)
    X.check_strategy(explore)
    if o.get("ignore_weights", False):
        model = X.unweighted(model)
    steps = o.get("steps", X.default_case_steps(model) if explore != X.UNIFORM else DEFAULT_STEPS)
    return run(model, max_examples=o.get("max_examples", 100), steps=steps, seed=o.get("seed", 0),
               deadlock=bool(o.get("deadlock", False)), progress=o.progress,
               shrink=o.get("shrink", "hypothesis"), timeout=o.timeout, explore=explore)

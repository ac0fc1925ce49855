"""Any model as a Hypothesis stateful test: a `RuleBasedStateMachine` built from the bound IR.

The machine follows the reference semantics (xenmodel.semantics) exactly:

- one `@initialize` rule draws one of the model's initial states;
- one `@rule` per action; its precondition is "the action has an enabled path in this state", and
  its body draws an index into the list of the action's *enabled* outcomes (argument tuple plus
  choose-picks, in the documented enumeration order) with `st.sampled_from`. Nothing is filtered,
  so no generated test case is thrown away, and shrinking moves toward the first outcome;
- every invariant and lemma is an `@invariant`;
- a model error or failed assert on the drawn path fails the test with the model's message and span;
- a deadlocked state enables exactly one rule, `deadlocked`: with deadlock checking on it fails the
  test, otherwise it is a stutter step (the run cannot leave that state anyway), so Hypothesis never
  reports "no progress can be made";
- one more rule, `any_action`, draws among every enabled outcome of every action. It keeps runs
  going when swarm testing (Hypothesis's per-test-case rule subsets, left on) happens to switch off
  all the actions enabled in some state;
- with `@weight`s in the model, `any_action` counts each outcome by its action's weight, and the rule
  of an action lighter than the heaviest runs it only in that proportion of its draws (see
  _action_rule); without weights the machine is exactly as above.

A failure raises `ModelFailure` (an AssertionError) that carries the run as an
`xenmodel.trace.Trace`, already replayed through the reference semantics; its message is the trace
printed step by step with action names and arguments. `run_options` is the `xenmodel test` engine.
"""
from __future__ import annotations

import hashlib
import re
import time
from typing import Any, Callable

from hypothesis import HealthCheck, Phase, Verbosity, settings as Settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, Unsatisfiable
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition, rule,
                                 run_state_machine_as_test)

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.tracetext import trace_text
from xenmodel.trace import Result, Trace, TraceStep, Violation, replay, violation_of_error, \
    violation_of_property

__all__ = ["ModelFailure", "state_machine", "machine_name", "make_settings", "run", "run_options"]

ENGINE = "hypothesis"


class ModelFailure(AssertionError):
    """The model broke in a Hypothesis run: `trace` ends in `violation` (replayed, so it is real).

    `trace` is the run as Hypothesis left it; `minimized()` deletes the steps the violation does not
    need (see minimize_trace) and is what the message shows, rendered lazily (Hypothesis raises many
    of these while it shrinks, and prints only the last).
    """

    def __init__(self, model: ir.Model, trace: Trace, seed: int | None = None) -> None:
        super().__init__(f"{trace.violation.kind} {trace.violation.name}" if trace.violation else "model failure")
        self.model = model
        self.trace = trace
        self.violation = trace.violation
        self.seed = seed
        self._min: Trace | None = None

    def minimized(self) -> Trace:
        if self._min is None:
            with S.recursion_headroom(self.model):
                t = minimize_trace(self.model, self.trace)
                _replay(self.model, t)
            self._min = t
        return self._min

    def render(self) -> str:
        t = self.minimized()
        v = t.violation
        where = f" ({v.span.short()})" if v is not None and v.span is not None else ""
        head = f"{v.kind} {v.name}: {v.message}{where}" if v is not None else "model failure"
        lines = [head, f"counterexample ({len(t)} step(s); Hypothesis shrank the run to {len(self.trace)}):",
                 trace_text(self.model, t)]
        if self.seed is not None:
            lines.append(f"seed: {self.seed}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


# ------------------------------------------------------------------ per-state work, shared by runs
class _Entry:
    """What one state needs: its outcomes per action (grouped by argument tuple) and property status."""
    __slots__ = ("by_action", "flat", "any_flat", "any_sizes", "passed")

    def __init__(self) -> None:
        self.by_action: dict[str, list[tuple[tuple, list]]] = {}
        self.flat: dict[str, list] = {}
        self.any_flat: list | None = None
        self.any_sizes: list[int] | None = None  # with @weights: each any_flat group's weight
        self.passed: set[str] = set()  # properties already checked true in this state


class _Core:
    """The model, the options, the memo of per-state work and the counters of one machine class."""

    def __init__(self, model: ir.Model, deadlock: bool, memo: int) -> None:
        self.model = model
        self.deadlock = deadlock
        self.memo_limit = memo
        self.memo: dict[tuple, _Entry] = {}
        self.inits = S.initial_states(model)
        self.weights = ir.action_weights(model)
        self.tuples = {a.name: list(S.param_tuples(a)) for a in model.actions}
        self.levels = S.nesting_depth(model)
        self.reset_stats()

    def headroom(self):
        """Hypothesis runs a test with its own recursion limit: the evaluators need the model's."""
        return S.recursion_headroom(self.model, self.levels)

    def reset_stats(self, deadline: Deadline | None = None) -> None:
        self.stats = {"test_cases": 0, "steps": 0, "deadlocked_runs": 0}
        self.seen: set = set()
        self.max_depth = 0
        self.deadline = deadline or Deadline(None)  # of the current run(); every step looks at it
        self.first_failure: ModelFailure | None = None  # kept in case the run stops while shrinking

    def entry(self, state: tuple) -> _Entry:
        e = self.memo.get(state)
        if e is None:
            e = _Entry()
            if self.memo_limit:
                if len(self.memo) >= self.memo_limit:
                    self.memo.clear()
                self.memo[state] = e
        return e

    def grouped(self, e: _Entry, state: tuple, action: ir.Action) -> list[tuple[tuple, list]]:
        """[(args, outcomes)] for every parameter tuple of `action` (outcomes may be empty)."""
        g = e.by_action.get(action.name)
        if g is None:
            with self.headroom():
                g = [(args, S.successors_of(self.model, action, args, state)) for args in self.tuples[action.name]]
            e.by_action[action.name] = g
        return g

    def outcomes(self, e: _Entry, state: tuple, action: ir.Action) -> list[list]:
        """The action's enabled outcomes grouped by the state they lead to (errors by code), in
        enumeration order: a run draws a group, then a member, so the many argument tuples that lead
        to one state (a refused call that only sets an error code, say) count as one choice."""
        f = e.flat.get(action.name)
        if f is None:
            f = group_by_target(o for _, outs in self.grouped(e, state, action) for o in outs)
            e.flat[action.name] = f
        return f

    def group_weights(self, e: _Entry, state: tuple) -> list[int]:
        """With @weights: the weight of each all_outcomes group (the sum of its outcomes' action weights)."""
        if e.any_sizes is None:
            e.any_sizes = [sum(self.weights[o.action] for o in g) for g in self.all_outcomes(e, state)]
        return e.any_sizes

    def all_outcomes(self, e: _Entry, state: tuple) -> list[list]:
        if e.any_flat is None:
            e.any_flat = group_by_target(o for a in self.model.actions for g in self.outcomes(e, state, a)
                                         for o in g)
        return e.any_flat


def target_key(o) -> Any:
    return o.state if isinstance(o, S.Step) else ("error", o.action, o.error.code)


def group_by_target(outcomes, key: Callable[[Any], Any] = target_key) -> list[list]:
    groups: dict[Any, list] = {}
    for o in outcomes:
        k = key(o)
        g = groups.get(k)
        if g is None:
            groups[k] = [o]
        else:
            g.append(o)
    return list(groups.values())


ANY_ACTION = True
_INDEX: dict[int, Any] = {}


def _index(n: int):
    s = _INDEX.get(n)
    if s is None:
        s = _INDEX[n] = st.sampled_from(range(n))
    return s


def _draw_one(data, items: list, label: str):
    """One item of a non-empty list: an index drawn with sampled_from (no draw for a single item)."""
    if len(items) == 1:
        return items[0]
    return items[data.draw(_index(len(items)), label=label)]


def _draw_grouped(data, groups: list[list], label: str):
    """A group, then a member of it."""
    return _draw_one(data, _draw_one(data, groups, label), label)


# Rules draw one integer k and index the enabled list with it (k mod the list's length): a uniform pick
# from exactly the enabled choices, with one cheap draw per step. (st.sampled_from(range(n)) through
# st.data() costs about 25% more per step and Hypothesis biases it toward the first items, which made
# random runs of S1 block much more often.) Shrinking moves k toward 0, the first choice in the
# documented enumeration order.
_K = st.integers(0, 2**32 - 1)


def _pick(k: int, groups: list[list]):
    g = groups[k % len(groups)]
    return g[(k // len(groups)) % len(g)]


def _pick_weighted(k: int, groups: list[list], sizes: list[int]):
    """Like _pick, with group i counting sizes[i] times (the sum of its outcomes' action weights)."""
    r = k % sum(sizes)
    for g, size in zip(groups, sizes):
        if r < size:
            return g[(k // len(groups)) % len(g)]
        r -= size
    raise AssertionError("unreachable: r < sum(sizes)")


# ------------------------------------------------------------------ the class
_IDENT = re.compile(r"[^0-9A-Za-z_]")
_RESERVED = set(dir(RuleBasedStateMachine)) | {"init", "deadlocked", "any_action", "state", "trace_steps"}


def machine_name(model: ir.Model, deadlock: bool = False, tag: str = "") -> str:
    """A class name that is stable across runs and processes and unique per model, instance, constants
    and options: the example database keys stateful tests on it."""
    body = repr((model.name, model.instance, model.consts, model.vars, model.init, model.actions,
                 model.properties, deadlock, tag))
    digest = hashlib.sha256(body.encode()).hexdigest()[:12]
    inst = _IDENT.sub("_", model.instance) if model.instance else "base"
    return f"XenModel_{_IDENT.sub('_', model.name)}_{inst}_{digest}"


def rule_name(action_name: str) -> str:
    """The rule method of an action: its own name unless that collides with the machine's attributes."""
    if action_name in _RESERVED or action_name.startswith("_"):
        return "action_" + action_name
    return action_name


def state_machine(model: ir.Model, *, deadlock: bool = False, memo: int = 100_000,
                  settings: Settings | None = None, _conformance: Any = None) -> type[RuleBasedStateMachine]:
    """A `RuleBasedStateMachine` subclass that runs `model` (see the module docstring).

    deadlock: fail a run that reaches a state with no enabled action (default: stutter there).
    memo: how many states' outcomes to keep between steps and test cases (0: recompute every time).
    settings: put on the class's `TestCase` (for `TestX = state_machine(m).TestCase` in a test file).
    The class also has `.core` (counters in `.core.stats`) and `.model`.
    """
    core = _Core(model, deadlock, memo)
    # the heaviest action; with all weights equal no action is lighter and no rule ever defers
    top = max((a.weight for a in model.actions), default=ir.DEFAULT_WEIGHT)
    conf = _conformance
    name = machine_name(model, deadlock, "" if conf is None else conf.tag)
    ns: dict[str, Any] = {"__module__": __name__, "__qualname__": name, "core": core, "model": model,
                          "__doc__": f"Hypothesis state machine of model `{model.name}`"
                                     + (f" (instance {model.instance})" if model.instance else "")}

    def __init__(self) -> None:
        RuleBasedStateMachine.__init__(self)
        self.state: tuple | None = None
        self.trace_steps: list[TraceStep] = []
        self._entry: _Entry | None = None
        self._deadlock_counted = False
        core.stats["test_cases"] += 1
        if conf is not None:
            conf.start(self)

    def __repr__(self) -> str:
        if self.state is None:
            return f"{name}(before init)"
        return f"{name}({S.show_state(model, self.state)})"

    def _fail(self, violation: Violation) -> None:
        trace = Trace(tuple(self.trace_steps), violation)
        with core.headroom():
            _replay(model, trace)
        failure = ModelFailure(model, trace)
        if core.first_failure is None:
            core.first_failure = failure
        raise failure

    def _enter(self, step: TraceStep) -> None:
        core.deadline.check()
        self.trace_steps.append(step)
        self.state = step.state
        self._entry = core.entry(step.state)
        if len(self.trace_steps) > 1:
            core.stats["steps"] += 1
        core.seen.add(step.state)
        if len(self.trace_steps) - 1 > core.max_depth:
            core.max_depth = len(self.trace_steps) - 1

    def _take(self, o) -> None:
        if isinstance(o, S.StepError):
            self._fail(violation_of_error(o))
        self._enter(TraceStep(o.action, o.args, o.picks, o.state))

    def _outcomes(self, action: ir.Action) -> list:
        return core.outcomes(self._entry, self.state, action)

    def _any(self, k: int):
        """Any enabled outcome of any action: uniform, or by @weight when the model has weights."""
        groups = core.all_outcomes(self._entry, self.state)
        if core.weights is None:
            return _pick(k, groups)
        return _pick_weighted(k, groups, core.group_weights(self._entry, self.state))

    def _deadlocked(self) -> bool:
        return self.state is not None and not core.all_outcomes(self._entry, self.state)

    ns.update(__init__=__init__, __repr__=__repr__, _fail=_fail, _enter=_enter, _take=_take,
              _outcomes=_outcomes, _any=_any, _deadlocked=_deadlocked)

    @initialize(data=st.data())
    def init(self, data) -> None:
        if not core.inits:
            self._fail(Violation("deadlock", "deadlock", "the model has no initial state", None, code="XM510"))
        o = _draw_one(data, core.inits, "init")
        if isinstance(o, S.StepError):
            self._fail(violation_of_error(o))
        if conf is not None:
            o = conf.init(self, o)
        self._enter(TraceStep("init", (), o.picks, o.state))
    ns["init"] = init

    for action in model.actions:
        if conf is not None and not conf.applicable(action):
            continue
        ns[rule_name(action.name)] = _action_rule(action, conf, top)

    def _stuck(self) -> bool:
        """No other rule can run: a deadlock (or, in a conformance machine, no applicable call left)."""
        if self.state is None:
            return False
        return conf.stuck(self) if conf is not None else self._deadlocked()
    ns["_stuck"] = _stuck

    @precondition(lambda self: self._stuck())
    @rule()
    def deadlocked(self) -> None:
        if core.deadlock and self._deadlocked():
            self._fail(Violation("deadlock", "deadlock", "no action is enabled", None, code="XM510"))
        if not self._deadlock_counted:
            self._deadlock_counted = True
            core.stats["deadlocked_runs"] += 1
    ns["deadlocked"] = deadlocked

    if conf is None and ANY_ACTION:
        @precondition(lambda self: self.state is not None and bool(core.all_outcomes(self._entry, self.state)))
        @rule(k=_K)
        def any_action(self, k) -> None:
            self._take(self._any(k))
        ns["any_action"] = any_action
    elif conf is not None:
        conf.extra_rules(ns)

    for prop in model.properties:
        ns[f"{prop.kind}_{prop.name}"] = _property_check(prop)

    cls = type(name, (RuleBasedStateMachine,), ns)
    if settings is not None:
        cls.TestCase.settings = settings
    return cls


def _replay(model: ir.Model, trace: Trace) -> None:
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
        assert any(isinstance(o, S.StepError) and o.error.code == v.code for o in outs), \
            "internal error: the init block does not fail as reported"


def _action_rule(action: ir.Action, conf, top: int):
    """The rule of one action. Hypothesis picks among enabled rules uniformly, so an action weighing
    less than the heaviest (weight < top) runs only when k says so (k % top < weight, which shrinking
    toward k = 0 keeps true); otherwise the step is a weighted pick among every action, like
    any_action."""
    if conf is not None:
        return conf.action_rule(action)

    weight = action.weight

    def body(self, k) -> None:
        if weight < top and k % top >= weight:
            self._take(self._any(k // top))
            return
        self._take(_pick(k, self._outcomes(action)))
    body.__name__ = rule_name(action.name)
    body.__qualname__ = body.__name__
    body.__doc__ = action.doc or f"action {action.name}"
    return precondition(lambda self: self.state is not None and bool(self._outcomes(action)))(
        rule(k=_K)(body))


def _property_check(prop: ir.Property):
    def check(self) -> None:
        if self.state is None:
            return
        passed = self._entry.passed
        if prop.name in passed:
            return
        try:
            with self.core.headroom():
                ok = S.eval_expr(prop.expr, self.state, {})
        except S.ModelError as err:
            self._fail(violation_of_property(prop, err))
        if not ok:
            self._fail(violation_of_property(prop, None))
        passed.add(prop.name)
    check.__name__ = f"{prop.kind}_{prop.name}"
    check.__qualname__ = check.__name__
    check.__doc__ = prop.doc or f"{prop.kind} {prop.name}"
    return invariant()(check)


# ------------------------------------------------------------------ model-level shrinking
def _violates(model: ir.Model, state: tuple, v: Violation) -> bool:
    if v.kind in ("invariant", "lemma"):
        return any(p.name == v.name for p, _ in S.check_properties(model, state))
    if v.kind == "deadlock":
        return next(iter(S.successors(model, state)), None) is None
    return False


def _attempt(model: ir.Model, init: TraceStep, labels: list, v: Violation) -> Trace | None:
    """Re-run the (action, args, picks) labels from init's state; the trace if it reaches violation v
    (possibly before the last label), else None (a label is disabled or nothing breaks)."""
    steps = [init]
    state = init.state
    if _violates(model, state, v):
        return Trace(tuple(steps), v)
    for name, args, picks in labels:
        action = model.action(name)
        hit = None
        for o in S.successors_of(model, action, args, state):
            if tuple(o.picks) == tuple(picks):
                hit = o
                break
        if hit is None:
            return None
        if isinstance(hit, S.StepError):
            if v.kind in ("assert", "model-error") and hit.error.code == v.code:
                return Trace(tuple(steps), violation_of_error(hit))
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
    states = [s.state for s in trace.steps]
    last = {st: j for j, st in enumerate(states)}
    n = len(trace)
    for i, state in enumerate(states[:-1] if v.failing is None else states):
        for o in S.successors(model, state):
            if isinstance(o, S.StepError):
                if v.kind in ("assert", "model-error") and o.error.code == v.code and i < n:
                    return Trace(trace.steps[:i + 1], violation_of_error(o))
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
                    if t.violation.failing is not None:
                        labels.append(t.violation.failing)
                    changed = True
                else:
                    i += 1
            size //= 2
    return best


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
        progress: Callable[[str], None] | None = None, machine: type | None = None,
        minimize: bool = True, shrink: str = "hypothesis", timeout: float | None = None) -> Result:
    """Run the model's state machine once under Hypothesis and return the shared Result.
    shrink: "hypothesis" (Hypothesis's shrinker, then minimize_trace) or "model" (minimize_trace only).
    timeout: seconds for the whole run (generation, shrinking and minimize_trace); then, or on Ctrl-C,
    the result is unknown with the statistics so far, or violated with the unshrunk trace if a failure
    was already found."""
    dl = Deadline(timeout)
    started = time.perf_counter()
    try:  # building the machine enumerates the initial states, and machine_name hashes the model's repr
        with dl.armed(), S.recursion_headroom(model):
            cls = machine or state_machine(model, deadlock=deadlock, memo=memo)
    except (OutOfTime, KeyboardInterrupt) as err:
        why = f"timed out after {timeout:g} s" if isinstance(err, OutOfTime) else "interrupted (Ctrl-C)"
        return Result("unknown", ENGINE, model.path, model.instance, dict(model.consts), None,
                      {"test_cases": 0, "seconds": round(time.perf_counter() - started, 3)}, seed=seed,
                      reason=f"{why} while enumerating the initial states")
    core: _Core = cls.core
    core.reset_stats(dl)

    def factory():
        core.deadline.check()
        m = cls()
        if progress is not None and core.stats["test_cases"] % 10 == 0:
            progress(f"hypothesis: {core.stats['test_cases']} test case(s), {core.stats['steps']} steps")
        return m
    if seed is not None and not derandomize:
        factory._hypothesis_internal_use_seed = seed  # what hypothesis.seed() sets; copied by Hypothesis
    opts = make_settings(max_examples, steps, derandomize, shrink=shrink)
    consts = dict(model.consts)
    failure: ModelFailure | None = None
    try:
        with dl.armed(), S.recursion_headroom(model):
            run_state_machine_as_test(factory, settings=opts)
    except ModelFailure as err:
        failure = err
    except OutOfTime:
        return _stopped(model, core, started, seed, f"timed out after {timeout:g} s")
    except KeyboardInterrupt:
        return _stopped(model, core, started, seed, "interrupted (Ctrl-C)")
    except Flaky as err:
        if dl.expired():  # the deadline struck while Hypothesis replayed a failure: not a flaky model
            return _stopped(model, core, started, seed, f"timed out after {timeout:g} s")
        return Result("unknown", ENGINE, model.path, model.instance, consts, None,
                      _stats(core, started), seed=seed,
                      reason=f"Hypothesis could not reproduce a failure (flaky): {err}")
    except Unsatisfiable as err:
        return Result("unknown", ENGINE, model.path, model.instance, consts, None,
                      _stats(core, started), seed=seed, reason=f"no valid test case: {err}")
    stats = _stats(core, started)
    if failure is None:
        return Result("sampled", ENGINE, model.path, model.instance, consts, None, stats, seed=seed,
                      reason=f"no violation in {stats['test_cases']} Hypothesis test case(s) of up to {steps} "
                             f"steps (a sample, not a proof)")
    trace = failure.trace
    with S.recursion_headroom(model):
        _replay(model, trace)
    stats["hypothesis_shrunk_length"] = len(trace)
    if minimize:
        trace = _minimize_within(model, trace, dl)
    stats["length"] = len(trace)
    if isinstance(failure, ModelFailure):
        failure.seed = seed
        failure._min = trace
    found = (f"shrunk by Hypothesis to {stats['hypothesis_shrunk_length']} step(s)" if shrink == "hypothesis"
             else f"found at {stats['hypothesis_shrunk_length']} step(s) (Hypothesis's shrinker off)")
    # the seed is in the Result; the front door that knows its own options says how to run it again
    msgs = [found + (f", then to {len(trace)} by deleting unneeded steps" if minimize else "")]
    res = Result("violated", ENGINE, model.path, model.instance, consts, trace, stats, seed=seed, messages=msgs)
    res.failure = failure  # type: ignore[attr-defined]  (the exception, for the conformance report)
    return res


def _minimize_within(model: ir.Model, trace: Trace, dl: Deadline) -> Trace:
    """minimize_trace within what is left of the run's time; on a timeout or Ctrl-C the trace as it was."""
    try:
        with dl.armed(), S.recursion_headroom(model):
            dl.check()
            t = minimize_trace(model, trace)
            _replay(model, t)
    except (OutOfTime, KeyboardInterrupt):
        return trace
    return t


def _stopped(model: ir.Model, core: _Core, started: float, seed: int | None, why: str) -> Result:
    """The run ended early: unknown with the statistics so far, or, when a failure was already found
    (Hypothesis was shrinking it), violated with that failure's trace as found (replayed, not shrunk)."""
    consts = dict(model.consts)
    stats = _stats(core, started)
    f = core.first_failure
    if f is None:
        return Result("unknown", ENGINE, model.path, model.instance, consts, None, stats, seed=seed,
                      reason=f"{why}: {stats['test_cases']} test case(s) and {stats['steps']} steps, no "
                             "violation so far (statistics so far)")
    stats["length"] = len(f.trace)
    return Result("violated", ENGINE, model.path, model.instance, consts, f.trace, stats, seed=seed,
                  messages=[f"{why} while shrinking: the counterexample is as found, not shrunk"])


def _stats(core: _Core, started: float) -> dict:
    secs = time.perf_counter() - started
    s = dict(core.stats)
    s.update(distinct_states=len(core.seen), max_depth=core.max_depth, seconds=round(secs, 3),
             steps_per_second=round(s["steps"] / secs) if secs > 0 else None)
    return s


def run_options(model: ir.Model, opts: dict) -> Result:
    """The `xenmodel test` engine: opts max_examples, steps, seed, deadlock, shrink, timeout (and derandomize,
    memo)."""
    return run(model, max_examples=opts.get("max_examples", 100), steps=opts.get("steps", 50),
               seed=opts.get("seed", 0), deadlock=bool(opts.get("deadlock", False)),
               derandomize=bool(opts.get("derandomize", False)), memo=opts.get("memo", 100_000),
               progress=opts.get("progress"), minimize=bool(opts.get("minimize", True)),
               shrink=opts.get("shrink", "hypothesis"), timeout=opts.get("timeout"))

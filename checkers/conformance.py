"""Conformance testing: the model as the oracle for a real implementation.

The user writes an `Adapter` (subclass it):

- `make()` returns a fresh implementation object in its initial state (once per test case);
- `abstract(impl)` maps the implementation's state to model variables: a dict from variable name
  to value (in the friendly form below). The variables it leaves out are not compared (model-only
  variables; they must then be determined by the compared ones and the action arguments);
- a method named after each model action that applies, `def close(self, impl, caller, port)`,
  called with the action's arguments as keywords (friendly form), returning whatever the
  implementation returns. An action with no such method is not applicable and is never drawn;
  a method may also return `NOT_APPLICABLE` for one call (then neither side moves);
- `refused(action, args, ret)` says whether a call's outcome is a refusal (default: the call
  raised an exception; the exception is `ret`). Override it for error codes, e.g. `ret < 0`;
- `returned(action, args, ret)` maps the call's return value to model variables compared after
  the step (default: none). A model that records the result of the last operation in a variable
  (an errno enum, say) is checked against the code the implementation returned this way.

The harness runs the model's Hypothesis state machine with the implementation alongside. At every
step it draws an enabled argument tuple of an applicable action (an outcome of the model), calls
the implementation and checks: the call is not refused; the abstracted state and returned values
equal those of one of the model's outcomes for those arguments. With `check_refusals` on, a rule
also draws argument tuples the model does *not* allow (no enabled path) and checks that the
implementation refuses them and leaves its state unchanged. Any mismatch raises
`ConformanceFailure`: a model trace (replayed) up to the state before the bad call, the call, and
the first differing variable with the path inside it (`chan[dom1][port2].state`).

Friendly form of values (both directions): bool, int; sort values as their index (int) — also
accepted: the printed name ("dom1"); enum values as the member name (str) — also accepted: the
index; options as None or the value; sets as sets; seqs as lists or tuples; maps as dicts keyed by
friendly keys (or a list in key order); records as dicts of fields (or tuples in field order).
"""
from __future__ import annotations

import time
from typing import Any

import hypothesis
from hypothesis.errors import Flaky
from hypothesis.stateful import precondition, rule

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.trace import Trace, TraceStep, replay
from xenmodel.types import (
    BoolT,
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SeqT,
    SetT,
    SortT,
    Type,
    differences,
    key_index,
    show,
    values,
)

from .hypothesis_core import CHOICE, group_by_target, pick
from .hypothesis_machine import MachineExtension, ModelFailure, make_settings, rule_name, run_as_test, state_machine

__all__ = ["Adapter", "NOT_APPLICABLE", "ConformanceFailure", "ConformanceReport", "AdapterError",
           "conformance_machine", "check_conformance", "assert_conforms", "to_python", "from_python",
           "first_difference"]


class _NotApplicable:
    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = _NotApplicable()


class AdapterError(Exception):
    """The adapter itself is wrong (a bad variable name, a value of the wrong shape): fix the adapter."""


class Adapter:
    """Base class of conformance adapters; see the module docstring."""

    def make(self) -> Any:
        raise NotImplementedError("Adapter.make() must return a fresh implementation object")

    def abstract(self, impl: Any) -> dict[str, Any]:
        raise NotImplementedError("Adapter.abstract(impl) must map the implementation to model variables")

    def refused(self, action: str, args: dict[str, Any], ret: Any) -> bool:
        return isinstance(ret, Exception)

    def returned(self, action: str, args: dict[str, Any], ret: Any) -> dict[str, Any]:
        return {}


# ------------------------------------------------------------------ values
def to_python(t: Type | None, v: Any) -> Any:
    """A model value (internal representation) in the friendly form."""
    assert t is not None, "a checked model has no open types"
    if isinstance(t, (BoolT, IntT, SortT)):
        return v
    if isinstance(t, EnumT):
        return t.members[v]
    if isinstance(t, OptionT):
        return None if v is None else to_python(t.inner, v)
    if isinstance(t, SetT):
        return {to_python(t.elem, x) for x in v}
    if isinstance(t, SeqT):
        return [to_python(t.elem, x) for x in v]
    if isinstance(t, MapT):
        return {_hashable(to_python(t.key, k)): to_python(t.value, x) for k, x in zip(values(t.key), v, strict=False)}
    if isinstance(t, RecordT):
        return {f: to_python(ft, x) for (f, ft), x in zip(t.fields, v, strict=False)}
    raise TypeError(f"no friendly form for {t}")


def _hashable(v: Any) -> Any:
    if isinstance(v, dict):
        return tuple(v.values())
    return v


def from_python(t: Type | None, v: Any, where: str = "value") -> Any:
    """A friendly (or internal) value as the model's internal representation; AdapterError if it does
    not fit `t`."""
    assert t is not None, "a checked model has no open types"
    def bad(why: str) -> AdapterError:
        return AdapterError(f"{where}: {v!r} is not a {t} ({why})")
    if isinstance(t, BoolT):
        if not isinstance(v, bool):
            raise bad("expected True or False")
        return v
    if isinstance(t, IntT):
        if isinstance(v, bool) or not isinstance(v, int):
            raise bad("expected an int")
        if t.lo is not None and t.hi is not None and not t.lo <= v <= t.hi:
            raise bad(f"outside {t.lo}..{t.hi}")
        return v
    if isinstance(t, SortT):
        if isinstance(v, str) and v.startswith(t.prefix) and v[len(t.prefix):].isdigit():
            v = int(v[len(t.prefix):])
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v < t.size:
            raise bad(f"expected an index 0..{t.size - 1} or a name {t.prefix}0..")
        return v
    if isinstance(t, EnumT):
        if isinstance(v, str):
            if v not in t.members:
                raise bad(f"members: {', '.join(t.members)}")
            return t.members.index(v)
        if hasattr(v, "name") and v.name in t.members:  # an enum.Enum member
            return t.members.index(v.name)
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(t.members):
            return v
        raise bad(f"members: {', '.join(t.members)}")
    if isinstance(t, OptionT):
        return None if v is None else from_python(t.inner, v, where)
    if isinstance(t, SetT):
        try:
            items = list(v)
        except TypeError:
            raise bad("expected a set") from None
        return frozenset(from_python(t.elem, x, f"{where} element") for x in items)
    if isinstance(t, SeqT):
        if not isinstance(v, (list, tuple)):
            raise bad("expected a list")
        if t.cap is not None and len(v) > t.cap:
            raise bad(f"longer than the capacity {t.cap}")
        return tuple(from_python(t.elem, x, f"{where}[{i}]") for i, x in enumerate(v))
    if isinstance(t, MapT):
        keys = values(t.key)
        if isinstance(v, dict):
            out = [None] * len(keys)
            seen = set()
            for k, x in v.items():
                kk = from_python(t.key, k, f"{where} key")
                i = key_index(t.key, kk)
                seen.add(i)
                out[i] = from_python(t.value, x, f"{where}[{show(t.key, kk)}]")
            if len(seen) != len(keys):
                missing = [show(t.key, k) for i, k in enumerate(keys) if i not in seen]
                raise bad(f"keys missing: {', '.join(missing)}")
            return tuple(out)
        if isinstance(v, (list, tuple)) and len(v) == len(keys):
            return tuple(from_python(t.value, x, f"{where}[{show(t.key, k)}]") for k, x in zip(keys, v, strict=False))
        raise bad(f"expected a dict with every key, or a list of {len(keys)} values in key order")
    if isinstance(t, RecordT):
        if isinstance(v, dict):
            names = [f for f, _ in t.fields]
            extra = set(v) - set(names)
            missing = [f for f in names if f not in v]
            if extra or missing:
                raise bad(f"fields missing: {missing}, unknown: {sorted(extra)}")
            return tuple(from_python(ft, v[f], f"{where}.{f}") for f, ft in t.fields)
        if isinstance(v, (list, tuple)) and len(v) == len(t.fields):
            return tuple(from_python(ft, x, f"{where}.{f}") for (f, ft), x in zip(t.fields, v, strict=False))
        raise bad("expected a dict of fields")
    raise AdapterError(f"{where}: type {t} has no friendly form")


def first_difference(t: Type | None, want: Any, got: Any, path: str) -> tuple[str, Type, Any, Any] | None:
    """The first place (a path like `chan[dom1][port2].state`) where two values of type t differ."""
    assert t is not None, "a checked model has no open types"
    if want == got:
        return None
    if isinstance(t, MapT):
        for k, a, b in zip(values(t.key), want, got, strict=False):
            d = first_difference(t.value, a, b, f"{path}[{show(t.key, k)}]")
            if d is not None:
                return d
    elif isinstance(t, RecordT):
        for (f, ft), a, b in zip(t.fields, want, got, strict=False):
            d = first_difference(ft, a, b, f"{path}.{f}")
            if d is not None:
                return d
    elif isinstance(t, SeqT) and len(want) == len(got):
        for i, (a, b) in enumerate(zip(want, got, strict=False)):
            d = first_difference(t.elem, a, b, f"{path}[{i}]")
            if d is not None:
                return d
    return path, t, want, got


def compact_trace(model: ir.Model, trace: Trace) -> str:
    """A trace with only the changed leaves of each step (map entries and record fields)."""
    lines = []
    prev: tuple[Any, ...] = ()
    for i, step in enumerate(trace.steps):
        if step.action == "init":
            lines.append("step 0: init")
            for v, x in zip(model.vars, step.state, strict=False):
                lines.append(f"    {v.name} = {show(v.type, x)}")
        else:
            action = model.action(step.action)
            assert action is not None
            picks = ("  picks: " + ", ".join(f"{n}={x}" for n, x in step.picks)) if step.picks else ""
            lines.append(f"step {i}: {step.action}({S.show_args(action, step.args)}){picks}")
            changed = [d for v, a, b in zip(model.vars, prev, step.state, strict=False)
                       for d in differences(v.type, a, b, v.name)]
            for path, a, b in changed:
                lines.append(f"    {path}: {a} -> {b}")
            if not changed:
                lines.append("    (no variable changed)")
        prev = step.state
    return "\n".join(lines)


# ------------------------------------------------------------------ failures
class ConformanceFailure(AssertionError):
    """The implementation disagrees with the model.

    kind: "state" (abstracted state differs after a step), "result" (returned value differs),
    "refused" (the model allows the call, the implementation refused it), "accepted" (the model
    has no enabled path for the call, the implementation did not refuse it), "changed" (a refused
    call changed the implementation's state), "init" (the initial state differs).
    trace: the model's run (replayed) up to the state in which the call was made; call: the
    (action, args) made then; variable/path/model_value/impl_value: the first difference.
    """

    def __init__(self, model: ir.Model, kind: str, trace: Trace, call: tuple[str, tuple[Any, ...]] | None,
                 detail: str, variable: str | None = None, path: str | None = None,
                 model_value: str | None = None, impl_value: str | None = None, seed: int | None = None):
        super().__init__(f"conformance failure ({kind})")
        self.model, self.kind, self.trace, self.call, self.detail = model, kind, trace, call, detail
        self.variable, self.path, self.model_value, self.impl_value = variable, path, model_value, impl_value
        self.seed = seed

    def render(self) -> str:
        lines = [f"conformance failure: {self.detail}"]
        if self.call is not None:
            name, args = self.call
            action = self.model.action(name)
            assert action is not None
            lines.append(f"  call (after step {len(self.trace)}): {name}({S.show_args(action, args)})")
        if self.variable is not None:
            lines.append(f"  first differing variable: `{self.variable}`"
                         + (f", at {self.path}" if self.path and self.path != self.variable else ""))
            lines.append(f"    model:          {self.model_value}")
            lines.append(f"    implementation: {self.impl_value}")
        lines.append(f"model trace up to the call ({len(self.trace)} step(s)):")
        lines.append(compact_trace(self.model, self.trace))
        if self.seed is not None:
            lines.append(f"seed: {self.seed}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


# ------------------------------------------------------------------ the machine
class _Conf(MachineExtension):
    """The MachineExtension that runs the implementation beside the model."""

    def __init__(self, model: ir.Model, adapter: Adapter, check_refusals: bool) -> None:
        self.model = model
        self.adapter = adapter
        self.check_refusals = check_refusals
        self.tag = f"conformance:{type(adapter).__module__}.{type(adapter).__qualname__}:{check_refusals}"
        self.var_index = {v.name: v for v in model.vars}
        self.stats = {"calls": 0, "refusals_checked": 0, "not_applicable": 0}
        self.actions = [a for a in model.actions if self.applicable(a)]
        if not self.actions:
            raise AdapterError(f"the adapter {type(adapter).__name__} has a method for no action of model "
                               f"`{model.name}` (actions: {', '.join(a.name for a in model.actions)})")

    def applicable(self, action: ir.Action) -> bool:
        return callable(getattr(self.adapter, action.name, None))

    # --- abstraction
    def observe(self, impl: Any, call: tuple[str, dict[str, Any]] | None = None, ret: Any = None) -> dict[int, Any]:
        """Variable index -> internal value, from abstract() plus returned()."""
        got = dict(self.adapter.abstract(impl))
        if call is not None:
            got.update(self.adapter.returned(call[0], call[1], ret))
        out = {}
        for name, val in got.items():
            decl = self.var_index.get(name)
            if decl is None:
                raise AdapterError(f"the adapter reports variable `{name}`, which model `{self.model.name}` "
                                   f"does not have (variables: {', '.join(self.var_index)})")
            out[decl.index] = from_python(decl.type, val, f"variable `{name}`")
        return out

    def first_diff(self, state: tuple[Any, ...], got: dict[int, Any]) -> Any:
        for decl in self.model.vars:
            if decl.index in got and got[decl.index] != state[decl.index]:
                d = first_difference(decl.type, state[decl.index], got[decl.index], decl.name)
                assert d is not None, "the values differ"
                path, t, a, b = d
                return decl.name, path, show(t, a), show(t, b)
        return None

    def matches(self, state: tuple[Any, ...], got: dict[int, Any]) -> bool:
        return all(state[i] == v for i, v in got.items())

    # --- hooks
    def start(self, machine: Any) -> None:
        machine.impl = self.adapter.make()

    def fail(self, machine: Any, kind: Any, call: Any, detail: Any, diff: Any = None) -> None:
        trace = Trace(tuple(machine.trace_steps))
        if trace.steps:
            replay(self.model, trace)
        var = path = mv = iv = None
        if diff is not None:
            var, path, mv, iv = diff
        raise ConformanceFailure(self.model, kind, trace, call, detail, var, path, mv, iv)

    def init(self, machine: Any, o: Any) -> Any:
        got = self.observe(machine.impl)
        steps = [s for s in machine.core.inits if isinstance(s, S.Step)]
        for s in [o] + steps:
            if self.matches(s.state, got):
                return s
        machine.trace_steps = [TraceStep("init", (), o.picks, o.state)]
        self.fail(machine, "init", None, "the implementation's initial state is no initial state of the model",
                  self.first_diff(o.state, got))

    def call(self, machine: Any, action: ir.Action, args: tuple[Any, ...]) -> tuple[dict[Any, Any], Any]:
        kw = {p.name: to_python(p.type, a) for p, a in zip(action.params, args, strict=False)}
        try:
            ret = getattr(self.adapter, action.name)(machine.impl, **kw)
        except Exception as err:  # a refusal or a crash: refused() decides
            ret = err
        self.stats["calls"] += 1
        return kw, ret

    def action_rule(self, action: ir.Action) -> Any:
        conf = self

        def body(self: Any, k: Any) -> None:
            args, outs = pick(k, conf.arg_groups(self, action))
            steps = [o for o in outs if isinstance(o, S.Step)]
            if not steps:  # every path of the model errs: the model is at fault, not the implementation
                self.take_outcome(outs[0])
            kw, ret = conf.call(self, action, args)
            if ret is NOT_APPLICABLE:
                conf.stats["not_applicable"] += 1
                return
            label = (action.name, args)
            if conf.adapter.refused(action.name, kw, ret):
                conf.fail(self, "refused", label, f"the model allows {action.name}, the implementation "
                                                  f"refused it: {ret!r}")
            if isinstance(ret, Exception):
                conf.fail(self, "refused", label, f"the implementation raised {ret!r}")
            got = conf.observe(self.impl, (action.name, kw), ret)
            for o in steps:
                if conf.matches(o.state, got):
                    self.take_outcome(o)
                    return
            diff = conf.first_diff(steps[0].state, got)
            kind = "result" if diff is not None and diff[0] not in conf.adapter.abstract(self.impl) else "state"
            conf.fail(self, kind, label, f"after {action.name}, the implementation's state is not the model's",
                      diff)
        body.__name__ = rule_name(action.name)
        body.__qualname__ = body.__name__
        body.__doc__ = action.doc or f"action {action.name}"
        return precondition(lambda self: self.state is not None
                            and any(outs for _, outs in self.outcomes_by_args(action)))(rule(k=CHOICE)(body))

    def stuck(self, machine: Any) -> bool:
        if any(outs for a in self.actions for _, outs in machine.outcomes_by_args(a)):
            return False
        return not (self.check_refusals
                    and any(not outs for a in self.actions for _, outs in machine.outcomes_by_args(a)))

    def arg_groups(self, machine: Any, action: ir.Action) -> list[list[Any]]:
        """The enabled argument tuples grouped by the outcomes they lead to (cached per state)."""
        def compute() -> list[list[Any]]:
            return group_by_target(((args, outs) for args, outs in machine.outcomes_by_args(action) if outs),
                                   key=lambda item: tuple(o.state if isinstance(o, S.Step) else o.error.code
                                                          for o in item[1]))
        groups: list[list[Any]] = machine.per_state(("conf", action.name), compute)
        return groups

    def extra_rules(self) -> dict[str, Any]:
        conf = self
        if not self.check_refusals:
            return {}

        def disabled(self: Any) -> list[tuple[ir.Action, tuple[Any, ...]]]:
            return [(a, args) for a in conf.actions for args, outs in self.outcomes_by_args(a) if not outs]

        @precondition(lambda self: self.state is not None and bool(disabled(self)))
        @rule(k=CHOICE)
        def refused_call(self: Any, k: Any) -> None:
            action, args = pick(k, [disabled(self)])
            before = conf.observe(self.impl)
            kw, ret = conf.call(self, action, args)
            if ret is NOT_APPLICABLE:
                conf.stats["not_applicable"] += 1
                return
            conf.stats["refusals_checked"] += 1
            label = (action.name, args)
            if not conf.adapter.refused(action.name, kw, ret):
                conf.fail(self, "accepted", label, f"the model does not allow {action.name} here, the "
                                                   f"implementation accepted it (returned {ret!r})")
            after = conf.observe(self.impl)
            if after != before:
                conf.fail(self, "changed", label, f"the implementation refused {action.name} ({ret!r}) but its "
                                                  f"state changed", conf.first_diff(self.state, after))
        return {"refused_call": refused_call}


def conformance_machine(model: ir.Model, adapter: Adapter, *, check_refusals: bool = True,
                        deadlock: bool = False, memo: int = 100_000, settings: Any = None) -> Any:
    """The model's state machine with the implementation run alongside (a RuleBasedStateMachine class;
    `.TestCase` for unittest/pytest). Failures raise ConformanceFailure or ModelFailure."""
    conf = _Conf(model, adapter, check_refusals)
    cls = state_machine(model, deadlock=deadlock, memo=memo, settings=settings, extension=conf)
    cls.conformance = conf
    return cls


class ConformanceReport:
    """The outcome of check_conformance: ok, the failure (ConformanceFailure or ModelFailure), stats."""

    def __init__(self, model: ir.Model, failure: AssertionError | None, stats: dict[str, Any],
                 seed: int | None) -> None:
        self.model, self.failure, self.stats, self.seed = model, failure, stats, seed

    @property
    def ok(self) -> bool:
        return self.failure is None

    def text(self) -> str:
        if self.failure is None:
            return (f"conformance: no mismatch in {self.stats['test_cases']} test case(s), "
                    f"{self.stats['calls']} call(s), {self.stats['refusals_checked']} refusal(s) checked "
                    f"(a sample, not a proof); seed {self.seed}")
        return str(self.failure)


def check_conformance(model: ir.Model, adapter: Adapter, *, max_examples: int = 100, steps: int = 30,
                      seed: int | None = 0, check_refusals: bool = True, deadlock: bool = False,
                      derandomize: bool = False, database: Any = None) -> ConformanceReport:
    """Run the conformance machine under Hypothesis (shrinking any failure) and report."""
    cls = conformance_machine(model, adapter, check_refusals=check_refusals, deadlock=deadlock)
    cls.core.reset_stats()

    def factory() -> Any:
        return cls()
    if seed is not None and not derandomize:
        factory = hypothesis.seed(seed)(factory)
    started = time.perf_counter()
    failure: AssertionError | None = None
    try:
        run_as_test(factory, settings=make_settings(max_examples, steps, derandomize, database))
    except (ConformanceFailure, ModelFailure) as err:
        failure = err
        err.seed = seed
    except Flaky as err:
        raise AssertionError(f"the implementation does not behave the same way twice on the same calls "
                             f"(Hypothesis: {err}); is its state shared between test cases?") from err
    stats = dict(cls.core.stats)
    stats.update(cls.conformance.stats)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return ConformanceReport(model, failure, stats, seed)


def assert_conforms(model: ir.Model, adapter: Adapter, **kw: Any) -> ConformanceReport:
    """check_conformance, raising the (readable) failure; for use in a test."""
    report = check_conformance(model, adapter, **kw)
    if report.failure is not None:
        raise report.failure
    return report

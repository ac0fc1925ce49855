"""Discharging proof obligations (queries.py) with Z3, one task at a time (what a worker process runs).

A task is the init block's obligations, or one action's. Its obligations share the encoding (Z3 terms:
the pre-state, the action's instances, the properties on the pre- and post-states), built in a fixed
order so that fresh names do not depend on which obligations are asked; each obligation is then asked
on fresh solvers (seeded like every Z3 engine's) given only what it needs: the domain constraints of
its slice's variables and the properties it assumes (slicing.py). A solver is used for one check,
without push/pop.

Case split: a consecution obligation is asked once per instance of the action (per tuple of enumerated
parameters), each case on its own solver; it is unsat exactly when every case is. The one query over
all instances (one fired instance chosen by a pseudo-Boolean constraint) is what made the memory proof
not finish at `default`: mm_decrease_reservation's error query took 227 s as one query, and 1 s per
case split four ways.

A sat sliced query is re-asked unsliced (every property, every variable) before it counts as a
counterexample to induction (CTI), and the CTI comes from the unsliced query: its pre-state satisfies
every property. Every trace is replayed through the reference semantics before it leaves this module.
"""
from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, Literal

import z3

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.result import Violation
from xenmodel.trace import Trace, TraceStep, replay

from .encode_stmts import Encoder
from .queries import Obligation
from .runtime import Instance, Model, name_sym
from .unroll import InternalError, init_error, make_solver, model_ok, query, reference_error
from .values import Bool, EncodingError, I, MapV, Opt, RecV, SeqV, SetV, Sym, eq, mk_and, mk_not

Answer = Literal["unsat", "sat", "unknown", "unsupported"]


@dataclass(frozen=True)
class Outcome:
    """What one obligation gave. `trace`: for sat, the violation (init kinds, initiation) or the CTI."""
    index: int
    answer: Answer
    seconds: float
    reason: str | None = None  # unknown: Z3's reason_unknown; unsupported: the encoding's message
    trace: Trace | None = None
    resliced: bool = False  # the sliced query was sat and was re-asked unsliced
    cached: bool = False  # the answer came from the proof cache


def replay_transitions(model: ir.Model, trace: Trace) -> None:
    """Replay a counterexample to induction: its first state need not be initial. Raises ReplayError."""
    replay(model, trace, from_initial=False)


@dataclass(frozen=True)
class Task:
    """A unit of work for one process: the init kinds, or the consecution kinds of one action. The
    obligations of a task share one encoding (the pre-state, the action's instances, the properties);
    each obligation is still asked on its own solver."""
    action: str | None  # None: the init block
    obligations: tuple[Obligation, ...]


class Session:
    """The encodings of one model kept across tasks, for a caller that asks many obligation sets of one
    model (infer: each round asks the targets and the lemmas kept so far). `model` holds every property
    a task may name; a task's model is a view of it (`view`: the same model with some of its
    properties), and the view's properties are what an unsliced query assumes and what a CTI is
    checked against, exactly as if the view had been loaded alone. Each action's encoding (the
    pre-state, the instances, each property on the pre- and post-states) is built once, when first
    needed, and reused by every later task; each obligation is still asked on fresh solvers. Fresh
    names are made in a fixed order (the variables, then the instances; properties make none), so the
    terms do not depend on which tasks came before."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self._contexts: dict[str | None, _Init | _Step] = {}
        # every action's pre-state is the same Z3 constants (made first, in model order, by a fresh
        # Encoder), so a property on the pre-state is one term for all of them: encoded once per run,
        # not once per action (`_Shared`; a step whose constants differ keeps its own encodings)
        self.shared = _Shared()

    def view(self, names: Collection[str]) -> ir.Model:
        keep = set(names)
        return dataclasses.replace(self.model, properties=tuple(p for p in self.model.properties if p.name in keep))

    def context(self, action: str | None) -> _Init | _Step:
        if action not in self._contexts:
            self._contexts[action] = (_Init(self.model) if action is None
                                      else _Step(self.model, action, tied=True, shared=self.shared))
        return self._contexts[action]


def run_task(model: ir.Model, task: Task, end: float | None,
             on_outcome: Callable[[Outcome], None] | None = None, session: Session | None = None) -> list[Outcome]:
    """Every obligation of the task, in order, with solver time until the monotonic clock reads `end`
    (None: no limit); on_outcome sees each outcome as it comes. Once the time is up the rest are
    unknown. With a session, `model` is a view of the session's model and the encodings are the
    session's."""
    out: list[Outcome] = []

    def done(o: Outcome) -> None:
        out.append(o)
        if on_outcome is not None:
            on_outcome(o)

    try:
        ctx: _Init | _Step
        if session is not None:
            ctx = session.context(task.action)
        else:
            ctx = _Init(model) if task.action is None else _Step(model, task.action)
        for ob in task.obligations:
            started = time.perf_counter()
            left = None if end is None else end - time.monotonic()
            try:
                answer, reason, trace, resliced = ctx.ask(ob, Deadline(left), model)
            except EncodingError as err:
                answer, reason, trace, resliced = "unsupported", str(err), None, False
            done(Outcome(ob.index, answer, round(time.perf_counter() - started, 4), reason, trace, resliced))
    except OutOfTime:  # the run's deadline: an alarm in-process, or no time left for a query
        pass
    except EncodingError as err:  # the shared encoding itself
        for ob in task.obligations[len(out):]:
            done(Outcome(ob.index, "unsupported", 0.0, str(err)))
    for ob in task.obligations[len(out):]:
        done(Outcome(ob.index, "unknown", 0.0, TIME_UP))
    return out


TIME_UP = "the run's deadline passed"


def _check(solver: Any, dl: Deadline) -> tuple[Answer, str | None, Model | None]:
    r = query(solver, dl)
    if r == z3.sat:
        m = _fresh_model(solver, dl)
        if m is not None and model_ok(solver, m):
            return "sat", None, m
        return "unknown", "a sat answer whose model fails the assertions (cut short)", None
    if r == z3.unsat:
        return "unsat", None, None
    return "unknown", str(solver.reason_unknown()), None


def _fresh_model(solver: Any, dl: Deadline) -> Model | None:
    """The model of a sat query, found again in a fresh Z3 context. Which model Z3 returns depends on
    the numbering of terms, and that depends on every term the process made before (other tasks, in an
    order that depends on the workers); a copy of the assertions in a fresh context is numbered by the
    query alone, so the counterexample is the same with any number of workers."""
    ctx = z3.Context()
    again = solver.translate(ctx)
    again.set("random_seed", 0)
    if query(again, dl) != z3.sat:
        return None
    return again.model().translate(z3.main_ctx())


# ------------------------------------------------------------------ the init block
class _Init:
    """The init block encoded once; each obligation gets a fresh solver with it."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self.enc = enc = Encoder(model)
        self.init = init = enc.init()
        defs: list[Bool] = []
        self.s0 = [name_sym(x, f"i.{v.name}", enc.fresh.counter, defs)
                   for x, v in zip(init.next, model.vars, strict=True)]
        self.base = enc.fresh.take_side() + defs

    def ask(self, ob: Obligation, dl: Deadline, model: ir.Model) -> tuple[Answer, str | None, Trace | None, bool]:
        """`model`: the task's model (this one, or a view of it: Session)."""
        enc, init = self.enc, self.init
        solver = make_solver()
        solver.add(*self.base)
        if ob.kind == "init-errors":
            err = init.err_any()
            if z3.is_false(err):
                return "unsat", None, None, False
            solver.add(err)
            answer, reason, m = _check(solver, dl)
            return answer, reason, None if m is None else init_error(model, init, m, {}, "induction").trace, False
        solver.add(init.en)
        if ob.kind == "some-initial-state":
            answer, reason, _ = _check(solver, dl)
            return answer, reason, None, False
        prop = _prop(model, ob.prop)
        bad, _ = enc.prop(prop, self.s0)
        for c in enc.fresh.take_side():
            solver.add(c)
        solver.add(bad)
        answer, reason, m = _check(solver, dl)
        if m is None:
            return answer, reason, None, False
        state = enc.state_value(m, self.s0)
        failed = dict((q.name, e) for q, e in S.check_properties(model, state))
        if prop.name not in failed:
            raise InternalError(f"induction: the solver's initial state does not break {prop.name} in the "
                                "reference semantics")
        trace = Trace((TraceStep("init", (), init.picks_in(m), state),),
                      Violation.of_property(prop, failed[prop.name]))
        replay(model, trace)
        return answer, reason, trace, False


# ------------------------------------------------------------------ consecution
class _Shared:
    """A Session's encodings of properties on the pre-state, shared by its actions' steps. The first step
    fixes the pre-state's constants (`leaves`); a later step uses these encodings only when its own
    pre-state is the same constants (z3 `eq`: the same AST), so every term means what the step's own
    encoding would (properties make no fresh names: Encoder.prop depends on the model and the state)."""

    def __init__(self) -> None:
        self.leaves: list[Any] | None = None
        self.bad: dict[str, Bool] = {}
        self.good: dict[str, Bool] = {}

    def admits(self, leaves: list[Any]) -> bool:
        if self.leaves is None:
            self.leaves = leaves
            return True
        return len(leaves) == len(self.leaves) and all(a.eq(b) for a, b in zip(leaves, self.leaves, strict=True))


class _Step:
    """One action from a symbolic pre-state: every variable a fresh sym (named in model order, then the
    instances' choices, so the names do not depend on which obligations are asked), the properties
    encoded on the pre-state and on each instance's post-state when first needed (properties make no
    fresh names). An obligation is split by case, one per instance of the action (one per tuple of
    enumerated parameters): it is unsat exactly when every case is. Each case is its own solver,
    given the domain constraints of the slice's variables, the slice's assumptions and the case.

    `tied` (a Session's steps, which ask the same properties of many views): a property is encoded
    once per action, not once per instance, on a fresh post-state of the variables' own shape (the
    pre-state's encoding with its variables renamed by z3.substitute), and each instance's case ties
    that post-state to the instance's next state by equality (values.eq, the encoding's semantic
    equality). The tie is a definition of fresh variables, so each case is sat exactly when the
    untied one is; the post-state's domain constraints hold of every next state a completed step
    leaves (a store out of a variable's range is a model error)."""

    def __init__(self, model: ir.Model, action: str, tied: bool = False, shared: _Shared | None = None) -> None:
        self.model = model
        self.enc = enc = Encoder(model)
        a = model.action(action)
        if a is None:
            raise InternalError(f"induction: no action {action}")
        self.action = a
        self.pre: list[Sym] = []
        self.var_side: dict[str, list[Bool]] = {}
        for v in model.vars:
            self.pre.append(enc.fresh.sym(v.type, f"pre.{v.name}"))
            self.var_side[v.name] = enc.fresh.take_side()
        pre_leaves = _leaves(self.pre)
        # a Session's properties on the pre-state, when this step's pre-state is the shared one
        mine = shared is not None and shared.admits(pre_leaves)
        self.bad_pre: dict[str, Bool] = shared.bad if mine and shared is not None else {}
        self.good_pre: dict[str, Bool] = shared.good if mine and shared is not None else {}
        self.insts = enc.instances(self.pre, "pre", (a,))
        self.inst_side = enc.fresh.take_side()
        self.props = {p.name: p for p in model.properties}
        self.bad_post: dict[tuple[int, str], Bool] = {}
        self.tied = tied
        if tied:
            self.post = [enc.fresh.sym(v.type, f"post.{v.name}") for v in model.vars]
            self.post_side = enc.fresh.take_side()
            self.renamed = list(zip(pre_leaves, _leaves(self.post), strict=True))
            self.ties: dict[int, Bool] = {}

    def _bad(self, name: str) -> Bool:
        if name not in self.bad_pre:
            self.bad_pre[name] = self.enc.prop(self.props[name], self.pre)[0]
        return self.bad_pre[name]

    def good(self, name: str) -> Bool:
        if name not in self.good_pre:
            self.good_pre[name] = mk_not(self._bad(name))
        return self.good_pre[name]

    def bad_after(self, i: int, name: str) -> Bool:
        if not self.tied:
            if (i, name) not in self.bad_post:
                self.bad_post[(i, name)] = self.enc.prop(self.props[name], self.insts[i].next)[0]
            return self.bad_post[(i, name)]
        if (-1, name) not in self.bad_post:
            self.bad_post[(-1, name)] = z3.substitute(self._bad(name), *self.renamed)
        if (i, name) not in self.bad_post:
            if i not in self.ties:
                nxt = self.insts[i].next
                self.ties[i] = mk_and(*self.post_side, *(eq(a, b) for a, b in zip(self.post, nxt, strict=True)))
            self.bad_post[(i, name)] = mk_and(self.ties[i], self.bad_post[(-1, name)])
        return self.bad_post[(i, name)]

    def ask(self, ob: Obligation, dl: Deadline, model: ir.Model) -> tuple[Answer, str | None, Trace | None, bool]:
        """`model`: the task's model (this one, or a view of it: Session); "whole" means its properties."""
        answer, reason, trace = self._cases(ob, dl, model, whole=not ob.sliced)
        if answer == "sat" and ob.sliced:  # the slice may have dropped what mattered: ask it whole
            answer, reason, trace = self._cases(ob, dl, model, whole=True)
            return answer, reason, trace, True
        return answer, reason, trace, False

    def _cases(self, ob: Obligation, dl: Deadline, model: ir.Model,
               whole: bool) -> tuple[Answer, str | None, Trace | None]:
        names = [v.name for v in model.vars] if whole else ob.vars
        assumed = [p.name for p in model.properties] if whole else ob.assumed
        base = [c for n in names for c in self.var_side[n]] + [self.good(p) for p in assumed] + self.inst_side
        reasons: list[str] = []
        for i, inst in enumerate(self.insts):
            case = (inst.err_any() if ob.kind == "consecution-errors"
                    else mk_and(inst.en, self.bad_after(i, ob.prop or "")))
            if z3.is_false(case):
                continue
            solver = make_solver()
            _assert_all(solver, [*base, case])
            answer, reason, m = _check(solver, dl)
            if answer == "unknown":
                reasons.append(f"{inst.label()}: {reason}")
            elif m is not None:
                if not whole:
                    return answer, reason, None
                if ob.kind == "consecution-errors":
                    return answer, reason, _cti_error_trace(model, self.enc, m, self.pre, inst)
                return answer, reason, _cti_build(model, self.enc, m, self.pre, inst, self.props[ob.prop or ""])
        if reasons:
            return "unknown", "; ".join(reasons), None
        return "unsat", None, None


def _assert_all(solver: Any, terms: list[Any]) -> None:
    """solver.add(*terms), each Bool term asserted through Z3's C API directly: the same assertions in
    the same order, without z3py's per-term checks and casts (a query asserts a hundred properties)."""
    ctx, ref = solver.ctx.ref(), solver.solver
    for t in terms:
        if isinstance(t, z3.BoolRef) and t.ctx is solver.ctx:
            z3.Z3_solver_assert(ctx, ref, t.as_ast())
        else:
            solver.add(t)


def _leaves(syms: list[Sym]) -> list[Any]:
    """The Z3 constants of fresh syms (runtime.Fresh.sym), in a fixed order."""
    out: list[Any] = []
    stack = list(reversed(syms))
    while stack:
        x = stack.pop()
        if isinstance(x, I):
            out.append(x.t)
        elif isinstance(x, Opt):
            stack.extend(reversed([x.p, x.v]))
        elif isinstance(x, SetV):
            out.extend(x.bits)
        elif isinstance(x, SeqV):
            stack.extend(reversed([x.n, *x.slots]))
        elif isinstance(x, MapV):
            stack.extend(reversed(x.slots))
        elif isinstance(x, RecV):
            stack.extend(reversed(x.fields))
        else:
            out.append(x)  # a Bool
    return out


def _prop(model: ir.Model, name: str | None) -> ir.Property:
    for p in model.properties:
        if p.name == name:
            return p
    raise InternalError(f"induction: no property {name}")


def _cti_build(model: ir.Model, enc: Encoder, m: Model, pre: list[Sym], inst: Instance,
               prop: ir.Property) -> Trace:
    s = enc.state_value(m, pre)
    t = enc.state_value(m, inst.next)
    failed = dict((q.name, e) for q, e in S.check_properties(model, t))
    if prop.name not in failed:
        raise InternalError(f"induction: the solver's post-state does not break {prop.name} in the reference "
                            "semantics")
    trace = Trace((TraceStep("init", (), (), s), TraceStep(inst.action.name, inst.args_in(m), inst.picks_in(m), t)),
                  Violation.of_property(prop, failed[prop.name]))
    replay_transitions(model, trace)
    return trace


def _cti_error_trace(model: ir.Model, enc: Encoder, m: Model, pre: list[Sym], inst: Instance) -> Trace:
    s = enc.state_value(m, pre)
    args, picks = inst.args_in(m), inst.picks_in(m)
    o = reference_error(model, s, inst.action, args, picks)
    if o is None:
        raise InternalError(f"induction: {inst.action.name}{args} does not fail in the reference semantics")
    trace = Trace((TraceStep("init", (), (), s),), Violation.of_error(o))
    replay_transitions(model, trace)
    return trace

"""Proofs with Z3: induction with counterexamples to induction (`xenmodel prove`), and k-induction.

`prove`: every invariant and lemma P of the model (lemma files add lemmas by including the spec):
  - initiation: every initial state satisfies every P (a failure is a real violation, with a trace);
  - consecution, per action A and per property P (like Hyperkernel's per-system-call checks): from any
    state satisfying every property, no step of A (any parameters, any choices) leads to a state
    breaking P, and no step of A raises a model error or a failed assert.
Status "holds" only when every query is unsat. A model without properties still gets its init block,
its asserts and its model errors checked (and, as in every engine, having no initial state is a
violation). `timeout` is one deadline for the whole run: each query gets the time left; when it
passes (or on Ctrl-C) the answer is unknown, with the queries asked so far (and the first CTI, if any).
A satisfiable consecution query is a counterexample to induction (CTI): a state that satisfies the
properties but need not be reachable, and one step of A out
of it. It is returned as a two-step trace (the pre-state as step 0, marked stats["cti"] = True) with
status "unknown" and reason "not inductive: action A breaks invariant I". Its transition (not its
pre-state) is replayed through the reference semantics.

`prove_k`: k-induction with the simple-path constraint. Base: bounded model checking to depth k-1 (a
violation there is real). Step: for any path s_0..s_k of pairwise distinct states where every property
holds and no error is raised in s_0..s_{k-1}, no property fails and no error is raised in s_k.
"""
from __future__ import annotations

import ctypes
import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

import z3

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.ir_walk import vars_touched
from xenmodel.result import EngineOptions, Progress, ProgressUpdate, Result, Violation
from xenmodel.trace import Trace, TraceStep, replay
from xenmodel.types import BoolT

from . import bmc
from .encode_stmts import Encoder
from .runtime import Instance, Model, name_sym
from .unroll import (
    InternalError,
    Unroller,
    cut_short,
    fire_one,
    init_error,
    make_solver,
    model_ok,
    no_initial_state,
    query,
    reference_error,
    successor,
    timed_out,
    unsupported,
)
from .values import Bool, EncodingError, Sym, mk_not, mk_or

PROVE_SUPPORTED = frozenset({"timeout"})
PROVE_K_SUPPORTED = frozenset({"timeout", "k"})
Stats = Callable[..., dict[str, Any]]
Ask = Callable[[Any, Bool, str], tuple[Any, Model | None]]


# ------------------------------------------------------------------ replay of a CTI's transitions

def _temporals_unchecked(model: ir.Model) -> tuple[str, ...]:
    """Induction proves invariants and asserts only: a model's temporal properties are named as unchecked."""
    if not model.temporals:
        return ()
    return (f"temporal properties not checked: {', '.join(t.name for t in model.temporals)} (induction proves "
            "invariants; `xenmodel check` checks them)",)

def replay_transitions(model: ir.Model, trace: Trace) -> None:
    """Replay a counterexample to induction: its first state need not be initial. Raises ReplayError."""
    replay(model, trace, from_initial=False)


def _matter(model: ir.Model, prop: ir.Property, action: ir.Action) -> str:
    """The state variables the property and the action read or write ("the variables that matter")."""
    idx = vars_touched(prop.expr) | vars_touched(action.body)
    return ", ".join(model.vars[i].name for i in sorted(idx))


# ------------------------------------------------------------------ induction
def prove(model: ir.Model, opts: EngineOptions | Mapping[str, Any]) -> Result:
    """Options: timeout (seconds for the whole run), progress (text lines). Raises OptionError for a set
    option this engine would ignore."""
    o = EngineOptions.of(opts)
    o.refuse_unsupported("induction", PROVE_SUPPORTED)
    dl = Deadline(o.timeout)
    progress = o.progress
    started = time.perf_counter()
    engine = "induction"
    props = model.properties
    # the queries asked at most: init errors, some initial state, initiation per property, per action its
    # errors and each property
    planned = 2 + len(props) + len(model.actions) * (1 + len(props))
    run: dict[str, Any] = {"queries": 0, "cti": None}  # queries asked so far; the first CTI's result once found

    def stats(**extra: Any) -> dict[str, Any]:
        return {"queries": run["queries"], "seconds": round(time.perf_counter() - started, 3), **extra}

    def stopped(why: str) -> Result:
        where = f"{why} with {run['queries']} of at most {planned} queries asked"
        if run["cti"] is not None:  # a CTI found before the stop is still worth showing
            res: Result = run["cti"]
            return dataclasses.replace(res, messages=(*res.messages,
                                                      f"{where}: the remaining queries were not asked"))
        return Result.unknown(model, engine, f"{where} (statistics so far)", stats())

    def ask(solver: Any, f: Bool, what: str) -> tuple[Any, Model | None]:
        run["queries"] += 1
        t0 = time.perf_counter()
        r, m = _check_with(solver, dl, f)
        if progress:
            progress(ProgressUpdate(engine, what, time.perf_counter() - started, done=run["queries"], total=planned,
                                    message=f"{r} in {time.perf_counter() - t0:.3f}s"))
        if r == z3.unknown and dl.expired():
            raise OutOfTime()  # Z3 gave up because the run's time is up, not for its own reasons
        return r, m

    try:
        with dl.armed(), S.recursion_headroom(model):
            return _prove(model, engine, props, run, stats, ask)
    except EncodingError as err:
        return unsupported(model, engine, err, stats())
    except OutOfTime:
        return stopped(timed_out(dl))
    except KeyboardInterrupt:
        return stopped("interrupted (Ctrl-C)")
    except ctypes.ArgumentError as err:
        return stopped(cut_short(err, dl))


def _prove(model: ir.Model, engine: str, props: tuple[ir.Property, ...], run: dict[str, Any], stats: Stats,
           ask: Ask) -> Result:
    """The queries of prove(); a model without properties still has its init block, asserts and model
    errors checked (no early "holds")."""
    enc = Encoder(model)
    solver = make_solver()
    # ---- initiation
    init = enc.init()
    defs: list[Bool] = []
    s0 = [name_sym(x, f"i.{v.name}", enc.fresh.counter, defs) for x, v in zip(init.next, model.vars, strict=True)]
    for c in enc.fresh.take_side() + defs:
        solver.add(c)
    init_err = init.err_any()
    if not z3.is_false(init_err):
        r, m = ask(solver, init_err, "init block: model errors and asserts")
        if r == z3.unknown:
            return _unknown(model, engine, solver, "init errors", stats)
        if r == z3.sat:
            return init_error(model, init, m, stats(), engine)
    solver.add(init.en)
    r, _ = ask(solver, z3.BoolVal(True), "init block: some initial state")
    if r == z3.unknown:
        return _unknown(model, engine, solver, "initial states", stats)
    if r == z3.unsat:  # no initial state: a violation in every engine, not a vacuous proof
        return no_initial_state(model, stats(), engine)
    for p in props:
        bad, _ = enc.prop(p, s0)
        for c in enc.fresh.take_side():
            solver.add(c)
        r, m = ask(solver, bad, f"initiation {p.name}")
        if r == z3.sat:
            state = enc.state_value(m, s0)
            trace = Trace((TraceStep("init", (), init.picks_in(m), state),),
                          Violation.of_property(p, dict((q.name, e) for q, e in
                                                        S.check_properties(model, state)).get(p.name)))
            replay(model, trace)
            return Result.violated(model, engine, trace, stats())
        if r == z3.unknown:
            return _unknown(model, engine, solver, f"initiation of {p.name}", stats)
    # ---- consecution
    solver = make_solver()
    pre = enc.state("pre")
    for p in props:
        bad, _ = enc.prop(p, pre)
        solver.add(mk_not(bad))
    insts = enc.instances(pre, "pre")
    for c in enc.fresh.take_side():
        solver.add(c)
    failures: list[str] = []
    first_cti: Trace | None = None
    first_reason: str | None = None
    matter = ""
    unknowns: list[str] = []

    def cti_result() -> Result:
        msgs = list(failures)
        msgs.append("the counterexample to induction starts from a state that satisfies every property but "
                    "need not be reachable (step 0 is that pre-state, not an initial state)")
        msgs.append(f"variables that matter (read or written by the action and the property): {matter}")
        res = Result.unknown(model, engine, first_reason or "", stats(cti=True, failures=len(failures)),
                             messages=tuple(msgs))
        return dataclasses.replace(res, trace=first_cti)  # a CTI: unknown, with the trace to look at

    for action in model.actions:
        mine = [i for i in insts if i.action is action]
        # errors raised by the action from a state satisfying the properties
        errs = mk_or(*(inst.err_any() for inst in mine))
        if not z3.is_false(errs):
            r, m = ask(solver, errs, f"consecution {action.name} / model errors and asserts")
            if r == z3.unknown:
                unknowns.append(f"{action.name}/errors: {solver.reason_unknown()}")
            elif r == z3.sat:
                failures.append(f"not inductive: action {action.name} can raise a model error or a failed "
                                "assert from a state satisfying the properties")
                if first_cti is None:
                    first_cti = _cti_error_trace(model, enc, m, pre, mine)
                    first_reason = failures[-1]
                    matter = _matter(model, ir.Property("invariant", "-", ir.Lit(True, BoolT())), action)
                run["cti"] = cti_result()
        if not props:
            continue
        solver.push()
        conds = fire_one(solver, mine, f"fire.{action.name}")
        post = successor(enc, solver, pre, mine, conds, f"post.{action.name}")
        queries_here = [(p, enc.prop(p, post)[0]) for p in props]
        for c in enc.fresh.take_side():
            solver.add(c)
        for p, bad in queries_here:
            r, m = ask(solver, bad, f"consecution {action.name} / {p.name}")
            if r == z3.unknown:
                unknowns.append(f"{action.name}/{p.name}: {solver.reason_unknown()}")
            elif r == z3.sat:
                failures.append(f"not inductive: action {action.name} breaks {p.kind} {p.name}")
                if first_cti is None:
                    first_cti = _cti_build(model, enc, m, pre, post, mine, conds, p)
                    first_reason = failures[-1]
                    matter = _matter(model, p, action)
                run["cti"] = cti_result()
        solver.pop()
    if first_cti is not None:
        return cti_result()
    if unknowns:
        return Result.unknown(model, engine, "z3: " + "; ".join(unknowns), stats())
    if not props:
        return Result.holds(model, engine, stats(),
                            messages=("the model has no invariant or lemma: proved that no action raises a model "
                                      "error or a failed assert from any state", *_temporals_unchecked(model)))
    return Result.holds(model, engine, stats(),
                        messages=(f"proved by induction: {len(props)} {'property' if len(props) == 1 else 'properties'}"
                                  f" x {len(model.actions)} {'action' if len(model.actions) == 1 else 'actions'}",
                                  *_temporals_unchecked(model)))


def _unknown(model: ir.Model, engine: str, solver: Any, what: str, stats: Stats) -> Result:
    return Result.unknown(model, engine, f"z3: {solver.reason_unknown()} ({what})", stats())


def _check_with(solver: Any, dl: Deadline, f: Bool) -> tuple[Any, Model | None]:
    """(answer, model if sat) of the solver's assertions plus f, leaving the solver as it was."""
    solver.push()
    solver.add(f)
    r = query(solver, dl)
    m = solver.model() if r == z3.sat else None
    if m is not None and not model_ok(solver, m):
        r, m = z3.unknown, None
    solver.pop()
    return r, m


def _chosen(m: Model, conds: list[Bool], mine: list[Instance]) -> Instance:
    for c, inst in zip(conds, mine, strict=False):
        if z3.is_true(m.eval(c, model_completion=True)):
            return inst
    raise InternalError("induction: no instance fired in the solver's model")


def _cti_build(model: ir.Model, enc: Encoder, m: Model, pre: list[Sym], post: list[Sym], mine: list[Instance],
               conds: list[Bool], prop: ir.Property) -> Trace:
    inst = _chosen(m, conds, mine)
    s = enc.state_value(m, pre)
    t = enc.state_value(m, post)
    failed = dict((q.name, e) for q, e in S.check_properties(model, t))
    if prop.name not in failed:
        raise InternalError(f"induction: the solver's post-state does not break {prop.name} in the reference "
                            "semantics")
    trace = Trace((TraceStep("init", (), (), s), TraceStep(inst.action.name, inst.args_in(m), inst.picks_in(m), t)),
                  Violation.of_property(prop, failed[prop.name]))
    replay_transitions(model, trace)
    return trace


def _cti_error_trace(model: ir.Model, enc: Encoder, m: Model, pre: list[Sym], mine: list[Instance]) -> Trace:
    s = enc.state_value(m, pre)
    for inst in mine:
        if z3.is_true(m.eval(inst.err_any(), model_completion=True)):
            args, picks = inst.args_in(m), inst.picks_in(m)
            o = reference_error(model, s, inst.action, args, picks)
            if o is None:
                raise InternalError(f"induction: {inst.action.name}{args} does not fail in the reference semantics")
            trace = Trace((TraceStep("init", (), (), s),), Violation.of_error(o))
            replay_transitions(model, trace)
            return trace
    raise InternalError("induction: no erroring instance in the solver's model")


# ------------------------------------------------------------------ k-induction
def prove_k(model: ir.Model, opts: EngineOptions | Mapping[str, Any]) -> Result:
    """Options: k, timeout (seconds for the whole run: base case and step case together), progress (text
    lines). Raises OptionError for a set option this engine would ignore."""
    o = EngineOptions.of(opts)
    o.refuse_unsupported("kind", PROVE_K_SUPPORTED)
    k = int(o.k or 2)
    dl = Deadline(o.timeout)
    progress = o.progress
    started = time.perf_counter()
    engine = "kind"

    def stats(**extra: Any) -> dict[str, Any]:
        return {"k": k, "seconds": round(time.perf_counter() - started, 3), **extra}

    # base case: no violation within k-1 steps (it reports its own timeout or interruption)
    base = bmc.check(model, EngineOptions(max_depth=k - 1, deadlock=False, progress=o.progress), deadline=dl,
                     temporals=False)
    if base.status in ("violated", "unknown"):
        return dataclasses.replace(base, engine=engine)
    try:
        with dl.armed(), S.recursion_headroom(model):
            return _step_case(model, k, engine, dl, progress, stats)
    except EncodingError as err:
        return unsupported(model, engine, err, stats())
    except (OutOfTime, KeyboardInterrupt, ctypes.ArgumentError) as err:
        why = (timed_out(dl) if isinstance(err, OutOfTime) else "interrupted (Ctrl-C)"
               if isinstance(err, KeyboardInterrupt) else cut_short(err, dl))
        return Result.unknown(model, engine, f"{why} in the step case (the base case found no violation within "
                              f"{k - 1} step(s))", stats(), bound=k - 1)


def _step_case(model: ir.Model, k: int, engine: str, dl: Deadline, progress: Progress | None,
               stats: Stats) -> Result:
    enc = Encoder(model)
    solver = make_solver()
    u = Unroller(model, solver, enc)
    u.new_state()
    goods = []
    for i in range(k + 1):
        if i > 0:
            u.add_step()
        s = u.states[i]
        bad = mk_or(*[enc.prop(p, s)[0] for p in model.properties], *[x.err_any() for x in u.insts[i]])
        u.flush_side()
        if i < k:
            solver.add(mk_not(bad))
        goods.append(bad)
    for i in range(k + 1):
        for j in range(i + 1, k + 1):
            solver.add(mk_not(enc.state_eq(u.states[i], u.states[j])))
    solver.add(goods[k])
    r = query(solver, dl)
    if progress:
        progress(ProgressUpdate(engine, f"step case (k={k})", stats()["seconds"], message=str(r)))
    if r == z3.unknown:
        if dl.expired():
            raise OutOfTime()
        return Result.unknown(model, engine, f"z3: {solver.reason_unknown()} (step case)", stats())
    if r == z3.unsat:
        return Result.holds(model, engine, stats(),
                            messages=(f"proved by {k}-induction (base: no violation within {k - 1} step(s))",
                                      *_temporals_unchecked(model)))
    m = solver.model()
    steps = u.trace_steps(m, k)
    last = steps[-1].state
    failed = S.check_properties(model, last)
    if failed:
        v = Violation.of_property(*failed[0])
    else:
        hit = u.error_at(m, k)
        if hit is None:
            raise InternalError("k-induction: the step counterexample breaks nothing in the reference semantics")
        inst, args, picks = hit
        o = reference_error(model, last, inst.action, args, picks)
        if o is None:
            raise InternalError("k-induction: the erroring step does not fail in the reference semantics")
        v = Violation.of_error(o)
    trace = Trace(tuple(steps), v)
    replay_transitions(model, trace)
    res = Result.unknown(model, engine, f"not {k}-inductive: {v.kind} {v.name}", stats(cti=True),
                         messages=(f"a path of {k} step(s) through distinct states satisfying every property, "
                                   "then a violation; its first state need not be reachable (try a larger --k or a "
                                   "lemma)",))
    return dataclasses.replace(res, trace=trace)  # the step counterexample: unknown, with the trace to look at

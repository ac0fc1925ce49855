"""Proofs with Z3: induction with counterexamples to induction (`xenmodel prove`), and k-induction.

`prove`: every invariant and lemma P of the model (lemma files add lemmas by including the spec):
  - initiation: every initial state satisfies every P (a failure is a real violation, with a trace);
  - consecution, per action A and per property P (like Hyperkernel's per-system-call checks): from any
    state satisfying every property, no step of A (any parameters, any choices) leads to a state
    breaking P, and no step of A raises a model error or a failed assert.
The obligations are listed by queries.py (the frame argument skips a consecution whose action writes
nothing the property reads; each query assumes only the properties in its cone of influence:
slicing.py), discharged by discharge.py in tasks (the init block, or one action) that workers.py runs
in this process or in worker processes, and the cache (proof_cache.py) remembers the proved ones. The
verdict is assembled here from the outcomes in obligation order, so it does not depend on the number
of workers or on the order they finish in.
Status "holds" only when every query is unsat (or skipped by the frame argument, or proved before and
cached). A model without properties still gets its init block,
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
from xenmodel.result import EngineOptions, Progress, ProgressUpdate, Result, Violation, temporals_unchecked
from xenmodel.trace import Trace, replay

from . import bmc
from .discharge import TIME_UP, Outcome, Task
from .encode_stmts import Encoder
from .proof_cache import ProofCache
from .queries import Obligation, obligations
from .unroll import (
    InternalError,
    Unroller,
    cut_short,
    make_solver,
    no_initial_state,
    query,
    reference_error,
    timed_out,
    unsupported,
)
from .values import EncodingError, mk_not, mk_or
from .workers import run_tasks

PROVE_SUPPORTED = frozenset({"timeout", "workers", "cache_dir"})
ENGINE = "induction"
PROVE_K_SUPPORTED = frozenset({"timeout", "k"})
Stats = Callable[..., dict[str, Any]]


def replay_transitions(model: ir.Model, trace: Trace) -> None:
    """Replay a counterexample to induction: its first state need not be initial. Raises ReplayError."""
    replay(model, trace, from_initial=False)


def _matter(model: ir.Model, prop: ir.Property | None, action: ir.Action) -> str:
    """The state variables the property and the action read or write ("the variables that matter")."""
    idx = (vars_touched(prop.expr) if prop is not None else frozenset()) | vars_touched(action.body)
    return ", ".join(model.vars[i].name for i in sorted(idx))


# ------------------------------------------------------------------ induction
def prove(model: ir.Model, opts: EngineOptions | Mapping[str, Any], *, frame: bool = True,
          slicing: bool = True) -> Result:
    """Options: timeout (seconds for the whole run), workers (processes; default 1 through this API, the
    CLI's default is the number of cores), cache_dir (proved obligations; default: no cache), progress.
    Raises OptionError for a set option this engine would ignore. `frame` and `slicing` off give the
    plain proof (every consecution asked, each assuming every property), for differential tests."""
    o = EngineOptions.of(opts)
    o.refuse_unsupported("induction", PROVE_SUPPORTED)
    dl = Deadline(o.timeout)
    run = _Run(model, o, dl, obligations(model, frame=frame, slicing=slicing))
    try:
        with dl.armed(), S.recursion_headroom(model):
            run.go()
    except OutOfTime:
        return run.result(stopped=timed_out(dl))
    except KeyboardInterrupt:
        return run.result(stopped="interrupted (Ctrl-C)")
    except ctypes.ArgumentError as err:
        return run.result(stopped=cut_short(err, dl))
    return run.result(stopped=timed_out(dl) if run.missing() else None)


class _Run:
    """One proof: the obligations, what the cache already knows, the tasks, the outcomes as they come."""

    def __init__(self, model: ir.Model, o: EngineOptions, dl: Deadline, obs: tuple[Obligation, ...]) -> None:
        self.model, self.o, self.dl = model, o, dl
        self.started = time.perf_counter()
        self.obs = obs
        self.cache = ProofCache(o.cache_dir, model) if o.cache_dir else None
        self.keys: dict[int, str] = {}
        self.outcomes: dict[int, Outcome] = {}
        self.asked = 0

    def go(self) -> None:
        pending: dict[str | None, list[Obligation]] = {}
        for ob in self.obs:
            if ob.skipped:
                continue
            if self.cache is not None:
                self.keys[ob.index] = key = self.cache.key(ob)
                if self.cache.proved(key):
                    self.outcomes[ob.index] = Outcome(ob.index, "unsat", 0.0, cached=True)
                    continue
            pending.setdefault(ob.action, []).append(ob)
        tasks = [Task(a, tuple(g)) for a, g in pending.items()]
        tasks.sort(key=lambda t: -len(t.obligations))  # the longest first: better balance; order-free results
        end = None if self.dl.end is None else time.monotonic() + (self.dl.remaining() or 0.0)
        run_tasks(self.model, tasks, int(self.o.get("workers", 1)), end, self.arrived)

    def arrived(self, out: Outcome) -> None:
        ob = self.obs[out.index]
        if out.reason == TIME_UP or (out.answer == "unknown" and self.dl.expired()):
            return  # not asked, or cut short by the run's deadline
        self.outcomes[out.index] = out
        self.asked += 1
        if self.cache is not None and out.answer == "unsat" and not out.resliced:
            self.cache.store(self.keys[out.index], ob.label, out.seconds)
        if self.o.progress:
            self.o.progress(ProgressUpdate(ENGINE, ob.label, time.perf_counter() - self.started,
                                           done=len(self.outcomes), total=self.to_answer(),
                                           message=f"{out.answer} in {out.seconds:.3f}s"))

    def to_answer(self) -> int:
        return sum(1 for ob in self.obs if not ob.skipped)

    def missing(self) -> bool:
        return len(self.outcomes) < self.to_answer()

    def stats(self, **extra: Any) -> dict[str, Any]:
        asked = [(out.seconds, self.obs[i].label) for i, out in self.outcomes.items() if not out.cached]
        asked.sort(key=lambda t: (-t[0], t[1]))
        return {"queries": self.asked, "obligations": len(self.obs),
                "skipped_by_frame": sum(ob.skipped for ob in self.obs),
                "sliced": sum(ob.sliced for ob in self.obs),
                "from_cache": sum(o.cached for o in self.outcomes.values()),
                "resliced": sum(o.resliced for o in self.outcomes.values()),
                "workers": int(self.o.get("workers", 1)),
                "seconds": round(time.perf_counter() - self.started, 3), **extra,
                "slowest": {label: secs for secs, label in asked[:10]},
                "query_seconds": {self.obs[i].label: out.seconds for i, out in sorted(self.outcomes.items())
                                  if not out.cached}}

    def result(self, stopped: str | None) -> Result:
        """The verdict from the outcomes, in obligation order (never from the order they came in)."""
        model = self.model
        outs = [self.outcomes.get(ob.index) for ob in self.obs]
        for out in outs:
            if out is not None and out.answer == "unsupported":
                return unsupported(model, ENGINE, EncodingError(out.reason or ""), self.stats())
        for ob, out in zip(self.obs, outs, strict=True):
            if out is None or ob.kind.startswith("consecution"):
                continue
            if ob.kind == "some-initial-state":
                if out.answer == "unsat":  # no initial state: a violation in every engine, not a vacuous proof
                    return no_initial_state(model, self.stats(), ENGINE)
                continue
            if out.answer == "sat" and out.trace is not None:
                return Result.violated(model, ENGINE, out.trace, self.stats())
        failures: list[str] = []
        first: tuple[Obligation, Outcome] | None = None
        unknowns: list[str] = []
        for ob, out in zip(self.obs, outs, strict=True):
            if out is None:
                continue
            if out.answer == "unknown":
                unknowns.append(f"{ob.label}: {out.reason}")
            elif out.answer == "sat" and ob.kind.startswith("consecution"):
                what = ("can raise a model error or a failed assert from a state satisfying the properties"
                        if ob.kind == "consecution-errors" else f"breaks {_prop(model, ob.prop).kind} {ob.prop}")
                failures.append(f"not inductive: action {ob.action} {what}")
                if first is None:
                    first = (ob, out)
        where = f" with {self.asked} of at most {self.to_answer()} queries asked" if stopped else ""
        if first is not None:
            ob, out = first
            action = model.action(ob.action or "")
            assert action is not None
            msgs = [*failures,
                    "the counterexample to induction starts from a state that satisfies every property but need not "
                    "be reachable (step 0 is that pre-state, not an initial state)",
                    "variables that matter (read or written by the action and the property): "
                    + _matter(model, _prop(model, ob.prop) if ob.prop else None, action)]
            if stopped:
                msgs.append(f"{stopped}{where}: the remaining queries were not asked")
            res = Result.unknown(model, ENGINE, failures[0], self.stats(cti=True, failures=len(failures)),
                                 messages=tuple(msgs))
            return dataclasses.replace(res, trace=out.trace)  # a CTI: unknown, with the trace to look at
        if stopped:
            return Result.unknown(model, ENGINE, f"{stopped}{where} (statistics so far)", self.stats())
        if unknowns:
            return Result.unknown(model, ENGINE, "z3: " + "; ".join(unknowns), self.stats(unknown=len(unknowns)))
        props, acts = len(model.properties), len(model.actions)
        if not props:
            return Result.holds(model, ENGINE, self.stats(),
                                messages=("the model has no invariant or lemma: proved that no action raises a model "
                                          "error or a failed assert from any state",
                                          *temporals_unchecked(model, "induction proves invariants")))
        return Result.holds(model, ENGINE, self.stats(),
                            messages=(f"proved by induction: {props} {'property' if props == 1 else 'properties'}"
                                      f" x {acts} {'action' if acts == 1 else 'actions'}", self.summary(),
                                      *temporals_unchecked(model, "induction proves invariants")))

    def summary(self) -> str:
        st = self.stats()
        slow = ", ".join(f"{label} {secs:.1f}s" for label, secs in list(st["slowest"].items())[:3])
        return (f"{st['obligations']} obligations: {st['skipped_by_frame']} skipped by the frame argument, "
                f"{st['from_cache']} from the cache, {st['queries']} asked ({st['sliced']} sliced)"
                + (f"; slowest: {slow}" if slow else ""))


def _prop(model: ir.Model, name: str | None) -> ir.Property:
    p = next((p for p in model.properties if p.name == name), None)
    assert p is not None
    return p


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
                                      *temporals_unchecked(model, "induction proves invariants")))
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

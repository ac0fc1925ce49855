"""Bounded model checking with Z3 (`xenmodel check --engine bmc --depth K`).

One solver for the whole run. The initial-state constraint and each transition T(k, k+1) are asserted
once, permanently; at each depth k the question "is there a violation at depth k?" (a property fails in
s_k, some action raises a model error or a failed assert from s_k, or optionally no action is enabled
in s_k) is asked under push/pop. The first depth with an answer `sat` gives a shortest counterexample
(no violation was possible at any smaller depth), read off Z3's model and replayed through the
reference semantics before it is returned. `--timeout` is one deadline for the whole run: each query
gets only the time left, and the encoding is cut by the deadline's alarm (xenmodel.deadline); a timeout,
Ctrl-C or a solver `unknown` is reported as unknown with the depth reached and the statistics so far. A
model without initial states is a violation (as in every engine), not a vacuous bound.

Transition relation (functional): for each action and each tuple of parameter values (or symbolic
parameters when there are many), a Boolean `fired` literal, exactly one true, the fired instance's path
condition required; each part of s_{k+1} is an if-then-else over only the instances that change it
(everything else is carried over as is), named by a fresh constant. Once depth k is unsat, "no
violation at s_k" is asserted for the deeper queries (sound: a shortest counterexample has a clean
prefix), which prunes the search a great deal.
"""
from __future__ import annotations

import ctypes
import time

import z3

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.trace import (Result, Trace, TraceStep, Violation, replay, violation_of_error,
                            violation_of_property)

from .z3enc import EncodingError, Encoder, Instance, mk_not, mk_or, merge, name_sym, substitute_all

DEADLOCK_EXPANSION_LIMIT = 4096


def make_solver() -> z3.Solver:
    """The solver every Z3 engine uses: QF_BV, incremental (bit-blasted to Z3's SAT core). Each
    query gets its time limit from query()."""
    s = z3.SolverFor("QF_BV")
    s.set("random_seed", 0)
    return s


def model_ok(solver: z3.Solver, m: z3.ModelRef) -> bool:
    """Does m satisfy every assertion? (Guards against a `sat` answer cut short by a timeout.)"""
    return all(z3.is_true(m.eval(a, model_completion=True)) for a in solver.assertions())


class InternalError(AssertionError):
    """The encoding disagrees with the reference semantics: a bug in this engine, reported loudly."""


def enabled_or_error(inst: Instance):
    """Some path of this instance completes or raises (expanded over its choices)."""
    f = mk_or(inst.en, inst.err_any())
    return substitute_all(f, inst.choice_vars, DEADLOCK_EXPANSION_LIMIT)


class Unroller:
    """The unrolled transition system: states s_0..s_k, the instances out of each, the fired literals."""

    def __init__(self, model: ir.Model, solver: z3.Solver, enc: Encoder | None = None) -> None:
        self.model = model
        self.solver = solver
        self.enc = enc or Encoder(model)
        self.states: list[list] = []
        self.insts: list[list[Instance]] = []  # instances out of s_k
        self.fired: list[list] = []  # fired literals of the step s_k -> s_{k+1}

    def flush_side(self) -> None:
        for c in self.enc.fresh.take_side():
            self.solver.add(c)

    def new_state(self, s: list | None = None) -> list:
        """Add s_k: fresh variables, or the given syms (a functional successor)."""
        k = len(self.states)
        if s is None:
            s = self.enc.state(f"s{k}")
        self.states.append(s)
        self.insts.append(self.enc.instances(s, f"s{k}"))
        self.flush_side()
        return s

    def start(self, init: Instance) -> list:
        """s_0: the initial state(s)."""
        defs: list = []
        s0 = [name_sym(x, f"s0.{v.name}", self.enc.fresh.counter, defs)
              for x, v in zip(init.next, self.model.vars)]
        for d in defs:
            self.solver.add(d)
        self.solver.add(init.en)
        return self.new_state(s0)

    def add_step(self) -> None:
        """s_{k+1} and the transition s_k -> s_{k+1}.

        Exactly one `fired` literal holds (a pseudo-Boolean constraint); that instance's path condition must hold. Each part of
        s_{k+1} is an if-then-else chain over the instances that change it (the others keep it), named
        by a fresh constant.
        """
        k = len(self.states) - 1
        pre = self.insts[k]
        old = self.states[k]
        n = len(pre)
        conds = [z3.Bool(f"fired.{k}.{i}") for i in range(n)]
        self.solver.add(z3.PbEq([(c, 1) for c in conds], 1))
        sel = conds
        for c, inst in zip(conds, pre):
            self.solver.add(z3.Implies(c, inst.en))
        merged = [merge(x, [(c, inst.next[i]) for c, inst in zip(conds, pre)]) for i, x in enumerate(old)]
        defs: list = []
        post = [name_sym(x, f"s{k + 1}.{v.name}", self.enc.fresh.counter, defs)
                for x, v in zip(merged, self.model.vars)]
        for d in defs:
            self.solver.add(d)
        self.fired.append(sel)
        self.new_state(post)

    def trace_steps(self, m: z3.ModelRef, k: int, first_action: str = "init", first_picks=()) -> list[TraceStep]:
        enc = self.enc
        steps = [TraceStep(first_action, (), tuple(first_picks), enc.state_value(m, self.states[0]))]
        for j in range(k):
            sel = self.fired[j]
            i = next((i for i, c in enumerate(sel) if z3.is_true(m.eval(c, model_completion=True))), len(sel))
            chosen = self.insts[j][i] if i < len(self.insts[j]) else None
            if chosen is None:
                raise InternalError(f"bmc: no action fired at step {j + 1} in the solver's model")
            steps.append(TraceStep(chosen.action.name, chosen.args_in(m), chosen.picks_in(m),
                                   enc.state_value(m, self.states[j + 1])))
        return steps

    def error_at(self, m: z3.ModelRef, k: int):
        """The first instance out of s_k that raises in model m, as (instance, args, picks)."""
        for inst in self.insts[k]:
            if z3.is_true(m.eval(inst.err_any(), model_completion=True)):
                return inst, inst.args_in(m), inst.picks_in(m)
        return None


def reference_error(model: ir.Model, state: tuple, action: ir.Action, args: tuple, picks: tuple):
    """The reference semantics' error outcome of this step (by picks), or None."""
    for o in S.successors_of(model, action, args, state):
        if isinstance(o, S.StepError) and tuple(o.picks) == tuple(picks):
            return o
    return None


def _result(model: ir.Model, status: str, **kw) -> Result:
    return Result(status, kw.pop("engine", "bmc"), model.path, model.instance, dict(model.consts), **kw)


def check(model: ir.Model, opts: dict) -> Result:
    """opts: depth, timeout (seconds for the whole run) or deadline (a Deadline shared with a caller),
    deadlock, progress."""
    depth = opts.get("depth")
    depth = 10 if depth is None else int(depth)
    dl = opts.get("deadline") or Deadline(opts.get("timeout"))
    deadlock = opts.get("deadlock", True)
    progress = opts.get("progress")
    started = time.perf_counter()
    per_depth: dict[str, float] = {}
    k = -1  # the depth being worked on (-1: the init block)

    def stats(extra: dict | None = None) -> dict:
        out = {"depth_reached": len(per_depth) - 1, "seconds": round(time.perf_counter() - started, 3),
               "per_depth_seconds": dict(per_depth)}
        out.update(extra or {})
        return out

    def stopped(why: str) -> Result:
        where = "in the init block" if k < 0 else f"at depth {k}"
        return _result(model, "unknown", reason=f"{why} {where} (statistics so far)", stats=stats(),
                       bound=k - 1 if k > 0 else None)

    try:
        with dl.armed(), S.recursion_headroom(model):
            solver = make_solver()
            u = Unroller(model, solver)
            enc = u.enc
            init = enc.init()
            u.flush_side()
            # errors of the init block itself
            init_err = init.err_any()
            if not z3.is_false(init_err):
                r = query(solver, dl, init_err)
                if r == z3.unknown:
                    return stopped(_unknown_why(solver, dl))
                if r == z3.sat:
                    return _init_error(model, init, solver.model(), stats())
            # no initial state at all is a violation, as in every other engine (not a vacuous "bounded")
            r = query(solver, dl, init.en)
            if r == z3.unknown:
                return stopped(_unknown_why(solver, dl))
            if r == z3.unsat:
                return _no_initial_state(model, stats())
            u.start(init)
            for k in range(depth + 1):
                t0 = time.perf_counter()
                if k > 0:
                    u.add_step()
                s = u.states[k]
                bads = []
                for p in model.properties:
                    bad, _ = enc.prop(p, s)
                    bads.append(bad)
                errs = [inst.err_any() for inst in u.insts[k]]
                parts = bads + errs
                if deadlock:
                    parts.append(mk_not(mk_or(*(enabled_or_error(i) for i in u.insts[k]))))
                u.flush_side()
                viol = mk_or(*parts)
                solver.push()
                solver.add(viol)
                r = query(solver, dl)
                dt = time.perf_counter() - t0
                per_depth[str(k)] = round(dt, 4)
                if progress:
                    progress(f"bmc depth {k}: {r} in {dt:.3f}s")
                if r == z3.sat and not model_ok(solver, solver.model()):
                    solver.pop()
                    if dl.expired():
                        return stopped(timed_out(dl))
                    return _result(model, "unknown", reason=f"z3 answered sat with a model that does not satisfy "
                                   f"the query at depth {k} (interrupted by the timeout?)", stats=stats())
                if r == z3.sat:
                    m = solver.model()
                    result = _violation(model, u, m, k, init, deadlock, stats())
                    solver.pop()
                    return result
                solver.pop()
                if r == z3.unsat:
                    # No violation at depth k: a violation at a greater depth is only a shortest one if every
                    # earlier state is violation-free, so the prefix may assume it (sound, and it prunes).
                    solver.add(mk_not(mk_or(*(bads + errs))))
                if r == z3.unknown:
                    return stopped(_unknown_why(solver, dl))
    except EncodingError as err:
        return _result(model, "unknown", reason=f"the Z3 encoding does not support this model: {err}",
                       stats=stats())
    except OutOfTime:
        return stopped(timed_out(dl))
    except KeyboardInterrupt:
        return stopped("interrupted (Ctrl-C)")
    except ctypes.ArgumentError as err:
        return stopped(cut_short(err, dl))
    return _result(model, "bounded", bound=depth, stats=stats())


def cut_short(err: ctypes.ArgumentError, dl: Deadline) -> str:
    """Why a run stopped when the timeout's alarm or Ctrl-C struck while ctypes converted the arguments of
    a call into Z3: ctypes wraps the exception into ArgumentError. Anything else is re-raised."""
    if dl.expired():
        return timed_out(dl)
    if "KeyboardInterrupt" in str(err):
        return "interrupted (Ctrl-C)"
    raise err


def query(solver: z3.Solver, dl: Deadline, *assumptions) -> z3.CheckSatResult:
    """solver.check(*assumptions) given only the time left before the deadline (OutOfTime if none)."""
    left = dl.remaining()
    if left is not None:
        if left <= 0:
            raise OutOfTime()
        solver.set("timeout", max(1, int(left * 1000)))
    r = solver.check(*assumptions)
    if r == z3.unknown and solver.reason_unknown() == "interrupted from keyboard":
        raise KeyboardInterrupt  # Z3 takes Ctrl-C during a query and answers unknown: stop like elsewhere
    return r


def timed_out(dl: Deadline) -> str:
    return f"timed out after {dl.seconds:g} s"


def _unknown_why(solver: z3.Solver, dl: Deadline) -> str:
    """Why Z3 answered unknown: the run's deadline, or Z3's own reason."""
    return timed_out(dl) if dl.expired() else f"z3: {solver.reason_unknown()}"


def _no_initial_state(model: ir.Model, stats: dict, engine: str = "bmc") -> Result:
    if S.initial_states(model):
        raise InternalError("z3: the encoding says the model has no initial state, the reference semantics "
                            "does not")
    v = Violation("deadlock", "deadlock", "the model has no initial state", None, code="XM510")
    return _result(model, "violated", trace=Trace((), v), stats=stats, engine=engine)


def _init_error(model: ir.Model, init: Instance, m: z3.ModelRef, stats: dict) -> Result:
    picks = init.picks_in(m)
    for o in S.initial_states(model):
        if isinstance(o, S.StepError) and tuple(o.picks) == tuple(picks):
            trace = Trace((), violation_of_error(o))
            return _result(model, "violated", trace=trace, stats=stats)
    raise InternalError(f"bmc: the encoding says the init block fails with picks {picks}, "
                        "the reference semantics does not")


def _violation(model: ir.Model, u: Unroller, m: z3.ModelRef, k: int, init: Instance, deadlock: bool,
               stats: dict) -> Result:
    steps = u.trace_steps(m, k, first_picks=init.picks_in(m))
    last = steps[-1].state
    violation: Violation | None = None
    failed = S.check_properties(model, last)
    if failed:
        violation = violation_of_property(*failed[0])
    else:
        hit = u.error_at(m, k)
        if hit is not None:
            inst, args, picks = hit
            o = reference_error(model, last, inst.action, args, picks)
            if o is None:
                raise InternalError(f"bmc: the encoding says {inst.action.name}{args} with picks {picks} fails "
                                    "from the last state, the reference semantics does not")
            violation = violation_of_error(o)
        elif deadlock:
            violation = Violation("deadlock", "deadlock", "no action is enabled", None, code="XM510")
    if violation is None:
        raise InternalError(f"bmc: the solver found a violation at depth {k} that the reference semantics "
                            "does not confirm")
    trace = Trace(tuple(steps), violation)
    replay(model, trace)  # a ReplayError here is an internal error: let it propagate
    return _result(model, "violated", trace=trace, stats=stats)

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

Temporal properties: once no safety violation exists up to the depth, `lasso.search` looks for a lasso
of at most depth + 1 states that violates one under the model's fairness (bounded when there is none).
"""
from __future__ import annotations

import ctypes
import dataclasses
import time
from collections.abc import Mapping
from typing import Any

import z3

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.result import EngineOptions, OptionError, ProgressUpdate, Result, Violation
from xenmodel.trace import Trace, replay

from . import lasso
from .runtime import Instance, Model
from .unroll import (
    InternalError,
    Unroller,
    cut_short,
    enabled_or_error,
    init_error,
    make_solver,
    model_ok,
    no_initial_state,
    query,
    reference_error,
    timed_out,
    unknown_why,
    unsupported,
)
from .values import EncodingError, mk_not, mk_or

ENGINE = "bmc"
# max_depth is the depth bound (`--depth`); symmetry and max_states are the explicit engine's
SUPPORTED = frozenset({"max_depth", "timeout", "deadlock"})
DEFAULT_DEPTH = 10


def options(opts: EngineOptions | Mapping[str, Any]) -> EngineOptions:
    """The engine's options; in a plain dict `depth` is the depth bound (the name the CLI and the tests use)."""
    if isinstance(opts, Mapping) and "depth" in opts:
        rest = {k: v for k, v in opts.items() if k != "depth"}
        if rest.get("max_depth") is not None and opts["depth"] is not None:
            raise OptionError("bmc: give the depth bound once (depth or max_depth)")
        if rest.get("max_depth") is None:
            rest["max_depth"] = opts["depth"]
        opts = rest
    return EngineOptions.of(opts)


def check(model: ir.Model, opts: EngineOptions | Mapping[str, Any], deadline: Deadline | None = None,
          temporals: bool = True) -> Result:
    """Options: max_depth (or `depth` in a dict), timeout (seconds for the whole run), deadlock, progress
    (text lines). `deadline`: a Deadline shared with a caller (k-induction's base case), instead of the
    timeout. `temporals`: also search lassos for the temporal properties (k-induction's base case does
    not: it proves invariants). Raises OptionError for a set option this engine would ignore."""
    o = options(opts)
    o.refuse_unsupported(ENGINE, SUPPORTED)
    depth = int(o.get("max_depth", DEFAULT_DEPTH))
    dl = deadline or Deadline(o.timeout)
    deadlock = bool(o.get("deadlock", True))
    progress = o.progress
    started = time.perf_counter()
    per_depth: dict[str, float] = {}
    k = -1  # the depth being worked on (-1: the init block)
    cleared = 0  # depths 0..cleared-1 are answered violation-free

    def stats() -> dict[str, Any]:
        return {"depth_reached": len(per_depth) - 1, "seconds": round(time.perf_counter() - started, 3),
                "per_depth_seconds": dict(per_depth)}

    def stopped(why: str) -> Result:
        # Told from `cleared` alone, not from k or per_depth: the alarm or Ctrl-C may strike between an
        # answer and the bookkeeping after it, and the depth named, depth_reached and the bound must agree
        # (and never count a depth whose sat answer was not yet turned into a trace).
        where = "in the init block" if k < 0 else f"at depth {cleared}"
        return Result.unknown(model, ENGINE, f"{why} {where} (statistics so far)",
                              {**stats(), "depth_reached": cleared - 1}, bound=cleared - 1 if cleared > 0 else None)

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
                    return stopped(unknown_why(solver, dl))
                if r == z3.sat:
                    return init_error(model, init, solver.model(), stats(), ENGINE)
            # no initial state at all is a violation, as in every other engine (not a vacuous "bounded")
            r = query(solver, dl, init.en)
            if r == z3.unknown:
                return stopped(unknown_why(solver, dl))
            if r == z3.unsat:
                return no_initial_state(model, stats(), ENGINE)
            u.start(init)
            for k in range(depth + 1):
                t0 = time.perf_counter()
                if k > 0:
                    u.add_step()
                s = u.states[k]
                bads = [enc.prop(p, s)[0] for p in model.properties]
                errs = [inst.err_any() for inst in u.insts[k]]
                parts = bads + errs
                if deadlock:
                    parts.append(mk_not(mk_or(*(enabled_or_error(i) for i in u.insts[k]))))
                u.flush_side()
                solver.push()
                solver.add(mk_or(*parts))
                r = query(solver, dl)
                dt = time.perf_counter() - t0
                per_depth[str(k)] = round(dt, 4)
                if progress:
                    progress(ProgressUpdate("bmc", f"depth {k}", time.perf_counter() - started, depth=k,
                                            message=f"{r} in {dt:.3f}s"))
                if r == z3.sat and not model_ok(solver, solver.model()):
                    solver.pop()
                    if dl.expired():
                        return stopped(timed_out(dl))
                    return Result.unknown(model, ENGINE, f"z3 answered sat with a model that does not satisfy "
                                          f"the query at depth {k} (interrupted by the timeout?)", stats())
                if r == z3.sat:
                    result = _violation(model, u, solver.model(), k, init, deadlock, stats())
                    solver.pop()
                    return result
                solver.pop()
                if r == z3.unsat:
                    cleared = k + 1
                    # No violation at depth k: a violation at a greater depth is only a shortest one if every
                    # earlier state is violation-free, so the prefix may assume it (sound, and it prunes).
                    solver.add(mk_not(mk_or(*(bads + errs))))
                if r == z3.unknown:
                    return stopped(unknown_why(solver, dl))
            if temporals and model.temporals:
                # the temporal properties: lassos up to the same depth (their own unrolling and solver)
                return _with_safety_stats(lasso.search(model, depth, dl, progress), stats())
    except EncodingError as err:
        return unsupported(model, ENGINE, err, stats())
    except OutOfTime:
        return stopped(timed_out(dl))
    except KeyboardInterrupt:
        return stopped("interrupted (Ctrl-C)")
    except ctypes.ArgumentError as err:
        return stopped(cut_short(err, dl))
    return Result.bounded(model, ENGINE, depth, stats())


def _with_safety_stats(r: Result, safety: dict[str, Any]) -> Result:
    """The lasso search's result with the safety search's statistics beside its own."""
    return dataclasses.replace(r, stats={**safety, "temporal": dict(r.stats)})


def _violation(model: ir.Model, u: Unroller, m: Model, k: int, init: Instance, deadlock: bool,
               stats: dict[str, Any]) -> Result:
    steps = u.trace_steps(m, k, first_picks=init.picks_in(m))
    last = steps[-1].state
    violation: Any = None
    failed = S.check_properties(model, last)
    if failed:
        violation = Violation.of_property(*failed[0])
    else:
        hit = u.error_at(m, k)
        if hit is not None:
            inst, args, picks = hit
            o = reference_error(model, last, inst.action, args, picks)
            if o is None:
                raise InternalError(f"bmc: the encoding says {inst.action.name}{args} with picks {picks} fails "
                                    "from the last state, the reference semantics does not")
            violation = Violation.of_error(o)
        elif deadlock:
            violation = Violation.deadlock()
    if violation is None:
        raise InternalError(f"bmc: the solver found a violation at depth {k} that the reference semantics "
                            "does not confirm")
    trace = Trace(tuple(steps), violation)
    replay(model, trace)  # a ReplayError here is an internal error: let it propagate
    return Result.violated(model, ENGINE, trace, stats)

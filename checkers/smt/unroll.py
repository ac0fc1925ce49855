"""What the Z3 engines share: the solver, queries under the run's deadline, the unrolled transition
system, and the results every engine gives the same way (no initial state, an error in the init block)."""
from __future__ import annotations

import ctypes
from typing import Any, cast

import z3

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.result import Result, Violation
from xenmodel.trace import Trace, TraceStep

from .encode_stmts import Encoder
from .runtime import Instance, Model, merge, name_sym, substitute_all
from .values import Bool, Sym, mk_or

DEADLOCK_EXPANSION_LIMIT = 4096


def make_solver() -> Any:
    """The solver every Z3 engine uses: QF_BV, incremental (bit-blasted to Z3's SAT core). Each
    query gets its time limit from query()."""
    s = z3.SolverFor("QF_BV")
    s.set("random_seed", 0)
    return s


def model_ok(solver: Any, m: Model) -> bool:
    """Does m satisfy every assertion? (Guards against a `sat` answer cut short by a timeout.)"""
    return all(z3.is_true(m.eval(a, model_completion=True)) for a in solver.assertions())


class InternalError(AssertionError):
    """The encoding disagrees with the reference semantics: a bug in this engine, reported loudly."""


def enabled_or_error(inst: Instance) -> Bool:
    """Some path of this instance completes or raises (expanded over its choices)."""
    f = mk_or(inst.en, inst.err_any())
    return substitute_all(f, inst.choice_vars, DEADLOCK_EXPANSION_LIMIT)


def fire_one(solver: Any, insts: list[Instance], tag: str) -> list[Bool]:
    """One `fired` literal per instance, exactly one true (a pseudo-Boolean constraint), the fired
    instance's path condition required."""
    conds = [z3.Bool(f"{tag}.{i}") for i in range(len(insts))]
    solver.add(z3.PbEq([(c, 1) for c in conds], 1))
    for c, inst in zip(conds, insts, strict=True):
        solver.add(z3.Implies(c, inst.en))
    return conds


def successor(enc: Encoder, solver: Any, old: list[Sym], insts: list[Instance], conds: list[Bool],
              tag: str) -> list[Sym]:
    """The state after the fired instance: each part an if-then-else chain over the instances that change
    it (the others keep it), named by a fresh constant."""
    merged = [merge(x, [(c, inst.next[i]) for c, inst in zip(conds, insts, strict=True)])
              for i, x in enumerate(old)]
    defs: list[Bool] = []
    post = [name_sym(x, f"{tag}.{v.name}", enc.fresh.counter, defs)
            for x, v in zip(merged, enc.model.vars, strict=True)]
    for d in defs:
        solver.add(d)
    return post


class Unroller:
    """The unrolled transition system: states s_0..s_k, the instances out of each, the fired literals."""

    def __init__(self, model: ir.Model, solver: Any, enc: Encoder | None = None) -> None:
        self.model = model
        self.solver = solver
        self.enc = enc or Encoder(model)
        self.states: list[list[Sym]] = []
        self.insts: list[list[Instance]] = []  # instances out of s_k
        self.fired: list[list[Bool]] = []  # fired literals of the step s_k -> s_{k+1}

    def flush_side(self) -> None:
        for c in self.enc.fresh.take_side():
            self.solver.add(c)

    def new_state(self, s: list[Sym] | None = None) -> list[Sym]:
        """Add s_k: fresh variables, or the given syms (a functional successor)."""
        k = len(self.states)
        if s is None:
            s = self.enc.state(f"s{k}")
        self.states.append(s)
        self.insts.append(self.enc.instances(s, f"s{k}"))
        self.flush_side()
        return s

    def start(self, init: Instance) -> list[Sym]:
        """s_0: the initial state(s)."""
        defs: list[Bool] = []
        s0 = [name_sym(x, f"s0.{v.name}", self.enc.fresh.counter, defs)
              for x, v in zip(init.next, self.model.vars, strict=True)]
        for d in defs:
            self.solver.add(d)
        self.solver.add(init.en)
        return self.new_state(s0)

    def add_step(self) -> None:
        """s_{k+1} and the transition s_k -> s_{k+1}."""
        k = len(self.states) - 1
        conds = fire_one(self.solver, self.insts[k], f"fired.{k}")
        post = successor(self.enc, self.solver, self.states[k], self.insts[k], conds, f"s{k + 1}")
        self.fired.append(conds)
        self.new_state(post)

    def trace_steps(self, m: Model, k: int, first_action: str = "init",
                    first_picks: tuple[tuple[str, Any], ...] = ()) -> list[TraceStep]:
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

    def error_at(self, m: Model, k: int) -> tuple[Instance, tuple[Any, ...], tuple[Any, ...]] | None:
        """The first instance out of s_k that raises in model m, as (instance, args, picks)."""
        for inst in self.insts[k]:
            if z3.is_true(m.eval(inst.err_any(), model_completion=True)):
                return inst, inst.args_in(m), inst.picks_in(m)
        return None


def reference_error(model: ir.Model, state: tuple[Any, ...], action: ir.Action, args: tuple[Any, ...],
                    picks: tuple[Any, ...]) -> S.StepError | None:
    """The reference semantics' error outcome of this step (by picks), or None."""
    for o in S.successors_of(model, action, args, state):
        if isinstance(o, S.StepError) and tuple(o.picks) == tuple(picks):
            return o
    return None


# ------------------------------------------------------------------ queries under the deadline
def query(solver: Any, dl: Deadline, *assumptions: Bool) -> Any:
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


def cut_short(err: ctypes.ArgumentError, dl: Deadline) -> str:
    """Why a run stopped when the timeout's alarm or Ctrl-C struck while ctypes converted the arguments of
    a call into Z3: ctypes wraps the exception into ArgumentError. Anything else is re-raised."""
    if dl.expired():
        return timed_out(dl)
    if "KeyboardInterrupt" in str(err):
        return "interrupted (Ctrl-C)"
    raise err


def unknown_why(solver: Any, dl: Deadline) -> str:
    """Why Z3 answered unknown: the run's deadline, or Z3's own reason."""
    return timed_out(dl) if dl.expired() else f"z3: {solver.reason_unknown()}"


def unsupported(model: ir.Model, engine: str, err: Exception, stats: dict[str, Any]) -> Result:
    return Result.unknown(model, engine, f"the Z3 encoding does not support this model: {err}", stats)


# ------------------------------------------------------------------ results every Z3 engine gives alike
def no_initial_state(model: ir.Model, stats: dict[str, Any], engine: str) -> Result:
    if S.initial_states(model):
        raise InternalError("z3: the encoding says the model has no initial state, the reference semantics "
                            "does not")
    # cast: trace.Trace still names trace.py's Violation until trace.py re-exports result.py's
    return Result.violated(model, engine, Trace((), cast(Any, Violation.deadlock(no_initial_state=True))), stats)


def init_error(model: ir.Model, init: Instance, m: Model, stats: dict[str, Any], engine: str) -> Result:
    picks = init.picks_in(m)
    for o in S.initial_states(model):
        if isinstance(o, S.StepError) and tuple(o.picks) == tuple(picks):
            return Result.violated(model, engine, Trace((), Violation.of_error(o)), stats)
    raise InternalError(f"{engine}: the encoding says the init block fails with picks {picks}, "
                        "the reference semantics does not")

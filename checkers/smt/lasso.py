"""Bounded lasso search with Z3: the temporal properties of `xenmodel check --engine bmc`.

A counterexample to a temporal property is a lasso: states s_0..s_k of a run from an initial state, and
a closing step from s_k back to some s_l (or s_k a deadlock that stutters forever, l = k). The encoding
is the standard loop-back one. At depth k the prefix s_0..s_k is the unrolled transition relation
(`Unroller`, the same as BMC's); under push/pop come

- the closing step: one instance out of s_k fires (or, only if no instance is enabled in s_k, none:
  the stutter), its successor equals s_l, with exactly one loop selector L_l true;
- "in the cycle" literals C_j = L_0 or ... or L_j (state j is on the cycle, so is transition j -> j+1);
- fairness on the cycle, per fair action instance a(args): weak: taken on the cycle, or disabled in
  some cycle state; strong: taken on the cycle, or disabled in every cycle state ("enabled" = some path
  of the instance completes, expanded over its chooses, exactly `liveness.enabled`);
- the negation of some temporal property instance on the lasso (one indicator each), e.g. for P ~> Q:
  Q false on every cycle state, and some i with P(s_i) and Q false on s_i..s_k.

Depths are tried in order, so the first lasso found has the fewest states. It is read off Z3's model,
named by its property instance and replayed through `xenmodel.trace.replay`, whose judge
(`liveness.lasso_problem`) re-checks the property and the fairness with the reference semantics. No
lasso up to the bound is a bounded result (a fair violating lasso may need more states), never a proof.
A temporal predicate that raises a model error in a reachable state makes the run unknown (as in the
explicit engine), rather than a verdict that ignores the error.
"""
from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import z3

from xenmodel import ir, liveness
from xenmodel.deadline import Deadline
from xenmodel.result import ProgressUpdate, Result, Violation
from xenmodel.trace import Trace, TraceStep, replay
from xenmodel.types import Type, values

from .runtime import Instance, Model, leaves, substitute_all
from .unroll import DEADLOCK_EXPANSION_LIMIT, InternalError, Unroller, make_solver, model_ok, query, successor
from .values import FALSE, TRUE, Bool, I, Sym, const_sym, eq, ext, is_bool, mk_and, mk_not, mk_or

ENGINE = "bmc"
# More fair action instances than this and the search refuses (status unknown): each costs an
# enabledness formula per state of the lasso.
MAX_FAIR_INSTANCES = 512

Progress = Callable[[ProgressUpdate], None] | None


class LassoError(Exception):
    """The search cannot give a verdict (an erroring predicate, too many fair instances): status unknown."""


@dataclass(frozen=True)
class Goal:
    """One temporal property instance, and its indicator in one depth's query."""
    temporal: ir.Temporal
    args: tuple[Any, ...]
    flag: Bool


@dataclass(frozen=True)
class Closing:
    """One depth's lasso query: the closing literals (one per instance out of s_k), the stutter, the
    loop selectors L_0..L_k, the closing step's successor, and the goals."""
    conds: list[Bool]
    stutter: Bool
    sel: list[Bool]
    post: list[Sym]
    goals: list[Goal]


def _fixed(x: Sym, t: Type, v: Any) -> list[tuple[Any, Any]]:
    """Substitution pairs that set sym x (of type t) to the constant v."""
    pairs = []
    for a, b in zip(leaves(x), leaves(const_sym(t, v)), strict=True):
        if is_bool(a) or b.size() == a.size():
            pairs.append((a, b))
        else:
            pairs.append((a, ext(I(b, v, v), a.size())))
    return pairs


def enabled_for(inst: Instance, args: tuple[Any, ...]) -> Bool:
    """`inst` (concrete, or with symbolic parameters) has a completing path with parameters `args`: its
    path condition with the parameters fixed, expanded over its chooses (`liveness.enabled`)."""
    if inst.args is not None:
        if tuple(inst.args) != tuple(args):
            return FALSE
        return substitute_all(inst.en, inst.choice_vars, DEADLOCK_EXPANSION_LIMIT)
    pairs = [pr for x, p, v in zip(inst.arg_syms, inst.action.params, args, strict=True) for pr in _fixed(x, p.type, v)]
    params = {id(x) for x in inst.arg_syms}
    chooses = [(x, t) for x, t in inst.choice_vars if id(x) not in params]
    return substitute_all(z3.substitute(inst.en, pairs) if pairs else inst.en, chooses, DEADLOCK_EXPANSION_LIMIT)


def taken_for(insts: list[Instance], conds: list[Bool], action: ir.Action, args: tuple[Any, ...]) -> Bool:
    """The step whose fired literals are `conds` (one per instance in `insts`) takes action(args)."""
    out: list[Bool] = []
    for inst, c in zip(insts, conds, strict=True):
        if inst.action.name != action.name:
            continue
        if inst.args is None:
            out.append(mk_and(c, *(eq(x, const_sym(p.type, v))
                                   for x, p, v in zip(inst.arg_syms, action.params, args, strict=True))))
        elif tuple(inst.args) == tuple(args):
            out.append(c)
    return mk_or(*out)


def fair_instances(model: ir.Model) -> list[tuple[ir.Action, tuple[Any, ...]]]:
    """Every instance a(args) of every fair action, in declaration order."""
    return [(a, tuple(args)) for a in model.fair_actions
            for args in itertools.product(*(values(p.type) for p in a.params))]


class LassoSearch:
    """The lasso queries over one unrolling whose prefix states the caller adds, depth by depth."""

    def __init__(self, model: ir.Model, u: Unroller) -> None:
        self.model = model
        self.u = u
        self.enc = u.enc
        self.spec = [(t, args) for t in model.temporals for args in liveness.instances(t)]
        self.fair = fair_instances(model)
        if len(self.fair) > MAX_FAIR_INSTANCES:
            raise LassoError(f"{len(self.fair)} fair action instances (the lasso encoding takes at most "
                             f"{MAX_FAIR_INSTANCES})")
        self.p: list[list[Bool]] = []  # per state, per property instance: P
        self.q: list[list[Bool]] = []  # per state, per property instance: Q (leads-to), else TRUE
        self.en: list[list[Bool]] = []  # per state, per fair instance: enabled

    def add_state(self, k: int, dl: Deadline) -> None:
        """The predicates and the fair instances' enabledness at the new prefix state s_k. A predicate
        that may raise a model error there is a LassoError (asked of the solver, which holds the prefix)."""
        s = self.u.states[k]
        ps, qs, errs = [], [], []
        for t, args in self.spec:
            env = {p.uid: const_sym(p.type, v) for p, v in zip(t.params, args, strict=True)}
            pv, pe = self.enc.predicate(t.p, s, env)
            qv, qe = self.enc.predicate(t.q, s, env) if t.q is not None else (TRUE, [])
            ps.append(pv)
            qs.append(qv)
            errs += [(t, args, e) for e in pe + qe]
        self.u.flush_side()
        for t, args, e in errs:
            r = query(self.u.solver, dl, e.cond)
            if r == z3.sat:
                raise LassoError(f"evaluating {liveness.instance_text(t, args)} raises {e.code} ({e.message}) "
                                 f"in a state reachable in {k} steps")
            if r == z3.unknown:
                raise LassoError(f"z3: {self.u.solver.reason_unknown()} (the predicates at depth {k})")
        self.p.append(ps)
        self.q.append(qs)
        by_action: dict[str, list[Instance]] = {}
        for inst in self.u.insts[k]:
            by_action.setdefault(inst.action.name, []).append(inst)
        self.en.append([mk_or(*(enabled_for(i, args) for i in by_action.get(a.name, []))) for a, args in self.fair])

    def query_at(self, k: int) -> Closing:
        """Assert (inside the caller's push) a lasso closing at s_k that violates some property instance
        on its cycle's fair behaviour."""
        u, solver, enc = self.u, self.u.solver, self.enc
        insts = u.insts[k]
        conds = [z3.Bool(f"close.{k}.{i}") for i in range(len(insts))]
        stutter = z3.Bool(f"close.{k}.stutter")
        solver.add(z3.PbEq([(c, 1) for c in conds + [stutter]], 1))
        for c, inst in zip(conds, insts, strict=True):
            solver.add(z3.Implies(c, inst.en))
        sel = [z3.Bool(f"loop.{k}.{j}") for j in range(k + 1)]
        solver.add(z3.PbEq([(x, 1) for x in sel], 1))
        # only a deadlock stutters, and onto itself
        deadlocked = mk_not(mk_or(*(substitute_all(i.en, i.choice_vars, DEADLOCK_EXPANSION_LIMIT) for i in insts)))
        solver.add(z3.Implies(stutter, mk_and(deadlocked, sel[k])))
        post = successor(enc, solver, u.states[k], insts, conds, f"close{k}")  # s_k itself on a stutter
        for j in range(k + 1):
            solver.add(z3.Implies(sel[j], enc.state_eq(post, u.states[j])))
        u.flush_side()
        on: list[Bool] = []  # on[j]: state j, and transition j -> j+1, are on the cycle
        for j in range(k + 1):
            on.append(mk_or(on[-1], sel[j]) if on else sel[0])
        step_conds = [*u.fired[:k], conds]
        for n, (a, args) in enumerate(self.fair):
            taken = mk_or(*(mk_and(on[j], taken_for(u.insts[j], step_conds[j], a, args)) for j in range(k + 1)))
            if a.fairness == ir.Fairness.WEAK:
                excused = mk_or(*(mk_and(on[j], mk_not(self.en[j][n])) for j in range(k + 1)))
            else:
                excused = mk_and(*(z3.Implies(on[j], mk_not(self.en[j][n])) for j in range(k + 1)))
            solver.add(mk_or(taken, excused))
        goals = [Goal(t, args, z3.Bool(f"goal.{k}.{g}")) for g, (t, args) in enumerate(self.spec)]
        for g, goal in enumerate(goals):
            solver.add(z3.Implies(goal.flag, self._violated(goal.temporal, g, k, on)))
        solver.add(mk_or(*(goal.flag for goal in goals)))
        return Closing(conds, stutter, sel, post, goals)

    def _violated(self, t: ir.Temporal, g: int, k: int, on: list[Bool]) -> Bool:
        """Property instance g fails on the lasso s_0..s_k whose cycle is marked by `on`."""
        p = [self.p[j][g] for j in range(k + 1)]
        match t.kind:
            case ir.TemporalKind.EVENTUALLY:
                return mk_and(*(mk_not(x) for x in p))
            case ir.TemporalKind.ALWAYS:
                return mk_or(*(mk_not(x) for x in p))
            case ir.TemporalKind.ALWAYS_EVENTUALLY:
                return mk_and(*(z3.Implies(on[j], mk_not(p[j])) for j in range(k + 1)))
            case ir.TemporalKind.EVENTUALLY_ALWAYS:
                return mk_or(*(mk_and(on[j], mk_not(p[j])) for j in range(k + 1)))
            case ir.TemporalKind.LEADS_TO:
                q = [self.q[j][g] for j in range(k + 1)]
                never_again: list[Bool] = [TRUE] * (k + 2)  # never_again[i]: Q false in s_i..s_k
                for i in range(k, -1, -1):
                    never_again[i] = mk_and(mk_not(q[i]), never_again[i + 1])
                cycle_free = mk_and(*(z3.Implies(on[j], mk_not(q[j])) for j in range(k + 1)))
                return mk_and(cycle_free, mk_or(*(mk_and(p[i], never_again[i]) for i in range(k + 1))))
        raise AssertionError(t.kind)  # every kind is a case above

    def lasso(self, m: Model, k: int, c: Closing, first_picks: tuple[tuple[str, Any], ...]) -> Trace:
        """The lasso in Z3's model m, named by its first violated property instance, replayed and judged."""
        steps = self.u.trace_steps(m, k, first_picks=first_picks)
        loop = next(j for j, x in enumerate(c.sel) if z3.is_true(m.eval(x, model_completion=True)))
        fired = [i for i, x in enumerate(c.conds) if z3.is_true(m.eval(x, model_completion=True))]
        closing = None
        if fired:
            inst = self.u.insts[k][fired[0]]
            closing = TraceStep(inst.action.name, inst.args_in(m), inst.picks_in(m), self.enc.state_value(m, c.post))
        goal = next((g for g in c.goals if z3.is_true(m.eval(g.flag, model_completion=True))), None)
        if goal is None:
            raise InternalError("bmc: a lasso in the solver's model that violates no temporal property")
        cycle = len(steps) - loop
        msg = (f"{liveness.instance_text(goal.temporal, goal.args)} fails on a lasso of {len(steps)} states "
               f"(a prefix of {loop} steps, then a cycle of {cycle} state{'s' if cycle != 1 else ''}) under "
               "fairness")
        trace = Trace(tuple(steps), Violation.of_temporal(goal.temporal, goal.args, msg), loop=loop, closing=closing)
        replay(self.model, trace)  # the judge; a ReplayError here is an internal error: let it propagate
        return trace


def search(model: ir.Model, depth: int, dl: Deadline, progress: Progress = None) -> Result:
    """The shortest lasso of at most depth + 1 states that violates a temporal property of `model` under
    its fairness; bounded when there is none. The caller holds `dl` armed (and has checked safety: the
    initial states exist and nothing raises within the depth)."""
    started = time.perf_counter()
    per_depth: dict[str, float] = {}

    def stats() -> dict[str, Any]:
        return {"depth_reached": len(per_depth) - 1, "seconds": round(time.perf_counter() - started, 3),
                "per_depth_seconds": dict(per_depth)}

    solver = make_solver()
    u = Unroller(model, solver)
    init = u.enc.init()
    u.flush_side()
    u.start(init)
    try:
        ls = LassoSearch(model, u)
        for k in range(depth + 1):
            t0 = time.perf_counter()
            if k > 0:
                u.add_step()
            ls.add_state(k, dl)
            solver.push()
            c = ls.query_at(k)
            r = query(solver, dl)
            if r != z3.unknown:  # per_depth: the depths answered (depth_reached agrees with the reason)
                per_depth[str(k)] = round(time.perf_counter() - t0, 4)
            if progress:
                progress(ProgressUpdate(ENGINE, f"lasso depth {k}", time.perf_counter() - started, depth=k,
                                        message=str(r)))
            if r == z3.sat:
                m = solver.model()
                if not model_ok(solver, m):
                    solver.pop()
                    return Result.unknown(model, ENGINE, "z3 answered sat with a model that does not satisfy the "
                                          f"lasso query at depth {k} (interrupted by the timeout?)", stats())
                trace = ls.lasso(m, k, c, init.picks_in(m))
                solver.pop()
                return Result.violated(model, ENGINE, trace, stats())
            solver.pop()
            if r == z3.unknown:
                why = "timed out" if dl.expired() else f"z3: {solver.reason_unknown()}"
                return Result.unknown(model, ENGINE, f"{why} in the lasso search at depth {k}", stats(),
                                      bound=k - 1 if k > 0 else None)
    except LassoError as err:
        return Result.unknown(model, ENGINE, f"temporal properties not checked: {err}", stats(),
                              bound=len(per_depth) - 1 if per_depth else None)
    n = sum(len(liveness.instances(t)) for t in model.temporals)
    return Result.bounded(model, ENGINE, depth, stats(), messages=(
        f"temporal properties ({n} instances): no lasso of at most {depth + 1} states violates one under "
        "fairness",))

"""The PDR baseline of `xenmodel infer --engine pdr`: Z3's CHC engine (Spacer, an IC3/PDR) on the
transition relation of the Z3 engines (checkers/smt), and its inductive invariant written back as lemmas.

The constrained Horn clauses, over one uninterpreted relation `Inv` on the state's leaves (the flat
tuple of Z3 constants of one state copy, in the canonical form of pdr_state.py):

    init completes                                     =>  Inv(init's state)
    Inv(s) /\\ instance i of an action completes from s  =>  Inv(i's successor of s)    one per instance
    Inv(s) /\\ not P(s)                                  =>  Bad                         one per target P
    Inv(s) /\\ instance i raises from s                  =>  Bad                         error-freedom
    the init block raises                              =>  Bad                         error-freedom

Instances are the Encoder's: one per tuple of enumerated parameters (or one with symbolic parameters
when there are many), with their `choose`s as free variables; a step that raises ends its path (it is
not a transition), exactly as in the reference semantics. `Bad` unreachable: every target holds in every
reachable state (proved), and Spacer's interpretation of `Inv` is an inductive invariant that implies
them, rendered as lemmas (pdr_render.py). `Bad` reachable: violated; the counterexample's length is read
off Spacer's derivation and bounded model checking (checkers/smt/bmc.py, which replays its trace through
the reference semantics) finds the trace at that depth. Neither deadlocks nor temporal properties are
covered (the outcome's detail names what was proved).

A proof is claimed only after Spacer's invariant is checked on every clause by a plain QF_BV solver
(`validate`): with `xform.bit_blast` on, Spacer answered "unsat" on S1's buggy variant with an invariant
that is not inductive; the check turns any such answer into unknown. So "proved" rests on the encoding
the induction engine uses, not on Spacer.

The deadline: Spacer gets the time left as its own `timeout`; the encoding before it runs under the
run's alarm (xenmodel.deadline). Either way the outcome is unknown, never an exception.
"""
from __future__ import annotations

import ctypes
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import z3

from checkers.smt import bmc
from checkers.smt.encode_stmts import Encoder
from checkers.smt.unroll import cut_short, make_solver, query
from checkers.smt.values import Bool, EncodingError
from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline, OutOfTime
from xenmodel.result import Status

from .pdr_render import Unrenderable, expand_exists, lemma_file
from .pdr_state import canonical, state_leaves

ENGINE = "pdr"
# BMC looks for the counterexample at least this deep (deeper when Spacer's derivation is longer)
BMC_FALLBACK_DEPTH = 30
# Spacer's defaults (seeded); not xform.bit_blast, whose answers failed the check of `validate`
SPACER_PARAMS: dict[str, Any] = {"engine": "spacer", "spacer.random_seed": 0}


@dataclass(frozen=True)
class PdrOutcome:
    status: Literal["proved", "violated", "unknown"]
    lemmas_text: str | None  # a lemma file in the xenmodel language when the invariant could be rendered
    seconds: float
    detail: str  # one line: why unknown / the counterexample length / solver stats


def run_pdr(model: ir.Model, targets: Sequence[str], timeout: float | None) -> PdrOutcome:
    """Prove or refute `targets` (property names; empty: every invariant and lemma of the model, and that
    no init block, action or assert raises a model error) at the model's instance with Spacer, in at most
    `timeout` seconds (None: no limit). Raises ValueError for a target the model does not have."""
    props = _targets(model, targets)
    errors = not targets
    started = time.perf_counter()
    dl = Deadline(timeout)

    def unknown(why: str) -> PdrOutcome:
        return PdrOutcome("unknown", None, round(time.perf_counter() - started, 3), why)

    run = _Run(model, props, errors, dl, started)
    try:
        # the alarm cuts the encoding; Spacer is given the time left as its own timeout instead (an alarm
        # firing inside Z3's callbacks would only be printed and ignored)
        with dl.armed(), S.recursion_headroom(model):
            problem = run.encode()
        if isinstance(problem, PdrOutcome):
            return problem
        with S.recursion_headroom(model):
            return run.solve(*problem)
    except EncodingError as err:
        return unknown(f"the Z3 encoding does not support this model: {err}")
    except OutOfTime:
        return unknown(f"timed out after {dl.seconds:g} s")
    except KeyboardInterrupt:
        return unknown("interrupted (Ctrl-C)")
    except ctypes.ArgumentError as err:
        return unknown(cut_short(err, dl))


def _targets(model: ir.Model, targets: Sequence[str]) -> list[ir.Property]:
    if not targets:
        return list(model.properties)
    by_name = {p.name: p for p in model.properties}
    missing = [t for t in targets if t not in by_name]
    if missing:
        raise ValueError(f"no invariant or lemma named {', '.join(missing)} in {model.name}")
    return [by_name[t] for t in dict.fromkeys(targets)]


def free_constants(terms: Sequence[Any]) -> list[Any]:
    """The uninterpreted constants of terms, in first-seen order (a Horn rule's universal variables)."""
    seen: dict[int, Any] = {}
    done: set[int] = set()
    stack = list(reversed(terms))
    while stack:
        t = stack.pop()
        i = t.get_id()
        if i in done:
            continue
        done.add(i)
        if z3.is_const(t) and t.decl().kind() == z3.Z3_OP_UNINTERPRETED:
            seen.setdefault(i, t)
        else:
            stack.extend(reversed(t.children()))
    return list(seen.values())


class _Run:
    def __init__(self, model: ir.Model, props: list[ir.Property], errors: bool, dl: Deadline,
                 started: float) -> None:
        self.model, self.props, self.errors, self.dl, self.started = model, props, errors, dl, started
        self.clauses: list[tuple[Any, list[Bool]]] = []

    def outcome(self, status: Literal["proved", "violated", "unknown"], detail: str,
                lemmas: str | None = None) -> PdrOutcome:
        return PdrOutcome(status, lemmas, round(time.perf_counter() - self.started, 3), detail)

    def covered(self) -> str:
        parts = [p.name for p in self.props] + (["error-freedom"] if self.errors else [])
        if not parts:
            return "nothing (the model has no property)"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]

    def encode(self) -> PdrOutcome | tuple[Any, Any, Any, str]:
        """The CHC problem as (fixedpoint, Inv, Bad, statistics), or the outcome when the init block has
        no state."""
        model = self.model
        enc = Encoder(model)
        init = enc.init()
        init_side = enc.fresh.take_side()
        some = query(_with(init_side, init.en), self.dl)
        if some == z3.unknown:
            if self.dl.expired():
                raise OutOfTime()
            raise EncodingError("z3 cannot tell whether the init block has a state")
        if some == z3.unsat:
            return self.outcome("violated", "no initial state (every engine reports it as a deadlock)")
        pre = enc.state("pre")
        pre_side = enc.fresh.take_side()
        insts = enc.instances(pre, "pre")
        inst_side = enc.fresh.take_side()
        leaves = state_leaves(pre)
        inv = z3.Function("Inv", *(t.sort() for t in leaves), z3.BoolSort())
        bad = z3.Function("Bad", z3.BoolSort())
        now = inv(*leaves)
        rules: list[tuple[Any, list[Bool]]] = []

        def after(next_syms: list[Any]) -> Any:
            return inv(*(c for x, v in zip(next_syms, model.vars, strict=True) for c in canonical(x, v.type)))

        rules.append((after(init.next), [init.en]))
        for inst in insts:
            rules.append((after(inst.next), [now, inst.en]))
        for p in self.props:
            rules.append((bad(), [now, enc.prop(p, pre)[0]]))
        if self.errors:
            rules.append((bad(), [init.err_any()]))
            rules.extend((bad(), [now, inst.err_any()]) for inst in insts)
        side = init_side + pre_side + inst_side + enc.fresh.take_side()
        fp = self.fixedpoint(inv, bad, rules, side)
        return fp, inv, bad, f"{len(self.clauses)} clauses over {len(leaves)} state leaves"

    def solve(self, fp: Any, inv: Any, bad: Any, stats: str) -> PdrOutcome:
        left = self.dl.remaining()
        if left is not None:
            if left <= 0:
                raise OutOfTime()
            fp.set("timeout", max(1, int(left * 1000)))
        try:
            r = fp.query(bad())
        except z3.Z3Exception as err:  # Spacer cut by its timeout raises "canceled" rather than answering
            r, why = z3.unknown, str(err.value.decode() if isinstance(err.value, bytes) else err.value)
        else:
            why = fp.reason_unknown() if r == z3.unknown else ""
        if r == z3.unsat:
            return self.proved(fp, inv, stats)
        if r == z3.sat:
            return self.violated(fp, stats)
        if self.dl.expired() or why == "canceled" and self.dl.seconds is not None:
            return self.outcome("unknown", f"timed out after {self.dl.seconds:g} s (spacer, {stats})")
        return self.outcome("unknown", f"spacer: {why} ({stats})")

    def fixedpoint(self, inv: Any, bad: Any, rules: list[tuple[Any, list[Bool]]], side: list[Bool]) -> Any:
        fp = z3.Fixedpoint()
        for k, v in SPACER_PARAMS.items():
            fp.set(k, v)
        fp.register_relation(inv, bad)
        side_vars = [(c, {x.get_id() for x in free_constants([c])}) for c in side]
        bodies = []
        for head, body in rules:
            known = {x.get_id() for x in free_constants([head, *body])}
            # the domain constraints of the rule's own variables (state leaves, choices, named terms)
            body = body + [c for c, vs in side_vars if vs <= known]
            bodies.append((head, [b for b in body if not z3.is_true(b)]))
        fp.declare_var(*(x for x in free_constants([h for h, _ in bodies] + [b for _, bs in bodies for b in bs])
                         if not x.decl().eq(bad.decl() if z3.is_expr(bad) else bad)))
        self.clauses = [(h, b) for h, b in bodies if not any(z3.is_false(x) for x in b)]
        for head, body in self.clauses:
            fp.rule(head, body)
        return fp

    def proved(self, fp: Any, inv: Any, stats: str) -> PdrOutcome:
        formula = definition(fp.get_answer(), inv)
        unrendered = None
        try:
            formula = expand_exists(formula)
        except Unrenderable as why:
            unrendered = str(why)
        broken = self.validate(formula, inv)
        if broken is not None:
            return self.outcome("unknown", f"spacer answered proved, but its invariant {broken}: not claimed "
                                f"(spacer, {stats})")
        detail = f"proved {self.covered()} (spacer, {stats}; invariant checked)"
        try:
            if unrendered is not None:
                raise Unrenderable(unrendered)
            text = lemma_file(self.model, formula, self.covered())
        except Unrenderable as why:
            return self.outcome("proved", f"{detail}; the invariant is not rendered: {_one_line(str(why))}")
        return self.outcome("proved", detail, text)

    def validate(self, formula: Any, inv: Any) -> str | None:
        """Check Spacer's invariant on every clause with a plain QF_BV solver (Spacer has given wrong
        answers with some of its options: a proof is claimed only once its invariant is checked). None when
        it holds; else what is wrong."""
        def interpret(t: Any) -> Any:
            return z3.substitute_vars(formula, *t.children()) if z3.is_app(t) and t.decl().eq(inv) else t

        for i, (head, body) in enumerate(self.clauses):
            goal = [interpret(b) for b in body]
            if z3.is_app(head) and head.decl().eq(inv):
                goal.append(z3.Not(interpret(head)))
            r = query(_with([], *goal), self.dl)
            if r == z3.sat:
                return f"fails clause {i + 1} of {len(self.clauses)}"
            if r == z3.unknown:
                return f"could not be checked on clause {i + 1} (z3 answered unknown)"
        return None

    def violated(self, fp: Any, stats: str) -> PdrOutcome:
        depth = _derivation_depth(fp)
        left = self.dl.remaining()
        model = replace(self.model, properties=tuple(self.props))
        opts: dict[str, Any] = {"max_depth": max(depth or 0, BMC_FALLBACK_DEPTH),
                                "deadlock": False, "timeout": None if left is None else max(left, 0.001)}
        res = bmc.check(model, opts, temporals=False)
        v = None if res.trace is None else res.trace.violation
        if res.status is Status.VIOLATED and res.trace is not None and v is not None:
            return self.outcome("violated", f"violated: {v.kind.value} {v.name} after {len(res.trace.steps) - 1} "
                                f"step(s) (trace replayed; spacer, {stats})")
        return self.outcome("violated", f"violated (no trace: bmc answered {res.status.value}; spacer, {stats})")


def _one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


def _with(side: list[Bool], *fs: Bool) -> Any:
    s = make_solver()
    s.add(*side, *fs)
    return s


def definition(answer: Any, inv: Any) -> Any:
    """Spacer's interpretation of `inv` in `answer`, as a formula over Var(0..n-1) for its arguments in
    order (Inv's own argument order). `true` when the answer does not constrain it."""
    stack = [answer]
    while stack:
        t = stack.pop()
        if z3.is_quantifier(t) and t.is_forall():
            body = t.body()
            if z3.is_eq(body) and z3.is_app(body.arg(0)) and body.arg(0).decl().eq(inv):
                app = body.arg(0)
                # Inv(Var(i_0), ..., Var(i_n-1)) == F: rename so that argument k is Var(k)
                n = app.num_args()
                slots = [z3.Var(k, app.arg(k).sort()) for k in range(n)]
                order: list[Any] = [None] * n
                for k in range(n):
                    order[z3.get_var_index(app.arg(k))] = slots[k]
                return z3.substitute_vars(body.arg(1), *order)
        if z3.is_app(t) and t.decl().eq(inv):
            return z3.BoolVal(True)
        if z3.is_app(t):
            stack.extend(t.children())
    return z3.BoolVal(True)


def _derivation_depth(fp: Any) -> int | None:
    """How many transition rules Spacer's derivation of Bad uses (the counterexample's length), if it says."""
    try:
        names = fp.get_rules_along_trace()
    except z3.Z3Exception:
        return None
    return max(len(names) - 2, 0) if len(names) else None


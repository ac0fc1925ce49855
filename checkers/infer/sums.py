"""Sums: `forall k: S :: [G =>] t == p1 + p2 + ...`, an int term equal to a sum of counts and `if` terms.

The counting lemmas of a reference-counted model say that a counter is exactly the number of its
holders, and the holders are of several kinds (a flag of the object, the entries of a table that
point at it, a def that counts some more): `mm_frame[m].count == (if mm_frame[m].allocated then 1
else 0) + (count v: VCpu :: mm_cr3[v] == m) + (count t: Mfn, i: MmL1Idx :: mm_l1e[t][i].present &&
mm_l1e[t][i].mfn == m) + ...`. No implication of two atoms says that, so this family builds it from
the model's declared types, in scopes of one variable k of a sort S:

  - targets t: the int terms of the scope that mention k and are not counts (`m[k]`, `m[k].f`);
  - parts: `(if F then 1 else 0)` for a flag F of k (a bool term, or a bool def's call, of k alone);
    a call `f(k, ...)` of a def with an int result whose parameters are all of sort S; the counts of
    the holders of k: for a state variable that is a map with one or two sort keys (`v[j]`,
    `v[j][i]`) to S, S? or a record with a field g of type S or S?, `(count j, i :: v[j][i] == k)`,
    `(count j, i :: v[j][i].g == k)`, and the same with one or two bool fields of the record in
    front (`v[j][i].f && v[j][i].g == k`); and the grammar's own counts of k (grammar.py);
  - guards G: none, or a flag of k (either sign), for a sum that holds only on some objects
    (`!mm_is_xen(m) => ...`).

Every part, target and flag is evaluated on the filter's reachable states (compiled, as the atoms are)
for every value of k; then, for each target and guard, Z3 looks for the smallest set of at least one
part whose sum equals the target on every observation where the guard holds (coefficients 0 or 1),
among observations where the target takes at least two values (a constant says less with a unit).
Z3 gives up to PER_TARGET sets per target and guard, smallest first (the observations often cannot
tell two holder counts apart); the guards are tried in order (none first, then the smallest flags)
until a target has 2 * PER_TARGET sums. So, as every other candidate, a sum holds on every observed
state by construction. Bounds: MAX_PARTS parts and
MAX_TARGETS targets per scope, MAX_SUM_PARTS parts in one sum, MAX_GUARDS guards per target,
MAX_SUMS candidates in all, MAX_ROWS distinct observations per scope (beyond that: no sum for that
scope), SOLVER_RLIMIT of Z3's deterministic resource count per query (a wall-clock limit would make
the candidates, and so the lemma file, depend on the machine's load; SOLVER_GUARD_MS only stops a
runaway). The candidates come beyond the other families' caps (they are few).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from checkers.explicit.codegen_expr import Ctx
from checkers.explicit.runtime import Unsupported
from xenmodel import ir, ir_walk
from xenmodel.diagnostics import DiagnosticError
from xenmodel.types import BoolT, IntT, MapT, OptionT, RecordT, SortT, Type, values

from .candidates import Candidate
from .evaluate import state_loop
from .filter import State, project
from .grammar import Grammar, Scope, Term, _paren

MAX_PARTS = 32  # parts of one scope (flags' ifs, int defs, holder counts), in that order
MAX_FLAGS = 12  # flags of one scope (their ifs are parts; each, either sign, a guard)
MAX_TARGETS = 8  # int terms of one scope equated with a sum
MAX_SUM_PARTS = 8  # parts in one sum
MAX_GUARDS = 16  # guard literals tried per target (after no guard)
MAX_SUMS = 48  # sum candidates in all
PER_TARGET = 3  # sums per target and guard (different sets of parts: observations cannot tell them apart)
MAX_ROWS = 20_000  # distinct observations of one scope
SOLVER_RLIMIT = 5_000_000  # one Z3 query: about 5-7 s on an idle core of this machine
SOLVER_GUARD_MS = 300_000  # a safety net that the resource limit reaches first, even under heavy load


class _Front(Protocol):
    def model(self, lemmas: Sequence[tuple[str, str]], where: Any) -> ir.Model: ...



def _holder_counts(grammar: Grammar, scope: Scope) -> list[tuple[str, int]]:
    """`(count j, i :: v[j][i](.g) == k)` and with one or two bool fields of the record in front."""
    (b,) = scope.binders
    out: list[tuple[str, int]] = []
    for v in grammar.model.vars:
        keys: list[SortT] = []
        ty: Type = v.type
        while isinstance(ty, MapT) and isinstance(ty.key, SortT) and len(keys) < 2:
            keys.append(ty.key)
            ty = ty.value
        if not keys or isinstance(ty, MapT):
            continue
        used = {b.name}
        names = [grammar.fresh(s.name[0].lower(), used) for s in keys]
        head = f"count {', '.join(f'{n}: {s.name}' for n, s in zip(names, keys, strict=True))} :: "
        entry = v.name + "".join(f"[{n}]" for n in names)

        def holds_k(t: Type) -> bool:
            return t == b.sort or (isinstance(t, OptionT) and t.inner == b.sort)

        if holds_k(ty):
            out.append((f"({head}{entry} == {b.name})", 2 + len(keys)))
        elif isinstance(ty, RecordT):
            flags = [f for f, ft in ty.fields if isinstance(ft, BoolT)]
            for g, gt in ty.fields:
                if not holds_k(gt):
                    continue
                eq = f"{entry}.{g} == {b.name}"
                for n in range(3):
                    for fs in itertools.combinations(flags, n):
                        body = " && ".join([*(f"{entry}.{f}" for f in fs), eq])
                        out.append((f"({head}{body})", 3 + len(keys) + n))
    return out


def _int_defs(grammar: Grammar, scope: Scope) -> list[tuple[str, int]]:
    """`f(k, ...)` for a def of int result whose parameters are all of k's sort."""
    (b,) = scope.binders
    out: list[tuple[str, int]] = []
    for kind, name, sig, _, _ in grammar.model.helpers:
        params_text, _, result = sig.rpartition("): ")
        params = [p.partition(": ")[2] for p in filter(None, params_text.lstrip("(").split(", "))]
        if kind == "def" and result == "int" and params and all(p == b.sort.name for p in params):
            out.append((f"{name}({', '.join(b.name for _ in params)})", 1 + len(params)))
    return out


def _pieces(grammar: Grammar, scope: Scope) -> tuple[list[Term], list[tuple[str, str, int]], list[tuple[str, int]]]:
    """(targets, flags as (text, negated text, size), parts as (text, size)) of a one-variable scope."""
    (b,) = scope.binders
    one = frozenset({b.name})
    terms = grammar._terms(scope)
    targets = [t for t in terms if isinstance(t.type, IntT) and t.vars == one and t.guard is None
               and not t.text.startswith("(")][:MAX_TARGETS]
    flags: dict[str, tuple[str, str, int]] = {}
    for t in terms + grammar._def_terms(scope):
        if isinstance(t.type, BoolT) and t.vars == one and t.guard is None:
            flags.setdefault(t.text, (t.text, f"!{_paren(t.text)}", t.size))
    chosen = sorted(flags.values(), key=lambda f: f[2])[:MAX_FLAGS]  # the smallest (stable: terms first)
    # the first len(chosen) parts are the flags' ifs, in the flags' order (sum_candidates' guards)
    parts: list[tuple[str, int]] = [(f"(if {f} then 1 else 0)", size + 1) for f, _, size in chosen]
    rest = _int_defs(grammar, scope) + _holder_counts(grammar, scope)
    rest += [(t.text, t.size) for t in terms if t.text.startswith("(") and isinstance(t.type, IntT) and t.vars == one]
    parts += [p for p in dict.fromkeys(rest) if p not in parts]
    return targets, chosen, parts[:MAX_PARTS]


def _compile(model: ir.Model, bodies: Sequence[tuple[ir.Expr, ir.Quant]]) -> Callable[..., None]:
    """rows(states, values_of_k, into): the tuple of every body's value, per state and value of k."""
    cp, nvars = state_loop(model, "def _rows(_states, _ks, _into):")
    cp.emit("for _b0 in _ks:")
    cp.indent += 1
    codes = []
    for expr, q in bodies:
        ctx = Ctx([f"_s{j}" for j in range(nvars)], {q.uid: ("_b0", False)}, [], -1, "()")
        codes.append(cp.ex(expr, ctx)[0])
    cp.emit("try:")
    cp.emit("    _into.add((" + "".join(f"int({c}), " for c in codes) + "))")
    cp.emit("except ModelError:")
    cp.emit("    pass")
    exec(compile("\n".join(cp.lines) + "\n", "<xenmodel-infer sums>", "exec"), cp.ns)  # noqa: S102
    fn: Callable[..., None] = cp.ns["_rows"]
    return fn


def _solve(rows: Sequence[tuple[int, ...]], target: int, parts: Sequence[int]) -> list[list[int]]:
    """The smallest sets (at least one, at most MAX_SUM_PARTS; up to PER_TARGET of them, smallest
    first) of `parts` (column indices) whose sum is the `target` column on every row (none if Z3
    does not answer in time)."""
    import z3
    live = [p for p in parts if any(r[p] for r in rows)]  # a part 0 on every row adds nothing
    if not live:
        return []
    xs = [z3.Bool(f"x{p}") for p in live]
    opt = z3.Optimize()
    opt.set(rlimit=SOLVER_RLIMIT, timeout=SOLVER_GUARD_MS)
    for r in sorted(set((r[target], *(r[p] for p in live)) for r in rows)):
        opt.add(z3.Sum([z3.If(x, v, 0) for x, v in zip(xs, r[1:], strict=True) if v]) == r[0])
    chosen = z3.Sum([z3.If(x, 1, 0) for x in xs])
    opt.add(chosen >= 1, chosen <= MAX_SUM_PARTS)
    opt.minimize(chosen)
    out: list[list[int]] = []
    while len(out) < PER_TARGET and opt.check() == z3.sat:
        m = opt.model()
        got = [i for i, x in enumerate(xs) if z3.is_true(m.eval(x))]
        out.append([live[i] for i in got])
        opt.add(z3.Or([z3.Not(xs[i]) for i in got]))  # another set next (not a superset of this one)
    return out


def sum_candidates(front: _Front, grammar: Grammar, where: Sequence[tuple[Any, Sequence[State]]]) -> list[Candidate]:
    """The sum candidates of every one-variable scope that hold on the states of `where` ((instance,
    states) pairs, the filter's)."""
    out: list[Candidate] = []
    for scope in grammar.scopes():
        if len(scope.binders) != 1 or len(out) >= MAX_SUMS:
            continue
        targets, flags, parts = _pieces(grammar, scope)
        if not targets or not parts:
            continue
        cols = [t.text for t in targets] + [p for p, _ in parts]  # flag i is the column of part i
        texts = [(f"infer_sum_{i}", f"{scope.prefix()}({c}) == ({c})") for i, c in enumerate(cols)]
        rows: set[tuple[int, ...]] = set()
        try:
            for w, states in where:
                model = front.model(texts, w)
                props = {p.name: p for p in model.properties}
                bodies = []
                for name, _ in texts:
                    q = props[name].expr
                    assert isinstance(q, ir.Quant) and isinstance(q.body, ir.Binary)
                    bodies.append((q.body.left, q))
                read = sorted(ir_walk.vars_read(tuple(e for e, _ in bodies)))
                distinct = project(states, read, len(model.vars))
                _compile(model, bodies)(distinct, values(bodies[0][1].domain), rows)
                if len(rows) > MAX_ROWS:
                    break
        except (Unsupported, DiagnosticError):
            continue  # an expression the compiler does not take, or a text the front end refuses: no sum here
        if len(rows) > MAX_ROWS or not rows:
            continue
        table = sorted(rows)  # a fixed order: Z3's choice among equally small sums follows the assertions
        nt = len(targets)
        part_cols = list(range(nt, len(cols)))
        guards: list[tuple[str | None, int, int]] = [(None, -1, 0)]
        for fi, (ftext, fneg, _) in enumerate(flags):
            guards += [(fneg, nt + fi, 0), (ftext, nt + fi, 1)]
        for ti, t in enumerate(targets):
            found = 0
            for gtext, gcol, gval in guards[:MAX_GUARDS + 1]:
                sel = [r for r in table if gcol < 0 or r[gcol] == gval]
                if len({r[ti] for r in sel}) < 2:
                    continue
                usable = [c for c in part_cols if c != gcol]
                for got in _solve(sel, ti, usable)[:MAX_SUMS - len(out)]:
                    body = f"{t.text} == " + " + ".join(cols[c] for c in got)
                    size = t.size + sum(parts[c - nt][1] for c in got)
                    out.append(Candidate(scope.prefix() + (f"{gtext} => {body}" if gtext else body), size,
                                         scope.label()))
                    found += 1
                if found >= 2 * PER_TARGET or len(out) >= MAX_SUMS:
                    break
    return out

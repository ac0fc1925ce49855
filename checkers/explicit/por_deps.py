"""The static relations partial-order reduction needs, computed once from the IR (checkers/explicit/por.py
uses them per state).

The unit of reduction is the *action instance*: an action with values for its parameters (all its picks
go together). Its accesses are at the precision of a *cell*: `m[k]` of a map variable m whose key k is
known from the parameter values alone (literals, parameters, lets of those) is the cell (m, k); any
other access to m (a whole-map read or write, a key read from the state, a quantifier's or choose's
variable) touches every cell of m. A seq is always touched whole (its length decides whether an index
raises). R(t) is what instance t reads anywhere (guard, body, the keys of its assignment targets; of an
`if` whose condition follows from the parameters, the branch taken only), W(t) what it assigns; what t
does in a state (enabled or not, its successors, whether it raises) depends on the cells of R(t) only,
and it changes only cells of W(t). From that, conservatively:

  - t and u are *dependent* when W(t) meets R(u) | W(u) or W(u) meets R(t) (a write/write or read/write
    conflict). Independent instances commute and neither enables, disables or makes the other raise;
  - a *necessary enabling set* of a disabled t is every instance writing a cell of R(t): a path on which
    t becomes enabled (or starts to raise) must change one of them first. Sharper, per state: when t's
    body starts with `let`s and `require`s and the conjunct c of one of those requires is the first to
    be false, t stays disabled (and does not raise) until a cell read by c or by what comes before it
    changes: the writers of those cells are a necessary enabling set (`guards`);
  - every checked property is split into its conjuncts (`&&`, and `forall` over each value of its
    domain), and each conjunct c is one more, *virtual* transition t_c that would fire in a state
    violating c: it reads what c reads and writes nothing, so an instance writing one of those cells
    is dependent on t_c, and t_c's necessary enabling set is every instance writing one of them.
    por.py's argument of soundness treats property violations and model errors alike with it.

Bits 0..T-1 of the masks are the action instances, T.. the property conjuncts. Accessed cells are
numbered too: for each variable, one atom per key seen in a cell access plus one atom for the other
keys; a whole access is every atom of the variable.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from xenmodel import ir, ir_walk
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError
from xenmodel.types import MapT, values

MAX_SPLIT = 4096  # conjuncts per property at most (a forall over a larger domain stays whole)
WHOLE = object()  # the key of an access to a whole variable

Access = tuple[int, Any]  # (variable index, key or WHOLE)  # noqa: UP040
Env = dict[int, Any]  # noqa: UP040


def _static(e: ir.Expr, env: Env) -> tuple[bool, Any]:
    """(True, value) when e's value follows from `env` alone (no state, no other local)."""
    if ir_walk.vars_read(e) or not ir_walk.free_locals(e) <= env.keys():
        return False, None
    try:
        return True, S.eval_expr(e, (), env)
    except (ModelError, KeyError, IndexError, TypeError):
        return False, None


def accesses(roots: tuple[ir_walk.Node, ...], env: Env) -> tuple[set[Access], set[Access]]:
    """(reads, writes) of the statements or expressions `roots` with the locals of `env` bound."""
    env = dict(env)
    reads: set[Access] = set()
    writes: set[Access] = set()
    stack: list[ir_walk.Node] = list(reversed(roots))
    while stack:
        n = stack.pop()
        match n:
            case ir.Index() if isinstance(n.base, ir.Var) and isinstance(n.base.type, MapT):
                ok, cell = _static(n.index, env)
                if ok:
                    reads.add((n.base.index, cell))
                    continue
            case ir.Var():
                reads.add((n.index, WHOLE))
                continue
            case ir.Assign():
                var, path = ir.lvalue_path(n.target)
                key: Any = WHOLE
                if path and isinstance(path[0], ir.LIndex) and isinstance(var.type, MapT):
                    ok, k = _static(path[0].index, env)
                    key = k if ok else WHOLE
                writes.add((var.index, key))
                stack.append(n.value)
                stack.extend(step.index for step in reversed(path) if isinstance(step, ir.LIndex))
                continue
            case ir.If():
                ok, cond = _static(n.cond, env)
                if ok:  # only the branch this instance takes (a constant switch, a parameter test)
                    stack.extend(reversed(n.then if cond else n.other))
                    continue
            case ir.Let() | ir.LetIn():
                ok, v = _static(n.value, env)
                if ok:  # uids are unique per binding: the value holds wherever the local is read
                    env[n.uid] = v
        stack.extend(reversed(ir_walk.children(n)))
    return reads, writes


def conjuncts(p: ir.Property) -> Iterator[tuple[str, tuple[ir.Expr, ...], Env]]:
    """(label, the conjunct as its `where`s then its body, bound locals) of each conjunct of a property
    (see the module docstring)."""
    # (expression, the `where`s it is under, bound locals, label)
    todo: list[tuple[ir.Expr, tuple[ir.Expr, ...], Env, str]] = [(p.expr, (), {}, p.name)]
    while todo:
        e, under, env, label = todo.pop()
        if isinstance(e, ir.Binary) and e.op == "&&":
            todo += [(e.right, under, env, label), (e.left, under, env, label)]
            continue
        if isinstance(e, ir.Quant) and e.kind == ir.QuantKind.FORALL:
            vals = values(e.domain)
            if 0 < len(vals) <= MAX_SPLIT:
                where = under if e.where is None else (*under, e.where)
                todo += [(e.body, where, {**env, e.uid: v}, f"{label}[{e.name}={v}]") for v in reversed(vals)]
                continue
        yield label, (*under, e), env


Disjunct = tuple[ir.Expr, bool]  # (e, negated): the disjunct is `e`, or `!e` when negated  # noqa: UP040


def disjuncts(e: ir.Expr, negated: bool = False) -> list[Disjunct]:
    """`e` (or `!e`) as the disjuncts the reference semantics evaluates in order, short-circuiting at the
    first true one: `||`, `=>` (`!a || b`), `!`, and a negated `&&` (`!a || !b`)."""
    if isinstance(e, ir.Unary) and e.op == "!":
        return disjuncts(e.operand, not negated)
    if isinstance(e, ir.Binary):
        if not negated and e.op == "||":
            return disjuncts(e.left) + disjuncts(e.right)
        if not negated and e.op == "=>":
            return disjuncts(e.left, True) + disjuncts(e.right)
        if negated and e.op == "&&":
            return disjuncts(e.left, True) + disjuncts(e.right, True)
    return [(e, negated)]


@dataclass(frozen=True)
class Relations:
    """dep[x]: what an enabled instance x is dependent on (x excluded); nes[x]: a necessary enabling set
    of a disabled instance or of a property conjunct; index: (action index, args) -> bit."""
    names: tuple[str, ...]  # the instances', then the conjuncts'
    instances: int  # T
    index: dict[tuple[int, tuple[Any, ...]], int]
    dep: tuple[int, ...]
    nes: tuple[int, ...]
    # per instance, its leading lets and require conjuncts in order: (uid, value) of a let, (-1, conjunct)
    # of a conjunct, with the necessary enabling set of the instance when that conjunct is the first false
    guards: tuple[tuple[tuple[int, ir.Expr, int], ...], ...]
    # per property conjunct: its disjuncts in order, (e, negated, the necessary enabling set when that
    # disjunct is the first true one), and its bound locals
    tests: tuple[tuple[tuple[tuple[ir.Expr, bool, int], ...], Env], ...]
    params: tuple[Env, ...]  # per instance, its parameter values by local uid
    # per instance and conjunct, the variables its guards or tests read (its NES depends on them only)
    guard_vars: tuple[tuple[int, ...], ...]
    checks: int  # bitmask of the actions (by action index) that write a variable some property reads


def relations(model: ir.Model) -> Relations:
    names: list[str] = []
    index: dict[tuple[int, tuple[Any, ...]], int] = {}
    rw: list[tuple[set[Access], set[Access]]] = []
    params: list[Env] = []
    owner: list[int] = []
    for aid, act in enumerate(model.actions):
        for args in S.param_tuples(act):
            index[(aid, args)] = len(rw)
            owner.append(aid)
            names.append(f"{act.name}{args}")
            params.append({p.uid: v for p, v in zip(act.params, args, strict=True)})
            rw.append(accesses(act.body, params[-1]))
    ninst = len(rw)
    conj: list[tuple[list[Disjunct], Env]] = []
    for p in model.properties:
        for label, parts, env in conjuncts(p):
            names.append(label)
            rw.append((accesses(parts, env)[0], set()))
            conj.append(([d for w in parts[:-1] for d in disjuncts(w, True)] + disjuncts(parts[-1]), env))
    cells = _Cells(rw)
    dep = []
    for t in range(ninst):
        d = 0
        for c in _bits(cells.wmask[t]):
            d |= cells.readers[c] | cells.writers[c]
        for c in _bits(cells.rmask[t]):
            d |= cells.writers[c]
        dep.append(d & ~(1 << t))
    nes = [cells.nes_of(r) for r, _ in rw]
    # a property conjunct holds in every state the search expands: it can only become false (or raise)
    # once a cell read by its disjuncts up to the first true one changes
    tests = []
    for ds, env in conj:
        reads: set[Access] = set()
        tsteps = []
        for e, neg in ds:
            reads |= accesses((e,), env)[0]
            tsteps.append((e, neg, cells.nes_of(reads)))
        tests.append((tuple(tsteps), env))
    guards = []
    for t in range(ninst):
        reads = set()
        gsteps = []
        for uid, e in _leading(model.actions[owner[t]].body):
            reads |= accesses((e,), params[t])[0]
            gsteps.append((uid, e, cells.nes_of(reads)))
        guards.append(tuple(gsteps))
    prop_vars = {var for r, _ in rw[ninst:] for var, _ in r}
    checks = 0
    for aid, act in enumerate(model.actions):
        if ir_walk.vars_written(act.body) & prop_vars:
            checks |= 1 << aid
    guard_vars = tuple(tuple(sorted(ir_walk.vars_read(tuple(step[1] for step in g)))) for g in guards) + tuple(
        tuple(sorted(ir_walk.vars_read(tuple(step[0] for step in ts)))) for ts, _ in tests)
    return Relations(tuple(names), ninst, index, tuple(dep), tuple(nes), tuple(guards), tuple(tests),
                     tuple(params), guard_vars, checks)


class _Cells:
    """The atoms of the accessed cells: one per (variable, key) seen, one per variable for the other
    keys; per transition its read and write masks of atoms, per atom its readers and writers."""

    def __init__(self, rw: list[tuple[set[Access], set[Access]]]) -> None:
        self.atoms: dict[Access, int] = {}
        self.of_var: dict[int, int] = {}
        for reads, writes in rw:
            for var, key in reads | writes:
                if (var, WHOLE) not in self.atoms:
                    self.atoms[(var, WHOLE)] = len(self.atoms)
                    self.of_var[var] = 1 << self.atoms[(var, WHOLE)]
                if key is not WHOLE and (var, key) not in self.atoms:
                    self.atoms[(var, key)] = len(self.atoms)
                    self.of_var[var] |= 1 << self.atoms[(var, key)]
        self.rmask = [self.mask(r) for r, _ in rw]
        self.wmask = [self.mask(w) for _, w in rw]
        self.readers = [0] * len(self.atoms)
        self.writers = [0] * len(self.atoms)
        for x in range(len(rw)):
            for bits, table in ((self.rmask[x], self.readers), (self.wmask[x], self.writers)):
                for a in _bits(bits):
                    table[a] |= 1 << x

    def mask(self, acc: set[Access]) -> int:
        m = 0
        for var, key in acc:
            m |= self.of_var[var] if key is WHOLE else 1 << self.atoms[(var, key)]
        return m

    def nes_of(self, reads: set[Access]) -> int:
        """Every transition writing a cell of `reads`."""
        n = 0
        for a in _bits(self.mask(reads)):
            n |= self.writers[a]
        return n


def _leading(body: tuple[ir.Stmt, ...]) -> Iterator[tuple[int, ir.Expr]]:
    """The leading lets (uid, value) and require conjuncts (-1, conjunct) of an action's body, in order."""
    for st in body:
        if isinstance(st, ir.Let):
            yield st.uid, st.value
        elif isinstance(st, ir.Require):
            parts: list[ir.Expr] = [st.cond]
            while parts:
                e = parts.pop()
                if isinstance(e, ir.Binary) and e.op == "&&":
                    parts += [e.right, e.left]
                else:
                    yield -1, e
        else:
            return


def _bits(m: int) -> Iterator[int]:
    while m:
        low = m & -m
        yield low.bit_length() - 1
        m ^= low

"""Encoding of the IR into Z3: exactly the reference semantics (xenmodel/semantics.py), symbolically.

Representation of values ("syms"), chosen so that Z3 has little to do (everything is Boolean or a
small bit-vector, so the problems are QF_BV and bit-blast to SAT):
  bool            -> a Z3 Bool
  int, sort, enum -> `I`: a signed bit-vector with a known interval [lo, hi] of the values it can take.
                     The width is the smallest that holds the interval; arithmetic widens to the width of
                     the result's interval, so the unbounded integer arithmetic of the language is exact.
                     Sort and enum values are their index (interval [0, n-1]).
  T?              -> `Opt(present, value)` (the value is a don't-care when absent)
  set<T>          -> `SetV`: one Bool per element of a finite domain (the element type's values; for
                     ints, the union of the type's range and the literal items' intervals)
  seq<T, N>       -> `SeqV(length, slots)`: a length `I` and as many slots as the seq can ever hold
                     (slots at or past the length are don't-cares)
  K -> V          -> `MapV(slots)`: flattened, one sym per key in values(K) order
  record          -> `RecV(fields)`

Statements are executed symbolically in order (SSA: every write makes a new sym, `if` merges the two
branches' states with if-then-else). The path condition `g` collects requires, branch conditions and
`choose` constraints; a model error or failed assert is recorded as (g and trigger, code, message, span)
and removes its case from `g`, so an error ends its path exactly as in the reference semantics
(errors that come earlier in evaluation order win). Parameters are enumerated concretely when there are
few combinations (so map indices fold to constants), else they are fresh variables; each `choose` is a
fresh variable constrained to its domain; its value and whether the path reached it give the picks.

Known deviation (harmless for every verdict): when evaluating a `choose`'s `where` raises a model error
for one value, the reference stops enumerating the later values of that choose; here the other values
stay enabled. Such a state already has an error outcome, which every engine reports at that depth.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import z3

from xenmodel import ir
from xenmodel.semantics import COMPARISONS
from xenmodel.types import (BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type,
                            cardinality, is_enumerable, key_index, values)

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


class EncodingError(Exception):
    """The model uses something this encoding cannot express (reported as status unknown)."""


# ------------------------------------------------------------------ Boolean helpers with folding
def mk_and(*xs) -> z3.BoolRef:
    out = []
    for x in xs:
        if z3.is_false(x):
            return FALSE
        if z3.is_true(x):
            continue
        out.append(x)
    if not out:
        return TRUE
    if len(out) == 1:
        return out[0]
    return z3.And(out)


def mk_or(*xs) -> z3.BoolRef:
    out = []
    for x in xs:
        if z3.is_true(x):
            return TRUE
        if z3.is_false(x):
            continue
        out.append(x)
    if not out:
        return FALSE
    if len(out) == 1:
        return out[0]
    return z3.Or(out)


def mk_not(x) -> z3.BoolRef:
    if z3.is_true(x):
        return FALSE
    if z3.is_false(x):
        return TRUE
    if z3.is_not(x):
        return x.arg(0)
    return z3.Not(x)


def mk_ite_b(c, a, b) -> z3.BoolRef:
    if z3.is_true(c) or a.eq(b):
        return a
    if z3.is_false(c):
        return b
    if z3.is_true(a) and z3.is_false(b):
        return c
    if z3.is_false(a) and z3.is_true(b):
        return mk_not(c)
    return z3.If(c, a, b)


# ------------------------------------------------------------------ syms
def width_for(lo: int, hi: int) -> int:
    w = 1
    while not (-(1 << (w - 1)) <= lo and hi <= (1 << (w - 1)) - 1):
        w += 1
    return w


class I:
    """An integral value: a signed bit-vector term with the interval of values it can take."""
    __slots__ = ("t", "lo", "hi")

    def __init__(self, t, lo: int, hi: int) -> None:
        self.t, self.lo, self.hi = t, lo, hi

    @property
    def w(self) -> int:
        return self.t.size()

    def const(self) -> int | None:
        return self.t.as_signed_long() if z3.is_bv_value(self.t) else None


def ival(v: int) -> I:
    return I(z3.BitVecVal(v, width_for(v, v)), v, v)


def ext(x: I, w: int):
    """x's term at width w (w >= x.w), sign-extended."""
    if x.w == w:
        return x.t
    c = x.const()
    if c is not None:
        return z3.BitVecVal(c, w)
    return z3.SignExt(w - x.w, x.t)


def shrink(x: I, lo: int, hi: int) -> I:
    """x known (on the paths that matter) to lie in [lo, hi]: the narrower representation."""
    lo2, hi2 = max(lo, x.lo), min(hi, x.hi)
    if lo2 > hi2:  # the value is never in range on a live path: any representative will do
        lo2 = hi2 = lo
        return I(z3.BitVecVal(lo, width_for(lo, lo)), lo, lo)
    w = width_for(lo2, hi2)
    if w >= x.w:
        return I(x.t, lo2, hi2)
    c = x.const()
    if c is not None:
        return I(z3.BitVecVal(c, w), lo2, hi2)
    return I(z3.Extract(w - 1, 0, x.t), lo2, hi2)


@dataclass
class Opt:
    p: Any  # Bool
    v: Any  # sym or None (the literal `none` of unknown inner type)


@dataclass
class SetV:
    elem: Type | None
    dom: tuple  # python element values
    bits: list  # Bool per dom entry


@dataclass
class SeqV:
    n: I
    slots: list


@dataclass
class MapV:
    slots: list


@dataclass
class RecV:
    fields: list


def is_bool(x) -> bool:
    return isinstance(x, z3.BoolRef)


# ------------------------------------------------------------------ generic operations on syms
def int_cmp(op: str, a: I, b: I):
    ca, cb = a.const(), b.const()
    if ca is not None and cb is not None:
        r = {"==": ca == cb, "!=": ca != cb, "<": ca < cb, "<=": ca <= cb, ">": ca > cb, ">=": ca >= cb}[op]
        return TRUE if r else FALSE
    # interval reasoning folds comparisons that cannot go two ways
    if op == "==" and (a.hi < b.lo or b.hi < a.lo):
        return FALSE
    if op == "!=" and (a.hi < b.lo or b.hi < a.lo):
        return TRUE
    if op == "<" and a.hi < b.lo or op == "<=" and a.hi <= b.lo or op == ">" and a.lo > b.hi \
            or op == ">=" and a.lo >= b.hi:
        return TRUE
    if op == "<" and a.lo >= b.hi or op == "<=" and a.lo > b.hi or op == ">" and a.hi <= b.lo \
            or op == ">=" and a.hi < b.lo:
        return FALSE
    w = max(a.w, b.w)
    return COMPARISONS[op](ext(a, w), ext(b, w))


def eq(a, b):
    if a is b:
        return TRUE
    if is_bool(a):
        if z3.is_true(a):
            return b
        if z3.is_false(a):
            return mk_not(b)
        if z3.is_true(b):
            return a
        if z3.is_false(b):
            return mk_not(a)
        return a == b
    if isinstance(a, I):
        return int_cmp("==", a, b)
    if isinstance(a, Opt):
        if a.v is None or b.v is None:
            return mk_and(mk_not(a.p), mk_not(b.p)) if a.v is None and b.v is None else \
                mk_and(eq(a.p, b.p), mk_not(a.p if a.v is None else b.p))
        return mk_and(eq(a.p, b.p), mk_or(mk_not(a.p), eq(a.v, b.v)))
    if isinstance(a, SetV):
        dom, ba, bb = unify_sets(a, b)
        return mk_and(*(eq(x, y) for x, y in zip(ba, bb)))
    if isinstance(a, SeqV):
        parts = [int_cmp("==", a.n, b.n)]
        for i in range(max(len(a.slots), len(b.slots))):
            if i >= len(a.slots) or i >= len(b.slots):
                # one side can never be this long: equal lengths imply the index is past both
                continue
            parts.append(mk_or(int_cmp("<=", a.n, ival(i)), eq(a.slots[i], b.slots[i])))
        return mk_and(*parts)
    if isinstance(a, MapV):
        return mk_and(*(eq(x, y) for x, y in zip(a.slots, b.slots)))
    if isinstance(a, RecV):
        return mk_and(*(eq(x, y) for x, y in zip(a.fields, b.fields)))
    raise AssertionError(f"z3enc: eq on {a!r}")


def ite(c, a, b):
    if a is b:
        return a
    if z3.is_true(c):
        return a
    if z3.is_false(c):
        return b
    if is_bool(a):
        return mk_ite_b(c, a, b)
    if isinstance(a, I):
        ca, cb = a.const(), b.const()
        if ca is not None and ca == cb:
            return a
        lo, hi = min(a.lo, b.lo), max(a.hi, b.hi)
        w = max(a.w, b.w)
        x, y = ext(a, w), ext(b, w)
        if x.eq(y):
            return I(x, lo, hi)
        return I(z3.If(c, x, y), lo, hi)
    if isinstance(a, Opt):
        if a.v is None:
            return Opt(ite(c, a.p, b.p), b.v)
        if b.v is None:
            return Opt(ite(c, a.p, b.p), a.v)
        return Opt(ite(c, a.p, b.p), ite(c, a.v, b.v))
    if isinstance(a, SetV):
        dom, ba, bb = unify_sets(a, b)
        return SetV(a.elem if a.elem is not None else b.elem, dom, [ite(c, x, y) for x, y in zip(ba, bb)])
    if isinstance(a, SeqV):
        n = max(len(a.slots), len(b.slots))
        sa = a.slots + [b.slots[i] for i in range(len(a.slots), n)]
        sb = b.slots + [a.slots[i] for i in range(len(b.slots), n)]
        return SeqV(ite(c, a.n, b.n), [ite(c, x, y) for x, y in zip(sa, sb)])
    if isinstance(a, MapV):
        return MapV([ite(c, x, y) for x, y in zip(a.slots, b.slots)])
    if isinstance(a, RecV):
        return RecV([ite(c, x, y) for x, y in zip(a.fields, b.fields)])
    raise AssertionError(f"z3enc: ite on {a!r}")


def select(c_list, items):
    """items[i] where exactly one of c_list (aligned with items) holds: an if-then-else chain."""
    out = items[-1]
    for c, x in zip(reversed(c_list[:-1]), reversed(items[:-1])):
        out = ite(c, x, out)
    return out


def unify_sets(a: SetV, b: SetV):
    if a.dom == b.dom:
        return a.dom, a.bits, b.bits
    dom = tuple(sorted(set(a.dom) | set(b.dom), key=lambda v: (v is not None, v)))
    ma, mb = dict(zip(a.dom, a.bits)), dict(zip(b.dom, b.bits))
    return dom, [ma.get(d, FALSE) for d in dom], [mb.get(d, FALSE) for d in dom]


def concrete(x) -> Any:
    """The Python value of a sym whose terms are all constants, else raises LookupError."""
    if is_bool(x):
        if z3.is_true(x):
            return True
        if z3.is_false(x):
            return False
        raise LookupError
    if isinstance(x, I):
        c = x.const()
        if c is None:
            raise LookupError
        return c
    if isinstance(x, Opt):
        p = concrete(x.p)
        return concrete(x.v) if p else None
    if isinstance(x, RecV):
        return tuple(concrete(f) for f in x.fields)
    raise LookupError


def const_sym(t: Type, v: Any):
    """The sym of a Python value of type t (the runtime representation of types.py)."""
    if isinstance(t, BoolT):
        return TRUE if v else FALSE
    if isinstance(t, IntT):
        return ival(v)
    if isinstance(t, (SortT, EnumT)):
        n = t.size if isinstance(t, SortT) else len(t.members)
        return I(z3.BitVecVal(v, width_for(0, max(n - 1, 0))), v, v)
    if isinstance(t, OptionT):
        if v is None:
            return Opt(FALSE, None if t.inner is None else default_sym(t.inner))
        return Opt(TRUE, const_sym(t.inner, v))
    if isinstance(t, SetT):
        dom = set_domain(t.elem, v)
        return SetV(t.elem, dom, [TRUE if d in v else FALSE for d in dom])
    if isinstance(t, SeqT):
        return SeqV(ival(len(v)), [const_sym(t.elem, x) for x in v])
    if isinstance(t, MapT):
        return MapV([const_sym(t.value, x) for x in v])
    if isinstance(t, RecordT):
        return RecV([const_sym(ft, x) for (_, ft), x in zip(t.fields, v)])
    raise EncodingError(f"no encoding for a value of type {t}")


def default_sym(t: Type):
    from xenmodel.types import default
    if isinstance(t, IntT) and not t.bounded:
        return ival(0)
    return const_sym(t, default(t))


def set_domain(elem: Type | None, extra=()) -> tuple:
    if elem is None:
        return tuple(sorted(extra))
    if is_enumerable(elem):
        base = values(elem)
        if isinstance(elem, IntT):
            return tuple(sorted(set(base) | set(extra)))
        return tuple(base)
    if isinstance(elem, IntT):
        return tuple(sorted(extra))
    raise EncodingError(f"sets of {elem} are not supported by the Z3 encoding (elements must be enumerable)")


def sort_range(t: Type) -> tuple[int, int]:
    if isinstance(t, IntT):
        if not t.bounded:
            raise EncodingError("an unbounded int in a state variable, parameter or choose")
        return t.lo, t.hi
    if isinstance(t, SortT):
        return 0, t.size - 1
    if isinstance(t, EnumT):
        return 0, len(t.members) - 1
    raise AssertionError(t)


class Fresh:
    """Makes fresh variables for syms of a type, collecting their domain constraints."""

    def __init__(self) -> None:
        self.counter = itertools.count()
        self.side: list = []

    def sym(self, t: Type, name: str):
        if isinstance(t, BoolT):
            return z3.Bool(f"{name}#{next(self.counter)}")
        if isinstance(t, (IntT, SortT, EnumT)):
            lo, hi = sort_range(t)
            w = width_for(lo, hi)
            x = z3.BitVec(f"{name}#{next(self.counter)}", w)
            if lo > -(1 << (w - 1)):
                self.side.append(x >= lo)
            if hi < (1 << (w - 1)) - 1:
                self.side.append(x <= hi)
            return I(x, lo, hi)
        if isinstance(t, OptionT):
            return Opt(self.sym(BoolT(), name + ".some"), self.sym(t.inner, name + ".val"))
        if isinstance(t, SetT):
            dom = set_domain(t.elem)
            return SetV(t.elem, dom, [z3.Bool(f"{name}.has{i}#{next(self.counter)}") for i in range(len(dom))])
        if isinstance(t, SeqT):
            n = self.sym(IntT(0, t.cap), name + ".len")
            return SeqV(n, [self.sym(t.elem, f"{name}[{i}]") for i in range(t.cap)])
        if isinstance(t, MapT):
            return MapV([self.sym(t.value, f"{name}[{k}]") for k in range(cardinality(t.key))])
        if isinstance(t, RecordT):
            return RecV([self.sym(ft, f"{name}.{f}") for f, ft in t.fields])
        raise EncodingError(f"no encoding for a variable of type {t}")

    def take_side(self) -> list:
        out, self.side = self.side, []
        return out


def value_of(m: z3.ModelRef, x, t: Type) -> Any:
    """The Python value (types.py representation) of sym x of type t in Z3 model m."""
    if isinstance(t, BoolT):
        return z3.is_true(m.eval(x, model_completion=True))
    if isinstance(t, (IntT, SortT, EnumT)):
        return m.eval(x.t, model_completion=True).as_signed_long()
    if isinstance(t, OptionT):
        if not z3.is_true(m.eval(x.p, model_completion=True)):
            return None
        return value_of(m, x.v, t.inner)
    if isinstance(t, SetT):
        return frozenset(d for d, b in zip(x.dom, x.bits) if z3.is_true(m.eval(b, model_completion=True)))
    if isinstance(t, SeqT):
        n = m.eval(x.n.t, model_completion=True).as_signed_long()
        return tuple(value_of(m, x.slots[i], t.elem) for i in range(n))
    if isinstance(t, MapT):
        return tuple(value_of(m, s, t.value) for s in x.slots)
    if isinstance(t, RecordT):
        return tuple(value_of(m, f, ft) for f, (_, ft) in zip(x.fields, t.fields))
    raise AssertionError(t)


def leaves(x) -> list:
    """The Z3 terms a sym is made of, in a fixed order (for substitution)."""
    if is_bool(x):
        return [x]
    if isinstance(x, I):
        return [x.t]
    if isinstance(x, Opt):
        return leaves(x.p) + (leaves(x.v) if x.v is not None else [])
    if isinstance(x, SetV):
        return list(x.bits)
    if isinstance(x, SeqV):
        return leaves(x.n) + [t for s in x.slots for t in leaves(s)]
    if isinstance(x, MapV):
        return [t for s in x.slots for t in leaves(s)]
    if isinstance(x, RecV):
        return [t for f in x.fields for t in leaves(f)]
    raise AssertionError(x)


# ------------------------------------------------------------------ encoded pieces
@dataclass
class Err:
    cond: Any  # Bool: this error happens (absolute: includes the path condition)
    code: str
    message: str
    span: Any


@dataclass
class Pick:
    name: str
    sym: Any
    type: Type
    reached: Any  # Bool: the path made this pick


@dataclass
class Instance:
    """One action with one choice of parameters (concrete, or fresh variables), from one state."""
    action: ir.Action
    args: tuple | None  # Python values when the parameters were enumerated
    arg_syms: list
    en: Any  # Bool: some path completes (given the choice variables)
    errs: list[Err]
    next: list  # syms of the successor state
    picks: list[Pick]
    choice_vars: list  # (sym, type) of every fresh choice (symbolic params and chooses)

    def label(self) -> str:
        if self.args is not None:
            return f"{self.action.name}{self.args}"
        return self.action.name

    def err_any(self):
        return mk_or(*(e.cond for e in self.errs))

    def args_in(self, m) -> tuple:
        if self.args is not None:
            return self.args
        return tuple(value_of(m, s, p.type) for s, p in zip(self.arg_syms, self.action.params))

    def picks_in(self, m) -> tuple:
        return tuple((p.name, value_of(m, p.sym, p.type)) for p in self.picks
                     if z3.is_true(m.eval(p.reached, model_completion=True)))


# ------------------------------------------------------------------ the encoder
class Encoder:
    def __init__(self, model: ir.Model, enumerate_limit: int = 64) -> None:
        self.model = model
        self.fresh = Fresh()
        self.enumerate_limit = enumerate_limit
        # execution context
        self.g = TRUE
        self.errs: list[Err] = []
        self.st: list = []
        self.picks: list[Pick] = []
        self.choices: list = []

    # ---------------------------------------------------------- states
    def state(self, tag: str) -> list:
        """Fresh state variables (their domain constraints go to fresh.side)."""
        return [self.fresh.sym(v.type, f"{tag}.{v.name}") for v in self.model.vars]

    def state_eq(self, a: list, b: list):
        return mk_and(*(eq(x, y) for x, y in zip(a, b)))

    def state_value(self, m, s: list) -> tuple:
        return tuple(value_of(m, x, v.type) for x, v in zip(s, self.model.vars))

    # ---------------------------------------------------------- running code
    def _begin(self, state: list) -> None:
        self.g = TRUE
        self.errs = []
        self.st = list(state)
        self.picks = []
        self.choices = []

    def init(self) -> Instance:
        """The init block as an instance from nothing: en/next give the initial states, errs its errors."""
        self._begin([])
        env: dict = {}
        for v in self.model.vars:
            if v.init is not None:
                x = self.narrow(self.ex(v.init, env), v.type, v.span)
            else:
                x = default_sym(v.type)
            self.st.append(x)
        self.block(self.model.init, env)
        fake = ir.Action("init", (), ())
        return Instance(fake, (), [], self.g, self.errs, self.st, self.picks, self.choices)

    def instances(self, state: list, tag: str) -> list[Instance]:
        out = []
        for a in self.model.actions:
            n = 1
            for p in a.params:
                n *= cardinality(p.type)
            if n <= self.enumerate_limit:
                for args in itertools.product(*(values(p.type) for p in a.params)):
                    out.append(self.instance(a, state, args, tag))
            else:
                out.append(self.instance(a, state, None, tag))
        return out

    def instance(self, a: ir.Action, state: list, args: tuple | None, tag: str) -> Instance:
        self._begin(state)
        env: dict = {}
        arg_syms = []
        for i, p in enumerate(a.params):
            if args is not None:
                x = const_sym(p.type, args[i])
            else:
                x = self.fresh.sym(p.type, f"{tag}.{a.name}.{p.name}")
                self.choices.append((x, p.type))
            env[p.uid] = x
            arg_syms.append(x)
        self.block(a.body, env)
        return Instance(a, args, arg_syms, self.g, self.errs, self.st, self.picks, self.choices)

    def prop(self, p: ir.Property, state: list):
        """(bad, errs): bad holds when the property fails (false, or evaluating it raises)."""
        self._begin(state)
        v = self.ex(p.expr, {})
        errs = self.errs
        return mk_or(mk_not(v), *(e.cond for e in errs)), errs

    # ---------------------------------------------------------- errors and guards
    def err(self, trig, code: str, message: str, span) -> None:
        c = mk_and(self.g, trig)
        if z3.is_false(c):
            return
        self.errs.append(Err(c, code, message, span))
        self.g = mk_and(self.g, mk_not(trig))

    def under(self, cond, fn):
        """Evaluate fn() only on the paths where cond holds (short-circuit)."""
        saved = self.g
        n0 = len(self.errs)
        self.g = mk_and(saved, cond)
        v = fn()
        new = [e.cond for e in self.errs[n0:]]
        self.g = mk_and(saved, mk_not(mk_or(*new))) if new else saved
        return v

    # ---------------------------------------------------------- statements
    def block(self, stmts, env: dict) -> None:
        for s in stmts:
            if z3.is_false(self.g):
                return
            self.stmt(s, env)

    def stmt(self, s, env: dict) -> None:
        t = type(s)
        if t is ir.Assign:
            v = self.ex(s.value, env)
            self.store(s.target, v, env)
        elif t is ir.Let:
            env[s.uid] = self.ex(s.value, env)
        elif t is ir.Require:
            c = self.ex(s.cond, env)
            self.g = mk_and(self.g, c)
        elif t is ir.Assert:
            c = self.ex(s.cond, env)
            self.err(mk_not(c), "XM507", s.message, s.span)
        elif t is ir.If:
            c = self.ex(s.cond, env)
            self.branch(c, s.then, s.other, env)
        elif t is ir.Foreach:
            for v in values(s.domain):
                env[s.uid] = const_sym(s.domain, v)
                if s.where is not None:
                    w = self.ex(s.where, env)
                    self.branch(w, s.body, (), env)
                else:
                    self.block(s.body, env)
        elif t is ir.Choose:
            x = self.fresh.sym(s.domain, f"choose.{s.name}")
            self.choices.append((x, s.domain))
            env[s.uid] = x
            if s.where is not None:
                w = self.ex(s.where, env)
                self.g = mk_and(self.g, w)
            self.picks.append(Pick(s.name, x, s.domain, self.g))
            self.block(s.body, env)
        else:
            raise AssertionError(f"z3enc: unknown statement {s!r}")

    def branch(self, c, then, other, env: dict) -> None:
        if z3.is_true(c):
            self.block(then, env)
            return
        if z3.is_false(c):
            self.block(other, env)
            return
        saved_g, saved_st = self.g, self.st
        g1 = mk_and(saved_g, c)
        self.g, self.st = g1, list(saved_st)
        self.block(then, dict(env))
        end1, st1 = self.g, self.st
        g2 = mk_and(saved_g, mk_not(c))
        self.g, self.st = g2, list(saved_st)
        self.block(other, dict(env))
        end2, st2 = self.g, self.st
        if end1 is g1 and end2 is g2:
            self.g = saved_g
        else:
            self.g = mk_or(end1, end2)
        self.st = [ite(c, a, b) for a, b in zip(st1, st2)]

    def store(self, lv, v, env: dict) -> None:
        if type(lv) is ir.LVar:
            self.st[lv.index] = v
            return
        node, path = ir.lvalue_path(lv)
        containers = [self.st[node.index]]
        keys = []
        for step in path:
            cur = containers[-1]
            if type(step) is ir.LIndex:
                k = self.ex(step.index, env)
                bt = step.base.type
                if isinstance(bt, MapT):
                    keys.append(("map", bt.key, k))
                    containers.append(self.map_get(cur, bt.key, k))
                else:
                    self.err(mk_or(int_cmp("<", k, ival(0)), int_cmp(">=", k, cur.n)), "XM505",
                             "index outside a seq", step.span)
                    keys.append(("seq", None, k))
                    containers.append(self.seq_get(cur, k, step.type))
            else:
                keys.append(("field", None, step.field_index))
                containers.append(cur.fields[step.field_index])
        new = v
        for cur, (kind, kt, k) in zip(reversed(containers[:-1]), reversed(keys)):
            if kind == "field":
                fields = list(cur.fields)
                fields[k] = new
                new = RecV(fields)
            elif kind == "map":
                new = self.map_put(cur, kt, k, new)
            else:
                new = SeqV(cur.n, [ite(int_cmp("==", k, ival(j)), new, s) for j, s in enumerate(cur.slots)])
        self.st[node.index] = new

    # ---------------------------------------------------------- containers
    def key_conds(self, kt: Type, k) -> list | int:
        """The slot index if the key is a constant, else one condition per slot."""
        try:
            return key_index(kt, concrete(k))
        except LookupError:
            return [eq(k, const_sym(kt, kv)) for kv in values(kt)]

    def map_get(self, m: MapV, kt: Type, k):
        kc = self.key_conds(kt, k)
        if isinstance(kc, int):
            return m.slots[kc]
        return select(kc, m.slots)

    def map_put(self, m: MapV, kt: Type, k, v) -> MapV:
        kc = self.key_conds(kt, k)
        if isinstance(kc, int):
            slots = list(m.slots)
            slots[kc] = v
            return MapV(slots)
        return MapV([ite(c, v, s) for c, s in zip(kc, m.slots)])

    def seq_get(self, q: SeqV, i: I, elem: Type):
        """q[i]; where no slot can hold index i the access is a model error (stated by the caller), and
        the value returned only has to be well-formed for the element type."""
        c = i.const()
        if c is not None:
            return q.slots[c] if 0 <= c < len(q.slots) else (q.slots[0] if q.slots else default_sym(elem))
        if not q.slots:
            return default_sym(elem)
        conds = [int_cmp("==", i, ival(j)) for j in range(len(q.slots))]
        return select(conds, q.slots)

    # ---------------------------------------------------------- expressions
    def ex(self, e, env: dict):
        t = type(e)
        if t is ir.Lit:
            if isinstance(e.type, IntT) and not e.type.bounded:
                return ival(e.value)
            return const_sym(e.type, e.value)
        if t is ir.Var:
            return self.st[e.index]
        if t is ir.Local:
            return env[e.uid]
        if t is ir.Index:
            base = self.ex(e.base, env)
            k = self.ex(e.index, env)
            bt = e.base.type
            if isinstance(bt, MapT):
                return self.map_get(base, bt.key, k)
            self.err(mk_or(int_cmp("<", k, ival(0)), int_cmp(">=", k, base.n)), "XM505", "index outside a seq",
                     e.span)
            return self.seq_get(base, k, e.type)
        if t is ir.Field:
            return self.ex(e.base, env).fields[e.field_index]
        if t is ir.Unary:
            v = self.ex(e.operand, env)
            if e.op == "!":
                return mk_not(v)
            return self.arith("-", ival(0), v)
        if t is ir.Binary:
            return self.binary(e, env)
        if t is ir.Ite:
            c = self.ex(e.cond, env)
            if z3.is_true(c):
                return self.ex(e.then, env)
            if z3.is_false(c):
                return self.ex(e.other, env)
            a = self.under(c, lambda: self.ex(e.then, env))
            b = self.under(mk_not(c), lambda: self.ex(e.other, env))
            return ite(c, a, b)
        if t is ir.Quant:
            return self.quant(e, env)
        if t is ir.SetLit:
            items = [self.ex(i, env) for i in e.items]
            return self.set_of(e.type.elem, items)
        if t is ir.SeqLit:
            return SeqV(ival(len(e.items)), [self.ex(i, env) for i in e.items])
        if t is ir.MapComp:
            out = []
            for k in values(e.key):
                env2 = dict(env)
                env2[e.uid] = const_sym(e.key, k)
                out.append(self.ex(e.body, env2))
            return MapV(out)
        if t is ir.RecordLit:
            return RecV([self.ex(v, env) for v in e.values])
        if t is ir.Builtin:
            return self.builtin(e, env)
        if t is ir.SortVal:
            i = self.ex(e.index, env)
            n = e.type.size
            self.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">", i, ival(n - 1))), "XM508",
                     f"{e.type.name}(i) is outside the sort", e.span)
            return self.as_range(i, 0, n - 1)
        if t is ir.Some:
            return Opt(TRUE, self.ex(e.operand, env))
        if t is ir.Narrow:
            return self.narrow(self.ex(e.operand, env), e.type, e.span)
        if t is ir.LetIn:
            env2 = dict(env)
            env2[e.uid] = self.ex(e.value, env)
            return self.ex(e.body, env2)
        raise AssertionError(f"z3enc: unknown expression node {e!r}")

    def as_range(self, x: I, lo: int, hi: int) -> I:
        """x as the representation of a value known to lie in [lo, hi] (after a range check)."""
        y = shrink(x, lo, hi)
        w = width_for(lo, hi)
        if y.w < w:
            return I(ext(y, w), y.lo, y.hi)
        return y

    def narrow(self, v, t: Type, span):
        """The reference `narrow`: range and capacity checks for a value stored into a bounded place."""
        if isinstance(t, IntT):
            if t.bounded:
                self.err(mk_or(int_cmp("<", v, ival(t.lo)), int_cmp(">", v, ival(t.hi))), "XM503",
                         f"value outside {t}", span)
                return self.as_range(v, t.lo, t.hi)
            return v
        if isinstance(t, SeqT):
            self.err(int_cmp(">", v.n, ival(t.cap)), "XM504", f"a seq does not fit capacity {t.cap}", span)
            n = shrink(v.n, 0, t.cap)
            slots = v.slots[:t.cap]
            if isinstance(t.elem, IntT) and t.elem.bounded:
                out = []
                for i, x in enumerate(slots):
                    live = int_cmp(">", n, ival(i))
                    self.err(mk_and(live, mk_or(int_cmp("<", x, ival(t.elem.lo)), int_cmp(">", x, ival(t.elem.hi)))),
                             "XM503", f"value outside {t.elem}", span)
                    out.append(self.as_range(x, t.elem.lo, t.elem.hi))
                slots = out
            return SeqV(n, slots)
        if isinstance(t, OptionT):
            if v.v is None or t.inner is None:
                return v
            saved = self.g
            n0 = len(self.errs)
            self.g = mk_and(saved, v.p)
            inner = self.narrow(v.v, t.inner, span)
            new = [e.cond for e in self.errs[n0:]]
            self.g = mk_and(saved, mk_not(mk_or(*new))) if new else saved
            return Opt(v.p, inner)
        if isinstance(t, SetT) and isinstance(t.elem, IntT) and t.elem.bounded:
            bad = [b for d, b in zip(v.dom, v.bits) if not t.elem.lo <= d <= t.elem.hi]
            self.err(mk_or(*bad), "XM503", f"value outside {t.elem}", span)
            dom = tuple(values(t.elem))
            m = dict(zip(v.dom, v.bits))
            return SetV(t.elem, dom, [m.get(d, FALSE) for d in dom])
        if isinstance(t, MapT) and isinstance(t.value, (IntT, SeqT)):
            return MapV([self.narrow(x, t.value, span) for x in v.slots])
        return v

    def set_of(self, elem: Type | None, items: list) -> SetV:
        extra = set()
        if elem is None or isinstance(elem, IntT):
            for x in items:
                extra.update(range(x.lo, x.hi + 1))
        dom = set_domain(elem, extra)
        et = elem if elem is not None and is_enumerable(elem) else IntT()
        bits = []
        for d in dom:
            ds = const_sym(et, d) if not isinstance(et, IntT) else ival(d)
            bits.append(mk_or(*(eq(x, ds) for x in items)))
        return SetV(elem, dom, bits)

    def member(self, x, s: SetV):
        et = s.elem if s.elem is not None and is_enumerable(s.elem) else IntT()
        try:
            c = concrete(x)
            for d, b in zip(s.dom, s.bits):
                if d == c:
                    return b
            return FALSE
        except LookupError:
            pass
        return mk_or(*(mk_and(b, eq(x, ival(d) if isinstance(et, IntT) else const_sym(et, d)))
                       for d, b in zip(s.dom, s.bits)))

    def arith(self, op: str, a: I, b: I) -> I:
        ca, cb = a.const(), b.const()
        if op in ("+", "-", "*"):
            if ca is not None and cb is not None:
                return ival(ca + cb if op == "+" else ca - cb if op == "-" else ca * cb)
            if op == "+":
                lo, hi = a.lo + b.lo, a.hi + b.hi
            elif op == "-":
                lo, hi = a.lo - b.hi, a.hi - b.lo
            else:
                ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
                lo, hi = min(ps), max(ps)
            if op == "+" and cb == 0 or op == "-" and cb == 0:
                return a
            if op == "+" and ca == 0:
                return b
            w = max(width_for(lo, hi), a.w, b.w)
            x, y = ext(a, w), ext(b, w)
            r = x + y if op == "+" else x - y if op == "-" else x * y
            return shrink(I(r, lo, hi), lo, hi)
        # "/" and "%": floor semantics (Python); the zero check is done by the caller
        if ca is not None and cb is not None and cb != 0:
            return ival(ca // cb if op == "/" else ca % cb)
        ma = max(abs(a.lo), abs(a.hi))
        mb = max(abs(b.lo), abs(b.hi))
        w = max(a.w, b.w) + 1
        x, y = ext(a, w), ext(b, w)
        r = x % y  # z3py % on bit-vectors is bvsmod: the sign of the divisor, like Python
        if op == "%":
            lo, hi = (-(mb - 1) if b.lo < 0 else 0), (mb - 1 if b.hi > 0 else 0)
            if b.lo >= 0 and a.lo >= 0:
                hi = min(hi, a.hi)
            return shrink(I(r, lo, hi), lo, hi)
        q = (x - r) / y  # exact division: bvsdiv
        return shrink(I(q, -ma, ma), -ma, ma)

    def binary(self, e: ir.Binary, env: dict):
        op = e.op
        if op == "&&":
            a = self.ex(e.left, env)
            if z3.is_false(a):
                return FALSE
            b = self.under(a, lambda: self.ex(e.right, env))
            return mk_and(a, b)
        if op == "||":
            a = self.ex(e.left, env)
            if z3.is_true(a):
                return TRUE
            b = self.under(mk_not(a), lambda: self.ex(e.right, env))
            return mk_or(a, b)
        if op == "=>":
            a = self.ex(e.left, env)
            if z3.is_false(a):
                return TRUE
            b = self.under(a, lambda: self.ex(e.right, env))
            return mk_or(mk_not(a), b)
        a = self.ex(e.left, env)
        b = self.ex(e.right, env)
        if op in ("+", "-", "*"):
            return self.arith(op, a, b)
        if op in ("/", "%"):
            self.err(int_cmp("==", b, ival(0)), "XM506", "division by zero" if op == "/" else "modulo by zero",
                     e.span)
            return self.arith(op, a, b)
        if op == "==":
            return eq(a, b)
        if op == "!=":
            return mk_not(eq(a, b))
        if op in ("<", "<=", ">", ">="):
            return int_cmp(op, a, b)
        if op == "in":
            if isinstance(b, SetV):
                return self.member(a, b)
            return mk_or(*(mk_and(int_cmp(">", b.n, ival(i)), eq(s, a)) for i, s in enumerate(b.slots)))
        if op == "++":
            return self.concat(a, b)
        if op in ("union", "diff", "inter"):
            dom, ba, bb = unify_sets(a, b)
            if op == "union":
                bits = [mk_or(x, y) for x, y in zip(ba, bb)]
            elif op == "diff":
                bits = [mk_and(x, mk_not(y)) for x, y in zip(ba, bb)]
            else:
                bits = [mk_and(x, y) for x, y in zip(ba, bb)]
            return SetV(a.elem if a.elem is not None else b.elem, dom, bits)
        raise AssertionError(f"z3enc: unknown operator {op}")

    def concat(self, a: SeqV, b: SeqV) -> SeqV:
        n = self.arith("+", a.n, b.n)
        la = a.n.const()
        if la is not None:
            return SeqV(n, a.slots[:la] + b.slots)
        slots = []
        for j in range(len(a.slots) + len(b.slots)):
            # position j: a's slot j if j < len(a), else b's slot j - len(a)
            opts = []
            for l in range(max(a.n.lo, 0), min(a.n.hi, len(a.slots)) + 1):
                if j < l:
                    opts.append((l, a.slots[j]))
                elif 0 <= j - l < len(b.slots):
                    opts.append((l, b.slots[j - l]))
            if not opts:
                continue
            v = opts[-1][1]
            for l, x in reversed(opts[:-1]):
                v = ite(int_cmp("==", a.n, ival(l)), x, v)
            slots.append(v)
        return SeqV(n, slots)

    def quant(self, e: ir.Quant, env: dict):
        kind = e.kind
        going = TRUE  # no short-circuit so far (forall/exists)
        acc = ival(0)
        for v in values(e.domain):
            env2 = dict(env)
            env2[e.uid] = const_sym(e.domain, v)
            if kind in ("forall", "exists"):
                if z3.is_false(going):
                    break
                w = TRUE if e.where is None else self.under(going, lambda: self.ex(e.where, env2))
                b = self.under(mk_and(going, w), lambda: self.ex(e.body, env2))
                if kind == "forall":
                    going = mk_and(going, mk_or(mk_not(w), b))
                else:
                    going = mk_and(going, mk_not(mk_and(w, b)))
            else:
                w = TRUE if e.where is None else self.ex(e.where, env2)
                b = self.under(w, lambda: self.ex(e.body, env2))
                if kind == "count":
                    term = ite(mk_and(w, b), ival(1), ival(0))
                else:
                    term = ite(w, b, ival(0))
                acc = self.arith("+", acc, term)
        if kind == "forall":
            return going
        if kind == "exists":
            return mk_not(going)
        return acc

    def builtin(self, e: ir.Builtin, env: dict):
        name = e.name
        args = [self.ex(a, env) for a in e.args]
        if name == "len":
            return args[0].n
        if name == "size":
            s = args[0]
            acc = ival(0)
            for b in s.bits:
                acc = self.arith("+", acc, ite(b, ival(1), ival(0)))
            return acc
        if name in ("head", "tail", "last"):
            q = args[0]
            self.err(int_cmp("==", q.n, ival(0)), "XM502", f"{name}() of an empty seq", e.span)
            if name == "head":
                return q.slots[0] if q.slots else default_sym(e.type)
            if name == "tail":
                return SeqV(shrink(self.arith("-", q.n, ival(1)), 0, max(len(q.slots) - 1, 0)), q.slots[1:])
            return self.seq_get(q, self.arith("-", q.n, ival(1)), e.type)
        if name == "count":
            q, x = args
            acc = ival(0)
            for i, s in enumerate(q.slots):
                acc = self.arith("+", acc, ite(mk_and(int_cmp(">", q.n, ival(i)), eq(s, x)), ival(1), ival(0)))
            return acc
        if name == "remove":
            q, x = args
            hits = [mk_and(int_cmp(">", q.n, ival(i)), eq(s, x)) for i, s in enumerate(q.slots)]
            return self.remove_at_cond(q, hits)
        if name == "remove_at":
            q, i = args
            self.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">=", i, q.n)), "XM505",
                     "remove_at index outside the seq", e.span)
            hits = [int_cmp("==", i, ival(j)) for j in range(len(q.slots))]
            return self.remove_at_cond(q, hits)
        if name == "insert":
            q, i, x = args
            self.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">", i, q.n)), "XM505", "insert index outside the seq",
                     e.span)
            cap = e.type.cap
            self.err(int_cmp(">", self.arith("+", q.n, ival(1)), ival(cap)), "XM504",
                     f"insert into a full seq (capacity {cap})", e.span)
            ns = min(len(q.slots) + 1, cap)
            slots = []
            for j in range(ns):
                below = q.slots[j] if j < len(q.slots) else x
                above = q.slots[j - 1] if j >= 1 else x
                slots.append(ite(int_cmp(">", i, ival(j)), below, ite(int_cmp("==", i, ival(j)), x, above)))
            n = shrink(self.arith("+", q.n, ival(1)), 0, cap)
            return SeqV(n, slots)
        if name == "get":
            o = args[0]
            self.err(mk_not(o.p), "XM501", "get() of none", e.span)
            if o.v is None:
                return default_sym(e.type)
            return o.v
        if name == "ord":
            return args[0]
        if name in ("min", "max"):
            a, b = args
            c = int_cmp("<=", a, b) if name == "min" else int_cmp(">=", a, b)
            return ite(c, a, b)
        raise AssertionError(f"z3enc: unknown builtin {name}")

    def remove_at_cond(self, q: SeqV, hits: list) -> SeqV:
        """Remove the element at the first position whose hit condition holds (if any)."""
        if not q.slots:
            return q
        before = FALSE  # some earlier position was hit: the removal point is before j
        slots = []
        for j in range(len(q.slots)):
            before = mk_or(before, hits[j])
            nxt = q.slots[j + 1] if j + 1 < len(q.slots) else q.slots[j]
            slots.append(ite(before, nxt, q.slots[j]))
        found = mk_or(*hits)
        n = ite(found, self.arith("-", q.n, ival(1)), q.n)
        return SeqV(shrink(n, 0, len(q.slots)), slots)


# ------------------------------------------------------------------ functional next state
def merge(old, changes: list):
    """The value after one of several exclusive updates: ite chains only where some update changes it.

    changes: (condition, new sym); unchanged parts are recognised by identity (`new is old`).
    """
    changes = [(c, n) for c, n in changes if n is not old and n is not None]
    if not changes:
        return old
    if is_bool(old) or isinstance(old, I):
        out = old
        for c, n in reversed(changes):
            out = ite(c, n, out)
        return out
    if isinstance(old, Opt):
        return Opt(merge(old.p, [(c, n.p) for c, n in changes]), merge(old.v, [(c, n.v) for c, n in changes]))
    if isinstance(old, SetV):
        parts = []
        for c, n in changes:
            dom, _, bn = unify_sets(old, n)
            if dom != old.dom:
                raise EncodingError("a set value outside its type's domain")
            parts.append((c, bn))
        return SetV(old.elem, old.dom, [merge(b, [(c, bn[i]) for c, bn in parts]) for i, b in enumerate(old.bits)])
    if isinstance(old, SeqV):
        ns = max([len(old.slots)] + [len(n.slots) for _, n in changes])
        slots = []
        for i in range(ns):
            ch = [(c, n.slots[i]) for c, n in changes if i < len(n.slots)]
            if i < len(old.slots):
                slots.append(merge(old.slots[i], ch))
            else:  # the old seq never reaches slot i: its value there is a don't-care
                slots.append(merge(ch[-1][1], ch[:-1]))
        return SeqV(merge(old.n, [(c, n.n) for c, n in changes]), slots)
    if isinstance(old, MapV):
        return MapV([merge(x, [(c, n.slots[i]) for c, n in changes]) for i, x in enumerate(old.slots)])
    if isinstance(old, RecV):
        return RecV([merge(x, [(c, n.fields[i]) for c, n in changes]) for i, x in enumerate(old.fields)])
    raise AssertionError(f"z3enc: merge on {old!r}")


def name_sym(x, tag: str, counter, defs: list):
    """x with every compound leaf term replaced by a fresh constant defined equal to it (in defs)."""
    if is_bool(x):
        if z3.is_true(x) or z3.is_false(x) or (z3.is_const(x) and x.decl().kind() == z3.Z3_OP_UNINTERPRETED):
            return x
        b = z3.Bool(f"{tag}#{next(counter)}")
        defs.append(b == x)
        return b
    if isinstance(x, I):
        if z3.is_bv_value(x.t) or (z3.is_const(x.t) and x.t.decl().kind() == z3.Z3_OP_UNINTERPRETED):
            return x
        b = z3.BitVec(f"{tag}#{next(counter)}", x.w)
        defs.append(b == x.t)
        return I(b, x.lo, x.hi)
    if isinstance(x, Opt):
        return Opt(name_sym(x.p, tag, counter, defs), None if x.v is None else name_sym(x.v, tag, counter, defs))
    if isinstance(x, SetV):
        return SetV(x.elem, x.dom, [name_sym(b, tag, counter, defs) for b in x.bits])
    if isinstance(x, SeqV):
        return SeqV(name_sym(x.n, tag, counter, defs), [name_sym(s, tag, counter, defs) for s in x.slots])
    if isinstance(x, MapV):
        return MapV([name_sym(s, tag, counter, defs) for s in x.slots])
    if isinstance(x, RecV):
        return RecV([name_sym(f, tag, counter, defs) for f in x.fields])
    raise AssertionError(x)


# ------------------------------------------------------------------ convenience
def substitute_all(f, choice_vars: list, limit: int):
    """Or over every value of the choice variables of f(choices) (finite expansion of an exists)."""
    if not choice_vars:
        return f
    doms = [values(t) for _, t in choice_vars]
    total = 1
    for d in doms:
        total *= len(d)
    if total > limit:
        raise EncodingError(f"deadlock check needs {total} combinations of choices (limit {limit})")
    out = []
    for combo in itertools.product(*doms):
        pairs = []
        for (x, t), v in zip(choice_vars, combo):
            for a, b in zip(leaves(x), leaves(const_sym(t, v))):
                if is_bool(a):
                    pairs.append((a, b))
                else:
                    pairs.append((a, b if b.size() == a.size() else ext(I(b, v, v), a.size())))
        out.append(z3.substitute(f, pairs))
    return mk_or(*out)

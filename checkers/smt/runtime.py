"""The runtime side of the Z3 encoding: fresh variables, reading values back from a Z3 model, the
encoded pieces an engine assembles (instances of actions, their errors and picks), and the functional
next state (merging exclusive updates, naming terms)."""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import z3

from xenmodel import ir
from xenmodel.source import Span
from xenmodel.types import BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type, cardinality, values

from .values import (
    Bool,
    EncodingError,
    I,
    MapV,
    Opt,
    RecV,
    SeqV,
    SetV,
    Sym,
    cap_of,
    const_sym,
    ext,
    is_bool,
    ite,
    known,
    mk_or,
    set_domain,
    sort_range,
    unify_sets,
    width_for,
)

Model = Any  # a z3 ModelRef
Counter = Iterator[int]


class Fresh:
    """Makes fresh variables for syms of a type, collecting their domain constraints."""

    def __init__(self) -> None:
        self.counter = itertools.count()
        self.side: list[Bool] = []

    def sym(self, t: Type, name: str) -> Sym:
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
            return Opt(self.sym(BoolT(), name + ".some"), self.sym(known(t.inner), name + ".val"))
        if isinstance(t, SetT):
            dom = set_domain(t.elem)
            return SetV(t.elem, dom, [z3.Bool(f"{name}.has{i}#{next(self.counter)}") for i in range(len(dom))])
        if isinstance(t, SeqT):
            cap = cap_of(t)
            n = self.sym(IntT(0, cap), name + ".len")
            return SeqV(n, [self.sym(known(t.elem), f"{name}[{i}]") for i in range(cap)])
        if isinstance(t, MapT):
            return MapV([self.sym(t.value, f"{name}[{k}]") for k in range(cardinality(t.key))])
        if isinstance(t, RecordT):
            return RecV([self.sym(ft, f"{name}.{f}") for f, ft in t.fields])
        raise EncodingError(f"no encoding for a variable of type {t}")

    def take_side(self) -> list[Bool]:
        out, self.side = self.side, []
        return out


def value_of(m: Model, x: Sym, t: Type) -> Any:
    """The Python value (types.py representation) of sym x of type t in Z3 model m."""
    if isinstance(t, BoolT):
        return z3.is_true(m.eval(x, model_completion=True))
    if isinstance(t, (IntT, SortT, EnumT)):
        return m.eval(x.t, model_completion=True).as_signed_long()
    if isinstance(t, OptionT):
        if not z3.is_true(m.eval(x.p, model_completion=True)):
            return None
        return value_of(m, x.v, known(t.inner))
    if isinstance(t, SetT):
        return frozenset(d for d, b in zip(x.dom, x.bits, strict=False) if z3.is_true(m.eval(b, model_completion=True)))
    if isinstance(t, SeqT):
        n = m.eval(x.n.t, model_completion=True).as_signed_long()
        return tuple(value_of(m, x.slots[i], known(t.elem)) for i in range(n))
    if isinstance(t, MapT):
        return tuple(value_of(m, s, t.value) for s in x.slots)
    if isinstance(t, RecordT):
        return tuple(value_of(m, f, ft) for f, (_, ft) in zip(x.fields, t.fields, strict=False))
    raise AssertionError(t)


def leaves(x: Sym) -> list[Any]:
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
    cond: Bool  # this error happens (absolute: includes the path condition)
    code: str
    message: str
    span: Span | None


@dataclass
class Pick:
    name: str
    sym: Sym
    type: Type
    reached: Bool  # the path made this pick


@dataclass
class Instance:
    """One action with one choice of parameters (concrete, or fresh variables), from one state."""
    action: ir.Action
    args: tuple[Any, ...] | None  # Python values when the parameters were enumerated
    arg_syms: list[Sym]
    en: Bool  # some path completes (given the choice variables)
    errs: list[Err]
    next: list[Sym]  # syms of the successor state
    picks: list[Pick]
    choice_vars: list[tuple[Sym, Type]]  # every fresh choice (symbolic params and chooses)

    def label(self) -> str:
        if self.args is not None:
            return f"{self.action.name}{self.args}"
        return self.action.name

    def err_any(self) -> Bool:
        return mk_or(*(e.cond for e in self.errs))

    def args_in(self, m: Model) -> tuple[Any, ...]:
        if self.args is not None:
            return self.args
        return tuple(value_of(m, s, p.type) for s, p in zip(self.arg_syms, self.action.params, strict=False))

    def picks_in(self, m: Model) -> tuple[tuple[str, Any], ...]:
        return tuple((p.name, value_of(m, p.sym, p.type)) for p in self.picks
                     if z3.is_true(m.eval(p.reached, model_completion=True)))


# ------------------------------------------------------------------ functional next state
def merge(old: Sym, changes: list[tuple[Bool, Sym]]) -> Sym:
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
    raise AssertionError(f"z3: merge on {old!r}")


def name_sym(x: Sym, tag: str, counter: Counter, defs: list[Bool]) -> Sym:
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
def substitute_all(f: Bool, choice_vars: list[tuple[Sym, Type]], limit: int) -> Bool:
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
        for (x, t), v in zip(choice_vars, combo, strict=False):
            for a, b in zip(leaves(x), leaves(const_sym(t, v)), strict=False):
                if is_bool(a):
                    pairs.append((a, b))
                else:
                    pairs.append((a, b if b.size() == a.size() else ext(I(b, v, v), a.size())))
        out.append(z3.substitute(f, pairs))
    return mk_or(*out)

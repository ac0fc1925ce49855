"""The symbolic values of the Z3 encoding ("syms") and the operations every part of it shares.

Representation, chosen so that Z3 has little to do (everything is Boolean or a
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

"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import z3

from xenmodel.semantics import COMPARISONS
from xenmodel.types import BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type, is_enumerable, values

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


# z3 has no type stubs: its terms are Any to mypy. The aliases say what a value is meant to be.
Bool = Any  # a z3 Boolean term
Term = Any  # a z3 bit-vector term
Sym = Any  # one of: Bool, I, Opt, SetV, SeqV, MapV, RecV (see the module docstring)


class EncodingError(Exception):
    """The model uses something this encoding cannot express (reported as status unknown)."""


# ------------------------------------------------------------------ Boolean helpers with folding
def mk_and(*xs: Bool) -> Bool:
    out: list[Bool] = []
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


def mk_or(*xs: Bool) -> Bool:
    out: list[Bool] = []
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


def mk_not(x: Bool) -> Bool:
    if z3.is_true(x):
        return FALSE
    if z3.is_false(x):
        return TRUE
    if z3.is_not(x):
        return x.arg(0)
    return z3.Not(x)


def mk_ite_b(c: Bool, a: Bool, b: Bool) -> Bool:
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
# Wider bit-vectors than this are refused (status unknown): values of thousands of digits come only from
# unbounded arithmetic running away, and Z3 (and Python's int-to-str limit) would choke on them.
MAX_BITS = 4096


def _bits(n: int) -> int:
    """The bits a signed bit-vector needs for n, sign bit included."""
    return (n if n >= 0 else -n - 1).bit_length() + 1


def width_for(lo: int, hi: int) -> int:
    w = max(_bits(lo), _bits(hi))
    if w > MAX_BITS:
        raise EncodingError(f"an integer needs {w} bits, more than the {MAX_BITS} the Z3 encoding takes")
    return w


class I:  # noqa: E742 (the short name reads well in the arithmetic)
    """An integral value: a signed bit-vector term with the interval of values it can take."""
    __slots__ = ("t", "lo", "hi")

    def __init__(self, t: Term, lo: int, hi: int) -> None:
        self.t, self.lo, self.hi = t, lo, hi

    @property
    def w(self) -> int:
        return int(self.t.size())

    def const(self) -> int | None:
        return int(self.t.as_signed_long()) if z3.is_bv_value(self.t) else None


def ival(v: int) -> I:
    return I(z3.BitVecVal(v, width_for(v, v)), v, v)


def ext(x: I, w: int) -> Term:
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
    p: Bool
    v: Sym | None  # None (the literal `none` of unknown inner type)


@dataclass
class SetV:
    elem: Type | None
    dom: tuple[Any, ...]  # python element values
    bits: list[Bool]  # one per dom entry


@dataclass
class SeqV:
    n: I
    slots: list[Sym]


@dataclass
class MapV:
    slots: list[Sym]


@dataclass
class RecV:
    fields: list[Sym]


def is_bool(x: Sym) -> bool:
    return isinstance(x, z3.BoolRef)


# ------------------------------------------------------------------ generic operations on syms
def int_cmp(op: str, a: I, b: I) -> Bool:
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


def eq(a: Sym, b: Sym) -> Bool:
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
        return mk_and(*(eq(x, y) for x, y in zip(ba, bb, strict=False)))
    if isinstance(a, SeqV):
        parts = [int_cmp("==", a.n, b.n)]
        for i in range(max(len(a.slots), len(b.slots))):
            if i >= len(a.slots) or i >= len(b.slots):
                # one side can never be this long: equal lengths imply the index is past both
                continue
            parts.append(mk_or(int_cmp("<=", a.n, ival(i)), eq(a.slots[i], b.slots[i])))
        return mk_and(*parts)
    if isinstance(a, MapV):
        return mk_and(*(eq(x, y) for x, y in zip(a.slots, b.slots, strict=False)))
    if isinstance(a, RecV):
        return mk_and(*(eq(x, y) for x, y in zip(a.fields, b.fields, strict=False)))
    raise AssertionError(f"z3: eq on {a!r}")


def ite(c: Bool, a: Sym, b: Sym) -> Sym:
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
        return SetV(a.elem if a.elem is not None else b.elem, dom, [ite(c, x, y) for x, y in zip(ba, bb, strict=False)])
    if isinstance(a, SeqV):
        n = max(len(a.slots), len(b.slots))
        sa = a.slots + [b.slots[i] for i in range(len(a.slots), n)]
        sb = b.slots + [a.slots[i] for i in range(len(b.slots), n)]
        return SeqV(ite(c, a.n, b.n), [ite(c, x, y) for x, y in zip(sa, sb, strict=False)])
    if isinstance(a, MapV):
        return MapV([ite(c, x, y) for x, y in zip(a.slots, b.slots, strict=False)])
    if isinstance(a, RecV):
        return RecV([ite(c, x, y) for x, y in zip(a.fields, b.fields, strict=False)])
    raise AssertionError(f"z3: ite on {a!r}")


def select(c_list: list[Bool], items: list[Sym]) -> Sym:
    """items[i] where exactly one of c_list (aligned with items) holds: an if-then-else chain."""
    out = items[-1]
    for c, x in zip(reversed(c_list[:-1]), reversed(items[:-1]), strict=False):
        out = ite(c, x, out)
    return out


def unify_sets(a: SetV, b: SetV) -> tuple[tuple[Any, ...], list[Bool], list[Bool]]:
    if a.dom == b.dom:
        return a.dom, a.bits, b.bits
    dom = tuple(sorted(set(a.dom) | set(b.dom), key=lambda v: (v is not None, v)))
    ma, mb = dict(zip(a.dom, a.bits, strict=False)), dict(zip(b.dom, b.bits, strict=False))
    return dom, [ma.get(d, FALSE) for d in dom], [mb.get(d, FALSE) for d in dom]


def concrete(x: Sym) -> Any:
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


def const_sym(t: Type, v: Any) -> Sym:
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
        return Opt(TRUE, const_sym(known(t.inner), v))
    if isinstance(t, SetT):
        dom = set_domain(t.elem, v)
        return SetV(t.elem, dom, [TRUE if d in v else FALSE for d in dom])
    if isinstance(t, SeqT):
        return SeqV(ival(len(v)), [const_sym(known(t.elem), x) for x in v])
    if isinstance(t, MapT):
        return MapV([const_sym(t.value, x) for x in v])
    if isinstance(t, RecordT):
        return RecV([const_sym(ft, x) for (_, ft), x in zip(t.fields, v, strict=False)])
    raise EncodingError(f"no encoding for a value of type {t}")


def known(t: Type | None) -> Type:
    """A type the checker has filled in (only literals like `none` and `[]` lack one, before context)."""
    if t is None:
        raise AssertionError("z3: a value of unknown type")
    return t


def cap_of(t: SeqT) -> int:
    """The capacity of a stored seq type (only literals lack one, before context)."""
    if t.cap is None:
        raise AssertionError("z3: a seq type without a capacity")
    return t.cap


def default_sym(t: Type) -> Sym:
    from xenmodel.types import default
    if isinstance(t, IntT) and not t.bounded:
        return ival(0)
    return const_sym(t, default(t))


def set_domain(elem: Type | None, extra: Iterable[Any] = ()) -> tuple[Any, ...]:
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
        if t.lo is None or t.hi is None:
            raise EncodingError("an unbounded int in a state variable, parameter or choose")
        return t.lo, t.hi
    if isinstance(t, SortT):
        return 0, t.size - 1
    if isinstance(t, EnumT):
        return 0, len(t.members) - 1
    raise AssertionError(t)


"""Values of a finite instance as SMT-LIB terms: every value is a tree of Bool and Int terms.

  bool            -> a Bool term
  int, sort, enum -> an Int term (sort and enum values are their index)
  T?              -> Opt(present, value): the value is a don't-care when absent
  set<T>          -> SetV: one Bool per value of T (T is enumerable), in values(T) order
  seq<T, N>       -> SeqV(length, slots): slots at or past the length are don't-cares
  K -> V          -> MapV: one value per key of K, in values(K) order
  record          -> RecV: one value per field

Every operation here is driven by the IR type of the value, so a malformed value fails loudly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from xenmodel.types import BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type, default, show, values

from .smtlib import FALSE, TRUE, NotCertifiable, Script, and_, cmp, eq, in_range, ite, num, or_


@dataclass(frozen=True)
class Opt:
    p: str
    v: Val | None  # None: the literal `none` whose inner type is not known


@dataclass(frozen=True)
class SetV:
    dom: tuple[Any, ...]  # the element values the bits stand for
    bits: tuple[str, ...]


@dataclass(frozen=True)
class SeqV:
    n: str
    slots: tuple[Val, ...]


@dataclass(frozen=True)
class MapV:
    slots: tuple[Val, ...]


@dataclass(frozen=True)
class RecV:
    fields: tuple[Val, ...]


Val = str | Opt | SetV | SeqV | MapV | RecV


def known(t: Type | None, what: str) -> Type:
    if t is None:
        raise NotCertifiable(f"a {what} of unknown type", "?")
    return t


def set_dom(t: SetT) -> tuple[Any, ...]:
    elem = known(t.elem, "set element")
    if isinstance(elem, IntT) and not elem.bounded:
        raise NotCertifiable("a set of unbounded ints", "?")
    return tuple(values(elem))


def cap(t: SeqT) -> int:
    if t.cap is None:
        raise NotCertifiable("a seq type without a capacity", "?")
    return t.cap


def int_bounds(t: Type) -> tuple[int, int] | None:
    """The range of an integral type, None for bool and for the unbounded int."""
    if isinstance(t, IntT):
        return (t.lo, t.hi) if t.lo is not None and t.hi is not None else None
    if isinstance(t, SortT):
        return 0, t.size - 1
    if isinstance(t, EnumT):
        return 0, len(t.members) - 1
    return None


def const(t: Type, v: Any) -> Val:
    """The terms of a Python value of type t (the representation of xenmodel/types.py)."""
    if isinstance(t, BoolT):
        return TRUE if v else FALSE
    if isinstance(t, (IntT, SortT, EnumT)):
        return num(int(v))
    if isinstance(t, OptionT):
        if v is None:
            return Opt(FALSE, None if t.inner is None else const(t.inner, default(t.inner)))
        return Opt(TRUE, const(known(t.inner, "option"), v))
    if isinstance(t, SetT):
        dom = set_dom(t)
        return SetV(dom, tuple(TRUE if d in v else FALSE for d in dom))
    if isinstance(t, SeqT):
        return SeqV(num(len(v)), tuple(const(known(t.elem, "seq element"), x) for x in v))
    if isinstance(t, MapT):
        return MapV(tuple(const(t.value, x) for x in v))
    if isinstance(t, RecordT):
        return RecV(tuple(const(ft, x) for (_, ft), x in zip(t.fields, v, strict=True)))
    raise NotCertifiable(f"a value of type {t}", "?")


def initial(t: Type) -> Val:
    """The default value of a type (what a variable without initialiser starts with)."""
    return const(t, default(t))


def declare(s: Script, t: Type, name: str) -> Val:
    """Free constants for a value of type t, constrained to the type's values."""
    if isinstance(t, BoolT):
        return s.declare(name, "Bool")
    if isinstance(t, (IntT, SortT, EnumT)):
        rng = int_bounds(t)
        if rng is None:
            raise NotCertifiable("an unbounded int in a state variable, parameter or choose", "?")
        x = s.declare(name, "Int")
        s.assert_(in_range(x, *rng))
        return x
    if isinstance(t, OptionT):
        return Opt(s.declare(f"{name}.some", "Bool"), declare(s, known(t.inner, "option"), f"{name}.val"))
    if isinstance(t, SetT):
        dom = set_dom(t)
        elem = known(t.elem, "set element")
        return SetV(dom, tuple(s.declare(f"{name}.has.{leaf_name(elem, d, i)}", "Bool") for i, d in enumerate(dom)))
    if isinstance(t, SeqT):
        n = s.declare(f"{name}.len", "Int")
        s.assert_(in_range(n, 0, cap(t)))
        elem = known(t.elem, "seq element")
        return SeqV(n, tuple(declare(s, elem, f"{name}.{i}") for i in range(cap(t))))
    if isinstance(t, MapT):
        return MapV(tuple(declare(s, t.value, f"{name}.{leaf_name(t.key, k, i)}")
                          for i, k in enumerate(values(t.key))))
    if isinstance(t, RecordT):
        return RecV(tuple(declare(s, ft, f"{name}.{f}") for f, ft in t.fields))
    raise NotCertifiable(f"a value of type {t}", "?")


def sort_of(t: Type) -> str:
    return "Bool" if isinstance(t, BoolT) else "Int"


def named(s: Script, t: Type, v: Val) -> Val:
    """v with every non-atomic leaf given a define-fun name (written once, used many times)."""
    if isinstance(v, str):
        return s.name(v, sort_of(t))
    if isinstance(v, Opt):
        inner = t.inner if isinstance(t, OptionT) else None
        return Opt(s.name(v.p, "Bool"), None if v.v is None or inner is None else named(s, inner, v.v))
    if isinstance(v, SetV):
        return SetV(v.dom, tuple(s.name(b, "Bool") for b in v.bits))
    if isinstance(v, SeqV):
        assert isinstance(t, SeqT)
        elem = known(t.elem, "seq element")
        return SeqV(s.name(v.n, "Int"), tuple(named(s, elem, x) for x in v.slots))
    if isinstance(v, MapV):
        assert isinstance(t, MapT)
        return MapV(tuple(named(s, t.value, x) for x in v.slots))
    assert isinstance(t, RecordT)
    return RecV(tuple(named(s, ft, x) for (_, ft), x in zip(t.fields, v.fields, strict=True)))


# ------------------------------------------------------------------ equality and choice, by structure
def equal(a: Val, b: Val) -> str:
    if isinstance(a, str):
        assert isinstance(b, str)
        return eq(a, b)
    if isinstance(a, Opt):
        assert isinstance(b, Opt)
        if a.v is None or b.v is None:  # `none` compared: both absent
            return and_(eq(a.p, FALSE), eq(b.p, FALSE)) if a.v is None and b.v is None \
                else and_(eq(a.p, b.p), eq(a.p if a.v is None else b.p, FALSE))
        return and_(eq(a.p, b.p), or_(eq(a.p, FALSE), equal(a.v, b.v)))
    if isinstance(a, SetV):
        assert isinstance(b, SetV)
        dom, xa, xb = aligned(a, b)
        return and_(*(eq(x, y) for x, y in zip(xa, xb, strict=True)))
    if isinstance(a, SeqV):
        assert isinstance(b, SeqV)
        parts = [eq(a.n, b.n)]
        for i in range(min(len(a.slots), len(b.slots))):
            parts.append(or_(cmp("<=", a.n, num(i)), equal(a.slots[i], b.slots[i])))
        # a slot only one side has: equal lengths put it past both ends (length <= slots on each side)
        return and_(*parts)
    if isinstance(a, MapV):
        assert isinstance(b, MapV)
        return and_(*(equal(x, y) for x, y in zip(a.slots, b.slots, strict=True)))
    assert isinstance(a, RecV) and isinstance(b, RecV)
    return and_(*(equal(x, y) for x, y in zip(a.fields, b.fields, strict=True)))


def choose(c: str, a: Val, b: Val) -> Val:
    """if c then a else b, leaf by leaf."""
    if c == TRUE or a == b:
        return a
    if c == FALSE:
        return b
    if isinstance(a, str):
        assert isinstance(b, str)
        return ite(c, a, b)
    if isinstance(a, Opt):
        assert isinstance(b, Opt)
        v = a.v if b.v is None else b.v if a.v is None else choose(c, a.v, b.v)
        return Opt(ite(c, a.p, b.p), v)
    if isinstance(a, SetV):
        assert isinstance(b, SetV)
        dom, xa, xb = aligned(a, b)
        return SetV(dom, tuple(ite(c, x, y) for x, y in zip(xa, xb, strict=True)))
    if isinstance(a, SeqV):
        assert isinstance(b, SeqV)
        n = max(len(a.slots), len(b.slots))
        sa = a.slots + b.slots[len(a.slots):n]
        sb = b.slots + a.slots[len(b.slots):n]
        return SeqV(ite(c, a.n, b.n), tuple(choose(c, x, y) for x, y in zip(sa, sb, strict=True)))
    if isinstance(a, MapV):
        assert isinstance(b, MapV)
        return MapV(tuple(choose(c, x, y) for x, y in zip(a.slots, b.slots, strict=True)))
    assert isinstance(a, RecV) and isinstance(b, RecV)
    return RecV(tuple(choose(c, x, y) for x, y in zip(a.fields, b.fields, strict=True)))


def select(conds: list[str], items: list[Val]) -> Val:
    """items[i] for the one i whose condition holds (the last is the fallback): a chain of choices."""
    out = items[-1]
    for c, x in zip(reversed(conds[:-1]), reversed(items[:-1]), strict=True):
        out = choose(c, x, out)
    return out


def aligned(a: SetV, b: SetV) -> tuple[tuple[Any, ...], tuple[str, ...], tuple[str, ...]]:
    """Two sets' bits over one domain (the union of theirs; a missing element's bit is false)."""
    if a.dom == b.dom:
        return a.dom, a.bits, b.bits
    dom = tuple(sorted(set(a.dom) | set(b.dom), key=lambda d: (d is not None, d)))
    ma, mb = dict(zip(a.dom, a.bits, strict=True)), dict(zip(b.dom, b.bits, strict=True))
    return dom, tuple(ma.get(d, FALSE) for d in dom), tuple(mb.get(d, FALSE) for d in dom)


def leaf_name(t: Type, v: Any, i: int) -> str:
    """A key or element in a declared name: as the language writes it when that is a plain word."""
    text = show(t, v)
    return text if text.replace("_", "").isalnum() else f"k{i}"

"""The builtins of xenmodel/builtins.py as SMT-LIB terms: one function per row of BUILTINS, written from
the row's documentation and its reference `evaluate` (not from the Z3 engine's hooks). A builtin missing
here makes the obligations that use it "not certifiable" (never a wrong file)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from xenmodel import ir
from xenmodel.types import SeqT

from .shapes import Opt, SeqV, SetV, Val, cap, choose, equal, initial, known, named
from .smtlib import FALSE, add, and_, cmp, ite, not_, num, or_, sub

if TYPE_CHECKING:
    from .exprs import Exprs

Term = Callable[["Exprs", ir.Builtin, list[Val]], Val]


def _seq(v: Val) -> SeqV:
    assert isinstance(v, SeqV)
    return v


def _int(v: Val) -> str:
    assert isinstance(v, str)
    return v


def _count_of(x: Exprs, conds: list[str]) -> str:
    acc = "0"
    for c in conds:
        acc = x.s.name(add(acc, ite(c, "1", "0")), "Int")
    return acc


def _size(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    s = a[0]
    assert isinstance(s, SetV)
    return _count_of(x, list(s.bits))


def _nonempty(x: Exprs, q: SeqV) -> None:
    x.error(cmp("==", q.n, "0"))  # XM502


def _head(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q = _seq(a[0])
    _nonempty(x, q)
    return q.slots[0] if q.slots else initial(e.type)


def _last(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q = _seq(a[0])
    _nonempty(x, q)
    return x.seq_get(q, sub(q.n, "1"), e.type)


def _tail(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q = _seq(a[0])
    _nonempty(x, q)
    return SeqV(x.s.name(sub(q.n, "1"), "Int"), q.slots[1:])


def _count(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q = _seq(a[0])
    return _count_of(x, [and_(cmp(">", q.n, num(i)), equal(s, a[1])) for i, s in enumerate(q.slots)])


def _drop_first(x: Exprs, q: SeqV, hits: list[str], e: ir.Builtin) -> SeqV:
    """q without the element at the first position whose hit holds (q itself when none does)."""
    if not q.slots:
        return q
    elem = known(e.type.elem if isinstance(e.type, SeqT) else None, "seq element")
    before = FALSE
    slots = []
    for j in range(len(q.slots)):
        before = x.s.name(or_(before, hits[j]), "Bool")  # the removed position is at or before j
        nxt = q.slots[j + 1] if j + 1 < len(q.slots) else q.slots[j]
        slots.append(named(x.s, elem, choose(before, nxt, q.slots[j])))
    return SeqV(x.s.name(ite(before, sub(q.n, "1"), q.n), "Int"), tuple(slots))


def _remove(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q = _seq(a[0])
    return _drop_first(x, q, [and_(cmp(">", q.n, num(i)), equal(s, a[1])) for i, s in enumerate(q.slots)], e)


def _remove_at(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q, i = _seq(a[0]), _int(a[1])
    x.error(or_(cmp("<", i, "0"), cmp(">=", i, q.n)))  # XM505
    return _drop_first(x, q, [cmp("==", i, num(j)) for j in range(len(q.slots))], e)


def _insert(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    q, i, v = _seq(a[0]), _int(a[1]), a[2]
    x.error(or_(cmp("<", i, "0"), cmp(">", i, q.n)))  # XM505
    assert isinstance(e.type, SeqT)
    c = cap(e.type)
    x.error(cmp(">", add(q.n, "1"), num(c)))  # XM504
    elem = known(e.type.elem, "seq element")
    slots = []
    for j in range(min(len(q.slots) + 1, c)):
        below = q.slots[j] if j < len(q.slots) else v  # j before the insertion point: unchanged
        above = q.slots[j - 1] if j >= 1 else v  # j after it: shifted by one
        slots.append(named(x.s, elem, choose(cmp(">", i, num(j)), below, choose(cmp("==", i, num(j)), v, above))))
    return SeqV(x.s.name(add(q.n, "1"), "Int"), tuple(slots))


def _get(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    o = a[0]
    assert isinstance(o, Opt)
    x.error(not_(o.p))  # XM501
    return initial(e.type) if o.v is None else o.v


def _min(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    p, q = _int(a[0]), _int(a[1])
    return ite(cmp("<=", p, q), p, q)


def _max(x: Exprs, e: ir.Builtin, a: list[Val]) -> Val:
    p, q = _int(a[0]), _int(a[1])
    return ite(cmp(">=", p, q), p, q)


BUILTIN_TERMS: dict[str, Term] = {
    "len": lambda x, e, a: _seq(a[0]).n, "size": _size, "head": _head, "last": _last, "tail": _tail,
    "count": _count, "remove": _remove, "remove_at": _remove_at, "insert": _insert, "get": _get,
    "ord": lambda x, e, a: a[0], "min": _min, "max": _max,
}

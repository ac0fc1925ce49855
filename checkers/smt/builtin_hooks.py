"""The Z3 encoding of each builtin: one hook per row of xenmodel/builtins.py's BUILTINS table.

A hook takes the encoder, the IR node (for its result type and span) and the operands' syms, records
the model errors the builtin may raise, and returns the result's sym. To add a builtin, add its row to
the table and one hook here (registered in HOOKS); the import-time check below and tests/test_z3.py
catch a row without a hook.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from xenmodel import ir
from xenmodel import model_errors as E
from xenmodel.builtins import BUILTINS
from xenmodel.types import SeqT

from .values import SeqV, Sym, default_sym, eq, int_cmp, ite, ival, mk_and, mk_not, mk_or, shrink

if TYPE_CHECKING:
    from .encode import ExprEncoder

Hook = Callable[["ExprEncoder", ir.Builtin, list[Sym]], Sym]


def _len(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    return args[0].n


def _size(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    acc = ival(0)
    for b in args[0].bits:
        acc = enc.arith("+", acc, ite(b, ival(1), ival(0)))
    return acc


def _nonempty(enc: ExprEncoder, e: ir.Builtin, q: SeqV) -> None:
    enc.raise_if(int_cmp("==", q.n, ival(0)), E.empty_seq(e.name, e.span))


def _head(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q = args[0]
    _nonempty(enc, e, q)
    return q.slots[0] if q.slots else default_sym(e.type)


def _tail(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q = args[0]
    _nonempty(enc, e, q)
    return SeqV(shrink(enc.arith("-", q.n, ival(1)), 0, max(len(q.slots) - 1, 0)), q.slots[1:])


def _last(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q = args[0]
    _nonempty(enc, e, q)
    return enc.seq_get(q, enc.arith("-", q.n, ival(1)), e.type)


def _count(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q, x = args
    acc = ival(0)
    for i, s in enumerate(q.slots):
        acc = enc.arith("+", acc, ite(mk_and(int_cmp(">", q.n, ival(i)), eq(s, x)), ival(1), ival(0)))
    return acc


def _remove(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q, x = args
    hits = [mk_and(int_cmp(">", q.n, ival(i)), eq(s, x)) for i, s in enumerate(q.slots)]
    return enc.remove_at_cond(q, hits)


def _remove_at(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q, i = args
    # static message: the reference's names the index and the length (the trace is replayed there)
    enc.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">=", i, q.n)), "XM505", "remove_at index outside the seq",
            e.span)
    hits = [int_cmp("==", i, ival(j)) for j in range(len(q.slots))]
    return enc.remove_at_cond(q, hits)


def _insert(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    q, i, x = args
    # static message: the reference's names the index and the length (the trace is replayed there)
    enc.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">", i, q.n)), "XM505", "insert index outside the seq", e.span)
    assert isinstance(e.type, SeqT) and e.type.cap is not None
    cap = e.type.cap
    enc.raise_if(int_cmp(">", enc.arith("+", q.n, ival(1)), ival(cap)), E.insert_into_full(cap, e.span))
    slots = []
    for j in range(min(len(q.slots) + 1, cap)):
        below = q.slots[j] if j < len(q.slots) else x
        above = q.slots[j - 1] if j >= 1 else x
        slots.append(ite(int_cmp(">", i, ival(j)), below, ite(int_cmp("==", i, ival(j)), x, above)))
    return SeqV(shrink(enc.arith("+", q.n, ival(1)), 0, cap), slots)


def _get(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    o = args[0]
    enc.raise_if(mk_not(o.p), E.get_of_none(e.span))
    return default_sym(e.type) if o.v is None else o.v


def _ord(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    return args[0]


def _min(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    a, b = args
    return ite(int_cmp("<=", a, b), a, b)


def _max(enc: ExprEncoder, e: ir.Builtin, args: list[Sym]) -> Sym:
    a, b = args
    return ite(int_cmp(">=", a, b), a, b)


HOOKS: dict[str, Hook] = {
    "len": _len, "size": _size, "head": _head, "tail": _tail, "last": _last, "count": _count, "remove": _remove,
    "remove_at": _remove_at, "insert": _insert, "get": _get, "ord": _ord, "min": _min, "max": _max,
}

if HOOKS.keys() != BUILTINS.keys():
    raise ImportError(f"checkers.smt: the builtins without a Z3 hook: {sorted(BUILTINS.keys() - HOOKS.keys())}, "
                      f"the hooks without a builtin: {sorted(HOOKS.keys() - BUILTINS.keys())}")

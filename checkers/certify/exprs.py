"""IR expressions as SMT-LIB terms, following the reference semantics (xenmodel/semantics.py).

The context of an evaluation is the state being read (`st`), the path condition `g` (a Bool term: the
requires, branch conditions and choose constraints met so far, minus the errors) and the error flags
raised so far. A model error or failed assert at a point is the flag `g and trigger`; the path goes on
as `g and not trigger`, so the first error in evaluation order ends its path, as in the reference.
Short-circuits (`&&`, `||`, `=>`, `if`, the quantifiers' early stop) evaluate their second part under
the condition that it is reached, so its errors count only there.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import assert_never

from xenmodel import ir
from xenmodel.types import IntT, MapT, OptionT, SeqT, SetT, SortT, Type, values

from .shapes import MapV, Opt, RecV, SeqV, SetV, Val, aligned, cap, choose, const, equal, initial, known, named, select
from .smtlib import (
    FALSE,
    TRUE,
    NotCertifiable,
    Script,
    add,
    and_,
    cmp,
    const_int,
    eq,
    ite,
    not_,
    num,
    or_,
    out_of_range,
    sub,
)

Env = dict[int, Val]


def where(node: ir.Node) -> str:
    return node.span.short() if node.span is not None else "?"


class Exprs:
    def __init__(self, s: Script) -> None:
        self.s = s
        self.g = TRUE
        self.errs: list[str] = []
        self.st: list[Val] = []

    # ---------------------------------------------------------- errors and short-circuits
    def error(self, trigger: str) -> None:
        """A model error (or failed assert) where `trigger` holds on the current path."""
        c = and_(self.g, trigger)
        if c == FALSE:
            return
        self.errs.append(self.s.name(c, "Bool"))
        self.g = self.s.name(and_(self.g, not_(trigger)), "Bool")

    def under(self, cond: str, fn: Callable[[], Val]) -> Val:
        """fn() evaluated only where cond holds: its errors are flagged there, and the path after it
        loses exactly those."""
        saved, n0 = self.g, len(self.errs)
        self.g = self.s.name(and_(saved, cond), "Bool")
        v = fn()
        new = self.errs[n0:]
        self.g = self.s.name(and_(saved, not_(or_(*new))), "Bool") if new else saved
        return v

    # ---------------------------------------------------------- maps and seqs
    def key_conds(self, kt: Type, k: Val) -> list[str]:
        return [equal(k, const(kt, kv)) for kv in values(kt)]

    def map_get(self, m: Val, kt: Type, vt: Type, k: Val) -> Val:
        assert isinstance(m, MapV)
        conds = self.key_conds(kt, k)
        if TRUE in conds:
            return m.slots[conds.index(TRUE)]
        return named(self.s, vt, select(conds, list(m.slots)))

    def map_put(self, m: Val, kt: Type, k: Val, v: Val) -> MapV:
        assert isinstance(m, MapV)
        return MapV(tuple(choose(c, v, x) for c, x in zip(self.key_conds(kt, k), m.slots, strict=True)))

    def index_check(self, i: str, q: SeqV) -> None:
        self.error(or_(cmp("<", i, "0"), cmp(">=", i, q.n)))

    def seq_get(self, q: SeqV, i: str, elem: Type) -> Val:
        """q[i] where the index was checked (elsewhere the value does not matter)."""
        c = const_int(i)
        if c is not None:
            return q.slots[c] if 0 <= c < len(q.slots) else (q.slots[0] if q.slots else initial(elem))
        if not q.slots:
            return initial(elem)
        return named(self.s, elem, select([cmp("==", i, num(j)) for j in range(len(q.slots))], list(q.slots)))

    # ---------------------------------------------------------- expressions
    def ex(self, e: ir.Expr, env: Env) -> Val:
        try:
            return self._ex(e, env)
        except NotCertifiable as err:
            if err.where != "?":
                raise
            raise NotCertifiable(err.construct, where(e)) from None

    def _ex(self, e: ir.Expr, env: Env) -> Val:
        match e:
            case ir.Lit():
                return const(known(e.type, "literal"), e.value)
            case ir.Var():
                return self.st[e.index]
            case ir.Local():
                return env[e.uid]
            case ir.Index():
                base, k = self.ex(e.base, env), self.ex(e.index, env)
                bt = e.base.type
                if isinstance(bt, MapT):
                    return self.map_get(base, bt.key, bt.value, k)
                assert isinstance(base, SeqV) and isinstance(k, str)
                self.index_check(k, base)
                return self.seq_get(base, k, e.type)
            case ir.Field():
                rec = self.ex(e.base, env)
                assert isinstance(rec, RecV)
                return rec.fields[e.field_index]
            case ir.Unary():
                v = self.ex(e.operand, env)
                assert isinstance(v, str)
                return not_(v) if e.op is ir.UnOp.NOT else sub("0", v)
            case ir.Binary():
                return self.binary(e, env)
            case ir.Ite():
                c = self.ex(e.cond, env)
                assert isinstance(c, str)
                if c in (TRUE, FALSE):
                    return self.ex(e.then if c == TRUE else e.other, env)
                a = self.under(c, lambda: self.ex(e.then, env))
                b = self.under(not_(c), lambda: self.ex(e.other, env))
                return named(self.s, e.type, choose(c, a, b))
            case ir.Quant():
                return self.quant(e, env)
            case ir.SetLit():
                assert isinstance(e.type, SetT)
                return self.set_of(e.type, [self.ex(i, env) for i in e.items])
            case ir.SeqLit():
                return SeqV(num(len(e.items)), tuple(self.ex(i, env) for i in e.items))
            case ir.MapComp():
                return MapV(tuple(self.ex(e.body, {**env, e.uid: const(e.key, k)}) for k in values(e.key)))
            case ir.RecordLit():
                return RecV(tuple(self.ex(v, env) for v in e.values))
            case ir.Builtin():
                from .builtins import BUILTIN_TERMS
                if e.name not in BUILTIN_TERMS:
                    raise NotCertifiable(f"the builtin {e.name}", where(e))
                return BUILTIN_TERMS[e.name](self, e, [self.ex(a, env) for a in e.args])
            case ir.SortVal():
                i = self.ex(e.index, env)
                assert isinstance(i, str) and isinstance(e.type, SortT)
                self.error(out_of_range(i, 0, e.type.size - 1))
                return i
            case ir.Some():
                return Opt(TRUE, self.ex(e.operand, env))
            case ir.Narrow():
                return self.narrow(self.ex(e.operand, env), e.type)
            case ir.LetIn():
                value = named(self.s, e.value.type, self.ex(e.value, env))
                return self.ex(e.body, {**env, e.uid: value})
            case _:
                assert_never(e)

    def narrow(self, v: Val, t: Type) -> Val:
        """The reference `narrow`: a value stored into a bounded place is checked against its bounds."""
        if isinstance(t, IntT):
            if t.lo is not None and t.hi is not None:
                assert isinstance(v, str)
                self.error(out_of_range(v, t.lo, t.hi))
            return v
        if isinstance(t, SeqT):
            assert isinstance(v, SeqV)
            c = cap(t)
            self.error(cmp(">", v.n, num(c)))
            slots = v.slots[:c]
            el = t.elem
            if isinstance(el, IntT) and el.lo is not None and el.hi is not None:
                for i, x in enumerate(slots):
                    assert isinstance(x, str)
                    self.error(and_(cmp(">", v.n, num(i)), out_of_range(x, el.lo, el.hi)))
            return SeqV(v.n, slots)
        if isinstance(t, OptionT):
            assert isinstance(v, Opt)
            inner, val = t.inner, v.v
            if val is None or inner is None:
                return v
            return Opt(v.p, self.under(v.p, lambda: self.narrow(val, inner)))
        if isinstance(t, SetT) and isinstance(t.elem, IntT):
            assert isinstance(v, SetV)
            lo, hi = t.elem.lo, t.elem.hi
            if lo is None or hi is None:
                raise NotCertifiable("a set of unbounded ints", "?")
            self.error(or_(*(b for d, b in zip(v.dom, v.bits, strict=True) if not lo <= d <= hi)))
            have = dict(zip(v.dom, v.bits, strict=True))
            dom = tuple(values(t.elem))
            return SetV(dom, tuple(have.get(d, FALSE) for d in dom))
        if isinstance(t, MapT) and isinstance(t.value, (IntT, SeqT)):
            assert isinstance(v, MapV)
            return MapV(tuple(self.narrow(x, t.value) for x in v.slots))
        return v

    def set_of(self, t: SetT, items: list[Val]) -> SetV:
        elem = known(t.elem, "set element")
        if isinstance(elem, IntT) and not elem.bounded:
            ints = [const_int(x) if isinstance(x, str) else None for x in items]
            if any(i is None for i in ints):
                raise NotCertifiable("a set literal of unbounded ints", "?")
            dom: tuple[object, ...] = tuple(sorted({i for i in ints if i is not None}))
        else:
            dom = tuple(values(elem))
        return SetV(dom, tuple(or_(*(equal(x, const(elem, d)) for x in items)) for d in dom))

    def member(self, x: Val, s: SetV, elem: Type) -> str:
        return or_(*(and_(b, equal(x, const(elem, d))) for d, b in zip(s.dom, s.bits, strict=True)))

    def binary(self, e: ir.Binary, env: Env) -> Val:
        op = e.op
        if op in (ir.BinOp.AND, ir.BinOp.OR, ir.BinOp.IMPLIES):
            a = self.ex(e.left, env)
            assert isinstance(a, str)
            reach = not_(a) if op is ir.BinOp.OR else a  # when the right operand is evaluated
            if reach == FALSE:
                return FALSE if op is ir.BinOp.AND else TRUE
            b = self.under(reach, lambda: self.ex(e.right, env))
            assert isinstance(b, str)
            return and_(a, b) if op is ir.BinOp.AND else or_(a, b) if op is ir.BinOp.OR else or_(not_(a), b)
        a, b = self.ex(e.left, env), self.ex(e.right, env)
        match op:
            case ir.BinOp.ADD | ir.BinOp.SUB | ir.BinOp.MUL | ir.BinOp.DIV | ir.BinOp.MOD:
                assert isinstance(a, str) and isinstance(b, str)
                if op is ir.BinOp.ADD:
                    return add(a, b)
                if op is ir.BinOp.SUB:
                    return sub(a, b)
                if op is ir.BinOp.MUL:
                    return self.s.mul(a, b)
                self.error(eq(b, "0"))
                return self.s.divmod(str(op), a, b)
            case ir.BinOp.EQ:
                return equal(a, b)
            case ir.BinOp.NE:
                return not_(equal(a, b))
            case ir.BinOp.LT | ir.BinOp.LE | ir.BinOp.GT | ir.BinOp.GE:
                assert isinstance(a, str) and isinstance(b, str)
                return cmp(str(op), a, b)
            case ir.BinOp.IN:
                if isinstance(b, SetV):
                    rt = e.right.type
                    assert isinstance(rt, SetT)
                    return self.member(a, b, known(rt.elem, "set element"))
                assert isinstance(b, SeqV)
                return or_(*(and_(cmp(">", b.n, num(i)), equal(x, a)) for i, x in enumerate(b.slots)))
            case ir.BinOp.CONCAT:
                assert isinstance(a, SeqV) and isinstance(b, SeqV)
                return self.concat(a, b, e.type)
            case ir.BinOp.UNION | ir.BinOp.DIFF | ir.BinOp.INTER:
                assert isinstance(a, SetV) and isinstance(b, SetV)
                dom, xa, xb = aligned(a, b)
                if op is ir.BinOp.UNION:
                    bits = [or_(x, y) for x, y in zip(xa, xb, strict=True)]
                elif op is ir.BinOp.DIFF:
                    bits = [and_(x, not_(y)) for x, y in zip(xa, xb, strict=True)]
                else:
                    bits = [and_(x, y) for x, y in zip(xa, xb, strict=True)]
                return SetV(dom, tuple(bits))
            case ir.BinOp.AND | ir.BinOp.OR | ir.BinOp.IMPLIES:
                raise AssertionError("handled above")
            case _:
                assert_never(op)

    def concat(self, a: SeqV, b: SeqV, t: Type) -> SeqV:
        """a ++ b: position j is a's slot j below a's length, else b's slot j - len(a)."""
        n = add(a.n, b.n)
        la = const_int(a.n)
        if la is not None:
            return SeqV(n, a.slots[:la] + b.slots)
        elem = known(t.elem if isinstance(t, SeqT) else None, "seq element")
        slots = []
        for j in range(len(a.slots) + len(b.slots)):
            conds, items = [], []
            for na in range(len(a.slots) + 1):  # na: a possible length of a
                if j < na:
                    conds.append(cmp("==", a.n, num(na)))
                    items.append(a.slots[j])
                elif j - na < len(b.slots):
                    conds.append(cmp("==", a.n, num(na)))
                    items.append(b.slots[j - na])
            if items:
                slots.append(named(self.s, elem, select(conds, items)))
        return SeqV(self.s.name(n, "Int"), tuple(slots))

    def quant(self, e: ir.Quant, env: Env) -> Val:
        kind = e.kind
        if kind in (ir.QuantKind.FORALL, ir.QuantKind.EXISTS):
            going = TRUE  # not decided by an earlier value (the reference stops at the first that decides)
            for v in values(e.domain):
                if going == FALSE:
                    break
                env2 = {**env, e.uid: const(e.domain, v)}
                w = TRUE if e.where is None else self.under(going, partial(self.ex, e.where, env2))
                assert isinstance(w, str)
                b = self.under(and_(going, w), partial(self.ex, e.body, env2))
                assert isinstance(b, str)
                keep = or_(not_(w), b) if kind is ir.QuantKind.FORALL else not_(and_(w, b))
                going = self.s.name(and_(going, keep), "Bool")
            return going if kind is ir.QuantKind.FORALL else not_(going)
        acc = "0"
        for v in values(e.domain):
            env2 = {**env, e.uid: const(e.domain, v)}
            w = TRUE if e.where is None else self.ex(e.where, env2)
            assert isinstance(w, str)
            b = self.under(w, partial(self.ex, e.body, env2))
            assert isinstance(b, str)
            term = ite(and_(w, b), "1", "0") if kind is ir.QuantKind.COUNT else ite(w, b, "0")
            acc = self.s.name(add(acc, term), "Int")
        return acc

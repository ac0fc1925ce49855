"""Expressions of the IR in Z3: the reference semantics' `eval` (xenmodel/semantics.py), symbolically.

`ExprEncoder` holds the execution context every evaluation needs: the current state's syms, the path
condition `g` and the errors recorded so far (statements and whole transitions are in encode_stmts.py).
A model error is recorded as (g and trigger, code, message, span) and removes its case from `g`, so an
error ends its path exactly as in the reference semantics. Messages come from xenmodel/model_errors.py
where the message does not depend on run-time values; where it does (a value outside a range, an index
outside a seq, ...) a static message is recorded: every counterexample is replayed through the
reference semantics, which gives the concrete message.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import assert_never

import z3

from xenmodel import ir
from xenmodel import model_errors as E
from xenmodel.source import Span
from xenmodel.types import IntT, MapT, OptionT, SeqT, SetT, SortT, Type, is_enumerable, key_index, values

from .builtin_hooks import HOOKS
from .runtime import Err, Fresh, Pick
from .values import (
    FALSE,
    TRUE,
    Bool,
    I,
    MapV,
    Opt,
    RecV,
    SeqV,
    SetV,
    Sym,
    cap_of,
    concrete,
    const_sym,
    default_sym,
    eq,
    ext,
    int_cmp,
    ite,
    ival,
    mk_and,
    mk_not,
    mk_or,
    select,
    set_domain,
    shrink,
    unify_sets,
    width_for,
)

Env = dict[int, Sym]  # local uid -> sym


class ExprEncoder:
    def __init__(self, model: ir.Model, enumerate_limit: int = 64) -> None:
        self.model = model
        self.fresh = Fresh()
        self.enumerate_limit = enumerate_limit
        # execution context
        self.g: Bool = TRUE
        self.errs: list[Err] = []
        self.st: list[Sym] = []
        self.picks: list[Pick] = []
        self.choices: list[tuple[Sym, Type]] = []

    # ---------------------------------------------------------- errors and guards
    def err(self, trig: Bool, code: str, message: str, span: Span | None) -> None:
        c = mk_and(self.g, trig)
        if z3.is_false(c):
            return
        self.errs.append(Err(c, code, message, span))
        self.g = mk_and(self.g, mk_not(trig))

    def raise_if(self, trig: Bool, error: E.ModelError) -> None:
        """Record a model error whose message model_errors.py gives without run-time values."""
        self.err(trig, error.code, error.message, error.span)

    def under(self, cond: Bool, fn: Callable[[], Sym]) -> Sym:
        """Evaluate fn() only on the paths where cond holds (short-circuit)."""
        saved = self.g
        n0 = len(self.errs)
        self.g = mk_and(saved, cond)
        v = fn()
        new = [e.cond for e in self.errs[n0:]]
        self.g = mk_and(saved, mk_not(mk_or(*new))) if new else saved
        return v

    # ---------------------------------------------------------- containers
    def key_conds(self, kt: Type, k: Sym) -> list[Bool] | int:
        """The slot index if the key is a constant, else one condition per slot."""
        try:
            return key_index(kt, concrete(k))
        except LookupError:
            return [eq(k, const_sym(kt, kv)) for kv in values(kt)]

    def map_get(self, m: MapV, kt: Type, k: Sym) -> Sym:
        kc = self.key_conds(kt, k)
        if isinstance(kc, int):
            return m.slots[kc]
        return select(kc, m.slots)

    def map_put(self, m: MapV, kt: Type, k: Sym, v: Sym) -> MapV:
        kc = self.key_conds(kt, k)
        if isinstance(kc, int):
            slots = list(m.slots)
            slots[kc] = v
            return MapV(slots)
        return MapV([ite(c, v, s) for c, s in zip(kc, m.slots, strict=False)])

    def seq_get(self, q: SeqV, i: I, elem: Type) -> Sym:
        """q[i]; where no slot can hold index i the access is a model error (stated by the caller), and
        the value returned only has to be well-formed for the element type."""
        c = i.const()
        if c is not None:
            return q.slots[c] if 0 <= c < len(q.slots) else (q.slots[0] if q.slots else default_sym(elem))
        if not q.slots:
            return default_sym(elem)
        conds = [int_cmp("==", i, ival(j)) for j in range(len(q.slots))]
        return select(conds, q.slots)

    def index_check(self, k: I, q: SeqV, span: Span | None) -> None:
        # static message: the reference's names the index and the length (see the module docstring)
        self.err(mk_or(int_cmp("<", k, ival(0)), int_cmp(">=", k, q.n)), "XM505", "index outside a seq", span)

    # ---------------------------------------------------------- expressions
    def ex(self, e: ir.Expr, env: Env) -> Sym:
        match e:
            case ir.Lit():
                if isinstance(e.type, IntT) and not e.type.bounded:
                    return ival(e.value)
                return const_sym(e.type, e.value)
            case ir.Var():
                return self.st[e.index]
            case ir.Local():
                return env[e.uid]
            case ir.Index():
                base = self.ex(e.base, env)
                k = self.ex(e.index, env)
                bt = e.base.type
                if isinstance(bt, MapT):
                    return self.map_get(base, bt.key, k)
                self.index_check(k, base, e.span)
                return self.seq_get(base, k, e.type)
            case ir.Field():
                return self.ex(e.base, env).fields[e.field_index]
            case ir.Unary():
                v = self.ex(e.operand, env)
                match e.op:
                    case ir.UnOp.NOT:
                        return mk_not(v)
                    case ir.UnOp.NEG:
                        return self.arith("-", ival(0), v)
                    case _:
                        assert_never(e.op)
            case ir.Binary():
                return self.binary(e, env)
            case ir.Ite():
                c = self.ex(e.cond, env)
                if z3.is_true(c):
                    return self.ex(e.then, env)
                if z3.is_false(c):
                    return self.ex(e.other, env)
                a = self.under(c, lambda: self.ex(e.then, env))
                b = self.under(mk_not(c), lambda: self.ex(e.other, env))
                return ite(c, a, b)
            case ir.Quant():
                return self.quant(e, env)
            case ir.SetLit():
                assert isinstance(e.type, SetT)
                return self.set_of(e.type.elem, [self.ex(i, env) for i in e.items])
            case ir.SeqLit():
                return SeqV(ival(len(e.items)), [self.ex(i, env) for i in e.items])
            case ir.MapComp():
                out = []
                for k in values(e.key):
                    env2 = dict(env)
                    env2[e.uid] = const_sym(e.key, k)
                    out.append(self.ex(e.body, env2))
                return MapV(out)
            case ir.RecordLit():
                return RecV([self.ex(v, env) for v in e.values])
            case ir.Builtin():
                return HOOKS[e.name](self, e, [self.ex(a, env) for a in e.args])
            case ir.SortVal():
                i = self.ex(e.index, env)
                assert isinstance(e.type, SortT)
                n = e.type.size
                # static message: the reference's names the index (see the module docstring)
                self.err(mk_or(int_cmp("<", i, ival(0)), int_cmp(">", i, ival(n - 1))), "XM508",
                         f"{e.type.name}(i) is outside the sort", e.span)
                return self.as_range(i, 0, n - 1)
            case ir.Some():
                return Opt(TRUE, self.ex(e.operand, env))
            case ir.Narrow():
                return self.narrow(self.ex(e.operand, env), e.type, e.span)
            case ir.LetIn():
                env2 = dict(env)
                env2[e.uid] = self.ex(e.value, env)
                return self.ex(e.body, env2)
            case _:
                assert_never(e)

    def as_range(self, x: I, lo: int, hi: int) -> I:
        """x as the representation of a value known to lie in [lo, hi] (after a range check)."""
        y = shrink(x, lo, hi)
        w = width_for(lo, hi)
        if y.w < w:
            return I(ext(y, w), y.lo, y.hi)
        return y

    def range_check(self, trig: Bool, t: Type, span: Span | None) -> None:
        # static message: the reference's names the value (see the module docstring)
        self.err(trig, "XM503", f"value outside {t}", span)

    def narrow(self, v: Sym, t: Type, span: Span | None) -> Sym:
        """The reference `narrow`: range and capacity checks for a value stored into a bounded place."""
        if isinstance(t, IntT):
            if t.lo is not None and t.hi is not None:
                self.range_check(mk_or(int_cmp("<", v, ival(t.lo)), int_cmp(">", v, ival(t.hi))), t, span)
                return self.as_range(v, t.lo, t.hi)
            return v
        if isinstance(t, SeqT):
            cap = cap_of(t)
            # static message: the reference's names the length (see the module docstring)
            self.err(int_cmp(">", v.n, ival(cap)), "XM504", f"a seq does not fit capacity {cap}", span)
            n = shrink(v.n, 0, cap)
            slots = v.slots[:cap]
            el = t.elem
            if isinstance(el, IntT) and el.lo is not None and el.hi is not None:
                out = []
                for i, x in enumerate(slots):
                    live = int_cmp(">", n, ival(i))
                    self.range_check(mk_and(live, mk_or(int_cmp("<", x, ival(el.lo)), int_cmp(">", x, ival(el.hi)))),
                                     el, span)
                    out.append(self.as_range(x, el.lo, el.hi))
                slots = out
            return SeqV(n, slots)
        if isinstance(t, OptionT):
            if v.v is None or t.inner is None:
                return v
            inner_t = t.inner
            return Opt(v.p, self.under(v.p, lambda: self.narrow(v.v, inner_t, span)))
        if isinstance(t, SetT) and isinstance(t.elem, IntT) and t.elem.lo is not None and t.elem.hi is not None:
            lo, hi = t.elem.lo, t.elem.hi
            bad = [b for d, b in zip(v.dom, v.bits, strict=False) if not lo <= d <= hi]
            self.range_check(mk_or(*bad), t.elem, span)
            dom = tuple(values(t.elem))
            m = dict(zip(v.dom, v.bits, strict=False))
            return SetV(t.elem, dom, [m.get(d, FALSE) for d in dom])
        if isinstance(t, MapT) and isinstance(t.value, (IntT, SeqT)):
            return MapV([self.narrow(x, t.value, span) for x in v.slots])
        return v

    def set_of(self, elem: Type | None, items: list[Sym]) -> SetV:
        extra: set[int] = set()
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

    def member(self, x: Sym, s: SetV) -> Bool:
        et = s.elem if s.elem is not None and is_enumerable(s.elem) else IntT()
        try:
            c = concrete(x)
            for d, b in zip(s.dom, s.bits, strict=False):
                if d == c:
                    return b
            return FALSE
        except LookupError:
            pass
        return mk_or(*(mk_and(b, eq(x, ival(d) if isinstance(et, IntT) else const_sym(et, d)))
                       for d, b in zip(s.dom, s.bits, strict=False)))

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

    def binary(self, e: ir.Binary, env: Env) -> Sym:
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
            self.raise_if(int_cmp("==", b, ival(0)), E.division_by_zero(op, e.span))
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
                bits = [mk_or(x, y) for x, y in zip(ba, bb, strict=False)]
            elif op == "diff":
                bits = [mk_and(x, mk_not(y)) for x, y in zip(ba, bb, strict=False)]
            else:
                bits = [mk_and(x, y) for x, y in zip(ba, bb, strict=False)]
            return SetV(a.elem if a.elem is not None else b.elem, dom, bits)
        raise AssertionError(f"z3: unknown operator {op}")

    def concat(self, a: SeqV, b: SeqV) -> SeqV:
        n = self.arith("+", a.n, b.n)
        la = a.n.const()
        if la is not None:
            return SeqV(n, a.slots[:la] + b.slots)
        slots = []
        for j in range(len(a.slots) + len(b.slots)):
            # position j: a's slot j if j < len(a), else b's slot j - len(a)
            opts = []
            for na in range(max(a.n.lo, 0), min(a.n.hi, len(a.slots)) + 1):  # na: a possible len(a)
                if j < na:
                    opts.append((na, a.slots[j]))
                elif 0 <= j - na < len(b.slots):
                    opts.append((na, b.slots[j - na]))
            if not opts:
                continue
            v = opts[-1][1]
            for na, x in reversed(opts[:-1]):
                v = ite(int_cmp("==", a.n, ival(na)), x, v)
            slots.append(v)
        return SeqV(n, slots)

    def quant(self, e: ir.Quant, env: Env) -> Sym:
        kind = e.kind
        going = TRUE  # no short-circuit so far (forall/exists)
        acc = ival(0)
        where, body = e.where, e.body
        for v in values(e.domain):
            env2 = dict(env)
            env2[e.uid] = const_sym(e.domain, v)
            if kind in (ir.QuantKind.FORALL, ir.QuantKind.EXISTS):
                if z3.is_false(going):
                    break
                w = TRUE if where is None else self.under(going, partial(self.ex, where, env2))
                b = self.under(mk_and(going, w), partial(self.ex, body, env2))
                if kind is ir.QuantKind.FORALL:
                    going = mk_and(going, mk_or(mk_not(w), b))
                else:
                    going = mk_and(going, mk_not(mk_and(w, b)))
            else:
                w = TRUE if where is None else self.ex(where, env2)
                b = self.under(w, partial(self.ex, body, env2))
                if kind is ir.QuantKind.COUNT:
                    term = ite(mk_and(w, b), ival(1), ival(0))
                else:
                    term = ite(w, b, ival(0))
                acc = self.arith("+", acc, term)
        if kind is ir.QuantKind.FORALL:
            return going
        if kind is ir.QuantKind.EXISTS:
            return mk_not(going)
        return acc

    def remove_at_cond(self, q: SeqV, hits: list[Bool]) -> SeqV:
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


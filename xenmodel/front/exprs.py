"""Typing of expressions: the dispatch over the syntax tree's expression nodes, conditions, fields,
quantifiers, records, and the two rules every operator uses: join (the common type of two operands)
and coerce (an expression made to fit a type, narrowing where a value is stored)."""
from __future__ import annotations

import difflib
from typing import assert_never

from .. import ast as A
from .. import ir
from ..diagnostics import Note
from ..safetext import int_text
from ..source import Span
from ..types import BOOL, INT, BoolT, IntT, MapT, OptionT, RecordT, SeqT, SetT, Type
from .base import ERR, ErrT, Scope, compatible, err_node, int_pair
from .scopes import Scopes


class Exprs(Scopes):
    def cond(self, e: A.Expr, scope: Scope) -> ir.Expr:
        x = self.expr(e, scope, BOOL)
        if not isinstance(x.type, (BoolT, ErrT)):
            self.error("XM203", f"a condition must be a bool, not {x.type}", e.span)
            return err_node(e.span)
        return x

    def expr(self, e: A.Expr, scope: Scope, expected: Type | None, const_only: bool = False) -> ir.Expr:
        saved, self._const_only = self._const_only, const_only
        try:
            return self._expr(e, scope, expected)
        finally:
            self._const_only = saved

    def _expr(self, e: A.Expr, scope: Scope, expected: Type | None) -> ir.Expr:
        if not self._enter(e.span):
            return err_node(e.span)
        try:
            return self._expr_node(e, scope, expected)
        finally:
            self.depth -= 1

    def _expr_node(self, e: A.Expr, scope: Scope, expected: Type | None) -> ir.Expr:
        match e:
            case A.IntLit():
                return ir.Lit(e.value, INT, span=e.span)
            case A.BoolLit():
                return ir.Lit(e.value, BOOL, span=e.span)
            case A.NoneLit():
                return ir.Lit(None, expected if isinstance(expected, OptionT) else OptionT(None), span=e.span)
            case A.Name():
                return self.name(e, scope)
            case A.Call():
                return self.call(e, scope, expected)
            case A.Index():
                return self.index(e, scope)
            case A.Field():
                base = self._expr(e.base, scope, None)
                f = self.field_of(base.type, e)
                return ir.Field(base, f[0], e.name, f[1], span=e.span) if f is not None else err_node(e.span)
            case A.Unary():
                return self.unary(e, scope)
            case A.Binary():
                return self.binary(e, scope, expected)
            case A.Ite():
                return self.ite(e, scope, expected)
            case A.Quant():
                return self.quant(e, scope)
            case A.SetLit():
                return self.set_lit(e, scope, expected)
            case A.SeqLit():
                return self.seq_lit(e, scope, expected)
            case A.MapComp():
                return self.map_comp(e, scope, expected)
            case A.RecordLit():
                return self.record(e, scope)
            case A.Temporal():
                self.error("XM240", f"`{e.op}` is a temporal operator; it may stand only in a `temporal` "
                           "declaration, outside its state predicates", e.span,
                           help="an invariant, a guard or a predicate is about one state: declare "
                           "`temporal NAME: ...` for a property of behaviours")
                return err_node(e.span)
            case _:
                assert_never(e)

    def index(self, e: A.Index, scope: Scope) -> ir.Expr:
        base = self._expr(e.base, scope, None)
        bt = base.type
        if isinstance(bt, ErrT):
            self._expr(e.index, scope, None)
            return err_node(e.span)
        if isinstance(bt, MapT):
            k = self.coerce(self._expr(e.index, scope, bt.key), bt.key, e.index.span)
            return ir.Index(base, k, bt.value, span=e.span)
        if isinstance(bt, SeqT) and bt.elem is not None:
            k = self.int_expr(e.index, scope)
            return ir.Index(base, k, bt.elem, span=e.span)
        self.error("XM205", f"cannot index a value of type {bt}", e.base.span,
                   help="only maps (m[k]) and seqs (q[i]) can be indexed")
        return err_node(e.span)

    def unary(self, e: A.Unary, scope: Scope) -> ir.Expr:
        if e.op == "!":
            return ir.Unary(ir.UnOp.NOT, self.cond(e.operand, scope), BOOL, span=e.span)
        x = self.int_expr(e.operand, scope)
        if isinstance(x, ir.Lit) and isinstance(x.value, int):
            return ir.Lit(-x.value, INT, span=e.span)
        return ir.Unary(ir.UnOp.NEG, x, INT, span=e.span)

    def ite(self, e: A.Ite, scope: Scope, expected: Type | None) -> ir.Expr:
        c = self.cond(e.cond, scope)
        a = self._expr(e.then, scope, expected)
        b = self._expr(e.other, scope, expected if expected is not None else a.type)
        t = self.join(a, b, e)
        return ir.Ite(c, self.coerce(a, t, e.then.span), self.coerce(b, t, e.other.span), t, span=e.span)

    def set_lit(self, e: A.SetLit, scope: Scope, expected: Type | None) -> ir.Expr:
        elem = expected.elem if isinstance(expected, SetT) else None
        items = [self._expr(i, scope, elem) for i in e.items]
        if elem is None and items:
            elem = items[0].type
            if isinstance(elem, IntT) and not elem.bounded:
                elem = next((i.type for i in items if isinstance(i.type, IntT) and i.type.bounded), elem)
        items = [self.coerce(i, elem, s.span) for i, s in zip(items, e.items, strict=True)] if elem is not None else []
        return ir.SetLit(tuple(items), SetT(elem), span=e.span)

    def seq_lit(self, e: A.SeqLit, scope: Scope, expected: Type | None) -> ir.Expr:
        elem = expected.elem if isinstance(expected, SeqT) else None
        items = [self._expr(i, scope, elem) for i in e.items]
        if elem is None and items:
            elem = items[0].type
        items = [self.coerce(i, elem, s.span) for i, s in zip(items, e.items, strict=True)] if elem is not None else []
        cap = expected.cap if isinstance(expected, SeqT) else None
        return ir.SeqLit(tuple(items), SeqT(elem, cap if cap is not None else max(1, len(items))), span=e.span)

    def map_comp(self, e: A.MapComp, scope: Scope, expected: Type | None) -> ir.Expr:
        inner = Scope(scope)
        kt = self.binder_type(e.binder, scope)
        uid = self.bind_local(e.binder.name, kt, inner, e.binder.span)
        vt = expected.value if isinstance(expected, MapT) else None
        body = self._expr(e.body, inner, vt)
        if vt is None:
            vt = body.type
        body = self.coerce(body, vt, e.body.span)
        if isinstance(kt, ErrT) or isinstance(vt, ErrT):
            return err_node(e.span)
        return ir.MapComp(uid, e.binder.name, kt, body, MapT(kt, vt), span=e.span)

    def int_expr(self, e: A.Expr, scope: Scope) -> ir.Expr:
        x = self._expr(e, scope, INT)
        if not isinstance(x.type, (IntT, ErrT)):
            self.error("XM214", f"expected an integer, found {x.type}", e.span)
            return err_node(e.span)
        return x

    def field_of(self, bt: Type, e: A.Field) -> tuple[int, Type] | None:
        """The index and type of the field `e.name` of a value of type `bt`; None after an error."""
        if isinstance(bt, ErrT):
            return None
        if not isinstance(bt, RecordT):
            self.error("XM206", f"`.{e.name}` on a value of type {bt}, which is not a record", e.span)
            return None
        idx = bt.field_index(e.name)
        if idx is None:
            close = difflib.get_close_matches(e.name, [f for f, _ in bt.fields], 1)
            self.error("XM109", f"record {bt.name} has no field `{e.name}`", e.span,
                       help=f"did you mean `{close[0]}`?" if close else
                       f"its fields are {', '.join(f for f, _ in bt.fields)}")
            return None
        return idx, bt.fields[idx][1]

    def join(self, a: ir.Expr, b: ir.Expr, e: A.Node) -> Type:
        """The common type of two expressions (for ==, if-then-else)."""
        ta, tb = a.type, b.type
        if isinstance(ta, ErrT) or isinstance(tb, ErrT):
            return ERR
        if ta == tb:
            return ta
        if isinstance(ta, IntT) and isinstance(tb, IntT):
            if ta.lo is not None and ta.hi is not None and tb.lo is not None and tb.hi is not None:
                return IntT(min(ta.lo, tb.lo), max(ta.hi, tb.hi))
            return INT
        for x, y in ((ta, tb), (tb, ta)):
            if isinstance(x, OptionT) and (x.inner is None or compatible(x.inner, y)) and not isinstance(y, OptionT):
                return OptionT(y) if x.inner is None else x
            if isinstance(x, OptionT) and isinstance(y, OptionT) and x.inner is None:
                return y
            if isinstance(x, SetT) and isinstance(y, SetT) and x.elem is None:
                return y
            if isinstance(x, SeqT) and isinstance(y, SeqT) and (x.elem is None or x.elem == y.elem):
                return SeqT(y.elem if y.elem is not None else x.elem, max(x.cap or 0, y.cap or 0) or None)
        self.error("XM201", f"cannot compare or join {ta} with {tb}", e.span)
        return ERR

    def coerce(self, x: ir.Expr, target: Type | None, span: Span | None, narrow: bool = True) -> ir.Expr:
        """`x` made to fit `target`: as it is, widened, or (`narrow`, where a value is stored) narrowed with a
        run-time range check; an error (XM201, XM503) where it cannot fit."""
        if target is None or isinstance(target, ErrT) or isinstance(x.type, ErrT):
            return x
        t = x.type
        if t == target:
            return x
        fitted: ir.Expr | None = None
        if isinstance(t, IntT) and isinstance(target, IntT):
            return self._coerce_int(x, t, target, span, narrow)
        if isinstance(target, OptionT):
            fitted = self._coerce_option(x, t, target, span, narrow)
        elif isinstance(target, SetT) and isinstance(t, SetT):
            fitted = self._coerce_set(x, t, target, span)
        elif isinstance(target, SeqT) and isinstance(t, SeqT):
            fitted = self._coerce_seq(x, t, target, span, narrow)
        elif (isinstance(target, MapT) and isinstance(t, MapT) and t.key == target.key
              and int_pair(t.value, target.value)):
            fitted = ir.Narrow(x, target, span=span) if narrow else x
        if fitted is not None:
            return fitted
        self.error("XM201", f"expected {target}, found {t}", span)
        return err_node(span)

    def _coerce_int(self, x: ir.Expr, t: IntT, target: IntT, span: Span | None, narrow: bool) -> ir.Expr:
        lo, hi = target.lo, target.hi
        if lo is None or hi is None or not narrow or (
                t.lo is not None and t.hi is not None and lo <= t.lo and t.hi <= hi):
            return x
        if isinstance(x, ir.Lit):
            if not lo <= x.value <= hi:
                self.error("XM503", f"{int_text(x.value)} is outside {target}", span)
                return err_node(span)
            return ir.Lit(x.value, target, span=x.span)  # checked now, not at every step
        return ir.Narrow(x, target, span=span)

    def _coerce_option(self, x: ir.Expr, t: Type, target: OptionT, span: Span | None,
                       narrow: bool) -> ir.Expr | None:
        if isinstance(t, OptionT) and t.inner is None:
            return ir.Lit(None, target, span=span)
        if not isinstance(t, OptionT):
            inner = self.coerce(x, target.inner, span, narrow)
            if isinstance(inner.type, ErrT):
                return inner
            return ir.Some(inner, target, span=span)
        if isinstance(t.inner, IntT) and isinstance(target.inner, IntT):
            return ir.Narrow(x, target, span=span) if narrow else x
        return None

    def _coerce_set(self, x: ir.Expr, t: SetT, target: SetT, span: Span | None) -> ir.Expr | None:
        if not (t.elem is None or int_pair(t.elem, target.elem)):
            return None
        if isinstance(x, ir.SetLit) and not x.items:
            return ir.Lit(frozenset(), target, span=span)
        if isinstance(x, ir.SetLit):
            return ir.SetLit(tuple(self.coerce(i, target.elem, i.span) for i in x.items), target, span=span)
        if t.elem is None:
            return ir.Lit(frozenset(), target, span=span)
        return None

    def _coerce_seq(self, x: ir.Expr, t: SeqT, target: SeqT, span: Span | None, narrow: bool) -> ir.Expr | None:
        if not (t.elem is None or t.elem == target.elem or int_pair(t.elem, target.elem)):
            return None
        if t.elem is None:
            return ir.Lit((), target, span=span)
        if narrow and (t.cap is None or (target.cap is not None and t.cap > target.cap) or t.elem != target.elem):
            return ir.Narrow(x, target, span=span)
        return x

    def quant(self, e: A.Quant, scope: Scope) -> ir.Expr:
        inner = Scope(scope)
        bound: list[tuple[int, str, Type, Span | None]] = []
        for b in e.binders:
            t = self.binder_type(b, scope)
            uid = self.bind_local(b.name, t, inner, b.span)
            bound.append((uid, b.name, t, b.span))
        if len(bound) > 1 and not self.small_domain([t for _, _, t, _ in bound], e.span, "the binders range over"):
            return err_node(e.span)
        where = self.cond(e.where, inner) if e.where is not None else None
        if e.kind in ("forall", "exists", "count"):
            body = self.cond(e.body, inner)
        else:
            body = self.int_expr(e.body, inner)
        if any(isinstance(t, ErrT) for _, _, t, _ in bound):
            return err_node(e.span)
        rtype = BOOL if e.kind in ("forall", "exists") else INT
        # nest one binder per node: the innermost carries the where clause
        result: ir.Expr | None = None
        for i, (uid, name, t, _) in reversed(list(enumerate(bound))):
            w = where if i == len(bound) - 1 else None
            kind = ir.QuantKind(e.kind) if result is None or e.kind in ("forall", "exists") else ir.QuantKind.SUM
            result = ir.Quant(kind, uid, name, t, w, body if result is None else result, rtype, span=e.span)
        assert result is not None  # a quantifier has at least one binder
        return result

    def record(self, e: A.RecordLit, scope: Scope) -> ir.Expr:
        t = self.named_type(e.record, e.span) if e.record in self.type_decls else None
        if t is None:
            self.error("XM107", f"unknown record type `{e.record}`", e.span)
            return err_node(e.span)
        if not isinstance(t, RecordT):
            if not isinstance(t, ErrT):
                self.error("XM206", f"`{e.record}` is {t}, not a record", e.span)
            return err_node(e.span)
        given: dict[str, A.FieldInit] = {}
        for f in e.fields:
            if f.name in given:
                self.error("XM215", f"field `{f.name}` is given twice", f.span,
                           (Note("first here", given[f.name].span),))
            elif t.field_index(f.name) is None:
                close = difflib.get_close_matches(f.name, [n for n, _ in t.fields], 1)
                self.error("XM109", f"record {t.name} has no field `{f.name}`", f.span,
                           help=f"did you mean `{close[0]}`?" if close else None)
            else:
                given[f.name] = f
        missing = [n for n, _ in t.fields if n not in given]
        if missing:
            self.error("XM215", f"record literal of {t.name} misses field(s) {', '.join(missing)}", e.span,
                       help="a record literal lists every field")
            return err_node(e.span)
        vals = tuple(self.coerce(self._expr(given[n].value, scope, ft), ft, given[n].value.span) for n, ft in t.fields)
        return ir.RecordLit(vals, t, span=e.span)

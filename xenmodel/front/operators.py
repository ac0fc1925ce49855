"""Typing of the binary operators: logic, membership, comparison, arithmetic, sets and seqs."""
from __future__ import annotations

from .. import ast as A
from .. import ir
from ..types import BOOL, INT, EnumT, IntT, SeqT, SetT, SortT, Type
from .base import ErrT, Scope, err_node, incomplete, int_pair
from .exprs import Exprs


class Operators(Exprs):
    def binary(self, e: A.Binary, scope: Scope, expected: Type | None) -> ir.Expr:
        match e.op:
            case "&&" | "||" | "=>":
                return ir.Binary(ir.BinOp(e.op), self.cond(e.left, scope), self.cond(e.right, scope), BOOL,
                                 span=e.span)
            case "in":
                return self.membership(e, scope)
            case "==" | "!=" | "<" | "<=" | ">" | ">=":
                return self.comparison(e, scope)
            case "+" | "-" | "*" | "/" | "%":
                return self.arith(e, scope, expected)
            case "&":
                left = self._expr(e.left, scope, expected if isinstance(expected, SetT) else None)
                if not isinstance(left.type, (SetT, ErrT)):
                    self.error("XM201", f"`&` intersects sets, not {left.type}", e.left.span)
                    return err_node(e.span)
                return self.set_op(ir.BinOp.INTER, left, e, scope)
            case "++":
                return self.concat(e, scope, expected)
        raise AssertionError(e.op)

    def membership(self, e: A.Binary, scope: Scope) -> ir.Expr:
        sp = e.span
        coll = self._expr(e.right, scope, None)
        ct = coll.type
        if isinstance(ct, ErrT):
            self._expr(e.left, scope, None)
            return err_node(sp)
        if not isinstance(ct, (SetT, SeqT)) or ct.elem is None:
            self.error("XM221", f"`in` needs a set or a seq on its right, not {ct}", e.right.span)
            return err_node(sp)
        item = self.coerce(self._expr(e.left, scope, ct.elem), ct.elem, e.left.span, narrow=False)
        return ir.Binary(ir.BinOp.IN, item, coll, BOOL, span=sp)

    def comparison(self, e: A.Binary, scope: Scope) -> ir.Expr:
        op, sp = e.op, e.span
        left = self._expr(e.left, scope, None)
        right = self._expr(e.right, scope, left.type if not incomplete(left.type) else None)
        if incomplete(left.type) and not incomplete(right.type):
            left = self._expr(e.left, scope, right.type)
        t = self.join(left, right, e)
        if isinstance(t, ErrT):
            return err_node(sp)
        if op in ("<", "<=", ">", ">="):
            if isinstance(t, SortT) and t.symmetric:
                self.error("XM211", f"`{op}` on values of the symmetric sort {t.name}", sp,
                           help="a symmetric sort has no order; compare with == and != only")
                return err_node(sp)
            if not isinstance(t, (IntT, EnumT, SortT)):
                self.error("XM211", f"`{op}` needs integers, enum or sort values, not {t}", sp)
                return err_node(sp)
        if incomplete(t):
            self.error("XM212", "cannot tell the type of both sides of this comparison", sp,
                       help="compare with a typed value")
            return err_node(sp)
        return ir.Binary(ir.BinOp(op), self.coerce(left, t, e.left.span, narrow=False),
                         self.coerce(right, t, e.right.span, narrow=False), BOOL, span=sp)

    def arith(self, e: A.Binary, scope: Scope, expected: Type | None) -> ir.Expr:
        op, sp = e.op, e.span
        left = self._expr(e.left, scope, expected if isinstance(expected, SetT) else None)
        if op in ("+", "-") and isinstance(left.type, SetT):
            return self.set_op(ir.BinOp.UNION if op == "+" else ir.BinOp.DIFF, left, e, scope)
        if op in ("+", "-") and isinstance(left.type, ErrT):
            # the left's type decides whether the right must be an integer or a set: unknown here,
            # so the right is checked on its own (e.g. `p + s` with p bound over a bad type)
            self._expr(e.right, scope, None)
            return err_node(sp)
        if not isinstance(left.type, (IntT, ErrT)):
            self.error("XM214", f"`{op}` needs integers (or sets for + and -), not {left.type}", e.left.span)
            return err_node(sp)
        right = self.int_expr(e.right, scope)
        if isinstance(left.type, ErrT) or isinstance(right.type, ErrT):
            return err_node(sp)
        if isinstance(left, ir.Lit) and isinstance(right, ir.Lit) and op in ("+", "-", "*"):
            v = {"+": left.value + right.value, "-": left.value - right.value,
                 "*": left.value * right.value}[op]
            return ir.Lit(v, INT, span=sp)
        return ir.Binary(ir.BinOp(op), left, right, INT, span=sp)

    def concat(self, e: A.Binary, scope: Scope, expected: Type | None) -> ir.Expr:
        sp = e.span
        left = self._expr(e.left, scope, expected if isinstance(expected, SeqT) else None)
        if isinstance(left.type, ErrT):
            self._expr(e.right, scope, None)
            return err_node(sp)
        if not isinstance(left.type, SeqT):
            self.error("XM201", f"`++` joins seqs, not {left.type}", e.left.span)
            return err_node(sp)
        hint = left.type if left.type.elem is not None else expected
        right = self._expr(e.right, scope, hint)
        if not isinstance(right.type, SeqT):
            if not isinstance(right.type, ErrT):
                self.error("XM201", f"`++` joins seqs, not {right.type}", e.right.span)
            return err_node(sp)
        lt, rt = left.type, right.type
        if lt.elem is None and rt.elem is not None:
            left = self._expr(e.left, scope, rt)  # `[] ++ q`: the empty seq takes q's type
            assert isinstance(left.type, SeqT)
            lt = left.type
        elem = lt.elem if lt.elem is not None else rt.elem
        if elem is None:
            return ir.Lit((), SeqT(None, 1), span=sp)
        if rt.elem is not None and rt.elem != elem and not int_pair(rt.elem, elem):
            self.error("XM201", f"`++` of seq<{elem}> and seq<{rt.elem}>", sp)
            return err_node(sp)
        cap = (lt.cap or 0) + (rt.cap or 0)
        return ir.Binary(ir.BinOp.CONCAT, left, right, SeqT(elem, max(cap, 1)), span=sp)

    def set_op(self, op: ir.BinOp, left: ir.Expr, e: A.Binary, scope: Scope) -> ir.Expr:
        right = self._expr(e.right, scope, left.type if not incomplete(left.type) else None)
        t = self.join(left, right, e)
        if isinstance(t, ErrT):
            return err_node(e.span)
        if not isinstance(t, SetT):
            self.error("XM201", f"set operator on {t}", e.span)
            return err_node(e.span)
        return ir.Binary(op, self.coerce(left, t, e.left.span), self.coerce(right, t, e.right.span), t, span=e.span)

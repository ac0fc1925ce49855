"""Typing of statements and assignment targets."""
from __future__ import annotations

from typing import assert_never

from .. import ast as A
from .. import ir
from ..diagnostics import Note
from ..types import INT, MapT, OptionT, SeqT, SetT
from .base import ERR, ErrT, Scope, incomplete, kind_word
from .calls import Calls


class Stmts(Calls):
    def block(self, stmts: tuple[A.Stmt, ...], scope: Scope) -> tuple[ir.Stmt, ...]:
        out: list[ir.Stmt] = []
        inner = Scope(scope)
        for s in stmts:
            out.extend(self.stmt(s, inner))
        return tuple(out)

    def stmt(self, s: A.Stmt, scope: Scope) -> list[ir.Stmt]:
        if not self._enter(s.span):
            return []
        try:
            return self._stmt(s, scope)
        finally:
            self.depth -= 1

    def _stmt(self, s: A.Stmt, scope: Scope) -> list[ir.Stmt]:
        sp = s.span
        match s:
            case A.Require():
                return [ir.Require(self.cond(s.cond, scope), span=sp)]
            case A.Assert():
                msg = s.message or f"assertion failed: {s.cond.span.text() if s.cond.span else ''}"
                return [ir.Assert(self.cond(s.cond, scope), msg, span=sp)]
            case A.Assign():
                target = self.lvalue(s.target, scope)
                if target is None:
                    self.expr(s.value, scope, None)
                    return []
                value = self.coerce(self.expr(s.value, scope, target.type), target.type, s.value.span)
                return [ir.Assign(target, value, span=sp)]
            case A.Let():
                return [self.let(s, scope)]
            case A.If():
                cond = self.cond(s.cond, scope)
                then = self.block(s.then, scope)
                other = self.block(s.other, scope) if s.other is not None else ()
                return [ir.If(cond, then, other, span=sp)]
            case A.Foreach() | A.Choose():
                inner = Scope(scope)
                t = self.binder_type(s.binder, scope)
                uid = self.bind_local(s.binder.name, t, inner, s.binder.span)
                where = self.cond(s.where, inner) if s.where is not None else None
                body = self.block(s.body, inner)
                node = ir.Foreach if isinstance(s, A.Foreach) else ir.Choose
                return [node(uid, s.binder.name, t, where, body, span=sp)]
            case A.CallStmt():
                return self.call_proc(s, scope)
            case _:
                assert_never(s)

    def let(self, s: A.Let, scope: Scope) -> ir.Stmt:
        value = self.expr(s.value, scope, None)
        t = value.type
        if isinstance(t, (OptionT, SetT, SeqT)) and incomplete(t):
            self.error("XM212", f"cannot tell the type of `{s.value.span.text() if s.value.span else ''}`",
                       s.value.span, help="let needs a value whose type is known; assign it to a typed variable")
            t = ERR
        uid = self.bind_local(s.name, t, scope, s.span)
        return ir.Let(uid, s.name, value, span=s.span)

    def lvalue(self, e: A.Expr, scope: Scope) -> ir.LValue | None:
        if isinstance(e, A.Name):
            b = scope.lookup(e.id)
            if b is None:
                self.unknown_name(e.id, e.span, scope)
                return None
            if b.kind != "var":
                self.error("XM204", f"cannot assign to `{e.id}`: it is a {kind_word(b.kind)}, not a state variable",
                           e.span, (Note("declared here", b.span),) if b.span else (),
                           help="only state variables (declared with `var`) can be assigned")
                return None
            return ir.LVar(b.value, e.id, b.type, span=e.span)
        if isinstance(e, A.Index):
            base = self.lvalue(e.base, scope)
            if base is None:
                return None
            bt = base.type
            if isinstance(bt, MapT):
                k = self.coerce(self.expr(e.index, scope, bt.key), bt.key, e.index.span)
                return ir.LIndex(base, k, bt.value, span=e.span)
            if isinstance(bt, SeqT) and bt.elem is not None:  # a declared seq type has an element type
                k = self.coerce(self.expr(e.index, scope, INT), INT, e.index.span)
                return ir.LIndex(base, k, bt.elem, span=e.span)
            if not isinstance(bt, ErrT):
                self.error("XM205", f"cannot index a value of type {bt}", e.base.span)
            return None
        if isinstance(e, A.Field):
            base = self.lvalue(e.base, scope)
            if base is None:
                return None
            f = self.field_of(base.type, e)
            return ir.LField(base, f[0], e.name, f[1], span=e.span) if f is not None else None
        self.error("XM204", "the left side of `:=` must be a state variable, an element m[k] or a field r.f", e.span)
        return None

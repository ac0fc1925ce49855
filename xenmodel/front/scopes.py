"""Name resolution: what a name means in a scope (constant, state variable, local, enum member, sort
value), binders and parameters, and the error for a name that means nothing here."""
from __future__ import annotations

import difflib

from .. import ast as A
from .. import ir
from ..diagnostics import Note
from ..loader import kind_of
from ..source import Span
from ..types import Type, is_enumerable
from .base import ERR, Bind, ErrT, Scope, err_node
from .typedecls import TypeDecls


class Scopes(TypeDecls):
    def binder_type(self, b: A.Binder, scope: Scope) -> Type:
        t = self.type(b.type, scope)
        if not isinstance(t, ErrT) and not is_enumerable(t):
            self.error("XM207", f"`{b.name}` ranges over {t}, which is not enumerable", b.type.span,
                       help="bind over bool, int[a..b], a sort, an enum, or options and records of these")
            return ERR
        if not self.small_domain([t], b.type.span, f"`{b.name}` ranges over"):
            return ERR
        return t

    def unknown_name(self, name: str, span: Span | None, scope: Scope) -> None:
        if name in self.type_decls:
            self.error("XM106", f"`{name}` is a type, not a value", span,
                       help=f"to make a value of sort {name} from an index write `{name}(i)`")
            return
        if name in self.procs or name in self.defs:
            self.error("XM106", f"`{name}` is a {'proc' if name in self.procs else 'def'}; call it with arguments",
                       span)
            return
        if name in self.others and isinstance(self.others[name], A.VarDecl) and self._const_only:
            self.error("XM220", f"`{name}` is a state variable; constant expressions may use only constants",
                       span, (Note("declared here", self.others[name].meta.name_span),))
            return
        if name in self.others:
            self.error("XM106", f"`{name}` is a {kind_of(self.others[name])}, not a value", span)
            return
        close = difflib.get_close_matches(name, list(scope.all_names()), 1)
        self.error("XM106", f"unknown name `{name}`", span,
                   help=f"did you mean `{close[0]}`?" if close else "declare it, or bind it with let/forall/choose")

    def name(self, e: A.Name, scope: Scope) -> ir.Expr:
        b = scope.lookup(e.id)
        if b is None:
            self.unknown_name(e.id, e.span, scope)
            return err_node(e.span)
        if self._const_only and b.kind == "var":
            self.error("XM220", f"`{e.id}` is a state variable; constant expressions may use only constants",
                       e.span, (Note("declared here", b.span),))
            return err_node(e.span)
        if b.kind == "const":
            return ir.Lit(b.value, b.type, span=e.span)
        if b.kind == "var":
            return ir.Var(b.value, e.id, b.type, span=e.span)
        if b.kind == "local":
            return ir.Local(b.value, e.id, b.type, span=e.span)
        if b.kind == "enum":
            return ir.Lit(b.value, b.type, span=e.span)
        if b.kind == "sortval":
            if b.type.symmetric:
                self.error("XM208", f"`{e.id}` names a value of the symmetric sort {b.type.name}", e.span,
                           help="a symmetric sort's values are interchangeable: bind them with forall, choose "
                           "or a parameter instead, or drop `symmetric`")
                return err_node(e.span)
            return ir.Lit(b.value, b.type, span=e.span)
        raise AssertionError(b.kind)

    def params(self, params: tuple[A.Param, ...], scope: Scope, what: str) -> list[ir.Param]:
        out = []
        for p in params:
            t = self.type(p.type, scope)
            if what == "action parameter" and not isinstance(t, ErrT) and not is_enumerable(t):
                self.error("XM207", f"{what} `{p.name}` has type {t}, which is not enumerable", p.type.span,
                           help="parameters range over bool, int[a..b], sorts, enums, options and records of these")
            if p.name in scope.names:
                self.error("XM108", f"parameter `{p.name}` is named twice", p.span)
            uid = self.bind_local(p.name, t, scope, p.span)
            out.append(ir.Param(uid, p.name, t, span=p.span))
        if what == "action parameter" and len(out) > 1:
            self.small_domain([p.type for p in out], params[0].span, "the parameters range over")
        return out

    def bind_local(self, name: str, t: Type, scope: Scope, span: Span | None) -> int:
        prev = self.globals.names.get(name)
        if prev is not None and prev.kind in ("var", "const"):
            self.error("XM116", f"`{name}` shadows the {prev.kind} `{name}`", span,
                       (Note("declared here", prev.span),), help="pick another name")
        uid = next(self.uids)
        scope.names[name] = Bind("local", t, uid, span)
        return uid

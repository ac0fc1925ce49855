"""The driver and lowering: the phases run in order, state variables declared, bodies of init, actions
and properties lowered to the IR with defs and procs inlined at each call."""
from __future__ import annotations

import difflib

from .. import ast as A
from .. import ir
from ..builtins import BUILTINS
from ..diagnostics import Diagnostic, DiagnosticError, Note
from ..printer import type_text
from ..types import EnumT, IntT, OptionT, RecordT, SortT, Type
from .base import Bind, Scope, Stop, err_node
from .temporal import Temporals


class Checker(Temporals):
    def run(self) -> ir.Model:
        try:
            decls = self.loaded.decls
            for d in decls:
                if isinstance(d, A.DefDecl):
                    self.defs[d.name] = d
                elif isinstance(d, A.ProcDecl):
                    self.procs[d.name] = d
                elif isinstance(d, (A.SortDecl, A.EnumDecl, A.TypeDecl, A.RecordDecl)):
                    self.type_decls[d.name] = d
                elif not isinstance(d, (A.InitDecl, A.Include, A.FairnessDecl)):  # (the loader resolved includes)
                    self.others[d.name] = d
            self._consts([d for d in decls if isinstance(d, A.ConstDecl)])
            self._phase_end()
            self._types()
            self._phase_end()
            vars_ = self._vars([d for d in decls if isinstance(d, A.VarDecl)])
            self._phase_end()
            model = self._bodies(decls, vars_)
            self._phase_end()
        except Stop:
            raise DiagnosticError(self.diags) from None
        if not model.actions:
            self.diags.append(Diagnostic("XM308", "the model has no actions: every run deadlocks at once",
                                         None, help="declare at least one `action`", severity="warning"))
        return model

    def _vars(self, decls: list[A.VarDecl]) -> list[tuple[A.VarDecl, Type]]:
        out: list[tuple[A.VarDecl, Type]] = []
        for d in decls:
            t = self.type(d.type, self.globals)
            self.stored_type(t, d.type.span)
            if isinstance(t, OptionT) and isinstance(t.inner, IntT) and not t.inner.bounded:
                self.stored_type(t.inner, d.type.span)
            self.globals.names[d.name] = Bind("var", t, len(out), d.meta.name_span)
            out.append((d, t))
        return out

    def _bodies(self, decls: list[A.Declaration], vars_: list[tuple[A.VarDecl, Type]]) -> ir.Model:
        var_irs = []
        for i, (v, t) in enumerate(vars_):
            value = self.coerce(self.expr(v.init, self.globals, t), t, v.init.span) if v.init is not None else None
            var_irs.append(ir.VarDecl(i, v.name, t, value, doc=v.meta.doc, refs=v.meta.refs, span=v.meta.name_span))
        # the init blocks of several files run one after the other, in include order (the loader's
        # order of decls), as one init: each block has its own scope, so no local crosses blocks
        init = tuple(s for d in decls if isinstance(d, A.InitDecl) for s in self.block(d.body, Scope(self.globals)))
        actions, props = [], []
        temporals: list[ir.Temporal] = []
        for d in decls:
            if isinstance(d, A.ActionDecl):
                scope = Scope(self.globals)
                params = self.params(d.params, scope, "action parameter")
                body = self.block(d.body, scope)
                actions.append(ir.Action(d.name, tuple(params), body, doc=d.meta.doc, refs=d.meta.refs,
                                         weight=ir.DEFAULT_WEIGHT if d.meta.weight is None else d.meta.weight,
                                         span=d.meta.name_span))
            elif isinstance(d, A.PropDecl) and d.kind == "temporal":
                temporal = self.temporal(d)
                if temporal is not None:
                    temporals.append(temporal)
            elif isinstance(d, A.PropDecl):
                e = self.cond(d.expr, Scope(self.globals))
                props.append(ir.Property(d.kind, d.name, e, doc=d.meta.doc, refs=d.meta.refs, span=d.meta.name_span))
        actions = self.fairness(decls, actions)
        self._check_uncalled()
        types = tuple(t for t in self.types.values() if isinstance(t, (SortT, EnumT, RecordT)))
        # @view hints for the HTML page: (declaration kind, name, hint)
        views = tuple((type(d).__name__.removesuffix("Decl").lower(), getattr(d, "name", ""), str(v)) for d in decls
                      for n, v, _ in getattr(getattr(d, "meta", None), "attrs", ()) if n == "view")
        return ir.Model(self.loaded.name, self.loaded.root, self.instance,
                        tuple(self.const_values.items()), tuple(var_irs), init, tuple(actions),
                        tuple(props), types, doc=self.loaded.doc, helpers=self._helpers(), views=views,
                        temporals=tuple(temporals))

    def _check_uncalled(self) -> None:
        """Check every def and proc body once more on its own, so the errors of one that no action calls
        are not hidden (an error already reported at a call is not repeated)."""
        for d in self._callables():
            self.call_stack = []
            scope = Scope(self.globals)
            self.params(d.params, scope, "parameter")
            if isinstance(d, A.DefDecl):
                self._inline_def_body(d, scope)
            else:
                self.call_stack.append(d.name)
                self.block(d.body, scope)
                self.call_stack.pop()

    def _callables(self) -> list[A.DefDecl | A.ProcDecl]:
        return [*self.defs.values(), *self.procs.values()]

    def _helpers(self) -> tuple[tuple[str, str, str, str, tuple[str, ...]], ...]:
        """(def or proc, name, signature, doc, refs) of every def and proc, for `explain`."""
        out = []
        for d in self._callables():
            sig = ", ".join(f"{p.name}: {type_text(p.type)}" for p in d.params)
            kind = "def" if isinstance(d, A.DefDecl) else "proc"
            result = f": {type_text(d.result)}" if isinstance(d, A.DefDecl) else ""
            out.append((kind, d.name, f"({sig}){result}", d.meta.doc, d.meta.refs))
        return tuple(out)

    def call_proc(self, s: A.CallStmt, scope: Scope) -> list[ir.Stmt]:
        proc = self.procs.get(s.proc)
        if proc is None:
            if s.proc in self.defs or s.proc in BUILTINS:
                self.error("XM222", f"`{s.proc}(...)` computes a value that is thrown away", s.span,
                           help="use it in an expression, e.g. `let x = ...` or `require ...`")
            elif s.proc in self.others and isinstance(self.others[s.proc], A.ActionDecl):
                self.error("XM112", f"`{s.proc}` is an action; actions cannot be called", s.span,
                           help="move the shared statements into a `proc` and call that from both actions")
            else:
                close = difflib.get_close_matches(s.proc, list(self.procs), 1)
                self.error("XM110", f"unknown proc `{s.proc}`", s.span,
                           help=f"did you mean `{close[0]}`?" if close else "declare it with `proc`")
            return []
        if s.proc in self.call_stack:
            self.error("XM111", f"proc `{s.proc}` calls itself ({' -> '.join(self.call_stack + [s.proc])})", s.span,
                       (Note("declared here", proc.meta.name_span),),
                       help="procs are inlined; write a bounded foreach instead")
            return []
        if len(s.args) != len(proc.params):
            self.error("XM202", f"proc `{s.proc}` takes {len(proc.params)} argument(s), {len(s.args)} given",
                       s.span, (Note("declared here", proc.meta.name_span),))
            return []
        out: list[ir.Stmt] = []
        inner = Scope(self.globals)
        for p, a in zip(proc.params, s.args, strict=True):
            t = self.type(p.type, self.globals)
            value = self.coerce(self.expr(a, scope, t), t, a.span)
            uid = next(self.uids)
            inner.names[p.name] = Bind("local", t, uid, p.span)
            out.append(ir.Let(uid, p.name, value, span=a.span))
        self.call_stack.append(s.proc)
        out.extend(self.block(proc.body, inner))
        self.call_stack.pop()
        return out

    def call_def(self, e: A.Call, scope: Scope) -> ir.Expr:
        d = self.defs[e.func]
        if e.func in self.call_stack:
            self.error("XM111", f"def `{e.func}` calls itself ({' -> '.join(self.call_stack + [e.func])})", e.span,
                       (Note("declared here", d.meta.name_span),), help="defs are not recursive; use a quantifier")
            return err_node(e.span)
        if not self._arity(e, len(d.params)):
            return err_node(e.span)
        inner = Scope(self.globals)
        lets = []
        for p, a in zip(d.params, e.args, strict=True):
            t = self.type(p.type, self.globals)
            value = self.coerce(self._expr(a, scope, t), t, a.span)
            uid = next(self.uids)
            inner.names[p.name] = Bind("local", t, uid, p.span)
            lets.append((uid, p.name, value))
        body = self._inline_def_body(d, inner)
        for uid, pname, value in reversed(lets):
            body = ir.LetIn(uid, pname, value, body, body.type, span=e.span)
        return body

    def _inline_def_body(self, d: A.DefDecl, inner: Scope) -> ir.Expr:
        const_only = self._const_only
        self.call_stack.append(d.name)
        try:
            rt = self.type(d.result, self.globals)
            body = self.coerce(self._expr(d.body, inner, rt), rt, d.body.span)
        finally:
            self.call_stack.pop()
            self._const_only = const_only
        return body

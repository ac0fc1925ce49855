"""Declarations -> IR: constants bound, names resolved, types checked, defs and procs inlined.

One pass per phase, each collecting all of its errors: constants, types, then state variables,
then bodies (init, actions, properties). A phase that reported errors stops the pipeline.
"""
from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from typing import Any

from . import ast as A
from . import ir
from .diagnostics import Diagnostic, DiagnosticError, Note
from .limits import DEFAULT, Limits
from .loader import Loaded
from .parser import nesting_error
from .source import Span
from .types import (BOOL, INT, BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type,
                    cardinality, is_enumerable)


class ErrT:
    """The type of an expression that already has an error: accepted everywhere, reported once."""

    def __str__(self) -> str:
        return "<error>"


ERR = ErrT()

BUILTINS = {"len", "head", "tail", "last", "count", "remove", "insert", "remove_at", "size", "get",
            "ord", "min", "max"}


@dataclass
class _Bind:
    kind: str  # const | var | local | enum | sortval
    type: Any
    value: Any = None  # const value, var index, local uid, enum/sort index
    span: Span | None = None


class _Scope:
    def __init__(self, parent: "_Scope | None" = None) -> None:
        self.parent = parent
        self.names: dict[str, _Bind] = {}

    def lookup(self, name: str) -> _Bind | None:
        s: _Scope | None = self
        while s is not None:
            if name in s.names:
                return s.names[name]
            s = s.parent
        return None

    def all_names(self) -> set[str]:
        out: set[str] = set()
        s: _Scope | None = self
        while s is not None:
            out |= set(s.names)
            s = s.parent
        return out


class _Stop(Exception):
    pass


class Checker:
    def __init__(self, loaded: Loaded, consts: dict[str, Any], instance: str | None,
                 const_spans: dict[str, Span | None] | None = None, limits: Limits = DEFAULT) -> None:
        self.loaded = loaded
        self.limits = limits
        self.depth = 0  # statements and expressions being checked, one inside the other (defs inlined)
        self.const_overrides = consts
        self.const_spans = const_spans or {}
        self.instance = instance
        self.diags: list[Diagnostic] = []
        self.globals = _Scope()
        self.types: dict[str, Type] = {}
        self.type_decls: dict[str, Any] = {}
        self.defs: dict[str, A.DefDecl] = {}
        self.procs: dict[str, A.ProcDecl] = {}
        self.others: dict[str, Any] = {}
        self.uids = itertools.count(1)
        self.call_stack: list[str] = []
        self.const_values: dict[str, Any] = {}
        self._const_only = False  # inside a constant expression (consts, sizes, bounds)

    # ------------------------------------------------------------ driver
    def error(self, code: str, message: str, span: Span | None, notes=(), help: str | None = None) -> None:
        diag = Diagnostic(code, message, span, tuple(notes), help)
        if diag not in self.diags:  # a def checked at several call sites reports its error once
            self.diags.append(diag)

    def _errors(self) -> int:
        return sum(1 for d in self.diags if d.severity == "error")

    def _phase_end(self) -> None:
        if any(d.severity == "error" for d in self.diags):
            raise _Stop()

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
                elif not isinstance(d, A.InitDecl):
                    self.others[d.name] = d
            self._consts([d for d in decls if isinstance(d, A.ConstDecl)])
            self._phase_end()
            self._types()
            self._phase_end()
            vars_ = self._vars([d for d in decls if isinstance(d, A.VarDecl)])
            self._phase_end()
            model = self._bodies(decls, vars_)
            self._phase_end()
        except _Stop:
            raise DiagnosticError(self.diags) from None
        if not model.actions:
            self.diags.append(Diagnostic("XM308", "the model has no actions: every run deadlocks at once",
                                         None, help="declare at least one `action`", severity="warning"))
        return model

    # ------------------------------------------------------------ constants
    def _consts(self, decls: list[A.ConstDecl]) -> None:
        from .semantics import eval_closed, ModelError

        declared = {d.name: d for d in decls}
        for name, span in self._override_spans():
            if name not in declared:
                close = difflib.get_close_matches(name, list(declared), 1)
                self.error("XM302", f"no constant named `{name}`" + ("" if span else " (from --const)"), span,
                           help=f"did you mean `{close[0]}`?" if close else
                           f"declared constants: {', '.join(declared) or 'none'}")
        for d in decls:
            typ = self._const_type(d)
            if name_clash := self.globals.lookup(d.name):
                del name_clash
            if d.name in self.const_overrides:
                value = self.const_overrides[d.name]
                vspan = self._override_span(d.name)
            else:
                errors_before = self._errors()
                expr = self.expr(d.value, self.globals, None, const_only=True)
                # an ill-typed operand may still give a typed node (`-true` is an int): never evaluate it
                if isinstance(expr.type, ErrT) or self._errors() > errors_before:
                    self.globals.names[d.name] = _Bind("const", ERR, 0, d.meta.name_span)
                    continue
                try:
                    value = eval_closed(expr)
                except ModelError as err:
                    self.error("XM307", f"cannot evaluate constant `{d.name}`: {err.message}", err.span or d.span)
                    self.globals.names[d.name] = _Bind("const", ERR, 0, d.meta.name_span)
                    continue
                vspan = d.value.span
            if isinstance(typ, BoolT) != isinstance(value, bool):
                self.error("XM305", f"constant `{d.name}` is {typ}, but the value is {_show_py(value)}"
                           + ("" if vspan else " (from --const)"), vspan,
                           (Note("declared here", d.meta.name_span),))
            elif isinstance(typ, IntT) and typ.bounded and not typ.lo <= value <= typ.hi:
                self.error("XM303", f"constant `{d.name}` = {value} is outside {typ}"
                           + ("" if vspan else " (from --const)"), vspan,
                           (Note("declared here", d.meta.name_span),),
                           help=f"choose a value from {typ.lo} to {typ.hi}")
            self.const_values[d.name] = value
            self.globals.names[d.name] = _Bind("const", BOOL if isinstance(typ, BoolT) else INT, value,
                                               d.meta.name_span)

    def _override_spans(self) -> list[tuple[str, Span | None]]:
        return [(name, self._override_span(name)) for name in self.const_overrides]

    def _override_span(self, name: str) -> Span | None:
        """Where an override came from: the instance binding, or None for --const."""
        return self.const_spans.get(name)

    def _const_type(self, d: A.ConstDecl) -> Type:
        t = d.type
        if isinstance(t, A.TBool):
            return BOOL
        if isinstance(t, A.TInt):
            return INT
        if isinstance(t, A.TRange):
            return self.type(t, self.globals)
        self.error("XM219", f"constant `{d.name}` must be int, int[a..b] or bool", t.span)
        return ERR

    # ------------------------------------------------------------ types
    def _types(self) -> None:
        self.resolving: list[str] = []
        for name in self.type_decls:
            self.named_type(name, self.type_decls[name].meta.name_span)
        # enum members and sort values become global names
        for name, t in list(self.types.items()):
            decl = self.type_decls[name]
            if isinstance(t, EnumT):
                for i, (m, sp) in enumerate(zip(t.members, decl.member_spans)):
                    self._global(m, _Bind("enum", t, i, sp), f"member of enum {name}")
            elif isinstance(t, SortT):
                for i in range(t.size):
                    self._global(f"{t.prefix}{i}", _Bind("sortval", t, i, decl.meta.name_span),
                                 f"value of sort {name}")

    def _global(self, name: str, bind: _Bind, what: str) -> None:
        prev = self.globals.names.get(name)
        other = self.others.get(name) or self.defs.get(name) or self.procs.get(name) or self.type_decls.get(name)
        if prev is not None or other is not None:
            prev_span = prev.span if prev else (other.meta.name_span if hasattr(other, "meta") else other.span)
            self.error("XM113", f"`{name}` ({what}) clashes with another name", bind.span,
                       (Note("the other declaration is here", prev_span),),
                       help="rename the enum member or the sort's value prefix")
            return
        self.globals.names[name] = bind

    def named_type(self, name: str, span: Span | None) -> Type:
        if name in self.types:
            return self.types[name]
        decl = self.type_decls.get(name)
        if decl is None:
            close = difflib.get_close_matches(name, list(self.type_decls), 1)
            self.error("XM107", f"unknown type `{name}`", span,
                       help=f"did you mean `{close[0]}`?" if close else "declare it with sort, enum, type or record")
            return ERR
        if name in self.resolving:
            self.error("XM107", f"type `{name}` is defined in terms of itself", span,
                       (Note("declared here", decl.meta.name_span),))
            return ERR
        self.resolving.append(name)
        try:
            t = self._declared_type(decl)
        finally:
            self.resolving.pop()
        self.types[name] = t
        return t

    def _declared_type(self, decl) -> Type:
        if isinstance(decl, A.SortDecl):
            size = self.const_int(decl.size)
            if size is None:
                return ERR
            if size < 1:
                self.error("XM218", f"sort `{decl.name}` has size {size}; a sort needs at least one value",
                           decl.size.span)
                return ERR
            if size > self.limits.sort_size:
                self.error("XM230", f"sort `{decl.name}` has {size:,} values; the limit is {self.limits.sort_size:,}",
                           decl.size.span, help=f"use a smaller sort, or raise the limit with --limit "
                                                f"sort_size={size}")
                return ERR
            return SortT(decl.name, decl.prefix, size, decl.symmetric)
        if isinstance(decl, A.EnumDecl):
            seen: dict[str, Span | None] = {}
            for m, sp in zip(decl.members, decl.member_spans):
                if m in seen:
                    self.error("XM108", f"enum `{decl.name}` lists `{m}` twice", sp, (Note("first here", seen[m]),))
                seen[m] = sp
            return EnumT(decl.name, tuple(dict.fromkeys(decl.members)))
        if isinstance(decl, A.TypeDecl):
            return self.type(decl.type, self.globals)
        if isinstance(decl, A.RecordDecl):
            fields: list[tuple[str, Type]] = []
            seen_f: dict[str, Span | None] = {}
            for f in decl.fields:
                if f.name in seen_f:
                    self.error("XM108", f"record `{decl.name}` has two fields named `{f.name}`", f.span,
                               (Note("first here", seen_f[f.name]),))
                    continue
                seen_f[f.name] = f.span
                ft = self.type(f.type, self.globals)
                self.stored_type(ft, f.type.span)
                fields.append((f.name, ft))
            return RecordT(decl.name, tuple(fields))
        raise AssertionError(f"unknown type declaration {decl!r}")

    def const_int(self, e: A.Expr) -> int | None:
        from .semantics import eval_closed, ModelError

        x = self.expr(e, self.globals, INT, const_only=True)
        if isinstance(x.type, ErrT):
            return None
        if not isinstance(x.type, IntT):
            self.error("XM201", f"expected an integer constant, found {x.type}", e.span)
            return None
        try:
            return eval_closed(x)
        except ModelError as err:
            self.error("XM307", f"cannot evaluate: {err.message}", e.span)
            return None

    def type(self, t: A.TypeExpr, scope: _Scope) -> Type:
        if isinstance(t, A.TBool):
            return BOOL
        if isinstance(t, A.TInt):
            return INT
        if isinstance(t, A.TRange):
            lo, hi = self.const_int(t.lo), self.const_int(t.hi)
            if lo is None or hi is None:
                return ERR
            if lo > hi:
                self.error("XM217", f"int[{lo}..{hi}] is empty: the lower bound exceeds the upper bound", t.span)
                return ERR
            return IntT(lo, hi)
        if isinstance(t, A.TSet):
            elem = self.type(t.elem, scope)
            if not isinstance(elem, ErrT) and not is_enumerable(elem):
                self.error("XM207", f"set elements must be of an enumerable type, not {elem}", t.elem.span,
                           help="use bool, int[a..b], a sort, an enum, or options and records of these")
                return ERR
            if not isinstance(elem, ErrT) and not self.small_domain([elem], t.elem.span, "set elements of"):
                return ERR
            return SetT(elem) if not isinstance(elem, ErrT) else ERR
        if isinstance(t, A.TSeq):
            elem = self.type(t.elem, scope)
            self.stored_type(elem, t.elem.span)
            cap = self.const_int(t.cap)
            if cap is None or isinstance(elem, ErrT):
                return ERR
            if cap < 1:
                self.error("XM218", f"seq capacity must be at least 1, not {cap}", t.cap.span)
                return ERR
            return SeqT(elem, cap)
        if isinstance(t, A.TOption):
            inner = self.type(t.inner, scope)
            if isinstance(inner, OptionT):
                self.error("XM213", f"`{inner}?` is an option of an option", t.span,
                           help="use one `?`, or a record with a flag")
                return ERR
            return OptionT(inner) if not isinstance(inner, ErrT) else ERR
        if isinstance(t, A.TMap):
            key = self.type(t.key, scope)
            value = self.type(t.value, scope)
            if not isinstance(key, ErrT) and not is_enumerable(key):
                self.error("XM207", f"map keys must be of an enumerable type, not {key}", t.key.span,
                           help="use bool, int[a..b], a sort, an enum, or options and records of these")
                return ERR
            self.stored_type(value, t.value.span)
            if isinstance(key, ErrT) or isinstance(value, ErrT):
                return ERR
            if not self.small_domain([key], t.key.span, "map keys of"):
                return ERR
            return MapT(key, value)
        if isinstance(t, A.TNamed):
            return self.named_type(t.name, t.span)
        raise AssertionError(f"unknown type node {t!r}")

    def small_domain(self, types: list[Type], span: Span | None, what: str) -> bool:
        """False (and XM232) if the values of `types` together are more than the domain limit; counted,
        never listed."""
        if any(isinstance(t, ErrT) or not is_enumerable(t) for t in types):
            return True
        n = 1
        for t in types:
            n *= cardinality(t)
        if n <= self.limits.domain:
            return True
        shown = " x ".join(str(t) for t in types)
        self.error("XM232", f"{what} {shown}: {n:,} values; the limit is {self.limits.domain:,}", span,
                   help=f"use smaller types, or raise the limit with --limit domain={n}")
        return False

    def stored_type(self, t: Type, span: Span | None) -> None:
        if isinstance(t, IntT) and not t.bounded:
            self.error("XM216", "state needs a bounded integer type", span,
                       help="write int[lo..hi], e.g. int[0..3]")

    # ------------------------------------------------------------ state variables
    def _vars(self, decls: list[A.VarDecl]) -> list[tuple[A.VarDecl, Type]]:
        out = []
        for d in decls:
            t = self.type(d.type, self.globals)
            self.stored_type(t, d.type.span)
            if isinstance(t, OptionT) and isinstance(t.inner, IntT) and not t.inner.bounded:
                self.stored_type(t.inner, d.type.span)
            self.globals.names[d.name] = _Bind("var", t, len(out), d.meta.name_span)
            out.append((d, t))
        return out

    # ------------------------------------------------------------ bodies
    def _bodies(self, decls, vars_) -> ir.Model:
        var_irs = []
        for i, (d, t) in enumerate(vars_):
            init = self.coerce(self.expr(d.init, self.globals, t), t, d.init.span) if d.init is not None else None
            var_irs.append(ir.VarDecl(i, d.name, t, init, doc=d.meta.doc, refs=d.meta.refs, span=d.meta.name_span))
        init_decl = next((d for d in decls if isinstance(d, A.InitDecl)), None)
        init = self.block(init_decl.body, _Scope(self.globals)) if init_decl else ()
        actions, props = [], []
        for d in decls:
            if isinstance(d, A.ActionDecl):
                scope = _Scope(self.globals)
                params = self.params(d.params, scope, "action parameter")
                body = self.block(d.body, scope)
                actions.append(ir.Action(d.name, tuple(params), body, doc=d.meta.doc, refs=d.meta.refs,
                                         weight=ir.DEFAULT_WEIGHT if d.meta.weight is None else d.meta.weight,
                                         span=d.meta.name_span))
            elif isinstance(d, A.PropDecl):
                e = self.cond(d.expr, _Scope(self.globals))
                props.append(ir.Property(d.kind, d.name, e, doc=d.meta.doc, refs=d.meta.refs, span=d.meta.name_span))
        for d in list(self.defs.values()) + list(self.procs.values()):
            # check bodies that no action calls, so their errors are not hidden
            self.call_stack = []
            scope = _Scope(self.globals)
            self.params(d.params, scope, "parameter")
            if isinstance(d, A.DefDecl):
                self._inline_def_body(d, scope)
            else:
                self.call_stack.append(d.name)
                self.block(d.body, scope)
                self.call_stack.pop()
        helpers = []
        for d in list(self.defs.values()) + list(self.procs.values()):
            sig = ", ".join(f"{p.name}: {_type_text(p.type)}" for p in d.params)
            kind = "def" if isinstance(d, A.DefDecl) else "proc"
            helpers.append((kind, d.name, f"({sig})", d.meta.doc, d.meta.refs))
        types = tuple(t for t in self.types.values() if isinstance(t, (SortT, EnumT, RecordT)))
        return ir.Model(self.loaded.name, self.loaded.root, self.instance,
                        tuple(self.const_values.items()), tuple(var_irs), init, tuple(actions),
                        tuple(props), types, doc=self.loaded.doc, helpers=tuple(helpers))

    def params(self, params, scope: _Scope, what: str) -> list[ir.Param]:
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

    def bind_local(self, name: str, t: Type, scope: _Scope, span: Span | None) -> int:
        prev = self.globals.names.get(name)
        if prev is not None and prev.kind in ("var", "const"):
            self.error("XM116", f"`{name}` shadows the {prev.kind} `{name}`", span,
                       (Note("declared here", prev.span),), help="pick another name")
        uid = next(self.uids)
        scope.names[name] = _Bind("local", t, uid, span)
        return uid

    # ------------------------------------------------------------ statements
    def block(self, stmts, scope: _Scope) -> tuple[ir.Stmt, ...]:
        out: list[ir.Stmt] = []
        inner = _Scope(scope)
        for s in stmts:
            out.extend(self.stmt(s, inner))
        return tuple(out)

    def stmt(self, s, scope: _Scope) -> list[ir.Stmt]:
        if not self._enter(s.span):
            return []
        try:
            return self._stmt(s, scope)
        finally:
            self.depth -= 1

    def _enter(self, span: Span | None) -> bool:
        """One level deeper; False (and XM013) past the nesting limit. The parser limits each file's
        nesting; inlining a def or proc into another nests their bodies, so the checker counts too."""
        self.depth += 1
        if self.depth <= self.limits.nesting:
            return True
        self.depth -= 1
        if not any(d.code == "XM013" for d in self.diags):
            self.diags.append(nesting_error(span.point() if span else None,
                                            self.limits.nesting, " once defs and procs are inlined"))
        return False

    def _stmt(self, s, scope: _Scope) -> list[ir.Stmt]:
        sp = s.span
        if isinstance(s, A.Require):
            return [ir.Require(self.cond(s.cond, scope), span=sp)]
        if isinstance(s, A.Assert):
            msg = s.message or f"assertion failed: {s.cond.span.text() if s.cond.span else ''}"
            return [ir.Assert(self.cond(s.cond, scope), msg, span=sp)]
        if isinstance(s, A.Assign):
            target = self.lvalue(s.target, scope)
            if target is None:
                self.expr(s.value, scope, None)
                return []
            value = self.coerce(self.expr(s.value, scope, target.type), target.type, s.value.span)
            return [ir.Assign(target, value, span=sp)]
        if isinstance(s, A.Let):
            value = self.expr(s.value, scope, None)
            t = value.type
            if isinstance(t, (OptionT, SetT, SeqT)) and _incomplete(t):
                self.error("XM212", f"cannot tell the type of `{s.value.span.text() if s.value.span else ''}`",
                           s.value.span, help="let needs a value whose type is known; assign it to a typed variable")
                t = ERR
            uid = self.bind_local(s.name, t, scope, sp)
            return [ir.Let(uid, s.name, value, span=sp)]
        if isinstance(s, A.If):
            cond = self.cond(s.cond, scope)
            then = self.block(s.then, scope)
            other = self.block(s.other, scope) if s.other is not None else ()
            return [ir.If(cond, then, other, span=sp)]
        if isinstance(s, (A.Foreach, A.Choose)):
            inner = _Scope(scope)
            t = self.binder_type(s.binder, scope)
            uid = self.bind_local(s.binder.name, t, inner, s.binder.span)
            where = self.cond(s.where, inner) if s.where is not None else None
            body = self.block(s.body, inner)
            node = ir.Foreach if isinstance(s, A.Foreach) else ir.Choose
            return [node(uid, s.binder.name, t, where, body, span=sp)]
        if isinstance(s, A.CallStmt):
            return self.call_proc(s, scope)
        raise AssertionError(f"unknown statement {s!r}")

    def call_proc(self, s: A.CallStmt, scope: _Scope) -> list[ir.Stmt]:
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
                       (Note("declared here", proc.meta.name_span),), help="procs are inlined; write a bounded foreach instead")
            return []
        if len(s.args) != len(proc.params):
            self.error("XM202", f"proc `{s.proc}` takes {len(proc.params)} argument(s), {len(s.args)} given",
                       s.span, (Note("declared here", proc.meta.name_span),))
            return []
        out: list[ir.Stmt] = []
        inner = _Scope(self.globals)
        for p, a in zip(proc.params, s.args):
            t = self.type(p.type, self.globals)
            value = self.coerce(self.expr(a, scope, t), t, a.span)
            uid = next(self.uids)
            inner.names[p.name] = _Bind("local", t, uid, p.span)
            out.append(ir.Let(uid, p.name, value, span=a.span))
        self.call_stack.append(s.proc)
        out.extend(self.block(proc.body, inner))
        self.call_stack.pop()
        return out

    def lvalue(self, e, scope: _Scope) -> ir.LValue | None:
        if isinstance(e, A.Name):
            b = scope.lookup(e.id)
            if b is None:
                self.unknown_name(e.id, e.span, scope)
                return None
            if b.kind != "var":
                self.error("XM204", f"cannot assign to `{e.id}`: it is a {_kind_word(b.kind)}, not a state variable",
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
            if isinstance(bt, SeqT):
                k = self.coerce(self.expr(e.index, scope, INT), INT, e.index.span)
                return ir.LIndex(base, k, bt.elem, span=e.span)
            if not isinstance(bt, ErrT):
                self.error("XM205", f"cannot index a value of type {bt}", e.base.span)
            return None
        if isinstance(e, A.Field):
            base = self.lvalue(e.base, scope)
            if base is None:
                return None
            return self._field_of(base, e, lambda b, i, n, t: ir.LField(b, i, n, t, span=e.span))
        self.error("XM204", "the left side of `:=` must be a state variable, an element m[k] or a field r.f", e.span)
        return None

    def _field_of(self, base, e: A.Field, make):
        bt = base.type
        if isinstance(bt, ErrT):
            return None if isinstance(base, (ir.LVar, ir.LIndex, ir.LField)) else _err(e.span)
        if not isinstance(bt, RecordT):
            self.error("XM206", f"`.{e.name}` on a value of type {bt}, which is not a record", e.span)
            return None if isinstance(base, (ir.LVar, ir.LIndex, ir.LField)) else _err(e.span)
        idx = bt.field_index(e.name)
        if idx is None:
            close = difflib.get_close_matches(e.name, [f for f, _ in bt.fields], 1)
            self.error("XM109", f"record {bt.name} has no field `{e.name}`", e.span,
                       help=f"did you mean `{close[0]}`?" if close else
                       f"its fields are {', '.join(f for f, _ in bt.fields)}")
            return None if isinstance(base, (ir.LVar, ir.LIndex, ir.LField)) else _err(e.span)
        return make(base, idx, e.name, bt.fields[idx][1])

    # ------------------------------------------------------------ expressions
    def cond(self, e, scope: _Scope) -> ir.Expr:
        x = self.expr(e, scope, BOOL)
        if not isinstance(x.type, (BoolT, ErrT)):
            self.error("XM203", f"a condition must be a bool, not {x.type}", e.span)
            return _err(e.span)
        return x

    def binder_type(self, b: A.Binder, scope: _Scope) -> Type:
        t = self.type(b.type, scope)
        if not isinstance(t, ErrT) and not is_enumerable(t):
            self.error("XM207", f"`{b.name}` ranges over {t}, which is not enumerable", b.type.span,
                       help="bind over bool, int[a..b], a sort, an enum, or options and records of these")
            return ERR
        if not self.small_domain([t], b.type.span, f"`{b.name}` ranges over"):
            return ERR
        return t

    def unknown_name(self, name: str, span: Span | None, scope: _Scope) -> None:
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
            self.error("XM106", f"`{name}` is a {_decl_word(self.others[name])}, not a value", span)
            return
        close = difflib.get_close_matches(name, list(scope.all_names()), 1)
        self.error("XM106", f"unknown name `{name}`", span,
                   help=f"did you mean `{close[0]}`?" if close else "declare it, or bind it with let/forall/choose")

    def expr(self, e, scope: _Scope, expected: Type | None, const_only: bool = False) -> ir.Expr:
        saved, self._const_only = self._const_only, const_only
        try:
            return self._expr(e, scope, expected)
        finally:
            self._const_only = saved

    def _expr(self, e, scope: _Scope, expected: Type | None) -> ir.Expr:
        if not self._enter(e.span):
            return _err(e.span)
        try:
            return self._expr_node(e, scope, expected)
        finally:
            self.depth -= 1

    def _expr_node(self, e, scope: _Scope, expected: Type | None) -> ir.Expr:
        sp = e.span
        if isinstance(e, A.IntLit):
            return ir.Lit(e.value, INT, span=sp)
        if isinstance(e, A.BoolLit):
            return ir.Lit(e.value, BOOL, span=sp)
        if isinstance(e, A.NoneLit):
            t = expected if isinstance(expected, OptionT) else OptionT(None)
            return ir.Lit(None, t, span=sp)
        if isinstance(e, A.Name):
            return self.name(e, scope)
        if isinstance(e, A.Call):
            return self.call(e, scope, expected)
        if isinstance(e, A.Index):
            base = self._expr(e.base, scope, None)
            bt = base.type
            if isinstance(bt, ErrT):
                self._expr(e.index, scope, None)
                return _err(sp)
            if isinstance(bt, MapT):
                k = self.coerce(self._expr(e.index, scope, bt.key), bt.key, e.index.span)
                return ir.Index(base, k, bt.value, span=sp)
            if isinstance(bt, SeqT) and bt.elem is not None:
                k = self.int_expr(e.index, scope)
                return ir.Index(base, k, bt.elem, span=sp)
            self.error("XM205", f"cannot index a value of type {bt}", e.base.span,
                       help="only maps (m[k]) and seqs (q[i]) can be indexed")
            return _err(sp)
        if isinstance(e, A.Field):
            base = self._expr(e.base, scope, None)
            r = self._field_of(base, e, lambda b, i, n, t: ir.Field(b, i, n, t, span=sp))
            return r if r is not None else _err(sp)
        if isinstance(e, A.Unary):
            if e.op == "!":
                return ir.Unary("!", self.cond(e.operand, scope), BOOL, span=sp)
            x = self.int_expr(e.operand, scope)
            if isinstance(x, ir.Lit) and isinstance(x.value, int):
                return ir.Lit(-x.value, INT, span=sp)
            return ir.Unary("-", x, INT, span=sp)
        if isinstance(e, A.Binary):
            return self.binary(e, scope, expected)
        if isinstance(e, A.Ite):
            c = self.cond(e.cond, scope)
            a = self._expr(e.then, scope, expected)
            b = self._expr(e.other, scope, expected if expected is not None else a.type)
            t = self.join(a, b, e)
            return ir.Ite(c, self.coerce(a, t, e.then.span), self.coerce(b, t, e.other.span), t, span=sp)
        if isinstance(e, A.Quant):
            return self.quant(e, scope)
        if isinstance(e, A.SetLit):
            elem = expected.elem if isinstance(expected, SetT) else None
            items = [self._expr(i, scope, elem) for i in e.items]
            if elem is None and items:
                elem = items[0].type
                if isinstance(elem, IntT) and not elem.bounded:
                    elem = next((i.type for i in items if isinstance(i.type, IntT) and i.type.bounded), elem)
            items = [self.coerce(i, elem, s.span) for i, s in zip(items, e.items)] if elem is not None else []
            return ir.SetLit(tuple(items), SetT(elem), span=sp)
        if isinstance(e, A.SeqLit):
            elem = expected.elem if isinstance(expected, SeqT) else None
            items = [self._expr(i, scope, elem) for i in e.items]
            if elem is None and items:
                elem = items[0].type
            items = [self.coerce(i, elem, s.span) for i, s in zip(items, e.items)] if elem is not None else []
            cap = expected.cap if isinstance(expected, SeqT) else None
            return ir.SeqLit(tuple(items), SeqT(elem, cap if cap is not None else max(1, len(items))), span=sp)
        if isinstance(e, A.MapComp):
            inner = _Scope(scope)
            kt = self.binder_type(e.binder, scope)
            uid = self.bind_local(e.binder.name, kt, inner, e.binder.span)
            vt = expected.value if isinstance(expected, MapT) else None
            body = self._expr(e.body, inner, vt)
            if vt is None:
                vt = body.type
            body = self.coerce(body, vt, e.body.span)
            if isinstance(kt, ErrT) or isinstance(vt, ErrT):
                return _err(sp)
            return ir.MapComp(uid, e.binder.name, kt, body, MapT(kt, vt), span=sp)
        if isinstance(e, A.RecordLit):
            return self.record(e, scope)
        raise AssertionError(f"unknown expression {e!r}")

    def name(self, e: A.Name, scope: _Scope) -> ir.Expr:
        b = scope.lookup(e.id)
        if b is None:
            self.unknown_name(e.id, e.span, scope)
            return _err(e.span)
        if self._const_only and b.kind == "var":
            self.error("XM220", f"`{e.id}` is a state variable; constant expressions may use only constants",
                       e.span, (Note("declared here", b.span),))
            return _err(e.span)
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
                return _err(e.span)
            return ir.Lit(b.value, b.type, span=e.span)
        raise AssertionError(b.kind)

    def int_expr(self, e, scope: _Scope) -> ir.Expr:
        x = self._expr(e, scope, INT)
        if not isinstance(x.type, (IntT, ErrT)):
            self.error("XM214", f"expected an integer, found {x.type}", e.span)
            return _err(e.span)
        return x

    _ARITH = {"+", "-", "*", "/", "%"}
    _ORDER = {"<", "<=", ">", ">="}

    def binary(self, e: A.Binary, scope: _Scope, expected: Type | None) -> ir.Expr:
        op, sp = e.op, e.span
        if op in ("&&", "||", "=>"):
            return ir.Binary(op, self.cond(e.left, scope), self.cond(e.right, scope), BOOL, span=sp)
        if op == "in":
            coll = self._expr(e.right, scope, None)
            ct = coll.type
            if isinstance(ct, ErrT):
                self._expr(e.left, scope, None)
                return _err(sp)
            if not isinstance(ct, (SetT, SeqT)) or ct.elem is None:
                self.error("XM221", f"`in` needs a set or a seq on its right, not {ct}", e.right.span)
                return _err(sp)
            item = self.coerce(self._expr(e.left, scope, ct.elem), ct.elem, e.left.span, narrow=False)
            return ir.Binary("in", item, coll, BOOL, span=sp)
        if op in ("==", "!=") or op in self._ORDER:
            left = self._expr(e.left, scope, None)
            right = self._expr(e.right, scope, left.type if not _incomplete(left.type) else None)
            if _incomplete(left.type) and not _incomplete(right.type):
                left = self._expr(e.left, scope, right.type)
            t = self.join(left, right, e)
            if isinstance(t, ErrT):
                return _err(sp)
            if op in self._ORDER:
                if isinstance(t, SortT) and t.symmetric:
                    self.error("XM211", f"`{op}` on values of the symmetric sort {t.name}", sp,
                               help="a symmetric sort has no order; compare with == and != only")
                    return _err(sp)
                if not isinstance(t, (IntT, EnumT, SortT)):
                    self.error("XM211", f"`{op}` needs integers, enum or sort values, not {t}", sp)
                    return _err(sp)
            if _incomplete(t):
                self.error("XM212", "cannot tell the type of both sides of this comparison", sp,
                           help="compare with a typed value")
                return _err(sp)
            return ir.Binary(op, self.coerce(left, t, e.left.span, narrow=False),
                             self.coerce(right, t, e.right.span, narrow=False), BOOL, span=sp)
        if op in self._ARITH:
            left = self._expr(e.left, scope, expected if isinstance(expected, SetT) else None)
            if op in ("+", "-") and isinstance(left.type, SetT):
                return self.set_op("union" if op == "+" else "diff", left, e, scope)
            if op in ("+", "-") and isinstance(left.type, ErrT):
                # the left's type decides whether the right must be an integer or a set: unknown here,
                # so the right is checked on its own (e.g. `p + s` with p bound over a bad type)
                self._expr(e.right, scope, None)
                return _err(sp)
            if not isinstance(left.type, (IntT, ErrT)):
                self.error("XM214", f"`{op}` needs integers (or sets for + and -), not {left.type}", e.left.span)
                return _err(sp)
            right = self.int_expr(e.right, scope)
            if isinstance(left.type, ErrT) or isinstance(right.type, ErrT):
                return _err(sp)
            if isinstance(left, ir.Lit) and isinstance(right, ir.Lit) and op in ("+", "-", "*"):
                v = {"+": left.value + right.value, "-": left.value - right.value,
                     "*": left.value * right.value}[op]
                return ir.Lit(v, INT, span=sp)
            return ir.Binary(op, left, right, INT, span=sp)
        if op == "&":
            left = self._expr(e.left, scope, expected if isinstance(expected, SetT) else None)
            if not isinstance(left.type, (SetT, ErrT)):
                self.error("XM201", f"`&` intersects sets, not {left.type}", e.left.span)
                return _err(sp)
            return self.set_op("inter", left, e, scope)
        if op == "++":
            left = self._expr(e.left, scope, expected if isinstance(expected, SeqT) else None)
            if isinstance(left.type, ErrT):
                self._expr(e.right, scope, None)
                return _err(sp)
            if not isinstance(left.type, SeqT):
                self.error("XM201", f"`++` joins seqs, not {left.type}", e.left.span)
                return _err(sp)
            hint = left.type if left.type.elem is not None else expected
            right = self._expr(e.right, scope, hint)
            if not isinstance(right.type, SeqT):
                if not isinstance(right.type, ErrT):
                    self.error("XM201", f"`++` joins seqs, not {right.type}", e.right.span)
                return _err(sp)
            if left.type.elem is None and right.type.elem is not None:
                left = self._expr(e.left, scope, right.type)
            elem = left.type.elem if left.type.elem is not None else right.type.elem
            if elem is None:
                return ir.Lit((), SeqT(None, 1), span=sp)
            if right.type.elem is not None and right.type.elem != elem and not _int_pair(right.type.elem, elem):
                self.error("XM201", f"`++` of seq<{elem}> and seq<{right.type.elem}>", sp)
                return _err(sp)
            cap = (left.type.cap or 0) + (right.type.cap or 0)
            return ir.Binary("++", left, right, SeqT(elem, max(cap, 1)), span=sp)
        raise AssertionError(op)

    def set_op(self, op: str, left: ir.Expr, e: A.Binary, scope: _Scope) -> ir.Expr:
        right = self._expr(e.right, scope, left.type if not _incomplete(left.type) else None)
        t = self.join(left, right, e)
        if isinstance(t, ErrT):
            return _err(e.span)
        if not isinstance(t, SetT):
            self.error("XM201", f"set operator on {t}", e.span)
            return _err(e.span)
        return ir.Binary(op, self.coerce(left, t, e.left.span), self.coerce(right, t, e.right.span), t, span=e.span)

    def join(self, a: ir.Expr, b: ir.Expr, e) -> Type:
        """The common type of two expressions (for ==, if-then-else)."""
        ta, tb = a.type, b.type
        if isinstance(ta, ErrT) or isinstance(tb, ErrT):
            return ERR
        if ta == tb:
            return ta
        if isinstance(ta, IntT) and isinstance(tb, IntT):
            if ta.bounded and tb.bounded:
                return IntT(min(ta.lo, tb.lo), max(ta.hi, tb.hi))
            return INT
        for x, y in ((ta, tb), (tb, ta)):
            if isinstance(x, OptionT) and (x.inner is None or _compatible(x.inner, y)) and not isinstance(y, OptionT):
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
        if target is None or isinstance(target, ErrT) or isinstance(x.type, ErrT):
            return x
        t = x.type
        if t == target:
            return x
        if isinstance(t, IntT) and isinstance(target, IntT):
            if target.bounded and narrow and not (t.bounded and target.lo <= t.lo and t.hi <= target.hi):
                if isinstance(x, ir.Lit):
                    if not target.lo <= x.value <= target.hi:
                        self.error("XM503", f"{x.value} is outside {target}", span)
                        return _err(span)
                    return ir.Lit(x.value, target, span=x.span)  # checked now, not at every step
                return ir.Narrow(x, target, span=span)
            return x
        if isinstance(target, OptionT):
            if isinstance(t, OptionT) and t.inner is None:
                return ir.Lit(None, target, span=span)
            if not isinstance(t, OptionT):
                inner = self.coerce(x, target.inner, span, narrow)
                if isinstance(inner.type, ErrT):
                    return inner
                return ir.Some(inner, target, span=span)
            if isinstance(t.inner, IntT) and isinstance(target.inner, IntT):
                return ir.Narrow(x, target, span=span) if narrow else x
        if isinstance(target, SetT) and isinstance(t, SetT) and (t.elem is None or _int_pair(t.elem, target.elem)):
            if isinstance(x, ir.SetLit) and not x.items:
                return ir.Lit(frozenset(), target, span=span)
            if isinstance(x, ir.SetLit):
                return ir.SetLit(tuple(self.coerce(i, target.elem, i.span) for i in x.items), target, span=span)
            if t.elem is None:
                return ir.Lit(frozenset(), target, span=span)
        if isinstance(target, SeqT) and isinstance(t, SeqT) and (
                t.elem is None or t.elem == target.elem or _int_pair(t.elem, target.elem)):
            if t.elem is None:
                return ir.Lit((), target, span=span)
            if narrow and (t.cap is None or t.cap > target.cap or t.elem != target.elem):
                return ir.Narrow(x, target, span=span)
            return x
        if isinstance(target, MapT) and isinstance(t, MapT) and t.key == target.key and _int_pair(t.value, target.value):
            return ir.Narrow(x, target, span=span) if narrow else x
        self.error("XM201", f"expected {target}, found {t}", span)
        return _err(span)

    def quant(self, e: A.Quant, scope: _Scope) -> ir.Expr:
        inner = _Scope(scope)
        bound: list[tuple[int, str, Type, Span | None]] = []
        for b in e.binders:
            t = self.binder_type(b, scope)
            uid = self.bind_local(b.name, t, inner, b.span)
            bound.append((uid, b.name, t, b.span))
        if len(bound) > 1 and not self.small_domain([t for _, _, t, _ in bound], e.span, "the binders range over"):
            return _err(e.span)
        where = self.cond(e.where, inner) if e.where is not None else None
        if e.kind in ("forall", "exists", "count"):
            body = self.cond(e.body, inner)
        else:
            body = self.int_expr(e.body, inner)
        if any(isinstance(t, ErrT) for _, _, t, _ in bound):
            return _err(e.span)
        rtype = BOOL if e.kind in ("forall", "exists") else INT
        # nest one binder per node: the innermost carries the where clause
        result = None
        for i, (uid, name, t, sp) in reversed(list(enumerate(bound))):
            w = where if i == len(bound) - 1 else None
            result = ir.Quant(e.kind if result is None or e.kind in ("forall", "exists") else "sum",
                              uid, name, t, w, body if result is None else result, rtype, span=e.span)
        return result

    def record(self, e: A.RecordLit, scope: _Scope) -> ir.Expr:
        t = self.named_type(e.record, e.span) if e.record in self.type_decls else None
        if t is None:
            self.error("XM107", f"unknown record type `{e.record}`", e.span)
            return _err(e.span)
        if not isinstance(t, RecordT):
            if not isinstance(t, ErrT):
                self.error("XM206", f"`{e.record}` is {t}, not a record", e.span)
            return _err(e.span)
        given: dict[str, A.FieldInit] = {}
        for f in e.fields:
            if f.name in given:
                self.error("XM215", f"field `{f.name}` is given twice", f.span, (Note("first here", given[f.name].span),))
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
            return _err(e.span)
        vals = tuple(self.coerce(self._expr(given[n].value, scope, ft), ft, given[n].value.span) for n, ft in t.fields)
        return ir.RecordLit(vals, t, span=e.span)

    # ------------------------------------------------------------ calls
    def call(self, e: A.Call, scope: _Scope, expected: Type | None) -> ir.Expr:
        name, sp = e.func, e.span
        if name in self.defs:
            return self.call_def(e, scope)
        if name in self.type_decls:
            t = self.named_type(name, e.func_span)
            if isinstance(t, SortT):
                if t.symmetric:
                    self.error("XM210", f"`{name}(i)` makes a value of the symmetric sort {name} from an index", sp,
                               help="a symmetric sort's values are interchangeable: bind them with forall, choose "
                               "or a parameter, or drop `symmetric`")
                    return _err(sp)
                if not self._arity(e, 1):
                    return _err(sp)
                return ir.SortVal(self.int_expr(e.args[0], scope), t, span=sp)
            if not isinstance(t, ErrT):
                self.error("XM110", f"`{name}` is {t}; only sorts can be called to make a value", sp)
            return _err(sp)
        if name in BUILTINS:
            return self.builtin(e, scope, expected)
        if name in self.procs:
            self.error("XM112", f"`{name}` is a proc; procs are statements, not values", sp,
                       help="call it on its own line, or write a `def` for a value")
            return _err(sp)
        close = difflib.get_close_matches(name, list(self.defs) + sorted(BUILTINS), 1)
        self.error("XM110", f"unknown function `{name}`", e.func_span or sp,
                   help=f"did you mean `{close[0]}`?" if close else "declare it with `def`")
        return _err(sp)

    def _arity(self, e: A.Call, n: int) -> bool:
        if len(e.args) != n:
            self.error("XM202", f"`{e.func}` takes {n} argument(s), {len(e.args)} given", e.span)
            return False
        return True

    def call_def(self, e: A.Call, scope: _Scope) -> ir.Expr:
        d = self.defs[e.func]
        if e.func in self.call_stack:
            self.error("XM111", f"def `{e.func}` calls itself ({' -> '.join(self.call_stack + [e.func])})", e.span,
                       (Note("declared here", d.meta.name_span),), help="defs are not recursive; use a quantifier")
            return _err(e.span)
        if not self._arity(e, len(d.params)):
            return _err(e.span)
        inner = _Scope(self.globals)
        lets = []
        for p, a in zip(d.params, e.args):
            t = self.type(p.type, self.globals)
            value = self.coerce(self._expr(a, scope, t), t, a.span)
            uid = next(self.uids)
            inner.names[p.name] = _Bind("local", t, uid, p.span)
            lets.append((uid, p.name, value))
        body = self._inline_def_body(d, inner)
        for uid, pname, value in reversed(lets):
            body = ir.LetIn(uid, pname, value, body, body.type, span=e.span)
        return body

    def _inline_def_body(self, d: A.DefDecl, inner: _Scope) -> ir.Expr:
        const_only = self._const_only
        self.call_stack.append(d.name)
        try:
            rt = self.type(d.result, self.globals)
            body = self.coerce(self._expr(d.body, inner, rt), rt, d.body.span)
        finally:
            self.call_stack.pop()
            self._const_only = const_only
        return body

    def builtin(self, e: A.Call, scope: _Scope, expected: Type | None) -> ir.Expr:
        name, sp = e.func, e.span
        arity = {"len": 1, "head": 1, "tail": 1, "last": 1, "count": 2, "remove": 2, "insert": 3,
                 "remove_at": 2, "size": 1, "get": 1, "ord": 1, "min": 2, "max": 2}[name]
        if not self._arity(e, arity):
            return _err(sp)
        if name in ("min", "max"):
            a, b = self.int_expr(e.args[0], scope), self.int_expr(e.args[1], scope)
            return ir.Builtin(name, (a, b), INT, span=sp)
        if name == "ord":
            x = self._expr(e.args[0], scope, None)
            if isinstance(x.type, ErrT):
                return _err(sp)
            if isinstance(x.type, SortT) and x.type.symmetric:
                self.error("XM209", f"ord() of a value of the symmetric sort {x.type.name}", sp,
                           help="a symmetric sort's values have no index; drop `symmetric` if the index matters")
                return _err(sp)
            if not isinstance(x.type, (SortT, EnumT)):
                self.error("XM201", f"ord() takes a sort or enum value, not {x.type}", e.args[0].span)
                return _err(sp)
            return ir.Builtin("ord", (x,), INT, span=sp)
        if name == "get":
            x = self._expr(e.args[0], scope, OptionT(expected) if expected is not None and not isinstance(expected, OptionT) else None)
            if isinstance(x.type, ErrT):
                return _err(sp)
            if not isinstance(x.type, OptionT) or x.type.inner is None:
                self.error("XM201", f"get() takes an option, not {x.type}", e.args[0].span)
                return _err(sp)
            return ir.Builtin("get", (x,), x.type.inner, span=sp)
        if name == "size":
            x = self._expr(e.args[0], scope, None)
            if isinstance(x.type, ErrT):
                return _err(sp)
            if not isinstance(x.type, SetT):
                self.error("XM201", f"size() takes a set, not {x.type} (len() is for seqs)", e.args[0].span)
                return _err(sp)
            return ir.Builtin("size", (x,), INT, span=sp)
        q = self._expr(e.args[0], scope, expected if isinstance(expected, SeqT) else None)
        if isinstance(q.type, ErrT):
            for a in e.args[1:]:
                self._expr(a, scope, None)
            return _err(sp)
        if not isinstance(q.type, SeqT) or q.type.elem is None:
            self.error("XM201", f"{name}() takes a seq, not {q.type}", e.args[0].span,
                       help="size() counts the elements of a set" if isinstance(q.type, SetT) else None)
            return _err(sp)
        qt = q.type
        if name == "len":
            return ir.Builtin(name, (q,), INT, span=sp)
        if name in ("head", "last"):
            return ir.Builtin(name, (q,), qt.elem, span=sp)
        if name == "tail":
            return ir.Builtin(name, (q,), qt, span=sp)
        if name in ("count", "remove"):
            x = self.coerce(self._expr(e.args[1], scope, qt.elem), qt.elem, e.args[1].span, narrow=False)
            return ir.Builtin(name, (q, x), INT if name == "count" else qt, span=sp)
        if name == "remove_at":
            return ir.Builtin(name, (q, self.int_expr(e.args[1], scope)), qt, span=sp)
        if name == "insert":
            i = self.int_expr(e.args[1], scope)
            x = self.coerce(self._expr(e.args[2], scope, qt.elem), qt.elem, e.args[2].span)
            return ir.Builtin(name, (q, i, x), qt, span=sp)
        raise AssertionError(name)


# ------------------------------------------------------------ helpers
def _err(span: Span | None) -> ir.Expr:
    return ir.Lit(None, ERR, span=span)


def _incomplete(t: Type) -> bool:
    return (isinstance(t, OptionT) and t.inner is None) or (isinstance(t, SetT) and t.elem is None) or (
        isinstance(t, SeqT) and t.elem is None)


def _int_pair(a, b) -> bool:
    return isinstance(a, IntT) and isinstance(b, IntT) or a == b


def _compatible(a: Type, b: Type) -> bool:
    return a == b or _int_pair(a, b)


def _kind_word(kind: str) -> str:
    return {"const": "constant", "local": "local name", "enum": "enum member", "sortval": "sort value"}.get(kind, kind)


def _decl_word(d) -> str:
    from .loader import kind_of
    return kind_of(d)


def _type_text(t: A.TypeExpr) -> str:
    from .printer import type_text
    return type_text(t)


def _show_py(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)

"""Type declarations and type expressions: sorts, enums, records and aliases resolved to types, their
values made global names; the size limits on domains."""
from __future__ import annotations

import difflib
from typing import assert_never

from .. import ast as A
from ..diagnostics import Note
from ..source import Span
from ..types import BOOL, INT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type, cardinality, is_enumerable
from .base import ERR, Bind, CheckerBase, ErrT, Scope, TypeDeclaration


def _name_span(d: object) -> Span | None:
    meta = getattr(d, "meta", None)
    return meta.name_span if meta is not None else getattr(d, "span", None)


class TypeDecls(CheckerBase):
    def _types(self) -> None:
        for name in self.type_decls:
            self.named_type(name, self.type_decls[name].meta.name_span)
        # enum members and sort values become global names (once: an alias `type T = E` adds none)
        for name, t in list(self.types.items()):
            decl = self.type_decls[name]
            if isinstance(t, EnumT) and isinstance(decl, A.EnumDecl):
                for i, (m, sp) in enumerate(zip(t.members, decl.member_spans, strict=False)):
                    self._global(m, Bind("enum", t, i, sp), f"member of enum {name}")
            elif isinstance(t, SortT) and isinstance(decl, A.SortDecl):
                for i in range(t.size):
                    self._global(f"{t.prefix}{i}", Bind("sortval", t, i, decl.meta.name_span),
                                 f"value of sort {name}")

    def _global(self, name: str, bind: Bind, what: str) -> None:
        prev = self.globals.names.get(name)
        other = self.others.get(name) or self.defs.get(name) or self.procs.get(name) or self.type_decls.get(name)
        if prev is not None or other is not None:
            prev_span = prev.span if prev else _name_span(other)
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

    def _declared_type(self, decl: TypeDeclaration) -> Type:
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
            for m, sp in zip(decl.members, decl.member_spans, strict=False):
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


    def type(self, t: A.TypeExpr, scope: Scope) -> Type:
        match t:
            case A.TBool():
                return BOOL
            case A.TInt():
                return INT
            case A.TRange():
                return self._range_type(t)
            case A.TSet():
                return self._set_type(t, scope)
            case A.TSeq():
                return self._seq_type(t, scope)
            case A.TOption():
                inner = self.type(t.inner, scope)
                if isinstance(inner, OptionT):
                    self.error("XM213", f"`{inner}?` is an option of an option", t.span,
                               help="use one `?`, or a record with a flag")
                    return ERR
                return OptionT(inner) if not isinstance(inner, ErrT) else ERR
            case A.TMap():
                return self._map_type(t, scope)
            case A.TNamed():
                return self.named_type(t.name, t.span)
            case _:
                assert_never(t)

    def _range_type(self, t: A.TRange) -> Type:
        lo, hi = self.const_int(t.lo), self.const_int(t.hi)
        if lo is None or hi is None:
            return ERR
        if lo > hi:
            self.error("XM217", f"int[{lo}..{hi}] is empty: the lower bound exceeds the upper bound", t.span)
            return ERR
        return IntT(lo, hi)

    def _set_type(self, t: A.TSet, scope: Scope) -> Type:
        elem = self.type(t.elem, scope)
        if isinstance(elem, ErrT):
            return ERR
        if not is_enumerable(elem):
            self.error("XM207", f"set elements must be of an enumerable type, not {elem}", t.elem.span,
                       help="use bool, int[a..b], a sort, an enum, or options and records of these")
            return ERR
        if not self.small_domain([elem], t.elem.span, "set elements of"):
            return ERR
        return SetT(elem)

    def _seq_type(self, t: A.TSeq, scope: Scope) -> Type:
        elem = self.type(t.elem, scope)
        self.stored_type(elem, t.elem.span)
        cap = self.const_int(t.cap)
        if cap is None or isinstance(elem, ErrT):
            return ERR
        if cap < 1:
            self.error("XM218", f"seq capacity must be at least 1, not {cap}", t.cap.span)
            return ERR
        return SeqT(elem, cap)

    def _map_type(self, t: A.TMap, scope: Scope) -> Type:
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

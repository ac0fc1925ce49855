"""The checker's shared state: diagnostics, scopes, the nesting count, and helpers every phase uses.

The checker is one object built in layers, one module per phase, each a class extending the one
before: type declarations (typedecls), name resolution (scopes), expression typing (exprs, operators,
calls with the builtins table), statements (stmts), constants (consts), and lowering to the IR with
defs and procs inlined (lower). What a layer calls from a later one is declared at the end of
CheckerBase. Each phase collects all of its errors; a phase that reported errors stops the pipeline.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from .. import ast as A
from .. import ir
from ..diagnostics import Diagnostic, Note
from ..limits import DEFAULT, Limits
from ..loader import Loaded
from ..parser import nesting_error
from ..source import Span
from ..types import IntT, OptionT, SeqT, SetT, Type

TypeDeclaration = A.SortDecl | A.EnumDecl | A.TypeDecl | A.RecordDecl


class ErrT:
    """The type of an expression that already has an error: accepted everywhere, reported once."""

    def __str__(self) -> str:
        return "<error>"


# Typed as a Type: the error type is accepted wherever a type is (`isinstance(t, ErrT)` tells it apart).
ERR = cast(Type, ErrT())


@dataclass
class Bind:
    kind: str  # const | var | local | enum | sortval
    type: Any
    value: Any = None  # const value, var index, local uid, enum/sort index
    span: Span | None = None


class Scope:
    def __init__(self, parent: Scope | None = None) -> None:
        self.parent = parent
        self.names: dict[str, Bind] = {}

    def lookup(self, name: str) -> Bind | None:
        s: Scope | None = self
        while s is not None:
            if name in s.names:
                return s.names[name]
            s = s.parent
        return None

    def all_names(self) -> set[str]:
        out: set[str] = set()
        s: Scope | None = self
        while s is not None:
            out |= set(s.names)
            s = s.parent
        return out


class Stop(Exception):
    """A phase ended with errors: the pipeline stops."""


class CheckerBase:
    def __init__(self, loaded: Loaded, consts: dict[str, Any], instance: str | None,
                 const_spans: dict[str, Span | None] | None = None, limits: Limits = DEFAULT) -> None:
        self.loaded = loaded
        self.limits = limits
        self.depth = 0  # statements and expressions being checked, one inside the other (defs inlined)
        self.const_overrides = consts
        self.const_spans = const_spans or {}
        self.instance = instance
        self.diags: list[Diagnostic] = []
        self.globals = Scope()
        self.types: dict[str, Type] = {}
        self.type_decls: dict[str, TypeDeclaration] = {}
        self.defs: dict[str, A.DefDecl] = {}
        self.procs: dict[str, A.ProcDecl] = {}
        self.others: dict[str, A.Declaration] = {}  # the other named declarations
        self.uids = itertools.count(1)
        self.call_stack: list[str] = []
        self.const_values: dict[str, Any] = {}
        self.resolving: list[str] = []  # named types being resolved, one inside the other
        self._const_only = False  # inside a constant expression (consts, sizes, bounds)

    def error(self, code: str, message: str, span: Span | None, notes: Sequence[Note] = (),
              help: str | None = None) -> None:
        diag = Diagnostic(code, message, span, tuple(notes), help)
        if diag not in self.diags:  # a def checked at several call sites reports its error once
            self.diags.append(diag)

    def _errors(self) -> int:
        return sum(1 for d in self.diags if d.severity == "error")

    def _phase_end(self) -> None:
        if any(d.severity == "error" for d in self.diags):
            raise Stop()

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

    if TYPE_CHECKING:
        # defined by later layers; declared here so that earlier ones can call them
        def const_int(self, e: A.Expr) -> int | None: ...
        def binary(self, e: A.Binary, scope: Scope, expected: Type | None) -> ir.Expr: ...
        def call(self, e: A.Call, scope: Scope, expected: Type | None) -> ir.Expr: ...
        def call_def(self, e: A.Call, scope: Scope) -> ir.Expr: ...
        def call_proc(self, s: A.CallStmt, scope: Scope) -> list[ir.Stmt]: ...


def err_node(span: Span | None) -> ir.Expr:
    """The node of an expression that has an error (its type is ERR)."""
    return ir.Lit(None, ERR, span=span)


def incomplete(t: Type) -> bool:
    """A type not yet known in full: `none`, `{}` or `[]` before they meet their context."""
    return (isinstance(t, OptionT) and t.inner is None) or (isinstance(t, SetT) and t.elem is None) or (
        isinstance(t, SeqT) and t.elem is None)


def int_pair(a: object, b: object) -> bool:
    return isinstance(a, IntT) and isinstance(b, IntT) or a == b


def compatible(a: Type, b: Type) -> bool:
    return a == b or int_pair(a, b)


def kind_word(kind: str) -> str:
    return {"const": "constant", "local": "local name", "enum": "enum member", "sortval": "sort value"}.get(kind, kind)


def show_py(v: object) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)

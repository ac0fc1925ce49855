"""Constants: each bound to its value (declared, from the instance, or from --const), checked against
its declared type; constant expressions evaluated with the reference semantics."""
from __future__ import annotations

import difflib

from .. import ast as A
from ..diagnostics import Note
from ..semantics import ModelError, eval_closed
from ..source import Span
from ..types import BOOL, INT, BoolT, IntT, Type
from .base import ERR, Bind, ErrT, show_py
from .stmts import Stmts


class Consts(Stmts):
    def _consts(self, decls: list[A.ConstDecl]) -> None:
        declared = {d.name: d for d in decls}
        for name, span in self._override_spans():
            if name not in declared:
                close = difflib.get_close_matches(name, list(declared), 1)
                self.error("XM302", f"no constant named `{name}`" + ("" if span else " (from --const)"), span,
                           help=f"did you mean `{close[0]}`?" if close else
                           f"declared constants: {', '.join(declared) or 'none'}")
        for d in decls:
            typ = self._const_type(d)
            if d.name in self.const_overrides:
                value = self.const_overrides[d.name]
                vspan = self._override_span(d.name)
            else:
                errors_before = self._errors()
                expr = self.expr(d.value, self.globals, None, const_only=True)
                # an ill-typed operand may still give a typed node (`-true` is an int): never evaluate it
                if isinstance(expr.type, ErrT) or self._errors() > errors_before:
                    self.globals.names[d.name] = Bind("const", ERR, 0, d.meta.name_span)
                    continue
                try:
                    value = eval_closed(expr)
                except ModelError as err:
                    self.error("XM307", f"cannot evaluate constant `{d.name}`: {err.message}", err.span or d.span)
                    self.globals.names[d.name] = Bind("const", ERR, 0, d.meta.name_span)
                    continue
                vspan = d.value.span
            if isinstance(typ, BoolT) != isinstance(value, bool):
                self.error("XM305", f"constant `{d.name}` is {typ}, but the value is {show_py(value)}"
                           + ("" if vspan else " (from --const)"), vspan,
                           (Note("declared here", d.meta.name_span),))
            elif isinstance(typ, IntT) and typ.bounded and not typ.lo <= value <= typ.hi:
                self.error("XM303", f"constant `{d.name}` = {value} is outside {typ}"
                           + ("" if vspan else " (from --const)"), vspan,
                           (Note("declared here", d.meta.name_span),),
                           help=f"choose a value from {typ.lo} to {typ.hi}")
            self.const_values[d.name] = value
            self.globals.names[d.name] = Bind("const", BOOL if isinstance(typ, BoolT) else INT, value,
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

    def const_int(self, e: A.Expr) -> int | None:
        errors_before = self._errors()
        x = self.expr(e, self.globals, INT, const_only=True)
        if isinstance(x.type, ErrT) or self._errors() > errors_before:  # `-UNKNOWN` is still typed int
            return None
        if not isinstance(x.type, IntT):
            self.error("XM201", f"expected an integer constant, found {x.type}", e.span)
            return None
        try:
            value = eval_closed(x)
            assert isinstance(value, int)  # an int-typed constant expression
            return value
        except ModelError as err:
            self.error("XM307", f"cannot evaluate: {err.message}", e.span)
            return None

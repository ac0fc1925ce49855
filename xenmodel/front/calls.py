"""Calls in expressions: defs, sort values from an index, and the builtins, typed from their rows in
xenmodel/builtins.py (arity, one rule per operand kind, the result type)."""
from __future__ import annotations

import difflib
from typing import assert_never

from .. import ast as A
from .. import ir
from ..builtins import BUILTINS, Operand, Returns
from ..types import INT, EnumT, OptionT, SeqT, SetT, SortT, Type
from .base import ErrT, Scope, err_node
from .operators import Operators


class Calls(Operators):
    def call(self, e: A.Call, scope: Scope, expected: Type | None) -> ir.Expr:
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
                    return err_node(sp)
                if not self._arity(e, 1):
                    return err_node(sp)
                return ir.SortVal(self.int_expr(e.args[0], scope), t, span=sp)
            if not isinstance(t, ErrT):
                self.error("XM110", f"`{name}` is {t}; only sorts can be called to make a value", sp)
            return err_node(sp)
        if name in BUILTINS:
            return self.builtin(e, scope, expected)
        if name in self.procs:
            self.error("XM112", f"`{name}` is a proc; procs are statements, not values", sp,
                       help="call it on its own line, or write a `def` for a value")
            return err_node(sp)
        close = difflib.get_close_matches(name, list(self.defs) + sorted(BUILTINS), 1)
        self.error("XM110", f"unknown function `{name}`", e.func_span or sp,
                   help=f"did you mean `{close[0]}`?" if close else "declare it with `def`")
        return err_node(sp)

    def _arity(self, e: A.Call, n: int) -> bool:
        if len(e.args) != n:
            self.error("XM202", f"`{e.func}` takes {n} argument(s), {len(e.args)} given", e.span)
            return False
        return True

    def builtin(self, e: A.Call, scope: Scope, expected: Type | None) -> ir.Expr:
        """A builtin typed from its row: the arity, the first operand by its kind, the others relative to it
        (an element of the first operand's seq, or an int), the result from `returns`."""
        spec = BUILTINS[e.func]
        if not self._arity(e, spec.arity):
            return err_node(e.span)
        first = self._first_operand(e, spec.operands[0], scope, expected)
        if first is None:
            return err_node(e.span)
        args = [first]
        for kind, a in zip(spec.operands[1:], e.args[1:], strict=True):
            args.append(self._later_operand(kind, a, first, scope))
        return ir.Builtin(e.func, tuple(args), _result(spec.returns, first.type), span=e.span)

    def _first_operand(self, e: A.Call, kind: Operand, scope: Scope, expected: Type | None) -> ir.Expr | None:
        """The first operand typed by its kind, or None after an error (the other operands then checked on
        their own when the first already had an error, so theirs are reported too)."""
        name, arg = e.func, e.args[0]
        match kind:
            case Operand.INT:
                return self.int_expr(arg, scope)
            case Operand.SEQ:
                hint: Type | None = expected if isinstance(expected, SeqT) else None
            case Operand.OPTION:
                hint = OptionT(expected) if expected is not None and not isinstance(expected, OptionT) else None
            case Operand.SET | Operand.ORDINAL:
                hint = None
            case Operand.ELEM | Operand.STORED_ELEM:
                raise AssertionError(f"builtin {name}: an element operand cannot come first")
            case _:
                assert_never(kind)
        x = self._expr(arg, scope, hint)
        t = x.type
        if isinstance(t, ErrT):
            for a in e.args[1:]:
                self._expr(a, scope, None)
            return None
        match kind:
            case Operand.SEQ if not isinstance(t, SeqT) or t.elem is None:
                self.error("XM201", f"{name}() takes a seq, not {t}", arg.span,
                           help="size() counts the elements of a set" if isinstance(t, SetT) else None)
            case Operand.OPTION if not isinstance(t, OptionT) or t.inner is None:
                self.error("XM201", f"{name}() takes an option, not {t}", arg.span)
            case Operand.SET if not isinstance(t, SetT):
                self.error("XM201", f"{name}() takes a set, not {t} (len() is for seqs)", arg.span)
            case Operand.ORDINAL if isinstance(t, SortT) and t.symmetric:
                self.error("XM209", f"{name}() of a value of the symmetric sort {t.name}", e.span,
                           help="a symmetric sort's values have no index; drop `symmetric` if the index matters")
            case Operand.ORDINAL if not isinstance(t, (SortT, EnumT)):
                self.error("XM201", f"{name}() takes a sort or enum value, not {t}", arg.span)
            case _:
                return x
        return None

    def _later_operand(self, kind: Operand, a: A.Expr, first: ir.Expr, scope: Scope) -> ir.Expr:
        match kind:
            case Operand.INT:
                return self.int_expr(a, scope)
            case Operand.ELEM | Operand.STORED_ELEM:
                qt = first.type
                assert isinstance(qt, SeqT) and qt.elem is not None  # an element operand follows a seq
                # compared (count, remove): no narrowing; stored (insert): narrowed to the element type
                return self.coerce(self._expr(a, scope, qt.elem), qt.elem, a.span, narrow=kind is Operand.STORED_ELEM)
            case Operand.SEQ | Operand.SET | Operand.OPTION | Operand.ORDINAL:
                raise AssertionError(f"operand kind {kind} only comes first")
            case _:
                assert_never(kind)


def _result(returns: Returns, first: Type | ErrT) -> Type:
    """The result type from the first operand's type (already checked against its operand kind)."""
    match returns:
        case Returns.INT:
            return INT
        case Returns.SAME:
            assert not isinstance(first, ErrT)
            return first
        case Returns.ELEM:
            assert isinstance(first, SeqT) and first.elem is not None
            return first.elem
        case Returns.INNER:
            assert isinstance(first, OptionT) and first.inner is not None
            return first.inner
        case _:
            assert_never(returns)

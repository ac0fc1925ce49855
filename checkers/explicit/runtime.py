"""Run-time support of the generated code: the exceptions it raises and the helpers it calls.

Every model error is built by xenmodel.model_errors (the one place its code and message are written),
so the compiled engine says exactly what the reference semantics says. The helpers here are the fast
paths the generated code inlines a call to; builtins without one are evaluated by their row of
xenmodel.builtins.BUILTINS (see codegen_expr.ExprCompiler.ex_builtin).
"""
from __future__ import annotations

from typing import Any, NoReturn

from xenmodel import model_errors as E
from xenmodel import semantics as S
from xenmodel.source import Span
from xenmodel.types import SeqT, SortT, Type, show

# What the generated code catches as a model error: the constructors' class, and the reference's where
# the generated code calls into xenmodel.semantics (narrowing of nested values). One class once the
# reference semantics raises through xenmodel.model_errors too; a tuple of one class twice is harmless.
MODEL_ERRORS: tuple[type[Exception], ...] = (E.ModelError, S.ModelError)


class Unsupported(Exception):
    """A construct the compiler does not handle; the engine falls back to the reference semantics."""


class _Stop(Exception):
    """Ends a BFS expansion early, args = (status, info): one exit that reports the per-action counts
    (a `return` with the counts at every transition site made the source quadratic in the actions)."""


def _seq_index(q: tuple[Any, ...], k: int, span: Span | None) -> Any:
    if not 0 <= k < len(q):
        raise E.index_outside(k, len(q), span)
    return q[k]


def _seq_store_index(q: tuple[Any, ...], k: int, span: Span | None) -> int:
    if not 0 <= k < len(q):
        raise E.index_outside(k, len(q), span)
    return k


def _e_empty(name: str, span: Span | None) -> NoReturn:
    raise E.empty_seq(name, span)


def _e_get(span: Span | None) -> NoReturn:
    raise E.get_of_none(span)


def _div(a: int, b: int, span: Span | None) -> int:
    if b == 0:
        raise E.division_by_zero("/", span)
    return a // b


def _mod(a: int, b: int, span: Span | None) -> int:
    if b == 0:
        raise E.division_by_zero("%", span)
    return a % b


def _e_overflow(v: Any, t: Type, span: Span | None) -> NoReturn:
    raise E.out_of_range(show(t, v), t, span)  # show: as the reference prints a bounded value


def _e_cap(v: tuple[Any, ...], t: SeqT, span: Span | None) -> NoReturn:
    assert t.cap is not None
    raise E.over_capacity(len(v), t.cap, span)


def _e_sortval(i: int, t: SortT, span: Span | None) -> NoReturn:
    raise E.sort_value_outside(i, t.name, t.size, span)


def _e_assert(message: str, span: Span | None) -> NoReturn:
    raise E.assert_failed(message, span)


# the names the generated code calls these by
HELPERS: dict[str, Any] = {f.__name__: f for f in (_seq_index, _seq_store_index, _e_empty, _e_get, _div, _mod,
                                                   _e_overflow, _e_cap, _e_sortval, _e_assert)}

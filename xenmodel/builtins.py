"""The builtin functions of the language: one table row each.

A row says everything the language knows about a builtin: its name and arity (the operand kinds),
its typing rule (what each operand must be, what the result is), its documentation, the model errors
it may raise, and its evaluation on run-time values (the reference; the compiled engine calls the same
function). The type checker, the reference semantics, the compiler and the Z3 encoding read this
table; an engine adds a builtin with one hook (a function keyed by the builtin's name).

To add a builtin: add a row here (and its line to docs/language.md's builtin table), then the Z3
encoder's hook in checkers/smt/builtin_hooks.py; the type checker, the reference semantics and the compiled engine
need nothing more.
"""
from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import model_errors as E
from .source import Span
from .types import SeqT, Type


class Operand(enum.Enum):
    """What one operand of a builtin must be (the type checker's rule for it)."""
    SEQ = "a seq"
    SET = "a set"
    OPTION = "an option"
    INT = "an int"
    ORDINAL = "a value of a sort or enum that is not symmetric"
    ELEM = "a value of the seq's element type (compared, not stored)"
    STORED_ELEM = "a value of the seq's element type (stored: narrowed to it)"


class Returns(enum.Enum):
    """The result type, from the first operand's type."""
    INT = "int"
    ELEM = "the seq's element type"
    SAME = "the first operand's type"
    INNER = "the option's inner type"


Evaluate = Callable[[tuple[Any, ...], Type, "Span | None"], Any]


@dataclass(frozen=True)
class BuiltinSpec:
    name: str
    operands: tuple[Operand, ...]
    returns: Returns
    signature: str
    doc: str
    errors: tuple[str, ...]  # the model-error codes an application may raise
    evaluate: Evaluate  # (operand values, result type, span) -> value; raises ModelError

    @property
    def arity(self) -> int:
        return len(self.operands)


def _head(args: tuple[Any, ...], _t: Type, span: Span | None) -> Any:
    if not args[0]:
        raise E.empty_seq("head", span)
    return args[0][0]


def _last(args: tuple[Any, ...], _t: Type, span: Span | None) -> Any:
    if not args[0]:
        raise E.empty_seq("last", span)
    return args[0][-1]


def _tail(args: tuple[Any, ...], _t: Type, span: Span | None) -> Any:
    if not args[0]:
        raise E.empty_seq("tail", span)
    return args[0][1:]


def _remove(args: tuple[Any, ...], _t: Type, _span: Span | None) -> Any:
    q, x = args
    if x not in q:
        return q
    i = q.index(x)
    return q[:i] + q[i + 1:]


def _remove_at(args: tuple[Any, ...], _t: Type, span: Span | None) -> Any:
    q, i = args
    if not 0 <= i < len(q):
        raise E.index_outside(i, len(q), span, what="remove_at index")
    return q[:i] + q[i + 1:]


def _insert(args: tuple[Any, ...], t: Type, span: Span | None) -> Any:
    q, i, x = args
    if not 0 <= i <= len(q):
        raise E.insert_index_outside(i, len(q), span)
    assert isinstance(t, SeqT) and t.cap is not None  # the checker types insert's result as a full seq type
    if len(q) + 1 > t.cap:
        raise E.insert_into_full(t.cap, span)
    return q[:i] + (x,) + q[i:]


def _get(args: tuple[Any, ...], _t: Type, span: Span | None) -> Any:
    if args[0] is None:
        raise E.get_of_none(span)
    return args[0]


def _row(name: str, operands: tuple[Operand, ...], returns: Returns, signature: str, doc: str,
         errors: tuple[str, ...], evaluate: Evaluate) -> tuple[str, BuiltinSpec]:
    return name, BuiltinSpec(name, operands, returns, signature, doc, errors, evaluate)


Op, R = Operand, Returns
BUILTINS: dict[str, BuiltinSpec] = dict((
    _row("len", (Op.SEQ,), R.INT, "len(q: seq<T, N>) -> int", "the number of elements of q", (),
         lambda a, t, s: len(a[0])),
    _row("size", (Op.SET,), R.INT, "size(s: set<T>) -> int", "the number of elements of s", (),
         lambda a, t, s: len(a[0])),
    _row("head", (Op.SEQ,), R.ELEM, "head(q: seq<T, N>) -> T", "the first element of q", ("XM502",), _head),
    _row("last", (Op.SEQ,), R.ELEM, "last(q: seq<T, N>) -> T", "the last element of q", ("XM502",), _last),
    _row("tail", (Op.SEQ,), R.SAME, "tail(q: seq<T, N>) -> seq<T, N>", "q without its first element",
         ("XM502",), _tail),
    _row("count", (Op.SEQ, Op.ELEM), R.INT, "count(q: seq<T, N>, x: T) -> int", "how many elements of q equal x",
         (), lambda a, t, s: a[0].count(a[1])),
    _row("remove", (Op.SEQ, Op.ELEM), R.SAME, "remove(q: seq<T, N>, x: T) -> seq<T, N>",
         "q without its first element equal to x (q itself when there is none)", (), _remove),
    _row("remove_at", (Op.SEQ, Op.INT), R.SAME, "remove_at(q: seq<T, N>, i: int) -> seq<T, N>",
         "q without its element at index i", ("XM505",), _remove_at),
    _row("insert", (Op.SEQ, Op.INT, Op.STORED_ELEM), R.SAME, "insert(q: seq<T, N>, i: int, x: T) -> seq<T, N>",
         "q with x inserted before index i (i == len(q) appends)", ("XM504", "XM505"), _insert),
    _row("get", (Op.OPTION,), R.INNER, "get(o: T?) -> T", "the value inside o", ("XM501",), _get),
    _row("ord", (Op.ORDINAL,), R.INT, "ord(x: S) -> int", "the index of a sort or enum value (not symmetric)",
         (), lambda a, t, s: a[0]),
    _row("min", (Op.INT, Op.INT), R.INT, "min(a: int, b: int) -> int", "the smaller of a and b", (),
         lambda a, t, s: min(a)),
    _row("max", (Op.INT, Op.INT), R.INT, "max(a: int, b: int) -> int", "the larger of a and b", (),
         lambda a, t, s: max(a)),
))

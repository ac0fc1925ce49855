"""Run-time errors of a model (XM501-XM508): the one place their codes and messages are written.

The reference semantics, the compiled transition relation and the builtins table raise them through
these constructors, so an engine's message can never drift from the reference's. (The Z3 encoding
states the same conditions symbolically; its counterexamples are replayed through the reference,
which gives the concrete message.)
"""
from __future__ import annotations

from typing import Any

from .source import Span


class ModelError(Exception):
    """A run-time error of the model (not of Python): reported as a violation."""

    def __init__(self, code: str, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        # a failed assert in the reference semantics: its condition, the state and the locals where it
        # failed, so a report can show the values of the condition's terms (xenmodel/reports/why.py)
        self.context: tuple[Any, tuple[Any, ...], dict[int, Any]] | None = None


def get_of_none(span: Span | None) -> ModelError:
    return ModelError("XM501", "get() of none", span)


def empty_seq(builtin: str, span: Span | None) -> ModelError:
    return ModelError("XM502", f"{builtin}() of an empty seq", span)


def out_of_range(value: Any, type_text: object, span: Span | None) -> ModelError:
    return ModelError("XM503", f"value {value} is outside {type_text}", span)


def over_capacity(length: int, cap: int, span: Span | None) -> ModelError:
    return ModelError("XM504", f"a seq of length {length} does not fit capacity {cap}", span)


def insert_into_full(cap: int, span: Span | None) -> ModelError:
    return ModelError("XM504", f"insert into a full seq (capacity {cap})", span)


def index_outside(index: int, length: int, span: Span | None, what: str = "index") -> ModelError:
    return ModelError("XM505", f"{what} {index} outside a seq of length {length}", span)


def insert_index_outside(index: int, length: int, span: Span | None) -> ModelError:
    return ModelError("XM505", f"insert index {index} outside 0..{length}", span)


def division_by_zero(op: str, span: Span | None) -> ModelError:
    return ModelError("XM506", "division by zero" if op == "/" else "modulo by zero", span)


def assert_failed(message: str, span: Span | None) -> ModelError:
    return ModelError("XM507", message, span)


def sort_value_outside(index: int, sort_name: str, size: int, span: Span | None) -> ModelError:
    return ModelError("XM508", f"{sort_name}({index}) is outside the sort (0..{size - 1})", span)

"""Concrete types of a bound model, and the runtime representation of their values.

Values are plain, hashable Python data, so a state is a tuple of them:
  bool -> bool; int[a..b] and int -> int; sort and enum values -> int (their index);
  T? -> None or the T value; set<T> -> frozenset; seq<T, N> -> tuple;
  K -> V -> tuple of V indexed by key_index(K, k); record -> tuple of field values in declared order.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .safetext import int_text


@dataclass(frozen=True)
class BoolT:
    def __str__(self) -> str:
        return "bool"


@dataclass(frozen=True)
class IntT:
    """int[lo..hi]; lo and hi are None for the unbounded int of constants and arithmetic."""
    lo: int | None = None
    hi: int | None = None

    @property
    def bounded(self) -> bool:
        return self.lo is not None

    def __str__(self) -> str:
        return f"int[{self.lo}..{self.hi}]" if self.bounded else "int"


@dataclass(frozen=True)
class SortT:
    name: str
    prefix: str
    size: int
    symmetric: bool = False

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class EnumT:
    name: str
    members: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class OptionT:
    inner: "Type | None"  # None only for the type of the literal `none` before it meets context

    def __str__(self) -> str:
        return f"{self.inner}?" if self.inner is not None else "none"


@dataclass(frozen=True)
class SetT:
    elem: "Type | None"  # None: the empty literal `{}` before it meets context

    def __str__(self) -> str:
        return f"set<{self.elem}>"


@dataclass(frozen=True)
class SeqT:
    elem: "Type | None"
    cap: int | None  # None: a literal whose capacity comes from context

    def __str__(self) -> str:
        return f"seq<{self.elem}, {self.cap}>" if self.cap is not None else f"seq<{self.elem}>"


@dataclass(frozen=True)
class MapT:
    key: "Type"
    value: "Type"

    def __str__(self) -> str:
        return f"{self.key} -> {self.value}"


@dataclass(frozen=True)
class RecordT:
    name: str
    fields: tuple[tuple[str, "Type"], ...]

    def field_index(self, name: str) -> int | None:
        for i, (f, _) in enumerate(self.fields):
            if f == name:
                return i
        return None

    def __str__(self) -> str:
        return self.name


Type = BoolT | IntT | SortT | EnumT | OptionT | SetT | SeqT | MapT | RecordT

BOOL = BoolT()
INT = IntT()


def is_enumerable(t: Type) -> bool:
    """Types whose values can be listed: quantifier, parameter, choose, foreach and map-key types."""
    if isinstance(t, (BoolT, SortT, EnumT)):
        return True
    if isinstance(t, IntT):
        return t.bounded
    if isinstance(t, OptionT):
        return t.inner is not None and is_enumerable(t.inner)
    if isinstance(t, RecordT):
        return all(is_enumerable(ft) for _, ft in t.fields)
    return False


def values(t: Type | None) -> list[Any]:
    """Every value of an enumerable type, in the documented order."""
    if isinstance(t, BoolT):
        return [False, True]
    if isinstance(t, IntT):
        assert t.lo is not None and t.hi is not None, "unbounded int is not enumerable"
        return list(range(t.lo, t.hi + 1))
    if isinstance(t, SortT):
        return list(range(t.size))
    if isinstance(t, EnumT):
        return list(range(len(t.members)))
    if isinstance(t, OptionT):
        return [None] + values(t.inner)
    if isinstance(t, RecordT):
        return [tuple(vs) for vs in itertools.product(*(values(ft) for _, ft in t.fields))]
    raise TypeError(f"type {t} is not enumerable")


def cardinality(t: Type | None) -> int:
    if isinstance(t, BoolT):
        return 2
    if isinstance(t, IntT):
        assert t.lo is not None and t.hi is not None, "unbounded int is not enumerable"
        return t.hi - t.lo + 1
    if isinstance(t, SortT):
        return t.size
    if isinstance(t, EnumT):
        return len(t.members)
    if isinstance(t, OptionT):
        return 1 + cardinality(t.inner)
    if isinstance(t, RecordT):
        n = 1
        for _, ft in t.fields:
            n *= cardinality(ft)
        return n
    raise TypeError(f"type {t} is not enumerable")


def key_index(t: Type | None, v: Any) -> int:
    """Position of value v in values(t), computed without listing them."""
    if isinstance(t, BoolT):
        return int(v)
    if isinstance(t, IntT):
        assert t.lo is not None, "unbounded int is not enumerable"
        offset: int = v - t.lo
        return offset
    if isinstance(t, (SortT, EnumT)):
        index: int = v
        return index
    if isinstance(t, OptionT):
        return 0 if v is None else 1 + key_index(t.inner, v)
    if isinstance(t, RecordT):
        idx = 0
        for (_, ft), fv in zip(t.fields, v, strict=False):
            idx = idx * cardinality(ft) + key_index(ft, fv)
        return idx
    raise TypeError(f"type {t} is not enumerable")


def default(t: Type) -> Any:
    """The value a variable without an initialiser starts with."""
    if isinstance(t, BoolT):
        return False
    if isinstance(t, IntT):
        if t.lo is None or t.hi is None or t.lo <= 0 <= t.hi:
            return 0
        return t.lo
    if isinstance(t, (SortT, EnumT)):
        return 0
    if isinstance(t, OptionT):
        return None
    if isinstance(t, SetT):
        return frozenset()
    if isinstance(t, SeqT):
        return ()
    if isinstance(t, MapT):
        return tuple(default(t.value) for _ in range(cardinality(t.key)))
    if isinstance(t, RecordT):
        return tuple(default(ft) for _, ft in t.fields)
    raise TypeError(f"no default for {t}")


def contains_symmetric(t: Type) -> bool:
    if isinstance(t, SortT):
        return t.symmetric
    if isinstance(t, (OptionT, SetT, SeqT)):
        inner = t.inner if isinstance(t, OptionT) else t.elem
        return inner is not None and contains_symmetric(inner)
    if isinstance(t, MapT):
        return contains_symmetric(t.key) or contains_symmetric(t.value)
    if isinstance(t, RecordT):
        return any(contains_symmetric(ft) for _, ft in t.fields)
    return False


def show(t: Type | None, v: Any) -> str:
    """A value as the language writes it."""
    if isinstance(t, BoolT):
        return "true" if v else "false"
    if isinstance(t, IntT):
        return int_text(v)  # bounded beyond 4000 digits, where str() raises
    if isinstance(t, SortT):
        return f"{t.prefix}{v}"
    if isinstance(t, EnumT):
        member: str = t.members[v]
        return member
    if isinstance(t, OptionT):
        return "none" if v is None else show(t.inner, v)
    if isinstance(t, SetT):
        items = sorted(v, key=lambda x: sort_key(t.elem, x))
        return "{" + ", ".join(show(t.elem, x) for x in items) + "}"
    if isinstance(t, SeqT):
        return "[" + ", ".join(show(t.elem, x) for x in v) + "]"
    if isinstance(t, MapT):
        keys = values(t.key)
        return "[" + ", ".join(f"{show(t.key, k)}: {show(t.value, x)}" for k, x in zip(keys, v, strict=False)) + "]"
    if isinstance(t, RecordT):
        return t.name + " { " + ", ".join(f"{f}: {show(ft, x)}" for (f, ft), x in zip(t.fields, v, strict=False)) + " }"
    raise TypeError(f"cannot show {t}")


def sort_key(t: Type | None, v: Any) -> Any:
    """A total order on values of one type (for printing sets and canonical forms)."""
    if v is None:
        return (0,)
    if isinstance(v, frozenset):
        inner = t.elem if isinstance(t, SetT) else None
        return (1, tuple(sorted(sort_key(inner, x) for x in v)))
    if isinstance(v, tuple):
        return (1, tuple(sort_key(None, x) for x in v))
    return (1, v)


def check_value(t: Type | None, v: Any) -> bool:
    """Does v have the shape and range of t? Used when reading traces from files."""
    if isinstance(t, BoolT):
        return isinstance(v, bool)
    if isinstance(t, IntT):
        return isinstance(v, int) and not isinstance(v, bool) and (
            t.lo is None or t.hi is None or t.lo <= v <= t.hi)
    if isinstance(t, SortT):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < t.size
    if isinstance(t, EnumT):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(t.members)
    if isinstance(t, OptionT):
        return v is None or check_value(t.inner, v)
    if isinstance(t, SetT):
        return isinstance(v, frozenset) and all(check_value(t.elem, x) for x in v)
    if isinstance(t, SeqT):
        return isinstance(v, tuple) and t.cap is not None and len(v) <= t.cap and all(check_value(t.elem, x) for x in v)
    if isinstance(t, MapT):
        return isinstance(v, tuple) and len(v) == cardinality(t.key) and all(
            check_value(t.value, x) for x in v)
    if isinstance(t, RecordT):
        return isinstance(v, tuple) and len(v) == len(t.fields) and all(
            check_value(ft, x) for (_, ft), x in zip(t.fields, v, strict=False))
    return False


def iter_types(t: Type) -> Iterator[Type]:
    yield t
    for child in _children(t):
        yield from iter_types(child)


def _children(t: Type) -> list[Type]:
    if isinstance(t, OptionT):
        return [t.inner] if t.inner is not None else []
    if isinstance(t, (SetT, SeqT)):
        return [t.elem] if t.elem is not None else []
    if isinstance(t, MapT):
        return [t.key, t.value]
    if isinstance(t, RecordT):
        return [ft for _, ft in t.fields]
    return []


def differences(t: Type, a: Any, b: Any, path: str) -> list[tuple[str, str, str]]:
    """Every leaf where two values of type t differ, down through map entries and record fields:
    (path such as `frame[mfn1].owner`, old value shown, new value shown)."""
    if a == b:
        return []
    if isinstance(t, MapT):
        return [d for k, x, y in zip(values(t.key), a, b, strict=False)
                for d in differences(t.value, x, y, f"{path}[{show(t.key, k)}]")]
    if isinstance(t, RecordT):
        return [d for (f, ft), x, y in zip(t.fields, a, b, strict=False) for d in differences(ft, x, y, f"{path}.{f}")]
    return [(path, show(t, a), show(t, b))]

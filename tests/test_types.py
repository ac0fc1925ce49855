"""Concrete types: value enumeration order, key indices, defaults, printing."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xenmodel.types import (
    BOOL,
    EnumT,
    IntT,
    MapT,
    OptionT,
    RecordT,
    SeqT,
    SetT,
    SortT,
    cardinality,
    check_value,
    default,
    is_enumerable,
    key_index,
    show,
    values,
)

P = SortT("PCpu", "pcpu", 3)
E = EnumT("RunState", ("running", "runnable", "blocked"))
R = RecordT("Cell", (("on", BOOL), ("n", IntT(1, 2)), ("who", OptionT(P))))
ENUMERABLE = [BOOL, IntT(-1, 2), P, E, OptionT(E), R]


def test_values_are_in_documented_order():
    assert values(BOOL) == [False, True]
    assert values(IntT(-1, 1)) == [-1, 0, 1]
    assert values(OptionT(P)) == [None, 0, 1, 2]
    assert values(R)[:3] == [(False, 1, None), (False, 1, 0), (False, 1, 1)]


@given(st.sampled_from(ENUMERABLE))
def test_key_index_is_the_position_in_values(t):
    vs = values(t)
    assert len(vs) == cardinality(t)
    assert [key_index(t, v) for v in vs] == list(range(len(vs)))


def test_defaults():
    assert default(IntT(2, 5)) == 2 and default(IntT(-3, 3)) == 0
    assert default(MapT(P, OptionT(E))) == (None, None, None)
    assert default(R) == (False, 1, None)
    assert default(SeqT(BOOL, 2)) == () and default(SetT(P)) == frozenset()


def test_enumerable():
    assert all(is_enumerable(t) for t in ENUMERABLE)
    assert not is_enumerable(SetT(P)) and not is_enumerable(IntT()) and not is_enumerable(SeqT(BOOL, 1))


def test_show_writes_values_as_the_language_does():
    assert show(MapT(P, OptionT(E)), (None, 2, 0)) == "[pcpu0: none, pcpu1: blocked, pcpu2: running]"
    assert show(SetT(P), frozenset({2, 0})) == "{pcpu0, pcpu2}"
    assert show(R, (True, 2, 1)) == "Cell { on: true, n: 2, who: pcpu1 }"


def test_check_value_rejects_wrong_shapes():
    assert check_value(MapT(P, BOOL), (True, False, True))
    assert not check_value(MapT(P, BOOL), (True, False))
    assert not check_value(IntT(0, 3), 4) and not check_value(IntT(0, 3), True)
    assert not check_value(SeqT(BOOL, 1), (True, False))

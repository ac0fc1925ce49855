"""How the explicit-state search stores states."""
from __future__ import annotations

import resource
from collections.abc import Iterable
from typing import Any

from xenmodel.types import BoolT, EnumT, IntT, MapT, OptionT, RecordT, SeqT, SetT, SortT, Type

State = Any  # noqa: UP040 - a state's values (a tuple), or its packed component ids (an int)
ID_BITS = 32  # the id width of a variable with more possible values than 2**32 (or unbounded)


def value_count(t: Type | None) -> int | None:
    """How many values a variable of type t can hold (None: unbounded, or too many to matter)."""
    match t:
        case BoolT():
            return 2
        case IntT():
            return None if t.lo is None or t.hi is None else t.hi - t.lo + 1
        case SortT():
            return t.size
        case EnumT():
            return len(t.members)
        case OptionT():
            n = value_count(t.inner)
            return None if n is None else n + 1
        case RecordT():
            total = 1
            for _, ft in t.fields:
                n = value_count(ft)
                if n is None:
                    return None
                total *= n
            return total
        case MapT():
            k, v = value_count(t.key), value_count(t.value)
            return None if k is None or v is None or k > ID_BITS else _power(v, k)
        case SetT():
            n = value_count(t.elem)
            return None if n is None or n > ID_BITS else _power(2, n)
        case SeqT():
            n = value_count(t.elem)
            if n is None or t.cap is None or t.cap > ID_BITS:
                return None
            return sum(_power(n, k) for k in range(t.cap + 1))
        case _:
            return None


def _power(base: int, exp: int) -> int:
    out = 1
    for _ in range(exp):
        out *= base
    return out


def id_bits(t: Type | None) -> int:
    """The bits an id of a value of type t takes: enough for every value it can hold, at most ID_BITS."""
    n = value_count(t)
    return ID_BITS if n is None or n > 1 << ID_BITS else max(1, (n - 1).bit_length())


class Store:
    """Component tables: a stored state is one int, the ids of its variables' values packed side by side
    (variable ix's id in bits off[ix] .. off[ix] + width[ix] - 1).

    Equal values of one variable are stored once (vals[var][id]), so states share them and a state costs
    one small int (a few machine words, hashed at the cost of one). A successor is its parent's int with
    the ids of the components the transition rebuilt put in (only those are hashed, to find their ids);
    the generated code works on the packed ints with masks and shifts (see bfs_code.py).
    """

    def __init__(self, nvars: int, raw: bool = False, types: Iterable[Type] | None = None) -> None:
        self.raw = raw  # raw: states are stored as value tuples (their rebuilt components interned)
        self.vals: list[list[Any]] = [[] for _ in range(nvars)]
        self.ids: list[dict[Any, int]] = [{} for _ in range(nvars)]
        self.width = [id_bits(t) for t in types] if types is not None else [ID_BITS] * nvars
        self.off = [sum(self.width[:ix]) for ix in range(nvars)]
        self.mask = [(1 << w) - 1 for w in self.width]

    def new(self, ix: int, v: Any) -> int:
        d = self.ids[ix]
        i = d.get(v)
        if i is None:
            lst = self.vals[ix]
            i = len(lst)
            if i > self.mask[ix]:  # value_count promised fewer values: a bug, not a limit of the model
                raise RuntimeError(f"explicit: internal error: more than {i} values of variable {ix}")
            lst.append(v)
            d[v] = i
        return i

    def bits(self, ixs: Iterable[int]) -> int:
        """The mask of the bits of the variables ixs in a packed state."""
        m = 0
        for ix in ixs:
            m |= self.mask[ix] << self.off[ix]
        return m

    def encode(self, state: State) -> State:
        if self.raw:
            return state
        new, off = self.new, self.off
        key = 0
        for ix, v in enumerate(state):
            key |= new(ix, v) << off[ix]
        return key

    def decode(self, key: State) -> State:
        if self.raw:
            return key
        return tuple([self.vals[ix][key >> self.off[ix] & m] for ix, m in enumerate(self.mask)])


def rss_bytes() -> int:
    """The resident set size of this process now, in bytes: /proc/self/statm where there is one, else
    the peak so far (getrusage; on Linux a child inherits its parent's peak across fork and exec, so the
    current size is the one to measure growth with)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def bytes_per_state(before: int, states: int) -> int | None:
    """What a search took per stored state: the growth of the resident set since `before` (every table
    of the search: states, parent links, `seen`, component tables, memo tables; the search frees none of
    them) over the states stored. None before any state is stored or when nothing measurable grew."""
    return round(max(0, rss_bytes() - before) / states) if states else None

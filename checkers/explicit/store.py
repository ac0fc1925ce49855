"""How the explicit-state search stores states."""
from __future__ import annotations

from typing import Any

State = tuple[Any, ...]  # noqa: UP040 - a state's values, or the ids of its components


class Store:
    """Component tables: a stored state is the tuple of the ids of its variables' values.

    Equal values of one variable are stored once (vals[var][id]), so states share them, a state costs
    one small tuple of ints, and hashing a successor hashes only the components a transition rebuilt.
    """

    def __init__(self, nvars: int, raw: bool = False) -> None:
        self.raw = raw  # raw: states are stored as value tuples (their rebuilt components interned)
        self.vals: list[list[Any]] = [[] for _ in range(nvars)]
        self.ids: list[dict[Any, int]] = [{} for _ in range(nvars)]

    def new(self, ix: int, v: Any) -> int:
        d = self.ids[ix]
        i = d.get(v)
        if i is None:
            lst = self.vals[ix]
            i = len(lst)
            lst.append(v)
            d[v] = i
        return i

    def encode(self, state: State) -> State:
        if self.raw:
            return state
        new = self.new
        return tuple([new(ix, v) for ix, v in enumerate(state)])

    def decode(self, ids: State) -> State:
        if self.raw:
            return ids
        return tuple([self.vals[ix][i] for ix, i in enumerate(ids)])


"""The transition relation and properties compiled once (model_code.py), behind the interface
that xenmodel.simulate walks: `successors(state)` and `failing(state)`.

It gives the reference semantics' transitions in the reference order, except that the list stops at
the first model error (so a random walk may pick a different erroring alternative than the reference
would; an error ends the walk either way). Every trace is still replayed through the reference.
"""
from __future__ import annotations

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError

from .model_code import ModelCode
from .runtime import Unsupported
from .store import State


class CompiledSemantics:
    def __init__(self, model: ir.Model) -> None:
        code = ModelCode(model)
        self._succ, _ = code.build_list()
        self._check = code.build_props()
        self._names = [a.name for a in model.actions]
        self._props = list(model.properties)

    def successors(self, state: State) -> list[S.Step | S.StepError]:
        out: list[S.Step | S.StepError] = []
        for item in self._succ(state):
            if item[0] == "error":
                _, aid, args, picks, err = item
                out.append(S.StepError(self._names[aid], tuple(args), tuple(picks), err, state))
            else:
                aid, args, picks, nxt = item
                out.append(S.Step(self._names[aid], tuple(args), tuple(picks), nxt))
        return out

    def failing(self, state: State) -> tuple[ir.Property, ModelError | None] | None:
        hit = self._check(state)
        if hit is None:
            return None
        index, err = hit
        return self._props[index], err


def compiled_or_none(model: ir.Model) -> CompiledSemantics | None:
    """The compiled semantics, or None where the compiler does not support the model (or compiling it
    runs out of memory): the walk then uses the reference semantics, which needs no compilation."""
    try:
        return CompiledSemantics(model)
    except (Unsupported, MemoryError):
        return None

"""The compiled BFS step's contract (model_code.ModelCode.build_bfs's `_expand`) through the reference
semantics: the fallback of search.py and partition.py when the compiler cannot take a model."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.model_errors import ModelError

from .store import State, Store


def first_failing(model: ir.Model, state: State) -> tuple[int, ModelError | None] | None:
    """check_all through the reference semantics: (property index, error) of the first failing one."""
    for pix, p in enumerate(model.properties):
        try:
            if not S.eval_expr(p.expr, state, {}):
                return pix, None
        except S.ModelError as err:
            return pix, err
    return None


def reference_expand(model: ir.Model, store: Store, canon: Callable[[State], State] | None, deadlock: bool,
                     max_states: int | None, states: list[State], lo: int, hi: int, seen: Any, parent: Any,
                     gen: list[int], dist: list[int]) -> tuple[str, Any, Any, Any]:
    """Expand states[lo:hi] as `_expand` does, counting transitions (gen) and new states (dist) per action
    into the lists given, so a caller interrupted midway still has the counts so far."""
    aid_of = {a.name: i for i, a in enumerate(model.actions)}
    for i in range(lo, hi):
        enabled = False
        for o in S.successors(model, store.decode(states[i])):
            aid = aid_of[o.action]
            if isinstance(o, S.StepError):
                return "error", (i, aid, o.args, o.picks, o.error), gen, dist
            gen[aid] += 1
            enabled = True
            nxt = o.state if canon is None else canon(o.state)
            key = store.encode(nxt)
            if key in seen:
                continue
            seen.add(key)
            states.append(key)
            parent.append(i)
            dist[aid] += 1
            failed = first_failing(model, nxt)
            if failed is not None:
                return "inv", (len(states) - 1, failed[0], failed[1]), gen, dist
            if max_states is not None and len(states) >= max_states:
                return "limit", i, gen, dist
        if deadlock and not enabled:
            return "deadlock", i, gen, dist
    return "done", hi, gen, dist

"""The per-state work of the Hypothesis machine, shared by its runs and test cases, and the draws.

`Core` holds the model, the options, the memo of each state's outcomes (`Entry`) and the run's
counters. A rule draws one integer k (`CHOICE`) and `pick`s an enabled outcome with it.

A state's outcomes come from the compiled transition relation (checkers.explicit.compiled_semantics:
the reference semantics' transitions in its order, tens of times faster) where the model compiles and
the state has no erroring outcome; the compiled list stops at the first model error, so such a state,
a model the compiler does not take, and explore="branch" (whose arms need the reference's coverage
hook) get the reference semantics' outcomes. Either way a failing run is replayed through the
reference semantics.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from checkers.explicit.compiled_semantics import compiled_or_none
from xenmodel import ir
from xenmodel import semantics as S
from xenmodel.deadline import Deadline
from xenmodel.explore import Arms

from .hypothesis_shrink import ModelFailure

__all__ = ["Entry", "Core", "CHOICE", "pick", "pick_weighted", "draw_one", "group_by_target", "target_key"]

class Entry:
    """What one state needs: its outcomes per action (grouped by argument tuple) and property status."""
    __slots__ = ("split", "by_action", "flat", "moves", "any_flat", "any_sizes", "passed", "checked", "extra")

    def __init__(self) -> None:
        # the compiled successors by action and argument tuple (REFERENCE: the state needs the reference's)
        self.split: dict[str, dict[tuple[Any, ...], list[Any]]] | None = None
        self.by_action: dict[str, list[tuple[tuple[Any, ...], list[Any]]]] = {}
        self.flat: dict[str, list[Any]] = {}
        self.moves: dict[str, list[Any]] = {}  # flat without the group that stays in the state (Core.moves)
        self.any_flat: list[Any] | None = None
        self.any_sizes: list[int] | None = None  # with @weights: each any_flat group's weight
        self.passed: set[str] = set()  # properties already checked true in this state
        self.checked = False  # the compiled property checker ran on this state (Core.holds)
        self.extra: dict[Any, Any] = {}  # what a MachineExtension caches for this state (Machine.per_state)


class Core:
    """The model, the options, the memo of per-state work and the counters of one machine class."""

    def __init__(self, model: ir.Model, deadlock: bool, memo: int, arms: Arms | None = None) -> None:
        self.model = model
        self.arms = arms  # explore="branch": each instance's outcomes are computed with its branch arms
        self.deadlock = deadlock
        self.memo_limit = memo
        self.memo: dict[tuple[Any, ...], Entry] = {}
        self.inits = S.initial_states(model)
        self.weights = ir.action_weights(model)
        self.tuples = {a.name: list(S.param_tuples(a)) for a in model.actions}
        self.levels = S.nesting_depth(model)
        with self.headroom():  # the generated code nests as the model does
            self.compiled = compiled_or_none(model) if arms is None else None
        self.reset_stats()

    def headroom(self) -> Any:
        """Hypothesis runs a test with its own recursion limit: the evaluators need the model's."""
        return S.recursion_headroom(self.model, self.levels)

    def reset_stats(self, deadline: Deadline | None = None) -> None:
        self.stats = {"test_cases": 0, "steps": 0, "deadlocked_runs": 0}
        self.seen: set[Any] = set()
        self.max_depth = 0
        self.deadline = deadline or Deadline(None)  # of the current run(); every step looks at it
        self.first_failure: ModelFailure | None = None  # kept in case the run stops while shrinking

    def entry(self, state: tuple[Any, ...]) -> Entry:
        e = self.memo.get(state)
        if e is None:
            e = Entry()
            if self.memo_limit:
                if len(self.memo) >= self.memo_limit:
                    self.memo.clear()
                self.memo[state] = e
        return e

    def grouped(self, e: Entry, state: tuple[Any, ...], action: ir.Action) -> list[tuple[tuple[Any, ...], list[Any]]]:
        """[(args, outcomes)] for every parameter tuple of `action` (outcomes may be empty)."""
        g = e.by_action.get(action.name)
        if g is None:
            split = self._split(e, state)
            if split is not REFERENCE:
                mine = split.get(action.name, {})
                g = [(args, mine.get(args, [])) for args in self.tuples[action.name]]
                e.by_action[action.name] = g
                return g
            with self.headroom():
                if self.arms is not None:
                    arms = self.arms
                    g = [(args, arms.run(action.name, args, state)) for args in self.tuples[action.name]]
                else:
                    g = [(args, S.successors_of(self.model, action, args, state))
                         for args in self.tuples[action.name]]
            e.by_action[action.name] = g
        return g

    def _split(self, e: Entry, state: tuple[Any, ...]) -> dict[str, dict[tuple[Any, ...], list[Any]]]:
        """The state's compiled successors by action, then argument tuple, in the reference's order;
        REFERENCE when there is no compiled relation or the state has an erroring outcome."""
        split = e.split
        if split is None:
            if self.compiled is None:
                split = REFERENCE
            else:
                split = {}
                with self.headroom():
                    outs = self.compiled.successors(state)
                for o in outs:
                    if isinstance(o, S.StepError):
                        split = REFERENCE
                        break
                    split.setdefault(o.action, {}).setdefault(o.args, []).append(o)
            e.split = split
        return split

    def outcomes(self, e: Entry, state: tuple[Any, ...], action: ir.Action) -> list[list[Any]]:
        """The action's enabled outcomes grouped by the state they lead to (errors by code), in
        enumeration order: a run draws a group, then a member, so the many argument tuples that lead
        to one state (a refused call that only sets an error code, say) count as one choice."""
        f = e.flat.get(action.name)
        if f is None:
            split = self._split(e, state)
            if split is not REFERENCE and action.name not in split:
                f = []  # disabled: most actions in most states, and each rule's precondition asks
            else:
                f = group_by_target(o for _, outs in self.grouped(e, state, action) for o in outs)
            e.flat[action.name] = f
        return f

    def moves(self, e: Entry, state: tuple[Any, ...], action: ir.Action) -> list[list[Any]]:
        """The action's outcome groups that do something: all but the one that leaves the state as it
        is (a refused call that records nothing), in outcomes' order. An error is always kept."""
        m = e.moves.get(action.name)
        if m is None:
            m = [g for g in self.outcomes(e, state, action) if not (isinstance(g[0], S.Step) and g[0].state == state)]
            e.moves[action.name] = m
        return m

    def enabled(self, e: Entry, state: tuple[Any, ...]) -> bool:
        """Some action has an enabled outcome (all_outcomes is not empty), answered without grouping
        every action's outcomes where the compiled successors are at hand."""
        split = self._split(e, state)
        return bool(split) if split is not REFERENCE else bool(self.all_outcomes(e, state))

    def holds(self, e: Entry, state: tuple[Any, ...]) -> bool:
        """Every property holds in the state, by the compiled checker (False when it finds a broken one
        or cannot tell: the caller then checks each property with the reference semantics). Once per
        state: a property found broken ends the run."""
        if self.compiled is None:
            return False
        if not e.checked:
            e.checked = True
            with self.headroom():
                if self.compiled.failing(state) is None:
                    e.passed.update(p.name for p in self.model.properties)
        return len(e.passed) == len(self.model.properties)

    def group_weights(self, e: Entry, state: tuple[Any, ...]) -> list[int]:
        """With @weights: the weight of each all_outcomes group, the heaviest of its outcomes' action
        weights. A group is one choice (one target state), as without weights; summing its outcomes
        made the one group of every refused call that changes nothing (a model that records no error
        codes) outweigh all the real steps."""
        if e.any_sizes is None:
            assert self.weights is not None
            weights = self.weights
            e.any_sizes = [max(weights[o.action] for o in g) for g in self.all_outcomes(e, state)]
        return e.any_sizes

    def all_outcomes(self, e: Entry, state: tuple[Any, ...]) -> list[list[Any]]:
        if e.any_flat is None:
            e.any_flat = group_by_target(o for a in self.model.actions for g in self.outcomes(e, state, a)
                                         for o in g)
        return e.any_flat


# Entry.split of a state whose outcomes the reference semantics computes (see the module docstring)
REFERENCE: dict[str, dict[tuple[Any, ...], list[Any]]] = {}


def target_key(o: Any) -> Any:
    return o.state if isinstance(o, S.Step) else ("error", o.action, o.error.code)


def group_by_target(outcomes: Any, key: Callable[[Any], Any] = target_key) -> list[list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for o in outcomes:
        k = key(o)
        g = groups.get(k)
        if g is None:
            groups[k] = [o]
        else:
            g.append(o)
    return list(groups.values())


_INDEX: dict[int, Any] = {}


def _index(n: int) -> Any:
    s = _INDEX.get(n)
    if s is None:
        s = _INDEX[n] = st.sampled_from(range(n))
    return s


def draw_one(data: Any, items: list[Any], label: str) -> Any:
    """One item of a non-empty list: an index drawn with sampled_from (no draw for a single item)."""
    if len(items) == 1:
        return items[0]
    return items[data.draw(_index(len(items)), label=label)]


# Rules draw one integer k and index the enabled list with it (k mod the list's length): a uniform pick
# from exactly the enabled choices, with one cheap draw per step. (st.sampled_from(range(n)) through
# st.data() costs about 25% more per step and Hypothesis biases it toward the first items, which made
# random runs of S1 block much more often.) Shrinking moves k toward 0, the first choice in the
# documented enumeration order.
CHOICE = st.integers(0, 2**32 - 1)


def pick(k: int, groups: list[list[Any]]) -> Any:
    g = groups[k % len(groups)]
    return g[(k // len(groups)) % len(g)]


def pick_weighted(k: int, groups: list[list[Any]], sizes: list[int]) -> Any:
    """Like pick, with group i counting sizes[i] times (Core.group_weights)."""
    r = k % sum(sizes)
    for g, size in zip(groups, sizes, strict=False):
        if r < size:
            return g[(k // len(groups)) % len(g)]
        r -= size
    raise AssertionError("unreachable: r < sum(sizes)")

"""The Hypothesis machine's guided draws (explore="guided" or "branch"; xenmodel.explore): one
`CaseGuide` per test case, which the machine (checkers.hypothesis_machine) asks at init, at every
`any_action` draw, before an action's own rule, after every step and at teardown.

- init draws the test case's swarm subset of actions (one bit each; all zero, as shrunk, keeps every
  action);
- a draw picks among the kept actions while one is enabled: half the draws (k's low bit) uniformly
  among their outcomes, half with each action counted GUIDE_SCALE / (1 + times this test case took it)
  and, within it, each outcome group counted NOVEL times when it leads to a state this test case has
  not visited. "branch" also counts each action 1 + BRANCH_BONUS x (its arms this test case has not
  taken) and each group 1 + BRANCH_BONUS x (the arms of its first outcome's instance not taken yet);
- the rule of an action left out of the subset defers to that draw;
- teardown reports `hypothesis.target()` scores that Hypothesis's target phase climbs: distinct
  actions taken and distinct states visited, and with "branch" the branch arms taken.

Everything depends on the test case's own draws (the counts are the test case's, never the run's), so
Hypothesis replays a test case exactly. The arms come from Core's instances, computed with the coverage
hook (xenmodel.explore.Arms), so "branch" costs no second evaluation.
"""
from __future__ import annotations

from typing import Any

import hypothesis
from hypothesis import strategies as st

from xenmodel import explore as X
from xenmodel import ir
from xenmodel import semantics as S

from .hypothesis_core import Core, Entry, pick, pick_weighted


class CaseGuide:
    """One test case's guided counts: kept actions, times taken, states visited, arms taken."""

    def __init__(self, core: Core, model: ir.Model) -> None:
        self.core = core
        self.actions = model.actions
        self.names = [a.name for a in model.actions]
        self.kept = frozenset(self.names)
        self.taken = dict.fromkeys(self.names, 0)
        self.visited: set[Any] = set()
        self.covered: set[X.Arm] = set()

    def draw_subset(self, data: Any) -> None:
        mask = data.draw(st.integers(0, 2**len(self.names) - 1), label="swarm")
        self.kept = frozenset(n for i, n in enumerate(self.names) if mask >> i & 1) or frozenset(self.names)

    def entered(self, action: str, args: tuple[Any, ...], before: Any, after: Any) -> None:
        """A step of `action` (or "init") from state `before` (None at init) to `after`."""
        self.visited.add(after)
        if action in self.taken:
            self.taken[action] += 1
            if self.core.arms is not None:
                self.covered |= self.core.arms.of(action, args, before)

    def choose(self, k: int, e: Entry, state: Any) -> Any:
        """The outcome draw k picks (the module docstring)."""
        core = self.core
        enabled = [a for a in self.actions if core.outcomes(e, state, a)]
        acts = [a for a in enabled if a.name in self.kept] or enabled
        k, plain = k >> 1, k & 1
        if plain:  # half the draws: uniform among the kept actions' outcomes, as the plain machine draws
            return pick(k, [g for a in acts for g in core.outcomes(e, state, a)])
        # integer weights, so the draw is k's residue: Hypothesis replays it exactly
        weights = [X.GUIDE_SCALE * self._bonus(core.arms.static[a.name] if core.arms is not None else None)
                   // (1 + self.taken[a.name]) or 1 for a in acts]
        a = acts[pick_weighted(k, [[i] for i in range(len(acts))], weights)]
        groups = core.outcomes(e, state, a)
        scores = [(X.NOVEL if isinstance(g[0], S.StepError) or g[0].state not in self.visited else 1)
                  * self._bonus(core.arms.of(a.name, g[0].args, state) if core.arms is not None else None)
                  for g in groups]
        return pick_weighted(k // sum(weights), groups, scores)

    def _bonus(self, arms: frozenset[X.Arm] | None) -> int:
        return 1 if arms is None else 1 + X.BRANCH_BONUS * len(arms - self.covered)

    def deferred(self, action: ir.Action, e: Entry, state: Any) -> bool:
        """The action is left out of this test case's subset and a kept action is enabled."""
        return action.name not in self.kept and any(self.core.outcomes(e, state, a) for a in self.actions
                                                   if a.name in self.kept)

    def report(self) -> None:
        """The test case's scores for Hypothesis's target phase."""
        hypothesis.target(float(sum(1 for n in self.taken.values() if n)), label="distinct actions")
        hypothesis.target(float(len(self.visited)), label="distinct states")
        if self.core.arms is not None:
            hypothesis.target(float(len(self.covered)), label="branch arms")

"""How the random engines choose what to do next when not told by @weight: the guided strategy.

`simulate --explore guided` and `test --explore guided` use it to find bugs that no @weight was tuned
for (docs/testing.md has the measurement):

- swarm over action subsets: every other run (the odd ones in simulate; every Hypothesis test case
  draws its own) keeps each action with probability 1/2 and takes only the kept actions' transitions
  while one is enabled. Leaving actions out reaches states a walk over all of them rarely visits (a
  long pause with no unpause, a queue filled with no tick draining it); the runs over every action
  keep what a plain walk finds (swarm testing's rule: the default configuration stays in the swarm);
- novelty: half of the steps (a coin per step) choose among the kept actions with weight 1/(1 + the
  times each was taken so far), so rarely enabled actions get their turn, and within the action an
  outcome leading to a state not seen yet counts NOVEL times as much as one into a seen state; the
  other half pick uniformly among the kept actions' outcomes, as a plain walk does. (Measured on
  spec/bugs: novelty on every step starves the frequent actions a bug needs many of.)
- the default walk length grows with the instance (`default_steps`): more argument tuples, more to do
  before a bug shows.

Everything is a function of the random generator given, and of the counts, which are updated in the
order the steps are taken: the same seed gives the same walks. `unweighted(model)` is the model with
every @weight set to the default (the engines' --ignore-weights).
"""
from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from typing import Any

from . import ir
from . import semantics as S

UNIFORM, GUIDED = "uniform", "guided"
STRATEGIES = (UNIFORM, GUIDED)
NOVEL = 4  # how much more an outcome into an unseen state counts than one into a seen state
GUIDE_SCALE = 720  # integer weights GUIDE_SCALE // (1 + times taken), where a draw must be an integer residue
SEEN_LIMIT = 1 << 18  # states remembered for novelty; the set starts afresh when full (bounds the memory)
MIN_STEPS, MAX_STEPS, STEPS_PER_INSTANCE = 100, 1000, 1  # simulate
# Hypothesis test cases: measured on spec/bugs, longer ones (up to 200) found fewer bugs in a fixed time
MIN_CASE_STEPS, MAX_CASE_STEPS, INSTANCES_PER_CASE_STEP = 50, 100, 2


def check_strategy(strategy: str) -> None:
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy must be one of {STRATEGIES}, not {strategy!r}")


def unweighted(model: ir.Model) -> ir.Model:
    """The model with every action's @weight the default: random runs then pick as if none were written."""
    if ir.action_weights(model) is None:
        return model
    return dataclasses.replace(model, actions=tuple(dataclasses.replace(a, weight=ir.DEFAULT_WEIGHT)
                                                    for a in model.actions))


def action_instances(model: ir.Model) -> int:
    """The number of (action, argument tuple) pairs: how much a walk can do, the size of the instance."""
    return sum(sum(1 for _ in S.param_tuples(a)) for a in model.actions)


def default_steps(model: ir.Model) -> int:
    """Steps per guided walk: STEPS_PER_INSTANCE per action instance, between MIN_STEPS and MAX_STEPS."""
    return max(MIN_STEPS, min(MAX_STEPS, STEPS_PER_INSTANCE * action_instances(model)))


def default_case_steps(model: ir.Model) -> int:
    """Steps per guided Hypothesis test case: one per two action instances, between MIN_ and MAX_CASE_STEPS."""
    return max(MIN_CASE_STEPS, min(MAX_CASE_STEPS, action_instances(model) // INSTANCES_PER_CASE_STEP))


def swarm_subset(rng: random.Random, names: Sequence[str]) -> frozenset[str]:
    """Each action kept with probability 1/2 (one draw per action, in declaration order)."""
    return frozenset(n for n in names if rng.random() < 0.5)


class Guide:
    """The counts a guided engine keeps across its runs: times each action was taken, states seen."""

    def __init__(self, model: ir.Model) -> None:
        self.names = [a.name for a in model.actions]
        self.taken = dict.fromkeys(self.names, 0)
        self.seen: set[Any] = set()

    def start(self, rng: random.Random, run: int) -> frozenset[str]:
        """Run number `run` starts: its kept actions (every action in the even runs)."""
        return swarm_subset(rng, self.names) if run % 2 else frozenset(self.names)

    def choose(self, rng: random.Random, outs: Sequence[Any], kept: frozenset[str]) -> int:
        """The index of the outcome to take among `outs` (steps or errors, each with .action), counted."""
        cands = [i for i, o in enumerate(outs) if o.action in kept] or range(len(outs))
        if rng.random() < 0.5:  # the plain walk's step, within the kept actions
            k = cands[rng.randrange(len(cands))]
            self.taken[outs[k].action] += 1
            self.saw(outs[k])
            return k
        by_action: dict[str, list[int]] = {}
        for i in cands:
            by_action.setdefault(outs[i].action, []).append(i)
        acts = list(by_action)
        a = acts[0] if len(acts) == 1 else rng.choices(acts, [1.0 / (1 + self.taken[x]) for x in acts])[0]
        members = by_action[a]
        k = members[0] if len(members) == 1 else rng.choices(members, [self.novelty(outs[i]) for i in members])[0]
        self.taken[a] += 1
        self.saw(outs[k])
        return k

    def novelty(self, o: Any) -> int:
        """NOVEL for an outcome into an unseen state (or an error: a violation), else 1."""
        return NOVEL if isinstance(o, S.StepError) or o.state not in self.seen else 1

    def saw(self, o: Any) -> None:
        if isinstance(o, S.Step):
            if len(self.seen) >= SEEN_LIMIT:
                self.seen.clear()
            self.seen.add(o.state)

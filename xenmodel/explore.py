"""How the random engines choose what to do next when not told by @weight: the guided strategies.

`simulate --explore guided|branch` and `test --explore guided|branch` use them to find bugs that no
@weight was tuned for (docs/testing.md has the measurement):

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
  before a bug shows;
- branch (`--explore branch`): the guided walk, with branch coverage (xenmodel/coverage.py: each
  `require` held, each `if` arm, each `assert` checked, each `choose` picked, each result recorded)
  in its choice. `Arms` runs one action instance through the reference semantics with the coverage
  hook and keeps the arms its enabled paths take (a failed `require` ends a path, so it is never a
  step's arm). On a guided step an action counts 1 + BRANCH_BONUS x (its arms not taken yet) over
  (1 + times taken), and within the action a transition counts 1 + BRANCH_BONUS x (the arms of its
  argument tuple not taken yet), times the state novelty. Every step taken marks its instance's arms.
  A branch walk also keeps a corpus (as a fuzzer keeps the inputs that reached new coverage): the
  choices that led to each step that took an arm first. A quarter (RESUME) of the runs after the first start by
  taking again the choices of a corpus entry drawn uniformly, and walk on from there: a bug behind
  several arms in a row (a combination lock, a state several rare steps deep) is then reached arm by
  arm rather than all in one lucky run. The Hypothesis machine keeps no corpus (its target phase
  climbs the branch arms per test case instead; checkers/hypothesis_guided.py).
  The compiled semantics has no hook: the arms cost one reference run of the instance taken per step,
  and of the chosen action's enabled instances per guided step (remembered per state, as walks come
  back to states); uniform and guided never pay it.

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
from .coverage import Coverage

UNIFORM, GUIDED, BRANCH = "uniform", "guided", "branch"
STRATEGIES = (UNIFORM, GUIDED, BRANCH)
BRANCH_BONUS = 4  # how much each arm not taken yet adds to a choice's weight of 1
CORPUS_DEPTH = 4  # a corpus entry is at most this many walk lengths long (resumed runs grow them)
RESUME = 0.25  # the share of branch runs resumed from the corpus (measured on spec/bugs: at 1/2 too few
# fresh runs are left for the bugs a few steps from an initial state)
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


def make_guide(model: ir.Model, strategy: str) -> Guide | None:
    """The counts a walk of this strategy keeps (None for uniform: the plain walk keeps none)."""
    check_strategy(strategy)
    return None if strategy == UNIFORM else BranchGuide(model) if strategy == BRANCH else Guide(model)


class Guide:
    """The counts a guided engine keeps across its runs: times each action was taken, states seen."""

    def __init__(self, model: ir.Model) -> None:
        self.names = [a.name for a in model.actions]
        self.taken = dict.fromkeys(self.names, 0)
        self.seen: set[Any] = set()

    def start(self, rng: random.Random, run: int) -> frozenset[str]:
        """Run number `run` starts: its kept actions (every action in the even runs)."""
        return swarm_subset(rng, self.names) if run % 2 else frozenset(self.names)

    def resume(self, rng: random.Random) -> list[int]:
        """The choices a run starts by taking again (none here: see BranchGuide)."""
        return []

    def summary(self) -> dict[str, int]:
        """Figures for the result's statistics (none here: see BranchGuide)."""
        return {}

    def new_arm(self) -> bool:
        """Whether the step just counted took an arm no step had taken (never here: see BranchGuide)."""
        return False

    def keep(self, choices: list[int]) -> None:
        """The choices that led to a step that took a new arm (kept by BranchGuide only)."""

    def choose(self, rng: random.Random, outs: Sequence[Any], kept: frozenset[str], state: Any) -> int:
        """The index of the outcome to take among `outs` (steps or errors, each with .action) out of
        `state`, counted."""
        cands = [i for i, o in enumerate(outs) if o.action in kept] or range(len(outs))
        if rng.random() < 0.5:  # the plain walk's step, within the kept actions
            k = cands[rng.randrange(len(cands))]
            self.took(outs[k], state)
            return k
        by_action: dict[str, list[int]] = {}
        for i in cands:
            by_action.setdefault(outs[i].action, []).append(i)
        acts = list(by_action)
        a = acts[0] if len(acts) == 1 else rng.choices(acts, [self.action_weight(x) for x in acts])[0]
        members = by_action[a]
        k = members[0] if len(members) == 1 else rng.choices(
            members, [self.novelty(outs[i]) * self.branch_weight(outs[i], state) for i in members])[0]
        self.took(outs[k], state)
        return k

    def action_weight(self, action: str) -> float:
        return 1.0 / (1 + self.taken[action])

    def branch_weight(self, o: Any, state: Any) -> int:
        """What the arms of the outcome's instance add (nothing here: see BranchGuide)."""
        return 1

    def novelty(self, o: Any) -> int:
        """NOVEL for an outcome into an unseen state (or an error: a violation), else 1."""
        return NOVEL if isinstance(o, S.StepError) or o.state not in self.seen else 1

    def took(self, o: Any, state: Any) -> None:
        """The walk takes outcome `o` out of `state`: count it."""
        self.taken[o.action] += 1
        if isinstance(o, S.Step):
            if len(self.seen) >= SEEN_LIMIT:
                self.seen.clear()
            self.seen.add(o.state)


Arm = tuple[int, str]  # (index of the branch point in Coverage.points, arm)


class Arms:
    """The branch arms an action instance's enabled paths take in a state: the instance run through the
    reference semantics with the coverage hook. A failed `require` is not an arm a step can take."""

    def __init__(self, model: ir.Model) -> None:
        self.model = model
        self.cov = Coverage(model)
        self.index = {id(p): i for i, p in enumerate(self.cov.points)}
        self.actions = {a.name: a for a in model.actions}
        self._memo: dict[tuple[str, tuple[Any, ...], Any], frozenset[Arm]] = {}  # walks come back to states
        # every arm an action's steps can take, as far as the IR tells (result values only seen at run
        # time are not in it)
        self.static = {a.name: frozenset((self.index[id(p)], arm) for p in self.cov.points_of(a.name)
                                         for arm in p.arms if not (p.kind == "require" and arm == "failed"))
                       for a in model.actions}

    def of(self, action: str, args: tuple[Any, ...], state: Any) -> frozenset[Arm]:
        got = self._memo.get((action, args, state))
        if got is None:
            self.run(action, args, state)
            got = self._memo[(action, args, state)]
        return got

    def run(self, action: str, args: tuple[Any, ...], state: Any) -> list[S.Step | S.StepError]:
        """The instance's outcomes (semantics.successors_of), its arms remembered for `of` on the way."""
        self.cov.events = []
        outs = S.successors_of(self.model, self.actions[action], args, state, self.cov)
        if len(self._memo) >= SEEN_LIMIT:
            self._memo.clear()
        self._memo[(action, args, state)] = frozenset((self.index[id(p)], arm) for p, arm in self.cov.events
                                                      if not (p.kind == "require" and arm == "failed"))
        return outs


class BranchGuide(Guide):
    """Guide, also preferring actions and argument tuples whose branch arms no step has taken yet."""

    def __init__(self, model: ir.Model) -> None:
        super().__init__(model)
        self.arm_sets = Arms(model)
        self.covered: set[Arm] = set()
        self._new = False
        self.corpus: list[tuple[int, ...]] = []

    def resume(self, rng: random.Random) -> list[int]:
        if not self.corpus or rng.random() >= RESUME:
            return []
        return list(self.corpus[rng.randrange(len(self.corpus))])

    def new_arm(self) -> bool:
        return self._new

    def summary(self) -> dict[str, int]:
        """The arms the walks took of those the IR names (a result value seen only at run time counts
        as taken, so taken may exceed named), and the corpus's size."""
        named = set().union(*self.arm_sets.static.values()) if self.arm_sets.static else set()
        return {"branch_arms_taken": len(self.covered), "branch_arms": len(named), "corpus": len(self.corpus)}

    def keep(self, choices: list[int]) -> None:
        self.corpus.append(tuple(choices))

    def _arms(self, o: Any, state: Any) -> frozenset[Arm]:
        return self.arm_sets.of(o.action, o.args, state)

    def action_weight(self, action: str) -> float:
        untaken = len(self.arm_sets.static[action] - self.covered)
        return (1 + BRANCH_BONUS * untaken) / (1 + self.taken[action])

    def branch_weight(self, o: Any, state: Any) -> int:
        return 1 + BRANCH_BONUS * len(self._arms(o, state) - self.covered)

    def took(self, o: Any, state: Any) -> None:
        super().took(o, state)
        arms = self._arms(o, state)
        self._new = not arms <= self.covered
        self.covered |= arms

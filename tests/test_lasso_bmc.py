"""BMC's lasso search for temporal properties (checkers/smt/lasso.py, `check --engine bmc`).

- Fixtures: one per shape and per fairness kind, each with the exact lasso length BMC must find (the
  shortest: depths are tried in order), a fairness-dependent model that holds with fairness and fails
  without it, a deadlock stutter, a parameterised property naming its instance, a predicate that raises.
- Differential, on generated small models: at every depth, BMC finds a lasso exactly when a brute-force
  enumeration of every lasso of that many states over the reference semantics (judged by
  `liveness.violates` and `liveness.fairness_problem`) finds one; and against the explicit engine:
  a lasso it reports is found by BMC at that length, and a property it proves has no BMC lasso.
Every lasso BMC returns has been replayed and judged by `trace.replay` inside the engine; the tests
replay it again.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from checkers.smt import bmc
from xenmodel import liveness
from xenmodel import semantics as S
from xenmodel.result import Status, ViolationKind
from xenmodel.trace import replay

from helpers import model_from_text


def run_bmc(model: Any, depth: int) -> Any:
    return bmc.check(model, {"depth": depth, "deadlock": False})


def lasso_states(r: Any) -> int:
    """The number of states of the result's lasso (prefix and cycle)."""
    assert r.status == Status.VIOLATED and r.trace is not None and r.trace.loop is not None
    return len(r.trace.steps)


COUNTER = """
model counter
var x: int[0..3]
var y: bool
{fair}action inc() {{ require x < 3
  x := x + 1 }}
action reset() {{ require x == 3
  x := 0 }}
action flip() {{ y := !y }}
temporal reaches3: eventually x == 3
"""


def test_holds_with_weak_fairness_and_fails_without():
    fair = model_from_text(COUNTER.format(fair="fair weak "))
    r = run_bmc(fair, 8)
    assert r.status == Status.BOUNDED and r.bound == 8
    assert r.messages == ("temporal properties (1 instances): no lasso of at most 9 states violates one under "
                          "fairness",)
    unfair = model_from_text(COUNTER.format(fair=""))
    r = run_bmc(unfair, 8)
    # flip forever from the initial state: two states, y false and true
    assert lasso_states(r) == 2 and r.trace.loop == 0
    assert r.trace.violation.kind == ViolationKind.TEMPORAL and r.trace.violation.name == "reaches3"
    assert r.trace.closing is not None and r.trace.closing.action == "flip"
    replay(unfair, r.trace)


SHAPES = """
model shapes
var x: int[0..2]
fair weak action up() {{ require x < 2
  x := x + 1 }}
action down() {{ require x > 0
  x := x - 1 }}
temporal t: {formula}
"""


# up is weakly fair, down is not: x starts at 0. Every expected lasso is the shortest one.
@pytest.mark.parametrize(("formula", "states", "loop"), [
    ("eventually x == 2", 2, 0),  # up, down, up, down, ...: up is taken, so the cycle 0 <-> 1 is fair
    ("always x < 2", 3, 1),  # up, up to 2; then only down: back to 1, the cycle 1 <-> 2
    ("always eventually x == 0", 3, 1),  # the cycle 1 <-> 2 never visits 0
    ("eventually always x == 1", 2, 0),  # the cycle 0 <-> 1 has x == 0 in it
    ("x == 1 ~> x == 0", 3, 1),  # x == 1, then the cycle 1 <-> 2
    ("x == 2 ~> x == 1", None, None),  # at 2 the only step is down (a state with a step never stutters)
])
def test_each_shape_gives_its_shortest_lasso(formula, states, loop):
    model = model_from_text(SHAPES.format(formula=formula))
    r = run_bmc(model, 6)
    if states is None:
        assert r.status == Status.BOUNDED
        return
    assert lasso_states(r) == states and r.trace.loop == loop
    replay(model, r.trace)


STRONG = """
model strong
var x: int[0..1]
var done: bool
action toggle() { x := 1 - x }
{fair} action finish() { require x == 1 && !done
  done := true }
temporal finishes: eventually done
"""


@pytest.mark.parametrize(("fair", "violated"), [("", True), ("fair weak", True), ("fair strong", False)])
def test_strong_fairness_is_stronger_than_weak(fair, violated):
    # finish is enabled every other state while toggle runs forever: only strong fairness forces it
    model = model_from_text(STRONG.replace("{fair}", fair))
    r = run_bmc(model, 6)
    if violated:
        assert lasso_states(r) == 2 and r.trace.loop == 0
        assert [s.action for s in r.trace.steps[1:]] + [r.trace.closing.action] == ["toggle", "toggle"]
    else:
        assert r.status == Status.BOUNDED


def test_a_deadlock_stutters_forever():
    model = model_from_text("""
model stuck
var x: int[0..2]
fair weak action step() { require x < 1
  x := x + 1 }
temporal reaches2: eventually x == 2
""")
    r = run_bmc(model, 4)
    assert lasso_states(r) == 2 and r.trace.loop == 1 and r.trace.closing is None
    replay(model, r.trace)


def test_a_parameterised_property_names_its_instance():
    model = model_from_text("""
model param
var x: int[0..2]
fair weak action set(i: int[0..2]) { require i != 2
  x := i }
temporal reaches: forall i: int[0..2] :: eventually x == i
""")
    r = run_bmc(model, 4)
    assert r.trace.violation.instance == (2,)
    assert "reaches(i=2)" in r.trace.violation.message
    replay(model, r.trace)


def test_a_raising_predicate_makes_the_run_unknown():
    model = model_from_text("""
model raising
var x: int[0..2]
var o: int[0..1]?
fair weak action up() { require x < 2
  x := x + 1 }
action clear() { o := none }
action put() { o := 1 }
temporal t: eventually get(o) == 1
""")
    r = run_bmc(model, 3)
    assert r.status == Status.UNKNOWN
    assert r.reason.startswith("temporal properties not checked: evaluating t raises XM5")


def test_safety_is_checked_first():
    model = model_from_text(COUNTER.format(fair="") + "invariant small: x < 2\n")
    r = run_bmc(model, 6)
    assert r.trace.violation.kind == ViolationKind.INVARIANT and r.trace.loop is None


# ------------------------------------------------------------------ differential on generated models
def gen_model(rng: random.Random) -> str:
    """A tiny model: two variables, three or four actions (some fair, weak or strong; some with a
    parameter), and one or two temporal properties of random shapes over simple atoms."""
    n = rng.randint(1, 3)
    atoms = [f"x == {rng.randint(0, n)}", f"x != {rng.randint(0, n)}", "y", "!y", f"x < {rng.randint(1, n)}"]

    def pred() -> str:
        a = rng.choice(atoms)
        return a if rng.random() < 0.6 else f"{a} {rng.choice(['&&', '||'])} {rng.choice(atoms)}"

    updates = [f"x := (x + 1) % {n + 1}", "x := 0", f"x := {n}", "y := !y", "y := true", "y := false"]
    lines = ["model gen", f"var x: int[0..{n}]", "var y: bool"]
    for i in range(rng.randint(2, 4)):
        fair = rng.choice(["", "", "fair weak ", "fair strong "])
        param = rng.random() < 0.3
        head = f"{fair}action a{i}({'p: int[0..1]' if param else ''})"
        guard = pred() if rng.random() < 0.7 else "true"
        if param:
            guard = f"({guard}) && (p == 0 || y)"
        body = "\n  ".join(rng.sample(updates, rng.randint(1, 2)))
        lines.append(f"{head} {{ require {guard}\n  {body} }}")
    for j in range(rng.randint(1, 2)):
        shape = rng.choice(["eventually {p}", "always {p}", "always eventually {p}", "eventually always {p}",
                            "{p} ~> {q}"])
        lines.append(f"temporal t{j}: " + shape.format(p=pred(), q=pred()))
    return "\n".join(lines) + "\n"


def brute_force_min_lasso(model: Any, max_states: int) -> int | None:
    """The fewest states of a lasso (from an initial state, any states, repeats allowed) that violates
    some temporal property instance under fairness, up to max_states; None if there is none."""
    succ_cache: dict[Any, list[S.Step]] = {}

    def succ(s: Any) -> list[S.Step]:
        if s not in succ_cache:
            succ_cache[s] = [o for o in S.successors(model, s) if isinstance(o, S.Step)]
        return succ_cache[s]

    goals = [(t, a) for t in model.temporals for a in liveness.instances(t)]

    def bad(states: list[Any], loop: int, taken: set[tuple[str, tuple[Any, ...]]]) -> bool:
        if liveness.fairness_problem(model, states[loop:], taken) is not None:
            return False
        return any(liveness.violates(t, a, states, loop) for t, a in goals)

    def closes(path: list[Any], acts: list[tuple[str, tuple[Any, ...]]]) -> bool:
        last = path[-1]
        outs = succ(last)
        if not outs:
            return bad(path, len(path) - 1, set())
        for o in outs:
            for loop, s in enumerate(path):
                if s == o.state and bad(path, loop, set(acts[loop:]) | {(o.action, tuple(o.args))}):
                    return True
        return False

    inits = [o.state for o in S.initial_states(model) if isinstance(o, S.Step)]
    for size in range(1, max_states + 1):
        stack = [([s], []) for s in inits]
        while stack:
            path, acts = stack.pop()
            if len(path) == size:
                if closes(path, acts):
                    return size
                continue
            for o in succ(path[-1]):
                stack.append(([*path, o.state], [*acts, (o.action, tuple(o.args))]))
    return None


SEEDS = list(range(40))


@pytest.mark.parametrize("seed", SEEDS)
def test_bmc_lasso_agrees_with_brute_force(seed):
    text = gen_model(random.Random(seed))
    model = model_from_text(text)
    depth = 5
    expected = brute_force_min_lasso(model, depth + 1)
    r = run_bmc(model, depth)
    if r.trace is not None and r.trace.violation.kind != ViolationKind.TEMPORAL:
        pytest.skip("a safety violation comes first")  # generated models have no invariants: never
    if expected is None:
        assert r.status == Status.BOUNDED, text
    else:
        assert lasso_states(r) == expected, text
        replay(model, r.trace)


# ------------------------------------------------------------------ against the explicit engine
def explicit_then_bmc(model: Any, holds_depth: int) -> tuple[Any, Any]:
    """The explicit engine's verdict, and BMC's at the explicit lasso's length (or `holds_depth`)."""
    from checkers import explicit
    e = explicit.check(model, {"deadlock": False})
    depth = len(e.trace.steps) - 1 if e.status == Status.VIOLATED else holds_depth
    return e, run_bmc(model, depth)


def assert_agree(e: Any, b: Any, what: str) -> None:
    if e.status == Status.HOLDS:
        assert b.status == Status.BOUNDED, what
    else:
        assert e.status == Status.VIOLATED and e.trace.violation.kind == ViolationKind.TEMPORAL, what
        # BMC finds a lasso no longer than the explicit one (its lasso has the fewest states)
        assert b.status == Status.VIOLATED and b.trace.violation.kind == ViolationKind.TEMPORAL, what
        assert lasso_states(b) <= len(e.trace.steps), what


FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "liveness"


@pytest.mark.parametrize("path", sorted(FIXTURE_DIR.glob("*.xm")), ids=lambda p: p.stem)
def test_bmc_agrees_with_explicit_on_the_liveness_fixtures(path):
    from xenmodel.frontend import load_model
    model = load_model(str(path)).model
    e, b = explicit_then_bmc(model, holds_depth=min(e_states(model), 10))
    assert_agree(e, b, path.name)


def e_states(model: Any) -> int:
    from checkers import explicit
    return int(explicit.check(model, {"deadlock": False}).stats["states"])


@pytest.mark.parametrize("seed", SEEDS)
def test_bmc_agrees_with_explicit_on_generated_models(seed):
    text = gen_model(random.Random(seed))
    model = model_from_text(text)
    # holds: BMC to the number of reachable states (at most 8 here) finds no lasso either
    e, b = explicit_then_bmc(model, holds_depth=e_states(model))
    assert_agree(e, b, text)


# ------------------------------------------------------------------ engines that do not check them say so
def test_simulation_and_induction_say_they_do_not_check_temporal_properties():
    from checkers.smt import induction
    from xenmodel import simulate
    model = model_from_text(COUNTER.format(fair="") + "invariant bounded: x <= 3\n")
    r = simulate.simulate(model, steps=10, runs=3, seed=0, deadlock=False)
    assert r.status == Status.SAMPLED
    assert r.messages == ("temporal properties not checked: reaches3 (finite random runs; `xenmodel check` "
                          "checks them)",)
    r = induction.prove(model, {"timeout": None})
    assert r.status == Status.HOLDS  # the invariant; the temporal property is named as not checked
    assert r.messages[-1] == ("temporal properties not checked: reaches3 (induction proves invariants; "
                              "`xenmodel check` checks them)")
    assert r.headline() == ("holds: every invariant, lemma and assert holds in every reachable state "
                            "(temporal properties not checked)")  # so no one reads it as covering reaches3
    r = induction.prove_k(model, {"timeout": None, "k": 2})
    assert r.messages[-1].startswith("temporal properties not checked: reaches3")
    assert r.headline().endswith("(temporal properties not checked)")


def modelgen_temporal(seed: int) -> Any:
    """A model of tests/modelgen.py (the whole language) whose two invariants become the state
    predicates of one temporal property of a random shape, with random fairness on its actions; None
    when the generated text is not usable here."""
    import dataclasses
    import sys

    from xenmodel import ir
    from xenmodel.diagnostics import DiagnosticError
    from xenmodel.frontend import load_model
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from modelgen import generate
    rng = random.Random(seed)
    try:
        model = load_model("<gen>.xm", text=generate(rng, n_props=2, sym_prob=0.0)).model
    except DiagnosticError:
        return None
    if len(model.properties) != 2:
        return None
    p, q = (x.expr for x in model.properties)
    fair = [rng.choice([None, ir.Fairness.WEAK, ir.Fairness.STRONG]) for _ in model.actions]
    actions = tuple(dataclasses.replace(a, fairness=f) for a, f in zip(model.actions, fair, strict=True))
    kind = rng.choice(list(ir.TemporalKind))
    t = ir.Temporal("t", (), None, kind, p, q if kind == ir.TemporalKind.LEADS_TO else None)
    return dataclasses.replace(model, actions=actions, properties=(), temporals=(t,))


@pytest.mark.parametrize("seed", range(60))
def test_bmc_agrees_with_explicit_on_modelgen_models(seed):
    from checkers import explicit
    model = modelgen_temporal(seed)
    if model is None:
        pytest.skip("the generated model is not usable (rejected, or without two invariants)")
    e = explicit.check(model, {"deadlock": False})
    if e.status not in (Status.HOLDS, Status.VIOLATED) or (e.trace and e.trace.violation.kind != "temporal"):
        pytest.skip(f"no temporal verdict from the explicit engine ({e.status}: a model error or no initial state)")
    depth = len(e.trace.steps) - 1 if e.status == Status.VIOLATED else min(int(e.stats["depth"]) + 1, 8)
    b = run_bmc(model, depth)
    if b.status == Status.UNKNOWN and "does not support" in (b.reason or ""):
        pytest.skip(b.reason)
    if b.trace is not None and b.trace.violation.kind != ViolationKind.TEMPORAL:
        pytest.skip("BMC reports a model error first (the explicit engine's temporal pass ran on a clean graph)")
    assert_agree(e, b, f"seed {seed}")

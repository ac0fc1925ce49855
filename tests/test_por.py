"""Partial-order reduction (checkers/explicit/por.py) against the plain search (issue 20).

Every test here runs the reduction eagerly (`eager`: no probe, any gain taken), so that it is exercised
on small models too; by default the first 2,000 states are a probe (docs/cli.md). For each model: the
same status as `--no-por`; a counterexample replays (the engine replays it, and the test again) and is
never shorter than the shortest; when nothing was left out it has exactly the shortest length; a model
that holds stores no more states than the full search. tests/test_por_models.py runs the same
comparison on the fixtures, S1 and the bug variants.
"""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from checkers import explicit
from checkers.explicit import por
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.trace import replay

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import model_from_text, run_cli  # noqa: E402
from modelgen import generate  # noqa: E402


@pytest.fixture
def eager(monkeypatch):
    monkeypatch.setattr(por, "PROBE", 0)
    monkeypatch.setattr(por, "MIN_GAIN", 0.0)


def length(res):
    t = res.trace
    return len(t.steps) - 1 + (1 if t.violation.kind in ("assert", "model-error") else 0) if t.steps else 0


def compare(model, deadlock=True, **opts):
    """The reduced and the full search agree; returns (full, reduced)."""
    full = explicit.check(model, {"por": False, "deadlock": deadlock, **opts})
    red = explicit.check(model, {"deadlock": deadlock, **opts})
    assert red.status == full.status, (full.summary(), red.summary())
    info = red.stats["por"]
    if full.status == "violated":
        replay(model, red.trace)
        reduced_any = "off" not in info and info["reduced_expansions"] > 0
        if reduced_any:
            assert length(red) >= length(full)
            assert por.LONGER in red.messages
        else:
            assert length(red) == length(full)
            assert por.LONGER not in red.messages
    elif full.status == "holds":
        assert red.stats["states"] <= full.stats["states"]
    return full, red


INDEPENDENT = """
model indep
var a: int[0..3] = 0
var b: int[0..3] = 0
var c: int[0..3] = 0
action inc_a() { require a < 3  a := a + 1 }
action inc_b() { require b < 3  b := b + 1 }
action inc_c() { require c < 3  c := c + 1 }
action done() { require a == 3 && b == 3 && c == 3  a := 0  b := 0  c := 0 }
"""


def test_independent_counters_are_reduced_and_hold(eager):
    full, red = compare(model_from_text(INDEPENDENT))
    assert full.status == "holds" and full.stats["states"] == 64
    assert red.stats["states"] < 64 and red.stats["por"]["reduced_expansions"] > 0
    assert "off" in full.stats["por"] and full.stats["por"]["off"] == "--no-por"


def test_a_violation_behind_independent_steps_is_found_and_said_to_be_possibly_longer(eager):
    m = model_from_text(INDEPENDENT + "invariant not_all: !(a == 3 && b == 3 && c == 2)\n")
    full, red = compare(m)
    assert full.status == red.status == "violated"
    assert red.trace.violation.kind == "invariant" and red.trace.violation.name == "not_all"


def test_an_assert_in_an_action_left_out_is_found(eager):
    # `boom` is independent of the counters; it fails only once `b` reaches 3
    m = model_from_text(INDEPENDENT + "var z: bool = false\naction boom() { require b == 3  assert z, \"boom\" }\n")
    full, red = compare(m)
    assert red.status == "violated" and red.trace.violation.kind == "assert"


def test_a_model_error_is_found(eager):
    m = model_from_text(INDEPENDENT + "var q: seq<int[0..3], 2> = []\naction pop() { require c == 2  q := tail(q) }\n")
    full, red = compare(m)
    assert red.status == "violated" and red.trace.violation.kind == "model-error"


DEADLOCK = """
model dl
var a: int[0..2] = 0
var b: int[0..2] = 0
action inc_a() { require a < 2  a := a + 1 }
action inc_b() { require b < 2  b := b + 1 }
"""


def test_deadlock_is_kept(eager):
    full, red = compare(model_from_text(DEADLOCK))
    assert red.status == "violated" and red.trace.violation.kind == "deadlock"
    _, red = compare(model_from_text(DEADLOCK), deadlock=False)
    assert red.status == "holds"


# The ignoring problem: `spin` cycles forever and is independent of `flip`; a reduction that always
# chose {spin} would never take `flip`, and never see `flag` broken. The cycle proviso must expand fully.
IGNORING = """
model ignoring
var x: int[0..2] = 0
var y: bool = false
action spin() { x := (x + 1) % 3 }
action flip() { require !y  y := true }
invariant flag: !y
"""


def test_the_cycle_proviso_prevents_ignoring(eager):
    full, red = compare(model_from_text(IGNORING))
    assert red.status == "violated" and red.trace.violation.name == "flag"


def test_the_reduction_is_off_with_temporal_properties_with_a_note():
    m = model_from_text(DEADLOCK + "temporal ends: a == 0 ~> a == 2\nfairness weak inc_a\n")
    r = explicit.check(m, {"deadlock": False})
    assert r.stats["por"]["off"].startswith("temporal properties")
    assert not any("partial-order" in line for line in r.messages)  # on by default: off silently, in stats
    r = explicit.check(m, {"deadlock": False, "por": True})
    assert "note: partial-order reduction is off: temporal properties: partial-order reduction does not " \
           "preserve liveness without stronger provisos" in r.messages


def test_the_reduction_is_off_under_max_depth_and_max_states(eager):
    m = model_from_text(INDEPENDENT)
    r = explicit.check(m, {"max_depth": 2})
    assert r.status == "bounded" and r.stats["por"]["off"].startswith("--max-depth")
    r = explicit.check(m, {"max_states": 10})
    assert r.status == "bounded" and r.stats["por"]["off"].startswith("--max-states")


def test_a_reduced_search_stopped_by_the_timeout_is_unknown_not_bounded(eager):
    m = model_from_text("""
model long
var a: int[0..1] = 0
var c: int[0..5000000] = 0
action fa() { require a == 0  a := 1 }
action inc() { require c < 5000000  c := c + 1 }
""")
    r = explicit.check(m, {"timeout": 1.0, "deadlock": False})
    assert r.status == "unknown" and r.reason.startswith("timeout after 1 s in phase `search`")
    assert por.UNBOUNDED in r.messages


def test_the_probe_switches_to_the_plain_search_when_the_gain_is_small(monkeypatch):
    monkeypatch.setattr(por, "PROBE", 4)
    chain = "model chain\nvar x: int[0..99] = 0\naction step() { require x < 99  x := x + 1 }\n"
    r = explicit.check(model_from_text(chain), {"deadlock": False})
    assert r.status == "holds" and r.stats["states"] == 100  # the full count: nothing was left out
    assert "switched" in r.stats["por"] and r.stats["por"]["reduced_expansions"] == 0


def test_cli_no_por_and_the_longer_note(tmp_path, eager):
    f = tmp_path / "m.xm"
    f.write_text(INDEPENDENT + "invariant not_all: !(a == 3 && b == 3 && c == 2)\n")
    code, out, err = run_cli("check", str(f))
    assert code == 1 and por.LONGER in out + err
    code, out, err = run_cli("check", str(f), "--no-por")
    assert code == 1 and por.LONGER not in out + err
    code, out, err = run_cli("check", str(f), "--engine", "bmc", "--por")
    assert code == 2 and "the bmc engine does not support --por" in out + err


def test_cli_json_reports_reduced_and_full_expansions(tmp_path, eager):
    import json
    f = tmp_path / "m.xm"
    f.write_text(INDEPENDENT)
    code, out, _ = run_cli("check", str(f), "--format", "json")
    assert code == 0
    info = json.loads(out)["stats"]["por"]
    assert set(info) >= {"reduced_expansions", "full_expansions", "pruned_transitions", "cycle_proviso"}
    assert info["reduced_expansions"] > 0


def _generated(seed):
    src = generate(random.Random(seed), sym_prob=0.0)
    try:
        return src, load_model("<por>.xm", text=src).model
    except DiagnosticError:
        return src, None


def _differential(seeds):
    checked = 0
    for seed in seeds:
        src, model = _generated(seed)
        if model is None:
            continue
        checked += 1
        try:
            compare(model)
            compare(model, deadlock=False)
        except AssertionError as err:
            raise AssertionError(f"seed {seed}:\n{src}") from err
    assert checked >= len(seeds) // 2


def test_generated_models_agree_with_the_full_search(eager):
    _differential(range(30))


@pytest.mark.slow
def test_generated_models_agree_with_the_full_search_many(eager):
    _differential(range(1000, 1300))


CELLS = """
model cells
const FLAG: bool = false
sort W = w[2]
var n: W -> int[0..2]
var shared: int[0..1] = 0
action step(x: W) {
  require n[x] < 2
  n[x] := n[x] + 1
  if FLAG { shared := 1 }
}
action touch() { require shared == 0  shared := 1 }
action all() { n := n }
"""


def test_relations_are_per_instance_and_per_map_cell():
    from checkers.explicit.por_deps import relations
    rel = relations(model_from_text(CELLS))
    s0, s1 = rel.index[(0, (0,))], rel.index[(0, (1,))]
    touch, every = rel.index[(1, ())], rel.index[(2, ())]
    assert not rel.dep[s0] >> s1 & 1  # n[w0] and n[w1] are different cells
    assert not rel.dep[s0] >> touch & 1  # `if FLAG` is false: step writes no `shared`
    assert rel.dep[s0] >> every & 1 and rel.dep[s1] >> every & 1  # a whole-map write touches every cell


def process_model(rng: random.Random) -> str:
    """A random model of 2-3 processes with local variables, an occasional shared one, asserts and
    possible model errors: the shape partial-order reduction works on (tests/modelgen.py's models are
    mostly one tangle of dependent actions, where it leaves nothing out)."""
    k = rng.randint(2, 3)
    lines = ["model procs", "var sh: int[0..2] = 0"]
    local = [[f"l{i}_{j}" for j in range(2)] for i in range(k)]
    lines += [f"var {v}: int[0..2] = 0" for vs in local for v in vs]
    for i in range(k):
        for a in range(rng.randint(2, 3)):
            mine = local[i] + (["sh"] if rng.random() < 0.2 else [])
            guard = " && ".join(f"{rng.choice(mine)} {rng.choice(['==', '!=', '<'])} {rng.randint(0, 2)}"
                                for _ in range(rng.randint(1, 2)))
            body = []
            for v in rng.sample(local[i], rng.randint(1, 2)) + (["sh"] if rng.random() < 0.15 else []):
                r = rng.random()
                body.append(f"{v} := ({v} + 1) % 3" if r < 0.6 else f"{v} := {rng.randint(0, 2)}" if r < 0.9
                            else f"{v} := 2 / {rng.choice(local[i])}")
            if rng.random() < 0.1:
                body.append(f'assert {rng.choice(local[i])} != 2, "p{i} reached 2"')
            lines.append(f"action p{i}_{a}() {{ require {guard}  {'  '.join(body)} }}")
    for m in range(rng.randint(0, 2)):
        u, v = rng.choice(sum(local, [])), rng.choice(sum(local, []) + ["sh"])
        lines.append(f"invariant inv{m}: !({u} == {rng.randint(1, 2)} && {v} == {rng.randint(0, 2)})")
    return "\n".join(lines) + "\n"


def _process_differential(seeds):
    reduced = 0
    for seed in seeds:
        src = process_model(random.Random(seed))
        model = load_model("<procs>.xm", text=src).model
        try:
            for deadlock in (True, False):
                _, red = compare(model, deadlock=deadlock)
                reduced += red.stats["por"]["reduced_expansions"] > 0
        except AssertionError as err:
            raise AssertionError(f"seed {seed}:\n{src}") from err
    return reduced


def test_process_models_agree_with_the_full_search(eager):
    assert _process_differential(range(30)) >= 10  # the reduction is exercised, not just switched off


@pytest.mark.slow
def test_process_models_agree_with_the_full_search_many(eager):
    assert _process_differential(range(1000, 1300)) >= 100


def test_during_the_probe_the_search_is_the_plain_one():
    """Below 2,000 states the probe expands everything: the same result as --no-por, trace and all
    (a model error after an invariant-breaking successor of the same state included)."""
    srcs = [process_model(random.Random(s)) for s in range(20)] + [generate(random.Random(s), sym_prob=0.0)
                                                                  for s in range(20)]
    for src in srcs:
        try:
            model = load_model("<probe>.xm", text=src).model
        except DiagnosticError:
            continue
        full = explicit.check(model, {"por": False})
        red = explicit.check(model, {})
        assert (red.status, red.trace, red.stats["states"]) == (full.status, full.trace, full.stats["states"]), src
    model = load_model(str(Path(__file__).parent / "fixtures" / "symmetry" / "choose_where_error.xm")).model
    full = explicit.check(model, {"por": False, "deadlock": False, "symmetry": False})
    red = explicit.check(model, {"deadlock": False, "symmetry": False})
    assert red.trace == full.trace and red.trace.violation.name == "never_picked"

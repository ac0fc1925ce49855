"""Symmetry reduction is sound: models whose loops depend on the visiting order are checked without it
(and the output says why), models that pass the rule keep their reduction, traces are rebuilt on real
transitions, and a huge group is described without printing its order."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from checkers.explicit import check
from checkers.explicit.symmetry import MAX_GROUP, group_order, make_canonicaliser
from checkers.explicit.symmetry_rule import symmetry_unsafe_reasons
from xenmodel.cli import cli
from xenmodel.types import SortT

from helpers import FIXTURES, ROOT, fixture, model_from_text

SYM = FIXTURES / "symmetry"


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


# fixture -> (expected first line of `check`, the construct and line:col the fallback names, its reason)
UNSAFE = {
    "keep_last.xm": ("explicit: violated: invariant last_is_not_first", "foreach", "16:3",
                     "keeps a value from one iteration in `w` (`w := x`): the last one wins"),
    "counter_numbering.xm": ("explicit: violated: invariant first_numbered_one", "foreach", "20:3",
                             ("reads `k` (`idx[x] := k`) which an earlier iteration may have written "
                              "(`k := k + 1`)")),
    "option_domain.xm": ("explicit: violated: invariant first_in_front", "foreach", "18:3",
                         "reads `q` in a later iteration after writing it (`q := q ++ [get(x)]`)"),
    "record_domain.xm": ("explicit: violated: invariant first_in_front", "foreach", "19:3",
                         "reads `q` in a later iteration after writing it (`q := q ++ [r.who]`)"),
    "seq_append.xm": ("explicit: violated: invariant first_in_front", "foreach", "18:3",
                      "reads `q` in a later iteration after writing it (`q := q ++ [x]`)"),
    "nested.xm": ("explicit: violated: invariant last_is_not_first", "foreach", "16:3",
                  "keeps a value from one iteration in `w` (`w := x`): the last one wins"),
    "choose_inside.xm": ("explicit: violated: invariant last_is_not_first", "foreach", "17:3",
                         "keeps a value from one iteration in `w` (`w := x`): the last one wins"),
    "block_then_fail.xm": ("explicit: violated: assert XM507: an element that is on", "foreach", "19:3",
                           ("can both block (`require !bad[x]`) and fail (`assert !on[x], \"an element that "
                            "is on\"`), and which happens first depends on the order of the iterations")),
    "crash_keep_first.xm": ("explicit: violated: invariant picked_cold", "foreach", "16:3",
                            ("reads `hot` (`if !(exists y: P :: hot[y]) { hot[x] := true }`) which an "
                             "earlier iteration may have written (`hot[x] := true`)")),
    "forall_error.xm": ("explicit: violated: model-error XM501: get() of none", "forall", "20:11",
                        ("stops at the first deciding value, and `get(peer[x])` can fail for another, so "
                         "whether it fails depends on the order of the values")),
    "choose_where_error.xm": ("explicit: violated: invariant never_picked", "choose", "17:3",
                              ("can fail in its `where` (`get(peer[y])`), and the values it skips then depend "
                               "on the order of the values")),
}


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_order_dependent_loops_are_checked_without_symmetry(name):
    path = str(SYM / name)
    first, what, pos, why = UNSAFE[name]
    line = f"symmetry off: the {what} at {path}:{pos} {why}; checked without symmetry"
    # forcing --symmetry still falls back; the verdict and exit code are those of --no-symmetry
    on = cli_run("check", "--no-deadlock", "--symmetry", path)
    off = cli_run("check", "--no-deadlock", "--no-symmetry", path)
    assert on.exit_code == off.exit_code == 1, on.output
    assert on.output.splitlines()[0].startswith(first)
    assert off.output.splitlines()[0].startswith(first)
    assert line in on.output
    assert "symmetry off" not in off.output
    # the reasons are those of the plain function other tools call, and the stats say why too
    model = fixture(f"symmetry/{name}")
    assert symmetry_unsafe_reasons(model)[0].message() == line
    r = check(model, {"deadlock": False, "symmetry": True})
    plain = check(model, {"deadlock": False, "symmetry": False})
    assert r.status == plain.status == "violated"
    assert r.stats["symmetry"]["off"] == line
    assert r.stats["states"] == plain.stats["states"]
    assert len(r.trace.steps) == len(plain.trace.steps)


@pytest.mark.parametrize("name", sorted(UNSAFE))
def test_simulate_and_bmc_find_the_same_violation(name):
    path = str(SYM / name)
    first = UNSAFE[name][0].split(": ", 1)[1]
    if name == "choose_where_error.xm":
        first = "violated: "  # its error and its invariant are both reachable in 2 steps
    sim = cli_run("simulate", "--no-deadlock", "--seed", "1", "--runs", "200", "--steps", "8", path)
    bmc = cli_run("check", "--engine", "bmc", "--depth", "5", "--no-deadlock", path)
    assert sim.exit_code == bmc.exit_code == 1
    assert sim.output.splitlines()[0].startswith("simulate: " + first)
    assert bmc.output.splitlines()[0].startswith("bmc: " + first)


# ------------------------------------------------------------------ models that keep their reduction
def _declares_symmetric(p: Path) -> bool:
    return "symmetric sort" in p.read_text(encoding="utf-8")


SYMMETRIC_MODELS = sorted(str(p.relative_to(ROOT)) for d in ("spec", "examples", "bench/models", "tests/fixtures")
                          for p in (ROOT / d).rglob("*.xm") if _declares_symmetric(p)
                          and "symmetry" not in p.parent.name)


def test_the_symmetric_models_are_found():
    assert {"bench/models/s1_sym.xm", "tests/fixtures/explicit_sym.xm",
            "tests/fixtures/features.xm"} <= set(SYMMETRIC_MODELS)


@pytest.mark.parametrize("rel", SYMMETRIC_MODELS)
def test_no_symmetric_model_of_the_project_falls_back(rel):
    from xenmodel.frontend import load_model
    model = load_model(str(ROOT / rel)).model
    assert symmetry_unsafe_reasons(model) == []
    canon, info = make_canonicaliser(model)
    assert canon is not None and "off" not in info


@pytest.mark.parametrize("rel, on_states, off_states", [
    ("tests/fixtures/explicit_sym.xm", 37, 188),
    ("tests/fixtures/symmetry/accumulate_ok.xm", 20, 64),
])
def test_models_that_pass_the_rule_are_reduced(rel, on_states, off_states):
    from xenmodel.frontend import load_model
    model = load_model(str(ROOT / rel)).model
    on = check(model, {"deadlock": False, "symmetry": True})
    off = check(model, {"deadlock": False, "symmetry": False})
    assert on.status == off.status == "holds"
    assert (on.stats["states"], off.stats["states"]) == (on_states, off_states)
    assert "off" not in on.stats["symmetry"]
    assert not any("symmetry off" in m for m in on.messages)


def test_the_symmetric_benchmark_is_reduced():
    from xenmodel.frontend import load_model
    model = load_model(str(ROOT / "bench/models/s1_sym.xm")).model
    on = check(model, {"deadlock": False, "symmetry": True, "max_depth": 6})
    off = check(model, {"deadlock": False, "symmetry": False, "max_depth": 6})
    assert on.status == off.status
    assert "off" not in on.stats["symmetry"]
    assert on.stats["states"] < off.stats["states"]


def test_a_violation_under_symmetry_is_rebuilt_on_real_transitions():
    # accumulate_ok with a property its loops break: found with and without symmetry, same length,
    # and the reduced search's trace replays (check() replays every trace it returns)
    text = (SYM / "accumulate_ok.xm").read_text(encoding="utf-8").replace(
        "invariant counted: n <= 3", "invariant counted: n <= 1")
    model = model_from_text(text)
    on = check(model, {"deadlock": False, "symmetry": True})
    off = check(model, {"deadlock": False, "symmetry": False})
    assert on.status == off.status == "violated"
    assert "off" not in on.stats["symmetry"]
    assert len(on.trace.steps) == len(off.trace.steps) == 4
    assert on.trace.violation.name == "counted"


# ------------------------------------------------------------------ the rule, shape by shape
HEAD = """model m
symmetric sort P = p[3]
var on: P -> bool
var m2: P -> P -> bool
var n: int[0..3]
var s: set<P>
var b: bool
var w: P?
var cnt: P -> int[0..3]
"""


def reasons(body: str) -> list[str]:
    """The rule's reasons for HEAD + body ("; " separates statements)."""
    return [u.why for u in symmetry_unsafe_reasons(model_from_text(HEAD + body.replace("; ", "\n")))]


ORDER_FREE = [
    "action a() { foreach x: P { on[x] := !on[x] } }",                       # own cells
    "action a() { foreach x: P { foreach y: P { m2[x][y] := on[y] } } }",   # own cells, nested
    "action a() { foreach x: P where on[x] { n := n + 1 } }",               # counter, one direction
    "action a() { foreach x: P { cnt[x] := cnt[x] + 1; on[x] := cnt[x] == 2 } }",  # own counters
    "action a() { foreach x: P where on[x] { if w != none { cnt[get(w)] := cnt[get(w)] - 1 } } }",
    "action a() { foreach x: P { s := s + {x} } }",                          # set insertion
    "action a() { foreach x: P { s := s - {x} } }",                          # set removal
    "action a() { foreach x: P { b := b || on[x] } }",                       # boolean or
    "action a() { foreach x: P where on[x] { b := true } }",                 # the same constant
    "def is_on(y: P): bool = on[y] action a() { foreach x: P { on[x] := !is_on(x) } }",  # via a def
    "proc flip1(y: P) { on[y] := !on[y] } action a() { foreach x: P { flip1(x) } }",   # via a proc
    "action a() { foreach x: P { require on[x] } }",                         # blocks, cannot fail
    "action a() { foreach x: P { assert on[x], \"on\" } }",                  # fails, cannot block
    "action a() { foreach i: int[0..2] { w := none } }",                     # not over a symmetric sort
    "init { foreach x: P { w := x } } action a() { b := !b }",               # init need not be symmetric
    "action a() { require forall x: P :: on[x] } invariant i: exists x: P :: on[x]",
    "invariant i: (count x: P :: w == x) <= 1 && (sum x: P :: n) >= 0",
]


@pytest.mark.parametrize("body", ORDER_FREE)
def test_order_independent_shapes_pass(body):
    assert reasons(body) == []


@pytest.mark.parametrize("body, why", [
    ("action a() { foreach x: P { w := x } }", "keeps a value from one iteration in `w`"),
    ("action a() { foreach x: P { foreach y: P { m2[x][y] := on[x]; m2[y][x] := on[y] } } }",
     "`m2`"),  # the loop variable at two positions: the cells of two iterations overlap
    ("action a() { foreach x: P { if on[x] { n := n + 1 } else { n := n - 1 } } }", "`n`"),
    ("action a() { foreach x: P { s := s + {x}; s := s - {x} } }", "`s`"),
    ("action a() { foreach x: P { b := true; b := false } }", "`b`"),
    ("action a() { foreach x: P where !b { b := true } }", "reads `b`"),
    ("action a() { foreach x: P { n := n + 1; on[x] := n == 1 } }", "reads `n`"),
    ("action a() { foreach x: P { on[x] := exists y: P :: on[y] } }", "reads `on`"),
    ("action a() { foreach x: P { choose y: P where on[y] { on[x] := true } } }", "reads `on`"),
    ("action a() { foreach x: P { require on[x]; assert w != none, \"w\" } }", "can both block"),
    ("action a() { foreach x: P { choose k: int[0..1] where k == 1 { on[x] := 2 / (k - 1) == 0 } } }",
     "can both block"),
    ("action a() { require exists x: P :: get(w) == x }", "`get(w)` can fail"),
    ("invariant i: forall x: P :: on[x] || get(w) != x", "`get(w)` can fail"),
])
def test_shapes_the_rule_refuses(body, why):
    found = reasons(body)
    assert len(found) >= 1 and why in found[0], found


# ------------------------------------------------------------------ the size of the group
def test_a_huge_group_is_described_not_printed():
    # 2000! has about 5,700 digits: printing it would pass Python's int-to-str limit
    model = model_from_text("model big\nsymmetric sort P = p[2000]\nvar w: P?\n"
                            "action a(p: P) { require w == none\n w := p }\n")
    canon, info = make_canonicaliser(model)
    assert canon is None
    assert info["group_order"] == f"more than {MAX_GROUP}"
    assert info["off"] == (f"symmetry off: the group of permutations (2000!) has more than {MAX_GROUP} "
                           "elements; checked without symmetry")
    r = check(model, {"deadlock": False})
    assert r.status == "holds" and r.stats["states"] == 2001
    assert info["off"] in r.messages


def test_a_huge_group_on_the_command_line(tmp_path):
    # this used to be an internal error (exit 70): Python refuses to print 2000! in decimal
    f = tmp_path / "big.xm"
    f.write_text("model big\nsymmetric sort P = p[2000]\nvar w: P?\n"
                 "action a(p: P) {\n  require w == none\n  w := p\n}\n", encoding="utf-8")
    r = cli_run("check", "--no-deadlock", str(f))
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == "explicit: holds: every property holds in every reachable state"
    assert (f"symmetry off: the group of permutations (2000!) has more than {MAX_GROUP} elements; "
            "checked without symmetry") in r.output


def test_the_group_order_stops_counting_past_the_limit():
    assert group_order([SortT("A", "a", 8, True)]) == MAX_GROUP
    assert group_order([SortT("A", "a", 2, True), SortT("B", "b", 7, True)]) == 2 * 5040
    assert group_order([SortT("A", "a", 9, True)]) is None
    assert group_order([SortT("A", "a", 10 ** 9, True)]) is None  # no factorial of a huge size


def _orbits_of_reachable(model, canon, limit=50_000):
    """The number of orbits of the reachable states (plain search over the reference semantics)."""
    from xenmodel import semantics as S
    seen = {o.state for o in S.initial_states(model)}
    todo = list(seen)
    while todo:
        for o in S.successors(model, todo.pop()):
            if o.state not in seen:
                seen.add(o.state)
                todo.append(o.state)
        assert len(seen) < limit
    return len({canon(s) for s in seen})


@pytest.mark.parametrize("body", [b for b in ORDER_FREE if b.startswith("action")])
def test_the_reduced_count_is_the_number_of_orbits(body):
    # each shape the rule accepts, with actions that move the state around: the reduced search visits
    # exactly one state per orbit of the reachable states, and agrees with the plain search
    text = HEAD + "action flip(p: P) { on[p] := !on[p] }\naction aim(p: P) { w := p }\n" + body.replace("; ", "\n")
    model = model_from_text(text)
    canon, info = make_canonicaliser(model)
    assert canon is not None
    on = check(model, {"deadlock": False, "symmetry": True})
    off = check(model, {"deadlock": False, "symmetry": False})
    assert on.status == off.status
    if on.status == "holds":
        assert on.stats["states"] == _orbits_of_reachable(model, canon) < off.stats["states"]

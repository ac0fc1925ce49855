"""Induction that scales (issue 18): the obligations as a list, the frame argument, slicing, worker
processes and the cache of proved obligations (checkers/smt/queries.py, slicing.py, discharge.py,
workers.py, proof_cache.py), each against the plain proof or the reference search."""
from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from checkers.smt import induction, workers
from checkers.smt.queries import obligations
from tests.helpers import ROOT, model_from_text, reference_bfs
from tests.modelgen import generate
from xenmodel.cli import cli

# ---------------------------------------------------------------- the frame argument
# `bump` writes `m` through a map index inside a foreach inside a proc (inlined by the front end);
# `note` writes only `seen`; `nop` writes nothing.
FRAME = """model frame
sort K = k[2]
var m: K -> int[0..3]
var seen: bool
var c: int[0..3]
proc raise_all() {
  foreach k: K where m[k] < 3 {
    m[k] := m[k] + 1
  }
}
action bump() { raise_all() }
action note() { seen := true }
action nop() { require c == 0 }
invariant m_bounded: forall k: K :: m[k] <= 3
invariant c_zero: c == 0
lemma seen_any: seen || !seen
"""


def _asked(model, **kw):
    return {(o.action, o.prop) for o in obligations(model, **kw) if o.kind == "consecution" and not o.skipped}


def test_frame_skips_exactly_the_pairs_whose_action_writes_nothing_the_property_reads():
    m = model_from_text(FRAME)
    assert _asked(m) == {("bump", "m_bounded"), ("note", "seen_any")}
    obs = obligations(m)
    assert sum(o.skipped for o in obs) == 3 * 3 - 2
    assert len(_asked(m, frame=False)) == 9
    # the skipped ones assume only their own property, the asked ones their cone of influence
    bump = next(o for o in obs if o.action == "bump" and o.prop == "m_bounded")
    assert bump.assumed == ("m_bounded",) and bump.vars == ("m",) and bump.sliced
    assert [o.kind for o in obs[:3]] == ["init-errors", "some-initial-state", "initiation"]


# ---------------------------------------------------------------- differential: frame and slicing change no verdict
def _verdict(r):
    return r.status, r.reason if r.status != "holds" else None


@pytest.mark.parametrize("seed", range(40))
def test_frame_and_slicing_agree_with_the_plain_proof_and_the_search(seed):
    model = model_from_text(generate(random.Random(seed), n_props=random.Random(seed).randint(1, 3)))
    fast = induction.prove(model, {})
    plain = induction.prove(model, {}, frame=False, slicing=False)
    assert _verdict(fast) == _verdict(plain)
    assert (fast.trace is None) == (plain.trace is None)
    if fast.trace is not None and fast.status == "unknown":
        induction.replay_transitions(model, fast.trace)
    _, cex = reference_bfs(model, deadlock=False)
    if cex is not None:  # induction never says holds for a model with a reachable violation
        assert fast.status != "holds"


# ---------------------------------------------------------------- a broken lemma gives a CTI
COUNTER = """model counter
var x: int[0..7]
init { x := 0 }
action step() { if x < 6 { x := x + 2 } }
invariant not_seven: x != 7
"""
# true in every reachable state (x is even) but not inductive: from x = 3, step reaches 5
BROKEN_LEMMA = """model counter_proofs
include "counter.xm"
/// Broken on purpose: true of the reachable states, but not inductive.
lemma not_five: x != 5
"""


def test_a_broken_lemma_gives_a_cti(tmp_path):
    (tmp_path / "counter.xm").write_text(COUNTER)
    (tmp_path / "lemmas.xm").write_text(BROKEN_LEMMA)
    r = CliRunner().invoke(cli, ["prove", str(tmp_path / "counter.xm"), "--lemmas", str(tmp_path / "lemmas.xm"),
                                 "--format", "json", "--cache-dir", str(tmp_path / "cache")])
    assert r.exit_code == 3, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "unknown"
    assert data["reason"] == "not inductive: action step breaks lemma not_five"
    steps = data["trace"]["steps"]
    assert [s["action"] for s in steps] == ["init", "step"]
    assert (steps[0]["state"]["x"], steps[1]["state"]["x"]) == ({"#bigint": "3"}, {"#bigint": "5"})  # ITF values


# ---------------------------------------------------------------- workers: the same result
def test_one_worker_and_two_workers_give_the_same_result(monkeypatch):
    monkeypatch.setattr(workers, "MIN_POOL_OBLIGATIONS", 0)
    from xenmodel.frontend import load_model
    model = load_model(str(ROOT / "spec" / "sched.xm"), "small").model  # no lemmas: a CTI to compare
    one = induction.prove(model, {"workers": 1})
    two = induction.prove(model, {"workers": 2})
    again = induction.prove(model, {"workers": 2})
    assert one.status == two.status == "unknown" and one.trace is not None and two.trace is not None
    # the same obligation fails first; the CTI's values are Z3's model, which may depend on what the
    # process asked before (so on how tasks were shared out), but not on the run: same flags, same trace
    assert (one.reason, one.messages) == (two.reason, two.messages)
    assert (one.trace.violation.kind, one.trace.violation.name) == (two.trace.violation.kind, two.trace.violation.name)
    assert (again.reason, again.trace) == (two.reason, two.trace)
    same = {k: v for k, v in one.stats.items() if k not in ("seconds", "slowest", "query_seconds", "workers")}
    assert same == {k: v for k, v in two.stats.items() if k in same}
    assert set(one.stats["query_seconds"]) == set(two.stats["query_seconds"])


# ---------------------------------------------------------------- the cache
CACHED = """model cached
var a: int[0..3]
var b: int[0..3]
init { a := 0  b := 0 }
action inc_a() { if a < 3 { a := a + 1 } }
action inc_b() { if b < 3 { b := b + 1 } }
action reset() { a := 0  b := 0 }
invariant a_ok: a <= 3
invariant b_ok: b <= 3
invariant sum_ok: a + b <= 6
"""


def _prove_file(path, cache):
    from xenmodel.frontend import load_model
    return induction.prove(load_model(str(path)).model, {"cache_dir": str(cache)})


def test_the_cache_reruns_exactly_the_queries_of_the_edited_action(tmp_path):
    path, cache = tmp_path / "cached.xm", tmp_path / "cache"
    path.write_text(CACHED)
    first = _prove_file(path, cache)
    assert first.status == "holds" and first.stats["from_cache"] == 0
    asked = set(first.stats["query_seconds"])
    again = _prove_file(path, cache)
    # only unsat answers are cached: "some initial state" (sat when it holds) is asked every time
    assert again.status == "holds" and set(again.stats["query_seconds"]) == {"init block / some initial state"}
    assert again.stats["from_cache"] == len(asked) - 1
    path.write_text(CACHED.replace("if b < 3 { b := b + 1 }", "if b < 2 { b := b + 1 }"))
    edited = _prove_file(path, cache)
    assert edited.status == "holds"
    rerun = set(edited.stats["query_seconds"])
    assert rerun == {"init block / some initial state"} | {q for q in asked if q.startswith("consecution inc_b ")}
    assert len(rerun) > 2
    # a doc comment or a new variable elsewhere changes no key of the other actions
    path.write_text("/// docs\n" + CACHED.replace("var b: int[0..3]", "var b: int[0..3]\nvar z: bool"))
    moved = _prove_file(path, cache)
    assert moved.status == "holds"
    assert not any(q.startswith("consecution inc_a ") for q in moved.stats["query_seconds"])


def test_sat_and_unknown_answers_are_never_cached(tmp_path):
    path, cache = tmp_path / "counter.xm", tmp_path / "cache"
    path.write_text(COUNTER + "lemma not_five: x != 5\n")
    for _ in range(2):
        r = _prove_file(path, cache)
        assert r.status == "unknown" and "consecution step / not_five" in r.stats["query_seconds"]


def test_no_cache_means_no_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "c.xm").write_text(CACHED)
    r = CliRunner().invoke(cli, ["prove", str(tmp_path / "c.xm"), "--no-cache"])
    assert r.exit_code == 0 and not (tmp_path / "xdg").exists()
    r = CliRunner().invoke(cli, ["prove", str(tmp_path / "c.xm")])
    assert r.exit_code == 0 and (tmp_path / "xdg" / "xenmodel" / "prove").is_dir()


def test_kind_refuses_the_induction_options(tmp_path):
    (tmp_path / "c.xm").write_text(CACHED)
    r = CliRunner().invoke(cli, ["prove", str(tmp_path / "c.xm"), "--engine", "kind", "--workers", "2"])
    assert r.exit_code == 2 and "the kind engine does not support --workers" in r.output


# x * y may equal the product of two 47-bit primes: a query no solver factors within the test's seconds
# (a 30-bit pair was factored in under 3 s on a quiet machine, and the test then saw a CTI)
FACTOR = """model factor
var x: int[0..99999999999999]
var y: int[0..99999999999999]
init { x := 2  y := 3 }
action set(a: int[2..99999999999999], b: int[2..99999999999999]) {
  x := a
  y := b
}
invariant nofactor: x * y != 9999999999994400000000000783
"""


def test_the_timeout_stops_the_workers(monkeypatch):
    import time

    from xenmodel.limits import Limits
    monkeypatch.setattr(workers, "MIN_POOL_OBLIGATIONS", 0)
    m = model_from_text(FACTOR, limits=Limits(domain=10**30))
    t = time.perf_counter()
    r = induction.prove(m, {"timeout": 3, "workers": 2})
    assert r.status == "unknown" and r.exit_code == 3
    assert r.reason.startswith("timed out after 3 s with ") and r.reason.endswith(" (statistics so far)")
    assert time.perf_counter() - t < 6


def test_ctrl_c_stops_the_workers_and_reports_what_was_done(monkeypatch):
    monkeypatch.setattr(workers, "MIN_POOL_OBLIGATIONS", 0)
    seen = []

    def progress(update):
        seen.append(update)
        if len(seen) == 2:
            raise KeyboardInterrupt

    r = induction.prove(model_from_text(CACHED), {"workers": 2, "progress": progress})
    assert r.status == "unknown" and r.exit_code == 3
    assert r.reason == "interrupted (Ctrl-C) with 2 of at most 15 queries asked (statistics so far)"

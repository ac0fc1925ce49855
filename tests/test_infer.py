"""`xenmodel infer` (checkers/infer): lemma files that prove, lemmas true in every reachable state,
violations reported instead of searched, unknown with CTIs, bad flags, determinism."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import checkers.infer.candidates as cands
from checkers.explicit.search import check
from checkers.infer.candidates import candidates
from checkers.infer.filter import Table
from checkers.infer.grammar import Grammar
from xenmodel.frontend import load_model

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
LOCK = str(FIX / "infer_lock.xm")


def infer(*args: str):
    return run_cli("infer", *args, "--workers", "1", "--quiet")


def test_lock_lemma_file_proves_and_holds_in_every_reachable_state(tmp_path):
    out = tmp_path / "lock_lemmas.xm"
    res = infer(LOCK, "-o", str(out))
    assert res[0] == 0, (res[1] + res[2])
    assert res[1].startswith("proved: 1 lemma(s) make the targets inductive")
    text = out.read_text()
    assert "/// Lemmas inferred by `xenmodel infer" in text
    assert "/// Removes the counterexamples to induction of: mutex / acquire." in text
    # the file proves with `prove --lemmas`
    proof = run_cli("prove", LOCK, "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]
    assert proof[1].startswith("induction: holds")
    # every inferred lemma holds in every reachable state of the small instance (explicit engine)
    for inst in ("small", "default"):
        model = load_model(LOCK, inst, extra=(str(out),)).model
        assert any(p.kind == "lemma" for p in model.properties)
        assert check(model, {"deadlock": False}).status == "holds"


def test_same_input_same_lemma_file(tmp_path):
    a, b = tmp_path / "a" / "l.xm", tmp_path / "b" / "l.xm"
    a.parent.mkdir()
    b.parent.mkdir()
    for out in (a, b):
        assert infer(LOCK, "-o", str(out))[0] == 0
    assert a.read_text().replace(str(a), "OUT") == b.read_text().replace(str(b), "OUT")


def test_false_invariant_is_reported_as_a_violation_not_searched():
    res = infer(str(FIX / "infer_lock_bug.xm"))
    assert res[0] == 1
    assert res[1].startswith("explicit: violated: invariant mutex: does not hold")
    assert "step 4: acquire(p=proc1)" in res[1]
    assert "lemma" not in res[1]


def test_unknown_reports_the_targets_and_their_ctis(tmp_path):
    out = tmp_path / "counter.xm"
    res = infer(str(FIX / "infer_counter.xm"), "-o", str(out))
    assert res[0] == 3
    lines = res[1].splitlines()
    assert lines[0] == "unknown: the targets are not inductive with any subset of the candidates"
    # b == 6, a < 3: the step overflows b; no candidate is false in that pre-state
    assert "  not inductive: model errors and asserts / step (sat)" in lines
    assert "the first counterexample to induction (step 0 is a pre-state, not an initial state):" in lines
    assert "Incomplete: these lemmas do NOT make every target inductive" in out.read_text()


def test_unknown_in_json_carries_the_cti_states():
    res = infer(str(FIX / "infer_counter.xm"), "--format", "json")
    assert res[0] == 3
    data = json.loads(res[1])
    assert data["status"] == "unknown"
    stuck = data["failures"]
    assert [(f["target"], f["action"], f["answer"]) for f in stuck] == [("model errors and asserts", "step", "sat")]
    pre = stuck[0]["cti"][0]
    assert set(pre) == {"a", "b"} and int(pre["a"]) < 3 and int(pre["b"]) > 4  # the next step overflows b


def test_json_of_a_proof():
    data = json.loads(infer(LOCK, "--format", "json")[1])
    assert data["status"] == "proved"
    assert [lem["removes"] for lem in data["lemmas"]] == [["mutex / acquire"]]


@pytest.mark.parametrize("args, message", [
    (["--target", "nope"], "--target nope: no invariant or lemma of that name"),
    (["--engine", "magic"], "Invalid value for '--engine'"),
    (["--filter-instance", "huge"], "--filter-instance huge: no such instance"),
    (["--max-states", "0"], "Invalid value for '--max-states'"),
    (["--format", "sarif"], "sarif is for check, prove, simulate, test only"),
])
def test_bad_flags_exit_2_with_a_message(args, message):
    res = run_cli("infer", LOCK, *args)
    assert res[0] == 2
    assert message in (res[1] + res[2])


def test_pdr_engine_proves_the_lock_and_its_lemma_file_proves(tmp_path):
    out = tmp_path / "pdr.xm"
    res = run_cli("infer", LOCK, "--engine", "pdr", "-o", str(out), "--timeout", "60")
    assert res[0] == 0, res
    assert res[1].startswith("proved"), res
    proved = run_cli("prove", LOCK, "--lemmas", str(out))
    assert proved[0] == 0 and proved[1].startswith("induction: holds"), proved


def test_pdr_engine_reports_a_violation_with_exit_1():
    res = run_cli("infer", str(FIX / "infer_lock_bug.xm"), "--engine", "pdr", "--format", "json", "--timeout", "60")
    assert res[0] == 1, res
    assert json.loads(res[1])["status"] == "violated"


def test_grammar_has_the_ownership_shapes():
    model = load_model(str(ROOT / "bench" / "models" / "s1.xm")).model
    g = Grammar(model)
    texts = {a.pos for s in g.scopes() for a in g.atoms(s).atoms}
    assert "st[get(curr[p])] == running" in texts
    assert "curr[p] == v" in texts
    assert "v in rq[p]" in texts
    assert "(sum p: PCpu :: count(rq[p], v)) <= 1" in texts


def test_filter_keeps_only_implications_every_observation_satisfies():
    model = load_model(LOCK).model
    g = Grammar(model)
    scope = next(s for s in g.scopes() if len(s.binders) == 1)
    sa = g.atoms(scope)
    crit = next(i for i, a in enumerate(sa.atoms) if a.pos == "pc[p] == critical")
    held = next(i for i, a in enumerate(sa.atoms) if a.pos == "holder == p")
    obs = set()
    for c, h in ((True, True), (False, False), (False, True)):
        o = [False] * len(sa.atoms)
        o[crit], o[held] = c, h
        obs.add(tuple(o))
    texts = {c.text for c in candidates(scope, Table(sa.atoms, obs), 1000)}
    assert "forall p: Proc :: pc[p] == critical => holder == p" in texts
    assert "forall p: Proc :: holder == p => pc[p] == critical" not in texts


@pytest.mark.slow
def test_target_subset_names_the_lemmas_it_writes_and_the_inv_flags(tmp_path):
    out = tmp_path / "s1.xm"
    s1 = str(ROOT / "bench" / "models" / "s1.xm")
    res = infer(s1, "--target", "I1", "--target", "I4", "-o", str(out))
    assert res[0] == 0, res[1] + res[2]
    text = out.read_text()
    assert f"/// Prove them with: xenmodel prove {s1} --inv I1 --inv I4 --lemmas {out}" in text
    names = [line.split(":")[0].split()[1] for line in text.splitlines() if line.startswith("lemma ")]
    assert names == [f"inferred_{i + 1}" for i in range(len(names))]
    assert "infer_candidate" not in text  # CTIs of kept lemmas are named by the names written
    proof = run_cli("prove", s1, "--inv", "I1", "--inv", "I4", "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]


@pytest.mark.slow
def test_domain_is_proved_with_no_hand_written_lemma(tmp_path):
    out = tmp_path / "domain.xm"
    spec = str(ROOT / "spec" / "domain.xm")
    res = infer(spec, "-o", str(out))
    assert res[0] == 0, res[1] + res[2]
    assert "infer_candidate" not in out.read_text()
    proof = run_cli("prove", spec, "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]
    # every inferred lemma holds in every reachable state of the small instance (explicit engine)
    assert check(load_model(spec, "small", extra=(str(out),)).model, {"deadlock": False}).status == "holds"


@pytest.mark.slow
def test_s1_infers_its_lemma_with_no_hand_written_one(tmp_path):
    out = tmp_path / "s1.xm"
    s1 = str(ROOT / "bench" / "models" / "s1.xm")
    res = infer(s1, "-o", str(out))
    assert res[0] == 0, (res[1] + res[2])
    proof = subprocess.run([sys.executable, "-m", "xenmodel", "prove", s1, "--lemmas", str(out), "--no-cache"],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proof.returncode == 0, proof.stdout + proof.stderr
    # every inferred lemma holds in every reachable state (explicit engine)
    assert check(load_model(s1, extra=(str(out),)).model, {"deadlock": False}).status == "holds"


@pytest.mark.parametrize("fixture, lemma", [
    # a total: without the sum/count family the grammar has no lemma for this model (unknown)
    ("infer_total.xm", "lemma inferred_1: (count p: Proc :: has[p]) <= used"),
    # a sort constant: `peer[p] != Port(0)`
    ("infer_const.xm", "lemma inferred_1: forall p: Port :: bound[p] => peer[p] != Port(0)"),
])
def test_template_families_totals_and_sort_constants(tmp_path, fixture, lemma):
    out = tmp_path / "lemmas.xm"
    res = infer(str(FIX / fixture), "-o", str(out))
    assert res[0] == 0, res[1] + res[2]
    assert res[1].startswith("proved: 1 lemma(s) make the targets inductive")
    assert lemma in out.read_text()
    proof = run_cli("prove", str(FIX / fixture), "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]
    for inst in ("small", "default"):
        model = load_model(str(FIX / fixture), inst, extra=(str(out),)).model
        assert check(model, {"deadlock": False}).status == "holds"


def _infers_proves_and_holds(tmp_path, fixture: str, body: str) -> None:
    """infer writes a lemma `body` (whatever its number: which other lemmas the CTIs call for first is
    not the point), `prove` proves the file, and every inferred lemma holds in every reachable state at
    `small` and `default` (explicit engine)."""
    out = tmp_path / "lemmas.xm"
    res = infer(fixture, "-o", str(out))
    assert res[0] == 0, res[1] + res[2]
    bodies = re.findall(r"^lemma inferred_\d+: (.*)$", out.read_text(), re.M)
    assert body in bodies, bodies
    proof = run_cli("prove", fixture, "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]
    for inst in ("small", "default"):
        model = load_model(fixture, inst, extra=(str(out),)).model
        assert check(model, {"deadlock": False}).status == "holds"


def _unknown_without_the_family(fixture: str, action: str) -> None:
    """infer ends unknown, final for the grammar, with `action`'s consecution still a CTI."""
    res = infer(fixture)
    assert res[0] == 3, res[1] + res[2]
    assert res[1].startswith("unknown: the targets are not inductive with any subset of the candidates")
    assert f"not inductive: model errors and asserts / {action} (sat)" in res[1]


def test_def_family_proves_a_disjunction_the_model_names(tmp_path, monkeypatch):
    """`busy[c] => ready[c] || cached[c]` is three literals; the model's def `can_run` makes it two."""
    fixture = str(FIX / "infer_def.xm")
    _infers_proves_and_holds(tmp_path, fixture, "forall c: Cpu :: !can_run(c) => !busy[c]")
    # without the family the grammar has no lemma for it: unknown, final for the grammar
    import checkers.infer.grammar as grammar
    monkeypatch.setattr(grammar, "MAX_DEF_TERMS", 0)
    _unknown_without_the_family(fixture, "finish")


def test_two_conditions_family_proves_what_neither_condition_alone_says(tmp_path, monkeypatch):
    fixture = str(FIX / "infer_cond.xm")
    _infers_proves_and_holds(tmp_path, fixture, "forall p: Page :: frozen && copied => dst[p] == src[p]")
    monkeypatch.setattr(cands, "MAX_CONDITIONED", 0)
    _unknown_without_the_family(fixture, "use")


def test_grammar_lists_totals_and_constants_only_for_non_symmetric_sorts(tmp_path):
    sym = tmp_path / "sym.xm"
    sym.write_text((FIX / "infer_const.xm").read_text().replace("sort Port", "symmetric sort Port")
                   .replace("p != Port(0) && q != Port(0) && ", "").replace("!bound[Port(0)]", "true"))
    g = Grammar(load_model(str(sym), "small").model)
    assert not [a.pos for sc in g.scopes() for a in g.atoms(sc).atoms if "Port(0)" in a.pos]
    model = load_model(str(FIX / "infer_const.xm"), "small").model
    g = Grammar(model)
    scalar = [a.pos for a in g.atoms(g.scopes()[0]).atoms]
    assert "!bound[Port(0)]" not in scalar and "bound[Port(0)]" in scalar
    assert "(count p: Port :: bound[p]) == 0" in scalar
    one = [a.pos for a in g.atoms(g.scopes()[1]).atoms]
    assert "peer[p] == Port(0)" in one


def test_second_run_reads_the_proved_queries_from_the_cache_and_finds_the_same_file(tmp_path):
    cache = tmp_path / "cache"
    runs = []
    for extra in ([], [], ["--no-cache"]):
        out = tmp_path / f"l{len(runs)}.xm"
        res = infer(LOCK, "--format", "json", "--cache-dir", str(cache), "-o", str(out), *extra)
        assert res[0] == 0, res[1] + res[2]
        runs.append((json.loads(res[1])["stats"], out.read_text().replace(str(out), "OUT")))
    (first, text1), (second, text2), (nocache, text3) = runs
    assert first["from_cache"] == 0 and first["queries"] > 0
    # only the unsat answers are stored: the sat ones (the CTIs) are asked again
    assert second["from_cache"] > 0 and second["queries"] < first["queries"]
    assert nocache["from_cache"] == 0 and nocache["queries"] == first["queries"]
    assert text1 == text2 == text3


def test_sum_family_proves_a_count_made_of_flags_and_holders(tmp_path, monkeypatch):
    """`refs[o]` is the sum of three flags' ifs and a count of holders: one candidate of sums.py."""
    fixture = str(FIX / "infer_sum.xm")
    _infers_proves_and_holds(tmp_path, fixture, "forall o: Obj :: refs[o] == (if alloc[o] then 1 "
                             "else 0) + (if pinned[o] then 1 else 0) + (if reserved(o) then 1 else 0) + "
                             "(count p: Proc :: held[p] == o)")
    import checkers.infer.sums as sums
    monkeypatch.setattr(sums, "MAX_SUMS", 0)
    res = infer(fixture)  # without the family: unknown, final for the grammar
    assert res[0] == 3, res[1] + res[2]
    assert res[1].startswith("unknown: the targets are not inductive with any subset of the candidates")
    assert "  not inductive: free_unused / " in res[1]


def test_sum_solver_takes_the_smallest_sets_that_fit_every_row():
    from checkers.infer.sums import _solve
    # columns: target, a, b, c, d (d == a + b on every row, c never helps)
    rows = [(0, 0, 0, 1, 0), (1, 1, 0, 0, 1), (2, 1, 1, 0, 2), (1, 0, 1, 1, 1), (3, 1, 1, 1, 2)]
    assert _solve([r for r in rows if r[3] == 0], 0, [1, 2, 3, 4]) == [[4], [1, 2]]  # smallest first
    assert _solve(rows, 0, [1, 2, 3, 4]) == []  # c breaks it: no set fits every row
    # one part is enough (`tcount == grant_wrefs(m)`: the grammar has no int def as a term)
    assert _solve([(0, 0, 5), (1, 1, 5)], 0, [1, 2]) == [[1]]


def test_aliases_are_paired_with_their_class_first_atom_only():
    """Atoms the observations cannot tell apart (`busy[p]` and `pc[p] == critical` below, and `idle`
    and the negation of the first) form a class: implications name its first atom, and the alias gets
    the two implications with it."""
    from checkers.infer.grammar import Atom, Binder, Scope
    from xenmodel.types import SortT
    scope = Scope((Binder("p", SortT("Proc", "proc", 2)),))
    one = frozenset({"p"})
    atoms = [Atom("pc[p] == critical", "pc[p] != critical", one, 2), Atom("busy[p]", "!busy[p]", one, 2, flag=True),
             Atom("idle[p]", "!idle[p]", one, 2, flag=True), Atom("holder == p", "holder != p", one, 2)]
    obs = {(True, True, False, True), (False, False, True, False), (False, False, True, True)}
    table = Table(atoms, obs)
    assert cands.aliases(table) == {1: (0, True), 2: (0, False)}
    texts = {c.text for c in candidates(scope, table, 1000)}
    assert "forall p: Proc :: pc[p] == critical => holder == p" in texts
    assert "forall p: Proc :: busy[p] => holder == p" not in texts  # said by the class's first atom
    assert {"forall p: Proc :: busy[p] => pc[p] == critical", "forall p: Proc :: pc[p] == critical => busy[p]",
            "forall p: Proc :: !idle[p] => pc[p] == critical",
            "forall p: Proc :: pc[p] == critical => !idle[p]"} <= texts
    # without the rule every alias is paired as any atom
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cands, "ALIASES", False)
        assert "forall p: Proc :: busy[p] => holder == p" in {c.text for c in candidates(scope, table, 1000)}

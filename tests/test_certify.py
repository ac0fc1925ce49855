"""Proof certificates: `prove --certify DIR` and `xenmodel certify DIR` (checkers/certify).

The encoder is checked against the prover: on generated models and on every fixture, z3 reading the
certificate of each obligation gives the prover's own answer to the same query (sat / unsat). Then the
shipped proofs (S1 with its lemma, a subsystem) are re-checked by z3 and by cvc5 (skipped, with the
reason, when cvc5 is not installed), and the command's failures are checked: a wrong lemma, a changed
file, a corrupt manifest, a construct the encoder does not write.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
from pathlib import Path

import pytest
import z3
from click.testing import CliRunner

from checkers.certify import check as check_module
from checkers.certify import writer
from checkers.smt.induction import prove
from xenmodel.cli import cli
from xenmodel.frontend import load_model
from xenmodel.result import EngineOptions

from helpers import FIXTURES, ROOT, model_from_text
from modelgen import generate

HAVE_CVC5 = check_module.available("cvc5")
needs_cvc5 = pytest.mark.skipif(not HAVE_CVC5, reason="cvc5 is not installed (pip install 'xenmodel[certify]')")
S1 = [str(ROOT / "bench/models/s1.xm"), "--lemmas", str(ROOT / "bench/models/s1_lemmas.xm")]
DOMAIN = [str(ROOT / "spec/domain.xm"), "--lemmas", str(ROOT / "proofs/domain.xm"), "--instance", "small"]
SCHED = [str(ROOT / "spec/sched.xm"), "--lemmas", str(ROOT / "proofs/sched.xm"), "--instance", "small"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def z3_answer(path: Path) -> str:
    s = z3.Solver()
    s.set("timeout", 60_000)
    s.from_file(str(path))
    return str(s.check())


def differential(model, tmp: Path) -> list[str]:
    """The obligations where z3 on the certificate and the prover answer the same query differently;
    also returns nothing for obligations the prover did not ask (it stops at the first real violation)."""
    verdicts = writer.Verdicts()
    res = prove(model, EngineOptions(progress=verdicts))
    manifest = writer.write(model, tmp, verdicts.by_query, res.status)
    bad, asked = [], 0
    for ob in manifest["obligations"]:
        assert ob["not_certifiable"] is None, ob
        if ob["prover"] in ("sat", "unsat"):
            asked += 1
            got = z3_answer(tmp / ob["file"])
            if got != ob["prover"]:
                bad.append(f"{ob['id']}: prover {ob['prover']}, certificate {got}")
    assert asked > 0
    return bad


def _generated(seeds: range, tmp_path: Path) -> None:
    answers: set[str] = set()
    for seed in seeds:
        model = model_from_text(generate(random.Random(seed)))
        d = tmp_path / str(seed)
        assert differential(model, d) == [], f"seed {seed}"
        answers |= {ob["prover"] for ob in json.loads((d / "manifest.json").read_text())["obligations"]}
    assert {"sat", "unsat"} <= answers  # both answers were compared, not only proofs


def test_generated_models_agree_with_the_prover(tmp_path):
    _generated(range(30), tmp_path)


@pytest.mark.slow
def test_many_generated_models_agree_with_the_prover(tmp_path):
    _generated(range(30, 300), tmp_path)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.xm")))
def test_fixtures_agree_with_the_prover(name, tmp_path):
    from helpers import fixture
    assert differential(fixture(name), tmp_path) == []


def test_a_reachable_violation_is_a_sat_obligation(tmp_path):
    model = model_from_text("model m\nvar n: int[0..5]\naction inc() { require n < 4  n := n + 1 }\n"
                            "invariant small: n < 3\n")
    assert differential(model, tmp_path) == []
    m = json.loads((tmp_path / "manifest.json").read_text())
    sat = [ob["id"] for ob in m["obligations"] if z3_answer(tmp_path / ob["file"]) == "sat"]
    assert sat == ["init:exists", "inc/small"]


def test_a_bug_in_the_provers_encoding_shows_in_the_certificates(tmp_path, monkeypatch):
    """The point of an independent encoder: break the Z3 engine's `get` (it forgets get(none)) and the
    prover says holds, while the certificate of the same obligation is sat."""
    from checkers.smt import builtin_hooks
    monkeypatch.setitem(builtin_hooks.HOOKS, "get", lambda enc, e, args: args[0].v)
    model = model_from_text("model m\nvar o: int[0..3]?\nvar n: int[0..3]\naction use() { n := get(o) }\n"
                            "invariant ok: n <= 3\n")
    verdicts = writer.Verdicts()
    assert prove(model, EngineOptions(progress=verdicts)).status == "holds"
    m = writer.write(model, tmp_path, verdicts.by_query, "holds")
    row = next(ob for ob in m["obligations"] if ob["id"] == "use:errors")
    assert row["prover"] == "unsat"  # the broken encoding has no error site left: the prover's query is unsat
    assert z3_answer(tmp_path / row["file"]) == "sat"
    r = run("certify", str(tmp_path), "--solver", "z3")
    assert r.exit_code == 1 and "agree 4, disagree 1," in r.output


# ------------------------------------------------------------------ the shipped proofs, both solvers
def _certify(tmp_path: Path, model_args: list[str], solver: str):
    d = str(tmp_path / "certs")
    r = run("prove", *model_args, "--certify", d)
    assert r.exit_code == 0, r.output
    return d, run("certify", d, "--solver", solver)


@pytest.mark.parametrize("solver", ["z3", pytest.param("cvc5", marks=needs_cvc5)])
def test_s1_certificates(tmp_path, solver):
    d, r = _certify(tmp_path, S1, solver)
    assert r.exit_code == 0, r.output
    assert "agree 57, disagree 0, unknown 0, not checked 0 of 57" in r.output
    m = json.loads(Path(d, "manifest.json").read_text())
    assert m["prover_status"] == "holds" and m["instance"] is None and m["consts"] == {"D": 2, "V": 2, "P": 2, "N": 4}
    ob = m["obligations"][9]
    assert (ob["id"], ob["kind"], ob["expected"], ob["prover"]) == ("dispatch/I1", "consecution", "unsat", "unsat")
    text = Path(d, ob["file"]).read_text()
    assert ob["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert "; assumed in the pre-state (all properties, lemmas included): invariant I1," in text
    assert "(set-info :status unsat)" in text and text.endswith("(check-sat)\n(exit)\n")


@pytest.mark.parametrize("solver", ["z3", pytest.param("cvc5", marks=needs_cvc5)])
def test_domain_subsystem_certificates(tmp_path, solver):
    d, r = _certify(tmp_path, DOMAIN, solver)
    assert r.exit_code == 0, r.output
    assert "agree 145, disagree 0, unknown 0, not checked 0 of 145" in r.output


@pytest.mark.slow
@needs_cvc5
def test_sched_subsystem_certificates_both_solvers(tmp_path):
    # every obligation of the scheduler at `small` is unsat since G30 is a temporal property (its ghost
    # counter `bounded_wait`, whose csched_tick obligation was sat, is gone): both solvers say so of each
    d = str(tmp_path / "certs")
    r = run("prove", *SCHED, "--certify", d)
    assert r.exit_code == 0, r.output
    r = run("certify", d, "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    obs = out["obligations"]
    assert out["counts"] == {"agree": len(obs), "disagree": 0, "unknown": 0, "not checked": 0}
    # each as expected (unsat; the initial state's existence sat), by the prover unless the frame
    # argument skipped it (prover None: only the certificate's solvers answer it)
    assert [ob["id"] for ob in obs if not (ob["answers"]["z3"]["status"] == ob["answers"]["cvc5"]["status"]
                                           == ob["expected"] and ob["prover"] in (ob["expected"], None))] == []
    assert sum(ob["prover"] == "unsat" for ob in obs) > 300  # the asked consecutions, not only skipped ones


def test_a_wrong_lemma_is_a_sat_consecution_file(tmp_path):
    lemmas = tmp_path / "wrong.xm"
    lemmas.write_text(f'model wrong\ninclude "{ROOT / "bench/models/s1.xm"}"\n'
                      "/// Wrong on purpose: `send` sets a pending flag.\n"
                      "lemma never_pending: forall v: VCpu :: !pend[v]\n")
    d = str(tmp_path / "certs")
    r = run("prove", S1[0], "--lemmas", str(lemmas), "--certify", d)
    assert r.exit_code == 3, r.output  # a CTI: not proved
    r = run("certify", d, "--solver", "both" if HAVE_CVC5 else "z3", "--format", "json")
    assert r.exit_code == 1
    out = json.loads(r.output)
    row = next(ob for ob in out["obligations"] if ob["id"] == "send/never_pending")
    assert row["outcome"] == "disagree" and row["prover"] == "sat"
    assert {a["status"] for a in row["answers"].values()} == {"sat"}
    assert len(row["answers"]) == (2 if HAVE_CVC5 else 1)


# ------------------------------------------------------------------ the command's failures
@pytest.fixture
def certs(tmp_path):
    d = tmp_path / "certs"
    model = model_from_text("model m\nvar n: int[0..3]\naction inc() { require n < 3  n := n + 1 }\n"
                            "invariant ok: n <= 3\n")
    writer.write(model, d)
    return d


def test_certify_text_and_json(certs):
    r = run("certify", str(certs), "--solver", "z3")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith(f"certificates in {certs}: model <test>.xm, instance (declared values), 5 obligations "
                               "(the prover said: not run)")
    assert lines[2].split()[:4] == ["init:errors", "unsat", "unsat", lines[2].split()[3]]
    assert lines[-1].startswith("agree 5, disagree 0, unknown 0, not checked 0 of 5; z3 ")
    out = json.loads(run("certify", str(certs), "--solver", "z3", "--format", "json").output)
    assert out["counts"] == {"agree": 5, "disagree": 0, "unknown": 0, "not checked": 0} and out["exit_code"] == 0
    assert [(ob["id"], ob["outcome"]) for ob in out["obligations"]][:2] == [("init:errors", "agree"),
                                                                            ("init:exists", "agree")]


@pytest.mark.parametrize("solver", ["z3", pytest.param("cvc5", marks=needs_cvc5)])
def test_a_timeout_is_unknown_not_agreed(tmp_path, solver):
    writer.write(load_model(S1[0], None, {}, extra=(S1[2],)).model, tmp_path)  # S1 proved: every file unsat
    r = run("certify", str(tmp_path), "--solver", solver, "--file-timeout", "0.001", "--format", "json")
    out = json.loads(r.output)
    assert r.exit_code == 3 and out["counts"]["unknown"] > 0 and out["counts"]["disagree"] == 0
    timed_out = [ob["answers"][solver] for ob in out["obligations"] if ob["outcome"] == "unknown"]
    assert all(a["status"] == "unknown" and "timeout" in a["reason"] for a in timed_out)


def test_a_changed_file_is_an_error(certs):
    m = json.loads((certs / "manifest.json").read_text())
    f = certs / m["obligations"][4]["file"]
    f.write_text(f.read_text().replace("(assert", "(assert true) (assert", 1))
    r = run("certify", str(certs), "--solver", "z3")
    assert r.exit_code == 2
    assert f"error: {f}: the file was changed after it was written" in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("content, message", [
    ("{not json", "corrupt manifest: Expecting property name"),
    ('{"format": "other", "obligations": []}', "corrupt manifest: not a xenmodel-certificates/1 manifest"),
    ('{"format": "xenmodel-certificates/1", "obligations": [{"id": 3}]}', "corrupt manifest: obligation field 'id'"),
    ('{"format": "xenmodel-certificates/1", "obligations": [{"id": "a", "kind": "errors", "expected": "unsat", '
     '"file": "../x.smt2"}]}', "corrupt manifest: a names no file in the directory"),
])
def test_a_corrupt_manifest_is_an_error(certs, content, message):
    (certs / "manifest.json").write_text(content)
    r = run("certify", str(certs), "--solver", "z3", "--format", "json")
    assert r.exit_code == 2 and message in json.loads(r.output)["error"]


def test_no_manifest_and_a_missing_solver(tmp_path, monkeypatch, certs):
    r = run("certify", str(tmp_path), "--solver", "z3")
    assert r.exit_code == 2
    assert "manifest.json: no manifest (write certificates with `xenmodel prove --certify" in r.output
    monkeypatch.setattr(check_module, "available", lambda s: s != "cvc5")
    r = run("certify", str(certs))
    assert r.exit_code == 2
    assert "error: cvc5 is not installed: pip install 'xenmodel[certify]' (cvc5 is an optional extra), or pass " \
           "--solver z3" in r.output


def test_an_uncertifiable_construct_is_reported_not_checked(tmp_path):
    model = model_from_text("model m\nvar n: int[0..3]\naction inc() { require n < 3  n := n + 1 }\n"
                            "invariant ok: size({n * 2}) == 1\n")
    m = writer.write(model, tmp_path)
    why = {ob["id"]: ob["not_certifiable"] for ob in m["obligations"]}
    # in the initial state n is 0, the literal {0}: only the obligations from a symbolic pre-state are hit
    assert why == {"init:errors": None, "init:exists": None, "init/ok": None,
                   "inc:errors": "not certifiable: a set literal of unbounded ints at <test>.xm:4:20",
                   "inc/ok": "not certifiable: a set literal of unbounded ints at <test>.xm:4:20"}
    r = run("certify", str(tmp_path), "--solver", "z3")
    assert r.exit_code == 3
    assert "not checked (not certifiable: a set literal of unbounded ints at <test>.xm:4:20)" in r.output
    assert "agree 3, disagree 0, unknown 0, not checked 2 of 5;" in r.output


def test_writing_again_replaces_the_old_files(certs):
    old = set(os.listdir(certs))
    model = model_from_text("model m\nvar n: int[0..3]\ninvariant ok: n <= 3\n")  # no action: fewer files
    writer.write(model, certs)
    new = set(os.listdir(certs))
    assert new < old and len(new) == 4  # init:errors, init:exists, init/ok and the manifest
    assert run("certify", str(certs), "--solver", "z3").exit_code == 0


def test_certify_refuses_kind_and_is_deterministic(tmp_path):
    r = run("prove", *S1, "--engine", "kind", "--certify", str(tmp_path / "c"))
    assert r.exit_code == 2 and "--certify writes the obligations of --engine induction only" in r.output
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        assert run("prove", *DOMAIN, "--certify", str(d)).exit_code == 0
    strip = lambda d: {k: v for k, v in json.loads((d / "manifest.json").read_text()).items()  # noqa: E731
                       if k != "write_seconds"}
    assert strip(a) == strip(b)
    assert sorted(os.listdir(a)) == sorted(os.listdir(b))


def test_a_file_the_solver_rejects_is_unknown_not_agreed(certs):
    m = json.loads((certs / "manifest.json").read_text())
    ob = m["obligations"][0]
    data = b"(set-logic QF_LIA)\n(assert (no_such_function 1))\n(check-sat)\n"
    (certs / ob["file"]).write_bytes(data)
    ob["sha256"] = hashlib.sha256(data).hexdigest()  # the manifest vouches for it: only the solver objects
    (certs / "manifest.json").write_text(json.dumps(m))
    r = run("certify", str(certs), "--solver", "z3", "--format", "json")
    assert r.exit_code == 3
    row = json.loads(r.output)["obligations"][0]
    assert row["outcome"] == "unknown" and row["answers"]["z3"]["status"] == "error"
    assert "no_such_function" in row["answers"]["z3"]["reason"]

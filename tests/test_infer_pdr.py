"""The PDR baseline of `xenmodel infer` (checkers/infer/pdr.py, Z3's Spacer): its verdicts against the
explicit engine, its rendered lemmas against `prove`, and its timeout."""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

from checkers.explicit import check as explicit_check
from checkers.infer.pdr import run_pdr
from checkers.smt import induction
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.result import Status

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelgen import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
S1 = str(ROOT / "bench" / "models" / "s1.xm")
S1_BUG = str(ROOT / "bench" / "models" / "s1_bug.xm")


def explicit(model):
    return explicit_check(model, {"deadlock": False})


def proves_with(path: str, instance, consts, lemmas_text: str, tmp_path: Path, timeout: float = 120):
    """`prove FILE --lemmas OUT.xm` in process: the spec with the rendered lemma file."""
    out = Path(path).parent / f"_pdr_test_{tmp_path.name}.xm"  # includes stay in the project: beside the spec
    out.write_text(lemmas_text)
    try:
        model = load_model(path, instance, consts, extra=(str(out),)).model
        assert model.lemmas, "the rendered file adds lemmas"
        return induction.prove(model, {"timeout": timeout})
    finally:
        out.unlink()


def test_s1_small_is_proved_and_its_lemmas_prove(tmp_path):
    consts = {"D": 2, "V": 1, "P": 2}
    model = load_model(S1, None, consts).model
    o = run_pdr(model, (), 120)
    assert o.status == "proved", o.detail
    assert "I1, I2, I3, I4, I5 and error-freedom" in o.detail and "invariant checked" in o.detail
    assert o.lemmas_text is not None and "\nlemma pdr_1: " in o.lemmas_text
    assert explicit(model).status is Status.HOLDS
    r = proves_with(S1, None, consts, o.lemmas_text, tmp_path)
    assert r.status is Status.HOLDS, r.reason


@pytest.mark.slow  # Spacer finds this 3-step counterexample in 5-25 s
def test_s1_bug_is_violated_with_a_replayed_trace():
    model = load_model(S1_BUG, None, {"D": 1, "V": 3, "P": 2}).model
    o = run_pdr(model, (), 120)
    assert o.status == "violated", o.detail
    assert o.lemmas_text is None
    assert o.detail.startswith("violated: invariant I3 after "), o.detail
    assert explicit(model).status is Status.VIOLATED


TOY = """
model toy
var x: int[0..7]
var y: bool
action step() { require x < 5  x := x + 1 }
action flip() { y := !y }
invariant small: x <= 5
invariant even_y: x != 6 || y
"""

BAD_TOY = TOY.replace("require x < 5", "require x < 7").replace("x <= 5", "x <= 4")


def test_a_target_alone_and_a_violation():
    model = load_model("toy.xm", text=TOY).model
    o = run_pdr(model, ["small"], 60)
    assert o.status == "proved", o.detail
    assert o.detail.startswith("proved small ("), o.detail  # no other property, and not error-freedom
    bad = run_pdr(load_model("toy.xm", text=BAD_TOY).model, (), 60)
    assert bad.status == "violated" and bad.detail.startswith("violated: invariant small after 5 step(s)"), bad.detail
    with pytest.raises(ValueError, match="no invariant or lemma named nope in toy"):
        run_pdr(model, ["nope"], 10)


def test_domain_small_is_proved_and_its_lemmas_prove(tmp_path):
    path = str(ROOT / "spec" / "domain.xm")
    model = load_model(path, "small").model
    o = run_pdr(model, (), 120)
    assert o.status == "proved", o.detail
    assert o.lemmas_text is not None
    assert explicit(model).status is Status.HOLDS
    assert proves_with(path, "small", None, o.lemmas_text, tmp_path).status is Status.HOLDS


@pytest.mark.parametrize("seconds", [4.0, 0.01])
def test_the_timeout_gives_unknown(seconds):
    """Spacer's own timeout (4 s: the encoding takes well under a second, unless the machine is loaded),
    and the alarm that cuts the encoding (0.01 s): unknown, no exception."""
    model = load_model(S1, None, {"D": 3, "V": 2, "P": 2}).model
    t = time.perf_counter()
    o = run_pdr(model, (), seconds)
    took = time.perf_counter() - t
    assert o.status == "unknown" and o.lemmas_text is None
    assert o.detail.startswith(f"timed out after {seconds:g} s"), o.detail
    if seconds < 0.1:
        assert "spacer" not in o.detail  # cut before Spacer started
    assert took < seconds + 10


@pytest.mark.slow
@pytest.mark.parametrize("spec", ["sched", "context_switch"])
def test_spec_small_agrees_with_the_explicit_engine(spec, tmp_path):
    path = str(ROOT / "spec" / f"{spec}.xm")
    model = load_model(path, "small").model
    o = run_pdr(model, (), 300)
    assert o.status in ("proved", "unknown"), o.detail
    if o.status == "proved":
        assert explicit(model).status is Status.HOLDS
        if o.lemmas_text is not None:
            # sched's proof asks up to 1,648 queries: 120 s was not enough beside another slow test on
            # the 2-core machine (1,255 asked); the timeout only guards against a solver that hangs
            r = proves_with(path, "small", None, o.lemmas_text, tmp_path, timeout=1200)
            assert r.status is Status.HOLDS, (r.status, r.reason)


def _differential(seed: int) -> str:
    src = generate(random.Random(f"pdr:{seed}"))
    try:
        model = load_model("<t>.xm", text=src).model
    except DiagnosticError:
        pytest.skip("the generator wrote a model the front end refuses (counted by tests/test_campaigns.py)")
    o = run_pdr(model, (), 10)
    if o.status == "unknown":
        return o.status
    ref = explicit(model)
    if o.status == "proved":
        assert ref.status is Status.HOLDS, (o.detail, ref.status, src)
        if o.lemmas_text is not None:  # the rendered lemmas, added to the model, prove
            lines = o.lemmas_text.splitlines()
            lemmas = "\n".join(lines[[i for i, line in enumerate(lines) if line.startswith("model ")][0] + 1:])
            with_lemmas = load_model("<t>.xm", text=src + "\n" + lemmas).model
            r = induction.prove(with_lemmas, {"timeout": 60})
            assert r.status is Status.HOLDS, (r.reason, o.lemmas_text, src)
    else:
        assert ref.status is Status.VIOLATED, (o.detail, ref.status, src)
    return o.status


@pytest.mark.parametrize("seed", range(12))
def test_differential_against_the_explicit_engine(seed):
    _differential(seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12, 112))
def test_differential_against_the_explicit_engine_more(seed):
    _differential(seed)

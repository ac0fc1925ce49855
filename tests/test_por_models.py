"""Partial-order reduction against the plain search on the fixtures, S1 and every bug variant (issue 20).

The reduction runs eagerly (no probe: tests/test_por.py's `eager`), with the temporal properties taken
out (with them the reduction is off, and the comparison would be of two plain searches). Checked, per
model: the same status as `--no-por`, the counterexample replays and is never shorter (exactly as long
when nothing was left out), and a model that holds stores no more states. With symmetric sorts the
reduction is off (symmetry wins), so the fixtures of tests/fixtures/symmetry run with --no-symmetry.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from checkers import explicit
from checkers.explicit import por
from xenmodel.frontend import load_model

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_por import compare, length  # noqa: E402

from spec_expectations import BUGS as EXPECTED  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*.xm")
                  if not p.name.endswith("_lemmas.xm") and "golden" not in p.parts)
S1 = ["s1.xm", "s1_bug.xm", "s1_live.xm", "s1_sym.xm"]
BUGS = sorted(p.stem for p in (ROOT / "spec" / "bugs").glob("*.xm"))
FAST_BUGS = {"evtchn-send-wrong-port", "grant-free-while-mapped", "irq-bind-no-access", "mem-overallocate"}


@pytest.fixture(autouse=True)
def eager(monkeypatch):
    monkeypatch.setattr(por, "PROBE", 0)
    monkeypatch.setattr(por, "MIN_GAIN", 0.0)


def _safety(model):
    return dataclasses.replace(model, temporals=())


def _instance(path: Path) -> str | None:
    text = path.read_text()
    return "small" if "instance small" in text else None


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT / "tests" / "fixtures")))
def test_fixture(path):
    model = _safety(load_model(str(path), _instance(path), {}).model)
    compare(model, symmetry=False)
    compare(model, deadlock=False, symmetry=False)


@pytest.mark.parametrize("name", S1)
def test_s1(name):
    model = _safety(load_model(str(ROOT / "bench" / "models" / name), None, {}).model)
    compare(model, symmetry=False)
    compare(model, deadlock=False, symmetry=False)


def test_s1_bug_counterexample_length():
    """S1-bug's shortest counterexample is 5 steps at (2,2,2); the reduced search's is as long or longer."""
    full, red = compare(load_model(str(ROOT / "bench" / "models" / "s1_bug.xm"), None, {}).model, deadlock=False)
    assert length(full) == 5 and length(red) >= 5


def _bug(name):
    # the instance the variant is checked at (a variant written for `bugs2x2` holds at `small`)
    instance = next((b.instance for b in EXPECTED if b.variant == name), "small")
    model = _safety(load_model(str(ROOT / "spec" / "bugs" / f"{name}.xm"), instance, {}).model)
    full, red = compare(model, deadlock=False)
    return full, red


@pytest.mark.parametrize("name", sorted(FAST_BUGS))
def test_bug_variant(name):
    _bug(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [b for b in BUGS if b not in FAST_BUGS])
def test_bug_variant_slow(name):
    _bug(name)


def test_temporal_models_run_without_the_reduction():
    model = load_model(str(ROOT / "bench" / "models" / "s1_live.xm"), None, {}).model
    r = explicit.check(model, {"deadlock": False})
    assert r.stats["por"]["off"].startswith("temporal properties")

"""Temporal properties and fairness in the language: syntax (round trip), the IR the front end builds,
and the errors (their golden cases are in tests/golden/diagnostics: XM016, XM240-XM244)."""
from __future__ import annotations

import pytest

from xenmodel import ir
from xenmodel.diagnostics import DiagnosticError
from xenmodel.parser import parse_text
from xenmodel.printer import module_text
from xenmodel.types import BOOL

from helpers import model_from_text

SRC = """
model m
sort P = p[2]
var x: P -> int[0..3]
var y: bool
fair weak action a(q: P) { require x[q] < 3  x[q] := x[q] + 1 }
fair strong action b() { require !y  y := true }
action c() { y := !y }
fairness weak c
/// every counter eventually moves past 1
temporal t: forall q: P where q != p1 :: forall r: P :: x[q] == 1 ~> x[r] == 2
temporal u: always eventually y
temporal w: eventually always x[p0] == 3
temporal z: eventually x[p0] > 0 && x[p1] < 3
temporal s: always x[p0] <= 3
invariant i: x[p0] < 4
"""


def test_round_trip() -> None:
    m = parse_text(SRC, "m.xm")
    assert parse_text(module_text(m), "m.xm") == m


def test_ir() -> None:
    model = model_from_text(SRC)
    assert [(a.name, a.fairness) for a in model.actions] == [
        ("a", ir.Fairness.WEAK), ("b", ir.Fairness.STRONG), ("c", ir.Fairness.WEAK)]
    assert [a.name for a in model.fair_actions] == ["a", "b", "c"]
    kinds = {t.name: t.kind for t in model.temporals}
    assert kinds == {"t": ir.TemporalKind.LEADS_TO, "u": ir.TemporalKind.ALWAYS_EVENTUALLY,
                     "w": ir.TemporalKind.EVENTUALLY_ALWAYS, "z": ir.TemporalKind.EVENTUALLY,
                     "s": ir.TemporalKind.ALWAYS}
    t = model.temporal("t")
    assert t is not None and [p.name for p in t.params] == ["q", "r"] and t.where is not None
    assert t.q is not None and t.doc == "every counter eventually moves past 1"
    z = model.temporal("z")
    assert z is not None and z.q is None and z.p.type == BOOL
    assert [p.name for p in model.properties] == ["i"]  # temporals are not invariants


@pytest.mark.parametrize("text, code", [
    ("invariant i: always y", "XM240"),
    ("action d() { require eventually y }", "XM240"),
    ("temporal t: eventually (eventually y)", "XM241"),
    ("temporal t: always always y", "XM241"),
    ("temporal t: (eventually y) && (eventually !y)", "XM241"),
    ("temporal t: y", "XM241"),
    ("temporal t: forall q: P :: x[q] == 1", "XM241"),
    ("temporal t: eventually (y ~> !y)", "XM241"),
    ("temporal t: y ~> eventually !y", "XM241"),
    ("temporal t: exists q: P :: eventually x[q] == 1", "XM242"),
    ("temporal t: forall q: P where x[q] == 0 :: eventually x[q] == 1", "XM242"),
    ("temporal t: eventually x[p0]", "XM203"),
    ("fairness weak y", "XM243"),
    ("fairness weak nosuch", "XM106"),
    ("fairness strong a", "XM244"),
    ("fairness weak a\nfairness weak a", "XM244"),
    ("fair weak def f(): int = 1", "XM016"),
])
def test_errors(text: str, code: str) -> None:
    base = ("sort P = p[2]\nvar x: P -> int[0..3]\nvar y: bool\nfair weak action a() { y := !y }\n"
            "action c() { y := !y }\n")
    with pytest.raises(DiagnosticError) as err:
        model_from_text(base + text)
    assert [d.code for d in err.value.diagnostics][:1] == [code], err.value.diagnostics


def test_reserved_only_in_expressions() -> None:
    # `weak`, `strong` and `fair` stay ordinary names
    model = model_from_text("var weak: bool\nvar strong: bool\naction fair() { weak := !strong }")
    assert [a.name for a in model.actions] == ["fair"]

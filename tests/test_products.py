"""Products of domains that nesting makes are counted before any engine runs (XM233, XM234)."""
from __future__ import annotations

import pytest

from xenmodel.diagnostics import DiagnosticError
from xenmodel.limits import Limits

from helpers import model_from_text


def codes(text: str, domain: int) -> list[str]:
    try:
        model_from_text(text, limits=Limits(domain=domain))
    except DiagnosticError as err:
        return [f"{d.code}: {d.message}" for d in err.diagnostics]
    return []


INIT = """model m
sort D = d[10]
var x: D -> D
init {
  choose a: D { x[a] := a }
  if x[d0] == d0 { choose b: D { x[b] := b } } else { choose c: bool { } }
  foreach v: bool { choose e: bool { } }
}
action a() { x := x }
"""


def test_init_paths_multiply_sequential_nested_and_looped():
    # 10 (choose a) x max(10, 2) (the if) x 2^2 (a choose in a foreach over bool) = 400 paths
    assert codes(INIT, 400) == []
    assert codes(INIT, 399) == ["XM233: the init block has more than 399 initial states (its chooses multiply); "
                                "the limit is 399"]


ACTION = """model m
sort D = d[10]
var x: D -> bool
action a(p: D, q: bool) { choose r: D { x[r] := q } }
"""


def test_an_actions_parameters_and_chooses_multiply():
    assert codes(ACTION, 200) == []
    assert codes(ACTION, 199) == ["XM233: action `a` has more than 199 transitions from one state (its parameters "
                                  "and chooses multiply); the limit is 199"]


NESTED = """model m
sort D = d[10]
var x: D -> bool
action a() {{ require {expr}  x := x }}
invariant inv: {expr}
"""


@pytest.mark.parametrize("expr, product", [
    ("forall p: D :: exists q: D :: x[p] || x[q]", 100),
    ("forall p: D :: (count q: D :: x[q]) > 0 || x[p]", 100),
])
def test_nested_binders_multiply(expr, product):
    text = NESTED.format(expr=expr)
    assert codes(text, product) == []
    found = codes(text, product - 1)
    assert found and all(c.startswith("XM234: binders nested here range over more than") for c in found)
    assert len(found) == 2  # once in the action, once in the invariant: each place is named


def test_binders_side_by_side_do_not_multiply():
    assert codes(NESTED.format(expr="(forall p: D :: x[p]) || (forall q: D :: x[q])"), 10) == []


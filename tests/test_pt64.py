"""spec/pt64.xm (the x86-64 PV address space, docs/model.md): what tests/test_spec.py does not already check.

- the instance `two` (two domains, one guest frame each: the refusals of another domain's frames) holds,
  with its exact state count;
- the hardware-walk form of B45 (`pt_no_writable_table`) on its own catches the linear variants that give
  the guest a writable page table: checked with only that invariant selected, so it is not B46 that
  catches them; on the command line, exit 1 and the invariant's name;
- the same invariant holds on the correct model with only it selected (it is not vacuous: the first test
  shows it fails where a walk reaches a table with RW, and the correct model reaches read-only linear
  entries, as the variant traces show).

The variants themselves (explicit, BMC, Hypothesis) are rows of tests/spec_expectations.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from xenmodel.frontend import load_model
from xenmodel.selection import select
from xenmodel.trace import replay

from helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "pt64.xm"
BUGS = ROOT / "spec" / "bugs"
WALK = "pt_no_writable_table"


def test_two_domains_hold_exhaustively() -> None:
    from checkers import explicit
    model = load_model(str(SPEC), "two", {}).model
    result = explicit.check(model, {"deadlock": True})
    assert result.status == "holds"
    assert (result.stats["states"], result.stats["depth"]) == (1_922, 9)


@pytest.mark.parametrize(("variant", "length"), [("pt64-linear-rw", 2), ("pt64-l4-fastpath-rw", 3)])
def test_the_walk_alone_catches_a_writable_linear_entry(variant: str, length: int) -> None:
    from checkers import explicit
    model = select(load_model(str(BUGS / f"{variant}.xm"), "small", {}).model, inv=(WALK,)).model
    result = explicit.check(model, {"deadlock": False})
    assert result.status == "violated"
    assert result.trace is not None and result.trace.violation is not None
    assert (result.trace.violation.kind, result.trace.violation.name) == ("invariant", WALK)
    assert len(result.trace) == length
    replay(model, result.trace)


def test_the_walk_alone_on_the_command_line() -> None:
    code, out, _ = run_cli("check", str(BUGS / "pt64-l4-fastpath-rw.xm"), "-i", "small", "--no-deadlock",
                           "--inv", WALK)
    assert code == 1
    assert f"violated[XM509]: invariant {WALK}" in out
    assert "step 3: pt_mmu_update(d=dom0, t=mfn1, i=pte0, present=true, rw=true, pse=false, target=mfn1)" in out


def test_the_walk_holds_on_the_correct_model() -> None:
    code, out, _ = run_cli("check", str(SPEC), "-i", "small", "--inv", WALK)
    assert code == 0
    assert "holds" in out

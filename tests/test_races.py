"""The split hypercalls (docs/model.md section 10, "Hypercalls that interleave").

- each subsystem's `races` instance (two pcpus, the split form on) holds under the explicit engine, with
  its exact state count and depth;
- each race variant is a race, not a removed check: the same file with the split form off (the atomic
  call, one step) holds, and with it on the explicit engine reports the race (tests/test_spec.py checks
  the shortest length, BMC and the Hypothesis machine for every variant, these included);
- with the split form on, the atomic action is never enabled, and with it off, none of the split steps.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from xenmodel.frontend import load_model
from xenmodel.result import Result

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec"


@dataclass(frozen=True)
class RaceFile:
    name: str  # spec/<name>.xm
    switch: str  # the constant that chooses the split form
    atomic: str  # the action the split form replaces
    steps: tuple[str, ...]  # the split form's actions
    states: int  # at the `races` instance (measured)
    depth: int


RACE_FILES = [
    RaceFile("memory", "MM_RACES", "mm_pin", ("mm_pin_begin", "mm_pin_type", "mm_pin_set"), 19_237, 19),
    RaceFile("grant", "GNT_RACES", "gnt_unmap",
             ("gnt_unmap_begin", "gnt_unmap_lock", "gnt_unmap_common", "gnt_unmap_complete"), 27_970, 31),
    RaceFile("evtchn", "EVTCHN_RACES", "evtchn_send", ("evtchn_send_lock", "evtchn_send_deliver"), 12_092, 12),
]

# variant -> (its file's switch, the property the explicit engine reports with the split form on)
RACE_VARIANTS = {
    "mem-pin-type-race": ("MM_RACES", "type changes only while the type count is 0"),
    "grant-unmap-double-race": ("GNT_RACES", "gnt_pins_match_maps"),
    "grant-unmap-lock-no-wait": ("GNT_RACES", "gnt_act_lock_one_holder"),
    "evtchn-reset-send-race": ("EVTCHN_RACES", "evtchn_locked_binding_stable"),
}


def _check(path: Path, instance: str, consts: dict[str, int | bool] | None = None,
           deadlock: bool = True) -> Result:
    from checkers import explicit
    model = load_model(str(path), instance, consts or {}).model
    return explicit.check(model, {"deadlock": deadlock})


@pytest.mark.parametrize("f", RACE_FILES, ids=lambda f: f.name)
def test_races_instance_holds(f: RaceFile) -> None:
    result = _check(SPEC / f"{f.name}.xm", "races")
    assert result.status == "holds", result.reason
    assert (result.stats["states"], result.stats["depth"]) == (f.states, f.depth)


@pytest.mark.parametrize("f", RACE_FILES, ids=lambda f: f.name)
@pytest.mark.parametrize("split", [True, False], ids=["split", "atomic"])
def test_one_form_at_a_time(f: RaceFile, split: bool) -> None:
    """The constant picks one form: the other form's actions generate no transition (explored to depth 8,
    deep enough for every split step to be taken)."""
    from checkers import explicit
    model = load_model(str(SPEC / f"{f.name}.xm"), "races", {f.switch: split}).model
    result = explicit.check(model, {"deadlock": True, "max_depth": 8})
    taken = {name for name, c in result.stats["coverage"].items() if c["generated"] > 0}
    if split:
        assert f.atomic not in taken and set(f.steps) <= taken
    else:
        assert f.atomic in taken and not taken & set(f.steps)


@pytest.mark.parametrize("variant", sorted(RACE_VARIANTS))
def test_race_variant_is_a_race(variant: str) -> None:
    switch, broken = RACE_VARIANTS[variant]
    path = SPEC / "bugs" / f"{variant}.xm"
    atomic = _check(path, "small", {switch: False}, deadlock=False)
    assert atomic.status == "holds", f"{variant} with {switch} off: {atomic.status} {atomic.reason}"
    split = _check(path, "small", deadlock=False)
    assert split.status == "violated" and split.trace is not None and split.trace.violation is not None
    v = split.trace.violation
    assert broken == v.name or broken in v.message

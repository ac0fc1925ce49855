"""The documentation's pictures and trace files still show what their commands produce.

tools/screenshots.py made each from a command and recorded the command and a digest of its trace's states
in docs/screenshots.json. Here each command runs again (no browser: the trace is compared, not pixels).
When this fails, run `python tools/screenshots.py`, look at the new pictures, and commit them with the JSON.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from screenshots import RECORD, SHOTS, Shot, states_digest, trace_of  # noqa: E402

RECORDED = json.loads(RECORD.read_text())
HINT = "run `python tools/screenshots.py`, look at the pictures, commit them with docs/screenshots.json"


def test_every_shot_is_recorded_with_its_command() -> None:
    assert sorted(RECORDED) == sorted(s.name for s in SHOTS), HINT
    for shot in SHOTS:
        assert RECORDED[shot.name]["command"] == shot.command, HINT
        for f in RECORDED[shot.name]["files"]:
            assert (ROOT / f).is_file(), f"{f} is missing: {HINT}"


@pytest.mark.parametrize("shot", SHOTS, ids=[s.name for s in SHOTS])
def test_the_command_still_makes_the_trace_shown(shot: Shot, tmp_path: Path) -> None:
    states, digest = trace_of(shot, tmp_path)
    assert (states, digest) == (RECORDED[shot.name]["states"], RECORDED[shot.name]["states_sha256"]), (
        f"`{shot.command}` now gives another trace ({states} states): {HINT}")


def test_the_trace_files_the_docs_link_to_are_the_recorded_ones() -> None:
    for shot in SHOTS:
        for suffix, target in shot.copies.items():
            if suffix.endswith(".json"):
                found = states_digest((ROOT / target).read_text())
                assert found == (RECORDED[shot.name]["states"], RECORDED[shot.name]["states_sha256"]), HINT


def test_a_changed_trace_changes_the_digest() -> None:
    text = (ROOT / "docs/traces/migration-split-brain.itf.json").read_text()
    itf = json.loads(text)
    itf["states"][1]["mig_round"] = {"#bigint": "7"}
    assert states_digest(json.dumps(itf)) != states_digest(text)


def test_the_docs_show_each_pictures_command() -> None:
    # A reader can make every picture's trace themselves: its command is on the page that shows it.
    pages = "\n".join(p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    for shot in SHOTS:
        assert shot.command in pages, f"no page shows `{shot.command}`"

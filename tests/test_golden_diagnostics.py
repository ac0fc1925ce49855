"""Golden tests: every error code has a model that triggers it and the exact output it prints.

Each case is tests/golden/diagnostics/XMnnn_what.xm; its first line names the command
(`// command: xenmodel ...`, with {file} for the case's own path). The expected output is the
.out file beside it. Regenerate deliberately with:  XENMODEL_REGEN_GOLDEN=1 pytest tests/test_golden_diagnostics.py
"""
from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from xenmodel.cli import cli
from xenmodel.diagnostics import CODES

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path("tests/golden/diagnostics")
CASES = sorted((ROOT / GOLDEN).glob("XM*.xm"))
REGEN = os.environ.get("XENMODEL_REGEN_GOLDEN") == "1"


def run_case(case: Path) -> tuple[str, str]:
    first = case.read_text().splitlines()[0]
    m = re.match(r"// command: xenmodel (.*)", first)
    assert m, f"{case.name}: first line must be `// command: xenmodel ...`"
    command = m.group(1).replace("{file}", str(GOLDEN / case.name))
    result = CliRunner().invoke(cli, shlex.split(command), catch_exceptions=False)
    text = (f"$ xenmodel {command}\nexit: {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n"
            f"{result.stderr}")
    return command, mask_timings(text)


def mask_timings(text: str) -> str:
    """Wall-clock figures differ from run to run; everything else must match exactly."""
    text = re.sub(r"seconds=[0-9.]+", "seconds=<t>", text)
    return re.sub(r"steps_per_second=(None|[0-9]+)", "steps_per_second=<r>", text)


def test_golden_set_is_not_empty():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_golden(case: Path, monkeypatch):
    monkeypatch.chdir(ROOT)
    _, text = run_case(case)
    expected = case.with_suffix(".out")
    if REGEN:
        expected.write_text(text)
    assert expected.exists(), f"no golden output for {case.name}; run with XENMODEL_REGEN_GOLDEN=1"
    assert text == expected.read_text()
    code = case.stem.split("_")[0]
    assert f"[{code}]" in text or f"{code} " in text or f'"code": "{code}"' in text, \
        f"{case.name} does not show its own code {code}"


def test_every_code_outside_traces_has_a_golden_case():
    covered = {c.stem.split("_")[0] for c in CASES}
    # XM601-XM604 are trace-file errors, covered by the trace tests with their own files
    missing = sorted(c for c in CODES if c not in covered and not c.startswith("XM6"))
    assert missing == []


def test_every_code_is_documented():
    doc = (ROOT / "docs" / "language.md").read_text()
    missing = [c for c in CODES if f"| {c} |" not in doc]
    assert missing == []


def test_every_code_used_in_the_sources_is_registered():
    used = set()
    for path in list((ROOT / "xenmodel").rglob("*.py")) + list((ROOT / "checkers").rglob("*.py")):
        used |= set(re.findall(r'"(XM\d{3})"', path.read_text()))
    assert used and used <= set(CODES)

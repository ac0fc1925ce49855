"""The README's tour is run for real: its model, commands and outputs must stay true."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from xenmodel.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def tour_source() -> str:
    m = re.search(r"Save this as\n`tour.xm`:\n\n```\n(.*?)```", README, re.S)
    assert m, "the README lost its tour model"
    return m.group(1)


def run_in(tmp_path, monkeypatch, source: str, *args: str):
    (tmp_path / "tour.xm").write_text(source)
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(cli, list(args))


def block_after(marker: str) -> str:
    start = README.index(marker)
    m = re.search(r"```\n(.*?)```", README[start:], re.S)
    return m.group(1)


def test_the_two_commands_come_first():
    first_screen = README.split("## What is here")[0]
    blocks = re.findall(r"```\n(.*?)\n```", first_screen, re.S)
    assert blocks == ["pip install -e . && xenmodel check spec/xen.xm --max-depth 5",
                      "pip install -e '.[test]' && python -m pytest -q"]


def test_tour_parse(tmp_path, monkeypatch):
    result = run_in(tmp_path, monkeypatch, tour_source(), "parse", "tour.xm")
    assert result.exit_code == 0
    assert result.output.strip() in README


def test_tour_parse_error(tmp_path, monkeypatch):
    result = run_in(tmp_path, monkeypatch, tour_source().replace("curr := v", "curr = v"), "parse", "tour.xm")
    assert result.exit_code == 2
    assert result.stderr.replace("1 error(s)\n", "") == block_after("Change\n`curr := v`")


def test_tour_simulate(tmp_path, monkeypatch):
    ok = run_in(tmp_path, monkeypatch, tour_source(), "simulate", "tour.xm", "--steps", "1000", "--runs", "10",
                "--seed", "1")
    assert ok.exit_code == 0 and "sampled: no violation in 10 random run(s) of up to 1000 steps" in ok.output
    bad = run_in(tmp_path, monkeypatch, tour_source().replace("  curr := none\n", "\n"), "simulate", "tour.xm",
                 "--steps", "1000", "--runs", "10", "--seed", "1")
    assert bad.exit_code == 1
    expected = block_after("Break the model")
    mask = lambda t: re.sub(r"steps_per_second=[0-9]+", "", re.sub(r"seconds=[0-9.]+", "", t))  # noqa: E731
    assert mask(bad.output) == mask(expected)

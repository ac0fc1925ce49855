"""The command line: help everywhere, exit codes, JSON output, determinism."""
from __future__ import annotations

import json
import sys
from dataclasses import fields

import pytest
from click.testing import CliRunner

from xenmodel.cli import cli
from xenmodel.cli import common as cli_module
from xenmodel.reports.results import progress_text
from xenmodel.result import EngineOptions, ProgressUpdate
from xenmodel.trace import Result

from helpers import FIXTURES

SCHED = str(FIXTURES / "sched_small.xm")
BUGGY = """model buggy
var n: int[0..5]
action inc() { n := n + 1 }
/// n stays small
invariant small: n < 3
"""


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", [[], ["parse"], ["explain"], ["instances"], ["config"], ["simulate"], ["check"],
                                     ["prove"], ["infer"], ["test"], ["certify"],
                                     ["trace"], ["trace", "replay"], ["trace", "show"], ["trace", "export"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_parse_ok_and_json():
    result = run("parse", SCHED)
    assert result.exit_code == 0 and result.output.startswith("ok: model sched_small")
    data = json.loads(run("parse", SCHED, "--format", "json").stdout)
    assert data == {"status": "ok", "model": "sched_small", "file": SCHED, "instance": "default", "vars": 3,
                    "actions": 3, "invariants": 2, "lemmas": 0}


def test_errors_exit_2_with_json_diagnostics(tmp_path):
    bad = tmp_path / "bad.xm"
    bad.write_text("model m\nvar x: bool\ninit { x := 1 }\n")
    result = run("parse", str(bad), "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["status"] == "error"
    (diag,) = data["diagnostics"]
    assert diag["code"] == "XM201" and diag["span"]["line"] == 3 and diag["span"]["col"] == 13


def test_bad_flag_exits_2():
    assert run("simulate", SCHED, "--steps", "-1").exit_code == 2
    assert run("check", SCHED, "--engine", "nope").exit_code == 2
    assert run("parse", SCHED, "--const", "NPCPU").exit_code == 2


def test_explain_lists_actions_with_refs():
    result = run("explain", SCHED)
    assert "dispatch(p: PCpu)" in result.output
    assert "@ref xen/common/sched/credit.c:csched_schedule" in result.output
    data = json.loads(run("explain", SCHED, "--format", "json").stdout)
    assert data["actions"][0]["refs"] == ["xen/common/sched/credit.c:csched_schedule"]
    assert [p["name"] for p in data["properties"]] == ["runs_once", "queued_once"]


def test_simulate_violation_exits_1_and_is_deterministic(tmp_path):
    f = tmp_path / "buggy.xm"
    f.write_text(BUGGY)
    a = run("simulate", str(f), "--seed", "7", "--format", "json")
    b = run("simulate", str(f), "--seed", "7", "--format", "json")
    assert a.exit_code == 1
    da, db = json.loads(a.stdout), json.loads(b.stdout)
    for d in (da, db):
        d["stats"].pop("seconds"), d["stats"].pop("steps_per_second")
    assert da == db
    assert da["status"] == "violated" and da["trace"]["violation"]["name"] == "small"
    assert da["trace"]["length"] == 3


def test_simulate_without_violation_is_a_sample_not_a_proof():
    result = run("simulate", SCHED, "--steps", "20", "--runs", "2")
    assert result.exit_code == 0 and "sampled:" in result.output and "not a proof" in result.output


def test_internal_errors_exit_70(monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(cli_module, "load_model", boom)
    result = run("parse", SCHED)
    assert result.exit_code == 70 and "internal error" in result.stderr and "Traceback" not in result.output


def test_missing_engine_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "checkers.explicit", None)  # as in a build without the engine
    result = run("check", SCHED)
    assert result.exit_code == 2 and "not available" in result.output


@pytest.mark.parametrize("args, message", [
    (["check", "--engine", "bmc", "--max-states", "100"], "the bmc engine does not support --max-states"),
    (["check", "--engine", "bmc", "--no-symmetry"], "the bmc engine does not support --symmetry"),
    (["check", "--max-states", "3", "--engine", "bmc"], "the bmc engine does not support --max-states"),
    (["prove", "--k", "3"], "the induction engine does not support --k"),
])
def test_an_option_the_engine_does_not_support_is_a_usage_error(args, message):
    # an engine never silently ignores what the user asked for
    result = run(args[0], SCHED, *args[1:])
    assert result.exit_code == 2 and message in result.output, result.output


def test_only_the_options_given_reach_the_engine(monkeypatch):
    import checkers.explicit
    seen = []

    def fake(model, options: EngineOptions):
        seen.append(options)
        return Result("holds", "explicit", model.path, model.instance, {})
    monkeypatch.setattr(checkers.explicit, "check", fake)
    assert run("check", SCHED).exit_code == 0
    assert run("check", SCHED, "--no-deadlock", "--max-states", "5").exit_code == 0
    unset = [f.name for f in fields(EngineOptions) if f.name != "progress"]
    assert all(getattr(seen[0], n) is None for n in unset)
    assert (seen[1].deadlock, seen[1].max_states, seen[1].symmetry) == (False, 5, None)


def test_progress_lines_render_updates_and_plain_lines():
    line = progress_text(ProgressUpdate("explicit", "search", 1.25, depth=3, states=12345, queue=7))
    assert line == "explicit: search, depth 3, 12,345 states, queue 7, 1.2s"
    assert progress_text(ProgressUpdate("hypothesis", "run", 2.0, done=3, total=10)) == \
        "hypothesis: run, 3/10 done, 2.0s"
    assert progress_text("bmc depth 2: unsat\x1b") == "bmc depth 2: unsat\\x1b"

"""Issue 16's command line: one flag family, property selection, statuses for CI, progress in logs,
project configuration, instances, coverage and shortened simulate traces."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from xenmodel.cli import cli, common

from helpers import FIXTURES

SCHED = str(FIXTURES / "sched_small.xm")
TWO = """model two
var x: int[0..3]
action inc() { require x < 3  x := x + 1 }
action reset() { require x == 3  x := 0 }
/// x never passes 3
invariant small: x <= 3
/// x is never 2
invariant not_two: x != 2
"""

ONE = TWO.replace("/// x is never 2\ninvariant not_two: x != 2\n", "")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def write(tmp_path):
    def write(text, name="m.xm"):
        path = tmp_path / name
        path.write_text(text)
        return str(path)
    return write


# ------------------------------------------------------------------ 1. one flag family
@pytest.mark.parametrize("engine", ["explicit", "bmc"])
def test_depth_is_an_alias_of_max_depth_on_both_engines(write, engine):
    path = write(ONE)
    a, b = run("check", path, "--engine", engine, "--max-depth", "2"), run("check", path, "--engine", engine,
                                                                           "--depth", "2")
    assert a.exit_code == b.exit_code == 0
    assert a.stdout.splitlines()[0] == b.stdout.splitlines()[0] == f"{engine}: bounded: no violation up to depth 2"


def test_deadlock_is_on_by_default_in_every_engine(write):
    path = write("model stuck\nvar x: int[0..1]\naction go() { require x == 0  x := 1 }\n")
    for command in (["check"], ["check", "--engine", "bmc"], ["simulate"], ["test", "--max-examples", "10"]):
        res = run(*command, path)
        first = res.stdout.splitlines()[0]
        assert res.exit_code == 1 and first.endswith(": violated: deadlock: no action is enabled"), command
        assert run(*command, path, "--no-deadlock").exit_code == 0, command


def test_every_command_takes_format_and_every_engine_command_the_run_flags():
    for command in (["parse"], ["explain"], ["instances"], ["config"], ["check"], ["prove"], ["simulate"],
                    ["test"], ["trace", "replay"], ["trace", "show"], ["trace", "export"]):
        assert "--format [text|json|sarif]" in run(*command, "--help").stdout, command
    for command in ("check", "prove", "simulate", "test"):
        out = run(command, "--help").stdout
        for flag in ("--timeout", "--trace-out", "--inv", "--skip", "--require-complete", "--quiet", "--config"):
            assert flag in out, (command, flag)


def test_trace_show_json_and_export_trace_out(write, tmp_path):
    path = write(TWO)
    cex = tmp_path / "cex.itf.json"
    assert run("check", path, "--trace-out", cex).exit_code == 1
    shown = run("trace", "show", path, cex, "--format", "json")
    data = json.loads(shown.stdout)
    assert shown.exit_code == 0 and data["status"] == "ok" and data["length"] == 2
    assert data["violation"]["name"] == "not_two"
    out = tmp_path / "cex.txt"
    res = run("trace", "export", path, cex, "--trace-out", out)
    assert (res.exit_code, res.stdout) == (0, f"wrote {out} (text, 2 step(s))\n")
    old = run("trace", "export", path, cex, "-o", tmp_path / "old.txt")  # the old flag, kept hidden
    assert old.exit_code == 0 and (tmp_path / "old.txt").exists()
    both = run("trace", "export", path, cex, "-o", tmp_path / "a.txt", "--trace-out", tmp_path / "b.txt")
    assert both.exit_code == 2 and "give the output file once, with --trace-out FILE" in both.output
    res = run("trace", "export", path, cex, "--trace-out", tmp_path / "c.html", "--format", "json")
    assert json.loads(res.stdout) == {"status": "ok", "wrote": str(tmp_path / "c.html"), "format": "html",
                                      "steps": 2, "files": [str(tmp_path / "c.html")]}


# ------------------------------------------------------------------ 2. choosing properties
def test_inv_and_skip_choose_properties_and_say_so(write):
    path = write(TWO)
    res = run("check", path, "--inv", "small")
    assert res.exit_code == 0
    assert res.stdout.splitlines()[:2] == [
        "explicit: holds: every property holds in every reachable state",
        "properties: checked 1 (small); skipped 1 (not_two); asserts, model errors and deadlock (when on) as always"]
    res = run("check", path, "--skip", "not_*", "--format", "json")
    assert json.loads(res.stdout)["properties"] == {"checked": ["small"], "skipped": ["not_two"]}
    res = run("check", path, "--inv", "*", "--skip", "small")
    assert res.exit_code == 1 and "violated: invariant not_two" in res.stdout.splitlines()[0]
    for command in (["simulate", "--runs", "3"], ["test", "--max-examples", "10", "--shrink", "model"]):
        assert run(*command, path, "--skip", "not_two").exit_code == 0, command
        assert run(*command, path, "--inv", "not_two").exit_code == 1, command


def test_a_pattern_matching_nothing_is_a_usage_error_listing_the_names(write):
    res = run("check", write(TWO), "--inv", "smal")
    assert res.exit_code == 2
    assert res.stderr == ("error[XM704]: --inv smal: no property of model `two` matches\n"
                          "     = help: the properties are: small, not_two\n1 error(s)\n")


def test_asserts_are_checked_whatever_is_chosen(write):
    path = write(TWO.replace("x := x + 1 }", "x := x + 1  assert x < 3 }"))
    res = run("check", path, "--skip", "*")
    assert res.exit_code == 1 and res.stdout.startswith("explicit: violated: assert XM507")


LEMMA = """model counter
var x: int[0..10]
var y: int[0..10]
init { x := 0  y := 0 }
action step() { require x < 5  x := x + 1  y := y + 1 }
/// x stays small
invariant bounded: x <= 5
/// x and y move together (what makes `same_bound` inductive)
lemma together: x == y
/// y stays small
invariant same_bound: y <= 5
"""


def test_prove_keeps_lemmas_as_assumptions_and_goals(write):
    path = write(LEMMA)
    res = run("prove", path, "--inv", "same_bound")
    assert res.exit_code == 0 and res.stdout.splitlines()[:2] == [
        "induction: holds: every property holds in every reachable state",
        "properties: checked 2 (together, same_bound); skipped 1 (bounded); asserts, model errors and deadlock "
        "(when on) as always"]
    # without the lemma (an explicit --skip) the invariant alone is not inductive: unknown, never a wrong holds
    res = run("prove", path, "--inv", "same_bound", "--skip", "together")
    assert res.exit_code == 3 and res.stdout.startswith("induction: unknown: not inductive")


# ------------------------------------------------------------------ 3. statuses for CI
def test_require_complete_makes_bounded_and_sampled_exit_3(write):
    path = write(ONE)
    res = run("check", path, "--max-depth", "1", "--require-complete")
    assert res.exit_code == 3 and res.stdout.startswith("explicit: bounded: no violation up to depth 1\n")
    assert res.stderr == "--require-complete: the result is bounded, not complete (exit 3)\n"
    assert run("check", path, "--require-complete").exit_code == 0  # holds: complete
    assert run("simulate", path, "--require-complete").exit_code == 3
    assert run("test", path, "--require-complete", "--max-examples", "3").exit_code == 3
    data = json.loads(run("check", path, "--engine", "bmc", "--require-complete", "--format", "json").stdout)
    assert data["status"] == "bounded" and data["incomplete"].startswith("--require-complete")


BIG = """model big
var a: int[0..3000]
var b: int[0..3000]
action inca() { require a < 3000  a := a + 1 }
action incb() { require b < 3000  b := b + 1 }
action back() { require a == 3000 && b == 3000  a := 0  b := 0 }
invariant fine: a >= 0
"""


def test_explicit_timeout_reports_the_depth_completed(write):
    # the plain search (--no-por): a reduced one stopped early gives no depth bound (tests/test_por.py)
    res = run("check", write(BIG), "--timeout", "1", "--no-por")
    assert res.exit_code == 0, res.output
    first = res.stdout.splitlines()[0]
    depth = int(re.fullmatch(r"explicit: bounded: no violation up to depth (\d+)", first).group(1))
    assert depth > 10
    assert (f"note: stopped at --timeout 1 s while expanding level {depth + 1}; the bound is the last level "
            "checked completely") in res.stdout
    assert "never enabled" not in res.stdout  # stopped early: no coverage claims
    assert run("check", write(BIG), "--timeout", "1", "--no-por", "--require-complete").exit_code == 3


# ------------------------------------------------------------------ 4. progress
def test_log_progress_is_rate_limited():
    now = [100.0]
    lines = []
    p = common.LogProgress(clock=lambda: now[0])
    common.click.echo = lambda text, err=False: lines.append(text)  # restored below
    try:
        for t in (100.0, 101.9, 102.0, 104.0, 106.9, 107.0, 111.0, 112.5):
            now[0] = t
            p(f"at {t}")
    finally:
        import click
        common.click.echo = click.utils.echo
    assert lines == ["progress: at 102.0", "progress: at 107.0", "progress: at 112.5"]


def test_progress_goes_to_the_log_and_quiet_silences_it(write, monkeypatch):
    import checkers.explicit.search as search
    monkeypatch.setattr(common, "PROGRESS_FIRST", 0.0)
    monkeypatch.setattr(common, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(search, "PROGRESS_EVERY", 0.0)
    path = write(BIG)
    res = run("check", path, "--max-depth", "300")
    assert res.exit_code == 0
    line = next(ln for ln in res.stderr.splitlines() if ln.startswith("progress: "))
    assert re.fullmatch(r"progress: explicit: search, depth \d+, [\d,]+ states, [\d,]+ transitions, queue [\d,]+, "
                        r"[\d.]+s, [\d,]+ states/s", line), line
    assert "progress" not in res.stdout
    # the deadlock scan of the last level (as long as the search on the headline model) reports too
    assert re.search(r"^progress: explicit: deadlock scan of the last level, depth 300, [\d,]+ states, "
                     r"[\d,]+/301 done", res.stderr, re.M), res.stderr[-500:]
    assert run("check", path, "--max-depth", "300", "--quiet").stderr == ""
    js = run("check", path, "--max-depth", "300", "--format", "json")
    assert json.loads(js.stdout)["status"] == "bounded" and "progress: " in js.stderr


# ------------------------------------------------------------------ 5. project configuration
def test_pyproject_settings_apply_and_flags_win(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "p"\n\n[tool.xenmodel]\nmax-depth = 2\n'
                                             'skip = ["not_*"]\nrequire-complete = true\n')
    (tmp_path / "models").mkdir()
    path = tmp_path / "models" / "m.xm"
    path.write_text(TWO)
    res = run("check", path)
    assert res.exit_code == 3 and res.stdout.startswith("explicit: bounded: no violation up to depth 2\n"
                                                        "properties: checked 1 (small); skipped 1 (not_two)")
    assert run("check", path, "--max-depth", "1").stdout.startswith("explicit: bounded: no violation up to depth 1")
    shown = run("config", path, "--max-depth", "1").stdout.splitlines()
    assert shown[0] == f"configuration: {tmp_path / 'pyproject.toml'} ([tool.xenmodel])"
    assert "  max-depth         1  (command line)" in shown
    assert f"  skip              not_*  ({tmp_path / 'pyproject.toml'}:6)" in shown
    assert "  timeout           (default: none)" in shown
    data = json.loads(run("config", path, "--format", "json").stdout)
    row = next(r for r in data["settings"] if r["key"] == "max-depth")
    assert row == {"key": "max-depth", "value": 2, "source": f"{tmp_path / 'pyproject.toml'}:5",
                   "default": "explicit: none; bmc: 10", "sets": "the depth bound of check (both engines)"}


def test_bad_configuration_is_exit_2_naming_file_and_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.xenmodel]\ntimeout = -1\n")
    path = tmp_path / "m.xm"
    path.write_text(TWO)
    res = run("check", path)
    assert res.exit_code == 2
    assert res.stderr.startswith(f"{tmp_path / 'pyproject.toml'}:2:1: error[XM702]: `timeout` in [tool.xenmodel] "
                                 "must be > 0, not -1\n")


# ------------------------------------------------------------------ 6. instances
def test_instances_lists_constants_and_measured_sizes():
    res = run("instances", SCHED)
    assert res.exit_code == 0 and res.stdout == (
        "default: NPCPU=2, NVCPU=3; sorts PCpu: 2, VCpu: 3\n  states: not measured (--measure counts them)\n"
        "small: NPCPU=2, NVCPU=2; sorts PCpu: 2, VCpu: 2\n  states: not measured (--measure counts them)\n")
    res = run("instances", SCHED, "--measure")
    assert res.stdout == (
        "default: NPCPU=2, NVCPU=3; sorts PCpu: 2, VCpu: 3\n  states: 27 reachable (exhaustive; the deepest at "
        "depth 8)\nsmall: NPCPU=2, NVCPU=2; sorts PCpu: 2, VCpu: 2\n  states: 9 reachable (exhaustive; the "
        "deepest at depth 4)\n")
    res = run("instances", SCHED, "--measure", "--max-states", "5", "--format", "json")
    size = json.loads(res.stdout)["instances"][0]["size"]
    assert size["exact"] is False and size["stopped"] == "the --max-states budget ran out" and size["states"] >= 5


# ------------------------------------------------------------------ 7. coverage
SWITCH = """model sw
const FEATURE: bool = false
const LIMIT: int = 2
var x: int[0..3]
action inc() { require x < LIMIT  x := x + 1 }
action reset() { require x == LIMIT  x := 0 }
action extra() { require FEATURE && x == 0  x := 3 }
action never() { require x == 3  x := 0 }
invariant fine: x <= 3
"""


def test_never_enabled_is_one_line_naming_the_switch(write):
    path = write(SWITCH)
    res = run("check", path)
    assert res.exit_code == 0
    lines = [ln for ln in res.stdout.splitlines() if "never enabled" in ln]
    assert lines == ["warning: 2 action(s) never enabled in any reachable state: extra (its require reads "
                     "FEATURE = false), never"]
    assert "never enabled" not in run("check", path, "--max-depth", "1").stdout  # stopped early: no claim


def test_coverage_table(write):
    res = run("check", write(SWITCH), "--coverage")
    assert "\n".join(res.stdout.splitlines()[2:8]) == (
        "coverage (transitions fired, new states found, states where enabled, branch arms taken, per action):\n"
        "action         fired    new states       enabled  arms taken\n"
        "inc                2             2             2         2/2\n"
        "reset              1             0             1         2/2\n"
        "extra              0             0             0         1/2\n"
        "never              0             0             0         1/2")
    bmc = run("check", write(SWITCH), "--coverage", "--engine", "bmc")
    assert bmc.exit_code == 2 and "--coverage is for --engine explicit" in bmc.output


# ------------------------------------------------------------------ 8. shorter simulate traces
WANDER = """model wander
var x: int[0..20]
var y: int[0..1]
action up() { require x < 20  x := x + 1 }
action down() { require x > 0  x := x - 1 }
action flip() { y := 1 - y }
/// never flipped while at zero
invariant calm: !(y == 1 && x == 0)
"""


def test_simulate_shortens_its_counterexample(write):
    path = write(WANDER)
    long = json.loads(run("simulate", path, "--seed", "4", "--no-shrink", "--format", "json").stdout)
    short = run("simulate", path, "--seed", "4")
    assert short.exit_code == 1
    n = long["trace"]["length"]
    assert n > 1 and f"shortened from {n} to 1 step(s) by deleting unneeded steps" in short.stdout
    assert "counterexample (1 step(s)):" in short.stdout


# ------------------------------------------------------------------ 9. docs/cli.md is the reference
def _commands(group, prefix=()):
    import click
    for name, cmd in group.commands.items():
        yield (*prefix, name), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, (*prefix, name))


def test_every_command_and_option_is_in_docs_cli_md():
    import click
    doc = (FIXTURES.parent.parent / "docs" / "cli.md").read_text()
    missing = []
    for path, cmd in _commands(cli):
        if f"`{' '.join(path)}" not in doc and f"## {' '.join(path)}" not in doc:
            missing.append(" ".join(path))
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.hidden:
                missing += [f"{' '.join(path)} {o}" for o in (*param.opts, *param.secondary_opts)
                            if f"`{o}" not in doc and f"{o}`" not in doc and f"/{o}" not in doc]
    assert missing == []


def test_simulate_counts_steps_as_the_counterexample_header_does():
    # the walk of docs/traces.md: 65 steps, mostly refused calls, down to the 2 before the failing assert
    bug = FIXTURES.parent.parent / "spec" / "bugs" / "mem-type-change-race.xm"
    res = run("simulate", bug, "-i", "small", "--runs", "50", "--seed", "1")
    assert res.exit_code == 1
    assert res.stdout.splitlines()[:2] == ["simulate: violated: assert XM507: type changes only while the type "
                                           "count is 0", "counterexample (2 step(s), then step 3 fails):"]
    assert "shortened from 65 to 2 step(s) by deleting unneeded steps (--no-shrink keeps the walk as found)" \
        in res.stdout

"""`--format sarif` (issue 16): one SARIF 2.1.0 run per command, validated against the OASIS schema
(tests/data/sarif-schema-2.1.0.json, see its README)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from xenmodel.cli import cli

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema (the `test` extra) validates SARIF logs")

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())

BUGGY = """model buggy
var n: int[0..5] = 0
action inc() { n := n + 1 }
/// n stays small: below 2.
/// A second sentence of the doc.
invariant small: n < 2
"""
ASSERTING = """model asserting
var n: int[0..5] = 0
action inc() {
  assert n < 1, "n stays below 1"
  n := n + 1
}
"""
STUCK = """model stuck
var n: int[0..5] = 0
action inc() { require n < 1
  n := n + 1 }
"""
SAFE = BUGGY.replace("n < 2", "n <= 5").replace("{ n := n + 1 }", "{ require n < 5\n  n := n + 1 }")


def sarif(*args: str) -> tuple[int, dict]:
    r = CliRunner().invoke(cli, [*args, "--format", "sarif"], catch_exceptions=False)
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1
    return r.exit_code, doc["runs"][0]


def test_an_invariant_violation_is_a_result_at_the_property(write):
    code, run = sarif("check", write("buggy.xm", BUGGY))
    assert code == 1
    driver = run["tool"]["driver"]
    assert driver["name"] == "xenmodel" and [r["id"] for r in driver["rules"]] == [
        "small", "assert", "model-error", "deadlock"]
    assert driver["rules"][0]["shortDescription"] == {"text": "n stays small: below 2."}
    assert driver["rules"][0]["fullDescription"] == {"text": "n stays small: below 2. A second sentence of the doc."}
    [result] = run["results"]
    assert (result["ruleId"], result["ruleIndex"], result["level"]) == ("small", 0, "error")
    assert result["message"]["text"] == ("violated: invariant small: does not hold (n stays small: below 2.). "
                                         "Counterexample (2 step(s)): init, inc(), inc().")
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "buggy.xm", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 6, "startColumn": 11, "endLine": 6, "endColumn": 16}}  # the property's name
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [f["location"]["message"]["text"] for f in flow] == ["step 0: init", "step 1: inc()", "step 2: inc()"]
    assert run["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    assert run["properties"]["status"] == "violated"


def test_an_assert_is_a_result_at_the_assert(write):
    code, run = sarif("check", write("asserting.xm", ASSERTING))
    [result] = run["results"]
    assert (code, result["ruleId"], result["ruleIndex"]) == (1, "assert", 0)
    assert result["message"]["text"] == ("violated: assert XM507: n stays below 1. Counterexample (1 step(s), "
                                         "then step 2 fails): init, inc(), then inc() fails.")
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert result["properties"]["code"] == "XM507"


def test_a_deadlock_is_a_result_at_the_model(write):
    code, run = sarif("check", write("stuck.xm", STUCK))
    [result] = run["results"]
    assert (code, result["ruleId"]) == (1, "deadlock")
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}


def test_holds_is_an_empty_results_list(write):
    code, run = sarif("check", write("safe.xm", SAFE), "--no-deadlock")
    assert (code, run["results"], run["properties"]["status"]) == (0, [], "holds")
    assert "toolExecutionNotifications" not in run["invocations"][0]


def test_a_bounded_verdict_says_it_is_not_a_proof(write):
    code, run = sarif("simulate", write("safe.xm", SAFE), "--no-deadlock", "--runs", "2", "--steps", "3")
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert code == 0 and run["results"] == [] and note["level"] == "note" and note["message"]["text"].endswith(
        "(not a proof)")


@pytest.mark.parametrize("command", [("prove",), ("simulate", "--seed", "1"), ("test", "--seed", "1")])
def test_every_checking_command_writes_sarif(write, command):
    code, run = sarif(command[0], write("buggy.xm", BUGGY), *command[1:])
    if command[0] == "prove":  # n < 2 is not inductive: a counterexample to induction, or unknown
        assert code in (1, 3)
    else:
        assert code == 1 and run["results"][0]["ruleId"] == "small"


def test_an_error_in_the_model_is_a_notification_with_its_code(write):
    code, run = sarif("check", write("bad.xm", "model bad\nvar n: int[0..5] = m\n"))
    assert code == 2 and run["results"] == [] and run["invocations"][0]["executionSuccessful"] is False
    [note] = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"] == {"id": "XM106"}
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "bad.xm", "uriBaseId": "SRCROOT"}


def test_sarif_is_only_for_checking_commands(write):
    r = CliRunner().invoke(cli, ["parse", write("safe.xm", SAFE), "--format", "sarif"])
    assert r.exit_code == 2 and "sarif is for check, prove, simulate, test only" in r.stderr


def test_files_are_relative_to_the_working_directory(write, tmp_path, monkeypatch):
    """An absolute path under the working directory is written relative (SRCROOT); one outside it was typed
    as such and is a file: URI."""
    absolute = str(tmp_path / write("buggy.xm", BUGGY))
    _, run = sarif("check", absolute)
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "buggy.xm", "uriBaseId": "SRCROOT"}
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    _, run = sarif("check", absolute)
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file://" + absolute}
    assert str(tmp_path) not in json.dumps(run["originalUriBaseIds"])

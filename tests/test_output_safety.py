"""Untrusted models and outputs (issue 14): output files, control characters, trace-file limits, huge ints.

Each case pins the exit code and the message. The rules are in docs/traces.md ("Output files" and
"Reading limits") and xenmodel/safetext.py.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from xenmodel.cli import cli
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.reports import files
from xenmodel.reports.results import result_json, result_text
from xenmodel.safetext import escape, int_text
from xenmodel.trace import Result, Trace, TraceStep

ROOT = Path(__file__).resolve().parent.parent
XEN = "tests/fixtures/trace_xen.xm"
# finds a violation in 18 steps (--no-shrink: the trace tests below tamper with its later states)
SIM = ("simulate", XEN, "--steps", "30", "--runs", "20", "--seed", "1", "--no-shrink")
HUGE = 10 ** 5000


def run(*args):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def xen_trace(tmp_path) -> Path:
    path = tmp_path / "cex.itf.json"
    assert run(*SIM, "--trace-out", str(path))[0] == 1
    return path


def not_regular(path: Path, kind: str) -> str:
    return (f"error[XM605]: {path} exists and is {kind}: the trace file is written only to a new or a regular "
            "file\n     = help: give the path of a new file (or of a regular file to replace)\n1 error(s)\n")


# ------------------------------------------------------------------ --trace-out and trace export --out
def test_trace_out_refuses_special_files_before_the_run(tmp_path):
    fifo = tmp_path / "fifo.itf.json"
    os.mkfifo(fifo)
    link = tmp_path / "link.itf.json"
    (tmp_path / "real.itf.json").write_text("keep")
    link.symlink_to(tmp_path / "real.itf.json")
    for path, kind in ((Path("/dev/null"), "a character device"), (fifo, "a FIFO"), (link, "a symbolic link")):
        # stdout is empty: no search ran (a search would print its verdict)
        assert run(*SIM, "--trace-out", str(path)) == (2, "", not_regular(path, kind))
    assert (tmp_path / "real.itf.json").read_text() == "keep" and fifo.exists() and link.is_symlink()
    for command in (("check", XEN), ("prove", XEN), ("test", XEN)):
        assert run(*command, "--trace-out", "/dev/null") == (
            2, "", not_regular(Path("/dev/null"), "a character device"))
    code, out, err = run(*SIM, "--trace-out", str(tmp_path))  # a directory: click's own check, also exit 2
    assert (code, out) == (2, "") and f"Invalid value for '--trace-out': File '{tmp_path}' is a directory." in err


def test_trace_out_in_a_missing_directory_fails_before_the_run(tmp_path):
    path = tmp_path / "missing" / "t.itf.json"
    assert run(*SIM, "--trace-out", str(path)) == (
        2, "", f"error[XM603]: cannot write the trace file {path}: No such file or directory\n1 error(s)\n")


def test_a_failed_write_still_prints_the_verdict_and_leaves_no_temp_file(tmp_path, monkeypatch):
    def full(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", full)
    path = tmp_path / "t.itf.json"
    code, out, err = run(*SIM, "--trace-out", str(path))
    assert code == 2
    assert out.startswith("simulate: violated: invariant mapped_owned") and "counterexample (18 step(s)):" in out
    assert "step 18:" in out and "seed: 1" in out
    assert err == f"error[XM603]: cannot write the trace file {path}: No space left on device\n1 error(s)\n"
    code, out, _ = run(*SIM, "--trace-out", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 2 and data["status"] == "violated" and data["trace"]["length"] == 18
    assert [d["code"] for d in data["diagnostics"]] == ["XM603"]
    assert list(tmp_path.iterdir()) == []  # no stale .tmp


def test_a_path_that_becomes_special_after_the_check_is_still_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "check_output", lambda path: None)  # the race: the check passed, then...
    path = tmp_path / "t.itf.json"
    os.mkfifo(path)  # ...a FIFO appears
    code, out, err = run(*SIM, "--trace-out", str(path))
    assert code == 2 and out.startswith("simulate: violated: invariant mapped_owned")
    assert err == not_regular(path, "a FIFO")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.itf.json"]  # the temp file is gone


def test_trace_export_out_follows_the_same_rules(xen_trace, tmp_path):
    assert run("trace", "export", XEN, str(xen_trace), "--out", "/dev/null") == (
        2, "", not_regular(Path("/dev/null"), "a character device"))
    missing = tmp_path / "no" / "t.txt"
    assert run("trace", "export", XEN, str(xen_trace), "--out", str(missing)) == (
        2, "", f"error[XM603]: cannot write the trace file {missing}: No such file or directory\n1 error(s)\n")
    assert run("trace", "export", XEN, str(xen_trace), "-o", str(tmp_path / "t.txt"))[0] == 0


# ------------------------------------------------------------------ control characters
ESC_MODEL = '''/// A model whose texts carry terminal control sequences.
model esc

var x: int[0..1] = 0

/// flips x \x1b]0;pwned\x07 and rings
action flip() {
  assert x == 0, "x is \x1b[31mred\x1b[0m\\nforged: holds"
  x := 1 - x
}
'''


def test_escape():
    assert escape("a\x1b[2Jb\x07\r\u202e\u2028\tc\\x") == "a\\x1b[2Jb\\x07\\x0d\\u202e\\u2028\tc\\x"
    assert escape(escape("\x1b\n")) == escape("\x1b\n") == "\\x1b\\x0a"


def test_control_characters_of_a_model_are_escaped_in_results_and_explain(tmp_path):
    model = tmp_path / "esc.xm"
    model.write_text(ESC_MODEL)
    code, out, err = run("check", str(model))
    assert code == 1 and err == ""
    assert out.startswith("explicit: violated: assert XM507: x is \\x1b[31mred\\x1b[0m\\x0aforged: holds\n")
    assert f"    fails: XM507 x is \\x1b[31mred\\x1b[0m\\x0aforged: holds ({model}:8:3)\n" in out
    code, out, _ = run("explain", str(model))
    assert code == 0 and "      flips x \\x1b]0;pwned\\x07 and rings\n" in out
    for text in (run("check", str(model))[1], out):
        assert "\x1b" not in text and "\x07" not in text
    code, out, _ = run("check", str(model), "--format", "json")  # JSON escapes them itself
    assert code == 1 and "\x1b" not in out and json.loads(out)["trace"]["violation"]["message"].startswith("x is \x1b")


def test_control_characters_in_diagnostics_excerpts_and_file_names(tmp_path):
    bad = tmp_path / "bad.xm"
    bad.write_text('model bad\nvar x: int[0..1] = 0\naction a() { x := "\x1b[2J\x1b[H" }\n')
    assert run("parse", str(bad)) == (2, "", (
        f"{bad}:3:19: error[XM002]: unexpected `\"\\x1b[2J\\x1b[H\"`; expected `!`, `(`, `-`, `[`, `count(`, "
        "`{`, a name, a number, ...\n"
        "   3 | action a() { x := \"\\x1b[2J\\x1b[H\" }\n"
        "                         ^^^^^^^^^^^^^^^\n1 error(s)\n"))
    named = tmp_path / "name\x1b[2J.xm"
    named.write_text("model n\nvar x: int[0..1] = 0\naction a() { x := y }\n")
    code, _, err = run("parse", str(named))
    assert code == 2 and err.startswith(f"{tmp_path}/name\\x1b[2J.xm:3:19: error[XM106]: unknown name `y`\n")


def test_control_characters_of_a_trace_file_are_escaped(xen_trace, tmp_path):
    doc = json.loads(xen_trace.read_text())
    doc["states"][1]["rogue\x1b[2J"] = True
    bad = tmp_path / "rogue.itf.json"
    bad.write_text(json.dumps(doc))
    assert run("trace", "replay", XEN, str(bad)) == (
        2, "", f"error[XM604]: {bad}: state 1: the model has no variable `rogue\\x1b[2J`\n1 error(s)\n")
    doc = json.loads(xen_trace.read_text())
    doc["#meta"]["source"] = "spec\x1b[2J.xm"
    shown = tmp_path / "source.itf.json"
    shown.write_text(json.dumps(doc))
    code, out, _ = run("trace", "show", XEN, str(shown))
    assert code == 0 and out.startswith("model trace_xen (spec\\x1b[2J.xm)\n")


# ------------------------------------------------------------------ trace-file limits
def tampered(src: Path, dest: Path, fn) -> Path:
    doc = json.loads(src.read_text())
    fn(doc)
    dest.write_text(json.dumps(doc))
    return dest


def curr_value(value):
    def fn(doc):
        doc["states"][4]["curr"] = {"#map": [["pcpu0", {"#set": []}], ["pcpu1", {"#set": [value]}]]}
    return fn


@pytest.mark.parametrize("value", ["vcpu\u00b9", "vcpu\u0661", "vcpu 1", "vcpu+1", "vcpu0001"])
def test_sort_values_take_ascii_digits_only(value, xen_trace, tmp_path):
    bad = tampered(xen_trace, tmp_path / "sort.itf.json", curr_value(value))
    got = json.dumps(value)
    assert run("trace", "replay", XEN, str(bad)) == (
        2, "", f"error[XM604]: {bad}: state 4, variable `curr`[pcpu1]: expected a VCpu value (vcpu0..vcpu1), "
               f"got {got}\n1 error(s)\n")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_refused(depth, xen_trace, tmp_path):
    bad = tmp_path / "deep.itf.json"
    text = xen_trace.read_text()
    bad.write_text(text[:-2] + ', "junk": ' + "[" * depth + "]" * depth + "}\n")
    for command in ("replay", "show"):
        assert run("trace", command, XEN, str(bad)) == (
            2, "", f"error[XM606]: {bad}: nested deeper than 200 levels\n"
                   "     = help: an ITF value nests as deep as its type; the file was not written by xenmodel\n"
                   "1 error(s)\n")


def too_large(where: str) -> str:
    return (f"error[XM606]: {where}: an integer of 5000 digits is too large (the limit is 4000 digits)\n"
            "     = help: a model's values stay far below this; the file was not written by xenmodel\n1 error(s)\n")


def test_huge_integers_in_a_trace_file_are_refused(xen_trace, tmp_path):
    digits = "9" * 5000

    def state(doc):
        doc["states"][3]["ticks"] = {"#bigint": digits}
    bad = tampered(xen_trace, tmp_path / "bigint.itf.json", state)
    assert run("trace", "replay", XEN, str(bad)) == (2, "", too_large(f"{bad}: state 3, variable `ticks`"))

    def const(doc):
        doc["#meta"]["consts"]["NDOM"] = {"#bigint": digits}
    bad = tampered(xen_trace, tmp_path / "const.itf.json", const)
    assert run("trace", "replay", XEN, str(bad)) == (2, "", too_large(f"{bad}: constant `NDOM`"))
    # a plain JSON number beyond the limit, anywhere in the file (json.loads would raise ValueError)
    plain = tmp_path / "plain.itf.json"
    plain.write_text(xen_trace.read_text()[:-2] + f', "junk": {digits}}}\n')
    assert run("trace", "show", XEN, str(plain)) == (2, "", too_large(str(plain)))
    loop = tmp_path / "loop.itf.json"
    loop.write_text(xen_trace.read_text()[:-2] + f', "loop": {{"#bigint": "{digits}"}}}}\n')
    assert run("trace", "replay", XEN, str(loop)) == (2, "", too_large(f'{loop}: "loop"'))


# ------------------------------------------------------------------ huge integers in output
COUNTER = "model big\nvar x: int[0..3] = 0\naction inc() { x := x + 1 }\n"


def huge_result(tmp_path) -> tuple:
    path = tmp_path / "big.xm"
    path.write_text(COUNTER)
    model = load_model(str(path), None, {}).model
    # a value no state variable can hold, as an unbounded int expression can produce it
    steps = (TraceStep("init", (), (), (0,)), TraceStep("inc", (), (), (HUGE,)))
    return model, Result("violated", "test", str(path), None, {"BIG": -HUGE}, Trace(steps), {"n": HUGE})


def test_int_text_is_bounded():
    assert int_text(10 ** 3999) == str(10 ** 3999) and int_text(-5) == "-5"
    assert int_text(HUGE) == "<int of 16610 bits>" and int_text(-HUGE) == "<negative int of 16610 bits>"


def test_huge_integers_render_in_text_and_json(tmp_path):
    model, result = huge_result(tmp_path)
    text = result_text(model, result)
    assert "    x: 0 -> <int of 16610 bits>\n" in text and "stats: n=<int of 16610 bits>" in text
    data = json.loads(json.dumps(result_json(model, result)))
    # model values keep their ITF tag (the digits are too many to print); counters stay plain
    assert data["consts"] == {"BIG": {"#bigint": "<negative int of 16610 bits>"}}
    assert data["stats"]["n"] == "<int of 16610 bits>"
    assert data["trace"]["steps"][1]["state"]["x"] == {"#bigint": "<int of 16610 bits>"}


def test_a_huge_integer_in_a_model_error_message(tmp_path):
    # unbounded arithmetic, then a narrowing to int[0..1]: the XM503 message shows the value bounded
    path = tmp_path / "grow.xm"
    y = " * ".join(["y"] * 20)
    path.write_text(f"model grow\nvar x: int[0..1] = 0\naction grow() {{\n  let y = {10 ** 50}\n  let z = {y}\n"
                    "  x := z * z * z * z * z\n}\n")
    code, out, _ = run("simulate", str(path), "--semantics", "reference", "--runs", "1", "--steps", "1")
    assert code == 1 and out.startswith("simulate: violated: model-error XM503: value <int of 16610 bits> is "
                                        "outside int[0..1]\n")


def test_a_huge_integer_cannot_go_into_an_itf_file(tmp_path):
    model, result = huge_result(tmp_path)
    path = tmp_path / "big.itf.json"
    with pytest.raises(DiagnosticError) as info:
        files.write_trace(str(path), model, result)
    assert str(info.value) == (f"error[XM606]: cannot write the trace file {path}: an integer of 16610 bits is "
                               "too large for a trace file (the limit is 4000 digits)")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.xm"]
    files.write_trace(str(tmp_path / "big.txt"), model, result)  # text is bounded, not refused
    assert "x: 0 -> <int of 16610 bits>" in (tmp_path / "big.txt").read_text()

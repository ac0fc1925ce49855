"""Issue 16: typed machine output (values in ITF form), one step-count convention, `wrote FILE` lines,
and portable paths in what is written for others."""
from __future__ import annotations

import json
import os

from xenmodel.reports.paths import portable

from helpers import run_cli as run

TYPED = """model typed
sort P = p[2]
enum Mode { IDLE, BUSY }
record R { mode: Mode, n: int[0..3] }
var s: set<P> = {}
var m: P -> R
var o: P? = none
var q: seq<P, 2> = []
var b: bool = false
action add(x: P) {
  choose y: P where y != x {
    s := s + {x}
    m[x].n := m[x].n + 1
    m[x].mode := BUSY
    o := y
    q := [x]
    b := true
  }
}
/// Both p0 and p1 are never in the set at once.
invariant not_both: size(s) < 2
"""

ASSERTING = """model asserting
var n: int[0..5] = 0
action inc() {
  assert n < 2, "n stays below 2"
  n := n + 1
}
"""


def test_json_values_are_in_itf_form(write):
    path = write("typed.xm", TYPED)
    code, out, _ = run("check", path, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["trace"]["length"] == 2 and data["consts"] == {}
    first, last = data["trace"]["steps"][1], data["trace"]["steps"][2]
    assert first == {
        "index": 1, "action": "add", "args": {"x": "p0"}, "picks": {"y": "p1"},
        "state": {"s": {"#set": ["p0"]},
                  "m": {"#map": [["p0", {"mode": "BUSY", "n": {"#bigint": "1"}}],
                                 ["p1", {"mode": "IDLE", "n": {"#bigint": "0"}}]]},
                  "o": {"#set": ["p1"]}, "q": ["p0"], "b": True}}
    assert last["state"]["s"] == {"#set": ["p0", "p1"]} and last["state"]["o"] == {"#set": ["p0"]}
    assert data["trace"]["steps"][0]["state"]["o"] == {"#set": []}
    v = data["trace"]["violation"]
    assert (v["kind"], v["name"], v["failing"]) == ("invariant", "not_both", None)


def test_json_constants_and_the_failing_step_are_typed(write):
    path = write("consts.xm", ASSERTING.replace("var n", "const K: int = 3\nconst F: bool = true\nvar n"))
    code, out, _ = run("check", path, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["consts"] == {"K": {"#bigint": "3"}, "F": True}
    assert data["trace"]["violation"]["failing"] == {"action": "inc", "args": {}, "picks": {}}


def test_one_step_count_everywhere(write, tmp_path):
    """2 steps taken (states 0..2), then step 3 fails: text, JSON, ITF, HTML, replay and `wrote` agree."""
    path = write("asserting.xm", ASSERTING)
    code, out, err = run("check", path, "--trace-out", "cex.itf.json")
    assert code == 1 and "counterexample (2 step(s), then step 3 fails):\n" in out
    assert "step 3: inc()\n    fails: XM507 n stays below 2" in out
    assert err == "wrote cex.itf.json (itf, 2 step(s), then step 3 fails)\n"
    doc = json.loads((tmp_path / "cex.itf.json").read_text())
    assert len(doc["states"]) == 3 and doc["#meta"]["violation"]["failing"]["action"] == "inc"
    code, out, _ = run("check", path, "--format", "json", "--trace-out", "cex.html")
    data = json.loads(out)
    assert (data["trace"]["length"], len(data["trace"]["steps"]), data["files"]) == (2, 3, ["cex.html"])
    assert "; 2 step(s), then step 3 fails</p>" in (tmp_path / "cex.html").read_text()
    code, out, _ = run("trace", "replay", path, "cex.itf.json")
    assert code == 0 and ": 2 step(s), every one a legal transition;" in out


def test_an_invariant_counterexample_counts_its_steps(write):
    code, out, err = run("check", write("typed.xm", TYPED), "--trace-out", "t.txt")
    assert code == 1 and "counterexample (2 step(s)):\n" in out and err == "wrote t.txt (text, 2 step(s))\n"


def test_no_file_no_wrote_line(write):
    code, out, err = run("check", write("typed.xm", TYPED), "--format", "json")
    assert json.loads(out)["files"] == [] and err == ""


def test_portable_path_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert portable(str(tmp_path / "spec" / "x.xm")) == os.path.join("spec", "x.xm")
    assert portable("spec/x.xm") == "spec/x.xm" and portable("../y/x.xm") == "../y/x.xm"
    assert portable("/elsewhere/x.xm") == "/elsewhere/x.xm"  # typed absolute, outside: as typed


def test_a_trace_of_a_model_given_by_absolute_path_records_the_relative_one(write, tmp_path):
    os.mkdir(tmp_path / "spec")
    (tmp_path / "spec" / "inc.xm").write_text(ASSERTING)
    (tmp_path / "spec" / "top.xm").write_text('model top\ninclude "inc.xm"\n')
    absolute = str(tmp_path / "spec" / "top.xm")
    for out in ("t.itf.json", "t.html", "t.txt"):
        assert run("check", absolute, "--trace-out", out)[0] == 1
        text = (tmp_path / out).read_text()
        assert str(tmp_path) not in text, out
    meta = json.loads((tmp_path / "t.itf.json").read_text())["#meta"]
    assert meta["source"] == "spec/top.xm" and meta["violation"]["span"]["file"] == "spec/inc.xm"
    html = (tmp_path / "t.html").read_text()
    assert "source <code>spec/top.xm</code>" in html and "spec/inc.xm:4:3" in html
    assert "model top (spec/top.xm)" in (tmp_path / "t.txt").read_text()
    data = json.loads(run("check", absolute, "--format", "json")[1])
    assert data["model"] == "spec/top.xm" and data["trace"]["violation"]["span"]["file"] == "spec/inc.xm"


def test_the_html_failure_box_names_the_code_once(write, tmp_path):
    run("check", write("asserting.xm", ASSERTING), "--trace-out", "t.html")
    html = (tmp_path / "t.html").read_text()
    box = html[html.index('<div class="violation" id="violation">'):]
    box = box[:box.index("</div>")]
    assert box.count("XM507") == 1 and "violated: assert XM507</b> at" in box


def test_explain_json_gives_constants_in_itf_form_and_portable_files(write, tmp_path):
    path = write("consts.xm", ASSERTING.replace("var n", "const K: int = 3\nconst F: bool = true\nvar n"))
    data = json.loads(run("explain", str(tmp_path / path), "--format", "json")[1])
    assert data["consts"] == {"K": {"#bigint": "3"}, "F": True}
    assert data["file"] == "consts.xm" and data["files"] == ["consts.xm"]

"""Why a property or an assert failed (xenmodel/reports/why.py): the values of its subterms where it failed,
in text, JSON and the HTML page; and the HTML page's switch, legend and docs (issue 16)."""
from __future__ import annotations

import json
import re

from xenmodel.reports import files
from xenmodel.reports.why import why_json, why_text, why_violation
from xenmodel.simulate import simulate

from helpers import model_from_text
from helpers import run_cli as run

QUANT = """model quant
sort P = p[3]
var held: P -> bool
var owner: P -> int[0..2]
/// p is owned when it has an owner.
def owned(p: P): bool = owner[p] > 0
action take(p: P) { held[p] := true }
action nop() { }
/// Every held p is owned.
/// (The second sentence of the doc, on its own line.)
invariant held_owned: forall p: P :: held[p] => owned(p)
"""


def test_a_quantified_invariant_names_its_witness_and_the_call_arguments(write):
    code, out, _ = run("check", write("quant.xm", QUANT))
    assert code == 1
    assert out.split("violated[XM509]")[1].split("\n", 1)[1].startswith(
        "why: invariant held_owned is false in state 1:\n"
        "    forall p: P :: held[p] => owned(p)  is  false\n"
        "      for p = p0:\n"
        "      held[p] => owned(p)  is  false\n"
        "        held[p]  is  true\n"
        "        owned(p)  is  false\n"
        "          with p = p0:\n"
        "          owner[p] > 0  is  false\n"
        "            owner[p]  is  0\n")


def test_why_in_json_has_itf_values(write):
    code, out, _ = run("check", write("quant.xm", QUANT), "--format", "json")
    why = json.loads(out)["trace"]["why"]
    assert code == 1 and why["what"] == "invariant held_owned" and why["where"] == "state 1"
    assert why["formula"] == "forall p: P :: held[p] => owned(p)"
    assert why["terms"][:3] == [
        {"depth": 0, "term": "forall p: P :: held[p] => owned(p)", "value": False, "shown": "false"},
        {"depth": 1, "for": {"p": "p0"}},
        {"depth": 1, "term": "held[p] => owned(p)", "value": False, "shown": "false"}]
    assert why["terms"][-1] == {"depth": 4, "term": "owner[p]", "value": {"#bigint": "0"}, "shown": "0"}


def test_no_why_for_a_deadlock(write):
    code, out, _ = run("check", write("stuck.xm", "model stuck\nvar n: int[0..1]\naction a() { require n > 0 }\n"),
                       "--format", "json")
    assert code == 1 and json.loads(out)["trace"]["why"] is None


def test_the_xsa_401_variant_shows_the_type_count():
    """The frame grid shows owner, type and reference count; why shows the type count the assert reads."""
    code, out, _ = run("check", "spec/bugs/mem-type-change-race.xm", "-i", "small")
    assert code == 1 and ("why: the assert's condition is false in step 3:\n"
                          "    mm_frame[m].tcount == 0  is  false\n"
                          "      mm_frame[m].tcount  is  1\n"
                          "        m  is  mfn1\n") in out


def test_the_html_page_explains_why(tmp_path):
    model = model_from_text(QUANT)
    result = simulate(model, 6, 3, 1)
    why = why_violation(model, result.trace)
    assert why is not None and why_text(why)[0].startswith("why: invariant held_owned is false in state")
    path = tmp_path / "t.html"
    files.write_trace(str(path), model, result)
    html = path.read_text()
    box = html[html.index('<div class="violation" id="violation">'):html.index("<h2>Steps</h2>")]
    assert "invariant held_owned: forall p: P :: held[p] =&gt; owned(p)" in box  # the formula, not only the name
    assert "Every held p is owned. (The second sentence of the doc, on its own line.)" in box  # the whole doc
    assert '<table class="why mono" id="why">' in box
    assert re.search(r'<td class="term" style="padding-left: 64px">owner\[p\]</td><td>0</td>', box)
    assert re.search(r'<tr class="binding"><td [^>]*>for p = p\d</td></tr>', box)
    assert json.dumps(why_json(why))  # plain JSON


IDLE = """model idle
var n: int[0..3]
action inc() { n := n + 1 }
action nop() { }
invariant small: n < 3
"""


def test_the_html_switch_hides_the_steps_that_change_nothing(tmp_path):
    model = model_from_text(IDLE)
    result = simulate(model, 20, 3, 0)
    idle = [i for i, s in enumerate(result.trace.steps) if i and s.state == result.trace.steps[i - 1].state]
    assert idle, "the seed gives a run with a step that changes nothing"
    path = tmp_path / "t.html"
    files.write_trace(str(path), model, result)
    html = path.read_text()
    assert (f'<input type="checkbox" id="hide-idle"> <label class="switch" for="hide-idle">hide the {len(idle)} '
            "step(s) that change nothing</label>") in html
    assert "#hide-idle:checked ~ ol.steps > li.idle { display: none; }" in html
    assert re.findall(r'<li data-step="(\d+)" id="step-\d+" class="idle">', html) == [str(i) for i in idle]
    assert len(re.findall(r'<th data-step="\d+" class="idle">', html)) == len(idle)  # the state table too
    assert "<script src" not in html


def test_the_legend_is_outside_the_timeline_and_titles_fit(tmp_path):
    """A one-step trace made the SVG narrower than its section's note, which was clipped."""
    model = model_from_text("model lanes\n@view(\"frames\") var frames_with_a_long_name: F -> R\n"
                            "sort F = f[1]\nsort D = d[1]\nrecord R { owner: D? }\n"
                            "action own() { frames_with_a_long_name[F(0)].owner := D(0) }\n"
                            "invariant free: frames_with_a_long_name[F(0)].owner == none\n")
    result = simulate(model, 2, 1, 0)
    path = tmp_path / "t.html"
    files.write_trace(str(path), model, result)
    html = path.read_text()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "owner of each F per step" not in svg and 'class="sec-note"' not in svg
    assert '<li><b>frames: frames_with_a_long_name</b>: owner of each F per step</li>' in html
    width = int(re.search(r'<svg [^>]*width="(\d+)"', html).group(1))
    assert width >= len("frames: frames_with_a_long_name") * 7.5

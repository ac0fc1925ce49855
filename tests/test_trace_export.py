"""Counterexample files: ITF JSON export and import, replay, text and HTML (xenmodel/reports/files.py,
itf.py, html.py; the `trace` commands in xenmodel/cli/trace.py). Every exported ITF file is also read by
the independent `itf-py` reader."""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import itf_py
import pytest
from click.testing import CliRunner

from xenmodel import semantics as S
from xenmodel.cli import cli
from xenmodel.frontend import load_model
from xenmodel.reports import files as export
from xenmodel.reports import itf
from xenmodel.simulate import simulate
from xenmodel.trace import Trace, TraceStep, replay

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures"
XEN = "tests/fixtures/trace_xen.xm"
ERRORS = "tests/fixtures/trace_errors.xm"


def load(path, instance=None, consts=None):
    return load_model(str(ROOT / path) if not os.path.isabs(path) else path, instance, consts or {}).model


def walk(model, steps: int, seed: int, lasso: bool = False) -> Trace:
    """A random run through the reference semantics (no violation), for models without a bug; with
    lasso=True it runs until a state repeats (or a deadlock, which stutters) and is a lasso."""
    rng = random.Random(seed)
    inits = [o for o in S.initial_states(model) if isinstance(o, S.Step)]
    first = rng.choice(inits)
    out = [TraceStep("init", (), first.picks, first.state)]
    state = first.state
    seen = {state: 0}
    for _ in range(steps if not lasso else 10 * steps):
        succ = [o for o in S.successors(model, state) if isinstance(o, S.Step)]
        if not succ:
            return Trace(tuple(out), None, len(out) - 1 if lasso else None)
        o = rng.choice(succ)
        step = TraceStep(o.action, o.args, o.picks, o.state)
        if lasso and o.state in seen:
            return Trace(tuple(out), None, seen[o.state], step)
        out.append(step)
        seen.setdefault(o.state, len(out) - 1)
        state = o.state
    return Trace(tuple(out), None, None)


def roundtrip(model, trace: Trace, **meta) -> tuple[Trace, dict]:
    text = itf.dumps(itf.to_itf(model, trace, **meta))
    doc = itf.loads(text, "<mem>")
    back = itf.from_itf(model, doc)
    check_with_itf_py(model, trace, json.loads(text))
    return back, doc


def canon(j):
    """JSON with #set elements sorted (a set read back by itf-py is a frozenset: its order is not kept)."""
    if isinstance(j, list):
        return [canon(x) for x in j]
    if isinstance(j, dict):
        if set(j) == {"#set"}:
            return {"#set": sorted((canon(x) for x in j["#set"]), key=lambda x: json.dumps(x, sort_keys=True))}
        return {k: canon(v) for k, v in j.items()}
    return j


def check_with_itf_py(model, trace: Trace, doc: dict) -> None:
    """The independent reader: itf-py parses the file, and what it sees agrees with the trace."""
    t = itf_py.trace_from_json(doc)
    assert t.meta["format"] == "ITF"
    assert len(t.states) == len(trace.steps)
    assert t.vars[: len(model.vars)] == [d.name for d in model.vars]
    for i, (st, step) in enumerate(zip(t.states, trace.steps, strict=True)):
        assert st.meta == {"index": i}
        assert st.values["mbt::actionTaken"] == step.action
        for d, x in zip(model.vars, step.state, strict=True):
            assert canon(itf_py.value_to_json(st.values[d.name])) == canon(itf.encode(d.type, x)), d.name
        for name, value in model.consts:
            assert st.values[name] == value
    assert t.loop == trace.loop


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("seed", range(4))
def test_simulated_counterexample_round_trips_and_replays(seed):
    model = load(XEN)
    result = simulate(model, 30, 20, seed)
    assert result.status == "violated"
    back, doc = roundtrip(model, result.trace, engine="simulate", status="violated", seed=seed)
    assert back == result.trace
    replay(model, back)
    assert doc["#meta"]["property"] == "mapped_owned" and doc["#meta"]["seed"] == seed


@pytest.mark.parametrize("mode,kind", [(0, "assert"), (1, "model-error"), (2, "deadlock"), (3, "invariant")])
def test_every_violation_kind_round_trips(mode, kind):
    model = load(ERRORS, consts={"MODE": mode})
    result = simulate(model, 10, 10, 0, deadlock=(mode == 2))
    assert result.trace.violation.kind == kind
    back, doc = roundtrip(model, result.trace)
    assert back == result.trace
    replay(model, back)
    if kind in ("assert", "model-error"):
        assert doc["#meta"]["violation"]["failing"]["action"] == "count_up"


@pytest.mark.parametrize("fixture,instance", [("features.xm", "small"), ("sched_small.xm", "default"),
                                              ("trace_xen.xm", None)])
def test_random_runs_of_fixture_models_round_trip(fixture, instance):
    model = load(f"tests/fixtures/{fixture}", instance)
    for seed in range(3):
        trace = walk(model, 25, seed, lasso=seed == 2)
        back, doc = roundtrip(model, trace)
        assert back == trace
        replay(model, back)
        assert ("loop" in doc) == (trace.loop is not None)


def test_repeated_pick_names_are_numbered_in_order():
    model = load(XEN)
    state = next(o for o in S.initial_states(model)).state
    tick = model.action("tick")
    o = [x for x in S.successors_of(model, tick, (), state) if isinstance(x, S.Step)][1]
    assert [n for n, _ in o.picks] == ["seen", "seen"]
    assert itf.encode_picks(model, "tick", o.picks) == {"seen": False, "seen__2": True}
    assert itf.decode_picks(model, "tick", {"seen": False, "seen__2": True}, "s") == o.picks


def test_value_encoding_is_the_documented_one():
    model = load(XEN)
    t = {d.name: d.type for d in model.vars}
    assert itf.encode(t["curr"], (None, 1)) == {"#map": [["pcpu0", {"#set": []}], ["pcpu1", {"#set": ["vcpu1"]}]]}
    assert itf.encode(t["ticks"], 2) == {"#bigint": "2"}
    assert itf.encode(t["mapped"], (frozenset({1, 0}), frozenset())) == \
        {"#map": [["dom0", {"#set": ["mfn0", "mfn1"]}], ["dom1", {"#set": []}]]}
    assert itf.encode(t["log"], (0, None)) == [{"#set": ["dom0"]}, {"#set": []}]
    frame = itf.encode(t["frame"], ((0, 1, 2), (None, 0, 0)))
    assert frame["#map"][0] == ["mfn0", {"owner": {"#set": ["dom0"]}, "type": "writable", "count": {"#bigint": "2"}}]
    # lenient reading: plain numbers, Quint's option and enum variants, sort indexes
    ft = t["frame"].value
    assert itf.decode(ft, {"owner": {"tag": "Some", "value": 1}, "type": {"tag": "pt", "value": {"#tup": []}},
                           "count": 3}, "x") == (1, 2, 3)
    assert itf.decode(ft, {"owner": {"tag": "None", "value": {"#tup": []}}, "type": "pt", "count": 0}, "x") == \
        (None, 2, 0)


def test_output_is_deterministic_across_hash_seeds(tmp_path):
    outs = []
    for hs in ("1", "2"):
        out = tmp_path / f"t{hs}.itf.json"
        env = dict(os.environ, PYTHONHASHSEED=hs)
        subprocess.run([sys.executable, "-m", "xenmodel", "simulate", ERRORS, "--const", "MODE=3", "--steps", "10",
                        "--no-deadlock", "--trace-out", str(out)], cwd=ROOT, env=env, capture_output=True)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and b"timestamp" not in outs[0]


# ------------------------------------------------------------------ the CLI
def run(*args):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def xen_trace(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "cex.itf.json"
    code, out, _ = run("simulate", XEN, "--steps", "30", "--runs", "20", "--seed", "1", "--no-shrink",
                       "--trace-out", str(path))
    assert code == 1 and path.exists()
    return path


def test_trace_out_writes_each_format_atomically(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    for name in ("t.itf.json", "t.json", "t.txt", "t.html"):
        code, _, _ = run("simulate", XEN, "--steps", "30", "--runs", "20", "--seed", "1", "--no-shrink",
                         "--trace-out", str(tmp_path / name))
        assert code == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.html", "t.itf.json", "t.json", "t.txt"]
    assert (tmp_path / "t.json").read_text() == (tmp_path / "t.itf.json").read_text()
    text = (tmp_path / "t.txt").read_text()
    assert "step 1: alloc_frame(d=dom0)  [xen/common/page_alloc.c:assign_pages]" in text
    assert "violated[XM509]: invariant mapped_owned (tests/fixtures/trace_xen.xm:" in text


def test_a_failed_write_is_a_diagnostic_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, _, err = run("simulate", XEN, "--steps", "30", "--runs", "20", "--seed", "1", "--no-shrink",
                       "--trace-out", str(tmp_path / "missing" / "t.itf.json"))
    assert code == 2 and "error[XM603]: cannot write the trace file" in err and "Traceback" not in err
    model = load(XEN)
    result = simulate(model, 30, 20, 1)
    target = tmp_path / "t.itf.json"
    target.write_text("old")

    def boom(*a, **k):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        export.write_trace(str(target), model, result)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["t.itf.json"]


def test_replay_show_export(xen_trace, tmp_path):
    code, out, _ = run("trace", "replay", XEN, str(xen_trace))
    assert code == 0 and out.startswith(f"ok: {xen_trace} replays on model trace_xen: 18 step(s)")
    code, out, _ = run("trace", "replay", XEN, str(xen_trace), "--format", "json")
    assert code == 0 and json.loads(out)["violation"]["name"] == "mapped_owned"
    code, out, _ = run("trace", "show", XEN, str(xen_trace))
    assert code == 0 and "engine: simulate, status: violated, seed: 1" in out and "step 18:" in out
    for suffix in ("txt", "html", "itf.json"):
        dest = tmp_path / f"again.{suffix}"
        code, out, _ = run("trace", "export", XEN, str(xen_trace), "-o", str(dest))
        assert code == 0 and dest.exists(), out
    assert (tmp_path / "again.itf.json").read_text() == xen_trace.read_text()


def test_instance_and_constants_come_from_the_trace(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    path = tmp_path / "m1.itf.json"
    code, _, _ = run("simulate", ERRORS, "--const", "MODE=1", "--steps", "10", "--trace-out", str(path))
    assert code == 1
    code, out, _ = run("trace", "replay", ERRORS, str(path))
    assert code == 0 and "model-error XM503" in out
    code, out, _ = run("trace", "show", ERRORS, str(path))
    assert "constants: MODE=1" in out and "fails: XM503" in out


# ------------------------------------------------------------------ corrupt and foreign files: golden output
def tamper(src: Path, dest: Path, fn) -> Path:
    doc = json.loads(src.read_text())
    fn(doc)
    dest.write_text(json.dumps(doc))
    return dest


def _state_field(i, name, value):
    def fn(doc):
        doc["states"][i][name] = value
    return fn


GOLDEN = {
    "XM601": ("not-enabled.itf.json", _state_field(2, "xm::actionArgs", {"d": "dom1", "m": "mfn1"}),
              "error[XM601]: {f}: step 2: free_frame(d=dom1, m=mfn1) is not enabled\n"
              "     = help: the trace is not a run of this model: was it made from another version of the model, "
              "or with other constants?\n1 error(s)\n"),
    "XM602": ("wrong-state.itf.json", _state_field(3, "ticks", {"#bigint": "3"}),
              "error[XM602]: {f}: step 3: tick: variable `ticks` is 3 in the trace but 1 in the model\n"
              "     = help: the trace is not a run of this model: was it made from another version of the model, "
              "or with other constants?\n1 error(s)\n"),
    "XM604": ("bad-value.itf.json", _state_field(4, "curr", {"#map": [["pcpu0", {"#set": []}],
                                                                      ["pcpu1", {"#set": ["vcpu7"]}]]}),
              "error[XM604]: {f}: state 4, variable `curr`[pcpu1]: expected a VCpu value (vcpu0..vcpu1), "
              "got \"vcpu7\"\n1 error(s)\n"),
}


@pytest.mark.parametrize("code", sorted(GOLDEN))
def test_golden_replay_errors(code, xen_trace, tmp_path):
    name, fn, expected = GOLDEN[code]
    bad = tamper(xen_trace, tmp_path / name, fn)
    status, out, err = run("trace", "replay", XEN, str(bad))
    assert (status, out, err) == (2, "", expected.format(f=bad))


def test_golden_unreadable_files(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    cases = {
        "notjson.itf.json": (b"{\"states\": [",
                             "error[XM603]: {f} is not JSON: Expecting value at line 1 column 13\n"
                             "     = help: an ITF trace is a JSON file written by `--trace-out FILE.itf.json`\n"),
        "foreign.json": (b"{\"name\": \"package.json\", \"version\": \"1.0.0\"}",
                         "error[XM603]: {f} is JSON but not an ITF trace (it has no \"states\")\n"
                         "     = help: an ITF trace is an object with \"#meta\", \"vars\" and \"states\"\n"),
        "binary.itf.json": (bytes(range(256)),
                            "error[XM603]: {f} is not a text file (not UTF-8)\n"
                            "     = help: an ITF trace is a JSON file written by `--trace-out FILE.itf.json`\n"),
    }
    for name, (data, expected) in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        for cmd in ("replay", "show"):
            status, out, err = run("trace", cmd, XEN, str(f))
            assert (status, out, err) == (2, "", expected.format(f=f) + "1 error(s)\n"), (name, cmd)
    status, out, err = run("trace", "replay", XEN, str(tmp_path / "nope.itf.json"), "--format", "json")
    assert status == 2 and json.loads(out)["diagnostics"][0]["code"] == "XM603"


def test_golden_foreign_models_and_names(xen_trace, tmp_path):
    bad = tamper(xen_trace, tmp_path / "unknown-var.itf.json", _state_field(1, "rogue", True))
    assert run("trace", "replay", XEN, str(bad)) == (
        2, "", f"error[XM604]: {bad}: state 1: the model has no variable `rogue`\n1 error(s)\n")
    bad = tamper(xen_trace, tmp_path / "unknown-action.itf.json", _state_field(1, "mbt::actionTaken", "reboot"))
    assert run("trace", "replay", XEN, str(bad)) == (
        2, "", f"error[XM604]: {bad}: state 1: the model has no action `reboot`\n1 error(s)\n")
    # a trace of another model: its constants do not fit, said as a trace error with the model's reasons
    status, out, err = run("trace", "replay", "tests/fixtures/sched_small.xm", str(xen_trace))
    assert status == 2 and err.startswith(f"error[XM604]: {xen_trace}: the trace's instance or constants do not "
                                          "fit tests/fixtures/sched_small.xm") and "Traceback" not in err


def test_itf_without_actions_is_replayed_by_search(xen_trace, tmp_path):
    def strip(doc):
        for st in doc["states"]:
            for k in ("mbt::actionTaken", "mbt::nondetPicks", "xm::actionArgs"):
                st.pop(k)
    bare = tamper(xen_trace, tmp_path / "bare.itf.json", strip)
    code, out, _ = run("trace", "replay", XEN, str(bare))
    assert code == 0 and "18 step(s)" in out


# ------------------------------------------------------------------ HTML
def xen_html(tmp_path) -> Path:
    model = load(XEN)
    result = simulate(model, 30, 20, 1)
    path = tmp_path / "cex.html"
    export.write_trace(str(path), model, result)
    return path


def test_html_is_self_contained_and_shows_the_mapping(tmp_path):
    html = xen_html(tmp_path).read_text()
    assert not re.search(r"\b(src|href)\s*=", html), "the page must load nothing"
    assert "<link" not in html and "@import" not in html
    for needle in ("pcpu lanes: curr", "event-channel sends", "frames: frame", "violated: invariant mapped_owned",
                   "@ref xen/common/page_alloc.c:assign_pages", 'id="itf-trace"'):
        assert needle in html, needle
    data = re.search(r'<script type="application/json" id="itf-trace">\n(.*?)\n</script>', html, re.S).group(1)
    assert itf_py.trace_from_json(json.loads(data)).states


def test_html_generic_table_for_models_without_the_mapping(tmp_path):
    model = load(ERRORS, consts={"MODE": 0})
    result = simulate(model, 10, 10, 0)
    path = tmp_path / "plain.html"
    export.write_trace(str(path), model, result)
    html = path.read_text()
    assert "Timeline" not in html and '<details id="state-table" open>' in html


def test_html_lanes_come_from_view_hints_not_names(tmp_path):
    """The Xen fixture without its @view hints has the same names but no timeline; a bad hint is XM009."""
    src = Path(XEN).read_text()
    bare = re.sub(r'@view\("[a-z_]+"\) ', "", src)
    assert bare != src and "var curr:" in bare
    (tmp_path / "bare.xm").write_text(bare)
    model = load(str(tmp_path / "bare.xm"))
    assert model.views == ()
    path = tmp_path / "bare.html"
    export.write_trace(str(path), model, simulate(model, 30, 20, 1))
    html = path.read_text()
    assert "Timeline" not in html and '<details id="state-table" open>' in html
    assert ("var", "curr", "lane") in load(XEN).views
    (tmp_path / "bad.xm").write_text(src.replace('@view("lane")', '@view("lanes")'))
    code, _, err = run("parse", str(tmp_path / "bad.xm"))
    assert code == 2 and "XM009" in err and '`@view("lanes")` names no view' in err


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        for d in os.environ.get("PATH", "").split(os.pathsep):
            if os.access(os.path.join(d, name), os.X_OK):
                return os.path.join(d, name)
    return None


def test_html_renders_in_headless_chromium_without_script_errors(tmp_path):
    exe = chromium()
    if exe is None:
        print("skipped: no chromium on PATH (.ci/run installs Debian's chromium)")
        pytest.skip("no chromium on PATH (.ci/run installs Debian's chromium)")
    page = xen_html(tmp_path)
    flags = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1500,1000"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    m = re.search(r'<html[^>]*data-xm-ready="(\d+)"', dom.stdout)
    assert m, "the page's script did not run to its end"
    assert int(m.group(1)) == 19  # 18 steps and the initial state
    assert not re.search(r"<html[^>]*data-xm-error", dom.stdout), "a script error was reported"
    shot = tmp_path / "cex.png"
    r = subprocess.run(flags + [f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

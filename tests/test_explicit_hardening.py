"""Hardening of the explicit engine (issue 14): builtins and operators on folded constants, deep
nesting, many actions, --timeout and Ctrl-C in every phase, and models without properties."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_explicit import _differential

from checkers.explicit import check
from checkers.explicit import codegen as C
from checkers.explicit.compiled_semantics import compiled_or_none
from checkers.explicit.store import Store
from xenmodel.limits import Limits

from helpers import model_from_text, reference_bfs

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------ every builtin and operator, on
# constant operands (literals folded at compile time), on unrolled parameters (literals too), on
# parameters in a loop (PARAM_UNROLL patched to 1: plain Python variables) and on state variables.
# Each statement is one action; the compiled successors must equal the reference's in every state.
BASE = """model builtins
sort S = s[2]
record R { f: int[0..2], g: S }
var q: seq<int[0..2], 2>
var ss: set<S>
var n: int[0..2]
var x: S
var o: S?
action pushq(a: int[0..2]) { require len(q) < 2  q := q ++ [a] }
action popq() { require len(q) > 0  q := tail(q) }
action setn(a: int[0..2]) { n := a }
action setx(v: S) { x := v  o := v }
action clro() { o := none }
action adds(v: S) { ss := ss + {v} }
action dels(v: S) { ss := ss - {v} }
"""

OPERANDS = {  # placeholder -> (constant, parameter, state); parameters are a: int[0..2], v: S, w: S?
    "Q": ("[1, 2]", "[a, a]", "q"),
    "Q0": ("tail([1])", "tail([a])", "q"),
    "SET": ("{s1}", "{v}", "ss"),
    "SET0": ("({s1} - {s1})", "({v} - {v})", "ss"),
    "I": ("1", "a", "n"),
    "X": ("s1", "v", "x"),
    "O": ("(if 1 > 0 then none else s1)", "w", "o"),
}
PARAMS = {"a": "a: int[0..2]", "v": "v: S", "w": "w: S?"}

TEMPLATES = [
    "require len(Q) == 0", "require len(Q) > 0", "require len(Q) != 0", "n := len(Q)",
    "require len(Q0) == 0", "require 0 == len(Q0)", "n := len(Q0) + 1",
    "require size(SET) == 0", "require size(SET) > 0", "require size(SET0) != 0", "n := size(SET)",
    "require size({X, s0}) == 2",
    "n := head(Q)", "n := head(Q0)", "q := tail(Q)", "q := tail(Q0)", "n := last(Q)", "n := last(Q0)",
    "n := count(Q, I)", "q := remove(Q, I)", "q := remove_at(Q, I)", "q := insert(Q0, I, I)",
    "q := insert(Q, I, I)", "x := get(O)", "n := ord(X)", "n := min(I, 1)", "n := max(I, 1)",
    "x := S(I)",
    "n := I + 1", "n := I - 1", "n := I * 2", "n := 2 / I", "n := 2 % I", "n := -I + 2",
    "require I < 2", "require I <= 1", "require I > 0", "require I >= 1", "require I == 1",
    "require I != 1", "require X in SET", "require I in Q", "q := Q ++ Q0", "q := Q ++ Q",
    "ss := SET + SET0", "ss := SET - {s0}", "ss := SET & {s0}", "require I > 0 && X == s0",
    "require I > 0 || X == s0", "require I > 0 => X == s0", "require !(I > 0)",
    "n := if I > 0 then 1 else 2", "require forall y: S :: y in SET", "n := count y: S :: y in SET",
    "n := sum y: int[0..1] :: I * y", "require exists y: S where y != X :: y in SET",
    "require O == none", "require O != none", "require [y: S -> y == X][s0]",
    "let z = Q  n := len(z)", "let z = SET0  require size(z) == 0  n := 1",
    "require head(Q) == I || size(SET) == 0", "assert len(Q0) > 0, \"not empty\"",
    "n := R { f: I, g: X }.f", "x := R { f: I, g: X }.g", "require [y: S -> y == X][X]", "o := X",
    "n := count y: S where y in SET :: y != X", "n := sum y: int[0..1] where y < I :: y + 1",
    "require exists y: S :: [y, X] == [X, y]", "require (if I > 0 then SET else SET0) == SET0",
]


VARIANTS = {"const": 0, "param": 1, "loop": 1, "state": 2}


def builtins_model(variant: str) -> str:
    col = VARIANTS[variant]
    lines = [BASE]
    for k, tpl in enumerate(TEMPLATES):
        body = re.sub(r"\b(Q0|Q|SET0|SET|I|X|O)\b", lambda m: OPERANDS[m.group(1)][col], tpl)
        used = [p for p in PARAMS if re.search(rf"\b{p}\b", body)] if col == 1 else []
        lines.append(f"action t{k}({', '.join(PARAMS[p] for p in used)}) {{ {body} }}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_builtins_and_operators_on_constants_equal_the_reference(variant, monkeypatch):
    if variant == "loop":
        monkeypatch.setattr(C, "PARAM_UNROLL", 1)  # parameters stay loop variables, nothing folds
    model = model_from_text(builtins_model(variant))
    n, errors = _differential(model, 150)
    assert n == 150
    assert errors > 0  # head/last of an empty seq, get(none), S(2), overflow, ... were compared too


# ------------------------------------------------------------------ command line helpers
def cli(tmp_path, text, *args, timeout=120):
    path = tmp_path / "m.xm"
    path.write_text(text)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "xenmodel", "check", str(path), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=ROOT, check=False)
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - started


def test_size_of_a_constant_compiles(tmp_path):
    # issue 14: `len(X) == 0` was rewritten by slicing the code of len(X), which had been folded to `0`
    rc, out, _ = cli(tmp_path, """model m
sort S = s[3]
var x: int[0..3]
action a(p: S, r: S) {
  require size({}) == 0 && size({p, r}) == 2 && len([p, r]) > 0
  x := (x + 1) % 4
}
invariant small: x <= 3
""")
    assert rc == 0, out
    assert "explicit: holds: every property holds in every reachable state" in out
    assert "states=4, generated=25, transitions=24" in out


def stat(out: str, name: str) -> float:
    return float(re.search(rf"\b{name}=([0-9.]+)", out).group(1))


# ------------------------------------------------------------------ nesting deeper than Python takes
DEEP = Limits(nesting=1000)  # past the front end's limit, for the engine's own robustness
# nested chooses, foreach and quantifiers multiply past the default domain limit (XM233, XM234)
WIDE = Limits(domain=10 ** 18)


def deep_model(text: str, limits: Limits | None = DEEP):
    """Build a model past the front end's nesting limit: the front end itself gets the stack it needs
    (only the engine's robustness is under test here)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)
    try:
        return model_from_text(text, limits=limits)
    finally:
        sys.setrecursionlimit(old)


def nested_if(depth: int, inner: str = "x := x + 1", reset: bool = True) -> str:
    return ("model deep\nvar x: int[0..3]\naction a() {\n" + "if x < 3 {\n" * depth + inner + "\n" + "}\n" * depth
            + "}\n" + ("action r() { require x == 3  x := 0 }\n" if reset else ""))


def nested_not(depth: int) -> str:
    return "model deep\nvar x: int[0..3]\naction a() { x := (x + 1) % 4 }\ninvariant ok: " + "!" * depth + "(x > 3)\n"


def nested_forall(depth: int) -> str:
    body = "x <= 3"
    for i in range(depth):
        body = f"forall y{i}: bool :: (y{i} || ({body}))"
    return "model deep\nvar x: int[0..3]\naction a() { x := (x + 1) % 4 }\ninvariant ok: " + body + "\n"


def nested_choose(depth: int) -> str:
    return ("model deep\nvar x: int[0..3]\naction a() {\n"
            + "".join(f"choose c{i}: bool where c{i} || x == {i % 4} {{\n" for i in range(depth))
            + "x := (x + 1) % 4\n" + "}\n" * depth + "}\ninvariant ok: x <= 3\n")


def nested_foreach(depth: int) -> str:
    return ("model deep\nvar x: int[0..3]\naction a() {\n"
            + "".join(f"foreach c{i}: bool where c{i} {{\n" for i in range(depth))
            # no choose in the body: 25 nested foreach multiply its paths past any domain limit (XM233)
            + "if x < 3 { x := x + 1 } else { x := 0 }\n" + "}\n" * depth + "}\n")


FALLBACK_NOTE = "note: the compiled engine cannot take this model (its generated code nests too deeply for Python"


@pytest.mark.parametrize("text,falls_back,limits", [
    # if and ! deeper than the front end's nesting limit (100) on purpose: the engine must not rely on it
    (nested_if(100), True, DEEP), (nested_if(200), True, DEEP), (nested_not(100), False, DEEP),
    (nested_not(200), True, DEEP),
    (nested_forall(30), False, WIDE), (nested_choose(25), True, WIDE), (nested_foreach(25), False, None),
])
def test_deep_nesting_compiles_or_falls_back_to_the_reference(text, falls_back, limits):
    model = deep_model(text, limits)
    r = check(model, {})
    n, cex = reference_bfs(model)
    assert (r.status, r.stats["states"] if cex is None else len(r.trace)) == \
        ("holds" if cex is None else "violated", n if cex is None else len(cex))
    assert any(m.startswith(FALLBACK_NOTE) for m in r.messages) == falls_back, r.messages
    assert (compiled_or_none(model) is None) == falls_back  # simulate walks the reference then


def test_parameters_nested_deeper_than_python_fall_back(monkeypatch):
    monkeypatch.setattr(C, "PARAM_UNROLL", 0)  # 25 parameter loops (+ the loop of the search)
    params = ", ".join(f"p{i}: int[0..0]" for i in range(25))
    model = model_from_text(f"model deep\nvar x: int[0..3]\naction a({params}) {{ x := (x + 1) % 4 }}\n")
    r = check(model, {"deadlock": True})
    assert r.status == "holds" and r.stats["states"] == 4 and r.stats["transitions"] == 4
    assert "too many statically nested blocks" in r.messages[-1]


def test_fallback_finds_asserts_deadlocks_and_depth_bounds():
    deep = nested_if(120, 'assert x < 2, "deep assert"\nx := x + 1')
    r = check(deep_model(deep), {})
    assert r.status == "violated" and r.trace.violation.code == "XM507"
    assert r.trace.violation.message == "deep assert" and len(r.trace) == 2  # two steps, then the error
    stuck = deep_model(nested_if(120, "require x < 2\nx := x + 1", reset=False))
    r = check(stuck, {})
    assert r.status == "violated" and r.trace.violation.code == "XM510" and len(r.trace) == 2
    r = check(stuck, {"max_depth": 2})
    assert r.status == "violated" and r.trace.violation.code == "XM510"  # found by the last-level scan
    r = check(stuck, {"max_depth": 1})
    assert r.status == "bounded" and r.bound == 1


def test_deep_nesting_on_the_command_line(tmp_path):
    rc, out, _ = cli(tmp_path, nested_choose(25), "--limit", "domain=100000000")  # 2^25 paths (XM233)
    assert rc == 0, out
    assert "explicit: holds: every property holds in every reachable state" in out
    assert ("note: the compiled engine cannot take this model (its generated code nests too deeply for "
            "Python: too many statically nested blocks); the search runs on the reference semantics instead "
            "(slower)") in out


# ------------------------------------------------------------------ --timeout and Ctrl-C in every phase
SLOW = {  # phase -> a model that spends about a minute (or more) in that phase
    "compilation": """model slow
var x: int[0..3]
action a() {
  foreach i: int[0..299] { foreach j: int[0..299] { foreach k: int[0..9] { x := (x + i + j + k) % 4 } } }
}
""",
    "initial-state enumeration": """model slow
var x: int[0..3]
init {
  choose a: int[0..299] { choose b: int[0..299] { foreach c: int[0..49] { x := (x + c) % 4 } } }
}
action a() { x := (x + 1) % 4 }
""",
    "search": """model slow
var p: int[0..299]
var q: int[0..299]
var r: int[0..299]
action big(a: int[0..299], b: int[0..299], c: int[0..299]) { p := a  q := b  r := c }
""",  # one state with 27 million successors: the first call of the expansion never returns in time
}


@pytest.mark.parametrize("phase", list(SLOW))
def test_timeout_is_honoured_in_every_phase(tmp_path, phase):
    # the search model's 27 million argument tuples are past the default domain limit on purpose
    rc, out, wall = cli(tmp_path, SLOW[phase], "--timeout", "1", "--limit", "domain=30000000")
    assert rc == 3, out
    assert f"explicit: unknown: timeout after 1 s in phase `{phase}` (statistics so far)" in out
    assert 1.0 <= stat(out, "seconds") < 2.0  # the engine's own clock, from the start of the search
    assert wall < 10
    if phase == "search":
        assert stat(out, "states") > 1000 and stat(out, "transitions") > 1000  # counts of the cut expansion
    else:
        assert "never enabled" not in out  # nothing was explored: no claim about the actions


@pytest.mark.parametrize("phase", ["compilation", "initial-state enumeration"])
def test_ctrl_c_in_every_phase_gives_the_stats_so_far(phase):
    model = model_from_text(SLOW[phase])
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        r = check(model, {})
    finally:
        timer.cancel()
    assert r.status == "unknown" and r.exit_code == 3
    assert r.reason == f"interrupted (Ctrl-C) in phase `{phase}` (statistics so far)"
    assert r.stats["states"] == 0 and r.stats["seconds"] >= 0.5


def test_out_of_memory_is_unknown_with_a_message(monkeypatch):
    def full(self, state):
        raise MemoryError()
    monkeypatch.setattr(Store, "encode", full)
    r = check(model_from_text(nested_not(1)), {})
    assert r.status == "unknown" and r.exit_code == 3
    assert r.reason == ("out of memory in phase `initial-state checks` (statistics so far); try --max-states "
                        "or a smaller instance")


# ------------------------------------------------------------------ no properties, and cut-offs
NO_PROPERTIES = """model m
var x: int[0..5]
action step() {
  require x < 5
  x := x + 1
  assert x != 3, "x reached three"
}
"""


def test_a_model_without_properties_still_has_its_asserts_checked(tmp_path):
    rc, out, _ = cli(tmp_path, NO_PROPERTIES)
    assert rc == 1, out
    assert "explicit: violated: assert XM507: x reached three" in out
    assert "step 3: step()\n    fails: XM507 x reached three" in out
    r = check(model_from_text(NO_PROPERTIES), {})
    assert r.status == "violated" and r.trace.violation.code == "XM507" and len(r.trace) == 2


@pytest.mark.parametrize("text,code", [
    (NO_PROPERTIES.replace('assert x != 3, "x reached three"', ""), "XM510"),   # a deadlock at x = 5
    (NO_PROPERTIES.replace('assert x != 3, "x reached three"', "x := x * 2"), "XM503"),  # 3 * 2 > 5
])
def test_a_model_without_properties_still_has_errors_and_deadlocks_checked(text, code):
    r = check(model_from_text(text), {})
    assert r.status == "violated" and r.trace.violation.code == code


@pytest.mark.parametrize("opts", [{"max_depth": 2}, {"max_depth": 1}, {"max_states": 3}, {"max_states": 2},
                                  {"max_states": 1}, {"max_depth": 0}])
def test_cut_offs_never_claim_holds(opts):
    for deadlock in (True, False):
        r = check(model_from_text(NO_PROPERTIES), dict(opts, deadlock=deadlock))
        assert r.status in ("bounded", "unknown"), (opts, deadlock, r.status)
        if r.status == "bounded":
            assert r.bound < 3  # the assert fails on the third step

"""Several `init` blocks in one model (docs/language.md, "Several init blocks"): one per file, run in
include order as one init, each with its own scope; `override init` only where it names one block."""
from __future__ import annotations

from xenmodel import ir
from xenmodel.frontend import load_model
from xenmodel.semantics import initial_states

from helpers import run_cli

BASE = """model base
var x: int[0..5]
var order: seq<int[0..9], 4>
init {
  let k = 1
  x := k
  order := order ++ [1]
}
action step() { require x < 5  x := x + 1 }
"""
MID = """model mid
include "base.xm"
var y: int[0..5]
init {
  let k = x + 1
  y := k
  order := order ++ [2]
}
"""
TOP = """model top
include "mid.xm"
include "base.xm"
init {
  choose j: int[0..1] { x := x + j }
  order := order ++ [3]
}
invariant y_two: y == 2
"""


def _files(write):
    write("base.xm", BASE)
    write("mid.xm", MID)
    return write("top.xm", TOP)


def test_blocks_run_in_include_order_as_one_init(write):
    model = load_model(_files(write), None).model
    # one init for every engine: the blocks' statements one after the other (base, mid, top)
    assert isinstance(model.init, tuple) and all(isinstance(s, ir.Stmt) for s in model.init)
    states = [s.state for s in initial_states(model)]
    names = [v.name for v in model.vars]
    got = sorted((s[names.index("x")], s[names.index("y")], tuple(s[names.index("order")])) for s in states)
    # mid's block reads base's x (1), top's block runs last and sees both; base.xm, included twice
    # (by mid and by top), runs once
    assert got == [(1, 2, (1, 2, 3)), (2, 2, (1, 2, 3))]


def test_every_engine_sees_the_composed_init(write):
    path = _files(write)
    for engine in ("explicit", "bmc"):
        code, out, err = run_cli("check", path, "--engine", engine, "--no-deadlock", "--max-depth", "3") \
            if engine == "explicit" else run_cli("check", path, "--engine", engine, "--no-deadlock", "--depth", "3")
        assert code == 0, out + err
    code, out, _ = run_cli("prove", path)
    assert code == 0 and out.startswith("induction: holds"), out


def test_a_local_does_not_cross_blocks(write):
    write("base.xm", BASE)
    path = write("top.xm", 'model top\ninclude "base.xm"\ninit { x := k }\n')
    code, _, err = run_cli("parse", path)
    assert code == 2
    assert "top.xm:3:13: error[XM106]: unknown name `k`" in err


def test_two_blocks_in_one_file_is_xm255(write):
    path = write("m.xm", "model m\nvar x: bool\ninit { x := true }\ninit { x := false }\naction a() { x := !x }\n")
    code, _, err = run_cli("parse", path)
    assert code == 2
    assert "m.xm:4:1: error[XM255]: a second `init` block in the same file" in err
    assert "m.xm:3:1: note: the first init block of this file is here" in err


def test_override_init_replaces_the_one_included_block(write):
    write("base.xm", BASE)
    path = write("v.xm", 'model v\ninclude "base.xm"\noverride init { x := 4 }\n')
    model = load_model(path, None).model
    names = [v.name for v in model.vars]
    states = [t.state for t in initial_states(model)]
    assert [(s[names.index("x")], tuple(s[names.index("order")])) for s in states] == [(4, ())]


def test_override_init_with_several_blocks_is_xm256(write):
    _files(write)
    path = write("v.xm", 'model v\ninclude "mid.xm"\noverride init { x := 4 }\n')
    code, _, err = run_cli("parse", path)
    assert code == 2
    assert ("v.xm:3:1: error[XM256]: `override init` is ambiguous: the included files declare 2 init "
            "blocks") in err
    assert "base.xm:4:1: note: an init block is here" in err and "mid.xm:4:1: note: an init block is here" in err


def test_override_init_with_nothing_to_replace_is_xm104(write):
    path = write("v.xm", "model v\nvar x: bool\noverride init { x := true }\naction a() { x := !x }\n")
    code, _, err = run_cli("parse", path)
    assert code == 2
    assert "v.xm:3:1: error[XM104]: `override init` overrides nothing" in err

"""Integers past Python's int-to-str limit (4,300 digits) that unbounded arithmetic computes at run time
or folds at compile time: every engine answers, none crashes (issue 14)."""
from __future__ import annotations

from click.testing import CliRunner

from xenmodel.cli import cli

FOLDED = "var x: int[0..1]\naction a() { x := " + " * ".join(["1000"] * 1700) + " }\n"
RUNTIME = ("var x: int[0..1]\nvar y: int[0..3]\naction a() { require x == 0  let z = "
           + " * ".join(["(y+1000)"] * 1700) + "  x := z % 2 }\n")


def run(tmp_path, text: str, *args: str):
    path = tmp_path / "m.xm"
    path.write_text(text)
    res = CliRunner().invoke(cli, [*args, str(path)])
    return res.exit_code, res.output.splitlines()


def test_a_folded_constant_too_long_to_print_is_shown_bounded(tmp_path):
    code, out = run(tmp_path, FOLDED, "parse")
    assert code == 2
    assert out[0].endswith("error[XM503]: <int of 16942 bits> is outside int[0..1]")


def test_every_engine_answers_on_runtime_integers_too_long_to_print(tmp_path):
    # 1000^1700 is even: x stays 0, and the explicit engine and simulate evaluate it exactly
    assert run(tmp_path, RUNTIME, "check")[1][0] == "explicit: holds: every property holds in every reachable state"
    code, out = run(tmp_path, RUNTIME, "simulate", "--steps", "3", "--runs", "1")
    assert code == 0 and out[0].startswith("simulate: sampled:")
    # the Z3 encoding needs bit-vectors of thousands of bits: it says so instead of crashing
    for args, engine in ((("check", "--engine", "bmc"), "bmc"), (("prove",), "induction")):
        code, out = run(tmp_path, RUNTIME, *args)
        assert code == 3, out
        assert out[0].startswith(f"{engine}: unknown: the Z3 encoding does not support this model: an integer needs ")
        assert out[0].endswith("bits, more than the 4096 the Z3 encoding takes")

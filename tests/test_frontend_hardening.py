"""Issue 14, front end: deep nesting, huge integers, bad bytes, include safety, size limits.

Every case runs the command line (exit code and message exactly) or the library entry point.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from xenmodel import ast as A
from xenmodel.cli import cli
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model, parse_const_options
from xenmodel.limits import MAX_NESTING, Limits, parse_limit_options
from xenmodel.parser import parse_text

ROOT = Path(__file__).resolve().parent.parent
HEAD = "model deep\nsort P = p[1]\nvar x: int[0..3] = 0\nvar b: bool = false\n"
ENGINES = [["parse"], ["check"], ["check", "--engine", "bmc", "--depth", "1"], ["prove"],
           ["simulate", "--runs", "2", "--steps", "5"]]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(tmp_path: Path, text: str, name: str = "m.xm") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------- nesting
def nested(kind: str, n: int) -> str:
    """A model whose action nests `kind` n times."""
    body = {
        "if": "if x < 3 { " * n + "x := x + 1" + " }" * n,
        "not": "require " + "!" * n + "b\n b := !b",
        "forall": "require " + "forall q: P :: " * n + "true\n b := !b",
        "foreach": "foreach q: P { " * n + "b := !b" + " }" * n,
        "minus": "require " + " - ".join(["x"] * n) + " <= 0\n x := (x + 1) % 4",
        "ite": "require " + "if b then " * n + "true" + " else false" * n + "\n b := !b",
    }[kind]
    return HEAD + f"action a() {{ {body} }}\naction r() {{ x := 0\n b := false }}\ninvariant ok: x <= 3\n"


def deepest(kind: str) -> int:
    """The largest n that the nesting limit accepts (found by bisection on the parser alone)."""
    lo, hi = 1, 2 * MAX_NESTING
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            parse_text(nested(kind, mid), "deep.xm")
            lo = mid
        except DiagnosticError:
            hi = mid - 1
    return lo


KINDS = ["if", "not", "forall", "foreach", "minus", "ite"]


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_at_the_limit_works_in_every_engine(kind, tmp_path):
    n = deepest(kind)
    assert MAX_NESTING - 10 < n < MAX_NESTING
    path = write(tmp_path, nested(kind, n))
    for command in ENGINES:
        result = run(*command, path)
        assert result.exit_code in (0, 1), (command, result.output)
        assert "internal error" not in result.output


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_above_the_limit_is_refused_by_every_command(kind, tmp_path):
    path = write(tmp_path, nested(kind, deepest(kind) + 1))
    for command in ENGINES:
        result = run(*command, path)
        assert result.exit_code == 2, (command, result.output)
        assert f"error[XM013]: nested more than {MAX_NESTING} levels deep" in result.stderr


def test_ten_thousand_deep_nesting_is_refused_not_a_recursion_error(tmp_path):
    path = write(tmp_path, nested("not", 10_000))
    result = run("parse", path)
    assert result.exit_code == 2
    assert f"m.xm:5:120: error[XM013]: nested more than {MAX_NESTING} levels deep" in result.stderr


@pytest.mark.parametrize("op", ["&&", "+"])
def test_ten_thousand_term_chains_work_in_every_engine(op, tmp_path):
    if op == "&&":
        body = "require " + " && ".join(["x < 3"] * 10_000) + "\n x := x + 1"
    else:
        body = "require " + " + ".join(["x"] * 10_000) + " >= 0\n x := (x + 1) % 4"
    path = write(tmp_path, HEAD + f"action a() {{ {body} }}\naction r() {{ x := 0 }}\ninvariant ok: x <= 3\n")
    for command in ENGINES:
        result = run(*command, path)
        assert result.exit_code == 0, (command, result.output)


def test_long_chains_are_balanced_and_short_ones_nest_to_the_left():
    short = parse_text(HEAD + "invariant i: 1 + 2 + 3 == 6\n", "s.xm").decls[-1].expr.left
    assert short == A.Binary("+", A.Binary("+", A.IntLit(1), A.IntLit(2)), A.IntLit(3))
    long = parse_text(HEAD + "invariant i: " + " - ".join(["1"] * 5) + " + " + " + ".join(["1"] * 40)
                      + " == 37\n", "l.xm").decls[-1].expr.left
    # the `-` prefix stays nested to the left; the run of + after it is a balanced tree
    assert long.op == "+" and long.left.op == "+" and long.right.op == "+"

    def depth(e):
        return 1 + max(depth(e.left), depth(e.right)) if isinstance(e, A.Binary) else 0
    assert depth(long) < 25


def test_def_inlining_past_the_limit_is_refused(tmp_path):
    lines = ["model defs", "var x: int[0..3] = 0", "def f0(y: int): int = " + " - ".join(["y"] * 60)]
    for i in range(1, 6):
        lines.append(f"def f{i}(y: int): int = f{i - 1}(y) - f{i - 1}(y) - 1 - 1 - 1 - 1 - 1 - 1 - 1 - 1 - 1 - 1")
    lines.append("action a() { require f5(x) <= 100\n x := (x + 1) % 4 }")
    result = run("check", write(tmp_path, "\n".join(lines) + "\n"))
    assert result.exit_code == 2
    assert (f"m.xm:3:23: error[XM013]: nested more than {MAX_NESTING} levels deep once defs and procs are "
            "inlined") in result.stderr


def test_nesting_limit_can_be_lowered_not_raised(tmp_path):
    path = write(tmp_path, nested("not", 30))
    assert run("parse", path).exit_code == 0
    result = run("parse", path, "--limit", "nesting=20")
    assert result.exit_code == 2 and "error[XM013]: nested more than 20 levels deep" in result.stderr
    result = run("parse", path, "--limit", f"nesting={MAX_NESTING + 1}")
    assert result.exit_code == 2
    assert (f"error[XM231]: --limit nesting={MAX_NESTING + 1} is above {MAX_NESTING}, the deepest nesting "
            "every engine handles") in result.stderr


# ---------------------------------------------------------------- huge integers
def test_integer_literal_beyond_the_digit_limit(tmp_path):
    path = write(tmp_path, "model m\nconst N: int = " + "9" * 5000 + "\nvar x: bool\naction a() { x := !x }\n")
    result = run("parse", path)
    assert result.exit_code == 2
    assert "m.xm:2:16: error[XM014]: an integer literal of 5000 digits; the limit is 4000" in result.stderr
    assert "ValueError" not in result.output


def test_weight_beyond_the_digit_limit(tmp_path):
    path = write(tmp_path, "model m\nvar x: bool\n@weight(" + "1" * 5000 + ")\naction a() { x := !x }\n")
    result = run("parse", path)
    assert result.exit_code == 2
    assert "m.xm:3:1: error[XM117]: `@weight(11111111...11111111)` is not an integer from 1 to 1000" \
        in result.stderr


def test_const_option_beyond_the_digit_limit():
    with pytest.raises(DiagnosticError) as err:
        parse_const_options(["N=" + "7" * 5000])
    assert err.value.diagnostics[0].code == "XM304"
    assert err.value.diagnostics[0].message == "--const N has 5000 digits; the limit is 4000"
    result = run("parse", str(ROOT / "tests" / "fixtures" / "sched_small.xm"), "--const", "N=" + "7" * 5000)
    assert result.exit_code == 2 and "error[XM304]: --const N has 5000 digits" in result.stderr


# ---------------------------------------------------------------- bytes and include paths
def test_non_utf8_file_names_line_and_column(tmp_path):
    path = tmp_path / "m.xm"
    path.write_bytes("model m\nvar x: bool\n// caf\u00e9 \xff\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    result = run("parse", path)
    assert result.exit_code == 2
    assert f"{path}:3:9: error[XM015]: `{path}` is not UTF-8 text: byte 0xff at line 3, column 9" \
        in result.stderr


def test_nul_byte_in_include_path(tmp_path):
    path = tmp_path / "m.xm"
    path.write_bytes(b'model m\ninclude "a\x00b.xm"\n')
    result = run("parse", path)
    assert result.exit_code == 2
    assert "m.xm:2:1: error[XM118]: an include path must be a non-empty file name without NUL bytes" \
        in result.stderr


# ---------------------------------------------------------------- include safety
def test_include_outside_the_root_is_refused_without_reading_it(tmp_path):
    path = write(tmp_path, 'model m\ninclude "/proc/self/environ"\nvar x: bool\naction a() { x := !x }\n')
    os.environ["XENMODEL_SECRET_FOR_TEST"] = "do-not-print-me"
    try:
        result = run("parse", path)
    finally:
        del os.environ["XENMODEL_SECRET_FOR_TEST"]
    assert result.exit_code == 2
    assert "do-not-print-me" not in result.output
    assert (f"m.xm:2:1: error[XM119]: `/proc/self/environ` is outside the project root "
            f"`{os.path.realpath(tmp_path)}`") in result.stderr


def test_include_escaping_by_dotdot_and_symlink(tmp_path):
    (tmp_path / "proj").mkdir()
    write(tmp_path, "model lib\n", "lib.xm")
    os.symlink(tmp_path / "lib.xm", tmp_path / "proj" / "link.xm")
    for target in ("../lib.xm", "link.xm"):
        path = write(tmp_path / "proj", f'model m\ninclude "{target}"\nvar x: bool\naction a() {{ x := !x }}\n')
        result = run("parse", path)
        assert result.exit_code == 2 and "error[XM119]" in result.stderr, target
        # a wider --root allows it
        assert run("parse", path, "--root", tmp_path).exit_code == 0, target


def test_include_of_fifo_directory_and_non_model_file(tmp_path):
    os.mkfifo(tmp_path / "pipe.xm")
    (tmp_path / "dir.xm").mkdir()
    write(tmp_path, "SECRET=1\n", "notes.txt")
    cases = {"pipe.xm": "`{d}/pipe.xm` is a FIFO, not a model file",
             "dir.xm": "`{d}/dir.xm` is a directory, not a model file",
             "notes.txt": "`{d}/notes.txt` is not a .xm model file"}
    for target, message in cases.items():
        path = write(tmp_path, f'model m\ninclude "{target}"\nvar x: bool\naction a() {{ x := !x }}\n')
        result = run("parse", path)
        assert result.exit_code == 2
        assert "m.xm:2:1: error[XM120]: " + message.format(d=tmp_path) in result.stderr
        assert "SECRET" not in result.output


def test_spec_and_lemma_files_still_load():
    assert run("parse", ROOT / "spec" / "xen.xm").exit_code == 0
    # spec/bugs/ and proofs/ include ../ files: the project root is the directory with pyproject.toml
    assert run("parse", ROOT / "spec" / "bugs" / "mem-refcount-allocated.xm").exit_code == 0
    assert run("parse", ROOT / "proofs" / "sched.xm").exit_code == 0
    # a lemma file includes ../spec/...: the root of a prove is the common directory of both files
    bound = load_model(str(ROOT / "spec" / "domain.xm"), "default", extra=(str(ROOT / "proofs" / "domain.xm"),))
    assert bound.model.lemmas


# ---------------------------------------------------------------- size limits
def test_huge_sort_is_refused_at_once(tmp_path):
    path = write(tmp_path, "model m\nsort S = s[100000000]\nvar x: bool\naction a() { x := !x }\n")
    result = run("parse", path)
    assert result.exit_code == 2
    assert "m.xm:2:12: error[XM230]: sort `S` has 100,000,000 values; the limit is 100,000" in result.stderr
    assert run("parse", path, "--limit", "sort_size=10").exit_code == 2


def test_domains_are_counted_not_built(tmp_path):
    path = write(tmp_path, "model m\nsort S = s[1000]\nvar x: bool\nvar m: int[0..10000000] -> bool\n"
                           "action a(p: S, q: S, r: int[0..9]) { require forall u: S, v: S, w: int[0..1] :: true\n"
                           "  foreach k: int[0..2000000] { x := !x } }\n")
    result = run("parse", path)
    assert result.exit_code == 2
    assert "m.xm:4:8: error[XM232]: map keys of int[0..10000000]: 10,000,001 values; the limit is 1,000,000" \
        in result.stderr
    path = write(tmp_path, path.read_text().replace("var m: int[0..10000000] -> bool\n", ""))
    result = run("parse", path)
    assert result.exit_code == 2
    for message in ["m.xm:4:10: error[XM232]: the parameters range over S x S x int[0..9]: 10,000,000 values",
                    "m.xm:4:46: error[XM232]: the binders range over S x S x int[0..1]: 2,000,000 values",
                    "m.xm:5:14: error[XM232]: `k` ranges over int[0..2000000]: 2,000,001 values"]:
        assert message in result.stderr
    assert run("parse", path, "--limit", "domain=20000000").exit_code == 0


def test_limit_options():
    assert parse_limit_options(["sort_size=5", "domain=7"]) == Limits(sort_size=5, domain=7)
    # Was: values over 18 digits were refused, though XM232's help suggests such values for wide ranges.
    assert parse_limit_options([f"domain={10**30}"]) == Limits(domain=10**30)
    for bad in ["size=3", "domain=0", "domain=x", "domain", f"domain={10**40}"]:
        with pytest.raises(DiagnosticError) as err:
            parse_limit_options([bad])
        assert err.value.diagnostics[0].code == "XM231"
        assert err.value.diagnostics[0].message == (f"--limit {bad!r} is not NAME=VALUE with a known name and "
                                                    "a positive integer")


@pytest.mark.parametrize("path", sorted(p for d in ("spec", "spec/bugs", "proofs", "bench/models", "examples",
                                                   "tests/fixtures")
                                        for p in (ROOT / d).glob("*.xm")), ids=lambda p: p.name)
def test_default_limits_refuse_no_shipped_model(path):
    result = run("parse", path)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- one error per cause
def test_choose_over_a_bad_type_gives_one_error(tmp_path):
    """The binder's type is wrong; `p + s0` must not also blame the valid operand s0 (with p's type
    unknown, + may be a set union as well as an integer sum)."""
    path = write(tmp_path, "model m\nsort P = s[2]\nvar x: bool = false\n"
                           "action a() { choose p: set<P> where p + s0 == s0 { x := true } }\n")
    result = run("parse", path)
    assert result.exit_code == 2
    assert result.stderr.count("error[") == 1
    assert "m.xm:4:24: error[XM207]: `p` ranges over set<P>, which is not enumerable" in result.stderr


def test_an_alias_of_an_enum_or_a_sort_declares_no_values_of_its_own(tmp_path):
    # once crashed (an alias has no member spans) or reported its values as clashing with themselves
    path = write(tmp_path, "enum E { a, b }\ntype T = E\nsort S = s[2]\ntype U = S\n"
                           "var x: T = a\nvar y: U = s0\naction go() { x := b\n y := s1 }\n")
    model = load_model(str(path)).model
    assert [v.name for v in model.vars] == ["x", "y"]


def test_a_diagnostic_excerpt_comes_from_the_span_not_a_global_table(tmp_path):
    with pytest.raises(DiagnosticError) as err:
        parse_text("action a() { x = 1 }", "nowhere.xm")
    text = str(err.value)
    assert "nowhere.xm:1:" in text and "action a() { x = 1 }" in text

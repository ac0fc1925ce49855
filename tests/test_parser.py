"""The parser: positions on every node, doc comments and @ref attached, includes and overrides."""
from __future__ import annotations

import dataclasses

import pytest

from xenmodel import ast as A
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.loader import load
from xenmodel.parse_errors import BAD_INPUTS
from xenmodel.parser import parse_text

from helpers import FIXTURES


def walk(node):
    yield node
    if dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            if f.name in ("span", "meta", "func_span", "member_spans"):
                continue
            yield from walk(getattr(node, f.name))
    elif isinstance(node, tuple):
        for x in node:
            yield from walk(x)


def test_every_node_has_a_span():
    module = parse_text((FIXTURES / "features.xm").read_text(), "features.xm")
    nodes = [n for n in walk(module) if isinstance(n, A.Node)]
    assert len(nodes) > 200
    missing = [n for n in nodes if n.span is None and not isinstance(n, A.Module)]
    assert missing == []


def test_span_covers_the_source_text():
    src = "model m\nvar x: int[0..3]\ninvariant small: x + 1 <= 3\n"
    module = parse_text(src, "m.xm")
    inv = module.decls[1]
    assert inv.expr.span.text() == "x + 1 <= 3"
    assert inv.expr.left.span.text() == "x + 1"
    assert inv.meta.name_span.text() == "small"


def test_doc_comments_and_refs_attach_to_declarations():
    src = '/// The model.\nmodel m\n/// A counter.\n/// Two lines.\n@ref("xen/a.c:f")\nvar x: bool\n'
    module = parse_text(src, "m.xm")
    assert module.doc == "The model."
    (var,) = module.decls
    assert var.meta.doc == "A counter.\nTwo lines." and var.meta.refs == ("xen/a.c:f",)


def test_record_literal_and_if_block_do_not_conflict():
    src = "model m\nrecord R { a: bool }\nvar r: R\nvar c: bool\naction x() { if c { r := R { a: c } } }\n"
    module = parse_text(src, "m.xm")
    stmt = module.decls[3].body[0]
    assert isinstance(stmt, A.If) and isinstance(stmt.then[0].value, A.RecordLit)


def test_count_is_both_quantifier_and_builtin():
    src = "model m\nsort P = p[2]\nvar q: seq<P, 2>\ninvariant a: (count x: P :: x in q) == count(q, p0)\n"
    expr = parse_text(src, "m.xm").decls[2].expr
    assert isinstance(expr.left, A.Quant) and isinstance(expr.right, A.Call)


def test_override_replaces_in_place(tmp_path):
    (tmp_path / "base.xm").write_text("model base\nvar x: int[0..3]\naction a() { x := 1 }\naction b() { x := 2 }\n")
    (tmp_path / "bug.xm").write_text('model bug\ninclude "base.xm"\noverride action a() { x := 3 }\n')
    model = load_model(str(tmp_path / "bug.xm"), None, {}).model
    assert [a.name for a in model.actions] == ["a", "b"]
    assert model.actions[0].body[0].value.value == 3


def test_bodyless_override_changes_only_the_attributes(tmp_path):
    """`@weight(1) override action a` keeps the included action's parameters, body, doc and refs."""
    (tmp_path / "base.xm").write_text('model base\nsort P = p[2]\nvar x: int[0..3]\n/// sets x\n'
                                      '@ref("xen/a.c:f")\naction a(q: P) { x := 1 }\naction b() { x := 2 }\n')
    (tmp_path / "top.xm").write_text('model top\ninclude "base.xm"\n@weight(1)\noverride action a\n')
    base = load_model(str(tmp_path / "base.xm"), None, {}).model
    model = load_model(str(tmp_path / "top.xm"), None, {}).model
    assert [a.name for a in model.actions] == ["a", "b"]
    a, b = model.actions[0], base.actions[0]
    assert (a.weight, b.weight) == (1, 10)
    assert a.params == b.params and a.body == b.body and a.refs == b.refs == ("xen/a.c:f",)
    assert a.doc == b.doc == "sets x"
    assert model.actions[1].weight == 10
    # a bodyless override of nothing, or of a proc, is refused like any override
    (tmp_path / "none.xm").write_text('model none\ninclude "base.xm"\n@weight(1)\noverride action c\n')
    with pytest.raises(DiagnosticError) as err:
        load_model(str(tmp_path / "none.xm"), None, {})
    assert err.value.diagnostics[0].code == "XM104"
    # without `override` it is an action missing its parameters
    with pytest.raises(DiagnosticError) as err:
        parse_text("model m\naction a\n", "m.xm")
    assert err.value.diagnostics[0].code == "XM003"


def test_diamond_include_counts_once(tmp_path):
    (tmp_path / "common.xm").write_text("model common\nconst N: int = 2\n")
    (tmp_path / "a.xm").write_text('model a\ninclude "common.xm"\nvar x: bool\n')
    (tmp_path / "b.xm").write_text('model b\ninclude "common.xm"\nvar y: bool\n')
    (tmp_path / "top.xm").write_text('model top\ninclude "a.xm"\ninclude "b.xm"\naction t() { x := !y }\n')
    loaded = load(str(tmp_path / "top.xm"))
    assert [d.name for d in loaded.decls] == ["N", "x", "y", "t"]


def test_all_errors_of_a_phase_are_reported():
    src = "model m\nvar x: bool\naction a() { x := 1 }\naction b() { y := true }\ninvariant i: x + 1\n"
    with pytest.raises(DiagnosticError) as err:
        load_model("m.xm", text=src)
    assert [d.code for d in err.value.diagnostics] == ["XM201", "XM106", "XM214"]


def test_known_bad_inputs_fail_to_parse():
    for code, _, _, examples in BAD_INPUTS:
        for example in examples:
            with pytest.raises(DiagnosticError) as err:
                parse_text(example, "bad.xm")
            assert err.value.diagnostics[0].code == code, example

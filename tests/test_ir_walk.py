"""The one IR walker: it sees every node, in evaluation order, at any depth, and fails on unknown nodes."""
from __future__ import annotations

from pathlib import Path

import pytest

from xenmodel import ir
from xenmodel import ir_walk as W
from xenmodel.frontend import load_model
from xenmodel.types import BOOL

ROOT = Path(__file__).resolve().parent.parent
# common.xm and hooks.xm only declare helpers for the others: nothing to walk there
MODELS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "spec").glob("*.xm")
                if p.name not in ("common.xm", "hooks.xm")) + \
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "fixtures").glob("*.xm")
           if p.name not in ("trace_errors.xm",))


def _generic_nodes(node, out: list) -> None:
    """Every IR node by dataclass introspection (the walker's independent oracle)."""
    if isinstance(node, tuple):
        for x in node:
            _generic_nodes(x, out)
    elif isinstance(node, ir.Node):
        out.append(node)
        for name in node.__dataclass_fields__:
            if name not in ("span", "type", "domain", "key"):
                _generic_nodes(getattr(node, name), out)


@pytest.mark.parametrize("path", MODELS)
def test_the_walker_meets_every_node_of_every_model(path):
    model = load_model(str(ROOT / path)).model
    blocks = [model.init] + [a.body for a in model.actions] + [p.expr for p in model.properties]
    for block in blocks:
        expected: list = []
        _generic_nodes(block, expected)
        got = list(W.walk(block))
        assert sorted(map(id, got)) == sorted(map(id, expected))
        reads = {n.index for n in expected if isinstance(n, ir.Var)}
        writes = {n.index for n in expected if isinstance(n, ir.LVar)}
        assert W.vars_read(block) == reads
        assert W.vars_written(block) == writes


def test_free_locals_are_the_parameters_and_outer_binders():
    model = load_model(str(ROOT / "tests" / "fixtures" / "features.xm")).model
    for a in model.actions:
        assert W.free_locals(a.body) <= {p.uid for p in a.params}
    for p in model.properties:
        assert W.free_locals(p.expr) == frozenset()


def test_walk_is_preorder_in_evaluation_order():
    a = ir.Lit(True, BOOL)
    b = ir.Lit(False, BOOL)
    c = ir.Lit(True, BOOL)
    e = ir.Ite(a, ir.Unary("!", b, BOOL), c, BOOL)
    assert [type(n).__name__ for n in W.walk(e)] == ["Ite", "Lit", "Unary", "Lit", "Lit"]
    assert list(W.walk(e))[1] is a and list(W.walk(e))[3] is b


def test_walking_a_very_deep_expression_does_not_recurse():
    e: ir.Expr = ir.Lit(True, BOOL)
    for _ in range(50_000):
        e = ir.Unary("!", e, BOOL)
    assert W.size(e) == 50_001
    assert W.vars_read(e) == frozenset()
    assert W.depth(e) == 50_001 and W.depth((e, ir.Lit(False, BOOL))) == 50_001 and W.depth(()) == 0


def test_an_unknown_node_fails_loudly():
    class Stranger(ir.Node):
        pass
    with pytest.raises(AssertionError):
        W.children(Stranger())  # type: ignore[arg-type]

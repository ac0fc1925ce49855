"""Spacer's invariants written back in the language (checkers/infer/pdr_render.py), differentially:
random formulas over a model's leaves are rendered, parsed back as invariants of that model, and evaluated
by the reference semantics in every state, against Z3's own value of the formula there. Spacer's output
varies from run to run, so a rendering fault (such as `a == b == c`, which does not parse) must be caught
here and not by whichever invariant one Spacer run happens to return."""
from __future__ import annotations

import itertools
import random
from pathlib import Path

import pytest
import z3

from checkers.infer.pdr_render import Unrenderable, _Renderer
from checkers.infer.pdr_state import layout
from xenmodel.frontend import load_model
from xenmodel.semantics import eval_expr

MODEL = """model render_target
var x: int[0..3]
var y: int[0..5]
var b: bool
var c: bool
"""
RANGES = [range(4), range(6), (False, True), (False, True)]


def leaves(tmp_path: Path):
    path = tmp_path / "render_target.xm"
    path.write_text(MODEL)
    model = load_model(str(path), None, {}).model
    return [leaf for v in model.vars for leaf in layout(v.type, v.name)]


class Formulas:
    """Random Boolean formulas in the shapes Spacer returns: Booleans, bit-vector comparisons (signed and
    unsigned), equalities of Booleans (which nest comparisons), if-then-else at both types."""

    def __init__(self, rnd: random.Random, widths: list[int]) -> None:
        self.rnd = rnd
        self.bvs = [(z3.Var(i, z3.BitVecSort(w)), w) for i, w in enumerate(widths) if w]
        self.bools = [z3.Var(i, z3.BoolSort()) for i, w in enumerate(widths) if not w]

    def bv(self, width: int, depth: int) -> z3.ExprRef:
        r = self.rnd
        choice = r.randrange(4 if depth else 2)
        if choice == 0:
            return z3.BitVecVal(r.randrange(1 << width), width)
        if choice == 1 or choice == 3:
            v, w = r.choice(self.bvs)
            return v if w == width else (z3.ZeroExt(width - w, v) if w < width else z3.Extract(width - 1, 0, v))
        return z3.If(self.boolean(depth - 1), self.bv(width, depth - 1), self.bv(width, depth - 1))

    def compare(self, depth: int) -> z3.ExprRef:
        w = self.rnd.choice([w for _, w in self.bvs])
        a, b = self.bv(w, depth), self.bv(w, depth)
        op = self.rnd.choice([lambda p, q: p == q, lambda p, q: p != q, z3.ULT, z3.ULE, z3.UGT, z3.UGE,
                              lambda p, q: p < q, lambda p, q: p <= q])
        return op(a, b)

    def boolean(self, depth: int) -> z3.ExprRef:
        r = self.rnd
        if depth == 0:
            return r.choice(self.bools) if r.random() < 0.4 else self.compare(0)
        k = r.randrange(8)
        sub = lambda: self.boolean(depth - 1)  # noqa: E731
        if k == 0:
            return z3.Not(sub())
        if k == 1:
            return z3.And(*[sub() for _ in range(r.randrange(2, 4))])
        if k == 2:
            return z3.Or(*[sub() for _ in range(r.randrange(2, 4))])
        if k == 3:
            return z3.Implies(sub(), sub())
        if k == 4:
            return sub() == sub()  # Boolean equality: its sides are often comparisons themselves
        if k == 5:
            return z3.Xor(sub(), sub())
        if k == 6:
            return z3.If(sub(), sub(), sub())
        return self.compare(depth - 1)


@pytest.mark.parametrize("seed", range(3))
def test_rendered_formulas_parse_and_mean_what_z3_means(seed, tmp_path):
    ls = leaves(tmp_path)
    gen = Formulas(random.Random(seed), [leaf.width for leaf in ls])
    rendered: list[tuple[z3.ExprRef, str]] = []
    tried = 0
    while len(rendered) < 120:
        tried += 1
        f = gen.boolean(gen.rnd.randrange(1, 4))
        try:
            rendered.append((f, _Renderer(ls).boolean(f)))
        except Unrenderable:
            pass
    assert tried < 2 * len(rendered), f"only {len(rendered)} of {tried} random formulas rendered"
    assert any(" == " in t and t.count("==") >= 2 for _, t in rendered), "no nested equality was tried"
    path = tmp_path / "rendered.xm"
    path.write_text(MODEL + "".join(f"invariant r{i}: {t}\n" for i, (_, t) in enumerate(rendered)))
    model = load_model(str(path), None, {}).model  # a rendering that does not parse fails here
    props = {p.name: p for p in model.properties}
    for values in itertools.product(*RANGES):
        consts = [z3.BoolVal(v) if isinstance(v, bool) else z3.BitVecVal(v, leaf.width)
                  for v, leaf in zip(values, ls, strict=True)]
        for i, (f, text) in enumerate(rendered):
            want = z3.is_true(z3.simplify(z3.substitute_vars(f, *consts)))
            got = eval_expr(props[f"r{i}"].expr, values, {})
            assert got == want, f"{text} at x, y, b, c = {values}: the language says {got}, Z3 says {want} of {f}"

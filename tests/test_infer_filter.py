"""The filter's observations (checkers/infer/filter.py observe) with the projections of the states shared
by the scopes that read the same variables, against the same observations computed per scope and
against the reference semantics on every state and binding (filter._value)."""
from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from checkers.infer.filter import CompiledAtom, _value, atom_body, explore, observe, walks
from checkers.infer.grammar import Grammar
from xenmodel.frontend import load_model
from xenmodel.types import values

ROOT = Path(__file__).resolve().parent.parent
MODELS = [(ROOT / "bench" / "models" / "s1.xm", None), (ROOT / "tests" / "fixtures" / "infer_lock.xm", None),
          (ROOT / "tests" / "fixtures" / "infer_cond.xm", None)]


def _atoms_model(path: Path, instance: str | None):
    base = load_model(str(path), instance, {}).model
    g = Grammar(base)
    scoped = [sa for sa in (g.atoms(s) for s in g.scopes()) if sa.atoms]
    lines = []
    for si, sa in enumerate(scoped):
        for ai, a in enumerate(sa.atoms):
            lines.append(f"lemma infer_atom_{si}_{ai}: {sa.scope.prefix() + a.pos}\n")
            if a.guard:
                lines.append(f"lemma infer_guard_{si}_{ai}: {sa.scope.prefix() + a.guard}\n")
    text = f'include "{path.name}"\n' + "".join(lines)
    model = load_model(os.path.join(path.parent, "xenmodel-infer-test.xm"), instance, {}, text=text).model
    props = {p.name: p for p in model.properties}
    compiled = []
    for si, sa in enumerate(scoped):
        depth = len(sa.scope.binders)
        row = []
        for ai in range(len(sa.atoms)):
            gp = props.get(f"infer_guard_{si}_{ai}")
            row.append(CompiledAtom(atom_body(props[f"infer_atom_{si}_{ai}"], depth),
                                    None if gp is None else atom_body(gp, depth)))
        compiled.append(row)
    return base, model, scoped, compiled


@pytest.mark.parametrize("path,instance", MODELS, ids=[p.stem for p, _ in MODELS])
def test_shared_projections_give_the_observations_of_the_reference_semantics(path, instance):
    base, model, scoped, compiled = _atoms_model(path, instance)
    states = explore(base, 3000, None).states + walks(base, 5, 20)
    memo: dict = {}
    for sa, row in zip(scoped, compiled, strict=True):
        shared, alone = set(), set()
        observe(model, sa, row, states, shared, memo)
        observe(model, sa, row, states, alone)
        domains = [values(q.domain) for q in row[0].core[1]]
        reference = {tuple(_value(a, st, b) for a in row) for st in states
                     for b in itertools.product(*domains) if not (sa.scope.same_sort and b[0] == b[1])}
        assert shared == alone == reference

"""`xenmodel infer`'s pointer-pair family (checkers/infer/grammar_pointers.py): `C && t1 == a => t2 != b`
in two-variable scopes. The fixture needs it (unknown without, proved with); every candidate of the
family holds in every reachable state it was filtered on (explicit engine), on generated variants of
the fixture, including ones where a slot may link to itself (then the self-exclusion is not listed)."""
from __future__ import annotations

import random

import pytest

from checkers.explicit.search import Search, check
from checkers.infer.filter import CompiledAtom, Table, atom_body, observe
from checkers.infer.grammar import Grammar
from checkers.infer.grammar_pointers import pointer_pairs
from xenmodel.frontend import load_model
from xenmodel.result import EngineOptions

from helpers import FIXTURES, run_cli

PTR = str(FIXTURES / "infer_ptr.xm")
SELF = "forall n: Node, s: Slot :: tab[n][s].state == S_LINKED && tab[n][s].peer == n => tab[n][s].port != s"


def infer(*args: str):
    return run_cli("infer", *args, "--workers", "1", "--quiet", "--no-cache")


def test_pointer_family_proves_the_fixture_and_its_lemmas_hold(tmp_path):
    out = tmp_path / "lemmas.xm"
    res = infer(PTR, "-o", str(out))
    assert res[0] == 0, res[1] + res[2]
    assert f"lemma inferred_1: {SELF}" in out.read_text()
    proof = run_cli("prove", PTR, "--lemmas", str(out), "--no-cache", "--workers", "1")
    assert proof[0] == 0, proof[1] + proof[2]
    for inst in ("small", "default"):
        model = load_model(PTR, inst, extra=(str(out),)).model
        assert check(model, {"deadlock": False}).status == "holds"


def test_without_the_pointer_family_the_fixture_is_unknown_for_good(monkeypatch):
    import checkers.infer.grammar_pointers as family
    monkeypatch.setattr(family, "MAX_POINTER_CANDS", 0)
    res = infer(PTR)
    assert res[0] == 3, res[1] + res[2]
    assert res[1].startswith("unknown: the targets are not inductive with any subset of the candidates")
    assert "not inductive: model errors and asserts / unlink (sat)" in res[1]


def _family(path: str, text: str, instance: str) -> list[str]:
    """The family's candidates of `text`'s two-variable scopes, filtered on every reachable state of the
    instance (a complete search), as the engine filters them."""
    model = load_model(path, instance, text=text).model
    g = Grammar(model)
    scoped = [g.atoms(s) for s in g.scopes() if len(s.binders) == 2]
    lemmas = [(f"a_{si}_{ai}", sa.scope.prefix() + a.pos) for si, sa in enumerate(scoped)
              for ai, a in enumerate(sa.atoms)]
    lemmas += [(f"g_{si}_{ai}", sa.scope.prefix() + a.guard) for si, sa in enumerate(scoped)
               for ai, a in enumerate(sa.atoms) if a.guard]
    with_atoms = load_model(path, instance, text=text + "".join(f"\nlemma {n}: {t}" for n, t in lemmas)).model
    props = {p.name: p for p in with_atoms.properties}
    search = Search(model, EngineOptions(deadlock=False, symmetry=False, por=False))
    assert search.run().status == "holds"
    states = [search.value(i) for i in range(len(search.states))]
    out: list[str] = []
    for si, sa in enumerate(scoped):
        compiled = [CompiledAtom(atom_body(props[f"a_{si}_{ai}"], 2),
                                 atom_body(props[f"g_{si}_{ai}"], 2) if f"g_{si}_{ai}" in props else None)
                    for ai in range(len(sa.atoms))]
        obs: set[tuple[bool | None, ...]] = set()
        observe(with_atoms, sa, compiled, states, obs)
        out.extend(c.text for c in pointer_pairs(sa.scope, Table(sa.atoms, obs)))
    return out


def _variant(seed: int) -> str:
    """The fixture with random sizes and, in some variants, links a slot may make to itself."""
    rng = random.Random(seed)
    text = open(PTR, encoding="utf-8").read()
    text = text.replace("instance small { NNODE = 2, NSLOT = 2 }",
                        f"instance small {{ NNODE = 2, NSLOT = {rng.randint(2, 3)} }}")
    if rng.random() < 0.5:  # a self-link: the OPEN slot links to itself
        text = text.replace("action close(n: Node, s: Slot) {", "action self_link(n: Node, s: Slot) {\n"
                            "  require tab[n][s].state == S_OPEN\n"
                            "  tab[n][s] := Entry { state: S_LINKED, peer: n, port: s }\n}\n\n"
                            "action close(n: Node, s: Slot) {")
        text = text.replace('assert tab[e.peer][e.port].state == S_OPEN, "unlink_peer_open: the peer of an '
                            'unlinked slot is left OPEN"', "")
    return text


@pytest.mark.parametrize("seed", range(6))
def test_every_candidate_of_the_family_holds_in_every_reachable_state(tmp_path, seed):
    text = _variant(seed)
    path = str(tmp_path / "ptr.xm")
    texts = _family(path, text, "small")
    selfish = "self_link" in text
    assert (SELF in texts) != selfish  # listed exactly when true of every reachable state
    if not texts:
        return
    lemmas = text + "".join(f"\nlemma fam_{i}: {t}" for i, t in enumerate(texts))
    # the explicit engine checks every candidate as a lemma in every reachable state
    assert check(load_model(path, "small", text=lemmas).model, {"deadlock": False}).status == "holds"

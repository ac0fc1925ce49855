"""infer's shared encodings (checkers/smt/discharge.py Session, workers.py SessionPool) against the plain
discharge of `prove`: on generated models, every consecution obligation of every view (the model with
a subset of its properties) gets the same answer, and every CTI replays through the reference semantics
and breaks the property asked."""
from __future__ import annotations

import random

import pytest

from checkers.smt.discharge import Session, Task, replay_transitions, run_task
from checkers.smt.queries import obligations
from tests.helpers import model_from_text
from tests.modelgen import generate
from xenmodel import semantics as S


def _answers(model, session=None):
    by_action: dict[str, list] = {}
    for ob in obligations(model):
        if ob.kind.startswith("consecution") and not ob.skipped:
            by_action.setdefault(ob.action, []).append(ob)
    out = {}
    for action, obs in by_action.items():
        for o in run_task(model, Task(action, tuple(obs)), None, session=session):
            out[o.index] = o
    return out


@pytest.mark.parametrize("seed", range(30))
def test_a_session_answers_every_view_as_the_plain_discharge(seed):
    rng = random.Random(seed)
    model = model_from_text(generate(rng, n_props=rng.randint(2, 4)))
    session = Session(model)
    names = [p.name for p in model.properties]
    # the views in the order a run asks them: growing subsets, then the whole model again
    views = [names[:k] for k in range(1, len(names) + 1)] + [names[:1]]
    for chosen in views:
        view = session.view(chosen)
        plain, shared = _answers(view), _answers(view, session)
        assert {i: o.answer for i, o in plain.items()} == {i: o.answer for i, o in shared.items()}
        for o in shared.values():
            if o.trace is not None and len(o.trace.steps) == 2:
                replay_transitions(view, o.trace)
                broken = {p.name for p, _ in S.check_properties(view, o.trace.steps[-1].state)}
                assert broken  # the post-state breaks a property of the view


def test_worker_processes_keep_their_encodings_and_give_the_same_lemma_file(tmp_path, monkeypatch):
    """SessionPool's worker processes (started once per run) find the same lemmas as one process."""
    from checkers.smt import workers
    from tests.helpers import ROOT, run_cli
    monkeypatch.setattr(workers, "MIN_POOL_OBLIGATIONS", 0)  # the fixture is small: use the pool anyway
    fixture = str(ROOT / "tests" / "fixtures" / "infer_cond.xm")
    texts = []
    for n in ("1", "2"):
        out = tmp_path / n / "l.xm"
        out.parent.mkdir()
        res = run_cli("infer", fixture, "-o", str(out), "--workers", n, "--no-cache", "--quiet")
        assert res[0] == 0, res[1] + res[2]
        texts.append(out.read_text().replace(str(out), "OUT").replace(f"--workers {n}", ""))
    assert texts[0] == texts[1]


@pytest.mark.parametrize("seed", range(10))
def test_the_actions_of_a_session_share_the_pre_state_and_its_property_encodings(seed):
    """Every action's step of a session has the same pre-state constants, so a property on the
    pre-state is encoded once for all of them (discharge._Shared); the answers are the plain ones
    (the differential test above), and a step's own encoding is the shared term."""
    from checkers.smt.discharge import _Step
    rng = random.Random(1000 + seed)
    model = model_from_text(generate(rng, n_props=rng.randint(2, 4)))
    session = Session(model)
    steps = [session.context(a.name) for a in model.actions]
    for step in steps:
        assert isinstance(step, _Step) and step.bad_pre is session.shared.bad
    for step in steps:
        for p in model.properties:
            step.good(p.name)
    alone = _Step(model, model.actions[0].name, tied=True)  # its own encodings: the same terms
    for p in model.properties:
        assert alone.good(p.name).eq(steps[-1].good(p.name))


def test_shared_encodings_refuse_a_step_whose_pre_state_differs():
    import z3

    from checkers.smt.discharge import _Shared
    shared = _Shared()
    a, b = z3.Bool("pre.x#0"), z3.Bool("pre.y#1")
    assert shared.admits([a, b])
    assert shared.admits([z3.Bool("pre.x#0"), z3.Bool("pre.y#1")])
    assert not shared.admits([b, a])
    assert not shared.admits([a])

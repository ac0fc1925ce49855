"""Bugs the differential campaign (bench/differential_campaign.py) found, each with its fixture.

- An error raised after a choose belongs to each of the choose's paths, with all of that path's picks:
  the reference semantics reported it once per outer pick, so every engine's trace failed to replay.
- A model without initial states: the engines disagreed (violated, bounded, holds, exit 70).
- The Z3 encoding put an int placeholder where a seq<bool> element or get() of a bool option is read.
"""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from xenmodel import semantics as S
from xenmodel.cli import cli
from xenmodel.frontend import load_model

MODEL = Path(__file__).parent / "fixtures" / "regressions" / "choose_error_after_body.xm"


def test_every_path_of_a_nested_choose_fails_with_its_own_picks():
    model = load_model(str(MODEL)).model
    init = next(iter(S.initial_states(model))).state
    outcomes = S.successors_of(model, model.actions[0], (), init)
    assert [o.picks for o in outcomes] == [
        (("x", False), ("y", False)), (("x", False), ("y", True)),
        (("x", True), ("y", False)), (("x", True), ("y", True))]
    assert all(isinstance(o, S.StepError) and o.error.code == "XM505" for o in outcomes)


def test_explicit_and_bmc_report_the_error_and_it_replays():
    for engine in ("explicit", "bmc"):
        res = CliRunner().invoke(cli, ["check", str(MODEL), "--engine", engine])
        assert res.exit_code == 1, res.output
        assert res.output.startswith(f"{engine}: violated: model-error XM505: index 0 outside a seq of length 0")


NO_INIT = Path(__file__).parent / "fixtures" / "regressions" / "no_initial_state.xm"


def test_a_model_without_initial_states_is_reported_and_the_report_replays():
    # simulate replays the empty trace through the reference semantics (it used to fail with exit 70)
    for args in (["check"], ["check", "--no-deadlock"], ["simulate", "--runs", "1"]):
        res = CliRunner().invoke(cli, [*args, str(NO_INIT)])
        assert res.exit_code == 1, (args, res.output)
        assert ": violated: deadlock: the model has no initial state" in res.output.splitlines()[0]


SEQ_BOOL = Path(__file__).parent / "fixtures" / "regressions" / "seq_bool_head.xm"


def test_z3_engines_read_bool_seq_elements():
    res = CliRunner().invoke(cli, ["check", "--engine", "bmc", str(SEQ_BOOL)])
    assert res.exit_code == 1, res.output
    assert res.output.startswith("bmc: violated: invariant p: evaluating it raised XM502: head() of an empty seq")
    res = CliRunner().invoke(cli, ["prove", str(SEQ_BOOL)])
    assert res.exit_code == 3, res.output
    assert res.output.startswith("induction: unknown: not inductive: action a breaks invariant p")


def test_a_constant_with_an_unknown_operand_is_reported_not_evaluated(tmp_path):
    # found by bench/fuzz_campaign.py (input 22159 of seed 0): `-UNKNOWN` is typed int after its error,
    # and the checker evaluated it (exit 70); the same for a constant declaration (`-true`)
    for text, code, where in (("type T = int[-UNKNOWN..3]\nvar x: T\naction a() { x := x }\n", "XM106", "1:15"),
                              ("const FLAG: bool = -true\nvar x: bool\naction a() { x := FLAG }\n", "XM214", "1:21")):
        path = tmp_path / "m.xm"
        path.write_text(text)
        res = CliRunner().invoke(cli, ["parse", str(path)])
        assert res.exit_code == 2, res.output
        assert f"m.xm:{where}: error[{code}]" in res.output

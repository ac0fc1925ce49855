"""`check --workers N`: the hash-partitioned search (checkers/explicit/partition.py, partitioned.py, pool.py)
gives the single-process search's result: the same status, bound, state and transition counts, and the
same shortest counterexample, step for step.

Most cases run the partitions in this process (pool.InProcessTransport: the same Partition objects and driver,
the batches pickled as between processes), so that many models are cheap to compare; a few run the
real worker processes through `check` and the command line."""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from checkers.explicit import check
from checkers.explicit.partition import owner_of, stable_hash
from checkers.explicit.partition_key import Key
from checkers.explicit.partitioned import PartitionedSearch
from checkers.explicit.pool import InProcessTransport as InProcess
from xenmodel.diagnostics import DiagnosticError
from xenmodel.frontend import load_model
from xenmodel.result import EngineOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from helpers import FIXTURES, ROOT, fixture, model_from_text, reference_bfs, run_cli  # noqa: E402
from modelgen import generate  # noqa: E402
from spec_expectations import BUGS  # noqa: E402


def partitioned(model, n, key=None, **opts):
    return PartitionedSearch(model, EngineOptions(**opts), InProcess(n), key).run()


def assert_same(one, many, what=""):
    """The single-process result `one` and the partitioned `many` agree on everything but the times."""
    assert many.status == one.status, (what, one.reason, many.reason)
    assert many.bound == one.bound, what
    if one.status in ("holds", "bounded") and "max_states" not in what:
        for k in ("states", "transitions", "generated", "depth"):
            assert many.stats[k] == one.stats[k], (what, k, one.stats[k], many.stats[k])
        gen = {a: c["generated"] for a, c in one.stats["coverage"].items()}
        assert {a: c["generated"] for a, c in many.stats["coverage"].items()} == gen, what
    if one.trace is None:
        assert many.trace is None, what
        return
    assert many.trace is not None, what
    assert many.trace.violation == one.trace.violation, what
    steps = [(s.action, s.args, s.picks, s.state) for s in one.trace.steps]
    assert [(s.action, s.args, s.picks, s.state) for s in many.trace.steps] == steps, what


def _safety(model):
    """The model without its temporal properties (the partitioned search refuses them)."""
    return dataclasses.replace(model, temporals=())


# ---------------------------------------------------------------- the algorithm, in this process
FIXTURE_FILES = sorted(p.name for p in FIXTURES.glob("*.xm"))


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixtures_give_the_single_process_result(name):
    model = _safety(fixture(name))
    for deadlock in (True, False):
        one = check(model, {"deadlock": deadlock, "max_states": 50_000})
        if one.status == "bounded":
            pytest.skip("too large for a quick comparison")
        for n in (2, 3):
            assert_same(one, partitioned(model, n, deadlock=deadlock), (name, deadlock, n))


@pytest.mark.parametrize("consts", [{}, {"D": 1, "V": 2, "P": 2}, {"D": 2, "V": 1, "P": 2}, {"D": 2, "V": 2, "P": 1}])
def test_s1_small_sizes(consts):
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, consts).model
    for deadlock in (True, False):
        one = check(model, {"deadlock": deadlock})
        for n in (2, 3):
            assert_same(one, partitioned(model, n, deadlock=deadlock), (consts, deadlock, n))


def test_s1_with_symmetry_and_bounds():
    model = load_model(str(ROOT / "bench/models/s1_sym.xm"), None, {}).model
    for opts in ({"deadlock": False}, {"deadlock": False, "symmetry": False}, {"max_depth": 6},
                 {"max_depth": 6, "deadlock": False}, {"max_depth": 0}):
        assert_same(check(model, opts), partitioned(model, 2, **opts), opts)


def test_max_states_gives_the_single_process_bound():
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    for limit in (1, 2, 50, 1000):
        for deadlock in (True, False):
            one = check(model, {"max_states": limit, "deadlock": deadlock})
            many = partitioned(model, 2, max_states=limit, deadlock=deadlock)
            if many.status == "violated" and one.status == "bounded":
                # the level that reached the limit had a violation, which one process stopped short of:
                # the partitioned search reports it, the shortest (the unlimited search's)
                assert_same(check(model, {"deadlock": deadlock}), many)
                assert one.bound < len(many.trace)
                continue
            assert (many.status, many.bound) == (one.status, one.bound), (limit, deadlock, one.reason, many.reason)
            assert many.stats["states"] >= min(limit, 5856)


@pytest.mark.parametrize("bug", [pytest.param(b, id=b.variant, marks=[pytest.mark.slow] if b.explicit_s > 0.7 else [])
                                 for b in BUGS if not b.loop])
def test_bug_variants(bug):
    model = _safety(load_model(str(ROOT / "spec/bugs" / f"{bug.variant}.xm"), bug.instance, {}).model)
    one = check(model, {"deadlock": False})
    assert one.status == "violated" and len(one.trace) == bug.length
    assert_same(one, partitioned(model, 2, deadlock=False), bug.variant)


def _generated(seed: int):
    try:
        return load_model("<gen>.xm", text=generate(random.Random(f"workers:{seed}"))).model
    except DiagnosticError:
        return None


def _generated_safety(seed: int) -> Any:
    """Generated model `seed` with its safety properties only; the test is skipped if the generator's
    model is refused."""
    model = _generated(seed)
    if model is None:
        pytest.skip("refused by a rule (the acceptance rate is tested in test_campaigns.py)")
    return _safety(model)


def _differential(seed: int) -> None:
    model = _generated_safety(seed)
    for deadlock in (True, False):
        one = check(model, {"deadlock": deadlock})
        count, ref = reference_bfs(model, deadlock=deadlock)
        if one.status == "holds":
            assert one.stats["states"] == count or model.vars and one.stats.get("symmetry")
        for n in (2, 3):
            assert_same(one, partitioned(model, n, deadlock=deadlock), (seed, deadlock, n))
        if ref is not None and one.trace is not None:
            assert len(one.trace) == len(ref)


@pytest.mark.parametrize("seed", range(12))
def test_generated_models(seed):
    _differential(seed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12, 150))
def test_generated_models_more(seed):
    _differential(seed)


def test_the_hash_is_the_same_in_another_process():
    value = (None, frozenset({(1, None), (2, True)}), (3, (None,)), "a")
    code = ("from checkers.explicit.partition import stable_hash; "
            f"print(stable_hash({value!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "123"}).stdout
    assert int(out) == stable_hash(value)
    whole = Key(((0, None), (1, None)))
    assert owner_of((None, 1), 2, whole, {}) == owner_of((None, 1), 2, whole, {})


# ---------------------------------------------------------------- the worker processes
def test_worker_processes_give_the_single_process_result():
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    for deadlock in (True, False):
        assert_same(check(model, {"deadlock": deadlock}), check(model, {"deadlock": deadlock, "workers": 2}))
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_and_spawned_workers_give_the_single_process_result(method):
    """pool.py forks its workers where that is safe (they start with the driver's modules), else spawns
    them: both give the single process's result, the forked ones' phases and memory included."""
    from checkers.explicit.pool import ProcessTransport
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {"D": 2, "V": 2, "P": 2}).model
    quick = min((b for b in BUGS if not b.loop), key=lambda b: b.explicit_s)  # a counterexample across workers
    bug = _safety(load_model(str(ROOT / "spec/bugs" / f"{quick.variant}.xm"), "small", {}).model)
    for m, deadlock in [(model, False), (model, True), (bug, False)]:
        one = check(m, {"deadlock": deadlock})
        many = PartitionedSearch(m, EngineOptions(deadlock=deadlock, workers=2), ProcessTransport(2, method)).run()
        assert_same(one, many, (method, deadlock))
    assert len(many.stats["worker_phases"]) == 2 and all("step" in ph for ph in many.stats["worker_phases"])
    assert not multiprocessing.active_children()


def test_forked_workers_end_when_the_driver_s_pipes_close():
    """A forked worker inherits the driver's ends of the pipes of the workers forked before it: it
    closes them, so that each worker sees the end of its pipe when the driver's end closes (a driver
    that dies without a word)."""
    from checkers.explicit.pool import ProcessTransport
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {"D": 1, "V": 2, "P": 1}).model
    t = ProcessTransport(3, "fork")
    try:
        t.start(model, True, False).wait(60)
        for c in t.conns:
            c.close()
        for p in t.procs:
            p.join(20)
        assert [p.exitcode for p in t.procs] == [0, 0, 0]
    finally:
        t.conns = []
        t.close()
    assert not multiprocessing.active_children()


def test_cli_workers_trace_is_the_single_process_trace(tmp_path):
    import json
    bug = str(FIXTURES / "hyp_error.xm")  # a model error after 5 steps
    code1, out1, _ = run_cli("check", bug, "--format", "json")
    code2, out2, _ = run_cli("check", bug, "--workers", "2", "--format", "json")
    assert code1 == code2 == 1
    one, two = json.loads(out1), json.loads(out2)
    assert two["trace"] == one["trace"] and two["stats"]["workers"] == 2


def test_timeout_is_bounded_by_the_last_complete_level():
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {"D": 3, "P": 3}).model
    t = time.perf_counter()
    r = check(model, {"deadlock": False, "workers": 2, "timeout": 4.0})  # the whole search takes 10 s or more
    assert time.perf_counter() - t < 30
    assert r.status == "bounded", r.reason
    assert 0 <= r.bound < 40 and r.stats["workers"] == 2
    assert any("--timeout 4 s" in m for m in r.messages)
    assert not multiprocessing.active_children()


def test_ctrl_c_stops_the_workers():
    proc = subprocess.Popen([sys.executable, "-m", "xenmodel", "check", str(ROOT / "bench/models/s1.xm"),
                             "--const", "D=3", "--const", "P=3", "--const", "V=3", "--no-deadlock",
                             "--workers", "2"],  # (3,3,3): far more than 6 s of search
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(6)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 3, (out, err)
    assert "interrupted (Ctrl-C)" in out
    ps = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True).stdout
    assert ps.strip() == ""


# ---------------------------------------------------------------- what is refused
def test_workers_zero_is_a_usage_error():
    code, _, err = run_cli("check", str(ROOT / "bench/models/s1.xm"), "--workers", "0")
    assert code == 2 and "Invalid value for '--workers': 0 is not in the range x>=1." in err


def test_a_bad_cluster_address_is_a_usage_error():
    code, _, err = run_cli("check", str(ROOT / "bench/models/s1.xm"), "--cluster", "10.0.0.5:10001")
    assert code == 2
    assert "'10.0.0.5:10001': expected `ray` (a Ray started here) or `ray://HOST:PORT`" in err


def test_an_unreachable_cluster_is_a_usage_error():
    code, _, err = run_cli("check", str(ROOT / "bench/models/s1.xm"), "--cluster", "ray://127.0.0.1:1")
    assert code == 2
    assert ("--cluster ray://127.0.0.1:1: cannot reach a Ray cluster there" in err
            or "--cluster ray://127.0.0.1:1 needs Ray, which is not installed here" in err), err


def test_temporal_properties_are_refused(write):
    path = write("m.xm", "model m\nvar x: int[0..2]\ninit { x := 0 }\naction inc() { require x < 2\n x := x + 1 }\n"
                         "temporal up: x == 0 ~> x == 2\n")
    code, _, err = run_cli("check", path, "--workers", "2")
    assert code == 2
    assert "--workers and --cluster do not check temporal properties" in err
    assert "run without them, or leave them out: --skip up" in err


def test_other_engines_refuse_workers():
    code, _, err = run_cli("check", str(ROOT / "bench/models/s1.xm"), "--engine", "bmc", "--workers", "2")
    assert code == 2 and "the bmc engine does not support --workers" in err


def test_one_worker_is_the_single_process_search():
    model = model_from_text("model m\nvar x: int[0..3]\ninit { x := 0 }\naction inc() { require x < 3\n x := x + 1 }\n")
    r = check(model, {"workers": 1, "deadlock": False})
    assert r.status == "holds" and r.stats["states"] == 4 and "workers" not in r.stats


def test_states_wider_than_an_int64_give_the_same_result(monkeypatch):
    # packed states wider than 62 bits travel as object arrays of Python ints: the same search
    from checkers.explicit import partition
    monkeypatch.setattr(partition, "INT64_BITS", 0)
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    for deadlock in (True, False):
        one = check(model, {"deadlock": deadlock})
        assert_same(one, partitioned(model, 2, deadlock=deadlock), f"deadlock={deadlock}")
    for name in ("hyp_error.xm", "explicit_sym_bug.xm"):
        model = _safety(fixture(name))
        assert_same(check(model, {}), partitioned(model, 3), name)


def test_values_that_python_hashes_alike_get_different_ids():
    values = (-1, -2, (-1,), (-2,), 2**61, 1, None, (None,), 2**70, 2**70 + 2**61 - 1)
    assert len({stable_hash(v) for v in values}) == len(values)


def test_the_reference_semantics_fallback_gives_the_same_result(monkeypatch):
    from checkers.explicit.model_code import ModelCode
    from checkers.explicit.runtime import Unsupported

    def refuse(self, *args, **kwargs):
        raise Unsupported("a test")
    monkeypatch.setattr(ModelCode, "build_bfs", refuse)
    for name in ("hyp_error.xm", "explicit_counter.xm", "explicit_sym_bug.xm"):
        model = _safety(fixture(name))
        for deadlock in (True, False):
            one = check(model, {"deadlock": deadlock})
            many = partitioned(model, 2, deadlock=deadlock)
            assert any("the search runs on the reference semantics" in m for m in many.messages)
            assert_same(one, many, (name, deadlock))


# ---------------------------------------------------------------- partition keys (partition_key.py)
def _keys(model):
    """Every one-cell key of the model: each variable whole and each element of each map."""
    from xenmodel.types import MapT, cardinality
    out = []
    for ix, v in enumerate(model.vars):
        out.append(Key(((ix, None),)))
        if isinstance(v.type, MapT):
            out += [Key(((ix, k),), 1) for k in range(cardinality(v.type.key))]
    return out


@pytest.mark.parametrize("seed", range(8))
def test_every_partition_key_gives_the_single_process_result(seed):
    """The key decides where a state is kept, never the result: each cell as the key, on generated models."""
    model = _generated_safety(seed)
    for deadlock in (True, False):
        one = check(model, {"deadlock": deadlock})
        for key in _keys(model)[:6]:
            for n in (2, 3):
                assert_same(one, partitioned(model, n, key, deadlock=deadlock), (seed, deadlock, n, key))


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8, 60))
def test_every_partition_key_more(seed):
    test_every_partition_key_gives_the_single_process_result(seed)


KEY_EVERYWHERE = """
model k
sort S = s[3]
var k: int[0..5]
var m: S -> bool
init { k := 0 }
action flip(x: S) {
  require k < 5
  m[x] := !m[x]
  k := k + 1
}
action back(x: S) {
  require k > 0 && m[x]
  m[x] := false
  k := k - 1
}
action spin() {
  require k == 5
  k := 0
}
invariant small: k <= 5
"""


def test_a_key_every_action_writes():
    """`k` is written by every action: as the key, every transition moves the state to another owner's
    hash; the results stay the single process's, and the key chooser does not take it."""
    from checkers.explicit.partition import owner_of
    from checkers.explicit.partition_key import choose, sample, whole_state
    model = model_from_text(KEY_EVERYWHERE)
    one = check(model, {"deadlock": True})
    assert one.status == "holds"
    for n in (2, 3):
        many = partitioned(model, n, Key(((0, None),)), deadlock=True)
        assert_same(one, many, f"n={n}")
        assert many.stats["partition_key"] == "k"
        assert many.stats["sent_away"] > 0
    from xenmodel import semantics as S
    chosen = choose(model, 2, sample(model, None, [o.state for o in S.initial_states(model)]),
                    lambda key, s: owner_of(s, 2, key, {}))
    assert (0, None) not in chosen.cells or chosen == whole_state(model)


def test_s1_keeps_most_successors_at_home():
    """On S1 the chooser takes one element of `pend` or `st` (each changed by about a tenth of the
    transitions); fewer new states go to another partition than with the whole state as the key."""
    from checkers.explicit.partition_key import whole_state
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    one = check(model, {"deadlock": False})
    many = partitioned(model, 2, deadlock=False)
    assert_same(one, many)
    assert many.stats["partition_key"].split("[")[0] in ("pend", "st"), many.stats["partition_key"]
    whole = partitioned(model, 2, whole_state(model), deadlock=False)
    assert whole.stats["partition_key"] == "whole state"
    assert many.stats["sent_away"] < whole.stats["sent_away"] - 0.1, (many.stats["sent_away"], whole.stats["sent_away"])


def test_uneven_partitions_are_noted():
    """Two bools of S1 as the key of 3 partitions: 4 values into 3 owners, one holds about half the states.
    The chooser does not take such a key (too few values for 3 owners); forced, the output says so."""
    from checkers.explicit.partition import owner_of
    from checkers.explicit.partition_key import choose, sample
    from xenmodel import semantics as S
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    one = check(model, {"deadlock": False})
    key = Key(((1, 0), (1, 1)))
    many = partitioned(model, 3, key, deadlock=False)
    assert_same(one, many)
    note = [m for m in many.messages if "uneven shares" in m]
    assert note and "(pend[0], pend[1])" in note[0], many.messages
    chosen = choose(model, 3, sample(model, None, [o.state for o in S.initial_states(model)]),
                    lambda k, s: owner_of(s, 3, k, {}))
    assert chosen.cells != key.cells
    assert not [m for m in partitioned(model, 3, chosen, deadlock=False).messages if "uneven" in m]


TWO_PATHS = """
model two_paths
var a: int[0..3]
var b: bool
init { a := 0  b := false }
action inc() {
  require a < 3
  a := a + 1
}
action flip() {
  b := !b
}
invariant not_both: !(a == 2 && b)
"""


def test_a_violation_found_first_in_another_partition_keeps_its_trace():
    """Keyed by `b`, the violating state (a=2, b=true) is generated first by (2, false), a state of the
    other partition, which lists it unchecked for its owner, then by the owner itself from (1, true): the
    trace is the single process's (inc, inc, flip), whose parent the owner learns from the sender."""
    model = model_from_text(TWO_PATHS)
    one = check(model, {"deadlock": False})
    assert [s.action for s in one.trace.steps[1:]] == ["inc", "inc", "flip"]
    for key in _keyed_by_b()[:2]:
        assert_same(one, partitioned(model, 2, key, deadlock=False), key)


def _keyed_by_b() -> list[Key]:
    """Keys of variable `b` (the second) that put its two values in two partitions of 2."""
    keys = [Key(((1, None),), salt) for salt in range(8)]
    split = [k for k in keys if len({owner_of((0, b), 2, k, {}) for b in (False, True)}) == 2]
    assert split, "no starting value of the hash puts the two values of b in two partitions"
    return split


def test_each_state_is_stored_by_its_owner_only():
    """With a partition key (not the whole state), a partition's step stores only its own states: the
    partitions' sets of states hold each state once, and the states a partition lists for another are
    counted as sent."""
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    one = check(model, {"deadlock": False})
    transport = InProcess(2)
    many = PartitionedSearch(model, EngineOptions(deadlock=False), transport, None).run()
    assert_same(one, many)
    assert many.stats["partition_key"] != "whole state"
    parts = transport.parts
    assert sum(len(p.known) for p in parts) == one.stats["states"]
    assert all(len(p.known) == len(p.states) for p in parts)
    assert many.stats["states_sent"] > 0


ONE_WAY = """
model one_way
var a: int[0..3]
var b: bool
init { a := 0  b := false }
action inc() {
  require a < 3 && !b
  a := a + 1
}
action flip() {
  require !b
  b := true
}
invariant not_both: !(a == 2 && b)
"""


def test_a_violation_only_another_partition_generates_is_found():
    """Keyed by `b`, the violating state (a=2, b=true) has one parent, (2, false), of the other partition,
    which lists it for its owner without checking it: the owner checks it (no state with `b` set has a
    successor, so the owner never generates it itself)."""
    model = model_from_text(ONE_WAY)
    one = check(model, {"deadlock": False})
    assert one.status == "violated" and [s.action for s in one.trace.steps[1:]] == ["inc", "inc", "flip"]
    for key in _keyed_by_b()[:2]:
        assert_same(one, partitioned(model, 2, key, deadlock=False), key)

"""`check --cluster ray`: the partitioned search on Ray actors (checkers/explicit/ray_backend.py) gives the
single-process result. Ray is the optional `cluster` extra: without it these tests are skipped."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="Ray is not installed (pip install 'xenmodel[cluster]')")

from checkers.explicit import check  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_workers import assert_same  # noqa: E402

from helpers import FIXTURES, ROOT, run_cli  # noqa: E402


def test_a_local_ray_with_two_workers_gives_the_single_process_result():
    # one Ray start (about 10 s on a loaded machine) in the default suite; more cases under -m slow
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    opts = {"deadlock": False}
    many = check(model, {**opts, "cluster": "ray", "workers": 2})
    assert many.status == "holds" and many.stats["workers"] == 2
    assert_same(check(model, opts), many, opts)


@pytest.mark.slow
def test_a_local_ray_bounds_and_deadlocks():
    model = load_model(str(ROOT / "bench/models/s1.xm"), None, {}).model
    for opts in ({"deadlock": True}, {"deadlock": False, "max_depth": 5}):
        many = check(model, {**opts, "cluster": "ray", "workers": 2})
        assert many.stats["workers"] == 2
        assert_same(check(model, opts), many, opts)


@pytest.mark.slow
def test_cli_cluster_ray_trace_is_the_single_process_trace():
    bug = str(FIXTURES / "hyp_error.xm")
    code1, out1, _ = run_cli("check", bug, "--format", "json")
    code2, out2, _ = run_cli("check", bug, "--cluster", "ray", "--workers", "2", "--format", "json")
    assert code1 == code2 == 1
    assert json.loads(out2)["trace"] == json.loads(out1)["trace"]

"""Differential campaign: random well-typed models checked by every engine, the results compared.

    PYTHONPATH=$PWD python bench/differential_campaign.py --count 1000 --seed 0 --jobs 2 --out DIR

Each model (tests/modelgen.py) is checked by
  - the reference BFS over xenmodel.semantics (tests/reference_bfs.py): the ground truth;
  - explicit without symmetry: same verdict, same shortest counterexample length, a violation kind the
    reference finds at that length, and (when it holds) the same number of states;
  - explicit with symmetry: the same verdict, length and kind; when it holds, its state count equals the
    number of orbits of the full state space (distinct canonical forms, checkers/explicit/symmetry.py);
  - BMC to the depth the reference search completed: the same verdict (bounded for holds), length, kind;
  - induction (`prove`): where it says "holds", the explicit search (without deadlock checking, which
    induction does not do) must find nothing; where it says "violated", the explicit search must too.
It prints a summary (models, agreements, disagreements by kind, time) and writes every disagreeing model,
with the commands that show the disagreement, to --out. Exit status 1 when anything disagreed.
The generator's KNOWN_BUG_SHAPES are left out only with --avoid-known-bugs (the CI test uses it).
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from modelgen import KNOWN_BUG_SHAPES, generate  # noqa: E402
from reference_bfs import bfs  # noqa: E402

MAX_REF_STATES = 5000  # models with more reachable states are skipped (the reference BFS is slow)
PER_MODEL_SECONDS = 60  # a model taking longer is reported as a hang
SOLVER_TIMEOUT = 20.0


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def _length(res) -> int | None:
    """The counterexample's length as the reference BFS counts it: an erroring step is a step."""
    t = res.trace
    if t is None:
        return None
    if not t.steps:
        return 0  # an error in init, or no initial state
    return len(t) + (1 if t.violation is not None and t.violation.kind in ("assert", "model-error") else 0)


def _kind(res) -> str | None:
    return res.trace.violation.kind if res.trace is not None and res.trace.violation is not None else None


def compare(model) -> tuple[str, list[tuple[str, str]], dict]:
    """Run every engine on one model: (outcome, [(disagreement kind, detail)], info)."""
    from checkers import explicit
    from checkers.explicit.symmetry import make_canonicaliser
    from checkers.smt import bmc, induction

    out: list[tuple[str, str]] = []
    info: dict = {}

    def run(name, f, *args):
        try:
            return f(*args)
        except _Hang:
            raise
        except Exception as err:  # noqa: BLE001 - every exception of an engine is a finding
            out.append((f"crash:{name}", f"{type(err).__name__}: {err}"))
            return None

    ref = bfs(model, deadlock=True, max_states=MAX_REF_STATES)
    if ref.status == "too-big":
        return "too-big", [], info
    info["ref"] = (ref.status, ref.length, sorted(ref.kinds), len(ref.states))

    def same_verdict(name, res, exact_states=None):
        if res is None:
            return
        if ref.status == "holds":
            if res.status != "holds":
                out.append((f"{name}:verdict", f"reference holds, {name} {res.status} "
                            f"{_kind(res)} length {_length(res)} {res.reason or ''}"))
            elif exact_states is not None and res.stats.get("states") != exact_states:
                out.append((f"{name}:states", f"expected {exact_states} states, {name} has {res.stats.get('states')}"))
        else:
            if res.status != "violated":
                out.append((f"{name}:verdict", f"reference violated ({sorted(ref.kinds)} at {ref.length}), "
                            f"{name} {res.status} {res.reason or ''}"))
            elif _length(res) != ref.length:
                out.append((f"{name}:length", f"reference length {ref.length}, {name} {_length(res)}"))
            elif _kind(res) not in ref.kinds:
                out.append((f"{name}:kind", f"reference kinds {sorted(ref.kinds)}, {name} {_kind(res)}"))

    ex = run("explicit", explicit.check, model, {"symmetry": False, "deadlock": True})
    same_verdict("explicit", ex, len(ref.states))
    exs = run("explicit-sym", explicit.check, model, {"symmetry": True, "deadlock": True})
    orbits = None
    made = run("symmetry", make_canonicaliser, model)  # (canon, info); canon is None when symmetry is off
    if made is not None and ref.status == "holds":
        canon = made[0]
        orbits = len(ref.states) if canon is None else len({canon(s) for s in ref.states})
    info["orbits"] = orbits
    same_verdict("explicit-sym", exs, orbits)

    depth = ref.length if ref.status == "violated" else ref.depth
    b = run("bmc", bmc.check, model, {"depth": depth, "deadlock": True, "timeout": SOLVER_TIMEOUT})
    if b is not None:
        if b.status == "unknown":
            out.append(("bmc:unknown", b.reason or ""))
        elif ref.status == "holds":
            if b.status != "bounded":
                out.append(("bmc:verdict", f"reference holds to depth {depth}, bmc {b.status} {_kind(b)} "
                            f"length {_length(b)}"))
        else:
            same_verdict("bmc", b)

    ind = run("induction", induction.prove, model, {"timeout": SOLVER_TIMEOUT})
    if ind is not None and ind.status in ("holds", "violated"):
        nd = bfs(model, deadlock=False, max_states=MAX_REF_STATES) if ref.status == "violated" else ref
        if ind.status == "holds" and nd.status == "violated":
            out.append(("induction:wrong-holds", f"induction holds, reachable {sorted(nd.kinds)} at length "
                        f"{nd.length} (deadlock not counted)"))
        if ind.status == "violated" and nd.status == "holds":
            out.append(("induction:wrong-violated", f"induction violated ({_kind(ind)}), nothing reachable"))
    return ref.status, out, info


def one(args: tuple) -> dict:
    """Generate model i and compare the engines on it (runs in a worker process)."""
    seed, i, known_bugs = args
    from xenmodel.diagnostics import DiagnosticError
    from xenmodel.frontend import load_model

    src = generate(random.Random(f"{seed}:{i}"), known_bugs=known_bugs)
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, f"m{i}.xm")
        Path(path).write_text(src)
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(PER_MODEL_SECONDS)
        try:
            try:
                model = load_model(path).model
            except DiagnosticError as err:
                return {"i": i, "outcome": "rejected", "src": src, "diffs": [],
                        "detail": err.diagnostics[0].code + " " + err.diagnostics[0].message,
                        "secs": time.perf_counter() - t0}
            outcome, diffs, info = compare(model)
        except _Hang:
            outcome, diffs, info = "hang", [("hang", f"more than {PER_MODEL_SECONDS} s")], {}
        except Exception as err:  # noqa: BLE001 - a crash of the front end or of the reference BFS
            outcome, diffs, info = "crash", [("crash:front-or-reference", f"{type(err).__name__}: {err}")], {}
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old)
    return {"i": i, "outcome": outcome, "src": src, "diffs": diffs, "info": info,
            "secs": time.perf_counter() - t0}


def campaign(count: int, seed: int, jobs: int = 1, out_dir: str | None = None, avoid_known_bugs: bool = False,
             echo=print) -> dict:
    known = KNOWN_BUG_SHAPES if avoid_known_bugs else frozenset()
    started = time.perf_counter()
    outcomes: collections.Counter = collections.Counter()
    kinds: collections.Counter = collections.Counter()
    failing: list[dict] = []
    tasks = [(seed, i, known) for i in range(count)]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(one, tasks, chunksize=4))
    else:
        results = [one(t) for t in tasks]
    for r in results:
        outcomes[r["outcome"]] += 1
        for k, _ in r["diffs"]:
            kinds[k] += 1
        if r["diffs"] or r["outcome"] == "rejected":
            failing.append(r)
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        for r in failing:
            name = f"seed{seed}-model{r['i']}"
            p = Path(out_dir) / f"{name}.xm"
            p.write_text(r["src"])
            lines = [f"# {k}: {v}" for k, v in r["diffs"]] or [f"# rejected: {r.get('detail')}"]
            lines += ["# commands:", f"xenmodel check --no-symmetry {p}", f"xenmodel check {p}",
                      f"xenmodel check --engine bmc --depth {r.get('info', {}).get('ref', (0, 0))[1] or 10} {p}",
                      f"xenmodel prove {p}"]
            (Path(out_dir) / f"{name}.txt").write_text("\n".join(lines) + "\n")
    secs = time.perf_counter() - started
    checked = sum(v for k, v in outcomes.items() if k in ("holds", "violated"))
    disagreeing = sum(1 for r in results if r["diffs"])
    summary = {"models": count, "outcomes": dict(outcomes), "checked": checked, "disagreeing_models": disagreeing,
               "agreeing_models": checked - sum(1 for r in results if r["diffs"] and r["outcome"] in
                                                ("holds", "violated")),
               "disagreements": dict(kinds), "seconds": round(secs, 1),
               "failing": [(r["i"], r["diffs"] or r.get("detail")) for r in failing]}
    echo(f"models generated        {count}")
    for k in ("holds", "violated", "too-big", "rejected", "hang", "crash"):
        echo(f"  {k:22s}{outcomes.get(k, 0)}")
    echo(f"models compared         {checked}")
    echo(f"  all engines agree     {summary['agreeing_models']}")
    echo(f"  disagreeing models    {disagreeing}")
    echo("disagreements by kind")
    for k, v in sorted(kinds.items()):
        echo(f"  {k:30s}{v}")
    echo(f"time                    {secs:.1f} s ({jobs} jobs)")
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default="differential-failures", help="directory for the disagreeing models")
    ap.add_argument("--avoid-known-bugs", action="store_true",
                    help=f"leave out the generator's KNOWN_BUG_SHAPES ({', '.join(sorted(KNOWN_BUG_SHAPES))})")
    a = ap.parse_args()
    s = campaign(a.count, a.seed, a.jobs, a.out, a.avoid_known_bugs)
    return 1 if s["disagreeing_models"] or s["outcomes"].get("hang") or s["outcomes"].get("crash") else 0


if __name__ == "__main__":
    sys.exit(main())

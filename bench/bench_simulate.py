"""Steps per second of the Hypothesis state machine and of `xenmodel simulate` on S1, and shrinking.

    python bench/bench_simulate.py [--d 2 --v 2 --p 2] [--examples 200] [--runs 50] [--quick]

Prints, for S1 at (D,V,P) (bench/models/s1.xm; every invariant checked in every visited state):
  - the Hypothesis machine (checkers.hypothesis_machine.run, 50 steps per test case), with the
    per-state memo on (default) and off;
  - `xenmodel simulate` (xenmodel.simulate.simulate, 100 steps per run) on the reference interpreter
    (`--semantics reference`) and on the compiled transition relation (the default);
  - S1-bug (bench/models/s1_bug.xm): the trace length Hypothesis shrinks to, after the model-level
    minimisation, against the shortest counterexample (BFS over the reference semantics).
Wall-clock and CPU (process) time are both given: on a loaded machine the CPU figure is the fair one.
Quint's simulator did about 1,700 steps/s on S1 (2,2,2) on this machine (measured when the S1
yardstick was set up, before this benchmark existed).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import deque

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from checkers.explicit.compiled_semantics import CompiledSemantics  # noqa: E402
from checkers.hypothesis_machine import run  # noqa: E402
from xenmodel import semantics as S  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.simulate import simulate  # noqa: E402

QUINT = 1700


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def row(name: str, steps: int, wall: float, cpu: float, extra: str = "") -> None:
    print(f"{name:<46} {steps:>8} steps  {steps / wall:>9.0f}/s wall  {steps / cpu:>9.0f}/s cpu"
          f"  {steps / cpu / QUINT:>6.2f}x Quint(cpu)  {extra}", flush=True)


def shortest(model) -> int:
    seen, frontier = set(), deque()
    for o in S.initial_states(model):
        seen.add(o.state)
        frontier.append((o.state, 0))
    while frontier:
        state, d = frontier.popleft()
        if S.check_properties(model, state):
            return d
        for o in S.successors(model, state):
            if o.state not in seen:
                seen.add(o.state)
                frontier.append((o.state, d + 1))
    return -1


def bugs(examples: int, pattern: str) -> None:
    """Every seeded bug in spec/bugs/: the length Hypothesis shrinks to (and after minimisation) against the
    shortest counterexample the explicit engine's BFS finds."""
    import glob

    from checkers.explicit import check
    from xenmodel.diagnostics import DiagnosticError
    print(f"{'bug':<44} {'shortest':>8} {'hyp':>5} {'min':>5}  test cases / seconds")
    for path in sorted(glob.glob(os.path.join(ROOT, "spec", "bugs", pattern))):
        name = os.path.basename(path)
        try:
            model = load_model(path).model
        except DiagnosticError as err:
            print(f"{name:<44} does not load: {err}")
            continue
        ref = check(model, {"deadlock": False, "max_states": 2_000_000, "symmetry": True})
        best = len(ref.trace) if ref.status == "violated" else f"({ref.status})"
        (r, w, c) = timed(lambda m=model: run(m, max_examples=examples, steps=50, seed=0))
        if r.status == "violated":
            print(f"{name:<44} {best:>8} {r.stats['hypothesis_shrunk_length']:>5} {len(r.trace):>5}  "
                  f"{r.stats['test_cases']} / {w:.0f} s", flush=True)
        else:
            print(f"{name:<44} {best:>8} {'-':>5} {'-':>5}  not found in {r.stats['test_cases']} test cases "
                  f"({w:.0f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description="steps/s of the Hypothesis machine and of simulate on S1")
    ap.add_argument("--d", type=int, default=2)
    ap.add_argument("--v", type=int, default=2)
    ap.add_argument("--p", type=int, default=2)
    ap.add_argument("--examples", type=int, default=200)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--seeds", type=int, default=3, help="S1-bug: seeds to shrink with")
    ap.add_argument("--quick", action="store_true", help="fewer examples and runs")
    ap.add_argument("--bugs", metavar="GLOB", default=None,
                    help="instead: shrunk versus shortest on spec/bugs/GLOB (e.g. '*')")
    a = ap.parse_args()
    if a.bugs:
        bugs(a.examples, a.bugs)
        return
    if a.quick:
        a.examples, a.runs, a.seeds = 50, 10, 1
    consts = {"D": a.d, "V": a.v, "P": a.p}
    model = load_model(os.path.join(ROOT, "bench", "models", "s1.xm"), consts=consts).model
    print(f"S1 ({a.d},{a.v},{a.p}); Quint simulate: ~{QUINT} steps/s")

    r, w, c = timed(lambda: run(model, max_examples=a.examples, steps=50, seed=0))
    row("hypothesis machine (memo on)", r.stats["steps"], w, c, f"{r.stats['test_cases']} test cases, "
        f"{r.stats['deadlocked_runs']} deadlocked")
    r, w, c = timed(lambda: run(model, max_examples=a.examples, steps=50, seed=0, memo=0))
    row("hypothesis machine (memo off)", r.stats["steps"], w, c)
    r, w, c = timed(lambda: simulate(model, 100, a.runs, 0, deadlock=False))
    row("xenmodel simulate (reference interpreter)", r.stats["steps"], w, c)
    compiled = CompiledSemantics(model)
    r, w, c = timed(lambda: simulate(model, 100, a.runs, 0, deadlock=False, semantics=compiled))
    row("xenmodel simulate (compiled, the default)", r.stats["steps"], w, c)

    bug = load_model(os.path.join(ROOT, "bench", "models", "s1_bug.xm"), consts=consts).model
    best = shortest(bug)
    for seed in range(a.seeds):
        r, w, c = timed(lambda s=seed: run(bug, max_examples=a.examples, steps=50, seed=s))
        if r.status != "violated":
            print(f"S1-bug seed {seed}: not found in {a.examples} test cases ({w:.1f} s)")
            continue
        print(f"S1-bug seed {seed}: Hypothesis shrank to {r.stats['hypothesis_shrunk_length']} steps, "
              f"minimised to {len(r.trace)}; shortest {best}; {r.stats['test_cases']} test cases, "
              f"{w:.1f} s wall, {c:.1f} s cpu", flush=True)


if __name__ == "__main__":
    main()

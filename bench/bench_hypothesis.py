"""The Hypothesis machine on bug variants at tests/spec_expectations.py's HYP_BUDGET: found or not, after
how many test cases, and its speed in steps per CPU second.

    python bench/bench_hypothesis.py [--only PREFIX] [--max-examples N] [--seed S] [--json OUT] [VARIANT ...]

Each variant (spec/bugs/V.xm at the instance spec_expectations names for it) is run as tests/test_spec.py
runs it (`hypothesis_machine.run_options(model, HYP_BUDGET)`), in this one process, which imported
spec_expectations as the measurements recorded there did (Hypothesis mixes the integer literals of the
imported modules into its draws, so another set of imports gives another run of the same seed). Prints
one row per variant: found, test cases, steps, distinct states, the minimised length, wall and CPU
seconds of the run (loading excluded), and steps per CPU second; then `uptime`'s load.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

from checkers import hypothesis_machine  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.result import Status  # noqa: E402

from spec_expectations import BUGS, HYP_BUDGET  # noqa: E402


def one(variant: str, instance: str, budget: dict[str, Any]) -> dict[str, Any]:
    model = load_model(os.path.join(ROOT, "spec", "bugs", variant + ".xm"), instance).model
    wall, cpu = time.perf_counter(), time.process_time()
    r = hypothesis_machine.run_options(model, dict(budget))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found = r.status == Status.VIOLATED and r.trace is not None
    return {"variant": variant, "found": found, "violation": r.trace.violation.name if found else None,
            "test_cases": r.stats.get("test_cases"), "steps": r.stats.get("steps"),
            "distinct_states": r.stats.get("distinct_states"), "length": len(r.trace) if found else None,
            "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
            "steps_per_cpu_s": round(r.stats.get("steps", 0) / cpu) if cpu > 0 else None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("variants", nargs="*")
    ap.add_argument("--only", default="", help="every non-temporal variant whose name starts so")
    ap.add_argument("--max-examples", type=int, default=None, help="instead of HYP_BUDGET's")
    ap.add_argument("--seed", type=int, default=None, help="instead of HYP_BUDGET's (how robust a find is)")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    budget = dict(HYP_BUDGET)
    if args.seed is not None:
        budget["seed"] = args.seed
    if args.max_examples is not None:
        budget["max_examples"] = args.max_examples
    bugs = [b for b in BUGS if not b.violation.startswith("temporal:")
            and (b.variant in args.variants or (not args.variants and b.variant.startswith(args.only)))]
    rows = []
    print(f"{'variant':40} {'found':>5} {'cases':>6} {'steps':>7} {'states':>7} {'len':>4} {'wall s':>7} "
          f"{'CPU s':>7} {'steps/CPU s':>11}", flush=True)
    for b in bugs:
        row = one(b.variant, b.instance, budget)
        rows.append(row)
        print(f"{b.variant:40} {'yes' if row['found'] else 'no':>5} {row['test_cases']:>6} {row['steps']:>7} "
              f"{row['distinct_states']:>7} {row['length'] if row['found'] else '-':>4} {row['wall_s']:>7} "
              f"{row['cpu_s']:>7} {row['steps_per_cpu_s']:>11}", flush=True)
    print("load average:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"budget": budget, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()

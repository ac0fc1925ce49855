"""Which bug variants the random engines find with the hand-set @weight annotations ignored.

    python bench/bench_random.py [--timeout 10] [--runs 200] [--examples 300] [--seed 0]
                                 [--only PREFIX] [--engines simulate,hypothesis] [--json OUT]
    python bench/bench_random.py --table OUT.json [OUT.json ...]   # the Markdown table of docs/testing.md

For every variant in spec/bugs (instance `small`, or the one tests/spec_expectations.py names for it;
deadlock checking off, every @weight ignored), runs
  - simulate (compiled semantics, `--runs` runs) with explore=uniform (100 steps per run: the old
    default), explore=guided (swarm subsets + novelty, steps by instance size) and explore=branch
    (guided + branch arms not taken yet + a corpus of runs to resume);
  - the Hypothesis machine (`--examples` test cases, shrink=model) with explore=uniform (50 steps),
    explore=guided and explore=branch (steps by instance size);
each at the same seed and the same wall-clock budget (`--timeout` seconds per run). Prints a row per
variant: found, the (shortened) trace length and seconds for each engine and mode, then the rate found.
A variant's shortest length (tests/spec_expectations.py) is shown for reference.
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
from checkers.explicit.compiled_semantics import compiled_or_none  # noqa: E402
from checkers.hypothesis_shrink import minimize_within  # noqa: E402
from xenmodel import simulate  # noqa: E402
from xenmodel.deadline import Deadline  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402
from xenmodel.result import Status  # noqa: E402

MODES = ("uniform", "guided", "branch")


def expected() -> dict[str, Any]:
    """Each variant's row of tests/spec_expectations.py (its shortest length, the instance it is written
    for), or nothing when the tests are not on the path."""
    try:
        from spec_expectations import BUGS
    except ImportError:
        return {}
    return {b.variant: b for b in BUGS}


def one(engine: str, model: Any, mode: str, args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    if engine == "simulate":
        opts = dict(runs=args.runs, seed=args.seed, deadlock=False, timeout=args.timeout, explore=mode,
                    ignore_weights=True)
        r = simulate.run(model, opts, semantics=compiled_or_none(model))
        if r.status == Status.VIOLATED and r.trace is not None:
            r_trace, _ = minimize_within(model, r.trace, Deadline(args.timeout))
        else:
            r_trace = None
    else:
        opts = dict(max_examples=args.examples, seed=args.seed, deadlock=False, timeout=args.timeout,
                    shrink="model", explore=mode, ignore_weights=True)
        r = hypothesis_machine.run_options(model, opts)
        r_trace = r.trace if r.status == Status.VIOLATED else None
    return {"found": r_trace is not None, "length": len(r_trace) if r_trace is not None else None,
            "seconds": round(time.perf_counter() - started, 2)}


def table(paths: list[str]) -> None:
    """The rows of several --json outputs (say, one per engine or prefix), merged by variant, as Markdown."""
    rows: dict[str, dict[str, Any]] = {}
    for p in paths:
        with open(p) as f:
            for r in json.load(f)["rows"]:
                rows.setdefault(r["variant"], {}).update(r)
    keys = [f"{e}/{m}" for e in ("simulate", "hypothesis") for m in MODES
            if any(f"{e}/{m}" in r for r in rows.values())]
    print("| variant | shortest | " + " | ".join(keys) + " |")
    print("|---|---:|" + "---:|" * len(keys))
    for v in sorted(rows):
        r = rows[v]
        cells = [f"{c['length']} / {c['seconds']:.1f} s" if c["found"] else f"- / {c['seconds']:.1f} s"
                 for c in (r.get(k, {"found": False, "seconds": 0.0}) for k in keys)]
        print(f"| {v} | {r.get('shortest', '?')} | " + " | ".join(cells) + " |")
    n = len(rows)
    print("| **found** | | " + " | ".join(
        f"**{sum(r.get(k, {}).get('found', False) for r in rows.values())}/{n}** "
        f"({100 * sum(r.get(k, {}).get('found', False) for r in rows.values()) / max(1, n):.0f}%)"
        for k in keys) + " |")
    print()
    print("| engine | " + " | ".join(MODES) + " | any mode |")
    print("|---|" + "---:|" * (len(MODES) + 1))
    for e in ("simulate", "hypothesis"):
        if not any(f"{e}/{m}" in r for m in MODES for r in rows.values()):
            continue
        found = [sum(r.get(f"{e}/{m}", {}).get("found", False) for r in rows.values()) for m in MODES]
        anyof = sum(any(r.get(f"{e}/{m}", {}).get("found", False) for m in MODES) for r in rows.values())
        print(f"| {e} | " + " | ".join(f"{x}/{n} ({100 * x / max(1, n):.0f}%)" for x in (*found, anyof)) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--examples", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="")
    ap.add_argument("--engines", default="simulate,hypothesis")
    ap.add_argument("--json", default=None)
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--table", nargs="+", default=None)
    args = ap.parse_args()
    if args.table:
        table(args.table)
        return
    engines = args.engines.split(",")
    modes = tuple(args.modes.split(","))
    rows_expected = expected()
    short = {v: b.length for v, b in rows_expected.items()}
    variants = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "spec", "bugs"))
                      if f.endswith(".xm") and f.startswith(args.only))
    rows: list[dict[str, Any]] = []
    cols = [f"{e[:3]}-{m[0]}" for e in engines for m in modes]
    print(f"{'variant':40} {'short':>5} " + " ".join(f"{c:>14}" for c in cols), flush=True)
    for v in variants:
        # the instance the variant is written for (`small`, or e.g. `bugs2x2` where the bug needs two vcpus)
        instance = getattr(rows_expected.get(v), "instance", "small")
        model = load_model(os.path.join(ROOT, "spec", "bugs", v + ".xm"), instance=instance).model
        row: dict[str, Any] = {"variant": v, "shortest": short.get(v)}
        for e in engines:
            for m in modes:
                row[f"{e}/{m}"] = one(e, model, m, args)
        rows.append(row)
        cells = []
        for e in engines:
            for m in modes:
                c = row[f"{e}/{m}"]
                cells.append(f"{c['length'] if c['found'] else '-':>5} {c['seconds']:>7.1f}s ")
        print(f"{v:40} {short.get(v, '?'):>5} " + " ".join(f"{c:>14}" for c in cells), flush=True)
    for e in engines:
        for m in modes:
            n = sum(r[f"{e}/{m}"]["found"] for r in rows)
            print(f"{e} {m}: found {n} of {len(rows)} ({100 * n / max(1, len(rows)):.0f}%)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()

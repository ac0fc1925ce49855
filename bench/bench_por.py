#!/usr/bin/env python3
"""Partial-order reduction against the plain search, side by side in one run (not a test; prints a table).

Each run is its own process (`checkers.explicit.check`, so peak memory is per run), once with the
reduction (the default: `por` on where sound, after its probe of the first states) and once with
`--no-por`. The temporal properties are taken out of every model (with them the reduction is off; the
table is about the safety search). Rows:
  - bench/models/por_workers.xm: independent workers sharing one lock (the shape the reduction is for);
  - S1 (bench/models/s1.xm) at (2,2,2) and (3,2,2);
  - every subsystem of spec/ at `small`;
  - spec/xen.xm at `small` and `default` within --budget seconds each: the depth reached, and whether
    the search is exhaustive (status `holds`).

Usage: python bench/bench_por.py [--budget 600] [--quick] (--quick: S1 and por_workers only)
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SUBSYSTEMS = ["sched", "context_switch", "domain", "evtchn", "grant", "irq", "memory", "migration"]

_DRIVER = r"""
import dataclasses, json, sys
sys.path.insert(0, {root!r})
from xenmodel.frontend import load_model
from checkers.explicit import check
model = load_model({path!r}, {instance!r}, {consts!r}).model
model = dataclasses.replace(model, temporals=())
opts = {{"deadlock": {deadlock}, "por": {por}}}
if {budget!r} is not None:
    opts["timeout"] = {budget!r}
r = check(model, opts)
st = r.stats
print(json.dumps({{"status": r.status, "states": st["states"], "depth": st["depth"], "cpu": st["cpu_seconds"],
                  "seconds": st["seconds"], "mb": st["peak_memory_mb"], "por": st.get("por"),
                  "length": len(r.trace.steps) - 1 if r.trace is not None else None}}))
"""


def run(path: str, instance: str | None, consts: dict[str, int], por: bool, deadlock: bool,
        budget: float | None) -> dict | None:
    code = _DRIVER.format(root=ROOT, path=os.path.join(ROOT, path), instance=instance, consts=consts,
                          por=por, deadlock=deadlock, budget=budget)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  failed: {path}: {proc.stderr[-600:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def por_text(info: dict | None) -> str:
    if not info:
        return ""
    if "off" in info:
        return f"off ({info['off']})"
    if "switched" in info:
        return "probe: gain too small, plain search"
    return f"{info['reduced_expansions']:,} reduced / {info['full_expansions']:,} full expansions"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=600.0, help="seconds per xen.xm run (default 600)")
    ap.add_argument("--quick", action="store_true", help="S1 and por_workers only")
    args = ap.parse_args()
    rows: list[tuple[str, str | None, dict[str, int], bool, float | None]] = [
        ("bench/models/por_workers.xm", None, {"K": 4}, False, None),
        ("bench/models/por_workers.xm", None, {"K": 6}, False, None),
        ("bench/models/s1.xm", None, {"D": 2, "V": 2, "P": 2}, False, None),
        ("bench/models/s1.xm", None, {"D": 3, "V": 2, "P": 2}, False, None),
    ]
    if not args.quick:
        rows += [(f"spec/{s}.xm", "small", {}, True, args.budget) for s in SUBSYSTEMS]
        rows += [("spec/xen.xm", i, {}, True, args.budget) for i in ("small", "default")]
    load = os.getloadavg()[0]
    print(f"partial-order reduction: python {sys.version.split()[0]}, {os.cpu_count()} cpus, load {load:.1f}, "
          f"budget {args.budget:g} s per xen.xm / subsystem run; temporal properties taken out\n")
    print("| model | instance | search | status | states | depth | cpu s | peak MB | reduction |")
    print("|---|---|---|---|---|---|---|---|---|")
    for path, inst, consts, deadlock, budget in rows:
        name = os.path.basename(path) + ("" if not consts else " " + ",".join(f"{k}={v}" for k, v in consts.items()))
        for por in (False, True):
            r = run(path, inst, consts, por, deadlock, budget)
            if r is None:
                continue
            print(f"| {name} | {inst or '-'} | {'POR' if por else '--no-por'} | {r['status']} | {r['states']:,} | "
                  f"{r['depth']} | {r['cpu']:.2f} | {r['mb']} | {por_text(r['por'])} |", flush=True)


if __name__ == "__main__":
    main()

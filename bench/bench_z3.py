#!/usr/bin/env python3
"""Benchmark of the Z3 engines on S1 (bench/models/s1.xm), side by side with the plain Z3 peer.

  python bench/bench_z3.py [--depth 12] [--peer-depth 8] [--peer-budget 120]

Prints a Markdown table: BMC seconds per depth (xenmodel's encoding vs bench/peers/s1_z3.py, a plain
encoding written straight against the z3 API), the S1-bug search, and induction proofs of S1's
invariants with bench/models/s1_lemmas.xm at (3,2,2) and (4,2,2). Times are wall-clock seconds of this
process (CPU seconds in brackets); the machine's load is printed with them.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench", "peers"))

from checkers.smt import bmc, induction  # noqa: E402
from xenmodel.frontend import load_model  # noqa: E402

MODELS = os.path.join(ROOT, "bench", "models")


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--depth", type=int, default=12)
    ap.add_argument("--peer-depth", type=int, default=8)
    ap.add_argument("--peer-budget", type=float, default=120.0)
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-prove", action="store_true")
    a = ap.parse_args()
    print(f"load average: {os.getloadavg()}")
    m = load_model(os.path.join(MODELS, "s1.xm")).model
    r, wall, cpu = timed(lambda: bmc.check(m, {"depth": a.depth, "deadlock": False}))
    ours = r.stats["per_depth_seconds"]
    print(f"xenmodel bmc S1(2,2,2) depths 0..{a.depth}: {r.status}, {wall:.2f} s wall ({cpu:.2f} s CPU)")
    peer = {}
    if not a.no_peer:
        import s1_z3
        pr, pw, pc = timed(lambda: s1_z3.run_bmc(2, 2, 2, a.peer_depth, timeout_s=a.peer_budget,
                                                  total_timeout_s=a.peer_budget))
        peer = {str(d["depth"]): d["seconds"] for d in pr["per_depth"]}
        print(f"peer plain z3 S1(2,2,2) depths 0..{a.peer_depth}: {pr['status']}, {pw:.2f} s wall ({pc:.2f} s CPU)")
    print()
    print("| depth | xenmodel bmc (s) | plain Z3 peer (s) |")
    print("|---|---|---|")
    for d in range(a.depth + 1):
        print(f"| {d} | {ours.get(str(d), '-')} | {peer.get(str(d), '-')} |")
    print(f"| total | {sum(ours.values()):.2f} | {sum(peer.values()):.2f} (to depth {a.peer_depth}) |")
    bug = load_model(os.path.join(MODELS, "s1_bug.xm")).model
    rb, wb, cb = timed(lambda: bmc.check(bug, {"depth": 12, "deadlock": False}))
    print(f"\nS1-bug (2,2,2): {rb.status}, counterexample of {len(rb.trace)} steps, {wb:.2f} s wall ({cb:.2f} s CPU)")
    if not a.no_prove:
        print("\n| instance | prove with s1_lemmas.xm | wall (s) | CPU (s) |\n|---|---|---|---|")
        for d in (2, 3, 4):
            pm = load_model(os.path.join(MODELS, "s1.xm"), None, {"D": d},
                            extra=(os.path.join(MODELS, "s1_lemmas.xm"),)).model
            rp, wp, cp = timed(lambda m=pm: induction.prove(m, {}))
            print(f"| ({d},2,2) | {rp.status} ({rp.stats.get('queries')} queries) | {wp:.2f} | {cp:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
